import type {KillActor, KillResult} from '../model/kill.js';
import type {Pod} from '../model/pod.js';
import {sanitizeLine} from '../model/sanitize.js';
import type {ConnectionState} from '../model/watch.js';
import {
	bareRowKey,
	displayOrder,
	dropStaleRows,
	emptyFormation,
	placePod,
	reconcileFormation,
	removePod,
	rowKeyOf,
	type Formation,
} from './formation.js';
import {computeLayout, formationTop, invaderAt, invaderRects, locate, type Layout, type Rect} from './layout.js';
import {appendMessage, quip, type QuipKind} from './messages.js';
import {nextInt} from './rng.js';
import {barePodPenalty, lastReadyPenalty, replacementPoints} from './score.js';
import {
	needsConfirmation,
	type EffectKind,
	type GameEvent,
	type GameState,
	type HealthState,
	type Intent,
	type Invader,
	type KillAttempt,
	type ReplacementRecord,
	type ScopeEvent,
	type Tone,
} from './state.js';
import {formatDuration} from './stats.js';
import {cannonSpeed, effectDurations, maxPlayerShots, maxTickMs, projectileSpeed, spriteFlipMs} from './timing.js';

// The reducer: events in, a new state out. No I/O, no clock, no Math.random: the same events give the same game.
// A batch of events is applied to one working copy (so a storm of 1000 watch events costs one copy, not 1000).

type Mutable<T> = {-readonly [K in keyof T]: T[K]};

interface Work {
	readonly before: GameState;
	readonly d: Mutable<GameState>;
	podsOwned: boolean;
	layoutDirty: boolean;
	/** Pods that arrived in this batch after the first snapshot: they warp in. */
	readonly arrivals: string[];
	oldRects?: Map<string, Rect>;
}

export function reduce(state: GameState, event: GameEvent): GameState {
	return reduceAll(state, [event]);
}

export function reduceAll(state: GameState, events: readonly GameEvent[]): GameState {
	if (events.length === 0) return state;
	const work: Work = {before: state, d: {...state}, podsOwned: false, layoutDirty: false, arrivals: []};
	for (const event of events) apply(work, event);
	finish(work);
	return work.d;
}

/** Advance the animation by dtMs (the game loop calls this only while something moves). */
export function tick(state: GameState, dtMs: number): GameState {
	return reduce(state, {type: 'tick', dt: dtMs});
}

function seeVersion(work: Work, pod: Pod): void {
	const version = Number(pod.resourceVersion);
	if (Number.isFinite(version) && version > work.d.maxResourceVersion) work.d.maxResourceVersion = version;
}

function apply(work: Work, event: GameEvent): void {
	const d = work.d;
	if ('at' in event && typeof event.at === 'number' && event.at > d.now) d.now = event.at;
	if (event.type === 'snapshot') for (const pod of event.pods) seeVersion(work, pod);
	if (event.type === 'added' || event.type === 'modified' || event.type === 'deleted') seeVersion(work, event.pod);
	switch (event.type) {
		case 'snapshot':
			onSnapshot(work, event.pods, event.at);
			return;
		case 'added':
		case 'modified':
			upsert(work, event.pod, event.at, true);
			return;
		case 'deleted':
			remove(work, event.pod.uid, event.at, true);
			return;
		case 'connection':
			onConnection(work, event.state);
			return;
		case 'health':
			onHealth(work, event.byUid, event.at, event.note);
			return;
		case 'intent':
			onIntent(work, event.intent);
			return;
		case 'kill-sent':
			onKillSent(work, event.id, event.at);
			return;
		case 'kill-result':
			if (event.result.at > d.now) d.now = event.result.at;
			onKillResult(work, event.result);
			return;
		case 'tick':
			onTick(work, Math.min(maxTickMs, Math.max(0, event.dt)), event.at === undefined);
			return;
		case 'resize':
			if (event.width !== d.size.width || event.height !== d.size.height) {
				d.size = {width: Math.max(0, event.width), height: Math.max(0, event.height)};
				work.layoutDirty = true;
			}
			return;
		case 'scope':
			onScope(work, event);
			return;
		case 'notice':
			say(work, sanitizeLine(event.text, 200), event.tone);
			return;
	}
}

// ── helpers ────────────────────────────────────────────────────────────────────────────────────────────────

