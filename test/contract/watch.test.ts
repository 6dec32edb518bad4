// PodWatcher against each backend: list, then watch, resume from the last resourceVersion after the network
// was cut (no relist), and after the history it would resume from was compacted (410 → relist), its view and
// a listener's view built from its events alone equal the server's list; and both forms of 410 it relies on.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {request, requestJson} from '../../src/kube/http.js';
import {PodWatcher} from '../../src/kube/pod-watcher.js';
import type {Pod} from '../../src/model/pod.js';
import {difference, fingerprint, mirrorOf} from '../kube/demo-helpers.js';
import {forEachBackend, type ContractBackend} from './backend.js';
import {startCutter, type Cutter} from './cutter.js';

interface Watched {
	watcher: PodWatcher;
	mirror: ReturnType<typeof mirrorOf>;
	cutter: Cutter;
	/** Every event's type and pod name/uid, in order. */
	log: Array<{type: string; pod?: Pod}>;
	stop(): Promise<void>;
}

async function watch(backend: ContractBackend, namespace: string, labelSelector: string): Promise<Watched> {
	const cutter = await startCutter(backend.access);
	const watcher = new PodWatcher({
		access: cutter.access,
		namespace,
		labelSelector,
		pageSize: 2, // several pages: limit/continue too
		backoff: {initialMs: 20, maxMs: 200, jitter: 0},
		connectTimeoutMs: 2000,
	});
	const mirror = mirrorOf();
	const log: Watched['log'] = [];
	watcher.subscribe(mirror.listen);
	watcher.subscribe((event) => {
		if (event.type === 'added' || event.type === 'modified' || event.type === 'deleted') log.push({type: event.type, pod: event.pod});
		else if (event.type === 'snapshot') log.push({type: 'snapshot'});
	});
	watcher.start();
	return {
		watcher,
		mirror,
		cutter,
		log,
		async stop() {
			await watcher.stop();
			await cutter.close();
		},
	};
}

/** Until the watcher's view and its listener's view equal the server's list; the last difference on failure. */
async function converged(backend: ContractBackend, namespace: string, selector: string, watched: Watched, when: string): Promise<Pod[]> {
	let server: Pod[] = [];
	let problem = '';
	try {
		await backend.waitFor(async () => {
			server = await backend.listPods(namespace, selector);
			const truth = fingerprint(server);
			problem = difference(truth, fingerprint(watched.watcher.list())) || difference(truth, fingerprint(watched.mirror.pods.values()));
			return problem === '';
		}, 'convergence');
	} catch {
		assert.fail(`${when}: the watcher's view differs from the server's list:\n${problem}`);
	}
	return server;
}

const settled = (pods: readonly Pod[], count: number) => pods.length === count && pods.every((pod) => pod.ready && !pod.deletionTimestamp);

