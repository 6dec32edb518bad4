// The real Goldpinger as a test peer: the same situations played with the built-in Goldpinger and with
// the real binary (built by ./build.ts), and podinvaders must read both the same way: same health per pod,
// same heat-map cells (kind of each cell; latencies differ by a millisecond here and there), and the same
// error texts for a killed peer. Without Go (or without the module), the test says why it skipped.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {startDemoCluster} from '../../src/demo/server.js';
import {accessForUrl} from '../../src/kube/access.js';
import {createGoldpingerPoller, GoldpingerPoller} from '../../src/kube/goldpinger.js';
import {goldpingerRuntime} from '../../src/demo/goldpinger-sim.js';
const run = promisify(execFile);
import {healthByUid} from '../../src/game/health.js';
import {buildHeatMap, type HeatBand} from '../../src/game/heatmap.js';
import type {GoldpingerResult} from '../../src/model/goldpinger.js';
import {podFromObject} from '../../src/model/pod.js';
import {eventually, runExperiment2} from '../demo/goldpinger-helpers.js';
import {ensureRealGoldpinger} from './build.js';

type Select = ReturnType<typeof goldpingerRuntime>;
const refreshMs = 2000; // REFRESH_INTERVAL in manifests/goldpinger.yml

interface Observed {
	readonly steadyHealth: string[];
	/** Every source→target pair: role of each (victim / survivor) and the kind of the cell. */
	readonly steadyCells: string[];
	readonly killedHealth: Record<string, string>;
	readonly killedCells: string[];
	/** Error texts with the victim's IP replaced by IP. */
	readonly pingError: string;
	readonly checkError: string;
	readonly replacementHealth: string[];
}

/** A cell's kind: a latency band is "ok" (the two runs differ by a millisecond), failures and self kept. */
const kind = (band: HeatBand): string => (['fast', 'good', 'slow', 'bad'].includes(band) ? 'ok' : band);


/**
 * Experiment 1 on a demo cluster whose kubelet runs Goldpinger with `select`: `kubectl apply` the book's
 * manifests, steady state, delete one pod (kube-thanos.sh), then its replacement. What podinvaders makes of
 * check_all (through the service proxy, like the game) is returned by role, so runs can be compared.
 */
async function playExperiment1(select: Select): Promise<Observed> {
	const cluster = await startDemoCluster({
		scenario: 'empty',
		seed: 11,
		runtimes: select,
		timing: {pendingMs: [50, 150], containerCreatingMs: [100, 300], readyMs: [50, 100], defaultGracePeriodSeconds: 3},
	});
	const dir = mkdtempSync(join(tmpdir(), 'podinvaders-real-gp-'));
	const poller = createGoldpingerPoller(accessForUrl(cluster.url), {namespace: 'default'});
	try {
		if (!(poller instanceof GoldpingerPoller)) throw new Error(poller.error);
		const kubeconfig = join(dir, 'kubeconfig');
		writeFileSync(kubeconfig, cluster.kubeconfigYaml());
		for (const file of ['manifests/goldpinger-rbac.yml', 'manifests/goldpinger.yml']) await run('kubectl', ['--kubeconfig', kubeconfig, 'apply', '-f', file], {timeout: 30_000});

		const look = async () => {
			const status = await poller.pollOnce();
			const result = status.state === 'ok' ? status.result : undefined;
			const pods = cluster.listPods('default', 'app=goldpinger').map((raw) => podFromObject(raw));
			return {result, pods, health: healthByUid(pods, result, performance.now(), refreshMs)};
		};
		const cells = (result: GoldpingerResult, role: (name: string) => string): string[] => {
			const heat = buildHeatMap(result, {now: performance.now(), refreshMs, maxColumns: 10, maxRows: 10});
			return heat.rows
				.flatMap((row) => row.cells.map((cell, index) => `${role(row.source.name)}→${role(heat.columns[index]!.name)} ${kind(cell.band)}`))
				.sort();
		};

		const steady = await eventually(async () => {
			const view = await look();
			const complete = view.result?.sources.length === 3 && view.result.sources.every((source) => source.ok && source.pings.length === 3);
			return view.pods.length === 3 && complete && view.pods.every((pod) => pod.ready && view.health.get(pod.uid) === 'healthy') ? view : undefined;
		}, 80);
		const victim = steady.pods[0]!;
		const survivor = (name: string) => (name === victim.name ? 'victim' : steady.pods.some((pod) => pod.name === name) ? 'survivor' : 'new');
		const steadyCells = cells(steady.result!, survivor);

		cluster.deletePod('default', victim.name);
		const killed = await eventually(async () => {
			const view = await look();
			const peers = view.result?.sources.filter((source) => source.name !== victim.name && steady.pods.some((pod) => pod.name === source.name)) ?? [];
			const allSeeIt = peers.length === 2 && peers.every((source) => source.pings.some((ping) => ping.target === victim.name && !ping.ok));
			const checkFailed = view.result?.sources.find((source) => source.name === victim.name)?.ok === false;
			return allSeeIt && checkFailed ? view : undefined;
		}, 60);
		const unIP = (text: string | undefined) => (text ?? '').split(victim.podIP!).join('IP');
		const replaced = await eventually(async () => {
			const view = await look();
			const fresh = view.pods.filter((pod) => survivor(pod.name) === 'new');
			return view.pods.length === 3 && fresh.length === 1 && fresh[0]!.ready && view.health.get(fresh[0]!.uid) === 'healthy' ? view : undefined;
		}, 80);
		return {
			steadyHealth: steady.pods.map((pod) => steady.health.get(pod.uid)!),
			steadyCells,
			killedHealth: Object.fromEntries(
				killed.pods.filter((pod) => survivor(pod.name) !== 'new').map((pod) => [pod.name === victim.name ? 'victim' : pod.name, killed.health.get(pod.uid)!]),
			),
			killedCells: cells(killed.result!, survivor).filter((cell) => !cell.includes('new')),
			pingError: unIP(
				killed.result!.sources.find((source) => survivor(source.name) === 'survivor')!.pings.find((ping) => ping.target === victim.name && !ping.ok)!.error,
			),
			checkError: unIP(killed.result!.sources.find((source) => source.name === victim.name)!.error),
			replacementHealth: replaced.pods.map((pod) => replaced.health.get(pod.uid)!),
		};
	} finally {
		if (poller instanceof GoldpingerPoller) poller.stop();
		await cluster.close();
		rmSync(dir, {recursive: true, force: true});
	}
}

