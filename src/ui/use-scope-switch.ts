import type {Key} from 'ink';
import {useCallback, useEffect, useRef, useState} from 'react';
import type {GameEvent} from '../game/index.js';
import type {PodSource} from '../model/ports.js';
import {sanitizeLine} from '../model/sanitize.js';
import {checkScopeValue, promptKey, scopeLabel, type PromptState, type ScopeEngine, type ScopeField, type ScopeValidators, type SwitchScope} from './scope-prompt.js';

export interface ScopeSwitch {
	/** The engine the game plays against now (the first one until a switch succeeds). */
	readonly engine: ScopeEngine;
	/** The open prompt, if any: while it is open every key goes to it. */
	readonly prompt: PromptState | null;
	/** "ns/selector" while a switch is under way. */
	readonly switching: string | null;
	/** Key n or /: opens the prompt prefilled with the current value (or says why it cannot). */
	open(field: ScopeField): void;
	/**
	 * Every key goes here first (use-keys.ts): while the prompt is open it takes the key and says true. One
	 * handler for both, so the enter that closes the prompt is not also a shot.
	 */
	onKey(input: string, key: Key): boolean;
	/** The pod source whose events the game takes (events of an older one still in flight are dropped). */
	isCurrentSource(source: PodSource): boolean;
}

/**
 * Keys n and /: the prompt, the call to the CLI's switchScope, and the engine in use. On success the game gets a
 * `scope` event and the App re-subscribes to the new source, killer and Goldpinger feed; on failure the old
 * scope stays and the log says why in one line.
 */
export function useScopeSwitch(
	initial: ScopeEngine,
	switchScope: SwitchScope | undefined,
	validators: ScopeValidators | undefined,
	dispatch: (events: readonly GameEvent[]) => void,
	onQuit: () => void,
): ScopeSwitch {
	const [engine, setEngine] = useState(initial);
	const [prompt, setPrompt] = useState<PromptState | null>(null);
	const [switching, setSwitching] = useState<string | null>(null);
	const current = useRef(engine);
	const busy = useRef(false);
	const mounted = useRef(true);
	useEffect(
		() => () => {
			mounted.current = false;
		},
		[],
	);

	// Keys can come faster than renders: each one edits what the previous one left, not the last rendered text.
	const latestPrompt = useRef(prompt);
	const show = useCallback((next: PromptState | null) => {
		latestPrompt.current = next;
		setPrompt(next);
	}, []);
	const open = useCallback(
		(field: ScopeField) => {
			const what = field === 'namespace' ? 'switching namespace' : 'changing the label filter';
			if (!switchScope) {
				dispatch([{type: 'notice', text: `${field === 'namespace' ? 'n' : '/'}: ${what} is not available here`, tone: 'info', at: performance.now()}]);
				return;
			}
			if (busy.current) {
				dispatch([{type: 'notice', text: 'still switching; one moment', tone: 'info', at: performance.now()}]);
				return;
			}
			const {namespace, selector} = current.current.identity;
			show({field, text: field === 'namespace' ? namespace : selector});
		},
		[switchScope, dispatch, show],
	);

	const apply = useCallback(
		(field: ScopeField, value: string) => {
			if (!switchScope) return;
			const {namespace, selector} = current.current.identity;
			const target = field === 'namespace' ? {namespace: value, selector} : {namespace, selector: value};
			if (target.namespace === namespace && target.selector === selector) return;
			const label = sanitizeLine(scopeLabel(target), 100);
			busy.current = true;
			setSwitching(label);
			switchScope(target).then(
				(next) => {
					busy.current = false;
					if (!mounted.current) return;
					// The ref first: a batch of the old source's events still queued is dropped from here on.
					current.current = next;
					setEngine(next);
					setSwitching(null);
					dispatch([{type: 'scope', namespace: next.identity.namespace, selector: next.identity.selector, spectator: next.spectator, at: performance.now()}]);
				},
				(error: unknown) => {
					busy.current = false;
					if (!mounted.current) return;
					setSwitching(null);
					const reason = sanitizeLine(error instanceof Error ? error.message : error, 160) || 'unknown error';
					dispatch([{type: 'notice', text: `Could not switch to ${label}: ${reason}`, tone: 'bad', at: performance.now()}]);
				},
			);
		},
		[switchScope, dispatch],
	);

	const onKey = useCallback(
		(input: string, key: Key): boolean => {
			const open = latestPrompt.current;
			if (!open) return false;
			const step = promptKey(open, input, key);
			switch (step.kind) {
				case 'quit':
					onQuit();
					return true;
				case 'cancel':
					show(null);
					return true;
				case 'edit':
					show(step.prompt);
					return true;
				case 'submit': {
					const problem = checkScopeValue(open.field, step.value, validators);
					if (problem) {
						show({...open, error: sanitizeLine(problem, 200)});
						return true;
					}
					show(null);
					apply(open.field, step.value);
					return true;
				}
				case 'ignore':
					return true;
			}
		},
		[onQuit, validators, apply, show],
	);

	const isCurrentSource = useCallback((source: PodSource) => current.current.source === source, []);
	return {engine, prompt, switching, open, onKey, isCurrentSource};
}
