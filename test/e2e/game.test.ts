// The whole program as a person runs it: `podinvaders` in a real pseudo-terminal (node-pty), pointed by a
// kubeconfig at the embedded demo cluster (started here, on 127.0.0.1), so it takes the real-cluster path:
// one confirmation, then a shot. The API must show exactly that pod deleted and a replacement Running, and the
// panel must list it; q must give the terminal back.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import pty from 'node-pty';
import {startDemoCluster} from '../../src/demo/server.js';
import {podFromObject} from '../../src/model/pod.js';

const root = join(import.meta.dirname, '..', '..');
const timing = {pendingMs: [200, 300] as [number, number], containerCreatingMs: [300, 500] as [number, number], readyMs: [100, 200] as [number, number], defaultGracePeriodSeconds: 1};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const plain = (text: string) => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

async function waitFor(check: () => boolean, what: string, output: () => string, limitMs = 20_000): Promise<void> {
	for (let waited = 0; waited < limitMs; waited += 50) {
		if (check()) return;
		await pause(50);
	}
	throw new Error(`timed out waiting for ${what}; the terminal's last output:\n${plain(output()).slice(-2000)}`);
}

test('podinvaders in a pseudo-terminal: one confirmed shot deletes exactly that pod, its replacement is listed, q restores the terminal', async (t) => {
	const cluster = await startDemoCluster({scenario: 'empty', timing, seed: 11});
	t.after(() => cluster.close());
	cluster.createDeployment('default', 'web', 3, {app: 'web'});
	const directory = mkdtempSync(join(tmpdir(), 'podinvaders-e2e-'));
	t.after(() => rmSync(directory, {recursive: true, force: true}));
	const kubeconfig = join(directory, 'kubeconfig');
	writeFileSync(kubeconfig, cluster.kubeconfigYaml('e2e'));
	const serverPods = () => cluster.listPods('default', 'app=web').map(podFromObject);
	await waitFor(() => serverPods().length === 3 && serverPods().every((pod) => pod.ready), 'three Ready pods', () => '');
	const before = serverPods();

	const env: Record<string, string> = {};
	for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
	delete env['CI']; // Ink writes only the last frame when it thinks it runs in CI
	delete env['PODINVADERS_TRACE'];
	Object.assign(env, {TERM: 'xterm-256color', KUBECONFIG: kubeconfig, NO_COLOR: ''});
	const terminal = pty.spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli.tsx'), '--kubeconfig', kubeconfig, '-n', 'default', '-l', 'app=web', '--seed', '5'], {
		name: 'xterm-256color',
		cols: 120,
		rows: 36,
		cwd: root,
		env,
	});
	let output = '';
	let exit: {exitCode: number} | undefined;
	terminal.onData((data) => {
		output += data;
	});
	terminal.onExit((info) => {
		exit = info;
	});
	t.after(() => {
		if (!exit) terminal.kill();
	});
	const screen = () => output;

	await waitFor(() => plain(output).includes('3 pods') && plain(output).includes('● live'), 'the formation, live', screen);
	assert.ok(output.includes('\u001b[?1049h'), 'the alternate screen');
	assert.match(plain(output), /ARMED: asks first/);

	terminal.write('\t');
	await waitFor(() => /▸ (web-\S+)/.test(plain(output)), 'a target', screen);
	const target = [...plain(output).matchAll(/▸ (web-\S+)/g)].at(-1)![1]!;
	const victim = before.find((pod) => pod.name === target);
	assert.ok(victim, `${target} is one of the server's pods`);

	terminal.write('\r');
	await waitFor(() => plain(output).includes('Fire at real pods?'), 'the confirmation', screen);
	assert.equal(serverPods().filter((pod) => pod.deletionTimestamp).length, 0, 'nothing deleted before "y"');
	terminal.write('y');

	await waitFor(() => !serverPods().some((pod) => pod.uid === victim.uid && !pod.deletionTimestamp), 'the victim deleted on the server', screen);
	for (const pod of before) {
		if (pod.uid === victim.uid) continue;
		const now = serverPods().find((candidate) => candidate.uid === pod.uid);
		assert.ok(now && !now.deletionTimestamp, `${pod.name} was not touched`);
	}
	await waitFor(() => serverPods().some((pod) => !before.some((old) => old.uid === pod.uid) && pod.phase === 'Running'), 'a Running replacement on the server', screen);
	const replacement = serverPods().find((pod) => !before.some((old) => old.uid === pod.uid))!;
	const suffix = replacement.name.slice(-5);
	await waitFor(() => new RegExp(`${suffix}\\s+(Running|Ready)\\s+\\d`).test(plain(output)), `the replacement …${suffix} with its t→Run in the panel`, screen);

	terminal.write('q');
	await waitFor(() => exit !== undefined, 'the program to exit', screen, 10_000);
	assert.equal(exit!.exitCode, 0);
	// The pty may report the exit before its last output is read.
	const afterGame = () => plain(output.slice(output.lastIndexOf('\u001b[?1049l')));
	await waitFor(() => /score/.test(afterGame()), 'the summary after the game', screen, 5000);
	const end = output.slice(output.lastIndexOf('\u001b[?1049l'));
	assert.ok(output.lastIndexOf('\u001b[?1049l') > output.lastIndexOf('\u001b[?1049h'), 'left the alternate screen');
	assert.ok(output.lastIndexOf('\u001b[?25h') > output.lastIndexOf('\u001b[?25l'), 'cursor shown again');
	assert.match(plain(end), /podinvaders session/);
	assert.match(plain(end), /kills\s+1/);
	assert.match(plain(end), /replacements\s+1/);
	await waitFor(() => !serverPods().some((pod) => pod.uid === victim.uid), 'the victim gone after its grace period', screen);
	assert.equal(serverPods().filter((pod) => before.some((old) => old.uid === pod.uid)).length, 2, 'exactly one of the original pods is gone');
});