function pods(work: Work): Map<string, Invader> {
	if (!work.podsOwned) {
		work.d.pods = new Map(work.d.pods);
		work.podsOwned = true;
	}
	return work.d.pods as Map<string, Invader>;
}

function setFormation(work: Work, formation: Formation): void {
	if (formation === work.d.formation) return;
	work.d.formation = formation;
	work.layoutDirty = true;
}

function layoutOf(work: Work): Layout {
	const d = work.d;
	if (work.layoutDirty) {
		d.layout = computeLayout(d.formation, d.size, d.metrics, d.page);
		d.page = d.layout.page;
		work.layoutDirty = false;
	}
	return d.layout;
}

function takeId(work: Work): number {
	const id = work.d.nextId;
	work.d.nextId = id + 1;
	return id;
}

function say(work: Work, text: string, tone: Tone): void {
	work.d.messages = appendMessage(work.d.messages, {id: takeId(work), at: work.d.now, text, tone});
}

function sayQuip(work: Work, kind: QuipKind, values: Readonly<Record<string, string | number>>, tone: Tone): void {
	const [text, rng] = quip(work.d.rng, kind, values);
	work.d.rng = rng;
	say(work, text, tone);
}

function addEffect(work: Work, kind: EffectKind, rect: Rect, page = layoutOf(work).page): void {
	const d = work.d;
	d.effects = [
		...d.effects,
		{id: takeId(work), kind, x: rect.x, y: rect.y, width: rect.width, height: rect.height, startedAt: d.now, durationMs: effectDurations[kind], page},
	];
}

function rectOf(work: Work, uid: string): Rect | undefined {
	return invaderRects(layoutOf(work)).get(uid);
}

/** A live attempt (in flight or accepted) blocks a second kill of the same pod. */
function hasLiveAttempt(state: Pick<GameState, 'attempts'>, uid: string): boolean {
	return state.attempts.has(uid);
}

function isTarget(state: Pick<GameState, 'attempts' | 'pods'>, uid: string): boolean {
	const invader = state.pods.get(uid);
	return invader !== undefined && invader.terminatingSince === undefined && !hasLiveAttempt(state, uid);
}

function updateRecord(work: Work, id: number, change: (record: ReplacementRecord) => ReplacementRecord | undefined): void {
	const records = work.d.replacements;
	const index = records.findIndex((record) => record.id === id);
	if (index < 0) return;
	const next = change(records[index]!);
	const copy = [...records];
	if (next) copy[index] = next;
	else copy.splice(index, 1);
	work.d.replacements = copy;
}

/** The owner as its row is labelled (a Deployment's name rather than its ReplicaSet's). */
function ownerName(state: Pick<GameState, 'formation'>, rowKey: string): string {
	return state.formation.rows.find((row) => row.key === rowKey)?.label ?? sanitizeLine(rowKey.split('\u0000')[0], 63);
}

// ── the cluster ────────────────────────────────────────────────────────────────────────────────────────────

function onSnapshot(work: Work, list: readonly Pod[], at: number): void {
	const d = work.d;
	const initial = !d.loaded;
	const incoming = new Set(list.map((pod) => pod.uid));
	for (const uid of [...d.pods.keys()]) if (!incoming.has(uid)) remove(work, uid, at, false);
	for (const pod of list) upsert(work, pod, at, false, initial);
	setFormation(work, reconcileFormation(d.formation, list, at));
	d.loaded = true;
	if (initial) {
		const owners = new Set(list.map((pod) => rowKeyOf(pod))).size;
		say(
			work,
			list.length === 0
				? 'An empty sky. Waiting for invaders.'
				: `${list.length} pod${list.length === 1 ? '' : 's'} in ${owners} formation${owners === 1 ? '' : 's'}. They look nervous.`,
			'fun',
		);
	}
}

