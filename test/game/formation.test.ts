import assert from 'node:assert/strict';
import {test} from 'node:test';
import {computeLayout, createGame, displayOrder, invaderRects, reduce, reduceAll, type GameState} from '../../src/game/index.js';
import {pod, replicas} from './fixtures/pods.js';

function start(pods = [...replicas('web-7d9f', 3), ...replicas('api-55c8', 2), pod({name: 'lonely'})], size = {width: 120, height: 30}): GameState {
	return reduce(createGame({...size, demo: true, seed: 7}), {type: 'snapshot', pods, at: 100});
}

test('rows are grouped by owner, sorted by owner name, bare pods last', () => {
	const state = start();
	assert.deepEqual(
		state.formation.rows.map((row) => [row.label, row.slots]),
		[
			['api-55c8', ['uid-api-55c8-0', 'uid-api-55c8-1']],
			['web-7d9f', ['uid-web-7d9f-0', 'uid-web-7d9f-1', 'uid-web-7d9f-2']],
			['bare pods', ['uid-lonely']],
		],
	);
	assert.equal(state.layout.mode, 'normal');
	assert.equal(state.layout.totalPods, 6);
});

test('a pod leaving leaves a gap; nothing else moves; a replacement takes the free slot of its owner', () => {
	const before = start();
	const rectsBefore = invaderRects(before.layout);
	const gone = reduce(before, {type: 'deleted', pod: pod({name: 'web-7d9f-1', owner: 'web-7d9f'}), at: 200});
	const rectsAfter = invaderRects(gone.layout);
	assert.equal(rectsAfter.has('uid-web-7d9f-1'), false);
	for (const [uid, rect] of rectsAfter) assert.deepEqual(rect, rectsBefore.get(uid), `${uid} must not move`);
	assert.deepEqual(gone.formation.rows[1]!.slots, ['uid-web-7d9f-0', null, 'uid-web-7d9f-2']);

	const replaced = reduce(gone, {type: 'added', pod: pod({name: 'web-7d9f-x', owner: 'web-7d9f', phase: 'Pending'}), at: 300});
	assert.deepEqual(replaced.formation.rows[1]!.slots, ['uid-web-7d9f-0', 'uid-web-7d9f-x', 'uid-web-7d9f-2']);
	assert.deepEqual(invaderRects(replaced.layout).get('uid-web-7d9f-x'), rectsBefore.get('uid-web-7d9f-1'));
	// A pod of another owner never takes that slot.
	const other = reduce(gone, {type: 'added', pod: pod({name: 'api-55c8-9', owner: 'api-55c8'}), at: 300});
	assert.deepEqual(other.formation.rows[1]!.slots, ['uid-web-7d9f-0', null, 'uid-web-7d9f-2']);
	assert.deepEqual(other.formation.rows[0]!.slots, ['uid-api-55c8-0', 'uid-api-55c8-1', 'uid-api-55c8-9']);
});

test('a replacement that arrives while the old pod is still Terminating goes to a new slot, then the old slot frees', () => {
	let state = start(replicas('web', 3));
	state = reduce(state, {type: 'modified', pod: pod({name: 'web-0', owner: 'web', terminating: true}), at: 200});
	state = reduce(state, {type: 'added', pod: pod({name: 'web-new', owner: 'web', phase: 'Pending'}), at: 210});
	assert.deepEqual(state.formation.rows[0]!.slots, ['uid-web-0', 'uid-web-1', 'uid-web-2', 'uid-web-new']);
	state = reduce(state, {type: 'deleted', pod: pod({name: 'web-0', owner: 'web', terminating: true}), at: 900});
	assert.deepEqual(state.formation.rows[0]!.slots, [null, 'uid-web-1', 'uid-web-2', 'uid-web-new']);
});

