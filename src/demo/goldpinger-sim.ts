// Goldpinger for the demo cluster's pods. The demo "kubelet" (demo/kubelet.ts) asks the RuntimeSelector
// returned by goldpingerRuntime() for a runtime for each pod; pods whose image contains "goldpinger" get
// one that either
//  - runs a built-in Goldpinger 3.x: an HTTP server on the pod's own loopback IP (127.x.y.z) serving
//    /ping, /check, /check_all, /cluster_health and /healthz with the real JSON shape, that finds its peers
//    like the real one (list pods with LABEL_SELECTOR from the API server) and pings them over real HTTP
//    every REFRESH_INTERVAL with the 300 ms timeout; or
//  - runs the real goldpinger binary (`binPath`) with the environment a pod would give it.
// Stopping a pod closes its server (SIGTERM semantics), so its peers really find it unreachable.
//
// Experiment 2 (the book's toxiproxy sidecar): a pod annotated `podinvaders.io/latency-ms` (as in
// manifests/goldpinger-slow.yml), or picked by the `slow` option (`--slow`), gets a TCP proxy on the port
// its peers call (CLIENT_PORT_OVERRIDE, else 8080) that delays every chunk towards Goldpinger by that many
// ms, while Goldpinger itself listens on PORT (9090 when PORT would clash), exactly the book's layout.
// Behaviour references: shared/research/goldpinger.md (pkg/goldpinger/{pinger,client,updater}.go).

import http from 'node:http';
import net from 'node:net';
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {podFromObject} from '../model/pod.js';

import type {ContainerRuntime, DemoPodInfo, RuntimeSelector} from './kubelet.js';

/** What the demo kubelet tells a runtime about a pod (src/demo/kubelet.ts). */
export type GoldpingerPodInfo = DemoPodInfo;
export type GoldpingerContainerRuntime = ContainerRuntime;

/** The pod annotation that puts a latency proxy in front of the instance (value: ms). */
export const latencyAnnotation = 'podinvaders.io/latency-ms';

export interface GoldpingerRuntimeOptions {
	/** Experiment 2 without a manifest: one instance (or those whose name matches) behind a delaying proxy. */
	readonly slow?: {readonly podNameMatches?: string; readonly delayMs: number};
	/** Run the real goldpinger binary instead of the built-in one. */
	readonly binPath?: string;
	/** Kubeconfig for the real binary; by default one is written pointing at the pod's apiServerUrl. */
	readonly kubeconfigPath?: string;
	/** Where the real binary's output goes (default: dropped). */
	readonly onBinaryOutput?: (pod: string, line: string) => void;
}

// ─── configuration, as the real one reads it ─────────────────────────────────────────────────────

export interface GoldpingerConfig {
	readonly podName: string;
	readonly namespace: string;
	/** The address to listen on (the pod IP: every demo pod shares the host's loopback). */
	readonly host: string;
	readonly port: number;
	/** Port used when calling peers (CLIENT_PORT_OVERRIDE), else `port`. */
	readonly clientPort: number;
	readonly apiServerUrl: string;
	readonly labelSelector: string;
	readonly refreshMs: number;
	readonly pingTimeoutMs: number;
	readonly checkTimeoutMs: number;
	readonly checkAllTimeoutMs: number;
	/** Bearer token for the API server, if the environment has one. */
	readonly token?: string;
}

const positiveInt = (value: string | undefined, fallback: number): number => {
	const number = value === undefined ? Number.NaN : Number(value);
	return Number.isFinite(number) && number > 0 ? Math.floor(number) : fallback;
};

/** Go durations as Goldpinger's flags take them ("300ms", "1s"); plain numbers are ms. */
export function parseGoDurationMs(value: string | undefined): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	if (/^\d+$/.test(value.trim())) return Number(value.trim());
	const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(value.trim());
	if (!match) return undefined;
	const factor = {ms: 1, s: 1000, m: 60_000}[match[2] as 'ms' | 's' | 'm'];
	return Math.round(Number(match[1]) * factor);
}

