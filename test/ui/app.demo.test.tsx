// The game component against the real client code (PodWatcher, PodKiller) and the embedded demo cluster over
// HTTP on 127.0.0.1: what the screen shows must be what the server has.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import React from 'react';
import {render} from 'ink-testing-library';
import {startDemoCluster} from '../../src/demo/server.js';
import {accessForUrl} from '../../src/kube/access.js';
import {PodKiller} from '../../src/kube/pod-killer.js';
import {PodWatcher} from '../../src/kube/pod-watcher.js';
import {podFromObject} from '../../src/model/pod.js';
import {App} from '../../src/ui/app.js';
import {themes} from '../../src/ui/theme.js';
import {keys, plain, tick, waitFor} from './fixtures/doubles.js';

const timing = {pendingMs: [150, 200] as [number, number], containerCreatingMs: [300, 400] as [number, number], readyMs: [50, 100] as [number, number], defaultGracePeriodSeconds: 1};

test('real watcher + killer + demo cluster: a shot deletes exactly that pod; kubectl-style deletes and replacements show', async (t) => {
	const cluster = await startDemoCluster({scenario: 'empty', timing, seed: 7});
	t.after(() => cluster.close());
	cluster.createDeployment('default', 'web', 3, {app: 'web'});
	const access = accessForUrl(cluster.url, {context: 'demo-test'});
	const watcher = new PodWatcher({access, namespace: 'default', labelSelector: 'app=web'});
	t.after(() => watcher.stop());
	const killer = new PodKiller({access, namespace: 'default', labelSelector: 'app=web', knownPods: watcher, maxKillsPerMinute: 100, recordEvents: false});
	const serverPods = () => cluster.listPods('default', 'app=web').map(podFromObject);
	await waitFor(() => serverPods().length === 3 && serverPods().every((pod) => pod.ready), 'three Ready pods on the server');

	const view = render(
		<App identity={{context: 'demo-test', server: cluster.url, namespace: 'default', selector: 'app=web', demo: true}} source={watcher} killer={killer} size={{columns: 120, rows: 34}} theme={themes.mono} seed={3} />,
	);
	t.after(() => view.unmount());
	const frame = () => plain(view.lastFrame());
	await waitFor(() => frame().includes('3 pods') && frame().includes('● live'), 'the formation, live');

	// Shoot the second invader.
	await tick();
	view.stdin.write(keys.tab);
	view.stdin.write(keys.tab);
	await waitFor(() => /▸ (web-\S+)/.test(frame()), 'a target');
	const target = /▸ (web-\S+)/.exec(frame())![1]!;
	const before = serverPods();
	const victim = before.find((pod) => pod.name === target)!;
	view.stdin.write(keys.enter);
	await waitFor(() => serverPods().some((pod) => pod.uid === victim.uid && pod.deletionTimestamp) || !serverPods().some((pod) => pod.uid === victim.uid), 'the victim deleted on the server');
	for (const pod of before) {
		if (pod.uid === victim.uid) continue;
		const now = serverPods().find((candidate) => candidate.uid === pod.uid);
		assert.ok(now && !now.deletionTimestamp, `${pod.name} untouched`);
	}
	// Its replacement comes up; the panel shows it Ready with a time to Running.
	await waitFor(() => serverPods().filter((pod) => !before.some((old) => old.uid === pod.uid) && pod.ready).length === 1, 'a Ready replacement on the server', 1000);
	const replacement = serverPods().find((pod) => !before.some((old) => old.uid === pod.uid))!;
	const suffix = replacement.name.slice(-5);
	await waitFor(() => new RegExp(`${suffix}\\s+Ready\\s+\\d+(\\.\\d)? (s|ms)`).test(frame()), 'the replacement Ready in the panel with its t→Run', 1000);

	// Someone else deletes a pod (like kubectl delete): it leaves the screen.
	const other = serverPods().find((pod) => pod.uid !== replacement.uid && !pod.deletionTimestamp)!;
	cluster.deletePod('default', other.name, 0);
	await waitFor(() => /someone else|Someone else/.test(frame()), 'the external delete in the log', 1000).catch((error: unknown) => {
		console.log(frame());
		throw error;
	});
	await waitFor(() => !serverPods().some((pod) => pod.uid === other.uid), 'gone on the server');
	await waitFor(() => frame().includes('3 pods') && serverPods().every((pod) => pod.ready), 'back to three Ready pods', 1000);

	// Tab through every target: the names on screen are exactly the server's pods (the deleted one is not among them).
	const seen = new Set<string>();
	for (let i = 0; i < 6; i++) {
		const previous = /▸ (web-\S+)/.exec(frame())?.[1];
		view.stdin.write(keys.tab);
		await waitFor(() => /▸ (web-\S+)/.exec(frame())?.[1] !== previous, 'the next target');
		seen.add(/▸ (web-\S+)/.exec(frame())![1]!);
	}
	assert.deepEqual([...seen].sort(), serverPods().map((pod) => pod.name).sort());
	assert.ok(!seen.has(other.name));
});