function upsert(work: Work, pod: Pod, at: number, place: boolean, initial = false): void {
	const d = work.d;
	if (!pod.uid) return;
	const previous = d.pods.get(pod.uid);
	const rowKey = rowKeyOf(pod);
	const terminating = pod.deletionTimestamp !== undefined;
	if (!previous) {
		const invader: Invader = {
			pod,
			name: sanitizeLine(pod.name, 63),
			rowKey,
			firstSeenAt: at,
			...(terminating ? {terminatingSince: at} : {}),
		};
		pods(work).set(pod.uid, invader);
		if (place) setFormation(work, placePod(d.formation, pod));
		if (terminating) d.terminating = new Set([...d.terminating, pod.uid]);
		if (d.loaded && !initial) {
			work.arrivals.push(pod.uid);
			matchReplacement(work, invader, at);
		}
	} else {
		const becameTerminating = terminating && previous.terminatingSince === undefined;
		const invader: Invader = {
			...previous,
			pod,
			...(becameTerminating ? {terminatingSince: at} : {}),
		};
		pods(work).set(pod.uid, invader);
		if (rowKey !== previous.rowKey) {
			// Adopted or orphaned: it moves to its new owner's row (rare; the only time an invader moves).
			setFormation(work, placePod(removePod(d.formation, previous.rowKey, pod.uid, at), pod));
			pods(work).set(pod.uid, {...invader, rowKey});
		}
		if (becameTerminating) {
			d.terminating = new Set([...d.terminating, pod.uid]);
			if (!hasLiveAttempt(d, pod.uid)) recordExternalKill(work, invader, at);
		}
	}
	trackReplacement(work, pod, at);
}

function remove(work: Work, uid: string, at: number, fromFormation: boolean): void {
	const d = work.d;
	const invader = d.pods.get(uid);
	if (!invader) return;
	if (d.selected === uid) d.selected = neighbourOf(work, uid);
	const before = work.before.pods.has(uid) ? (work.oldRects ??= invaderRects(work.before.layout)).get(uid) : undefined;
	if (before) addEffect(work, 'poof', before, work.before.layout.page);
	pods(work).delete(uid);
	if (fromFormation) setFormation(work, removePod(d.formation, invader.rowKey, uid, at));
	if (d.terminating.has(uid)) {
		const terminating = new Set(d.terminating);
		terminating.delete(uid);
		d.terminating = terminating;
	}
	if (invader.terminatingSince === undefined && !hasLiveAttempt(d, uid) && d.loaded) recordExternalKill(work, invader, at);
	if (d.cannon.autoFire?.uid === uid) d.cannon = {x: d.cannon.x, ...(d.cannon.targetX === undefined ? {} : {targetX: d.cannon.targetX})};
}

function neighbourOf(work: Work, uid: string): string | null {
	const order = displayOrder(work.d.formation);
	const index = order.indexOf(uid);
	for (let step = 1; step < order.length; step++) {
		for (const candidate of [order[index + step], order[index - step]]) {
			if (candidate !== undefined && candidate !== uid && isTarget(work.d, candidate)) return candidate;
		}
	}
	return null;
}

function recordExternalKill(work: Work, invader: Invader, at: number): void {
	const d = work.d;
	const id = takeId(work);
	d.replacements = [
		...d.replacements,
		{
			id,
			actor: 'external',
			killed: {uid: invader.pod.uid, name: invader.name, rowKey: invader.rowKey, statefulSet: invader.pod.owner?.kind === 'StatefulSet'},
			killAt: at,
			confirmed: true,
			expectReplacement: invader.pod.owner !== undefined,
			lastReady: false,
			status: '',
		},
	];
	d.stats = {...d.stats, external: d.stats.external + 1};
	sayQuip(work, 'external', {name: invader.name}, 'info');
}

/** After a kill, the replacement is the next pod created with the same owner (the same name for StatefulSets). */
function matchReplacement(work: Work, invader: Invader, at: number): void {
	const record = work.d.replacements.find(
		(candidate) =>
			candidate.replacement === undefined &&
			!candidate.unfollowed &&
			candidate.expectReplacement &&
			candidate.killed.rowKey === invader.rowKey &&
			candidate.killed.uid !== invader.pod.uid &&
			candidate.killAt <= at &&
			(!candidate.killed.statefulSet || candidate.killed.name === invader.name),
	);
	if (!record) return;
	updateRecord(work, record.id, (current) => ({
		...current,
		replacement: {uid: invader.pod.uid, name: invader.name},
		firstSeenAt: at,
		status: invader.pod.status,
	}));
}