test('ctrl-c and SIGTERM also give the terminal back (alternate screen left, cursor shown) and print the summary', async (t) => {
	const cluster = await startDemoCluster({scenario: 'empty', timing, seed: 12});
	t.after(() => cluster.close());
	cluster.createDeployment('default', 'web', 2, {app: 'web'});
	const directory = mkdtempSync(join(tmpdir(), 'podinvaders-e2e-'));
	t.after(() => rmSync(directory, {recursive: true, force: true}));
	const kubeconfig = join(directory, 'kubeconfig');
	writeFileSync(kubeconfig, cluster.kubeconfigYaml('e2e'));
	for (const how of ['ctrl-c', 'SIGTERM'] as const) {
		const env: Record<string, string> = {};
		for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
		delete env['CI'];
		Object.assign(env, {TERM: 'xterm-256color'});
		const terminal = pty.spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli.tsx'), '--kubeconfig', kubeconfig, '-n', 'default'], {name: 'xterm-256color', cols: 100, rows: 30, cwd: root, env});
		let output = '';
		let exit: {exitCode: number; signal?: number} | undefined;
		terminal.onData((data) => {
			output += data;
		});
		terminal.onExit((info) => {
			exit = info;
		});
		t.after(() => {
			if (!exit) terminal.kill();
		});
		await waitFor(() => plain(output).includes('2 pods'), `the formation (${how})`, () => output);
		if (how === 'ctrl-c') terminal.write('\u0003');
		else terminal.kill('SIGTERM');
		await waitFor(() => exit !== undefined, `exit after ${how}`, () => output, 10_000);
		assert.equal(exit!.exitCode, 0, how);
		await waitFor(() => /score/.test(plain(output.slice(output.lastIndexOf('\u001b[?1049l')))), `the summary after ${how}`, () => output, 5000);
		assert.ok(output.lastIndexOf('\u001b[?1049l') > output.lastIndexOf('\u001b[?1049h'), `${how}: left the alternate screen`);
		assert.ok(output.lastIndexOf('\u001b[?25h') > output.lastIndexOf('\u001b[?25l'), `${how}: cursor shown`);
		assert.match(plain(output.slice(output.lastIndexOf('\u001b[?1049l'))), /podinvaders session/, how);
	}
});
