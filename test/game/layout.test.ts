import assert from 'node:assert/strict';
import {test} from 'node:test';
import {computeLayout, createGame, defaultMetrics, invaderAt, invaderRects, reduce, type GameState} from '../../src/game/index.js';
import {emptyFormation, placePods} from '../../src/game/formation.js';
import {percentile, spread, formatDuration} from '../../src/game/stats.js';
import {pod, replicas} from './fixtures/pods.js';

const formationOf = (...groups: (readonly [string, number])[]) => placePods(emptyFormation, groups.flatMap(([owner, n]) => replicas(owner, n)));

test('a handful of pods: normal sprites, one page, every pod shown', () => {
	const layout = computeLayout(formationOf(['goldpinger', 3]), {width: 110, height: 40}, defaultMetrics, 0);
	assert.equal(layout.tooSmall, false);
	assert.equal(layout.mode, 'normal');
	assert.equal(layout.pageCount, 1);
	assert.equal(layout.shownPods, 3);
	assert.equal(layout.columns, Math.floor((110 - layout.gutter - 2 + 2) / 7));
	assert.equal(layout.cannonY, 38);
});

test('more pods than fit in normal sprites: compact sprites, still one page', () => {
	const layout = computeLayout(formationOf(['web', 300]), {width: 110, height: 40}, defaultMetrics, 0);
	assert.equal(layout.mode, 'compact');
	assert.equal(layout.pageCount, 1);
	assert.equal(layout.shownPods, 300);
});

test('more than fit in compact sprites: pages; counts above/below add up; no pod is ever dropped', () => {
	const formation = formationOf(['a', 2000], ['b', 1500], ['c', 10]);
	const size = {width: 110, height: 40};
	const first = computeLayout(formation, size, defaultMetrics, 0);
	assert.equal(first.mode, 'compact');
	assert.ok(first.pageCount > 1);
	let seen = 0;
	const uids = new Set<string>();
	for (let page = 0; page < first.pageCount; page++) {
		const layout = computeLayout(formation, size, defaultMetrics, page);
		assert.equal(layout.page, page);
		assert.equal(layout.above + layout.shownPods + layout.below, 3510);
		assert.equal(layout.above, seen);
		seen += layout.shownPods;
		for (const uid of invaderRects(layout).keys()) uids.add(uid);
	}
	assert.equal(seen, 3510);
	assert.equal(uids.size, 3510);
	// A page past the end is clamped to the last one.
	assert.equal(computeLayout(formation, size, defaultMetrics, 99).page, first.pageCount - 1);
});

test('layout at 80×24 (battlefield 52×21) and too small', () => {
	const small = computeLayout(formationOf(['web', 3]), {width: 52, height: 21}, defaultMetrics, 0);
	assert.equal(small.tooSmall, false);
	assert.equal(small.mode, 'normal');
	assert.equal(small.gutter, 0);
	assert.equal(small.shownPods, 3);
	const tiny = computeLayout(formationOf(['web', 3]), {width: 10, height: 5}, defaultMetrics, 0);
	assert.equal(tiny.tooSmall, true);
	assert.equal(tiny.shownPods, 0);
});

test('hit test: cells of a sprite map to its pod, gaps to nothing', () => {
	const layout = computeLayout(formationOf(['web', 3]), {width: 110, height: 40}, defaultMetrics, 0);
	const rect = invaderRects(layout).get('uid-web-1')!;
	assert.equal(invaderAt(layout, rect.x, rect.y), 'uid-web-1');
	assert.equal(invaderAt(layout, rect.x + rect.width - 1, rect.y + rect.height - 1), 'uid-web-1');
	assert.equal(invaderAt(layout, rect.x + rect.width, rect.y), null);
	assert.equal(invaderAt(layout, rect.x, rect.y + rect.height), null);
});

test('pages with [ and ]: tab selects a pod on another page and the page follows', () => {
	let state: GameState = createGame({width: 60, height: 14, demo: true});
	state = reduce(state, {type: 'snapshot', pods: [...replicas('a', 300), ...replicas('b', 300)], at: 1});
	assert.ok(state.layout.pageCount > 1);
	state = reduce(state, {type: 'intent', intent: 'page-next'});
	assert.equal(state.layout.page, 1);
	state = reduce(state, {type: 'intent', intent: 'page-prev'});
	state = reduce(state, {type: 'intent', intent: 'page-prev'});
	assert.equal(state.layout.page, 0);
	state = reduce(state, {type: 'intent', intent: 'prev-target'}); // wraps to the last pod: last page
	assert.equal(state.selected, 'uid-b-299');
	assert.equal(state.layout.page, state.layout.pageCount - 1);
});

test('resize reflows the formation and keeps the cannon on screen', () => {
	let state = reduce(createGame({width: 150, height: 40, demo: true}), {type: 'snapshot', pods: replicas('web', 30), at: 1});
	const wide = state.layout.columns;
	state = reduce(state, {type: 'intent', intent: 'right'});
	state = reduce(state, {type: 'resize', width: 50, height: 20});
	assert.ok(state.layout.columns < wide);
	assert.ok(state.cannon.x <= state.layout.cannonMaxX && state.cannon.x >= state.layout.cannonMinX);
	assert.equal(state.layout.above + state.layout.shownPods + state.layout.below, 30);
});

test('percentiles and durations', () => {
	assert.equal(percentile([], 0.5), undefined);
	assert.equal(percentile([5], 0.95), 5);
	assert.equal(percentile([4, 1, 3, 2], 0.5), 2);
	assert.equal(percentile([...Array.from({length: 100}, (_, i) => i + 1)], 0.95), 95);
	assert.deepEqual(spread([3000, 1000, 2000]), {n: 3, p50: 2000, p95: 3000});
	assert.equal(formatDuration(2140), '2.1 s');
	assert.equal(formatDuration(850), '850 ms');
	assert.equal(formatDuration(119_600), '2 m 00 s');
	assert.equal(formatDuration(undefined), '–');
});

test('a pod arriving after the first snapshot warps in; pods of the first snapshot do not', () => {
	let state = reduce(createGame({width: 120, height: 30, demo: true}), {type: 'snapshot', pods: replicas('web', 2), at: 1});
	assert.equal(state.effects.length, 0);
	state = reduce(state, {type: 'added', pod: pod({name: 'web-9', owner: 'web', phase: 'Pending'}), at: 5});
	assert.deepEqual(state.effects.map((effect) => effect.kind), ['warp']);
});
