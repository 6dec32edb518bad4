import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createGame, locate, reduce, sessionTimings, summarize, toReadyMs, toRunningMs, type GameState} from '../../src/game/index.js';
import type {KillResult} from '../../src/model/kill.js';
import {pod, replicas} from './fixtures/pods.js';
import {play, shoot, ticks} from './fixtures/play.js';

function start(pods = replicas('web', 3), options: Partial<Parameters<typeof createGame>[0]> = {}): GameState {
	return reduce(createGame({width: 120, height: 30, demo: true, seed: 3, ...options}), {type: 'snapshot', pods, at: 1000});
}

function result(state: GameState, uid: string, outcome: KillResult['outcome'], at: number, message = ''): KillResult {
	const attempt = state.attempts.get(uid)!;
	return {request: {uid, name: attempt.name, actor: attempt.actor}, outcome, message, at};
}

test('enter on a selected pod requests exactly one kill for its uid, and a second shot passes through', () => {
	let state = shoot(start(), 'uid-web-1');
	assert.deepEqual(state.outbox.map((entry) => entry.request), [{uid: 'uid-web-1', name: 'web-1', actor: 'player'}]);
	// Shooting again at the same pod (free fire from under it) does not ask again.
	state = reduce(state, {type: 'intent', intent: 'fire'});
	state = ticks(state, 60);
	assert.equal(state.outbox.length, 1);
	assert.equal(state.stats.hits, 1);
});

function walkCannonTo(state: GameState, x: number): GameState {
	let next = state;
	for (let i = 0; i < 200 && Math.round(next.cannon.x) !== x; i++) {
		next = reduce(next, {type: 'intent', intent: next.cannon.x < x ? 'right' : 'left'});
		if (Math.abs(next.cannon.x - x) < 2 && Math.round(next.cannon.x) !== x) next = {...next, cannon: {x}}; // steps are 2 cells
	}
	return next;
}

test('free fire hits the first live invader above the cannon and passes through a Terminating one', () => {
	// Row "api" is drawn above row "web": column 0 holds api-0 (top) and web-0 (below it).
	let state = start([...replicas('api', 1), ...replicas('web', 2)]);
	const x = locate(state.formation, state.layout, 'uid-web-0')!.x;
	assert.equal(locate(state.formation, state.layout, 'uid-api-0')!.x, x);
	state = walkCannonTo(state, x);
	state = reduce(state, {type: 'intent', intent: 'fire'});
	state = ticks(state, 60);
	assert.deepEqual([...state.attempts.keys()], ['uid-web-0'], 'the lower invader is hit first');

	let ghost = start([...replicas('api', 1), ...replicas('web', 2)]);
	ghost = reduce(ghost, {type: 'modified', pod: pod({name: 'web-0', owner: 'web', terminating: true}), at: 1500});
	ghost = walkCannonTo(ghost, x);
	ghost = reduce(ghost, {type: 'intent', intent: 'fire'});
	ghost = ticks(ghost, 60);
	assert.deepEqual([...ghost.attempts.keys()], ['uid-api-0'], 'shots pass through a dying pod');
});

test('a guided shot (enter) never hits a bystander in its path', () => {
	let state = start([...replicas('api', 1), ...replicas('web', 2)]);
	state = shoot(state, 'uid-api-0'); // web-0 stands in the way
	assert.deepEqual([...state.attempts.keys()], ['uid-api-0']);
});

test('the replacement is the next pod of the same owner; its Pending → Running → Ready times are measured from the kill', () => {
	let state = shoot(start(), 'uid-web-1');
	const id = state.outbox[0]!.id;
	state = play(state, [
		{type: 'kill-sent', id, at: 5000},
		{type: 'modified', pod: pod({name: 'web-1', owner: 'web', terminating: true}), at: 5020},
		{type: 'kill-result', result: result(state, 'uid-web-1', 'deleted', 5030)},
		// a pod of another owner does not count
		{type: 'added', pod: pod({name: 'api-0', owner: 'api', phase: 'Pending'}), at: 5040},
		{type: 'added', pod: pod({name: 'web-9', owner: 'web', phase: 'Pending', status: 'Pending'}), at: 5100},
		{type: 'modified', pod: pod({name: 'web-9', owner: 'web', phase: 'Pending', status: 'ContainerCreating'}), at: 5600},
		{type: 'modified', pod: pod({name: 'web-9', owner: 'web', phase: 'Running', ready: false}), at: 7100},
		{type: 'modified', pod: pod({name: 'web-9', owner: 'web', phase: 'Running', ready: true}), at: 7400},
	]);
	assert.equal(state.outbox.length, 0);
	const record = state.replacements.find((candidate) => candidate.killed.uid === 'uid-web-1')!;
	assert.equal(record.replacement?.name, 'web-9');
	assert.equal(record.killAt, 5000);
	assert.equal(record.pendingAt, 5100);
	assert.equal(record.creatingAt, 5600);
	assert.equal(toRunningMs(record), 2100);
	assert.equal(toReadyMs(record), 2400);
	assert.equal(record.status, 'Running');
	assert.ok((record.points ?? 0) > 0, 'a fast, clean replacement earns points');
	assert.equal(state.score, record.points);
	const summary = summarize(state);
	assert.equal(summary.kills, 1);
	assert.equal(summary.replacements, 1);
	assert.deepEqual(summary.timings.toRunning, {n: 1, p50: 2100, p95: 2100});
});

