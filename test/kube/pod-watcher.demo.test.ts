// The watcher against the embedded demo cluster over real HTTP: a seeded random sequence of dropped watches
// (abrupt and clean), expired history (410), failing requests, malformed watch lines, deletes by "someone
// else", deployment replacements, new pods and watcher restarts. After each stretch, the watcher's view AND
// a listener's view built from its events alone equal the server's pod list (uid → rv, phase, status, ready).
// Replay a failure with PODINVADERS_TEST_SEED=<seed printed in the failure>.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {accessForUrl} from '../../src/kube/access.js';
import {PodWatcher} from '../../src/kube/pod-watcher.js';
import {startDemoCluster} from '../../src/demo/server.js';
import {difference, fingerprint, mirrorOf, quickTiming, seededRandom, serverPods, sleep} from './demo-helpers.js';
import {waitFor} from './stub-api.js';

const seed = Number(process.env['PODINVADERS_TEST_SEED'] ?? 424242);
const rounds = 80;

test(`seeded chaos (seed ${seed}, ${rounds} rounds): the watcher never drifts from the server`, async (t) => {
	const random = seededRandom(seed);
	const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
	const cluster = await startDemoCluster({seed, scenario: 'empty', timing: quickTiming});
	t.after(() => cluster.close());
	cluster.createDeployment('default', 'web', 4, {app: 'web'});
	cluster.createDeployment('default', 'api', 2, {app: 'web', tier: 'api'});
	cluster.createDeployment('default', 'other', 2, {app: 'other'});

	const watcher = new PodWatcher({
		access: accessForUrl(cluster.url),
		namespace: 'default',
		labelSelector: 'app=web',
		pageSize: 2, // several pages per list
		watchTimeoutSeconds: 5,
		backoff: {initialMs: 5, maxMs: 50, jitter: 0.5},
		forbiddenRetryMs: 20,
		random,
	});
	t.after(() => watcher.stop());
	const mirror = mirrorOf();
	watcher.subscribe(mirror.listen);
	watcher.start();

	const server = () => fingerprint(serverPods(cluster.listPods('default', 'app=web')));
	const converged = async (when: string) => {
		try {
			await waitFor(
				() => difference(server(), fingerprint(watcher.list())) === '' && difference(server(), fingerprint(mirror.pods.values())) === '',
				'convergence',
				15_000,
			);
		} catch {
			assert.fail(
				`seed ${seed}, ${when}: view differs from the server\nwatcher:\n${difference(server(), fingerprint(watcher.list()))}\nlistener:\n${difference(server(), fingerprint(mirror.pods.values()))}`,
			);
		}
	};
	await converged('after start');

	const webPods = () => serverPods(cluster.listPods('default', 'app=web')).filter((pod) => !pod.deletionTimestamp);
	let bare = 0;
	const actions: Record<string, () => Promise<void> | void> = {
		drop: () => cluster.faults.dropWatches(),
		'drop-gracefully': () => cluster.faults.dropWatches({graceful: true}),
		expire: () => cluster.faults.expireHistory(),
		'expire-then-drop': () => {
			cluster.faults.expireHistory();
			cluster.faults.dropWatches({graceful: random() < 0.5});
		},
		'delete-one': () => {
			const victim = webPods().length > 0 ? pick(webPods()) : undefined;
			if (victim) cluster.deletePod('default', victim.name, pick([0, 0, 1]));
		},
		'delete-many': () => {
			for (const victim of webPods().filter(() => random() < 0.5)) cluster.deletePod('default', victim.name, 0);
		},
		'new-pod': () => {
			cluster.createPod('default', `bare-${++bare}`, {app: 'web'});
		},
		'new-deployment': () => {
			cluster.createDeployment('default', `burst-${++bare}`, 1 + Math.floor(random() * 3), {app: 'web'});
		},
		restart: async () => {
			await watcher.stop();
			const victim = webPods()[0];
			if (victim) cluster.deletePod('default', victim.name, 0); // a change it must catch up with
			await sleep(random() * 30);
			watcher.start();
		},
		'fail-requests': () => cluster.faults.set({failNextRequests: 1 + Math.floor(random() * 3)}),
		'malformed-lines': () => cluster.faults.set({malformedWatchLines: random() < 0.7}),
	};
	const names = Object.keys(actions);
	const done: string[] = [];
	for (let round = 0; round < rounds; round++) {
		// Every kind of fault once first, then a random mix.
		const name = round < names.length ? names[round]! : pick(names);
		done.push(name);
		await actions[name]!();
		await sleep(random() * 40);
		if (round % 10 === 9) {
			cluster.faults.set({malformedWatchLines: false});
			await converged(`round ${round} (${done.slice(-10).join(', ')})`);
		}
	}
	cluster.faults.set({malformedWatchLines: false, failNextRequests: 0});
	await converged('the end');

	// The faults were really met, not dodged.
	assert.ok(watcher.stats.relistsAfterGone > 0, 'relisted after 410');
	assert.ok(watcher.stats.failures > 0, 'recovered from failures');
	assert.ok(watcher.stats.cleanEnds > 0, 'rewatched after clean ends');
	assert.ok(watcher.stats.malformedLines > 0, 'skipped malformed lines');
	assert.ok(watcher.stats.lists > 2, 'listed again after restarts');

	// A fresh watcher agrees too.
	const fresh = new PodWatcher({access: accessForUrl(cluster.url), namespace: 'default', labelSelector: 'app=web'});
	t.after(() => fresh.stop());
	fresh.start();
	await waitFor(() => fresh.state.kind === 'live', 'a fresh watcher');
	assert.equal(difference(fingerprint(fresh.list()), fingerprint(watcher.list())), '');
});

test('a namespace that the user may not list: error state names the permission, and the watcher recovers', async (t) => {
	const cluster = await startDemoCluster({scenario: 'empty', timing: quickTiming});
	t.after(() => cluster.close());
	cluster.createPod('default', 'solo', {app: 'web'});
	cluster.faults.set({forbid: [{verb: 'list', resource: 'pods'}]});
	const watcher = new PodWatcher({access: accessForUrl(cluster.url), namespace: 'default', forbiddenRetryMs: 20});
	t.after(() => watcher.stop());
	watcher.start();
	await waitFor(() => watcher.state.kind === 'error', 'the error state');
	const state = watcher.state;
	assert.ok(state.kind === 'error');
	assert.match(state.error, /^403 forbidden: user "[^"]+" may not list pods in namespace "default"; grant it with the Role in manifests\/podinvaders-rbac\.yml$/);
	cluster.faults.set({forbid: []});
	await waitFor(() => watcher.state.kind === 'live', 'recovery');
	assert.deepEqual(watcher.list().map((pod) => pod.name), ['solo']);
});
