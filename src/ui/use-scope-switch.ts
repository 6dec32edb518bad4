import {useInput, type Key} from 'ink';
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
	isActive: boolean,
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
			setPrompt({field, text: field === 'namespace' ? namespace : selector});
		},
		[switchScope, dispatch],
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

	const latestPrompt = useRef(prompt);
	latestPrompt.current = prompt;
	const handler = useCallback(
		(input: string, key: Key) => {
			const open = latestPrompt.current;
			if (!open) return;
			const step = promptKey(open, input, key);
			switch (step.kind) {
				case 'quit':
					onQuit();
					return;
				case 'cancel':
					setPrompt(null);
					return;
				case 'edit':
					setPrompt(step.prompt);
					return;
				case 'submit': {
					const problem = checkScopeValue(open.field, step.value, validators);
					if (problem) {
						setPrompt({...open, error: sanitizeLine(problem, 200)});
						return;
					}
					setPrompt(null);
					apply(open.field, step.value);
					return;
				}
				case 'ignore':
					return;
			}
		},
		[onQuit, validators, apply],
	);
	// Always listening (the handler ignores keys while no prompt is open): toggling isActive would flip raw mode.
	useInput(handler, {isActive});

	const isCurrentSource = useCallback((source: PodSource) => current.current.source === source, []);
	return {engine, prompt, switching, open, isCurrentSource};
}