/** Goldpinger's settings from the pod's env (defaults as in pkg/goldpinger/config.go). */
export function goldpingerConfig(pod: GoldpingerPodInfo, overrides: {port?: number; clientPort?: number} = {}): GoldpingerConfig {
	const env = pod.env;
	const port = overrides.port ?? positiveInt(env['PORT'], pod.ports[0] ?? 8080);
	const token = env['PODINVADERS_TOKEN'];
	return {
		podName: pod.name,
		namespace: env['NAMESPACE'] || pod.namespace,
		host: pod.podIP,
		port,
		clientPort: overrides.clientPort ?? positiveInt(env['CLIENT_PORT_OVERRIDE'], port),
		apiServerUrl: pod.apiServerUrl.replace(/\/+$/, ''),
		labelSelector: env['LABEL_SELECTOR'] || 'app=goldpinger',
		refreshMs: positiveInt(env['REFRESH_INTERVAL'], 30) * 1000,
		pingTimeoutMs: parseGoDurationMs(env['PING_TIMEOUT']) ?? positiveInt(env['PING_TIMEOUT_MS'], 300),
		checkTimeoutMs: parseGoDurationMs(env['CHECK_TIMEOUT']) ?? positiveInt(env['CHECK_TIMEOUT_MS'], 1000),
		checkAllTimeoutMs: parseGoDurationMs(env['CHECK_ALL_TIMEOUT']) ?? positiveInt(env['CHECK_ALL_TIMEOUT_MS'], 5000),
		...(token ? {token} : {}),
	};
}

// ─── small HTTP helpers ──────────────────────────────────────────────────────────────────────────

interface Peer {
	readonly name: string;
	readonly podIP: string;
	readonly hostIP: string;
}

type Json = Record<string, unknown>;

/** A GET with a deadline, like Go's http client with a context: resolves with status + body or rejects. */
function get(url: string, timeoutMs: number, headers: Record<string, string> = {}, maxBytes = 16 * 1024 * 1024): Promise<{status: number; body: string}> {
	return new Promise((resolve, reject) => {
		const request = http.get(url, {agent: false, headers}, (response) => {
			const chunks: Buffer[] = [];
			let size = 0;
			response.on('data', (chunk: Buffer) => {
				size += chunk.length;
				if (size > maxBytes) request.destroy(new Error('response too large'));
				else chunks.push(chunk);
			});
			response.on('end', () => {
				clearTimeout(timer);
				resolve({status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8')});
			});
			response.on('error', (error) => {
				clearTimeout(timer);
				reject(error);
			});
		});
		const timer = setTimeout(() => request.destroy(Object.assign(new Error('context deadline exceeded'), {code: 'DEADLINE'})), timeoutMs);
		request.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
	});
}

/** The error text Go's net/http would give for this failure (see research §7 "Error strings"). */
function goError(url: string, error: unknown): string {
	const {code, message} = (error ?? {}) as {code?: string; message?: string};
	const {host} = new URL(url);
	const prefix = `Get "${url}"`;
	switch (code) {
		case 'DEADLINE':
			return `${prefix}: context deadline exceeded`;
		case 'ECONNREFUSED':
			return `${prefix}: dial tcp ${host}: connect: connection refused`;
		case 'ECONNRESET':
			return `${prefix}: read tcp ${host}: read: connection reset by peer`;
		case 'EHOSTUNREACH':
			return `${prefix}: dial tcp ${host}: connect: no route to host`;
		default:
			return `${prefix}: ${message ?? 'EOF'}`;
	}
}

function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
	// go-openapi's JSON producer: compact JSON and a trailing newline.
	const text = `${JSON.stringify(body)}\n`;
	response.writeHead(status, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text)});
	response.end(text);
}

