// Keys n and /: the prompt, the switchScope port (in-test fakes here), and what the screen shows after a switch.
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import React from 'react';
import type {Key} from 'ink';
import {cleanup, render} from 'ink-testing-library';
import {validateLabelSelector, validateNamespace} from '../../src/kube/errors.js';
import {App} from '../../src/ui/app.js';
import {namespaceProblem, promptKey, type ScopeEngine, type ScopeTarget} from '../../src/ui/scope-prompt.js';
import {themes} from '../../src/ui/theme.js';
import {keyAction} from '../../src/ui/use-keys.js';
import {replicas} from '../game/fixtures/pods.js';
import {demoIdentity, keys, plain, RecordingKiller, ScriptedSource, tick, waitFor} from './fixtures/doubles.js';

afterEach(() => cleanup());

const size = {columns: 120, rows: 36};
const backspace = '\u007f';
const ctrlU = '\u0015';

/** A switchScope that records its calls and builds fresh fakes; `gate` (when set) holds the answer back. */
function fakeSwitch() {
	const calls: ScopeTarget[] = [];
	const built: {source: ScriptedSource; killer: RecordingKiller}[] = [];
	let gate: Promise<void> | undefined;
	let fail: string | undefined;
	const switchScope = async (scope: ScopeTarget): Promise<ScopeEngine> => {
		calls.push(scope);
		if (gate) await gate;
		if (fail) throw new Error(fail);
		const source = new ScriptedSource();
		const killer = new RecordingKiller();
		built.push({source, killer});
		return {identity: {...demoIdentity, demo: false, ...scope}, source, killer, spectator: false};
	};
	return {
		calls,
		built,
		switchScope,
		hold() {
			let release = () => {};
			gate = new Promise((resolve) => {
				release = () => {
					gate = undefined;
					resolve();
				};
			});
			return release;
		},
		failWith(message: string) {
			fail = message;
		},
	};
}

async function setup(withSwitch = true, identity = demoIdentity) {
	const source = new ScriptedSource();
	const killer = new RecordingKiller();
	const fake = fakeSwitch();
	const view = render(
		<App
			identity={identity}
			source={source}
			killer={killer}
			size={size}
			theme={themes.mono}
			seed={1}
			{...(withSwitch ? {switchScope: fake.switchScope, validateScope: {namespace: validateNamespace, selector: validateLabelSelector}} : {})}
		/>,
	);
	const frame = () => plain(view.lastFrame());
	const statusBar = () => frame().split('\n')[0]!;
	const bottom = () => frame().split('\n').at(-1)!;
	/** The side panel's text as one line (the log wraps inside the panel). */
	const panel = () => frame().split('\n').map((line) => line.split('│ ').at(-1)!.trim()).join(' ').replace(/\s+/g, ' ');
	await tick();
	source.emit({type: 'snapshot', pods: replicas('web', 3), at: performance.now()});
	await waitFor(() => frame().includes('3 pods'), 'the first formation');
	const type = async (text: string) => {
		for (const char of text) {
			view.stdin.write(char);
			await tick();
		}
	};
	return {source, killer, fake, view, frame, statusBar, bottom, panel, type};
}

test('n, a name, enter: switchScope is called once with it; the new namespace and its pods replace the old ones', async () => {
	const {source, fake, view, frame, panel, statusBar, bottom, type} = await setup();
	assert.match(bottom(), /n namespace/);
	assert.match(statusBar(), /ns default/);
	view.stdin.write('n');
	await waitFor(() => bottom().includes('namespace: default█'), 'the prompt, prefilled');
	await type(backspace.repeat('default'.length));
	await waitFor(() => bottom().includes('namespace: █'), 'emptied by backspace');
	await type('shop');
	await waitFor(() => bottom().includes('namespace: shop█'), 'typed');
	const release = fake.hold();
	view.stdin.write(keys.enter);
	await waitFor(() => /switching to shop…/.test(statusBar()), 'the status bar says it is switching');
	assert.deepEqual(fake.calls, [{namespace: 'shop', selector: ''}]);
	release();
	await waitFor(() => /ns shop/.test(statusBar()), 'the status bar shows the new namespace');
	assert.equal(fake.calls.length, 1);
	assert.ok(!/web-/.test(frame().split('\n').slice(1, -1).map((line) => line.slice(0, 80)).join('\n')), 'the old pods are gone from the battlefield');
	assert.match(panel(), /Now watching shop/);
	// The old source is no longer listened to; the new one's snapshot is drawn.
	source.emit({type: 'added', pod: replicas('stale', 1)[0]!, at: performance.now()});
	const next = fake.built[0]!;
	await waitFor(() => next.source.started === 1, 'the new source started');
	next.source.emit({type: 'snapshot', pods: replicas('cart', 2), at: performance.now()});
	await waitFor(() => frame().includes('2 pods') && frame().includes('cart'), 'the new snapshot drawn');
	assert.doesNotMatch(frame(), /stale/);
	// Shots go to the new killer.
	view.stdin.write(keys.tab);
	await waitFor(() => frame().includes('▸ cart-0'), 'a target of the new set');
	view.stdin.write(keys.enter);
	await waitFor(() => next.killer.calls.length === 1, 'the kill went to the new killer');
	assert.equal(next.killer.calls[0]!.request.uid, 'uid-cart-0');
});

