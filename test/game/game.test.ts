import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createGame, nextWakeMs, reduce, type GameEvent, type GameState} from '../../src/game/index.js';
import {pod, replicas} from './fixtures/pods.js';
import {play, ticks} from './fixtures/play.js';

const loaded = (options: Partial<Parameters<typeof createGame>[0]> = {}): GameState =>
	reduce(createGame({width: 120, height: 30, seed: 42, ...options}), {type: 'snapshot', pods: [...replicas('web', 4), ...replicas('api', 3)], at: 10});

function session(seed: number): GameState {
	const events: GameEvent[] = [
		...Array.from({length: 400}, (): GameEvent => ({type: 'tick', dt: 33})),
	];
	return play(loaded({seed, demo: true, autopilotSeconds: 1}), events);
}

test('deterministic: the same seed and events give the same game', () => {
	const a = session(9);
	const b = session(9);
	assert.deepEqual(a, b);
	assert.ok(a.outbox.length >= 2, 'the autopilot fired');
	assert.ok(a.outbox.every((entry) => entry.request.actor === 'autopilot'));
	const targets = (state: GameState) => state.outbox.map((entry) => entry.request.uid).join(',');
	const differs = [1, 2, 3, 4, 5].some((seed) => targets(session(seed)) !== targets(a));
	assert.ok(differs, 'other seeds pick other targets');
});

test('the autopilot never shoots the last Ready replica and stops on any key', () => {
	let state = reduce(createGame({width: 120, height: 30, seed: 1, demo: true}), {
		type: 'snapshot',
		pods: [pod({name: 'solo-0', owner: 'solo'}), pod({name: 'duo-0', owner: 'duo'}), pod({name: 'duo-1', owner: 'duo'})],
		at: 0,
	});
	state = play(state, [{type: 'intent', intent: 'autopilot'}, ...Array.from({length: 150}, (): GameEvent => ({type: 'tick', dt: 33}))]);
	assert.ok(state.outbox.length >= 1);
	assert.ok(state.outbox.every((entry) => entry.request.uid !== 'uid-solo-0'));
	state = reduce(state, {type: 'intent', intent: 'left'});
	assert.equal(state.autopilot.on, false);
});

test('a real cluster asks once before the first shot; "no" sends nothing, "yes" arms and fires', () => {
	let state = loaded({demo: false});
	state = reduce(state, {type: 'intent', intent: 'fire'});
	assert.equal(state.overlay, 'confirm');
	assert.equal(state.projectiles.length, 0);
	state = reduce(state, {type: 'intent', intent: 'confirm-no'});
	assert.equal(state.overlay, 'none');
	assert.equal(state.projectiles.length, 0);
	state = play(state, [
		{type: 'intent', intent: 'fire'},
		{type: 'intent', intent: 'confirm-yes'},
	]);
	assert.equal(state.projectiles.length, 1);
	state = reduce(state, {type: 'intent', intent: 'fire'});
	assert.equal(state.overlay, 'none', 'asked only once');
	assert.equal(state.projectiles.length, 2);
	assert.equal(loaded({demo: false, yes: true}).mode.confirmed, true);
});

test('--autopilot on a real cluster asks first instead of firing', () => {
	const state = ticks(loaded({demo: false, autopilotSeconds: 1}), 60);
	assert.equal(state.overlay, 'confirm');
	assert.equal(state.outbox.length, 0);
	const armed = ticks(reduce(state, {type: 'intent', intent: 'confirm-yes'}), 60);
	assert.equal(armed.autopilot.on, true);
	assert.ok(armed.outbox.length >= 1);
});

