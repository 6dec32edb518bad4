// The real Goldpinger as a test peer: the same situations played with the built-in Goldpinger and with
// the real binary (built by ./build.ts), and podinvaders must read both the same way: same health per pod,
// same heat-map cells (kind of each cell; latencies differ by a millisecond here and there), and the same
// error texts for a killed peer. Without Go (or without the module), the test says why it skipped.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {goldpingerRuntime, latencyAnnotation, type GoldpingerPodInfo} from '../../src/demo/goldpinger-sim.js';
import {normaliseCheckAll} from '../../src/kube/goldpinger.js';
import {healthByUid} from '../../src/game/health.js';
import {buildHeatMap, type HeatBand} from '../../src/game/heatmap.js';
import type {GoldpingerResult} from '../../src/model/goldpinger.js';
import {podFromObject} from '../../src/model/pod.js';
import {eventually, getText, loopbackSubnet, startFakeApiServer, type FakePod} from '../demo/goldpinger-helpers.js';
import {ensureRealGoldpinger} from './build.js';

const names = ['goldpinger-c86c78448-5kwpp', 'goldpinger-c86c78448-gtbvv', 'goldpinger-c86c78448-vcwx2'];
type Select = ReturnType<typeof goldpingerRuntime>;

interface Observed {
	readonly steadyHealth: Record<string, string>;
	readonly steadyCells: string[][];
	readonly killedHealth: Record<string, string>;
	readonly killedCells: string[][];
	/** Error texts with the IPs replaced by IP (the two runs use different loopback addresses). */
	readonly pingError: string;
	readonly checkError: string;
}

/** A cell's kind: a latency band is "ok" (the two runs differ by a millisecond), failures and self kept. */
const kind = (band: HeatBand): string => (['fast', 'good', 'slow', 'bad'].includes(band) ? 'ok' : band);

async function checkAll(ip: string): Promise<GoldpingerResult> {
	const reply = await getText(`http://${ip}:8080/check_all`);
	const result = normaliseCheckAll(JSON.parse(reply.body), performance.now());
	if ('error' in result) throw new Error(result.error);
	return result;
}

/** Experiment 1 against three instances run by `select`: steady state, then one killed (still listed). */
async function playExperiment1(select: Select): Promise<Observed> {
	const ip = loopbackSubnet();
	const fakes: FakePod[] = names.map((name, index) => ({name, podIP: ip(index + 1)}));
	const api = await startFakeApiServer(fakes);
	const infos: GoldpingerPodInfo[] = fakes.map((fake) => ({
		namespace: 'default',
		name: fake.name,
		uid: `uid-${fake.name}`,
		podIP: fake.podIP,
		labels: {app: 'goldpinger'},
		annotations: {},
		image: 'docker.io/bloomberg/goldpinger:v3.0.0',
		env: {REFRESH_INTERVAL: '1', HOST: '0.0.0.0', PORT: '8080'},
		ports: [8080],
		apiServerUrl: api.url,
	}));
	try {
		for (const info of infos) await select(info)!.start(info);
		const pods = fakes.map((fake) => podFromObject({metadata: {name: fake.name, uid: `uid-${fake.name}`}, status: {phase: 'Running', podIP: fake.podIP}}));
		const view = (result: GoldpingerResult) => {
			const now = performance.now();
			const health = Object.fromEntries(healthByUid(pods, result, now, 1000));
			const heat = buildHeatMap(result, {now, refreshMs: 1000, maxColumns: 10, maxRows: 10});
			// Pair by pair (the column order follows latency, which differs by a millisecond between runs).
			const cells = heat.rows
				.flatMap((row) => row.cells.map((cell, index) => [row.source.name, heat.columns[index]!.name, kind(cell.band)]))
				.sort((a, b) => a.join().localeCompare(b.join()));
			return {health, cells};
		};
		const steady = await eventually(async () => {
			const result = await checkAll(ip(1));
			return result.sources.length === 3 && result.sources.every((source) => source.ok && source.pings.length === 3 && source.pings.every((p) => p.ok)) ? result : undefined;
		});
		await select(infos[2]!)!.stop(infos[2]!);
		const killed = await eventually(async () => {
			const result = await checkAll(ip(1));
			const alive = result.sources.filter((source) => source.name !== names[2]);
			return !result.sources.find((source) => source.name === names[2])?.ok &&
				alive.every((source) => source.pings.some((p) => p.target === names[2] && !p.ok))
				? result
				: undefined;
		});
		const unIP = (text: string | undefined) => (text ?? '').split(ip(3)).join('IP');
		return {
			steadyHealth: view(steady).health,
			steadyCells: view(steady).cells,
			killedHealth: view(killed).health,
			killedCells: view(killed).cells,
			pingError: unIP(killed.sources.find((source) => source.name === names[0])!.pings.find((p) => p.target === names[2])!.error),
			checkError: unIP(killed.sources.find((source) => source.name === names[2])!.error),
		};
	} finally {
		for (const info of infos) await select(info)!.stop(info);
		await api.close();
	}
}

