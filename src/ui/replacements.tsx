import React, {memo} from 'react';
import {Text} from 'ink';
import {Table, type CellProps} from '@alcalzone/ink-table';
import {formatDuration, toRunningMs, type ReplacementRecord} from '../game/index.js';
import {textProps, type Role, type Theme} from './theme.js';

// The replacements table: killed → new pod, its phase, and the time from the kill to Running.

export interface ReplacementRow {
	readonly killed: string;
	readonly new: string;
	readonly phase: string;
	readonly 't→Run': string;
	[key: string]: string;
}

/** A pod name cut to `room` cells from the left: the random suffix is what tells pods of one owner apart. */
export function shortName(name: string, room: number): string {
	const chars = Array.from(name);
	if (room <= 1) return chars.slice(-Math.max(0, room)).join('');
	return chars.length <= room ? name : `…${chars.slice(chars.length - room + 1).join('')}`;
}

export function phaseOf(record: ReplacementRecord): string {
	if (!record.confirmed) return 'sending';
	// Killed in a namespace the player has since left: its replacement is no longer watched.
	if (record.unfollowed) return 'left ns';
	if (!record.replacement) return record.expectReplacement ? 'waiting' : 'no owner';
	if (record.status === 'Terminating') return 'Dying';
	if (record.readyAt !== undefined && record.status === 'Running') return 'Ready';
	if (/^(ContainerCreating|PodInitializing|Init:)/.test(record.status)) return 'Creating';
	return (record.status || 'Pending').slice(0, 8);
}

const phaseRoles: Readonly<Record<string, Role>> = {
	Ready: 'ready',
	Running: 'not-ready',
	Pending: 'pending',
	Creating: 'creating',
	waiting: 'muted',
	sending: 'muted',
	Dying: 'terminating',
	'no owner': 'bad',
};

/** Narrow panels drop the "killed" column: the new pod and its timing matter most. */
export const wideTableMin = 36;

export function replacementRows(records: readonly ReplacementRecord[], width: number, max: number): ReplacementRow[] {
	// Columns have 1 space each side; phase ≤ 8 and t→Run ≤ 6 cells: the rest is for the names.
	const wide = width >= wideTableMin;
	const room = wide ? Math.max(4, Math.floor((width - 8 - 8 - 6) / 2)) : Math.max(4, width - 6 - 8 - 6);
	return records
		.slice(-max)
		.reverse()
		.map((record) => ({
			killed: shortName(record.killed.name, room),
			new: record.replacement ? shortName(record.replacement.name, room) : '',
			phase: phaseOf(record),
			't→Run': record.replacement ? (toRunningMs(record) === undefined ? '…' : formatDuration(toRunningMs(record))) : '',
		}));
}

export const Replacements = memo(function Replacements({
	records,
	width,
	rows,
	theme,
}: {
	readonly records: readonly ReplacementRecord[];
	readonly width: number;
	readonly rows: number;
	readonly theme: Theme;
}) {
	if (records.length === 0) {
		return <Text {...textProps(theme, 'muted')}>no kills yet: tab, then enter</Text>;
	}
	const data = replacementRows(records, width, rows);
	// Only the heading and the rows: ink-table's box lines would cost two lines per row.
	const Skeleton = () => <></>;
	const Header = ({children}: React.PropsWithChildren) => <Text {...textProps(theme, 'title')}>{children}</Text>;
	const wide = width >= wideTableMin;
	const phaseColumn = wide ? 2 : 1;
	const Cell = ({children, column}: CellProps) => {
		const text = String(children);
		const role = column === phaseColumn ? (phaseRoles[text.trim()] ?? 'text') : column === phaseColumn + 1 ? 'accent' : 'text';
		return <Text {...textProps(theme, role)}>{text}</Text>;
	};
	const columns = wide ? (['killed', 'new', 'phase', {key: 't→Run', align: 'right'}] as const) : (['new', 'phase', {key: 't→Run', align: 'right'}] as const);
	return <Table data={data} columns={[...columns]} skeleton={Skeleton} header={Header} cell={Cell} />;
});