test('real Goldpinger and the built-in one read the same on the demo cluster: steady state, one pod killed, its replacement', async (t) => {
	const built = ensureRealGoldpinger();
	if (!built.binPath) {
		t.skip(`real Goldpinger unavailable: ${built.skip}`);
		return;
	}
	t.diagnostic(`real Goldpinger: ${built.note}`);
	const builtin = await playExperiment1(goldpingerRuntime());
	const real = await playExperiment1(goldpingerRuntime({binPath: built.binPath}));

	// The situation as podinvaders shows it, checked on its own first (so both runs cannot be wrong alike)…
	assert.deepEqual(builtin.steadyHealth, ['healthy', 'healthy', 'healthy']);
	assert.equal(builtin.steadyCells.length, 9);
	assert.equal(Object.values(builtin.killedHealth).filter((health) => health === 'healthy').length, 2);
	assert.equal(builtin.killedHealth['victim'], 'unhealthy');
	assert.deepEqual(
		builtin.killedCells.filter((cell) => cell.includes('→victim')),
		['survivor→victim error', 'survivor→victim error', 'victim→victim none'],
	);
	assert.deepEqual(builtin.replacementHealth, ['healthy', 'healthy', 'healthy']);
	// …then the real one must agree cell for cell and word for word.
	assert.deepEqual(real.steadyHealth, builtin.steadyHealth);
	assert.deepEqual(real.steadyCells, builtin.steadyCells);
	assert.deepEqual(Object.values(real.killedHealth).sort(), Object.values(builtin.killedHealth).sort());
	assert.equal(real.killedHealth['victim'], 'unhealthy');
	assert.deepEqual(real.killedCells, builtin.killedCells);
	assert.equal(real.pingError, builtin.pingError);
	assert.equal(real.checkError, builtin.checkError);
	assert.equal(real.pingError, 'Get "http://IP:8080/ping": dial tcp IP:8080: connect: connection refused');
	assert.deepEqual(real.replacementHealth, builtin.replacementHealth);
});

test('real Goldpinger behind the 250 ms proxy (Experiment 2): its column reads ≈250 ms and it stays healthy', async (t) => {
	const built = ensureRealGoldpinger();
	if (!built.binPath) {
		t.skip(`real Goldpinger unavailable: ${built.skip}`);
		return;
	}
	const {result, fakes} = await runExperiment2(t, {binPath: built.binPath});
	const heat = buildHeatMap(result, {now: performance.now(), refreshMs: 1000, maxColumns: 5, maxRows: 5});
	assert.equal(heat.columns[0]!.name, 'goldpinger-slow1');
	assert.ok(heat.columns[0]!.p95! >= 250 && heat.columns[0]!.p95! < 300);
	const pods = fakes.map((fake) => podFromObject({metadata: {name: fake.name, uid: fake.name}, status: {phase: 'Running', podIP: fake.podIP}}));
	assert.equal(healthByUid(pods, result, performance.now(), 1000).get('goldpinger-slow1'), 'healthy');
});