test('a real cluster: after y in one namespace, the first kill in the next one asks again and names it', async () => {
	const {killer, fake, view, frame, statusBar, type} = await setup(true, {...demoIdentity, demo: false, context: 'prod-eu', namespace: 'default'});
	view.stdin.write(keys.tab);
	await waitFor(() => frame().includes('▸ web-0'), 'a target');
	view.stdin.write(keys.enter);
	await waitFor(() => frame().includes('Fire at real pods?'), 'the confirmation');
	view.stdin.write('y');
	await waitFor(() => killer.calls.length === 1, 'armed and fired in default');
	view.stdin.write('n');
	await tick();
	view.stdin.write(ctrlU);
	await type('shop');
	view.stdin.write(keys.enter);
	await waitFor(() => /ns shop/.test(statusBar()), 'switched');
	const next = fake.built[0]!;
	await waitFor(() => next.source.started === 1, 'the new source started');
	next.source.emit({type: 'snapshot', pods: replicas('cart', 2), at: performance.now()});
	await waitFor(() => frame().includes('2 pods'), 'the new set');
	assert.match(statusBar(), /ARMED: asks first/);
	view.stdin.write(keys.tab);
	await waitFor(() => frame().includes('▸ cart-0'), 'a target in shop');
	view.stdin.write(keys.enter);
	await waitFor(() => frame().includes('Fire at real pods?'), 'asked again');
	assert.match(frame(), /namespace shop/);
	assert.equal(next.killer.calls.length, 0, 'nothing sent before y');
	view.stdin.write('y');
	await waitFor(() => next.killer.calls.length === 1, 'fired in shop after y');
});

test('keys faster than renders: none is lost, q types q, and the enter that applies is not also a shot', async () => {
	const {fake, killer, view, statusBar} = await setup();
	for (const key of ['n', ctrlU, 'q', 'a', backspace, 'x', keys.enter]) view.stdin.write(key);
	await waitFor(() => /ns qx/.test(statusBar()), 'switched to qx');
	assert.deepEqual(fake.calls, [{namespace: 'qx', selector: ''}]);
	await new Promise((resolve) => setTimeout(resolve, 100));
	assert.equal(killer.calls.length, 0, 'no shot');
});

test('an invalid name: the prompt says why and stays open, switchScope is not called; esc cancels', async () => {
	const {fake, view, statusBar, bottom, type} = await setup();
	view.stdin.write('n');
	await waitFor(() => bottom().includes('namespace: default█'), 'the prompt');
	view.stdin.write(ctrlU);
	await tick();
	await type('Bad_NS');
	view.stdin.write(keys.enter);
	await waitFor(() => bottom().includes('✖'), 'the reason');
	assert.match(bottom(), /namespace: Bad_NS█\s+✖ namespace "Bad_NS" is invalid/);
	assert.equal(fake.calls.length, 0);
	// q types q while the prompt is open (it does not quit).
	await type('q');
	await waitFor(() => bottom().includes('Bad_NSq█'), 'q typed');
	view.stdin.write(keys.escape);
	await waitFor(() => !bottom().includes('namespace:') && /n namespace/.test(bottom()), 'the key hints back');
	assert.equal(fake.calls.length, 0);
	assert.match(statusBar(), /ns default/);
	// And the game's keys work again.
	view.stdin.write(keys.tab);
	await waitFor(() => plain(view.lastFrame()).includes('▸ web-0'), 'tab selects again');
});

