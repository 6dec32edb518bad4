import type {KillActor, KillOutcome, KillRequest, KillResult} from '../model/kill.js';
import type {Pod} from '../model/pod.js';
import type {ConnectionState, WatchEvent} from '../model/watch.js';
import {emptyFormation, type Formation} from './formation.js';
import {computeLayout, defaultMetrics, type FieldMetrics, type Layout} from './layout.js';
import type {InvaderHealth} from './look.js';
import {seedState} from './rng.js';

// The whole game as one immutable value. Times are monotonic milliseconds (performance.now() of the process),
// the clock of WatchEvent.at and KillResult.at; `now` advances with events and ticks.

export interface Invader {
	readonly pod: Pod;
	/** The pod name, sanitised for drawing. */
	readonly name: string;
	readonly rowKey: string;
	readonly firstSeenAt: number;
	/** When we first saw its deletionTimestamp (for the fade). */
	readonly terminatingSince?: number;
}

export interface Cannon {
	readonly x: number;
	/** Gliding towards this x (enter, autopilot); undefined when standing. */
	readonly targetX?: number;
	/** Fire a guided shot at this pod on arrival. */
	readonly autoFire?: {readonly uid: string; readonly actor: KillActor};
}

export interface Projectile {
	readonly id: number;
	readonly x: number;
	readonly y: number;
	readonly actor: KillActor;
	/** A guided shot (enter, autopilot) passes through every invader but this one: it never hits a bystander. */
	readonly target?: string;
	readonly page: number;
}

export type EffectKind = 'explosion' | 'warp' | 'poof' | 'deflect' | 'dry-run';

export interface Effect {
	readonly id: number;
	readonly kind: EffectKind;
	readonly x: number;
	readonly y: number;
	readonly width: number;
	readonly height: number;
	readonly startedAt: number;
	readonly durationMs: number;
	/** Effects are drawn only on the page (and layout) they happened on. */
	readonly page: number;
}

/** One kill we asked for. At most one live attempt per uid: a second shot at the same pod passes through. */
export interface KillAttempt {
	readonly id: number;
	readonly uid: string;
	readonly name: string;
	readonly rowKey: string;
	readonly actor: KillActor;
	readonly requestedAt: number;
	readonly sentAt?: number;
	readonly outcome?: KillOutcome;
	/** It was the last Ready pod of its owner when we shot it. */
	readonly lastReady: boolean;
}

/** A kill (ours or someone else's, e.g. `kubectl delete`) and the pod that replaced it. */
export interface ReplacementRecord {
	readonly id: number;
	readonly actor: KillActor | 'external';
	readonly killed: {readonly uid: string; readonly name: string; readonly rowKey: string; readonly statefulSet: boolean};
	/** Kill sent (ours) or first seen Terminating/deleted (external). */
	readonly killAt: number;
	/** The API accepted our delete (always true for external kills). */
	readonly confirmed: boolean;
	/** False for bare pods: nobody will replace them. */
	readonly expectReplacement: boolean;
	readonly lastReady: boolean;
	readonly replacement?: {readonly uid: string; readonly name: string};
	/** Latest status of the replacement ('' while waiting for it). */
	readonly status: string;
	readonly firstSeenAt?: number;
	readonly pendingAt?: number;
	readonly creatingAt?: number;
	readonly runningAt?: number;
	readonly readyAt?: number;
	/** Resilience points this kill earned (set when its replacement became Ready). */
	readonly points?: number;
	/** The player switched namespace/selector before this one was settled: no longer followed (the row stays). */
	readonly unfollowed?: boolean;
}

export interface SessionStats {
	readonly startedAt: number;
	readonly shots: number;
	readonly hits: number;
	/** Deletes the API accepted (player + autopilot). */
	readonly kills: number;
	readonly dryRuns: number;
	readonly refused: number;
	readonly failed: number;
	/** Pods deleted by someone else while we watched. */
	readonly external: number;
}

