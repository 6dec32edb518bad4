import {test} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import {render} from 'ink-testing-library';
import stringWidth from 'string-width';
import {HeatMap, heatMapLines, type HeatMapProps} from '../../src/ui/heat-map.js';
import {normaliseCheckAll} from '../../src/kube/goldpinger.js';
import type {GoldpingerResult, GoldpingerStatus} from '../../src/model/goldpinger.js';
import {checkAllV30, checkAllWithTimeout} from '../kube/goldpinger-fixtures.js';

function result(raw: unknown, receivedAt = 0): GoldpingerResult {
	const parsed = normaliseCheckAll(raw, receivedAt);
	if ('error' in parsed) throw new Error(parsed.error);
	return parsed;
}
const ok = (raw: unknown, receivedAt = 0): GoldpingerStatus => ({state: 'ok', source: 'svc goldpinger:8080', result: result(raw, receivedAt)});
const base = {now: 1200, refreshMs: 2000, width: 30, height: 12, color: false} satisfies Partial<HeatMapProps>;
const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

function assertBounded(lines: string[], width: number, height: number): void {
	assert.ok(lines.length <= height, `${lines.length} lines > ${height}`);
	for (const line of lines) {
		assert.ok(stringWidth(line) <= width, `too wide (${stringWidth(line)} > ${width}): ${JSON.stringify(line)}`);
		assert.doesNotMatch(stripAnsi(line), /[\u0000-\u001f\u007f-\u009f]/);
	}
}

test('numbers mode: values per cell, p95 row, worst pair, age always visible, readable without colour', () => {
	const lines = heatMapLines({...base, status: ok(checkAllV30)});
	assert.deepEqual(lines, [
		'Latency ms · 1.2 s ago',
		'           a   b',
		'a b        ╲   1',
		'b a      251   ╲',
		'p95      251   1',
		'worst a→b 251 ms',
		'<1 <10 <100 ≥100 ✗err ⧖t/o',
	]);
});

test('failures are marked distinctly: ⧖ timeout, ✗ refused, unreachable source row', () => {
	const lines = heatMapLines({...base, width: 40, status: ok(checkAllWithTimeout)});
	assert.equal(lines[1], '           a   b   c');
	assert.equal(lines[2], 'a jj9mw ✗ unreachable: Get "http://10.32');
	assert.equal(lines[3], 'b 4hctt    ⧖   ╲   1');
	assert.equal(lines[4], 'c tbdsb    ✗   2   ╲');
	assert.equal(lines[5], 'p95        ✗   2   1');
	assert.equal(lines[6], 'worst 4hctt→jj9mw ⧖ timeout 300 ms');
	assertBounded(lines, 40, 12);
});

test('ASCII fallback uses no box or symbol glyphs', () => {
	const lines = heatMapLines({...base, width: 40, ascii: true, status: ok(checkAllWithTimeout)});
	for (const line of lines) assert.match(line, /^[\x20-\x7e]*$/, line);
	assert.equal(lines[3], 'b 4hctt    T   \\   1');
});

test('narrow or crowded: glyph mode, slowest targets first and a count of the rest', () => {
	const responses: Record<string, unknown> = {};
	const names = Array.from({length: 30}, (_, i) => `gp-x${String(i).padStart(2, '0')}`);
	for (const source of names) {
		const podResults: Record<string, unknown> = {};
		for (const [index, target] of names.entries()) podResults[target] = {OK: true, 'response-time-ms': index === 20 ? 250 : index === 5 ? 12 : 1};
		responses[source] = {OK: true, response: {podResults}};
	}
	const lines = heatMapLines({...base, width: 28, height: 10, status: ok({responses})});
	assertBounded(lines, 28, 10);
	assert.equal(lines[1], '         a b c d e f g h i j');
	assert.match(lines[2]!, /^a x20 {4}╲ ▅ ▃ ▃/);
	assert.match(lines.join('\n'), /^hidden: 20 faster, 25 rows$/m);
	assert.match(lines.join('\n'), /worst x\d\d→x20 250 ms/);
});

test('states without data: waiting, off (one hint), error; stale data says so', () => {
	assert.deepEqual(heatMapLines({...base, width: 60, status: {state: 'waiting', source: 'svc goldpinger:8080'}}), [
		'Goldpinger: waiting for svc goldpinger:8080…',
	]);
	assert.deepEqual(heatMapLines({...base, width: 20, status: {state: 'waiting', source: 'svc goldpinger:8080'}}), [
		'Goldpinger: waiting ',
		'for svc goldpinger:8',
		'080…',
	]);
	const off = heatMapLines({...base, status: {state: 'off', source: 's', message: 'no service goldpinger:8080 in default: health colouring off'}});
	assert.equal(off.join(''), 'Goldpinger off: no service goldpinger:8080 in default: health colouring off');
	assertBounded(off, 30, 12);
	const error = heatMapLines({...base, height: 2, status: {state: 'error', source: 's', message: 'x'.repeat(200)}});
	assert.equal(error.length, 2);
	const stale = heatMapLines({...base, now: 9000, status: ok(checkAllV30, 0)});
	assert.equal(stale[0], 'Latency ms · ⚠ stale 9.0 s');
	const staleState = heatMapLines({...base, status: {...ok(checkAllV30, 0), state: 'stale', message: 'socket hang up'}});
	assert.match(staleState[0]!, /stale/);
});

test('colour: one SGR code per run, reset at the end, same visible text', () => {
	const plain = heatMapLines({...base, status: ok(checkAllV30)});
	const coloured = heatMapLines({...base, color: true, status: ok(checkAllV30)});
	assert.deepEqual(coloured.map(stripAnsi), plain);
	assert.match(coloured[3]!, /\u001b\[31m 251\u001b\[0m\u001b\[90m   ╲\u001b\[0m$/);
});

test('hostile replies never garble the grid, at any size', () => {
	const responses: Record<string, unknown> = {};
	for (let i = 0; i < 40; i++) {
		responses[`\u001b[2J\u001b]0;x\u0007pod-${i}\r\n`] = {
			OK: i % 3 !== 0,
			error: `\u001b[31m${'e'.repeat(500)}\u0000`,
			response: {podResults: {[`t\u009b-${i}`]: {OK: i % 2 === 0, 'response-time-ms': i * 37, error: '\u0007bell'}, 'w\u202eide': 'junk'}},
		};
	}
	const status = ok({responses, hosts: 'not an array'});
	for (const [width, height] of [
		[10, 1],
		[12, 3],
		[30, 8],
		[80, 40],
	] as const) {
		for (const color of [false, true]) {
			const lines = heatMapLines({...base, status, width, height, color});
			assertBounded(lines, width, height);
		}
	}
});

test('<HeatMap/> renders one line per row within its width', async () => {
	const {lastFrame, unmount} = render(<HeatMap {...base} status={ok(checkAllWithTimeout)} width={40} />);
	const frame = lastFrame() ?? '';
	unmount();
	assert.match(frame, /Latency ms · 1\.2 s ago/);
	assert.match(frame, /worst 4hctt→jj9mw ⧖ timeout 300 ms/);
	for (const line of frame.split('\n')) assert.ok(stringWidth(line) <= 40, line);
});