function trackReplacement(work: Work, pod: Pod, at: number): void {
	const record = work.d.replacements.find((candidate) => candidate.replacement?.uid === pod.uid && !candidate.unfollowed);
	if (!record) return;
	let next: ReplacementRecord = {...record, status: pod.deletionTimestamp ? 'Terminating' : pod.status};
	if (next.pendingAt === undefined && pod.phase === 'Pending') next = {...next, pendingAt: at};
	if (next.creatingAt === undefined && /^(ContainerCreating|PodInitializing|Init:)/.test(pod.status)) next = {...next, creatingAt: at};
	if (next.runningAt === undefined && (pod.phase === 'Running' || pod.ready)) next = {...next, runningAt: at};
	if (next.readyAt === undefined && pod.ready) next = {...next, readyAt: at};
	const becameRunning = record.runningAt === undefined && next.runningAt !== undefined;
	updateRecord(work, record.id, () => next);
	if (becameRunning && next.readyAt === undefined && next.confirmed) {
		say(work, `${next.replacement!.name} Running ${formatDuration(next.runningAt! - next.killAt)} after the kill.`, 'info');
	}
	settle(work, record.id);
}

/** Scores a record once its kill is confirmed and its replacement is Ready (in whichever order they happen). */
function settle(work: Work, id: number): void {
	const d = work.d;
	const record = d.replacements.find((candidate) => candidate.id === id);
	if (!record || record.points !== undefined || !record.confirmed || record.readyAt === undefined || !record.replacement) return;
	const toReady = record.readyAt - record.killAt;
	const scored = record.actor !== 'external';
	const points = scored ? replacementPoints(toReady, meshHealthy(d)) : 0;
	updateRecord(work, id, (current) => ({...current, points}));
	if (!scored) {
		say(work, `${record.replacement.name} replaced ${record.killed.name}: Ready in ${formatDuration(toReady)}.`, 'info');
		return;
	}
	d.score += points;
	sayQuip(work, toReady <= 5000 ? 'replacedFast' : 'replacedSlow', {new: record.replacement.name, ready: formatDuration(toReady), points}, 'good');
}

/** undefined without Goldpinger data; else true when no live pod is reported unhealthy. */
function meshHealthy(state: Pick<GameState, 'health' | 'pods'>): boolean | undefined {
	if (!state.health?.byUid) return undefined;
	for (const [uid, health] of state.health.byUid) {
		const invader = state.pods.get(uid);
		if (health === 'unhealthy' && invader && invader.terminatingSince === undefined) return false;
	}
	return true;
}

function onHealth(work: Work, byUid: HealthState['byUid'], at: number, note: string | undefined): void {
	const d = work.d;
	const before = d.health?.byUid;
	d.health = {byUid, at, ...(note ? {note: sanitizeLine(note, 60)} : {})};
	if (!byUid || !before) return;
	// Say when a live pod turns unhealthy (the book's signal); a few names at most, to keep the log readable.
	const fallen: string[] = [];
	for (const [uid, health] of byUid) {
		const invader = d.pods.get(uid);
		if (health === 'unhealthy' && before.get(uid) !== 'unhealthy' && invader && invader.terminatingSince === undefined) fallen.push(invader.name);
	}
	if (fallen.length > 0) {
		const names = fallen.slice(0, 3).join(', ') + (fallen.length > 3 ? ` and ${fallen.length - 3} more` : '');
		say(work, `Goldpinger: ${names} unreachable by peers.`, 'bad');
	}
}

function onConnection(work: Work, state: ConnectionState): void {
	const d = work.d;
	const previous = d.connection;
	d.connection = state;
	if (state.kind === 'live' && previous.kind === 'reconnecting') say(work, 'Watch is live again.', 'good');
	if (state.kind === 'reconnecting' && previous.kind !== 'reconnecting') {
		say(work, `Watch lost${state.error ? ` (${sanitizeLine(state.error, 80)})` : ''}; reconnecting…`, 'warn');
	}
	if (state.kind === 'error' && previous.kind !== 'error') say(work, `Watch failed: ${sanitizeLine(state.error, 120)}`, 'bad');
}

// ── another namespace / selector ──────────────────────────────────────────────────────────────────────────

/**
 * Keys n and /: the invaders, their formation and everything aimed at them belong to the old set and go (the new
 * source's snapshot brings the new ones, drawn as a first snapshot). Score, stats, dry-run and the replacement
 * history stay; records still waiting for a replacement stop being followed (a pod of the new set with the same
 * owner name is not their replacement). Kills not yet handed to the old killer are dropped, never sent to the
 * new one. A real cluster asks again before the first kill in a namespace nobody said yes for.
 */