export type Tone = 'info' | 'good' | 'bad' | 'warn' | 'fun';

export interface Message {
	readonly id: number;
	readonly at: number;
	readonly text: string;
	readonly tone: Tone;
}

export interface HealthState {
	/** null: Goldpinger is not available (colouring off; `note` says why). */
	readonly byUid: ReadonlyMap<string, InvaderHealth> | null;
	readonly at: number;
	/** A hint for the status bar, e.g. "goldpinger: 2 s old" or "goldpinger: not found". */
	readonly note?: string;
}

export interface Autopilot {
	readonly on: boolean;
	readonly intervalMs: number;
	readonly nextAt: number;
}

export type Overlay = 'none' | 'help' | 'confirm';

export type Intent =
	| 'left'
	| 'right'
	| 'fire'
	| 'next-target'
	| 'prev-target'
	| 'kill-selected'
	| 'page-prev'
	| 'page-next'
	| 'autopilot'
	| 'dry-run'
	| 'help'
	| 'confirm-yes'
	| 'confirm-no'
	| 'escape';

/** Goldpinger's verdict per pod (by uid), from the health helper (src/game/health.ts). Pods absent from the
 * map are outside Goldpinger's mesh: drawn by phase alone. */
export interface HealthEvent {
	readonly type: 'health';
	readonly at: number;
	/** null: Goldpinger is not available, colouring off. */
	readonly byUid: ReadonlyMap<string, InvaderHealth> | null;
	readonly note?: string;
}

export type GameEvent =
	| WatchEvent
	| HealthEvent
	| {readonly type: 'intent'; readonly intent: Intent; readonly at?: number}
	/** The effect layer handed the kill to the PodKiller (stamped just before the call). */
	| {readonly type: 'kill-sent'; readonly id: number; readonly at: number}
	| {readonly type: 'kill-result'; readonly result: KillResult}
	/** `at` (monotonic ms), when given, sets the clock; `dt` (capped) drives the motion. */
	| {readonly type: 'tick'; readonly dt: number; readonly at?: number}
	/** Size of the battlefield (not the terminal): the UI subtracts panels and bars. */
	| {readonly type: 'resize'; readonly width: number; readonly height: number}
	| ScopeEvent
	/** A line for the log from outside the game (e.g. a namespace switch that failed). */
	| {readonly type: 'notice'; readonly text: string; readonly tone: Tone; readonly at?: number};

/**
 * The player switched to another namespace / label selector (keys n and /): the pods on screen belong to the old
 * set and go; a fresh snapshot follows from the new source. Score, stats and the replacement history stay.
 */
export interface ScopeEvent {
	readonly type: 'scope';
	readonly namespace: string;
	readonly selector: string;
	/** The user may not delete pods in the new namespace. */
	readonly spectator: boolean;
	readonly at?: number;
}

/** The namespace and label selector the pods on screen come from. */
export interface Scope {
	readonly namespace: string;
	readonly selector: string;
}

export interface PendingKill {
	readonly id: number;
	readonly request: KillRequest;
}

export interface GameMode {
	readonly demo: boolean;
	readonly dryRun: boolean;
	readonly spectator: boolean;
	/** A person said yes to killing real pods (or --yes, or the demo cluster). */
	readonly confirmed: boolean;
}

