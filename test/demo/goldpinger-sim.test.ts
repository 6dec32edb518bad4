import {test} from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import {
	goldpingerConfig,
	goldpingerRuntime,
	parseGoDurationMs,
	startLatencyProxy,
} from '../../src/demo/goldpinger-sim.js';
import {healthByUid} from '../../src/game/health.js';
import {buildHeatMap} from '../../src/game/heatmap.js';
import {podFromObject} from '../../src/model/pod.js';
import {checkAll, eventually, getText, loopbackSubnet, podInfo, runExperiment2, startFakeApiServer, type FakePod} from './goldpinger-helpers.js';



const slimPods = (fakes: FakePod[]) =>
	fakes.map((fake) => podFromObject({metadata: {name: fake.name, uid: `uid-${fake.name}`}, status: {phase: 'Running', podIP: fake.podIP}}));

test('config from env: defaults of the real one, Go durations', () => {
	const base = {namespace: 'ns', name: 'p', uid: 'u', podIP: '127.1.1.1', labels: {}, annotations: {}, image: 'goldpinger', ports: [], apiServerUrl: 'http://a/'};
	const defaults = goldpingerConfig({...base, env: {}});
	assert.deepEqual(
		[defaults.port, defaults.clientPort, defaults.refreshMs, defaults.pingTimeoutMs, defaults.checkTimeoutMs, defaults.checkAllTimeoutMs, defaults.labelSelector, defaults.namespace, defaults.apiServerUrl],
		[8080, 8080, 30_000, 300, 1000, 5000, 'app=goldpinger', 'ns', 'http://a'],
	);
	const book = goldpingerConfig({...base, env: {REFRESH_INTERVAL: '2', PORT: '9090', CLIENT_PORT_OVERRIDE: '8080', PING_TIMEOUT: '1s', NAMESPACE: 'other'}});
	assert.deepEqual([book.port, book.clientPort, book.refreshMs, book.pingTimeoutMs, book.namespace], [9090, 8080, 2000, 1000, 'other']);
	assert.equal(parseGoDurationMs('300ms'), 300);
	assert.equal(parseGoDurationMs('1.5s'), 1500);
	assert.equal(parseGoDurationMs('nonsense'), undefined);
});

test('runtime selector: only goldpinger images', () => {
	const select = goldpingerRuntime();
	assert.equal(select(podInfo({name: 'x', podIP: '127.0.0.1'}, 'http://a', {image: 'nginx:1.25'})), undefined);
	assert.ok(select(podInfo({name: 'x', podIP: '127.0.0.1'}, 'http://a')));
});