function onScope(work: Work, event: ScopeEvent): void {
	const d = work.d;
	const at = event.at ?? d.now;
	d.scope = {namespace: event.namespace, selector: event.selector};
	d.pods = new Map();
	work.podsOwned = true;
	setFormation(work, emptyFormation);
	d.page = 0;
	work.layoutDirty = true;
	d.terminating = new Set();
	d.loaded = false;
	d.connection = {kind: 'connecting'};
	d.health = null;
	d.projectiles = [];
	d.effects = [];
	d.selected = null;
	d.cannon = {x: d.cannon.x};
	const unsent = new Set(d.outbox.map((entry) => entry.id));
	if (unsent.size > 0) {
		d.outbox = [];
		d.attempts = new Map([...d.attempts].filter(([, attempt]) => !unsent.has(attempt.id)));
	}
	d.replacements = d.replacements
		.filter((record) => !unsent.has(record.id))
		.map((record) => (record.readyAt === undefined && !record.unfollowed ? {...record, unfollowed: true} : record));
	if (d.overlay === 'confirm') d.overlay = 'none';
	d.pendingIntent = null;
	if (d.autopilot.on) {
		d.autopilot = {...d.autopilot, on: false};
		say(work, 'Autopilot off: new namespace, new targets.', 'info');
	}
	d.mode = {...d.mode, spectator: event.spectator, confirmed: d.alwaysArmed || d.armedNamespaces.includes(event.namespace)};
	const where = `${sanitizeLine(event.namespace, 63)}${event.selector ? ` · ${sanitizeLine(event.selector, 80)}` : ''}`;
	say(work, `Now watching ${where}.`, 'good');
	if (event.spectator) say(work, 'Spectator here: this user may not delete pods in this namespace.', 'warn');
	if (at > d.now) d.now = at;
}

// ── kills ──────────────────────────────────────────────────────────────────────────────────────────────────

function requestKill(work: Work, uid: string, actor: KillActor): void {
	const d = work.d;
	const invader = d.pods.get(uid);
	if (!invader || !isTarget(d, uid)) return;
	const id = takeId(work);
	const lastReady = invader.pod.ready && invader.rowKey !== bareRowKey && readyNeighbours(d, invader) === 0;
	const attempt: KillAttempt = {id, uid, name: invader.name, rowKey: invader.rowKey, actor, requestedAt: d.now, lastReady};
	const attempts = new Map(d.attempts);
	attempts.set(uid, attempt);
	d.attempts = attempts;
	d.outbox = [...d.outbox, {id, request: {uid, name: invader.pod.name, actor}}];
	d.replacements = [
		...d.replacements,
		{
			id,
			actor,
			killed: {uid, name: invader.name, rowKey: invader.rowKey, statefulSet: invader.pod.owner?.kind === 'StatefulSet'},
			killAt: d.now,
			confirmed: false,
			expectReplacement: invader.pod.owner !== undefined,
			lastReady,
			status: '',
		},
	];
	d.stats = {...d.stats, hits: d.stats.hits + 1};
	const rect = rectOf(work, uid);
	if (rect) addEffect(work, d.mode.dryRun ? 'dry-run' : 'explosion', rect);
	sayQuip(work, 'hit', {name: invader.name}, 'fun');
}

/** Ready, live pods of the same owner other than this one (walks only its row). */
function readyNeighbours(state: GameState, invader: Invader): number {
	const row = state.formation.rows.find((candidate) => candidate.key === invader.rowKey);
	let count = 0;
	for (const uid of row?.slots ?? []) {
		if (uid === null || uid === invader.pod.uid) continue;
		const other = state.pods.get(uid);
		if (other && other.pod.ready && other.terminatingSince === undefined && !hasLiveAttempt(state, uid)) count++;
	}
	return count;
}

function onKillSent(work: Work, id: number, at: number): void {
	const d = work.d;
	const pending = d.outbox.find((entry) => entry.id === id);
	if (!pending) return;
	d.outbox = d.outbox.filter((entry) => entry.id !== id);
	const attempt = d.attempts.get(pending.request.uid);
	if (attempt && attempt.id === id) {
		const attempts = new Map(d.attempts);
		attempts.set(attempt.uid, {...attempt, sentAt: at});
		d.attempts = attempts;
	}
	updateRecord(work, id, (record) => ({...record, killAt: at}));
}

