// Keys n and / in the whole program: `podinvaders` in a pseudo-terminal against the demo cluster (kubeconfig
// path), switched to another namespace live: the status bar and the battlefield show that namespace's pods.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {startDemoCluster} from '../../src/demo/server.js';
import {pause, plain, spawnGame, waitFor, writeKubeconfig} from '../support/pty-game.js';

test('podinvaders in a pseudo-terminal: n other ⏎ switches to namespace other live; a typo leaves it where it was', async (t) => {
	const cluster = await startDemoCluster({scenario: 'empty', seed: 13});
	t.after(() => cluster.close());
	const created = await fetch(`${cluster.url}/api/v1/namespaces`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'other'}})});
	assert.ok(created.ok || created.status === 409, `namespace other: ${created.status}`);
	cluster.createDeployment('default', 'web', 2, {app: 'web'});
	cluster.createDeployment('other', 'shop', 4, {app: 'shop'});
	const kubeconfig = writeKubeconfig(t, cluster.kubeconfigYaml('e2e'));

	const game = spawnGame(t, ['--kubeconfig', kubeconfig, '-n', 'default', '--seed', '5'], {cols: 120, rows: 36, env: {NO_COLOR: ''}});
	const screen = () => game.output;
	const since = (mark: number) => plain(game.output.slice(mark));

	await waitFor(() => plain(game.output).includes('2 pods') && plain(game.output).includes('● live'), 'default, live', screen);
	let mark = game.output.length;
	game.terminal.write('n');
	await waitFor(() => since(mark).includes('namespace: default'), 'the prompt', screen);
	game.terminal.write('\u0015');
	await pause(50);
	game.terminal.write('nope\r');
	await waitFor(() => /not found/.test(since(mark)), 'namespace "nope" not found in the log', screen);

	mark = game.output.length;
	game.terminal.write('n');
	await waitFor(() => since(mark).includes('namespace: default'), 'the prompt again', screen);
	game.terminal.write('\u0015');
	await pause(50);
	game.terminal.write('other\r');
	await waitFor(() => /ns other/.test(since(mark)) && since(mark).includes('4 pods'), 'namespace other and its four pods', screen);
	assert.match(since(mark), /shop/);

	game.terminal.write('q');
	await waitFor(() => game.exit !== undefined, 'the program to exit', screen, 10_000);
	assert.equal(game.exit!.exitCode, 0);
	assert.ok(game.output.lastIndexOf('\u001b[?1049l') > game.output.lastIndexOf('\u001b[?1049h'), 'left the alternate screen');
});