test('built-in Goldpinger: real endpoints, peers ping each other, a stopped pod is unreachable for its peers', async (t) => {
	const ip = loopbackSubnet();
	const fakes: FakePod[] = [
		{name: 'goldpinger-c86c78448-aaaaa', podIP: ip(1)},
		{name: 'goldpinger-c86c78448-bbbbb', podIP: ip(2)},
		{name: 'goldpinger-c86c78448-ccccc', podIP: ip(3)},
	];
	const api = await startFakeApiServer(fakes);
	t.after(() => api.close());
	const select = goldpingerRuntime();
	const infos = fakes.map((fake) => podInfo(fake, api.url));
	for (const info of infos) await select(info)!.start(info);
	t.after(async () => {
		for (const info of infos) await select(info)!.stop(info);
	});

	// Plain endpoints, with Goldpinger's shapes
	const ping = await getText(`http://${ip(1)}:8080/ping`);
	assert.equal(ping.type, 'application/json');
	assert.match(ping.body, /^\{"boot_time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"\}\n$/);
	assert.match((await getText(`http://${ip(1)}:8080/healthz`)).body, /^\{"OK":true,"duration-ns":\d+,"generated-at":"[^"]+"\}\n$/);
	assert.deepEqual(await getText(`http://${ip(1)}:8080/nope`).then((r) => [r.status, JSON.parse(r.body)]), [404, {code: 404, message: 'path /nope was not found'}]);
	assert.equal((await getText(`http://${ip(1)}:8080/check_all`, 'POST')).status, 405);

	// Steady state: everyone reaches everyone; the check_all JSON has only hosts + responses.
	const steady = await eventually(async () => {
		const result = await checkAll(ip(1));
		return result.sources.length === 3 && result.sources.every((source) => source.pings.length === 3) ? result : undefined;
	});
	const raw = JSON.parse((await getText(`http://${ip(2)}:8080/check_all`)).body) as Record<string, unknown>;
	assert.deepEqual(Object.keys(raw), ['hosts', 'responses']);
	const pods = slimPods(fakes);
	assert.deepEqual([...healthByUid(pods, steady, performance.now(), 1000).values()], ['healthy', 'healthy', 'healthy']);
	for (const source of steady.sources) {
		for (const pingResult of source.pings) {
			assert.equal(pingResult.ok, true);
			assert.equal(pingResult.statusCode, 200);
			assert.ok(pingResult.responseTimeMs < 300);
		}
	}
	const cluster = await getText(`http://${ip(3)}:8080/cluster_health`);
	assert.equal(cluster.status, 200);
	assert.equal(JSON.parse(cluster.body).OK, true);

	// Experiment 1: kill one (its server stops; it is still listed, like a Terminating pod).
	await select(infos[2]!)!.stop(infos[2]!);
	const after = await eventually(async () => {
		const result = await checkAll(ip(1));
		const dead = result.sources.find((source) => source.name === fakes[2]!.name);
		const peersSeeIt = result.sources
			.filter((source) => source.ok)
			.every((source) => source.pings.some((p) => p.target === fakes[2]!.name && !p.ok));
		return dead && !dead.ok && peersSeeIt ? result : undefined;
	});
	const health = healthByUid(pods, after, performance.now(), 1000);
	assert.deepEqual([...health.values()], ['healthy', 'healthy', 'unhealthy']);
	const failed = after.sources[0]!.pings.find((p) => p.target === fakes[2]!.name)!;
	assert.equal(failed.statusCode, 504);
	assert.match(failed.error!, new RegExp(`^Get "http://${ip(3).replace(/\./g, '\\.')}:8080/ping": dial tcp .*connection refused$`));
	assert.equal((await getText(`http://${ip(1)}:8080/cluster_health`)).status, 418);

	// Once it is gone from the API, its peers forget it (Goldpinger drops deleted pods on refresh).
	const deadName = fakes[2]!.name;
	api.pods.splice(2, 1);
	await eventually(async () => {
		const result = await checkAll(ip(1));
		return result.sources.length === 2 && result.sources.every((source) => source.pings.every((p) => p.target !== deadName)) ? true : undefined;
	});
});

test('Experiment 2: the annotated instance answers through a 250 ms proxy, still under the 300 ms timeout', async (t) => {
	const {result, fakes} = await runExperiment2(t);
	const heat = buildHeatMap(result, {now: performance.now(), refreshMs: 1000, maxColumns: 5, maxRows: 5});
	assert.equal(heat.columns[0]!.name, 'goldpinger-slow1');
	assert.ok(heat.columns[0]!.p95! >= 250 && heat.columns[0]!.p95! < 300, `p95 ${heat.columns[0]!.p95}`);
	const toFast = result.sources.find((source) => source.name === 'goldpinger-slow1')!.pings.find((p) => p.target === 'goldpinger-fast1')!;
	assert.equal(toFast.ok, true, 'its own outgoing pings go straight to its peers');
	assert.equal(healthByUid(slimPods(fakes), result, performance.now(), 1000).get('uid-goldpinger-slow1'), 'healthy');
});

test('--slow without a name: exactly one instance is slow at a time; stop frees the slot', async (t) => {
	const ip = loopbackSubnet();
	const fakes: FakePod[] = [
		{name: 'goldpinger-one', podIP: ip(1)},
		{name: 'goldpinger-two', podIP: ip(2)},
		{name: 'goldpinger-three', podIP: ip(3)},
	];
	const api = await startFakeApiServer(fakes);
	t.after(() => api.close());
	const select = goldpingerRuntime({slow: {delayMs: 250}});
	const infos = fakes.map((fake) => podInfo(fake, api.url, {env: {REFRESH_INTERVAL: '1', PORT: '8080'}}));
	await select(infos[0]!)!.start(infos[0]!);
	await select(infos[1]!)!.start(infos[1]!);
	t.after(async () => {
		for (const info of infos) await select(info)!.stop(info);
	});
	// The slow one has Goldpinger on 9090 behind the proxy on 8080; the others listen on 8080 only.
	const listensOn = (address: string, port: number) =>
		new Promise<boolean>((resolve) => {
			const socket = net.connect(port, address);
			socket.once('connect', () => {
				socket.destroy();
				resolve(true);
			});
			socket.once('error', () => resolve(false));
		});
	const began = performance.now();
	await getText(`http://${ip(1)}:8080/ping`);
	assert.ok(performance.now() - began >= 250, 'the first instance answers through the 250 ms proxy');
	assert.deepEqual([await listensOn(ip(1), 9090), await listensOn(ip(2), 9090), await listensOn(ip(2), 8080)], [true, false, true]);
	// Moved to 9090, it still calls its peers on 8080, where they listen.
	await eventually(async () => {
		const result = await checkAll(ip(2));
		const fromSlow = result.sources.find((source) => source.name === 'goldpinger-one');
		return fromSlow?.ok && fromSlow.pings.some((p) => p.target === 'goldpinger-two' && p.ok) ? true : undefined;
	}, 40);
	await select(infos[0]!)!.stop(infos[0]!);
	assert.deepEqual([await listensOn(ip(1), 8080), await listensOn(ip(1), 9090)], [false, false]);
	await select(infos[2]!)!.start(infos[2]!);
	assert.equal(await listensOn(ip(3), 9090), true, 'the next instance started takes the slot');
});

test('latency proxy: delays what goes to the target, keeps order, closes everything on stop', async (t) => {
	const ip = loopbackSubnet();
	const echo = net.createServer((socket) => socket.pipe(socket));
	await new Promise<void>((resolve) => echo.listen(0, ip(1), resolve));
	t.after(() => new Promise<void>((resolve) => echo.close(() => resolve())));
	const proxy = await startLatencyProxy({listenHost: ip(1), listenPort: 18_080, targetHost: ip(1), targetPort: (echo.address() as net.AddressInfo).port, delayMs: 120});
	t.after(() => proxy.stop());
	const socket = net.connect(18_080, ip(1));
	t.after(() => socket.destroy());
	const began = performance.now();
	const received = await new Promise<string>((resolve) => {
		let text = '';
		socket.on('data', (chunk) => {
			text += chunk.toString();
			if (text.length >= 6) resolve(text);
		});
		socket.write('abc');
		setTimeout(() => socket.write('def'), 10);
	});
	assert.equal(received, 'abcdef');
	assert.ok(performance.now() - began >= 120);
	await proxy.stop();
	await assert.rejects(
		new Promise((resolve, reject) => {
			const again = net.connect(18_080, ip(1));
			again.once('connect', () => {
				again.destroy();
				resolve(undefined);
			});
			again.once('error', reject);
		}),
		/ECONNREFUSED/,
	);
});
