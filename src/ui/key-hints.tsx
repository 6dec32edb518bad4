import React, {memo} from 'react';
import type {Overlay} from '../game/index.js';
import {SegmentLine, type Segment} from './segments.js';
import type {Theme} from './theme.js';

const hint = (key: string, what: string, priority: number): Segment[] => [
	{text: ` ${key}`, role: 'key', priority, group: key},
	{text: ` ${what} `, role: 'muted', priority, group: key},
];

/** The bottom line: what the keys do right now. */
export const KeyHints = memo(function KeyHints({width, theme, overlay, spectator}: {readonly width: number; readonly theme: Theme; readonly overlay: Overlay; readonly spectator: boolean}) {
	const segments: Segment[] =
		overlay === 'confirm'
			? [...hint('y', 'arm and fire', 9), ...hint('n/esc', 'hold fire', 9), ...hint('q', 'quit', 8)]
			: overlay === 'help'
				? [...hint('any key', 'back to the game', 9), ...hint('q', 'quit', 8)]
				: [
						...hint('←/→', 'move', 9),
						...(spectator ? [] : hint('space', 'fire', 9)),
						...hint('tab', 'target', 8),
						...(spectator ? [] : hint('⏎', 'kill', 8)),
						...hint('[ ]', 'page', 5),
						...(spectator ? [] : hint('a', 'autopilot', 4)),
						...(spectator ? [] : hint('d', 'dry-run', 3)),
						...hint('n', 'namespace', 2),
						...hint('/', 'filter', 2),
						...hint('?', 'help', 7),
						...hint('q', 'quit', 9),
					];
	return <SegmentLine segments={segments} width={width} theme={theme} />;
});
