import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createGame, reduce, type GameState} from '../../src/game/index.js';
import type {GoldpingerResult, GoldpingerStatus} from '../../src/model/goldpinger.js';
import {screenLayout} from '../../src/ui/app.js';
import {Canvas} from '../../src/ui/canvas.js';
import {composeCanvas, composeField} from '../../src/ui/compose-field.js';
import {fixIncrementalFrame} from '../../src/ui/ink-incremental-fix.js';
import {replacementRows, shortName} from '../../src/ui/replacements.js';
import {fitSegments} from '../../src/ui/segments.js';
import {loadSprites, parseSprites, SpriteError} from '../../src/ui/sprites.js';
import {pickTheme, sgr, themes} from '../../src/ui/theme.js';
import {healthEvent} from '../../src/ui/use-goldpinger.js';
import {keyAction} from '../../src/ui/use-keys.js';
import {pod, replicas} from '../game/fixtures/pods.js';

const sprites = loadSprites();
const where = {where: 'demo/default', selector: ''};

function game(pods = replicas('web', 3), width = 100, height = 30): GameState {
	return reduce(createGame({width, height, demo: true}), {type: 'snapshot', pods, at: 1});
}

const noKey = {upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false};

test('the sprite asset is valid and a broken one is refused with where it broke', () => {
	assert.equal(sprites.normal.width, 5);
	assert.equal(sprites.compact.looks.ready[0]![0], '█');
	const broken = JSON.parse(JSON.stringify({...sprites, normal: {...sprites.normal, looks: {...sprites.normal.looks, ready: [['▄▀█▀', '█▀▀▀█'], ['▄▀█▀▄', '▀█▀█▀']]}}}));
	assert.throws(() => parseSprites(broken), (error: unknown) => error instanceof SpriteError && /normal\.looks\.ready\[0\]\[0\]/.test(error.message));
});

test('every look has its own glyphs (readable without colour)', () => {
	const tops = Object.values(sprites.normal.looks).map((frames) => frames[0]!.join('|'));
	assert.equal(new Set(tops).size, tops.length);
	const glyphs = Object.values(sprites.compact.looks).map((frames) => frames[0]![0]);
	assert.equal(new Set(glyphs).size, glyphs.length);
});

test('rows: one escape per run of same-styled cells, none on blanks, reset at the end', () => {
	const canvas = new Canvas(12, 1);
	canvas.put(0, 0, 'ab', 'ready');
	canvas.put(2, 0, 'cd', 'ready');
	canvas.put(5, 0, 'x', 'bad');
	const [line] = canvas.toLines(themes.dark);
	assert.equal(line, '\u001b[32mabcd\u001b[0m \u001b[91mx\u001b[0m      ');
	const [mono] = canvas.toLines(themes.mono);
	assert.equal(mono, 'abcd x      ');
});

test('NO_COLOR and FORCE_COLOR=0 pick the mono theme; mono keeps no colour codes', () => {
	assert.equal(pickTheme({NO_COLOR: '1'}).name, 'mono');
	assert.equal(pickTheme({FORCE_COLOR: '0'}).name, 'mono');
	assert.equal(pickTheme({NO_COLOR: ''}).name, 'dark');
	assert.equal(pickTheme({}).name, 'dark');
	for (const style of Object.values(themes.mono.styles)) assert.doesNotMatch(sgr(style, themes.mono.color), /3\d|9\d/);
});

test('the battlefield: labels, one sprite per pod, the cannon at the bottom, nothing wider than the field', () => {
	const state = game([...replicas('web', 3), pod({name: 'db-0', owner: 'sts:db', phase: 'Pending'})]);
	const canvas = composeCanvas(state, sprites, where);
	const rows = Array.from({length: canvas.height}, (_, y) => canvas.plain(y));
	assert.match(rows[0]!, /4 pods/);
	assert.ok(rows.some((row) => row.includes('db') && row.includes('╭─•─╮')), 'the Pending pod is an egg');
	assert.equal(rows.join('\n').split('▄▀█▀▄').length - 1, 3);
	assert.match(rows.at(-1)!, /▟███▙/);
	const text = composeField(state, sprites, themes.dark, where);
	assert.equal(text.field.length + text.cannon.length, 30);
});

test('loading, empty and selected states read well', () => {
	const loading = composeCanvas(createGame({width: 80, height: 20, demo: true}), sprites, where);
	assert.ok(Array.from({length: 20}, (_, y) => loading.plain(y)).some((row) => row.includes('connecting to demo/default…')));
	const empty = composeCanvas(game([]), sprites, where);
	assert.ok(Array.from({length: 30}, (_, y) => empty.plain(y)).some((row) => row.includes('An empty sky')));
	const selected = reduce(game(), {type: 'intent', intent: 'next-target'});
	assert.match(composeCanvas(selected, sprites, where).plain(0), /▸ web-0 Running · ready/);
});

test('screen layout: side panel from 80 columns, root rows - 1 tall, too small below 40×12', () => {
	assert.deepEqual(screenLayout({columns: 160, rows: 45}), {tooSmall: false, height: 44, panelWidth: 46, fieldWidth: 114, fieldHeight: 42, ticker: false});
	assert.deepEqual(screenLayout({columns: 80, rows: 24}), {tooSmall: false, height: 23, panelWidth: 30, fieldWidth: 50, fieldHeight: 21, ticker: false});
	assert.equal(screenLayout({columns: 60, rows: 20}).ticker, true);
	assert.equal(screenLayout({columns: 39, rows: 30}).tooSmall, true);
	assert.equal(screenLayout({columns: 80, rows: 11}).tooSmall, true);
});

