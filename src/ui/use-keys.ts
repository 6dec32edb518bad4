import {useInput, type Key} from 'ink';
import {useCallback, useRef} from 'react';
import type {Intent, Overlay} from '../game/index.js';
import type {ScopeField} from './scope-prompt.js';

export type KeyAction = {readonly intent: Intent} | {readonly quit: true} | {readonly prompt: ScopeField} | undefined;

/** The key bindings of DESIGN §5, as data (the help overlay shows the same table). */
export const keyBindings: readonly (readonly [keys: string, what: string])[] = [
	['← → h l', 'move the cannon'],
	['space', 'fire straight up'],
	['tab ⇧tab', 'next / previous target'],
	['enter', 'cannon to the target, fire'],
	['[ ]', 'previous / next page'],
	['a', 'autopilot (any key stops it)'],
	['d', 'dry-run (only towards safer)'],
	['n', 'switch namespace'],
	['/', 'label filter (selector)'],
	['esc', 'cancel, close a dialog'],
	['?', 'this help'],
	['q ctrl-c', 'quit'],
];

/** One key → one action, given what is on screen. Pure, so it is tested without a terminal. */
export function keyAction(input: string, key: Key, overlay: Overlay, autopilot = false): KeyAction {
	if ((key.ctrl && input === 'c') || input === 'q') return {quit: true};
	if (overlay === 'confirm') {
		if (input === 'y' || input === 'Y') return {intent: 'confirm-yes'};
		if (input === 'n' || input === 'N' || key.escape) return {intent: 'confirm-no'};
		return undefined;
	}
	if (key.leftArrow || input === 'h') return {intent: 'left'};
	if (key.rightArrow || input === 'l') return {intent: 'right'};
	if (input === ' ') return {intent: 'fire'};
	if (key.tab) return {intent: key.shift ? 'prev-target' : 'next-target'};
	if (key.return) return {intent: 'kill-selected'};
	if (input === '[') return {intent: 'page-prev'};
	if (input === ']') return {intent: 'page-next'};
	if (input === 'a') return {intent: 'autopilot'};
	if (input === 'd') return {intent: 'dry-run'};
	if (input === '?') return {intent: 'help'};
	if (overlay === 'none' && input === 'n') return {prompt: 'namespace'};
	if (overlay === 'none' && input === '/') return {prompt: 'selector'};
	if (key.escape) return {intent: 'escape'};
	// Any other key closes the help overlay and stops the autopilot.
	return overlay === 'help' || autopilot ? {intent: 'escape'} : undefined;
}

/** Reads keys (when stdin is a TTY) and turns them into game intents, a prompt (n, /) or quit. */
export function useKeys(
	overlay: Overlay,
	autopilot: boolean,
	onIntent: (intent: Intent) => void,
	onQuit: () => void,
	isActive: boolean,
	onPrompt: (field: ScopeField) => void = () => {},
	/** Sees every key first and says true when it took it (the open n or / prompt). */
	intercept: (input: string, key: Key) => boolean = () => false,
): void {
	const current = useRef({overlay, autopilot});
	current.current = {overlay, autopilot};
	const handler = useCallback(
		(input: string, key: Key) => {
			if (intercept(input, key)) return;
			const action = keyAction(input, key, current.current.overlay, current.current.autopilot);
			if (!action) return;
			if ('quit' in action) onQuit();
			else if ('prompt' in action) onPrompt(action.prompt);
			else onIntent(action.intent);
		},
		[onIntent, onQuit, onPrompt, intercept],
	);
	useInput(handler, {isActive});
}
