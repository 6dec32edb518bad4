import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import React from 'react';
import {cleanup, render} from 'ink-testing-library';
import {App} from '../../src/ui/app.js';
import {themes} from '../../src/ui/theme.js';
import {pod, replicas} from '../game/fixtures/pods.js';
import {demoIdentity, keys, plain, RecordingKiller, ScriptedSource, tick, waitFor} from './fixtures/doubles.js';

afterEach(() => cleanup());

const size = {columns: 120, rows: 36};

function setup(extra: Partial<React.ComponentProps<typeof App>> = {}) {
	const source = new ScriptedSource();
	const killer = new RecordingKiller();
	const view = render(<App identity={demoIdentity} source={source} killer={killer} size={size} theme={themes.mono} seed={1} {...extra} />);
	const frame = () => plain(view.lastFrame());
	const lines = () => frame().split('\n');
	return {source, killer, ...view, frame, lines};
}

/** Column of the cannon's base (its widest line) on screen. */
function cannonColumn(lines: readonly string[]): number {
	const line = lines.find((candidate) => candidate.includes('▟███▙'));
	assert.ok(line, 'the cannon is on screen');
	return line.indexOf('▟███▙');
}

test('starts the source, shows "connecting", then the formation from the snapshot', async () => {
	const {source, frame} = setup();
	await tick();
	assert.equal(source.started, 1);
	assert.match(frame(), /connecting to demo\/default/);
	source.emit({type: 'snapshot', pods: replicas('web-7d9f', 3), at: performance.now()});
	await waitFor(() => frame().includes('3 pods'), 'the formation');
	assert.match(frame(), /web-7d9f/);
	assert.equal(frame().split('▄▀█▀▄').length - 1, 3, 'three invaders');
});

test('arrow keys and h/l move the cannon; tab and shift-tab cycle targets', async () => {
	const {source, stdin, lines, frame} = setup();
	await tick();
	source.emit({type: 'snapshot', pods: replicas('web', 3), at: performance.now()});
	await waitFor(() => frame().includes('3 pods'), 'the formation');
	const start = cannonColumn(lines());
	stdin.write(keys.right);
	await waitFor(() => cannonColumn(lines()) === start + 2, 'the cannon moved right');
	stdin.write('h');
	stdin.write('h');
	await waitFor(() => cannonColumn(lines()) === start - 2, 'the cannon moved left twice');
	stdin.write(keys.tab);
	await waitFor(() => frame().includes('▸ web-0'), 'web-0 selected');
	stdin.write(keys.tab);
	await waitFor(() => frame().includes('▸ web-1'), 'web-1 selected');
	stdin.write(keys.shiftTab);
	stdin.write(keys.shiftTab);
	await waitFor(() => frame().includes('▸ web-2'), 'shift-tab wraps around to web-2');
});

test('enter on the target issues exactly one kill, for that pod\'s uid', async () => {
	const {source, killer, stdin, frame} = setup();
	await tick();
	source.emit({type: 'snapshot', pods: replicas('web', 3), at: performance.now()});
	await waitFor(() => frame().includes('3 pods'), 'the formation');
	stdin.write(keys.tab);
	stdin.write(keys.tab);
	await waitFor(() => frame().includes('▸ web-1'), 'web-1 selected');
	stdin.write(keys.enter);
	await waitFor(() => killer.calls.length === 1, 'one kill');
	assert.deepEqual(killer.calls[0]!.request, {uid: 'uid-web-1', name: 'web-1', actor: 'player'});
	// More shots at the same (now dying) pod never ask again.
	stdin.write(keys.enter);
	stdin.write(keys.space);
	await new Promise((resolve) => setTimeout(resolve, 400));
	assert.equal(killer.calls.filter((call) => call.request.uid === 'uid-web-1').length, 1);
	await waitFor(() => /deleted|Terminating|Goodbye/.test(frame()), 'the log says so');
});

test('a pod deleted by someone else leaves the screen', async () => {
	const {source, stdin, frame} = setup();
	await tick();
	source.emit({type: 'snapshot', pods: replicas('web', 3), at: performance.now()});
	await waitFor(() => frame().includes('3 pods'), 'the formation');
	stdin.write(keys.tab);
	stdin.write(keys.tab);
	await waitFor(() => frame().includes('▸ web-1'), 'web-1 selected');
	source.emit({type: 'deleted', pod: pod({name: 'web-1', owner: 'web'}), at: performance.now()});
	await waitFor(() => frame().includes('2 pods'), 'two pods left');
	assert.doesNotMatch(frame().split('\n').slice(1, 30).join('\n').replace(/deleted by someone else|Someone else shot web-1/g, ''), /▸ web-1/);
	await waitFor(() => /web-1 was deleted by someone else|Someone else shot web-1/.test(frame()), 'the log says who');
});

