// Keys n and /: the `scope` event swaps the set of pods the game shows, keeps the session.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createGame, reduce, type GameState} from '../../src/game/index.js';
import {pod, replicas} from './fixtures/pods.js';
import {play, shoot, ticks} from './fixtures/play.js';

const start = (options: Partial<Parameters<typeof createGame>[0]> = {}): GameState =>
	reduce(createGame({width: 120, height: 30, seed: 3, demo: true, namespace: 'default', ...options}), {type: 'snapshot', pods: replicas('web', 4), at: 10});

test('a scope event clears pods, formation, selection and shots; a new snapshot draws the new set', () => {
	let state = start();
	state = play(state, [{type: 'intent', intent: 'next-target'}, {type: 'intent', intent: 'fire'}]);
	assert.ok(state.selected !== null);
	assert.equal(state.projectiles.length, 1);
	state = reduce(state, {type: 'scope', namespace: 'other', selector: 'app=api', spectator: false, at: 100});
	assert.equal(state.pods.size, 0);
	assert.deepEqual(state.formation.rows, []);
	assert.equal(state.selected, null);
	assert.equal(state.projectiles.length, 0);
	assert.equal(state.loaded, false);
	assert.equal(state.connection.kind, 'connecting');
	assert.deepEqual(state.scope, {namespace: 'other', selector: 'app=api'});
	assert.match(state.messages.at(-1)!.text, /other · app=api/);
	state = reduce(state, {type: 'snapshot', pods: replicas('api', 2), at: 120});
	assert.deepEqual([...state.pods.keys()].sort(), ['uid-api-0', 'uid-api-1']);
	assert.equal(state.formation.rows.length, 1);
	assert.equal(state.effects.filter((effect) => effect.kind === 'warp').length, 0, 'the new set is a first snapshot, not arrivals');
	assert.equal(state.replacements.length, 0, 'the old pods leaving are not kills by someone else');
});

test('score, stats and the replacement history stay; a waiting record stops following and never matches the new set', () => {
	let state = shoot(start(), 'uid-web-1');
	state = reduce(state, {type: 'kill-sent', id: state.outbox[0]!.id, at: 200});
	state = reduce(state, {type: 'kill-result', result: {request: {uid: 'uid-web-1', name: 'web-1', actor: 'player'}, outcome: 'deleted', message: '', at: 210}});
	const kills = state.stats.kills;
	const score = state.score;
	assert.equal(kills, 1);
	state = reduce(state, {type: 'scope', namespace: 'other', selector: '', spectator: false, at: 300});
	assert.equal(state.stats.kills, kills);
	assert.equal(state.score, score);
	assert.equal(state.replacements.length, 1);
	assert.equal(state.replacements[0]!.unfollowed, true);
	// A pod with the same owner name in the new namespace is not web-1's replacement.
	state = reduce(state, {type: 'snapshot', pods: replicas('web', 2), at: 310});
	state = reduce(state, {type: 'added', pod: pod({name: 'web-9', owner: 'web', phase: 'Pending'}), at: 400});
	assert.equal(state.replacements[0]!.replacement, undefined);
	assert.equal(state.replacements.length, 1);
});

test('kills not yet handed to the killer are dropped at the switch (never sent to the new one)', () => {
	let state = shoot(start(), 'uid-web-2');
	assert.equal(state.outbox.length, 1);
	state = reduce(state, {type: 'scope', namespace: 'other', selector: '', spectator: false});
	assert.equal(state.outbox.length, 0);
	assert.equal(state.attempts.size, 0);
	assert.equal(state.replacements.length, 0);
});

test('a real cluster asks again in a namespace nobody said yes for; back in a confirmed one it does not', () => {
	let state = start({demo: false});
	state = play(state, [{type: 'intent', intent: 'fire'}, {type: 'intent', intent: 'confirm-yes'}]);
	assert.equal(state.mode.confirmed, true);
	state = reduce(state, {type: 'scope', namespace: 'shop', selector: '', spectator: false});
	state = reduce(state, {type: 'snapshot', pods: replicas('cart', 2), at: 50});
	assert.equal(state.mode.confirmed, false);
	state = reduce(state, {type: 'intent', intent: 'fire'});
	assert.equal(state.overlay, 'confirm');
	state = reduce(state, {type: 'intent', intent: 'confirm-no'});
	state = reduce(state, {type: 'scope', namespace: 'default', selector: 'app=web', spectator: false});
	assert.equal(state.mode.confirmed, true, 'default was confirmed before');
	// --yes and the demo never ask.
	assert.equal(reduce(start({demo: false, yes: true}), {type: 'scope', namespace: 'shop', selector: '', spectator: false}).mode.confirmed, true);
	assert.equal(reduce(start(), {type: 'scope', namespace: 'shop', selector: '', spectator: false}).mode.confirmed, true);
});

test('the switch closes a pending confirmation, stops the autopilot, keeps dry-run and takes the new spectator mode', () => {
	let state = start({demo: false, autopilotSeconds: 1});
	state = ticks(state, 40);
	assert.equal(state.overlay, 'confirm');
	state = reduce(state, {type: 'scope', namespace: 'shop', selector: '', spectator: true});
	assert.equal(state.overlay, 'none');
	assert.equal(state.pendingIntent, null);
	assert.equal(state.mode.spectator, true);
	let auto = start({autopilotSeconds: 1, dryRun: true});
	assert.equal(auto.autopilot.on, true);
	auto = reduce(auto, {type: 'scope', namespace: 'shop', selector: '', spectator: false});
	assert.equal(auto.autopilot.on, false);
	assert.equal(auto.mode.dryRun, true);
});

test('a notice event puts one sanitised line in the log', () => {
	const state = reduce(start(), {type: 'notice', text: 'namespace "nope" not found\u001b[31m', tone: 'bad'});
	assert.equal(state.messages.at(-1)!.text, 'namespace "nope" not found');
	assert.equal(state.messages.at(-1)!.tone, 'bad');
});
