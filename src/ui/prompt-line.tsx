import React, {memo} from 'react';
import {SegmentLine, type Segment} from './segments.js';
import type {PromptState} from './scope-prompt.js';
import type {Theme} from './theme.js';

const labels = {namespace: 'namespace: ', selector: 'selector: '} as const;

/** The bottom line while n or / is open: the value being typed, then why it was refused or what the keys do. */
export const PromptLine = memo(function PromptLine({width, theme, prompt}: {readonly width: number; readonly theme: Theme; readonly prompt: PromptState}) {
	const label = labels[prompt.field];
	// The end of a long value stays in sight (that is where one types).
	const room = Math.max(1, width - label.length - 3);
	const chars = Array.from(prompt.text);
	const shown = chars.length > room ? `…${chars.slice(chars.length - room + 1).join('')}` : prompt.text;
	// The reason is cut to the room left rather than dropped whole.
	const left = Math.max(0, width - 1 - label.length - Array.from(shown).length - 1);
	const reason = prompt.error ? `  ✖ ${prompt.error}` : '';
	const cut = Array.from(reason).length > left ? `${Array.from(reason).slice(0, Math.max(0, left - 1)).join('')}…` : reason;
	const segments: Segment[] = [
		{text: ` ${label}`, role: 'key', priority: 10},
		{text: shown, role: 'title', priority: 10},
		{text: '█', role: 'text', priority: 10},
		...(prompt.error
			? left > 4
				? [{text: cut, role: 'bad', priority: 5} as const]
				: []
			: [
					{text: '  ⏎', role: 'key', priority: 4, group: 'enter'} as const,
					{text: ' apply ', role: 'muted', priority: 4, group: 'enter'} as const,
					{text: ' esc', role: 'key', priority: 3, group: 'esc'} as const,
					{text: ' cancel ', role: 'muted', priority: 3, group: 'esc'} as const,
					...(prompt.field === 'selector' ? [{text: ' empty: all pods', role: 'muted', priority: 2} as const] : []),
				]),
	];
	return <SegmentLine segments={segments} width={width} theme={theme} />;
});
