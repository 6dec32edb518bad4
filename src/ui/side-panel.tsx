import React, {memo} from 'react';
import {Box, Text} from 'ink';
import {formatDuration, sessionTimings, type Message, type ReplacementRecord, type SessionStats, type Tone} from '../game/index.js';
import {Replacements} from './replacements.js';
import {textProps, type Role, type Theme} from './theme.js';

const toneRoles: Readonly<Record<Tone, Role>> = {info: 'text', good: 'good', bad: 'bad', warn: 'warn', fun: 'fun'};

export function SectionTitle({title, width, theme}: {readonly title: string; readonly width: number; readonly theme: Theme}) {
	const rest = Math.max(0, width - Array.from(title).length - 3);
	return (
		<Text wrap="truncate">
			<Text {...textProps(theme, 'border')}>─ </Text>
			<Text {...textProps(theme, 'title')}>{title}</Text>
			<Text {...textProps(theme, 'border')}> {'─'.repeat(rest)}</Text>
		</Text>
	);
}

export interface SidePanelProps {
	readonly width: number;
	readonly height: number;
	readonly theme: Theme;
	readonly replacements: readonly ReplacementRecord[];
	readonly stats: SessionStats;
	readonly messages: readonly Message[];
	/** The Goldpinger heat map (src/ui/heat-map.tsx), drawn in its own section; given its size. */
	readonly heatMap?: (size: {readonly width: number; readonly height: number}) => React.ReactNode;
	/** Shown instead of a heat map when Goldpinger is off. */
	readonly heatNote?: string;
}

/** Height budget of the panel's sections: replacement rows, heat-map lines, log lines. */
export function panelBudget(height: number, records: number, heat: boolean): {rows: number; heat: number; log: number} {
	const fixed = 1 + 1 + 3; // title, table heading, three stat lines
	const heatLines = heat ? Math.max(0, Math.min(9, Math.floor((height - fixed) / 3))) : 0;
	const heatBlock = heat ? 1 + heatLines : 0;
	const logMin = 1 + 2;
	const rows = Math.max(1, Math.min(Math.max(1, records), height - fixed - heatBlock - logMin));
	const log = Math.max(0, height - fixed - rows - heatBlock - 1);
	return {rows, heat: heatLines, log};
}

export const SidePanel = memo(function SidePanel(props: SidePanelProps) {
	const {width, height, theme, stats} = props;
	const inner = Math.max(10, width - 2);
	const heat = props.heatMap !== undefined || props.heatNote !== undefined;
	const budget = panelBudget(height, props.replacements.length, heat);
	const timings = sessionTimings(props.replacements);
	const killsLine = [
		`kills ${stats.kills}`,
		...(stats.external ? [`by others ${stats.external}`] : []),
		...(stats.dryRuns ? [`dry ${stats.dryRuns}`] : []),
		...(stats.refused + stats.failed ? [`refused ${stats.refused + stats.failed}`] : []),
		`replaced ${props.replacements.filter((record) => record.confirmed && record.replacement).length}`,
	].join(' · ');
	const messages = props.messages.slice(-budget.log);
	return (
		<Box
			flexDirection="column"
			width={width}
			height={height}
			paddingLeft={1}
			borderStyle="single"
			borderTop={false}
			borderBottom={false}
			borderRight={false}
			{...(theme.color ? {borderColor: 'gray'} : {})}
			overflow="hidden"
		>
			<SectionTitle title="Replacements" width={inner} theme={theme} />
			<Box height={budget.rows + 1} flexDirection="column" overflow="hidden">
				<Replacements records={props.replacements} width={inner} rows={budget.rows} theme={theme} />
			</Box>
			<Text wrap="truncate" {...textProps(theme, 'text')}>
				{killsLine}
			</Text>
			<Text wrap="truncate">
				<Text {...textProps(theme, 'muted')}>t→Run   </Text>
				<Text {...textProps(theme, 'accent')}>
					p50 {formatDuration(timings.toRunning.p50)} · p95 {formatDuration(timings.toRunning.p95)}
				</Text>
			</Text>
			<Text wrap="truncate">
				<Text {...textProps(theme, 'muted')}>t→Ready </Text>
				<Text {...textProps(theme, 'accent')}>
					p50 {formatDuration(timings.toReady.p50)} · p95 {formatDuration(timings.toReady.p95)}
				</Text>
			</Text>
			{heat && (
				<Box flexDirection="column" height={budget.heat + 1} overflow="hidden">
					<SectionTitle title="Latency heat (ms)" width={inner} theme={theme} />
					{props.heatMap ? (
						props.heatMap({width: inner, height: budget.heat})
					) : (
						<Text wrap="truncate" {...textProps(theme, 'muted')}>
							{props.heatNote}
						</Text>
					)}
				</Box>
			)}
			<SectionTitle title="Log" width={inner} theme={theme} />
			{/* Newest at the bottom; long lines wrap and push the oldest out of the top. */}
			<Box flexDirection="column" height={budget.log} overflow="hidden" justifyContent="flex-end">
				{messages.map((message) => (
					<Box key={message.id} flexShrink={0}>
						<Text wrap="wrap" {...textProps(theme, toneRoles[message.tone])}>
							{message.text}
						</Text>
					</Box>
				))}
			</Box>
		</Box>
	);
});