/** Go's encoding/json writes map keys sorted. */
function sortedObject<T>(entries: Iterable<[string, T]>): Record<string, T> {
	const out: Record<string, T> = {};
	for (const [key, value] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[key] = value;
	return out;
}

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

// ─── the built-in Goldpinger ─────────────────────────────────────────────────────────────────────

/** A PodResult in Goldpinger's field order (models/pod_result.go); `response-time-ms` omitted when 0. */
interface PodResult {
	readonly HostIP?: string;
	readonly OK: boolean;
	readonly PingTime: string;
	readonly PodIP?: string;
	readonly error?: string;
	readonly response?: {readonly boot_time: string};
	readonly 'response-time-ms'?: number;
	readonly 'status-code': number;
}

export interface RunningGoldpinger {
	/** Where it listens (host:port). */
	readonly address: string;
	/** Closes the server (and every open connection) and stops pinging. */
	stop(): Promise<void>;
}

/** Starts a built-in Goldpinger on config.host:config.port. Rejects if the port cannot be bound. */
export async function startBuiltinGoldpinger(config: GoldpingerConfig): Promise<RunningGoldpinger> {
	const bootTime = new Date().toISOString();
	const results = new Map<string, PodResult>();
	const pingers = new Map<string, {peer: Peer; timer: NodeJS.Timeout | undefined}>();
	let stopped = false;
	let updater: NodeJS.Timeout | undefined;
	const apiHeaders: Record<string, string> = {Accept: 'application/json', ...(config.token ? {Authorization: `Bearer ${config.token}`} : {})};

	/** SelectPods: Running pods matching the selector, with an IP (Goldpinger lists status.phase=Running). */
	async function selectPods(): Promise<Peer[]> {
		const query = new URLSearchParams({labelSelector: config.labelSelector, fieldSelector: 'status.phase=Running', resourceVersion: '0'});
		const url = `${config.apiServerUrl}/api/v1/namespaces/${encodeURIComponent(config.namespace)}/pods?${query}`;
		const reply = await get(url, 5000, apiHeaders);
		if (reply.status !== 200) throw new Error(`listing pods: HTTP ${reply.status}`);
		const list: unknown = JSON.parse(reply.body);
		const items = isObject(list) && Array.isArray(list['items']) ? list['items'] : [];
		return items
			.map((item) => podFromObject(item))
			.filter((pod) => pod.phase === 'Running' && pod.name !== '')
			.map((pod) => ({name: pod.name, podIP: pod.podIP ?? '', hostIP: pod.hostIP ?? ''}));
	}

	async function ping(peer: Peer): Promise<void> {
		const start = new Date();
		if (!peer.podIP) {
			results.set(peer.name, {...(peer.hostIP ? {HostIP: peer.hostIP} : {}), OK: false, PingTime: start.toISOString(), error: "Host or pod IP empty, can't make a call", 'status-code': 500});
			return;
		}
		const url = `http://${peer.podIP}:${config.clientPort}/ping`;
		const began = performance.now();
		let result: PodResult;
		try {
			const reply = await get(url, config.pingTimeoutMs);
			const elapsed = Math.floor(performance.now() - began);
			const body: unknown = JSON.parse(reply.body);
			if (reply.status !== 200 || !isObject(body)) throw new Error(`unexpected answer ${reply.status}`);
			result = {
				...(peer.hostIP ? {HostIP: peer.hostIP} : {}),
				OK: true,
				PingTime: start.toISOString(),
				PodIP: peer.podIP,
				response: {boot_time: typeof body['boot_time'] === 'string' ? body['boot_time'] : start.toISOString()},
				...(elapsed > 0 ? {'response-time-ms': elapsed} : {}),
				'status-code': 200,
			};
		} catch (error) {
			const elapsed = Math.floor(performance.now() - began);
			result = {
				...(peer.hostIP ? {HostIP: peer.hostIP} : {}),
				OK: false,
				PingTime: start.toISOString(),
				PodIP: peer.podIP,
				error: goError(url, error),
				...(elapsed > 0 ? {'response-time-ms': elapsed} : {}),
				'status-code': 504,
			};
		}
		if (!stopped && pingers.has(peer.name)) results.set(peer.name, result);
	}

	/** One pinger per peer: first ping staggered over a period, then every period with 5 % jitter. */
	function startPinger(peer: Peer, delayMs: number): void {
		const entry: {peer: Peer; timer: NodeJS.Timeout | undefined} = {peer, timer: undefined};
		pingers.set(peer.name, entry);
		const loop = (): void => {
			if (stopped || pingers.get(peer.name) !== entry) return;
			void ping(entry.peer).finally(() => {
				if (stopped || pingers.get(peer.name) !== entry) return;
				entry.timer = setTimeout(loop, config.refreshMs * (1 + Math.random() * 0.05));
			});
		};
		entry.timer = setTimeout(loop, delayMs);
	}

	/** updatePingers: every refresh, re-list; start pingers for new peers, drop the ones gone. */
	async function updatePingers(): Promise<void> {
		try {
			const peers = await selectPods();
			if (stopped) return;
			const names = new Set(peers.map((peer) => peer.name));
			for (const [name, entry] of pingers) {
				if (names.has(name)) continue;
				if (entry.timer) clearTimeout(entry.timer);
				pingers.delete(name);
				results.delete(name);
			}
			const fresh = peers.filter((peer) => !pingers.has(peer.name));
			fresh.forEach((peer, index) => startPinger(peer, (config.refreshMs / fresh.length) * index));
			for (const peer of peers) {
				const entry = pingers.get(peer.name);
				if (entry) entry.peer = peer; // a new IP after a restart
			}
		} catch {
			// Like Goldpinger: log, count an error, try again next refresh.
		}
	}

	function checkResults(): Json {
		return results.size > 0 ? {podResults: sortedObject(results)} : {};
	}

	/** CheckAllPods: every selected pod's /check, concurrently, each with CHECK_TIMEOUT. */
	async function checkAll(): Promise<Json> {
		let peers: Peer[] = [];
		try {
			peers = await selectPods();
		} catch {
			// No pods known: an empty answer, as Goldpinger gives when the API fails.
		}
		const hosts: Json[] = [];
		const responses = new Map<string, Json>();
		const deadline = Math.min(config.checkTimeoutMs, config.checkAllTimeoutMs);
		await Promise.all(
			peers.map(async (peer) => {
				const base = {...(peer.hostIP ? {HostIP: peer.hostIP} : {})};
				const url = `http://${peer.podIP}:${config.clientPort}/check`;
				try {
					if (!peer.podIP) throw new Error("Host or pod IP empty, can't make a call");
					const reply = await get(url, deadline);
					const body: unknown = JSON.parse(reply.body);
					if (reply.status !== 200 || !isObject(body)) throw new Error(`unexpected answer ${reply.status}`);
					responses.set(peer.name, {...base, OK: true, PodIP: peer.podIP, response: body});
				} catch (error) {
					responses.set(peer.name, {...base, OK: false, ...(peer.podIP ? {PodIP: peer.podIP} : {}), error: goError(url, error)});
				}
				hosts.push({hostIP: peer.hostIP, podIP: peer.podIP, podName: peer.name}); // completion order, like the real one
			}),
		);
		return {hosts: peers.length > 0 ? hosts : null, responses: sortedObject(responses)};
	}

	const server = http.createServer((request, response) => {
		const path = (request.url ?? '/').split('?')[0];
		const known = ['/ping', '/check', '/check_all', '/cluster_health', '/healthz'];
		if (!known.includes(path ?? '')) {
			sendJson(response, 404, {code: 404, message: `path ${path} was not found`});
			return;
		}
		if (request.method !== 'GET') {
			response.setHeader('Allow', 'GET');
			sendJson(response, 405, {code: 405, message: `method ${request.method} is not allowed, but [GET] are`});
			return;
		}
		const started = process.hrtime.bigint();
		switch (path) {
			case '/ping':
				sendJson(response, 200, {boot_time: bootTime});
				return;
			case '/check':
				sendJson(response, 200, checkResults());
				return;
			case '/healthz':
				sendJson(response, 200, {OK: true, 'duration-ns': Number(process.hrtime.bigint() - started), 'generated-at': new Date().toISOString()});
				return;
			case '/check_all':
				void checkAll().then((body) => sendJson(response, 200, body));
				return;
			default: {
				// /cluster_health (3.2+): OK when every instance answered and every ping it reports succeeded.
				void checkAll().then((body) => {
					const healthy: string[] = [];
					const unhealthy: string[] = [];
					for (const entry of Object.values(body['responses'] as Record<string, Json>)) {
						const podResults = isObject(entry['response']) && isObject(entry['response']['podResults']) ? entry['response']['podResults'] : {};
						const ok = entry['OK'] === true && Object.values(podResults).every((result) => isObject(result) && result['OK'] === true);
						(ok ? healthy : unhealthy).push(typeof entry['HostIP'] === 'string' ? entry['HostIP'] : '');
					}
					const ok = unhealthy.length === 0;
					sendJson(response, ok ? 200 : 418, {
						OK: ok,
						'duration-ns': Number(process.hrtime.bigint() - started),
						'generated-at': new Date().toISOString(),
						nodesHealthy: healthy.length > 0 ? healthy : null,
						nodesTotal: healthy.length + unhealthy.length,
						nodesUnhealthy: unhealthy.length > 0 ? unhealthy : null,
					});
				});
			}
		}
	});
	server.keepAliveTimeout = 5000;
	await listen(server, config.port, config.host);

	void updatePingers();
	updater = setInterval(() => void updatePingers(), config.refreshMs);

	return {
		address: `${config.host}:${config.port}`,
		async stop() {
			if (stopped) return;
			stopped = true;
			if (updater) clearInterval(updater);
			updater = undefined;
			for (const entry of pingers.values()) if (entry.timer) clearTimeout(entry.timer);
			pingers.clear();
			await closeServer(server);
		},
	};
}

function listen(server: net.Server, port: number, host: string): Promise<void> {
	return new Promise((resolve, reject) => {
		const onError = (error: Error) => reject(error);
		server.once('error', onError);
		server.listen(port, host, () => {
			server.off('error', onError);
			resolve();
		});
	});
}

function closeServer(server: http.Server | net.Server): Promise<void> {
	return new Promise((resolve) => {
		server.close(() => resolve());
		if (server instanceof http.Server) server.closeAllConnections();
	});
}

// ─── the latency proxy (the book's toxiproxy "latency" toxic, upstream direction) ───────────────

export interface LatencyProxy {
	readonly address: string;
	stop(): Promise<void>;
}

/**
 * A TCP proxy on listenHost:listenPort → targetHost:targetPort that holds every chunk going to the target
 * for `delayMs` (order kept), like toxiproxy's latency toxic on the upstream stream. Answers flow back at once.
 */
export async function startLatencyProxy(options: {
	readonly listenHost: string;
	readonly listenPort: number;
	readonly targetHost: string;
	readonly targetPort: number;
	readonly delayMs: number;
}): Promise<LatencyProxy> {
	const sockets = new Set<net.Socket>();
	const server = net.createServer((client) => {
		const upstream = net.connect(options.targetPort, options.targetHost);
		sockets.add(client);
		sockets.add(upstream);
		const timers = new Set<NodeJS.Timeout>();
		const close = (): void => {
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
			client.destroy();
			upstream.destroy();
			sockets.delete(client);
			sockets.delete(upstream);
		};
		client.on('data', (chunk) => {
			const timer = setTimeout(() => {
				timers.delete(timer);
				if (!upstream.destroyed) upstream.write(chunk);
			}, options.delayMs);
			timers.add(timer);
		});
		client.on('end', () => {
			const timer = setTimeout(() => {
				timers.delete(timer);
				upstream.end();
			}, options.delayMs);
			timers.add(timer);
		});
		upstream.pipe(client);
		client.on('error', close);
		upstream.on('error', close);
		client.on('close', close);
		upstream.on('close', () => client.end());
	});
	await listen(server, options.listenPort, options.listenHost);
	return {
		address: `${options.listenHost}:${options.listenPort}`,
		async stop() {
			const closed = new Promise<void>((resolve) => server.close(() => resolve()));
			for (const socket of sockets) socket.destroy();
			sockets.clear();
			await closed;
		},
	};
}

// ─── the real binary ─────────────────────────────────────────────────────────────────────────────

/** A kubeconfig for a demo API server (plain http, no credentials). */
export function demoKubeconfig(apiServerUrl: string, namespace: string): string {
	return [
		'apiVersion: v1',
		'kind: Config',
		'clusters:',
		'- name: podinvaders-demo',
		'  cluster:',
		`    server: ${JSON.stringify(apiServerUrl)}`,
		'contexts:',
		'- name: podinvaders-demo',
		'  context:',
		'    cluster: podinvaders-demo',
		'    user: podinvaders-demo',
		`    namespace: ${JSON.stringify(namespace)}`,
		'current-context: podinvaders-demo',
		'users:',
		'- name: podinvaders-demo',
		'  user: {}',
		'',
	].join('\n');
}

const children = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
	children.add(child);
	child.once('exit', () => children.delete(child));
	if (!exitHookInstalled) {
		exitHookInstalled = true;
		// A demo that dies must not leave goldpinger processes behind.
		process.once('exit', () => {
			for (const running of children) running.kill('SIGKILL');
		});
	}
}

