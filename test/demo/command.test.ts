// `podinvaders demo-cluster`: writes the kubeconfig, prints both ways to point kubectl at it (and both work),
// then stops cleanly.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {runDemoClusterCommand} from '../../src/demo/command.js';
import {request, run, waitFor} from './helpers.js';

test('demo-cluster writes a kubeconfig, tells how to use it, serves kubectl, and stops when told', async (t) => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'podinvaders-command-'));
	t.after(() => rmSync(dir, {recursive: true, force: true}));
	const kubeconfig = path.join(dir, 'nested', 'k.yaml');
	let printed = '';
	let stop!: () => void;
	const until = new Promise<void>((resolve) => (stop = resolve));
	const running = runDemoClusterCommand({writeKubeconfig: kubeconfig, pods: 5, seed: 3, out: (text) => (printed += text), until});
	t.after(() => stop());

	const url = await waitFor('the banner', () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(printed)?.[1]);
	assert.ok(printed.includes(`export KUBECONFIG=${kubeconfig}`));
	assert.ok(printed.includes('kubectl get pods'));
	assert.ok(printed.includes(`kubectl --server ${url} get pods`));
	assert.ok(readFileSync(kubeconfig, 'utf8').includes(`server: "${url}"`));

	const env = {PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir};
	const viaFile = await run('kubectl', ['get', 'pods', '-l', 'app=swarm', '-o', 'name'], {...env, KUBECONFIG: kubeconfig});
	assert.equal(viaFile.code, 0, viaFile.stderr);
	assert.equal(viaFile.stdout.trim().split('\n').length, 5);
	const viaServer = await run('kubectl', ['--server', url, 'get', 'pods', '-l', 'app=goldpinger', '-o', 'name'], {...env, KUBECONFIG: path.join(dir, 'none.yaml')});
	assert.equal(viaServer.code, 0, viaServer.stderr);
	assert.equal(viaServer.stdout.trim().split('\n').length, 3);

	stop();
	await running;
	assert.ok(printed.endsWith('demo cluster stopped\n'));
	await assert.rejects(() => request(`${url}/version`), /ECONNREFUSED/);
	assert.ok(existsSync(kubeconfig), 'an asked-for kubeconfig stays');
});

test('without --write-kubeconfig a temporary one is written and removed on exit', async () => {
	let printed = '';
	let stop!: () => void;
	const running = runDemoClusterCommand({out: (text) => (printed += text), until: new Promise<void>((resolve) => (stop = resolve))});
	const file = await waitFor('the kubeconfig path', () => /kubeconfig written to (\S+)/.exec(printed)?.[1]);
	assert.ok(existsSync(file));
	stop();
	await running;
	assert.equal(existsSync(file), false);
});