test('a replacement seen before the API answered still matches; a failed kill drops the record', () => {
	let state = shoot(start(), 'uid-web-0');
	const id = state.outbox[0]!.id;
	state = play(state, [
		{type: 'kill-sent', id, at: 2000},
		{type: 'added', pod: pod({name: 'web-new', owner: 'web', phase: 'Pending'}), at: 2010},
		{type: 'kill-result', result: result(state, 'uid-web-0', 'deleted', 2050)},
	]);
	assert.equal(state.replacements[0]!.replacement?.uid, 'uid-web-new');

	let refused = shoot(start(), 'uid-web-2');
	refused = play(refused, [
		{type: 'kill-sent', id: refused.outbox[0]!.id, at: 2000},
		{type: 'kill-result', result: result(refused, 'uid-web-2', 'refused', 2005, 'rate limit: 30 kills per minute')},
	]);
	assert.equal(refused.replacements.length, 0);
	assert.equal(refused.attempts.has('uid-web-2'), false, 'a refused pod may be shot again');
	assert.match(refused.messages.at(-1)!.text, /refused.*rate limit/);
	assert.equal(refused.stats.refused, 1);
});

test('StatefulSet: the replacement is the pod with the same name (and a new uid)', () => {
	const sts = [pod({name: 'db-0', owner: 'sts:db'}), pod({name: 'db-1', owner: 'sts:db'})];
	let state = shoot(start(sts), 'uid-db-1');
	state = play(state, [
		{type: 'kill-sent', id: state.outbox[0]!.id, at: 3000},
		{type: 'kill-result', result: result(state, 'uid-db-1', 'deleted', 3010)},
		{type: 'added', pod: pod({name: 'db-2', owner: 'sts:db', phase: 'Pending'}), at: 3100}, // a scale-up, not the replacement
		{type: 'deleted', pod: pod({name: 'db-1', owner: 'sts:db', terminating: true}), at: 3500},
		{type: 'added', pod: pod({name: 'db-1', uid: 'uid-db-1-b', owner: 'sts:db', phase: 'Pending'}), at: 3600},
		{type: 'modified', pod: pod({name: 'db-1', uid: 'uid-db-1-b', owner: 'sts:db', phase: 'Running'}), at: 4800},
	]);
	const record = state.replacements.find((candidate) => candidate.actor === 'player')!;
	assert.equal(record.replacement?.uid, 'uid-db-1-b');
	assert.equal(toRunningMs(record), 1800);
});

test('p50 / p95 over the session (nearest rank), external kills included, unconfirmed ones not', () => {
	let state = start(replicas('web', 4));
	const kills = [
		['web-0', 1000],
		['web-1', 2000],
		['web-2', 3000],
		['web-3', 10_000],
	] as const;
	let clock = 20_000;
	for (const [name, toRun] of kills) {
		state = play(state, [
			{type: 'deleted', pod: pod({name, owner: 'web'}), at: clock},
			{type: 'added', pod: pod({name: `${name}-r`, owner: 'web', phase: 'Running'}), at: clock + toRun},
		]);
		clock += 20_000;
	}
	const timings = sessionTimings(state.replacements);
	assert.equal(timings.toRunning.n, 4);
	assert.equal(timings.toRunning.p50, 2000);
	assert.equal(timings.toRunning.p95, 10_000);
	assert.equal(state.stats.external, 4);
	assert.equal(state.score, 0, 'nobody scores for kills they did not make');
});

test('shooting the last Ready replica costs points', () => {
	const pods = [pod({name: 'web-0', owner: 'web'}), pod({name: 'web-1', owner: 'web', phase: 'Pending'})];
	let state = shoot(start(pods), 'uid-web-0');
	assert.equal(state.attempts.get('uid-web-0')!.lastReady, true);
	state = play(state, [
		{type: 'kill-sent', id: state.outbox[0]!.id, at: 2000},
		{type: 'kill-result', result: result(state, 'uid-web-0', 'deleted', 2010)},
	]);
	assert.ok(state.score < 0);
	assert.match(state.messages.map((message) => message.text).join('\n'), /last Ready/);
});

test('dry run: nothing is recorded as killed and the pod can be shot again', () => {
	let state = shoot(start(replicas('web', 2), {dryRun: true}), 'uid-web-0');
	state = play(state, [
		{type: 'kill-sent', id: state.outbox[0]!.id, at: 2000},
		{type: 'kill-result', result: result(state, 'uid-web-0', 'dry-run', 2010)},
	]);
	assert.equal(state.replacements.length, 0);
	assert.equal(state.stats.dryRuns, 1);
	assert.equal(state.stats.kills, 0);
	assert.equal(state.attempts.has('uid-web-0'), false);
});