test('the replacement appears and the panel shows its Pending → Running timing', async () => {
	const {source, killer, stdin, frame} = setup();
	await tick();
	source.emit({type: 'snapshot', pods: replicas('web', 3), at: performance.now()});
	await waitFor(() => frame().includes('3 pods'), 'the formation');
	stdin.write(keys.tab);
	await waitFor(() => frame().includes('▸ web-0'), 'web-0 selected');
	stdin.write(keys.enter);
	await waitFor(() => killer.calls.length === 1, 'the kill');
	const killedAt = killer.calls[0]!.at;
	source.emit({type: 'modified', pod: pod({name: 'web-0', owner: 'web', terminating: true}), at: killedAt + 20});
	source.emit({type: 'added', pod: pod({name: 'web-new', owner: 'web', phase: 'Pending'}), at: killedAt + 300});
	await waitFor(() => /web-new\s+Pending/.test(frame()), 'the replacement, Pending, in the panel');
	source.emit({type: 'modified', pod: pod({name: 'web-new', owner: 'web', phase: 'Pending', status: 'ContainerCreating'}), at: killedAt + 900});
	await waitFor(() => /web-new\s+Creating/.test(frame()), 'ContainerCreating');
	source.emit({type: 'modified', pod: pod({name: 'web-new', owner: 'web', phase: 'Running', ready: true}), at: killedAt + 2100});
	// kill-sent is stamped a moment before the killer is called: t→Run is 2.1 s give or take a millisecond.
	await waitFor(() => /web-new\s+Ready\s+2\.1 s/.test(frame()), 'Ready with t→Run 2.1 s');
	assert.match(frame(), /t→Run\s+p50 2\.1 s · p95 2\.1 s/);
});

test('a real cluster asks once before the first kill; n holds fire, y arms', async () => {
	const {source, killer, stdin, frame} = setup({identity: {...demoIdentity, demo: false, context: 'prod-eu', namespace: 'shop'}});
	await tick();
	source.emit({type: 'snapshot', pods: replicas('web', 2), at: performance.now()});
	await waitFor(() => frame().includes('2 pods'), 'the formation');
	stdin.write(keys.tab);
	stdin.write(keys.enter);
	await waitFor(() => frame().includes('Fire at real pods?'), 'the confirmation');
	assert.match(frame(), /prod-eu/);
	assert.match(frame(), /shop/);
	stdin.write('n');
	await waitFor(() => frame().includes('Holding fire'), 'held');
	assert.equal(killer.calls.length, 0);
	stdin.write(keys.enter);
	await waitFor(() => frame().includes('Fire at real pods?'), 'asked again (no yes yet)');
	stdin.write('y');
	await waitFor(() => killer.calls.length === 1, 'armed and fired');
});

test('spectator mode and dry-run say so in the status bar', async () => {
	const spectator = setup({spectator: true});
	await tick();
	assert.match(spectator.frame(), /SPECTATOR/);
	cleanup();
	const dry = setup({dryRun: true});
	await tick();
	assert.match(dry.frame(), /DRY-RUN/);
	cleanup();
	const armed = setup();
	await tick();
	assert.match(armed.frame(), /ARMED/);
	armed.stdin.write('d');
	await waitFor(() => armed.frame().includes('DRY-RUN'), 'd turns dry-run on');
});

test('too small a terminal says what it needs; a small one still plays without the side panel', async () => {
	const tiny = setup({size: {columns: 30, rows: 10}});
	await tick();
	assert.match(tiny.frame().replace(/\s+/g, " "), /terminal too small: need ≥ 40×12 \(now 30×10\)/);
	cleanup();
	const small = setup({size: {columns: 60, rows: 16}});
	await tick();
	small.source.emit({type: 'snapshot', pods: replicas('web', 3), at: performance.now()});
	await waitFor(() => small.frame().includes('3 pods'), 'the formation');
	assert.doesNotMatch(small.frame(), /Replacements/);
	assert.equal(small.frame().split('\n').length, 15, 'rows - 1 lines');
});

test('the frame is exactly rows - 1 lines tall and no line is wider than the terminal', async () => {
	const {source, frame} = setup();
	await tick();
	source.emit({type: 'snapshot', pods: replicas('web', 30), at: performance.now()});
	await waitFor(() => frame().includes('30 pods'), 'the formation');
	const lines = frame().split('\n');
	assert.equal(lines.length, size.rows - 1);
	for (const line of lines) assert.ok(Array.from(line).length <= size.columns, `too wide: ${line}`);
});