forEachBackend({expirable: true}, (name, backend) => {
	let namespace = '';

	test(`[${name}] list + watch, then resume from the last resourceVersion after the connection was cut`, async (t) => {
		namespace = await backend().createNamespace('contract-watch');
		await backend().createDeployment(namespace, 'resume', 3, {app: 'resume'});
		const watched = await watch(backend(), namespace, 'app=resume');
		t.after(() => watched.stop());
		await backend().waitFor(() => settled(watched.watcher.list(), 3), 'three Ready pods in view');
		const before = await converged(backend(), namespace, 'app=resume', watched, 'after the first list');
		assert.equal(watched.watcher.stats.lists, 1);
		const listedAt = watched.watcher.resourceVersion;

		watched.cutter.cut();
		await backend().waitFor(() => watched.watcher.state.kind === 'reconnecting', 'the watcher to notice the cut');
		// What happens while it is away: someone deletes a pod (the ReplicaSet replaces it) and adds one.
		const victim = before[0]!;
		await backend().deletePodAsSomeoneElse(namespace, victim.name, 0);
		const extra = await backend().createPod(namespace, 'resume-extra', {app: 'resume'});
		await backend().waitFor(async () => settled(await backend().listPods(namespace, 'app=resume'), 4), 'the server to settle at 4 Ready pods');
		watched.cutter.resume();

		const after = await converged(backend(), namespace, 'app=resume', watched, 'after resuming');
		assert.equal(watched.watcher.state.kind, 'live');
		assert.equal(watched.watcher.stats.lists, 1, 'resumed from its resourceVersion: no second list');
		assert.equal(watched.watcher.stats.relistsAfterGone, 0);
		assert.ok(BigInt(watched.watcher.resourceVersion) > BigInt(listedAt), 'its resourceVersion moved on');
		assert.ok(watched.log.some((entry) => entry.type === 'deleted' && entry.pod?.uid === victim.uid), 'the delete came as an event');
		assert.ok(watched.log.some((entry) => entry.type === 'added' && entry.pod?.uid === extra.uid), 'the new pod came as an event');
		assert.ok(!after.some((pod) => pod.uid === victim.uid));
	});

	test(`[${name}] 410 after the history expired: relist, and the watcher's view equals the server's list`, async (t) => {
		await backend().createDeployment(namespace, 'expire', 3, {app: 'expire'});
		const watched = await watch(backend(), namespace, 'app=expire');
		t.after(() => watched.stop());
		await backend().waitFor(() => settled(watched.watcher.list(), 3), 'three Ready pods in view');
		const before = await converged(backend(), namespace, 'app=expire', watched, 'after the first list');

		watched.cutter.cut();
		await backend().waitFor(() => watched.watcher.state.kind === 'reconnecting', 'the watcher to notice the cut');
		const [victim, survivor] = before;
		await backend().deletePodAsSomeoneElse(namespace, victim!.name, 0);
		const extra = await backend().createPod(namespace, 'expire-extra', {app: 'expire'});
		await backend().waitFor(async () => settled(await backend().listPods(namespace, 'app=expire'), 4), 'the server to settle at 4 Ready pods');
		await backend().expireHistory();
		watched.cutter.resume();

		const after = await converged(backend(), namespace, 'app=expire', watched, 'after the 410');
		assert.ok(watched.watcher.stats.relistsAfterGone >= 1, 'the resume was refused with 410 and it relisted');
		assert.ok(watched.watcher.stats.lists >= 2);
		assert.equal(watched.watcher.state.kind, 'live');
		// The relist's diff reached listeners as events, not as a second snapshot.
		assert.equal(watched.log.filter((entry) => entry.type === 'snapshot').length, 1);
		assert.ok(watched.log.some((entry) => entry.type === 'deleted' && entry.pod?.uid === victim!.uid));
		assert.ok(watched.log.some((entry) => entry.type === 'added' && entry.pod?.uid === extra.uid));
		assert.ok(after.some((pod) => pod.uid === survivor!.uid));

		// After the relist it watches again: a change now arrives as an event.
		await backend().deletePodAsSomeoneElse(namespace, 'expire-extra', 0);
		await backend().waitFor(() => !watched.watcher.get(extra.uid), 'the next delete in view');
		await converged(backend(), namespace, 'app=expire', watched, 'after the next delete');
	});

	test(`[${name}] the two 410s PodWatcher relists on: a compacted watch (in-stream ERROR), an expired continue token (HTTP 410)`, async () => {
		const b = backend();
		const path = `/api/v1/namespaces/${namespace}/pods`;
		const page = (await requestJson(b.access, {path, query: {limit: 1}})) as {metadata: {resourceVersion: string; continue?: string}};
		assert.ok(page.metadata.continue, 'more than one page');
		await b.deletePodAsSomeoneElse(namespace, (await b.listPods(namespace))[0]!.name, 0); // history moves on
		await b.expireHistory();

		const watch = await request(b.access, {path, query: {watch: true, resourceVersion: page.metadata.resourceVersion, timeoutSeconds: 5}});
		assert.equal(watch.status, 200, 'a watch answers 200 and reports the 410 inside the stream');
		const [line, ...rest] = watch.body.toString('utf8').split('\n').filter(Boolean);
		const event = JSON.parse(line!) as {type: string; object: {kind: string; code: number; reason: string}};
		assert.deepEqual([event.type, event.object.kind, event.object.code, event.object.reason], ['ERROR', 'Status', 410, 'Expired']);
		assert.deepEqual(rest, [], 'and ends there');

		const next = await request(b.access, {path, query: {limit: 1, continue: page.metadata.continue}});
		const status = JSON.parse(next.body.toString('utf8')) as {kind: string; code: number; reason: string};
		assert.equal(next.status, 410);
		assert.deepEqual([status.kind, status.code, status.reason], ['Status', 410, 'Expired']);
	});
});