test('keys → intents (and y/n only in the confirmation dialog)', () => {
	assert.deepEqual(keyAction('', {...noKey, rightArrow: true}, 'none'), {intent: 'right'});
	assert.deepEqual(keyAction('h', noKey, 'none'), {intent: 'left'});
	assert.deepEqual(keyAction('', {...noKey, tab: true, shift: true}, 'none'), {intent: 'prev-target'});
	assert.deepEqual(keyAction('', {...noKey, return: true}, 'none'), {intent: 'kill-selected'});
	assert.deepEqual(keyAction(']', noKey, 'none'), {intent: 'page-next'});
	assert.deepEqual(keyAction('c', {...noKey, ctrl: true}, 'none'), {quit: true});
	assert.deepEqual(keyAction('y', noKey, 'none'), undefined);
	assert.deepEqual(keyAction('y', noKey, 'confirm'), {intent: 'confirm-yes'});
	assert.deepEqual(keyAction(' ', noKey, 'confirm'), undefined, 'space does not confirm');
	assert.deepEqual(keyAction('x', noKey, 'help'), {intent: 'escape'});
	assert.deepEqual(keyAction('x', noKey, 'none'), undefined);
	assert.deepEqual(keyAction('x', noKey, 'none', true), {intent: 'escape'}, 'any key stops the autopilot');
});

test('replacements table: newest first, names cut from the left, narrow panels drop "killed"', () => {
	let state = game();
	state = reduce(state, {type: 'deleted', pod: pod({name: 'web-0', owner: 'web'}), at: 1000});
	state = reduce(state, {type: 'added', pod: pod({name: 'web-abcdefghij', owner: 'web', phase: 'Running'}), at: 3500});
	const rows = replacementRows(state.replacements, 44, 5);
	assert.deepEqual(rows, [{killed: 'web-0', new: '…abcdefghij', phase: 'Ready', 't→Run': '2.5 s'}]);
	assert.equal(replacementRows(state.replacements, 30, 5)[0]!.new, '…bcdefghij', 'a narrow panel gives the new name the room');
	assert.equal(shortName('goldpinger-cffdd578d-x2kqz', 7), '…-x2kqz');
});

test('status segments: the lowest priority goes first, a key and its words together', () => {
	const kept = fitSegments(
		[
			{text: 'aaaa', role: 'text', priority: 5},
			{text: 'k', role: 'key', priority: 1, group: 'x'},
			{text: ' words', role: 'muted', priority: 1, group: 'x'},
			{text: 'bb', role: 'text', priority: 3},
		],
		7,
	);
	assert.deepEqual(kept.map((segment) => segment.text), ['aaaa', 'bb']);
});

test('Ink 6.8 incremental frames: the first cursor-up is one line more; nothing else changes', () => {
	assert.equal(fixIncrementalFrame('\u001b[43A\u001b[Efoo'), '\u001b[44A\u001b[Efoo');
	assert.equal(fixIncrementalFrame('\u001b[2K\u001b[1Afoo'), '\u001b[2K\u001b[1Afoo');
	assert.equal(fixIncrementalFrame('plain\u001b[3A'), 'plain\u001b[3A');
});

test('Goldpinger → health: only pods in its mesh get a health mark; stale data says its age', () => {
	const pods = [pod({name: 'gp-a', owner: 'gp'}), pod({name: 'gp-b', owner: 'gp'}), pod({name: 'web-0', owner: 'web'})];
	const result: GoldpingerResult = {
		sources: [
			{name: 'gp-a', ok: true, pings: [{target: 'gp-b', ok: false, responseTimeMs: 300, timedOut: true}]},
			{name: 'gp-b', ok: true, pings: [{target: 'gp-a', ok: true, responseTimeMs: 2, timedOut: false}]},
		],
		hosts: [{name: 'gp-a'}, {name: 'gp-b'}],
		truncated: false,
		flavour: '3.6+',
		receivedAt: 1000,
	};
	const status: GoldpingerStatus = {state: 'ok', result, source: 'svc goldpinger:8080'};
	const fresh = healthEvent(status, pods, 1500, 2000);
	assert.ok(fresh && fresh.type === 'health' && fresh.byUid);
	assert.deepEqual([...fresh.byUid], [
		['uid-gp-a', 'healthy'],
		['uid-gp-b', 'unhealthy'],
	]);
	const stale = healthEvent(status, pods, 20_000, 2000);
	assert.ok(stale && stale.type === 'health');
	assert.match(stale.note ?? '', /19 s old/);
	const none = healthEvent(status, [pod({name: 'web-0', owner: 'web'})], 1500, 2000);
	assert.ok(none && none.type === 'health' && none.byUid === null);
	assert.equal(healthEvent({state: 'waiting', source: 'x'}, pods, 1, 2000), undefined);
	assert.equal(healthEvent(status, [], 1500, 2000), undefined, 'before the pod list arrives: no note that no pod is in the mesh');
	const off = healthEvent({state: 'off', source: 'x', message: 'no Goldpinger at svc goldpinger:8080'}, pods, 1, 2000);
	assert.ok(off && off.type === 'health' && off.byUid === null && off.note?.includes('no Goldpinger'));
});

test('a narrow battlefield (no gutter) still names each row, under its first band', () => {
	const state = game([...replicas('web', 3), ...replicas('api', 2)], 50, 21);
	assert.equal(state.layout.gutter, 0);
	const canvas = composeCanvas(state, sprites, where);
	const rows = Array.from({length: canvas.height}, (_, y) => canvas.plain(y));
	assert.ok(rows.some((row) => /api 2\/2 $/.test(row)));
	assert.ok(rows.some((row) => /web 3\/3 $/.test(row)));
});