function onKillResult(work: Work, result: KillResult): void {
	const d = work.d;
	const attempt = d.attempts.get(result.request.uid);
	if (!attempt || attempt.outcome !== undefined) return;
	const message = sanitizeLine(result.message, 120);
	const drop = () => {
		const attempts = new Map(d.attempts);
		attempts.delete(attempt.uid);
		d.attempts = attempts;
		d.outbox = d.outbox.filter((entry) => entry.id !== attempt.id);
		updateRecord(work, attempt.id, () => undefined);
	};
	switch (result.outcome) {
		case 'deleted':
		case 'evicted': {
			const attempts = new Map(d.attempts);
			attempts.set(attempt.uid, {...attempt, outcome: result.outcome});
			d.attempts = attempts;
			updateRecord(work, attempt.id, (record) => ({...record, confirmed: true}));
			d.stats = {...d.stats, kills: d.stats.kills + 1};
			sayQuip(work, 'deleted', {name: attempt.name}, 'info');
			const record = d.replacements.find((candidate) => candidate.id === attempt.id);
			if (attempt.lastReady) {
				d.score += lastReadyPenalty;
				sayQuip(work, 'outage', {name: attempt.name, owner: ownerName(d, attempt.rowKey), points: lastReadyPenalty}, 'bad');
			} else if (record && !record.expectReplacement) {
				d.score += barePodPenalty;
				sayQuip(work, 'bare', {name: attempt.name, points: barePodPenalty}, 'bad');
			}
			settle(work, attempt.id);
			return;
		}
		case 'dry-run':
			drop();
			d.stats = {...d.stats, dryRuns: d.stats.dryRuns + 1};
			sayQuip(work, 'dryRun', {name: attempt.name}, 'info');
			return;
		case 'gone':
			drop();
			say(work, `${attempt.name} was already gone.`, 'info');
			return;
		case 'refused':
		case 'deflected':
		case 'failed': {
			drop();
			const failed = result.outcome === 'failed';
			d.stats = failed ? {...d.stats, failed: d.stats.failed + 1} : {...d.stats, refused: d.stats.refused + 1};
			const rect = rectOf(work, attempt.uid);
			if (rect) addEffect(work, 'deflect', rect);
			const what = result.outcome === 'deflected' ? 'Shot deflected' : failed ? 'Kill failed' : 'Shot refused';
			say(work, `${what}: ${attempt.name}${message ? ` (${message})` : ''}`, failed ? 'bad' : 'warn');
			if (attempt.actor === 'autopilot' && d.autopilot.on) {
				d.autopilot = {...d.autopilot, on: false};
				say(work, 'Autopilot stopped: the cluster said no.', 'warn');
			}
			return;
		}
	}
}

// ── the player ─────────────────────────────────────────────────────────────────────────────────────────────

function mayShoot(work: Work, intent: Intent): boolean {
	const d = work.d;
	if (d.mode.spectator) {
		say(work, 'Spectator mode: read-only, no shots. (You may watch.)', 'warn');
		return false;
	}
	if (needsConfirmation(d)) {
		d.overlay = 'confirm';
		d.pendingIntent = intent;
		return false;
	}
	return true;
}

