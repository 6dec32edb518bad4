import assert from 'node:assert/strict';
import {test} from 'node:test';
import {cachedGet, InkOutputClass, installOutputCache, type InkOutput} from '../../src/ui/ink-output-cache.js';

// The cached Output.get must give exactly Ink's frame: same operations through both, compared as strings.

const originalGet = InkOutputClass.prototype.get;

/** A small deterministic generator (the frames are random but the same on every run). */
function generator(seed: number): (n: number) => number {
	let state = seed >>> 0;
	return (n) => {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		return state % n;
	};
}

const pieces = ['a', 'b', ' ', '█', '▄▀', '─', '界', '😀', 'é', 'x y', '·', '\u001b[32m', '\u001b[1;31m', '\u001b[0m', '\u001b[2m', '\u001b[39m', '\u001b[7m'];

function randomText(next: (n: number) => number): string {
	const lines = 1 + next(3);
	return Array.from({length: lines}, () => Array.from({length: next(24)}, () => pieces[next(pieces.length)]).join('')).join('\n');
}

type Op = {kind: 'write'; x: number; y: number; text: string; upper: boolean} | {kind: 'clip'; x1?: number; x2?: number; y1?: number; y2?: number} | {kind: 'unclip'};

function randomFrame(next: (n: number) => number, width: number, height: number): Op[] {
	const ops: Op[] = [];
	let depth = 0;
	for (let count = 0; count < 12; count++) {
		const roll = next(10);
		if (roll < 6) ops.push({kind: 'write', x: next(width + 4) - 2, y: next(height + 2) - 1, text: randomText(next), upper: next(5) === 0});
		else if (roll < 8) {
			const horizontal = next(2) === 0;
			const vertical = next(2) === 0;
			ops.push({
				kind: 'clip',
				...(horizontal ? {x1: next(width), x2: next(width) + 2} : {}),
				...(vertical ? {y1: next(height), y2: next(height) + 1} : {}),
			});
			depth++;
		} else if (depth > 0) {
			ops.push({kind: 'unclip'});
			depth--;
		}
	}
	return ops;
}

function play(ops: readonly Op[], width: number, height: number, get: (this: InkOutput) => {output: string; height: number}) {
	const output = new InkOutputClass({width, height});
	for (const op of ops) {
		if (op.kind === 'write') output.write(op.x, op.y, op.text, {transformers: op.upper ? [(line, index) => `${index}:${line.toUpperCase()}`] : []});
		else if (op.kind === 'clip') output.clip({x1: op.x1, x2: op.x2, y1: op.y1, y2: op.y2});
		else output.unclip();
	}
	return get.call(output);
}

test('the cached Output.get gives the same frame as Ink\'s, frame after frame', () => {
	const next = generator(42);
	const width = 30;
	const height = 8;
	let previous: Op[] = [];
	for (let frame = 0; frame < 300; frame++) {
		// Half the frames repeat the previous one with one write changed, as a game frame does.
		const ops = frame % 2 === 1 && previous.length > 0 ? previous.map((op, index) => (index === 0 && op.kind === 'write' ? {...op, text: randomText(next)} : op)) : randomFrame(next, width, height);
		previous = ops;
		const expected = play(ops, width, height, originalGet);
		const actual = play(ops, width, height, cachedGet);
		assert.equal(actual.height, expected.height);
		assert.equal(actual.output, expected.output, `frame ${frame}`);
		// A second time through the warm caches and row memo.
		assert.equal(play(ops, width, height, cachedGet).output, expected.output, `frame ${frame} again`);
	}
});

test('installOutputCache patches Ink 6.8 once', () => {
	assert.equal(installOutputCache(), true);
	assert.equal(InkOutputClass.prototype.get, cachedGet);
	assert.equal(installOutputCache(), true);
	InkOutputClass.prototype.get = originalGet;
});