export interface GameState {
	readonly now: number;
	readonly rng: number;
	readonly nextId: number;
	readonly metrics: FieldMetrics;
	readonly size: {readonly width: number; readonly height: number};
	readonly connection: ConnectionState;
	/** A snapshot arrived: the screen shows the cluster, not "connecting". */
	readonly loaded: boolean;
	readonly pods: ReadonlyMap<string, Invader>;
	readonly formation: Formation;
	/** null until the first health event: no Goldpinger feed at all. */
	readonly health: HealthState | null;
	readonly page: number;
	readonly layout: Layout;
	readonly cannon: Cannon;
	readonly projectiles: readonly Projectile[];
	readonly effects: readonly Effect[];
	readonly selected: string | null;
	/** Kills requested and not yet handed to the PodKiller (the effect layer drains this). */
	readonly outbox: readonly PendingKill[];
	readonly attempts: ReadonlyMap<string, KillAttempt>;
	readonly replacements: readonly ReplacementRecord[];
	readonly stats: SessionStats;
	readonly score: number;
	readonly messages: readonly Message[];
	readonly mode: GameMode;
	readonly overlay: Overlay;
	/** The intent waiting for the confirmation dialog. */
	readonly pendingIntent: Intent | null;
	readonly autopilot: Autopilot;
	/** Sprite animation frame (0/1) and the clock that flips it. */
	readonly frame: 0 | 1;
	readonly frameClock: number;
	/** Pods currently Terminating (for the fade and the game loop). */
	readonly terminating: ReadonlySet<string>;
	/** Highest pod resourceVersion seen in any watch event (the bench matches frames to server changes by it). */
	readonly maxResourceVersion: number;
	readonly scope: Scope;
	/** Armed everywhere without asking (the demo cluster, --yes). */
	readonly alwaysArmed: boolean;
	/** Namespaces a person said yes for: a switch to another one asks again before the first kill. */
	readonly armedNamespaces: readonly string[];
}

export interface GameOptions {
	readonly width: number;
	readonly height: number;
	readonly seed?: number;
	readonly now?: number;
	readonly metrics?: FieldMetrics;
	readonly demo?: boolean;
	/** --yes: no confirmation before the first kill. */
	readonly yes?: boolean;
	readonly dryRun?: boolean;
	readonly spectator?: boolean;
	/** --autopilot S: starts with the autopilot on, one shot every S seconds. */
	readonly autopilotSeconds?: number;
	/** Where the pods come from (the confirmation is per namespace). */
	readonly namespace?: string;
	readonly selector?: string;
}

export const defaultAutopilotMs = 4000;

export function createGame(options: GameOptions): GameState {
	const now = options.now ?? 0;
	const metrics = options.metrics ?? defaultMetrics;
	const size = {width: options.width, height: options.height};
	const layout = computeLayout(emptyFormation, size, metrics, 0);
	const intervalMs =
		options.autopilotSeconds !== undefined && options.autopilotSeconds > 0 ? options.autopilotSeconds * 1000 : defaultAutopilotMs;
	const demo = options.demo ?? false;
	const alwaysArmed = demo || (options.yes ?? false);
	return {
		now,
		rng: seedState(options.seed ?? 1),
		nextId: 1,
		metrics,
		size,
		connection: {kind: 'connecting'},
		loaded: false,
		pods: new Map(),
		formation: emptyFormation,
		health: null,
		page: 0,
		layout,
		cannon: {x: Math.round((layout.cannonMinX + layout.cannonMaxX) / 2)},
		projectiles: [],
		effects: [],
		selected: null,
		outbox: [],
		attempts: new Map(),
		replacements: [],
		stats: {startedAt: now, shots: 0, hits: 0, kills: 0, dryRuns: 0, refused: 0, failed: 0, external: 0},
		score: 0,
		messages: [],
		mode: {demo, dryRun: options.dryRun ?? false, spectator: options.spectator ?? false, confirmed: alwaysArmed},
		overlay: 'none',
		pendingIntent: null,
		autopilot: {on: options.autopilotSeconds !== undefined && options.autopilotSeconds > 0, intervalMs, nextAt: now + intervalMs},
		frame: 0,
		frameClock: 0,
		terminating: new Set(),
		maxResourceVersion: 0,
		scope: {namespace: options.namespace ?? '', selector: options.selector ?? ''},
		alwaysArmed,
		armedNamespaces: [],
	};
}

/** Kills on a real cluster need one "yes" first (not in the demo, not with --yes, not in dry-run). */
export function needsConfirmation(state: GameState): boolean {
	return !state.mode.confirmed && !state.mode.dryRun && !state.mode.spectator;
}
