import {test} from 'node:test';
import assert from 'node:assert/strict';
import {bandOfMs, bandOfPing, buildHeatMap, shortName} from '../../src/game/heatmap.js';
import {percentile} from '../../src/game/stats.js';
import {normaliseCheckAll} from '../../src/kube/goldpinger.js';
import type {GoldpingerResult} from '../../src/model/goldpinger.js';
import {checkAllV30, checkAllWithTimeout} from '../kube/goldpinger-fixtures.js';

function result(raw: unknown, receivedAt = 0): GoldpingerResult {
	const parsed = normaliseCheckAll(raw, receivedAt);
	if ('error' in parsed) throw new Error(parsed.error);
	return parsed;
}

const options = {now: 500, refreshMs: 2000, maxColumns: 10, maxRows: 10};

test("bands use Goldpinger's heatmap thresholds 1/10/100 ms; failures are their own bands", () => {
	assert.deepEqual([0, 0.9, 1, 9, 10, 99, 100, 250].map(bandOfMs), ['fast', 'fast', 'good', 'good', 'slow', 'slow', 'bad', 'bad']);
	const base = {target: 't', responseTimeMs: 300, timedOut: false};
	assert.equal(bandOfPing({...base, ok: false, timedOut: true}), 'timeout');
	assert.equal(bandOfPing({...base, ok: false}), 'error');
	assert.equal(bandOfPing(undefined), 'none');
});

test('percentile is nearest-rank; short names are the random suffix', () => {
	assert.equal(percentile([], 0.95), undefined);
	assert.equal(percentile([5], 0.95), 5);
	assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 100], 0.95), 19);
	assert.equal(percentile([3, 1, 2], 0.5), 2);
	assert.equal(shortName('goldpinger-c86c78448-5kwpp'), '5kwpp');
	assert.equal(shortName('solo'), 'solo');
	assert.equal(shortName('trailing-'), 'trail');
});

test('matrix: failed target first, unreachable source row, worst pair is the failure', () => {
	const model = buildHeatMap(result(checkAllWithTimeout), options);
	assert.deepEqual(
		model.columns.map((column) => [column.name, column.letter, column.failures, column.p95]),
		[
			['goldpinger-jj9mw', 'a', 2, undefined],
			['goldpinger-4hctt', 'b', 0, 2],
			['goldpinger-tbdsb', 'c', 0, 1],
		],
	);
	assert.deepEqual(
		model.rows.map((row) => [row.source.letter, row.ok, row.cells.map((cell) => cell.band)]),
		[
			['a', false, ['none', 'none', 'none']],
			['b', true, ['timeout', 'self', 'good']],
			['c', true, ['error', 'good', 'self']],
		],
	);
	assert.equal(model.worst?.target, 'goldpinger-jj9mw');
	assert.equal(model.worst?.cell.band, 'timeout');
	assert.equal(model.ageMs, 500);
	assert.equal(model.stale, false);
});

test("Experiment 2: the slow pod's column reads ≈250 ms and is named worst; self-pings do not count", () => {
	const model = buildHeatMap(result(checkAllV30), options);
	assert.equal(model.columns[0]!.name, 'goldpinger-b');
	assert.equal(model.columns[0]!.p95, 251); // a→b 251; b→b (252, self) left out
	assert.deepEqual(model.worst, {source: 'goldpinger-a', target: 'goldpinger-b', cell: {band: 'bad', ms: 251}});
	assert.equal(model.rows[0]!.cells[0]!.band, 'self');
});

test('more targets than fit: the slowest first, with a count of the rest; rows bounded too', () => {
	const responses: Record<string, unknown> = {};
	const names = Array.from({length: 12}, (_, i) => `gp-${String(i).padStart(2, '0')}`);
	for (const source of names) {
		const podResults: Record<string, unknown> = {};
		for (const [index, target] of names.entries()) podResults[target] = {OK: true, 'response-time-ms': index === 7 ? 150 : index === 3 ? 20 : 1};
		responses[source] = {OK: true, response: {podResults}};
	}
	const model = buildHeatMap(result({responses}), {...options, maxColumns: 4, maxRows: 3});
	assert.deepEqual(
		model.columns.map((column) => column.name),
		['gp-07', 'gp-03', 'gp-00', 'gp-01'],
	);
	assert.equal(model.hiddenColumns, 8);
	assert.equal(model.rows.length, 3);
	assert.equal(model.hiddenRows, 9);
	assert.deepEqual(
		model.rows.map((row) => row.source.name),
		['gp-07', 'gp-03', 'gp-00'],
	);
	// same pod, same letter in rows and columns
	assert.deepEqual(
		model.rows.map((row) => row.source.letter),
		['a', 'b', 'c'],
	);
});

test('no result → empty and stale; old result → stale', () => {
	const empty = buildHeatMap(undefined, options);
	assert.equal(empty.columns.length, 0);
	assert.equal(empty.stale, true);
	assert.equal(empty.ageMs, undefined);
	const old = buildHeatMap(result(checkAllV30, 0), {...options, now: 6001});
	assert.equal(old.stale, true);
	assert.equal(old.ageMs, 6001);
});
