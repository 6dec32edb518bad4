// The book's Goldpinger workflow on the embedded demo cluster, end to end over real HTTP: `kubectl apply`
// of manifests/goldpinger-rbac.yml and goldpinger.yml starts three built-in Goldpingers; podinvaders' poller
// asks check_all through the API server's service proxy; Experiment 1 (kill one: unreachable for its
// peers, its replacement healthy once Running); Experiment 2 (`kubectl apply -f goldpinger-slow.yml`: its
// column ≈250 ms, still healthy); and the poller's "off" state when there is no Goldpinger service.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {startDemoCluster} from '../../src/demo/server.js';
import {goldpingerRuntime} from '../../src/demo/goldpinger-sim.js';
import {accessForUrl} from '../../src/kube/access.js';
import {createGoldpingerPoller, GoldpingerPoller} from '../../src/kube/goldpinger.js';
import {healthByUid} from '../../src/game/health.js';
import {buildHeatMap} from '../../src/game/heatmap.js';
import {podFromObject, type Pod} from '../../src/model/pod.js';
import type {GoldpingerResult} from '../../src/model/goldpinger.js';
import {eventually} from './goldpinger-helpers.js';

const run = promisify(execFile);
const refreshMs = 2000; // REFRESH_INTERVAL in manifests/goldpinger.yml

test('the book on the demo cluster: apply, steady state, Experiment 1, Experiment 2', async (t) => {
	const cluster = await startDemoCluster({
		scenario: 'empty',
		seed: 7,
		runtimes: goldpingerRuntime(),
		timing: {pendingMs: [50, 150], containerCreatingMs: [100, 300], readyMs: [50, 100], defaultGracePeriodSeconds: 3},
	});
	t.after(() => cluster.close());
	const dir = mkdtempSync(join(tmpdir(), 'podinvaders-gp-test-'));
	t.after(() => rmSync(dir, {recursive: true, force: true}));
	const kubeconfig = join(dir, 'kubeconfig');
	writeFileSync(kubeconfig, cluster.kubeconfigYaml());
	const kubectl = async (...args: string[]) => (await run('kubectl', ['--kubeconfig', kubeconfig, ...args], {timeout: 30_000})).stdout;

	const poller = createGoldpingerPoller(accessForUrl(cluster.url), {namespace: 'default', refreshSeconds: refreshMs / 1000});
	assert.ok(poller instanceof GoldpingerPoller);
	t.after(() => poller.stop());

	// No Goldpinger yet: colouring off, with the hint.
	const off = await poller.pollOnce();
	assert.equal(off.state, 'off');
	assert.match(off.message!, /no service goldpinger:8080 in default/);

	assert.match(await kubectl('apply', '-f', 'manifests/goldpinger-rbac.yml'), /clusterrole.rbac.authorization.k8s.io\/goldpinger-clusterrole created/);
	assert.match(await kubectl('apply', '-f', 'manifests/goldpinger.yml'), /deployment.apps\/goldpinger created\nservice\/goldpinger created/);

	const goldpingers = (): Pod[] => cluster.listPods('default', 'app=goldpinger').map((raw) => podFromObject(raw));
	const look = async () => {
		const status = await poller.pollOnce();
		const result = status.state === 'ok' ? status.result : undefined;
		const pods = goldpingers();
		return {result, pods, health: healthByUid(pods, result, performance.now(), refreshMs)};
	};
	const healthOf = (health: Map<string, string>, pods: Pod[]) => Object.fromEntries(pods.map((pod) => [pod.name, health.get(pod.uid)]));

	// Steady state: three Running pods, all reached by all (the book: "all three nodes showing in green").
	const steady = await eventually(async () => {
		const view = await look();
		return view.pods.length === 3 && view.pods.every((pod) => pod.ready && view.health.get(pod.uid) === 'healthy') ? view : undefined;
	}, 80);
	assert.equal(steady.result!.sources.length, 3);

	// Experiment 1: kill one (as kube-thanos.sh does). While it is Terminating its peers report it unreachable.
	const victim = steady.pods[1]!;
	await kubectl('delete', 'pod', victim.name, '--wait=false');
	const peerPingsTo = (result: GoldpingerResult | undefined, name: string) =>
		(result?.sources ?? []).flatMap((source) => source.pings.filter((ping) => ping.target === name && source.name !== name));
	const during = await eventually(async () => {
		const view = await look();
		const refused = peerPingsTo(view.result, victim.name).some((ping) => !ping.ok && /connection refused/.test(ping.error ?? ''));
		return view.health.get(victim.uid) === 'unhealthy' && refused ? view : undefined;
	}, 60);
	const survivors = during.pods.filter((pod) => pod.uid !== victim.uid && steady.pods.some((old) => old.uid === pod.uid));
	assert.equal(survivors.length, 2);
	for (const pod of survivors) assert.equal(during.health.get(pod.uid), 'healthy', `${pod.name} ${JSON.stringify(healthOf(during.health, during.pods))}`);

	// …and its replacement turns healthy once Running; the victim is gone.
	const after = await eventually(async () => {
		const view = await look();
		const fresh = view.pods.filter((pod) => !steady.pods.some((old) => old.uid === pod.uid));
		return view.pods.length === 3 && fresh.length === 1 && fresh[0]!.ready && view.health.get(fresh[0]!.uid) === 'healthy' ? view : undefined;
	}, 80);
	assert.ok(after.pods.every((pod) => after.health.get(pod.uid) === 'healthy'));

	// Experiment 2: the slow instance joins; peers reach it in ≈250 ms (under the 300 ms timeout): healthy.
	assert.match(await kubectl('apply', '-f', 'manifests/goldpinger-slow.yml'), /deployment.apps\/goldpinger-slow created/);
	const slow = await eventually(async () => {
		const view = await look();
		const slowPod = view.pods.find((pod) => pod.labels['chaos'] === 'slow' && pod.ready);
		if (!slowPod || !view.result) return undefined;
		const toSlow = peerPingsTo(view.result, slowPod.name);
		return toSlow.length === 3 && toSlow.every((ping) => ping.ok) ? {...view, slowPod, result: view.result as GoldpingerResult} : undefined;
	}, 80);
	const heat = buildHeatMap(slow.result, {now: performance.now(), refreshMs, maxColumns: 10, maxRows: 10});
	assert.equal(heat.columns[0]!.name, slow.slowPod.name, 'the slowest target comes first');
	assert.ok(heat.columns[0]!.p95! >= 250 && heat.columns[0]!.p95! < 300, `p95 ${heat.columns[0]!.p95}`);
	assert.equal(slow.health.get(slow.slowPod.uid), 'healthy');
	assert.match(await kubectl('get', 'svc,deploy,pods'), /service\/goldpinger\s+LoadBalancer[\s\S]*deployment.apps\/goldpinger-slow\s+1\/1/);
});
