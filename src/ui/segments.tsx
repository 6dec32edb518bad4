import React from 'react';
import {Text} from 'ink';
import {textProps, type Role, type Theme} from './theme.js';

// A line made of styled pieces that must fit a width: pieces with the lowest priority go first.

export interface Segment {
	readonly text: string;
	readonly role: Role;
	/** Higher stays longer when the line is too narrow (default 1). */
	readonly priority?: number;
	/** Segments of one group are dropped together (a key and what it does). */
	readonly group?: string;
}

export const cellsOf = (text: string): number => Array.from(text).length;

export function fitSegments(segments: readonly Segment[], width: number): Segment[] {
	const kept = [...segments];
	const total = () => kept.reduce((sum, segment) => sum + cellsOf(segment.text), 0);
	while (kept.length > 1 && total() > width) {
		let lowest = 0;
		kept.forEach((segment, index) => {
			if ((segment.priority ?? 1) < (kept[lowest]!.priority ?? 1)) lowest = index;
		});
		const group = kept[lowest]!.group;
		if (group === undefined) kept.splice(lowest, 1);
		else for (let index = kept.length - 1; index >= 0; index--) if (kept[index]!.group === group) kept.splice(index, 1);
	}
	return kept;
}

export function SegmentLine({segments, width, theme}: {readonly segments: readonly Segment[]; readonly width: number; readonly theme: Theme}) {
	const kept = fitSegments(segments, width);
	return (
		<Text wrap="truncate">
			{kept.map((segment, index) => (
				<Text key={index} {...textProps(theme, segment.role)}>
					{segment.text}
				</Text>
			))}
		</Text>
	);
}
