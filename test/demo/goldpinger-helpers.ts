// Helpers for the Goldpinger simulator tests (built-in and real binary): a minimal pod-listing API server,
// unique loopback IPs, a bounded wait, a GET, check_all as podinvaders reads it, and the Experiment 2 pair.
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import type {TestContext} from 'node:test';
import {goldpingerRuntime, latencyAnnotation, type GoldpingerPodInfo} from '../../src/demo/goldpinger-sim.js';
import {normaliseCheckAll} from '../../src/kube/goldpinger.js';
import type {GoldpingerResult} from '../../src/model/goldpinger.js';

export interface FakePod {
	name: string;
	podIP: string;
	hostIP?: string;
	phase?: string;
	labels?: Record<string, string>;
}

/** Serves GET /api/v1/namespaces/NS/pods (label selector app=goldpinger honoured loosely: exact key=value). */
export async function startFakeApiServer(pods: FakePod[]): Promise<{url: string; pods: FakePod[]; requests: string[]; close(): Promise<void>}> {
	const requests: string[] = [];
	const server = http.createServer((request, response) => {
		requests.push(request.url ?? '');
		const url = new URL(request.url ?? '/', 'http://x');
		const match = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(url.pathname);
		if (!match) {
			response.writeHead(404).end('{"kind":"Status","code":404}');
			return;
		}
		const [key, value] = (url.searchParams.get('labelSelector') ?? '').split('=');
		const items = pods
			.filter((pod) => !key || (pod.labels ?? {app: 'goldpinger'})[key] === value)
			.map((pod) => ({
				metadata: {name: pod.name, namespace: match[1], uid: `uid-${pod.name}`, labels: pod.labels ?? {app: 'goldpinger'}},
				status: {phase: pod.phase ?? 'Running', podIP: pod.podIP, hostIP: pod.hostIP ?? '127.0.0.1'},
			}));
		response.writeHead(200, {'content-type': 'application/json'});
		response.end(JSON.stringify({kind: 'PodList', apiVersion: 'v1', metadata: {resourceVersion: '1'}, items}));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		pods,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

/** A /16 of loopback addresses no other test is likely to use: 127.<200..249>.<random>.x */
export function loopbackSubnet(): (host: number) => string {
	const second = 200 + Math.floor(Math.random() * 50);
	const third = 1 + Math.floor(Math.random() * 250);
	return (host) => `127.${second}.${third}.${host}`;
}

/** Polls `check` every `intervalMs` until it returns a value (not undefined), at most `attempts` times. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, attempts = 60, intervalMs = 250): Promise<T> {
	let last: unknown;
	for (let attempt = 0; attempt < attempts; attempt++) {
		try {
			const value = await check();
			if (value !== undefined) return value;
		} catch (error) {
			last = error;
		}
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
	throw new Error(`condition not met after ${attempts} attempts${last ? ` (last error: ${String(last)})` : ''}`);
}

export async function getText(url: string, method = 'GET'): Promise<{status: number; body: string; type: string}> {
	return new Promise((resolve, reject) => {
		const request = http.request(url, {method, agent: false}, (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () =>
				resolve({status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), type: String(response.headers['content-type'] ?? '')}),
			);
		});
		request.setTimeout(5000, () => request.destroy(new Error('timeout')));
		request.on('error', reject);
		request.end();
	});
}

/** A Goldpinger pod as the demo kubelet describes it to a runtime. */
export function podInfo(fake: FakePod, apiServerUrl: string, extra: Partial<GoldpingerPodInfo> = {}): GoldpingerPodInfo {
	return {
		namespace: 'default',
		name: fake.name,
		uid: `uid-${fake.name}`,
		podIP: fake.podIP,
		labels: {app: 'goldpinger'},
		annotations: {},
		image: 'docker.io/bloomberg/goldpinger:v3.0.0',
		env: {REFRESH_INTERVAL: '1', HOST: '0.0.0.0', PORT: '8080'},
		ports: [8080],
		apiServerUrl,
		...extra,
	};
}

/** GET check_all of the instance at ip:8080, normalised as podinvaders' poller does it. */
export async function checkAll(ip: string): Promise<GoldpingerResult> {
	const reply = await getText(`http://${ip}:8080/check_all`);
	if (reply.status !== 200) throw new Error(`check_all answered ${reply.status}: ${reply.body.slice(0, 200)}`);
	const result = normaliseCheckAll(JSON.parse(reply.body), performance.now());
	if ('error' in result) throw new Error(result.error);
	return result;
}

/**
 * Experiment 2 with `runtime` (built-in, or the real binary): goldpinger-fast1 and goldpinger-slow1, the
 * latter in the book's layout (Goldpinger on 9090, peers call 8080 through the 250 ms proxy). Resolves with
 * the first check_all in which fast1 reached slow1 in ≥ 250 ms; everything is stopped when the test ends.
 */
export async function runExperiment2(t: TestContext, runtime: Parameters<typeof goldpingerRuntime>[0] = {}): Promise<{result: GoldpingerResult; fakes: FakePod[]}> {
	const ip = loopbackSubnet();
	const fakes: FakePod[] = [
		{name: 'goldpinger-fast1', podIP: ip(1)},
		{name: 'goldpinger-slow1', podIP: ip(2)},
	];
	const api = await startFakeApiServer(fakes);
	t.after(() => api.close());
	const select = goldpingerRuntime(runtime);
	const infos = [
		podInfo(fakes[0]!, api.url),
		podInfo(fakes[1]!, api.url, {annotations: {[latencyAnnotation]: '250'}, env: {REFRESH_INTERVAL: '1', PORT: '9090', CLIENT_PORT_OVERRIDE: '8080'}}),
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
	return {result, fakes};
}