test('/ changes the label filter the same way (checked with the apiserver grammar)', async () => {
	const {fake, view, statusBar, bottom, type} = await setup();
	view.stdin.write('/');
	await waitFor(() => bottom().includes('selector: █'), 'the selector prompt (empty: all pods)');
	await type('app in (web');
	view.stdin.write(keys.enter);
	await waitFor(() => bottom().includes('✖'), 'the reason');
	assert.match(bottom(), /invalid label selector/);
	assert.equal(fake.calls.length, 0);
	view.stdin.write(ctrlU);
	await tick();
	await type('app=api');
	view.stdin.write(keys.enter);
	await waitFor(() => /ns default · app=api/.test(statusBar()), 'the status bar shows the selector');
	assert.deepEqual(fake.calls, [{namespace: 'default', selector: 'app=api'}]);
});

test('a switch that fails leaves the old scope and says why in the log', async () => {
	const {fake, view, frame, panel, statusBar, type} = await setup();
	fake.failWith('namespace "nope" not found on http://127.0.0.1:1 (context demo)');
	view.stdin.write('n');
	await tick();
	view.stdin.write(ctrlU);
	await tick();
	await type('nope');
	view.stdin.write(keys.enter);
	await waitFor(() => /Could not switch to nope: namespace "nope" not found/.test(panel()), 'the error in the log');
	assert.match(statusBar(), /ns default/);
	assert.match(frame(), /3 pods/);
	assert.equal(fake.calls.length, 1);
});

test('without a switchScope the keys say "not available here"', async () => {
	const {view, panel, bottom} = await setup(false);
	view.stdin.write('n');
	await waitFor(() => /switching namespace is not available here/.test(panel()), 'n says so');
	assert.doesNotMatch(bottom(), /namespace:/);
	view.stdin.write('/');
	await waitFor(() => /label filter is not available here/.test(panel()), '/ says so');
});

const noKey: Key = {
	upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
	return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
	super: false, hyper: false, capsLock: false, numLock: false,
};

test('keys: n and / open prompts on the battlefield only; in the confirmation n still means no', () => {
	assert.deepEqual(keyAction('n', noKey, 'none'), {prompt: 'namespace'});
	assert.deepEqual(keyAction('/', noKey, 'none'), {prompt: 'selector'});
	assert.deepEqual(keyAction('n', noKey, 'confirm'), {intent: 'confirm-no'});
	assert.deepEqual(keyAction('n', noKey, 'help'), {intent: 'escape'});
});

test('prompt editing: type, backspace, ctrl-u, enter trims, esc cancels, ctrl-c quits, control characters dropped', () => {
	const prompt = {field: 'namespace', text: 'ab'} as const;
	assert.deepEqual(promptKey(prompt, 'c', noKey), {kind: 'edit', prompt: {field: 'namespace', text: 'abc'}});
	assert.deepEqual(promptKey(prompt, '', {...noKey, delete: true}), {kind: 'edit', prompt: {field: 'namespace', text: 'a'}});
	assert.deepEqual(promptKey(prompt, '', {...noKey, backspace: true}), {kind: 'edit', prompt: {field: 'namespace', text: 'a'}});
	assert.deepEqual(promptKey(prompt, 'u', {...noKey, ctrl: true}), {kind: 'edit', prompt: {field: 'namespace', text: ''}});
	assert.deepEqual(promptKey({...prompt, text: ' x '}, '', {...noKey, return: true}), {kind: 'submit', value: 'x'});
	assert.deepEqual(promptKey(prompt, '', {...noKey, escape: true}), {kind: 'cancel'});
	assert.deepEqual(promptKey(prompt, 'c', {...noKey, ctrl: true}), {kind: 'quit'});
	assert.deepEqual(promptKey(prompt, 'x\u001b[31my\t', noKey), {kind: 'edit', prompt: {field: 'namespace', text: 'abx[31my'}});
	assert.equal(promptKey(prompt, '', {...noKey, leftArrow: true}).kind, 'ignore');
	// Keys that arrive as one chunk (fast typing, tmux send-keys) still edit.
	assert.deepEqual(promptKey(prompt, '\u007f\u007fkube', noKey), {kind: 'edit', prompt: {field: 'namespace', text: 'kube'}});
	assert.deepEqual(promptKey(prompt, '\u0015ns', noKey), {kind: 'edit', prompt: {field: 'namespace', text: 'ns'}});
	assert.deepEqual(promptKey(prompt, 'c\r', noKey), {kind: 'submit', value: 'abc'});
	// The UI's namespace rule agrees with the CLI's.
	for (const name of ['default', 'a', 'kube-system', 'x'.repeat(63), '', 'Bad', '-a', 'a-', 'a_b', 'x'.repeat(64)]) {
		assert.equal(namespaceProblem(name) === undefined, validateNamespace(name) === undefined, name);
	}
});