/** Spawns the real goldpinger for a pod; resolves once it listens (or rejects if it exits first). */
export async function startGoldpingerBinary(
	binPath: string,
	config: GoldpingerConfig,
	kubeconfigPath: string,
	extraEnv: Readonly<Record<string, string>>,
	onOutput?: (line: string) => void,
): Promise<RunningGoldpinger> {
	const env: Record<string, string> = {
		PATH: process.env['PATH'] ?? '/usr/bin:/bin',
		...extraEnv,
		HOST: config.host,
		PORT: String(config.port),
		CLIENT_PORT_OVERRIDE: String(config.clientPort),
		HOSTNAME: config.podName,
		POD_NAME: config.podName,
		POD_IP: config.host,
		NAMESPACE: config.namespace,
		LABEL_SELECTOR: config.labelSelector,
		REFRESH_INTERVAL: String(Math.round(config.refreshMs / 1000)),
		KUBECONFIG: kubeconfigPath,
	};
	const child = spawn(binPath, [], {env, stdio: ['ignore', 'pipe', 'pipe']});
	track(child);
	const forward = (chunk: Buffer): void => {
		if (!onOutput) return;
		for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) onOutput(line);
	};
	child.stdout?.on('data', forward);
	child.stderr?.on('data', forward);
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	child.once('error', () => undefined); // surfaced through `exit` / the wait below

	// Wait until it accepts connections on its port (bounded: 100 × 100 ms).
	for (let attempt = 0; attempt < 100; attempt++) {
		if (child.exitCode !== null || child.signalCode !== null) break;
		if (await canConnect(config.host, config.port)) {
			return {
				address: `${config.host}:${config.port}`,
				async stop() {
					if (child.exitCode !== null || child.signalCode !== null) return;
					child.kill('SIGTERM');
					const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
					await exited;
					clearTimeout(timer);
				},
			};
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	child.kill('SIGKILL');
	const code = await exited;
	throw new Error(`goldpinger (${binPath}) did not start listening on ${config.host}:${config.port} (exit ${code ?? 'signal'})`);
}

function canConnect(host: string, port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect(port, host);
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

// ─── the runtime the demo kubelet uses ───────────────────────────────────────────────────────────

/** The annotation's delay, if the pod has a usable one. */
function annotatedDelay(pod: GoldpingerPodInfo): number | undefined {
	const value = Number(pod.annotations[latencyAnnotation]);
	return Number.isFinite(value) && value > 0 ? Math.min(value, 60_000) : undefined;
}

/**
 * The RuntimeSelector for the demo kubelet: pods whose image contains "goldpinger" get a Goldpinger
 * (built-in, or the real binary with `binPath`); others get nothing from here.
 */
export function goldpingerRuntime(options: GoldpingerRuntimeOptions = {}): RuntimeSelector {
	const running = new Map<string, {stop(): Promise<void>}>();
	const starting = new Map<string, Promise<void>>();
	let kubeconfigDir: string | undefined;

	const scratch = (): string => (kubeconfigDir ??= mkdtempSync(join(tmpdir(), 'podinvaders-goldpinger-')));
	const kubeconfigFor = (pod: GoldpingerPodInfo): string => {
		if (options.kubeconfigPath) return options.kubeconfigPath;
		const file = join(scratch(), `${pod.namespace}.kubeconfig`);
		writeFileSync(file, demoKubeconfig(pod.apiServerUrl, pod.namespace), {mode: 0o600});
		return file;
	};
	/** The image reads /config/zap.json; without one it warns and logs in development mode. */
	const zapConfigFor = (pod: GoldpingerPodInfo): Record<string, string> => {
		if (pod.env['ZAP_CONFIG']) return {};
		const file = join(scratch(), 'zap.json');
		writeFileSync(file, JSON.stringify({level: 'warn', encoding: 'json', outputPaths: ['stdout'], errorOutputPaths: ['stderr']}));
		return {ZAP_CONFIG: file};
	};

	// `slow` without a name: one instance at a time (the first started while none is slow).
	let slowOwner: string | undefined;
	const delayFor = (pod: GoldpingerPodInfo): number | undefined => {
		const annotated = annotatedDelay(pod);
		if (annotated !== undefined) return annotated;
		const slow = options.slow;
		if (!slow || !(slow.delayMs > 0)) return undefined;
		if (slow.podNameMatches !== undefined) return pod.name.includes(slow.podNameMatches) ? slow.delayMs : undefined;
		if (slowOwner !== undefined) return undefined;
		slowOwner = pod.uid;
		return slow.delayMs;
	};

	const runtime: GoldpingerContainerRuntime = {
		async start(pod) {
			if (running.has(pod.uid) || starting.has(pod.uid)) return;
			const delayMs = delayFor(pod);
			const task = (async () => {
				const base = goldpingerConfig(pod);
				// With a proxy, peers call the proxy port; Goldpinger moves to PORT (or 9090 if PORT is that port).
				const proxyPort = delayMs ? base.clientPort : undefined;
				const appPort = proxyPort !== undefined && base.port === proxyPort ? (proxyPort === 9090 ? 9091 : 9090) : base.port;
				// Peers are still called on the port they listen on (the book's CLIENT_PORT_OVERRIDE=8080).
				const config = goldpingerConfig(pod, {port: appPort, clientPort: base.clientPort});
				const app = options.binPath
					? await startGoldpingerBinary(options.binPath, config, kubeconfigFor(pod), {...zapConfigFor(pod), ...pod.env}, options.onBinaryOutput ? (line) => options.onBinaryOutput!(pod.name, line) : undefined)
					: await startBuiltinGoldpinger(config);
				let proxy: LatencyProxy | undefined;
				if (delayMs && proxyPort !== undefined) {
					try {
						proxy = await startLatencyProxy({listenHost: pod.podIP, listenPort: proxyPort, targetHost: pod.podIP, targetPort: appPort, delayMs});
					} catch (error) {
						await app.stop();
						throw error;
					}
				}
				running.set(pod.uid, {
					async stop() {
						await Promise.all([proxy?.stop(), app.stop()]);
					},
				});
			})();
			starting.set(pod.uid, task);
			try {
				await task;
			} catch (error) {
				if (slowOwner === pod.uid) slowOwner = undefined;
				throw error;
			} finally {
				starting.delete(pod.uid);
			}
		},
		async stop(pod) {
			await starting.get(pod.uid)?.catch(() => undefined);
			const entry = running.get(pod.uid);
			running.delete(pod.uid);
			if (slowOwner === pod.uid) slowOwner = undefined;
			await entry?.stop();
			if (running.size === 0 && starting.size === 0 && kubeconfigDir) {
				rmSync(kubeconfigDir, {recursive: true, force: true});
				kubeconfigDir = undefined;
			}
		},
	};
	return (pod) => (pod.image.includes('goldpinger') ? runtime : undefined);
}
