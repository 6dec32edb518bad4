import type {Key} from 'ink';
import type {ClusterIdentity, PodKillerPort, PodSource} from '../model/ports.js';
import type {GoldpingerFeed} from './use-goldpinger.js';

// Keys n and /: a one-line prompt that edits the namespace or the label selector, and the port through which
// the CLI builds a watcher, killer and poller for the new scope. Pure parts here; the hook is use-scope-switch.ts.

export type ScopeField = 'namespace' | 'selector';

export interface ScopeTarget {
	readonly namespace: string;
	readonly selector: string;
}

/** Everything the game needs for one namespace/selector: what runGame gets at the start, and each switch. */
export interface ScopeEngine {
	readonly identity: ClusterIdentity;
	readonly source: PodSource;
	readonly killer: PodKillerPort;
	readonly goldpinger?: GoldpingerFeed;
	readonly goldpingerProblem?: string;
	readonly spectator: boolean;
}

/**
 * Builds the engine for a new scope on the same connection (the CLI: createEngine after a namespace GET) and
 * stops the old one's watcher and poller once the new one is handed over. Rejects with a one-line message.
 */
export type SwitchScope = (scope: ScopeTarget) => Promise<ScopeEngine>;

/** One line saying why a value cannot be used, or undefined. */
export type ScopeValidator = (value: string) => string | undefined;

export interface ScopeValidators {
	readonly namespace?: ScopeValidator;
	/** The CLI passes the apiserver's selector grammar (kube/errors.ts validateLabelSelector). */
	readonly selector?: ScopeValidator;
}

/** The apiserver's rule for namespace names (an RFC 1123 label), as kube/errors.ts validateNamespace has it. */
export function namespaceProblem(name: string): string | undefined {
	if (name === '') return 'a namespace name must not be empty';
	if (name.length > 63) return 'a namespace name has at most 63 characters';
	if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) return 'lower-case letters, digits and "-", starting and ending with a letter or digit';
	return undefined;
}

export interface PromptState {
	readonly field: ScopeField;
	readonly text: string;
	/** Why the last enter was refused; cleared by the next edit. */
	readonly error?: string;
}

export type PromptStep =
	| {readonly kind: 'edit'; readonly prompt: PromptState}
	| {readonly kind: 'submit'; readonly value: string}
	| {readonly kind: 'cancel'}
	| {readonly kind: 'quit'}
	| {readonly kind: 'ignore'};

/** Long enough for any selector a person types; a paste of a whole file is cut. */
export const maxPromptLength = 256;

/** One key in the open prompt: type, backspace, ctrl-u clears, enter submits, esc cancels, ctrl-c quits. */
export function promptKey(prompt: PromptState, input: string, key: Key): PromptStep {
	if (key.ctrl && input === 'c') return {kind: 'quit'};
	if (key.escape) return {kind: 'cancel'};
	if (key.return) return {kind: 'submit', value: prompt.text.trim()};
	if (key.backspace || key.delete) return {kind: 'edit', prompt: {field: prompt.field, text: Array.from(prompt.text).slice(0, -1).join('')}};
	if (key.ctrl && input === 'u') return {kind: 'edit', prompt: {field: prompt.field, text: ''}};
	if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown) {
		return {kind: 'ignore'};
	}
	// Keys typed fast (or sent by tmux) can arrive as one chunk that Ink does not split: backspace (DEL, BS) and
	// ctrl-u inside it still edit, enter applies what came before it; other control characters are dropped.
	let chars = Array.from(prompt.text);
	let changed = false;
	for (const char of input) {
		if (char === '\r' || char === '\n') return {kind: 'submit', value: chars.slice(0, maxPromptLength).join('').trim()};
		if (char === '\u007f' || char === '\b') chars = chars.slice(0, -1);
		else if (char === '\u0015') chars = [];
		else if (/[\u0000-\u001f\u007f-\u009f]/.test(char)) continue;
		else chars.push(char);
		changed = true;
	}
	if (!changed) return {kind: 'ignore'};
	return {kind: 'edit', prompt: {field: prompt.field, text: chars.slice(0, maxPromptLength).join('')}};
}

/** What the prompt says is wrong with `value`, or undefined when it can be applied. */
export function checkScopeValue(field: ScopeField, value: string, validators: ScopeValidators = {}): string | undefined {
	if (field === 'namespace') return (validators.namespace ?? namespaceProblem)(value);
	return validators.selector?.(value);
}

/** "ns" or "ns/selector" for the status bar and the log. */
export function scopeLabel(scope: ScopeTarget): string {
	return scope.selector ? `${scope.namespace}/${scope.selector}` : scope.namespace;
}