function onIntent(work: Work, intent: Intent): void {
	const d = work.d;
	if (d.overlay === 'confirm') {
		if (intent === 'confirm-yes') {
			const pending = d.pendingIntent;
			d.mode = {...d.mode, confirmed: true};
			if (!d.armedNamespaces.includes(d.scope.namespace)) d.armedNamespaces = [...d.armedNamespaces, d.scope.namespace];
			d.overlay = 'none';
			d.pendingIntent = null;
			say(work, 'Armed. Real pods will be deleted.', 'warn');
			if (pending) onIntent(work, pending);
		} else if (intent === 'confirm-no' || intent === 'escape') {
			d.overlay = 'none';
			d.pendingIntent = null;
			say(work, 'Holding fire. Nothing was deleted.', 'info');
		}
		return;
	}
	if (d.overlay === 'help') {
		d.overlay = 'none';
		return;
	}
	if (d.autopilot.on && intent !== 'autopilot') {
		d.autopilot = {...d.autopilot, on: false};
		say(work, 'Autopilot off: you have the controls.', 'info');
		if (intent === 'escape') return;
	}
	const layout = layoutOf(work);
	switch (intent) {
		case 'left':
		case 'right': {
			const step = layout.mode === 'normal' ? 2 : 1;
			const x = Math.round(d.cannon.x) + (intent === 'left' ? -step : step);
			d.cannon = {x: Math.min(layout.cannonMaxX, Math.max(layout.cannonMinX, x))};
			return;
		}
		case 'fire': {
			if (!mayShoot(work, intent)) return;
			const mine = d.projectiles.filter((shot) => shot.actor === 'player' && shot.target === undefined).length;
			if (mine >= maxPlayerShots) return;
			d.projectiles = [...d.projectiles, {id: takeId(work), x: Math.round(d.cannon.x), y: layout.cannonY - 1, actor: 'player', page: layout.page}];
			d.stats = {...d.stats, shots: d.stats.shots + 1};
			return;
		}
		case 'next-target':
		case 'prev-target':
			select(work, intent === 'next-target' ? 1 : -1);
			return;
		case 'kill-selected': {
			if (d.selected === null || !isTarget(d, d.selected)) select(work, 1);
			const uid = d.selected;
			if (uid === null) return;
			if (!mayShoot(work, intent)) return;
			aimAt(work, uid, 'player');
			return;
		}
		case 'page-prev':
		case 'page-next': {
			const page = Math.min(layout.pageCount - 1, Math.max(0, layout.page + (intent === 'page-next' ? 1 : -1)));
			if (page !== d.page) {
				d.page = page;
				work.layoutDirty = true;
			}
			return;
		}
		case 'autopilot':
			if (d.autopilot.on) {
				d.autopilot = {...d.autopilot, on: false};
				say(work, 'Autopilot off.', 'info');
				return;
			}
			if (!mayShoot(work, intent)) return;
			d.autopilot = {...d.autopilot, on: true, nextAt: d.now + 500};
			say(work, `Autopilot on: a random Ready pod every ${formatDuration(d.autopilot.intervalMs)}. Any key stops it.`, 'warn');
			return;
		case 'dry-run':
			if (d.mode.dryRun) {
				say(work, 'Dry-run stays on for this session (restart without --dry-run to arm).', 'info');
				return;
			}
			d.mode = {...d.mode, dryRun: true};
			say(work, 'Dry-run on: from now on the API only pretends. No way back this session.', 'good');
			return;
		case 'help':
			d.overlay = 'help';
			return;
		case 'escape':
			if (d.cannon.targetX !== undefined) d.cannon = {x: d.cannon.x};
			return;
		case 'confirm-yes':
		case 'confirm-no':
			return;
	}
}

function select(work: Work, direction: 1 | -1): void {
	const d = work.d;
	const order = displayOrder(d.formation).filter((uid) => isTarget(d, uid));
	if (order.length === 0) {
		d.selected = null;
		if (d.loaded) say(work, 'No targets: an empty sky.', 'info');
		return;
	}
	const index = d.selected === null ? -1 : order.indexOf(d.selected);
	const next = index < 0 ? (direction === 1 ? 0 : order.length - 1) : (index + direction + order.length) % order.length;
	d.selected = order[next]!;
	showPageOf(work, d.selected);
}

function showPageOf(work: Work, uid: string): void {
	const where = locate(work.d.formation, layoutOf(work), uid);
	if (where && where.page !== work.d.page) {
		work.d.page = where.page;
		work.layoutDirty = true;
	}
}

/** Glide the cannon under the pod and fire a guided shot on arrival. */
function aimAt(work: Work, uid: string, actor: KillActor): void {
	showPageOf(work, uid);
	const where = locate(work.d.formation, layoutOf(work), uid);
	if (!where) return;
	work.d.cannon = {x: work.d.cannon.x, targetX: where.x, autoFire: {uid, actor}};
}

// ── time ───────────────────────────────────────────────────────────────────────────────────────────────────

function onTick(work: Work, dt: number, advanceClock: boolean): void {
	const d = work.d;
	if (advanceClock) d.now += dt;
	d.frameClock += dt;
	if (d.frameClock >= spriteFlipMs) {
		d.frameClock %= spriteFlipMs;
		d.frame = d.frame === 0 ? 1 : 0;
	}
	moveCannon(work, dt);
	moveProjectiles(work, dt);
	if (d.effects.some((effect) => d.now - effect.startedAt >= effect.durationMs)) {
		d.effects = d.effects.filter((effect) => d.now - effect.startedAt < effect.durationMs);
	}
	runAutopilot(work);
	const expecting = new Set(
		d.replacements.filter((record) => record.expectReplacement && !record.replacement && !record.unfollowed).map((record) => record.killed.rowKey),
	);
	setFormation(work, dropStaleRows(d.formation, d.now, (rowKey) => expecting.has(rowKey)));
}

