import React, {memo} from 'react';
import {Box, Text} from 'ink';
import {barePodPenalty, lastReadyPenalty, maxSpeedBonus, meshHealthyBonus, killPoints} from '../game/score.js';
import type {Look} from '../game/index.js';
import {keyBindings} from './use-keys.js';
import type {Sprites} from './sprites.js';
import {textProps, type Theme} from './theme.js';

const legend: readonly (readonly [Look, string])[] = [
	['ready', 'Running and Ready'],
	['not-ready', 'Running, not Ready yet'],
	['pending', 'Pending (scheduling, pulling)'],
	['creating', 'ContainerCreating'],
	['terminating', 'Terminating: fades, then gone'],
	['failed', 'Failed, CrashLoopBackOff, Unknown'],
	['done', 'Succeeded'],
	['unhealthy', 'Goldpinger: a peer cannot reach it'],
	['health-unknown', 'Goldpinger: no fresh word on it'],
];

const keyColumn = 10;

/** The `?` overlay: keys, what each invader means (shape and colour), how the score works. Fits 80×24. */
export const Help = memo(function Help({width, height, theme, sprites}: {readonly width: number; readonly height: number; readonly theme: Theme; readonly sprites: Sprites}) {
	const twoColumns = width >= 76;
	const half = twoColumns ? Math.floor((width - 2) / 2) : width - 2;
	const line = (content: React.ReactNode, key: string) => (
		<Box key={key} flexShrink={0} height={1}>
			<Text wrap="truncate">{content}</Text>
		</Box>
	);
	const keys = (
		<Box flexDirection="column" width={half} flexShrink={0}>
			{line(<Text {...textProps(theme, 'title')}>Keys</Text>, 'title')}
			{keyBindings.map(([key, what]) =>
				line(
					<>
						<Text {...textProps(theme, 'key')}>{key.padEnd(keyColumn)}</Text>
						<Text {...textProps(theme, 'text')}>{what}</Text>
					</>,
					key,
				),
			)}
		</Box>
	);
	const looks = (
		<Box flexDirection="column" width={half} flexShrink={0}>
			{line(<Text {...textProps(theme, 'title')}>Invaders: shape and colour say the same</Text>, 'title')}
			{legend.map(([look, what]) =>
				line(
					<>
						<Text {...textProps(theme, look)}>{sprites.normal.looks[look][0]![0]}</Text>
						<Text> </Text>
						<Text {...textProps(theme, look)}>{sprites.compact.looks[look][0]![0]}</Text>
						<Text {...textProps(theme, 'text')}> {what}</Text>
					</>,
					look,
				),
			)}
		</Box>
	);
	return (
		<Box flexDirection="column" width={width} height={height} paddingX={1} overflow="hidden">
			{line(<Text {...textProps(theme, 'title')}>Every invader is a pod of the namespace; a hit deletes it through the API.</Text>, 'intro')}
			{line(<Text> </Text>, 'gap1')}
			<Box flexDirection={twoColumns ? 'row' : 'column'} flexShrink={0}>
				{keys}
				{!twoColumns && line(<Text> </Text>, 'gap2')}
				{looks}
			</Box>
			{line(<Text> </Text>, 'gap3')}
			<Box flexShrink={0}>
				<Text wrap="wrap" {...textProps(theme, 'muted')}>
					Score rewards resilience, not carnage: +{killPoints} a kill, up to +{maxSpeedBonus} when the replacement is Ready fast, +{meshHealthyBonus} when
					Goldpinger stays healthy; {lastReadyPenalty} for the last Ready replica, {barePodPenalty} for a pod nobody replaces. Any key: back.
				</Text>
			</Box>
		</Box>
	);
});