test('a relist (snapshot) keeps the slots of pods that are still there and drops the missing ones', () => {
	const before = start();
	const relisted = reduce(before, {
		type: 'snapshot',
		pods: [...replicas('web-7d9f', 3).filter((p) => p.name !== 'web-7d9f-0'), pod({name: 'web-7d9f-z', owner: 'web-7d9f'}), ...replicas('api-55c8', 2)],
		at: 500,
	});
	assert.deepEqual(relisted.formation.rows.find((row) => row.label === 'web-7d9f')!.slots, ['uid-web-7d9f-z', 'uid-web-7d9f-1', 'uid-web-7d9f-2']);
	assert.equal(relisted.pods.has('uid-lonely'), false);
	assert.equal(relisted.pods.size, 5);
});

test('a pod deleted by someone else leaves the screen and is recorded as an external kill', () => {
	const state = reduce(start(), {type: 'deleted', pod: pod({name: 'api-55c8-0', owner: 'api-55c8'}), at: 400});
	assert.equal(state.pods.has('uid-api-55c8-0'), false);
	assert.equal(displayOrder(state.formation).includes('uid-api-55c8-0'), false);
	assert.equal(state.replacements.length, 1);
	assert.equal(state.replacements[0]!.actor, 'external');
	assert.equal(state.stats.external, 1);
});

test('an empty row lingers, then goes once nobody is expected to replace its pods', () => {
	let state = start([pod({name: 'solo-0', owner: 'solo'}), ...replicas('web', 2)]);
	state = reduce(state, {type: 'deleted', pod: pod({name: 'solo-0', owner: 'solo'}), at: 200});
	assert.equal(state.formation.rows.length, 2, 'the empty row stays for a while');
	// An external kill of an owned pod expects a replacement: the row is kept while it is awaited.
	state = reduce(state, {type: 'tick', dt: 200});
	for (let i = 0; i < 100; i++) state = reduce(state, {type: 'tick', dt: 250});
	assert.equal(state.formation.rows.length, 2, 'kept while a replacement is expected');
	state = reduce(state, {type: 'added', pod: pod({name: 'solo-1', owner: 'solo'}), at: state.now + 1});
	assert.deepEqual(state.formation.rows.find((row) => row.label === 'solo')!.slots, ['uid-solo-1']);
	// A bare pod has nobody to replace it: its row goes after the linger time.
	state = reduce(state, {type: 'added', pod: pod({name: 'stray'}), at: state.now + 1});
	assert.equal(state.formation.rows.length, 3);
	state = reduce(state, {type: 'deleted', pod: pod({name: 'stray'}), at: state.now + 1});
	state = reduce(state, {type: 'tick', dt: 100});
	assert.equal(state.formation.rows.length, 3, 'lingers first');
	for (let i = 0; i < 70; i++) state = reduce(state, {type: 'tick', dt: 250});
	assert.deepEqual(state.formation.rows.map((row) => row.label), ['solo', 'web']);
});

test('bulk snapshot of 5000 pods in one owner places every pod once, in name order', () => {
	const many = replicas('big', 5000);
	const state = reduceAll(createGame({width: 200, height: 50, demo: true}), [{type: 'snapshot', pods: [...many].reverse(), at: 1}]);
	const slots = state.formation.rows[0]!.slots;
	assert.equal(slots.length, 5000);
	assert.equal(new Set(slots).size, 5000);
	assert.deepEqual(slots.slice(0, 3), ['uid-big-0', 'uid-big-1', 'uid-big-2']);
	assert.equal(computeLayout(state.formation, {width: 200, height: 50}, state.metrics, 0).totalPods, 5000);
});

test('a Deployment\'s row is labelled with the Deployment name (the ReplicaSet minus its pod-template-hash)', () => {
	const base = pod({name: 'web-58d96847b5-x2kqz', owner: 'web-58d96847b5'});
	const state = start([{...base, labels: {...base.labels, 'pod-template-hash': '58d96847b5'}}, pod({name: 'db-0', owner: 'sts:db'})]);
	assert.deepEqual(state.formation.rows.map((row) => row.label), ['db', 'web']);
});