function moveCannon(work: Work, dt: number): void {
	const d = work.d;
	const {targetX, autoFire} = d.cannon;
	if (targetX === undefined) return;
	const step = (cannonSpeed * dt) / 1000;
	const distance = targetX - d.cannon.x;
	if (Math.abs(distance) > step) {
		d.cannon = {...d.cannon, x: d.cannon.x + Math.sign(distance) * step};
		return;
	}
	d.cannon = {x: targetX};
	if (!autoFire) return;
	const layout = layoutOf(work);
	if (!isTarget(d, autoFire.uid)) return;
	d.projectiles = [...d.projectiles, {id: takeId(work), x: targetX, y: layout.cannonY - 1, actor: autoFire.actor, target: autoFire.uid, page: layout.page}];
	d.stats = {...d.stats, shots: d.stats.shots + 1};
}

function moveProjectiles(work: Work, dt: number): void {
	const d = work.d;
	if (d.projectiles.length === 0) return;
	const layout = layoutOf(work);
	const travel = (projectileSpeed * dt) / 1000;
	const survivors = [];
	for (const shot of d.projectiles) {
		const y = shot.y - travel;
		let hit: string | null = null;
		if (shot.page === layout.page) {
			for (let row = Math.floor(shot.y) - 1; row >= Math.floor(y) && hit === null; row--) {
				const uid = invaderAt(layout, shot.x, row);
				if (uid === null) continue;
				if (shot.target !== undefined ? uid === shot.target : isTarget(d, uid)) hit = uid;
			}
		}
		if (hit !== null) {
			requestKill(work, hit, shot.actor);
			continue;
		}
		if (y < formationTop || shot.page !== layout.page) {
			if (shot.actor === 'player' && shot.target === undefined) sayQuip(work, 'miss', {}, 'fun');
			else if (shot.target !== undefined && !d.attempts.has(shot.target)) say(work, 'The target slipped away before the shot landed.', 'info');
			continue;
		}
		survivors.push({...shot, y});
	}
	d.projectiles = survivors;
}

function runAutopilot(work: Work): void {
	const d = work.d;
	if (!d.autopilot.on || d.now < d.autopilot.nextAt || d.cannon.targetX !== undefined) return;
	if (d.mode.spectator || needsConfirmation(d)) {
		// Started by --autopilot: it asks like a person would (and never fires in spectator mode).
		d.autopilot = {...d.autopilot, on: false};
		mayShoot(work, 'autopilot');
		return;
	}
	d.autopilot = {...d.autopilot, nextAt: d.now + d.autopilot.intervalMs};
	const eligible = displayOrder(d.formation).filter((uid) => {
		const invader = d.pods.get(uid);
		return invader !== undefined && isTarget(d, uid) && invader.pod.phase === 'Running' && invader.pod.ready && readyNeighbours(d, invader) > 0;
	});
	if (eligible.length === 0) {
		say(work, 'Autopilot: no pod can die without an outage. Waiting.', 'info');
		return;
	}
	const [index, rng] = nextInt(d.rng, eligible.length);
	d.rng = rng;
	const uid = eligible[index]!;
	d.selected = uid;
	aimAt(work, uid, 'autopilot');
}

// ── end of a batch ─────────────────────────────────────────────────────────────────────────────────────────

function finish(work: Work): void {
	const d = work.d;
	const sizeChanged = d.size !== work.before.size;
	const layout = layoutOf(work);
	if (sizeChanged || layout.mode !== work.before.layout.mode || layout.columns !== work.before.layout.columns) {
		// Screen coordinates changed meaning: shots and effects in flight are dropped, the cannon stays in bounds.
		d.projectiles = [];
		d.effects = [];
		const x = Math.min(layout.cannonMaxX, Math.max(layout.cannonMinX, Math.round(d.cannon.x)));
		d.cannon = {x};
	}
	if (work.arrivals.length > 0) {
		const rects = invaderRects(layout);
		for (const uid of work.arrivals) {
			const rect = d.pods.has(uid) ? rects.get(uid) : undefined;
			if (rect) addEffect(work, 'warp', rect);
		}
	}
	if (d.selected !== null && !d.pods.has(d.selected)) d.selected = null;
}
