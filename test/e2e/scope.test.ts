// Keys n and / in the whole program: `podinvaders` in a pseudo-terminal against the demo cluster (kubeconfig
// path), switched to another namespace live: the status bar and the battlefield show that namespace's pods.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import pty from 'node-pty';
import {startDemoCluster} from '../../src/demo/server.js';

const root = join(import.meta.dirname, '..', '..');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const plain = (text: string) => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

async function waitFor(check: () => boolean, what: string, output: () => string, limitMs = 20_000): Promise<void> {
	for (let waited = 0; waited < limitMs; waited += 50) {
		if (check()) return;
		await pause(50);
	}
	throw new Error(`timed out waiting for ${what}; the terminal's last output:\n${plain(output()).slice(-2000)}`);
}

test('podinvaders in a pseudo-terminal: n other ⏎ switches to namespace other live; a typo leaves it where it was', async (t) => {
	const cluster = await startDemoCluster({scenario: 'empty', seed: 13});
	t.after(() => cluster.close());
	const created = await fetch(`${cluster.url}/api/v1/namespaces`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'other'}})});
	assert.ok(created.ok || created.status === 409, `namespace other: ${created.status}`);
	cluster.createDeployment('default', 'web', 2, {app: 'web'});
	cluster.createDeployment('other', 'shop', 4, {app: 'shop'});
	const directory = mkdtempSync(join(tmpdir(), 'podinvaders-e2e-'));
	t.after(() => rmSync(directory, {recursive: true, force: true}));
	const kubeconfig = join(directory, 'kubeconfig');
	writeFileSync(kubeconfig, cluster.kubeconfigYaml('e2e'));

	const env: Record<string, string> = {};
	for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
	delete env['CI'];
	delete env['PODINVADERS_TRACE'];
	Object.assign(env, {TERM: 'xterm-256color', NO_COLOR: ''});
	const terminal = pty.spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli.tsx'), '--kubeconfig', kubeconfig, '-n', 'default', '--seed', '5'], {
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
	const since = (mark: number) => plain(output.slice(mark));

	await waitFor(() => plain(output).includes('2 pods') && plain(output).includes('● live'), 'default, live', screen);
	let mark = output.length;
	terminal.write('n');
	await waitFor(() => since(mark).includes('namespace: default'), 'the prompt', screen);
	terminal.write('\u0015');
	await pause(50);
	terminal.write('nope\r');
	await waitFor(() => /not found/.test(since(mark)), 'namespace "nope" not found in the log', screen);

	mark = output.length;
	terminal.write('n');
	await waitFor(() => since(mark).includes('namespace: default'), 'the prompt again', screen);
	terminal.write('\u0015');
	await pause(50);
	terminal.write('other\r');
	await waitFor(() => /ns other/.test(since(mark)) && since(mark).includes('4 pods'), 'namespace other and its four pods', screen);
	assert.match(since(mark), /shop/);

	terminal.write('q');
	await waitFor(() => exit !== undefined, 'the program to exit', screen, 10_000);
	assert.equal(exit!.exitCode, 0);
	assert.ok(output.lastIndexOf('\u001b[?1049l') > output.lastIndexOf('\u001b[?1049h'), 'left the alternate screen');
});