test('real Goldpinger and the built-in one read the same: steady state, then one pod killed', async (t) => {
	const built = ensureRealGoldpinger();
	if (!built.binPath) {
		t.skip(`real Goldpinger unavailable: ${built.skip}`);
		return;
	}
	t.diagnostic(`real Goldpinger: ${built.note}`);
	const builtin = await playExperiment1(goldpingerRuntime());
	const real = await playExperiment1(goldpingerRuntime({binPath: built.binPath}));

	// The situation as podinvaders shows it, checked on its own first (so both runs cannot be wrong alike)…
	assert.deepEqual(Object.values(builtin.steadyHealth), ['healthy', 'healthy', 'healthy']);
	assert.equal(builtin.steadyCells.length, 9);
	assert.deepEqual(
		builtin.killedCells.filter(([, target]) => target === names[2]).map(([source, , cell]) => `${source} ${cell}`),
		[`${names[0]} error`, `${names[1]} error`, `${names[2]} none`],
	);
	assert.deepEqual(builtin.killedHealth, {[`uid-${names[0]}`]: 'healthy', [`uid-${names[1]}`]: 'healthy', [`uid-${names[2]}`]: 'unhealthy'});
	// …then the real one must agree cell for cell and word for word.
	assert.deepEqual(real.steadyHealth, builtin.steadyHealth);
	assert.deepEqual(real.steadyCells, builtin.steadyCells);
	assert.deepEqual(real.killedHealth, builtin.killedHealth);
	assert.deepEqual(real.killedCells, builtin.killedCells);
	assert.equal(real.pingError, builtin.pingError);
	assert.equal(real.checkError, builtin.checkError);
	assert.equal(real.pingError, 'Get "http://IP:8080/ping": dial tcp IP:8080: connect: connection refused');
});

test('real Goldpinger behind the 250 ms proxy (Experiment 2): its column reads ≈250 ms and it stays healthy', async (t) => {
	const built = ensureRealGoldpinger();
	if (!built.binPath) {
		t.skip(`real Goldpinger unavailable: ${built.skip}`);
		return;
	}
	const ip = loopbackSubnet();
	const fakes: FakePod[] = [
		{name: 'goldpinger-fast1', podIP: ip(1)},
		{name: 'goldpinger-slow1', podIP: ip(2)},
	];
	const api = await startFakeApiServer(fakes);
	t.after(() => api.close());
	const select = goldpingerRuntime({binPath: built.binPath});
	const base = {namespace: 'default', labels: {app: 'goldpinger'}, image: 'bloomberg/goldpinger:v3.0.0', ports: [8080], apiServerUrl: api.url};
	const infos: GoldpingerPodInfo[] = [
		{...base, name: fakes[0]!.name, uid: 'u1', podIP: ip(1), annotations: {}, env: {REFRESH_INTERVAL: '1', PORT: '8080'}},
		{...base, name: fakes[1]!.name, uid: 'u2', podIP: ip(2), annotations: {[latencyAnnotation]: '250'}, env: {REFRESH_INTERVAL: '1', PORT: '9090', CLIENT_PORT_OVERRIDE: '8080'}},
	];
	for (const info of infos) await select(info)!.start(info);
	t.after(async () => {
		for (const info of infos) await select(info)!.stop(info);
	});
	const result = await eventually(async () => {
		const reply = await checkAll(ip(1));
		const toSlow = reply.sources.find((source) => source.name === 'goldpinger-fast1')?.pings.find((p) => p.target === 'goldpinger-slow1');
		return toSlow?.ok && toSlow.responseTimeMs >= 250 ? reply : undefined;
	}, 40);
	const heat = buildHeatMap(result, {now: performance.now(), refreshMs: 1000, maxColumns: 5, maxRows: 5});
	assert.equal(heat.columns[0]!.name, 'goldpinger-slow1');
	assert.ok(heat.columns[0]!.p95! >= 250 && heat.columns[0]!.p95! < 300);
	const pods = fakes.map((fake) => podFromObject({metadata: {name: fake.name, uid: fake.name}, status: {phase: 'Running', podIP: fake.podIP}}));
	assert.equal(healthByUid(pods, result, performance.now(), 1000).get('goldpinger-slow1'), 'healthy');
});
