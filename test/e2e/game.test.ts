// The whole program as a person runs it: `podinvaders` in a real pseudo-terminal (node-pty), pointed by a
// kubeconfig at the embedded demo cluster (started here, on 127.0.0.1), so it takes the real-cluster path:
// one confirmation, then a shot. The API must show exactly that pod deleted and a replacement Running, and the
// panel must list it; q must give the terminal back.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {startDemoCluster} from '../../src/demo/server.js';
import {podFromObject} from '../../src/model/pod.js';
import {plain, spawnGame, waitFor, writeKubeconfig} from '../support/pty-game.js';

const timing = {pendingMs: [200, 300] as [number, number], containerCreatingMs: [300, 500] as [number, number], readyMs: [100, 200] as [number, number], defaultGracePeriodSeconds: 1};

test('podinvaders in a pseudo-terminal: one confirmed shot deletes exactly that pod, its replacement is listed, q restores the terminal', async (t) => {
	const cluster = await startDemoCluster({scenario: 'empty', timing, seed: 11});
	t.after(() => cluster.close());
	cluster.createDeployment('default', 'web', 3, {app: 'web'});
	const kubeconfig = writeKubeconfig(t, cluster.kubeconfigYaml('e2e'));
	const serverPods = () => cluster.listPods('default', 'app=web').map(podFromObject);
	await waitFor(() => serverPods().length === 3 && serverPods().every((pod) => pod.ready), 'three Ready pods', () => '');
	const before = serverPods();

	const game = spawnGame(t, ['--kubeconfig', kubeconfig, '-n', 'default', '-l', 'app=web', '--seed', '5'], {cols: 120, rows: 36, env: {KUBECONFIG: kubeconfig, NO_COLOR: ''}});
	const screen = () => game.output;

	await waitFor(() => plain(game.output).includes('3 pods') && plain(game.output).includes('● live'), 'the formation, live', screen);
	assert.ok(game.output.includes('\u001b[?1049h'), 'the alternate screen');
	assert.match(plain(game.output), /ARMED: asks first/);

	game.terminal.write('\t');
	await waitFor(() => /▸ (web-\S+)/.test(plain(game.output)), 'a target', screen);
	const target = [...plain(game.output).matchAll(/▸ (web-\S+)/g)].at(-1)![1]!;
	const victim = before.find((pod) => pod.name === target);
	assert.ok(victim, `${target} is one of the server's pods`);

	game.terminal.write('\r');
	await waitFor(() => plain(game.output).includes('Fire at real pods?'), 'the confirmation', screen);
	assert.equal(serverPods().filter((pod) => pod.deletionTimestamp).length, 0, 'nothing deleted before "y"');
	game.terminal.write('y');

	await waitFor(() => !serverPods().some((pod) => pod.uid === victim.uid && !pod.deletionTimestamp), 'the victim deleted on the server', screen);
	for (const pod of before) {
		if (pod.uid === victim.uid) continue;
		const now = serverPods().find((candidate) => candidate.uid === pod.uid);
		assert.ok(now && !now.deletionTimestamp, `${pod.name} was not touched`);
	}
	await waitFor(() => serverPods().some((pod) => !before.some((old) => old.uid === pod.uid) && pod.phase === 'Running'), 'a Running replacement on the server', screen);
	const replacement = serverPods().find((pod) => !before.some((old) => old.uid === pod.uid))!;
	const suffix = replacement.name.slice(-5);
	await waitFor(() => new RegExp(`${suffix}\\s+(Running|Ready)\\s+\\d`).test(plain(game.output)), `the replacement …${suffix} with its t→Run in the panel`, screen);

	game.terminal.write('q');
	await waitFor(() => game.exit !== undefined, 'the program to exit', screen, 10_000);
	assert.equal(game.exit!.exitCode, 0);
	// The pty may report the exit before its last output is read.
	const afterGame = () => plain(game.output.slice(game.output.lastIndexOf('\u001b[?1049l')));
	await waitFor(() => /score/.test(afterGame()), 'the summary after the game', screen, 5000);
	const end = game.output.slice(game.output.lastIndexOf('\u001b[?1049l'));
	assert.ok(game.output.lastIndexOf('\u001b[?1049l') > game.output.lastIndexOf('\u001b[?1049h'), 'left the alternate screen');
	assert.ok(game.output.lastIndexOf('\u001b[?25h') > game.output.lastIndexOf('\u001b[?25l'), 'cursor shown again');
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
	const kubeconfig = writeKubeconfig(t, cluster.kubeconfigYaml('e2e'));
	for (const how of ['ctrl-c', 'SIGTERM'] as const) {
		const game = spawnGame(t, ['--kubeconfig', kubeconfig, '-n', 'default'], {cols: 100, rows: 30});
		await waitFor(() => plain(game.output).includes('2 pods'), `the formation (${how})`, () => game.output);
		if (how === 'ctrl-c') game.terminal.write('\u0003');
		else game.terminal.kill('SIGTERM');
		await waitFor(() => game.exit !== undefined, `exit after ${how}`, () => game.output, 10_000);
		assert.equal(game.exit!.exitCode, 0, how);
		await waitFor(() => /score/.test(plain(game.output.slice(game.output.lastIndexOf('\u001b[?1049l')))), `the summary after ${how}`, () => game.output, 5000);
		assert.ok(game.output.lastIndexOf('\u001b[?1049l') > game.output.lastIndexOf('\u001b[?1049h'), `${how}: left the alternate screen`);
		assert.ok(game.output.lastIndexOf('\u001b[?25h') > game.output.lastIndexOf('\u001b[?25l'), `${how}: cursor shown`);
		assert.match(plain(game.output.slice(game.output.lastIndexOf('\u001b[?1049l'))), /podinvaders session/, how);
	}
});