test('spectator mode never fires; dry-run only ever turns on', () => {
	let spectator = loaded({demo: true, spectator: true});
	spectator = play(spectator, [
		{type: 'intent', intent: 'fire'},
		{type: 'intent', intent: 'next-target'},
		{type: 'intent', intent: 'kill-selected'},
		{type: 'intent', intent: 'autopilot'},
	]);
	spectator = ticks(spectator, 100);
	assert.equal(spectator.projectiles.length, 0);
	assert.equal(spectator.outbox.length, 0);
	assert.equal(spectator.autopilot.on, false);

	let state = loaded({demo: true});
	state = reduce(state, {type: 'intent', intent: 'dry-run'});
	assert.equal(state.mode.dryRun, true);
	state = reduce(state, {type: 'intent', intent: 'dry-run'});
	assert.equal(state.mode.dryRun, true, 'pressing d again never arms');
});

test('idle means no ticks: the loop wakes only while something moves or is due', () => {
	let state = loaded({demo: true});
	assert.equal(nextWakeMs(state), null);
	state = reduce(state, {type: 'intent', intent: 'fire'});
	assert.equal(nextWakeMs(state), 33);
	state = ticks(state, 100);
	assert.equal(state.projectiles.length, 0);
	state = ticks(state, 30); // effects end
	assert.equal(nextWakeMs(state), null);
	// A Terminating pod fades in steps: the loop wakes at the next step, not every frame.
	state = reduce(state, {type: 'modified', pod: pod({name: 'api-0', owner: 'api', terminating: true, grace: 30}), at: state.now});
	const wake = nextWakeMs(state);
	assert.ok(wake !== null && wake > 1000, `wake in ${wake} ms`);
});

test('tab cycles through live targets in display order and skips dying pods; selection follows a uid', () => {
	let state = loaded({demo: true});
	state = reduce(state, {type: 'modified', pod: pod({name: 'api-1', owner: 'api', terminating: true}), at: 20});
	const seen: string[] = [];
	for (let i = 0; i < 6; i++) {
		state = reduce(state, {type: 'intent', intent: 'next-target'});
		seen.push(state.selected!);
	}
	assert.deepEqual(seen, ['uid-api-0', 'uid-api-2', 'uid-web-0', 'uid-web-1', 'uid-web-2', 'uid-web-3']);
	state = reduce(state, {type: 'intent', intent: 'prev-target'});
	assert.equal(state.selected, 'uid-web-2');
	// The selected pod dies: the selection moves to a neighbour.
	state = reduce(state, {type: 'deleted', pod: pod({name: 'web-2', owner: 'web'}), at: 30});
	assert.ok(state.selected === 'uid-web-3' || state.selected === 'uid-web-1');
});

test('connection and Goldpinger events: health is kept by uid; a pod turning unhealthy is logged', () => {
	let state = loaded({demo: true});
	state = reduce(state, {type: 'connection', state: {kind: 'reconnecting', attempt: 1, retryInMs: 500, error: 'ECONNRESET'}, at: 50});
	assert.match(state.messages.at(-1)!.text, /reconnecting/);
	state = reduce(state, {type: 'connection', state: {kind: 'live', since: 60}, at: 60});
	assert.match(state.messages.at(-1)!.text, /live again/);
	state = reduce(state, {type: 'health', at: 70, byUid: new Map([['uid-web-0', 'healthy'], ['uid-web-1', 'healthy']])});
	state = reduce(state, {type: 'health', at: 80, byUid: new Map([['uid-web-0', 'unhealthy'], ['uid-web-1', 'healthy']])});
	assert.equal(state.health?.byUid?.get('uid-web-0'), 'unhealthy');
	assert.match(state.messages.at(-1)!.text, /web-0 unreachable by peers/);
	state = reduce(state, {type: 'health', at: 90, byUid: null, note: 'no Goldpinger at svc goldpinger:8080'});
	assert.equal(state.health?.byUid, null);
});

test('pure: reducing never changes the state it was given', () => {
	const before = loaded({demo: true});
	const copy = structuredClone(before);
	play(before, [
		{type: 'intent', intent: 'next-target'},
		{type: 'intent', intent: 'kill-selected'},
		...Array.from({length: 60}, (): GameEvent => ({type: 'tick', dt: 33})),
		{type: 'deleted', pod: pod({name: 'web-3', owner: 'web'}), at: 2000},
	]);
	assert.deepEqual(before, copy);
});
