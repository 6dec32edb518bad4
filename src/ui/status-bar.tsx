import React, {memo} from 'react';
import {Box} from 'ink';
import type {Autopilot, GameMode} from '../game/index.js';
import type {ConnectionState} from '../model/watch.js';
import {SegmentLine, cellsOf, type Segment} from './segments.js';
import type {Theme} from './theme.js';

export interface PodCounts {
	readonly ready: number;
	readonly notReady: number;
	readonly pending: number;
	readonly terminating: number;
	readonly failed: number;
	readonly done: number;
	readonly unhealthy: number;
}

export interface StatusBarProps {
	readonly width: number;
	readonly theme: Theme;
	/** Sanitised: context, namespace, selector. */
	readonly context: string;
	readonly namespace: string;
	readonly selector: string;
	readonly connection: ConnectionState;
	readonly counts: PodCounts;
	readonly mode: GameMode;
	readonly autopilot: Autopilot;
	readonly score: number;
	readonly healthNote?: string;
	/** "ns/selector" while switching to it (keys n, /). */
	readonly switching?: string;
}

export function connectionSegment(connection: ConnectionState): Segment {
	switch (connection.kind) {
		case 'connecting':
			return {text: '◌ connecting', role: 'muted', priority: 8};
		case 'listing':
			return {text: `◌ listing ${connection.loaded}`, role: 'warn', priority: 8};
		case 'live':
			return {text: '● live', role: 'good', priority: 8};
		case 'reconnecting':
			return {text: `◌ reconnecting (${connection.attempt})`, role: 'warn', priority: 8};
		case 'error':
			return {text: '✖ watch failed', role: 'bad', priority: 8};
	}
}

export function modeSegment(mode: GameMode): Segment {
	if (mode.spectator) return {text: ' SPECTATOR ', role: 'spectator', priority: 10};
	if (mode.dryRun) return {text: ' DRY-RUN ', role: 'safe', priority: 10};
	if (mode.confirmed) return {text: ' ARMED ', role: 'armed', priority: 10};
	return {text: ' ARMED: asks first ', role: 'warn', priority: 10};
}

/** One line: where we are, the watch, pods by phase; on the right the mode badge and the score. */
export const StatusBar = memo(function StatusBar(props: StatusBarProps) {
	const {counts, theme} = props;
	// Separators outlive the health note (a long note used to take them first: "ns x● live2 ready"); the note's
	// own separator goes with it.
	const sep: Segment = {text: ' │ ', role: 'border', priority: 3};
	const where: Segment[] = [
		{text: ` ⎈ ${props.context}`, role: 'title', priority: 7},
		{text: ` · ns ${props.namespace}`, role: 'text', priority: 9},
		...(props.selector ? [{text: ` · ${props.selector}`, role: 'accent', priority: 6} as const] : []),
	];
	const podCounts: Segment[] = [
		{text: `${counts.ready} ready`, role: 'ready', priority: 5},
		...(counts.notReady ? [{text: ` ${counts.notReady} not ready`, role: 'not-ready', priority: 4} as const] : []),
		...(counts.pending ? [{text: ` ${counts.pending} pending`, role: 'pending', priority: 4} as const] : []),
		...(counts.terminating ? [{text: ` ${counts.terminating} terminating`, role: 'terminating', priority: 4} as const] : []),
		...(counts.failed ? [{text: ` ${counts.failed} failed`, role: 'failed', priority: 4} as const] : []),
		...(counts.unhealthy ? [{text: ` ${counts.unhealthy} unhealthy`, role: 'unhealthy', priority: 4} as const] : []),
	];
	const left: Segment[] = [
		...where,
		sep,
		props.switching ? {text: `◌ switching to ${props.switching}…`, role: 'warn', priority: 8} : connectionSegment(props.connection),
		sep,
		...podCounts,
		...(props.healthNote
			? [{...sep, priority: 2, group: 'health'} as const, {text: props.healthNote, role: 'muted', priority: 2, group: 'health'} as const]
			: []),
	];
	const right: Segment[] = [
		...(props.autopilot.on ? [{text: ' AUTOPILOT ', role: 'autopilot', priority: 9} as const, {text: ' ', role: 'text'} as const] : []),
		modeSegment(props.mode),
		{text: ` score ${props.score} `, role: 'key', priority: 9},
	];
	const rightWidth = right.reduce((sum, segment) => sum + cellsOf(segment.text), 0);
	const leftWidth = Math.max(0, props.width - rightWidth);
	return (
		<Box width={props.width} height={1} flexDirection="row" justifyContent="space-between">
			<Box width={leftWidth}>
				<SegmentLine segments={left} width={leftWidth} theme={theme} />
			</Box>
			<SegmentLine segments={right} width={Math.min(rightWidth, props.width)} theme={theme} />
		</Box>
	);
});
