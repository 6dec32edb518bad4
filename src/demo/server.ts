// The embedded demo cluster: a real HTTP server on 127.0.0.1 speaking the subset of the Kubernetes API that
// podinvaders, client-node and real `kubectl` use (DESIGN §4). This module assembles the parts (store,
// controllers, kubelet, API handlers, discovery, OpenAPI, faults) and exposes the DemoCluster handle.
import http from 'node:http';
import type {Socket} from 'node:net';
import {ApiHandler, sendError, sendJson} from './api.js';
import {Controllers} from './controllers.js';
import {aggregatedContentType, aggregatedDiscovery, aggregatedDiscoveryVersion, coreVersions, groupInfo, groupList, resourceList, versionInfo} from './discovery.js';
import {ApiError, internalError} from './errors.js';
import {EventRecorder} from './events.js';
import {Faults, type DemoFaults} from './faults.js';
import {defaultTiming, Kubelet, type DemoTiming, type PodTimeline, type RuntimeSelector} from './kubelet.js';
import {demoKubeconfig} from './kubeconfig.js';
import {openApiDocument, openApiRoot} from './openapi.js';
import {Ops} from './ops.js';
import {apiVersionOf, byStorage, resourceTypes} from './resources.js';
import {scenarioSteps, demoDeployment} from './scenario.js';
import {matchesLabels, parseLabelSelector} from './selectors.js';
import {Store} from './store.js';
import {asObject, asNumber, Rng, type Json} from './util.js';

export type {DemoTiming, PodTimeline, RuntimeSelector, ContainerRuntime, DemoPodInfo} from './kubelet.js';
export type {DemoFaults, FaultKnobs} from './faults.js';

export interface DemoClusterOptions {
	host?: string;
	port?: number;
	seed?: number;
	scenario?: 'default' | 'empty';
	/** --pods N: one more big deployment (`swarm`, N replicas) in `default`. */
	extraPods?: number;
	timing?: Partial<DemoTiming>;
	runtimes?: RuntimeSelector;
	/** Changes kept per resource for watch resumption (older resourceVersions → 410). Default 4096. */
	historyLimit?: number;
	/** Interval of BOOKMARK events on watches that allow them. Default 10 s. */
	bookmarkIntervalMs?: number;
	/** Called with one line per request (method, URL, status), e.g. for `--debug`. */
	log?: (line: string) => void;
}

export interface DemoCluster {
	readonly url: string;
	readonly port: number;
	kubeconfigYaml(context?: string): string;
	readonly faults: DemoFaults;
	/** Raw API objects, current server truth. */
	listPods(namespace: string, labelSelector?: string): unknown[];
	/** Like `kubectl delete` by another user. */
	deletePod(namespace: string, name: string, gracePeriodSeconds?: number): void;
	createDeployment(namespace: string, name: string, replicas: number, labels: Record<string, string>, opts?: {image?: string}): void;
	/** A bare pod, no owner. */
	createPod(namespace: string, name: string, labels?: Record<string, string>): void;
	/** Server-side record of a pod's lifecycle in performance.now() ms of the server process. */
	podTimeline(uid: string): PodTimeline | undefined;
	close(): Promise<void>;
}

const bootTimeoutMs = 20_000;
const user = 'demo';

export async function startDemoCluster(options: DemoClusterOptions = {}): Promise<DemoCluster> {
	const timing: DemoTiming = {...defaultTiming, ...options.timing};
	const rng = new Rng(options.seed ?? Math.floor(Math.random() * 2 ** 32));
	let clockOffsetMs = 0;
	const store = new Store({historyLimit: options.historyLimit ?? 4096, now: () => Date.now() + clockOffsetMs, newUid: () => rng.uuid()});
	const events = new EventRecorder(store);
	const ops = new Ops(store, rng, timing.defaultGracePeriodSeconds);
	const faults = new Faults(store);
	let url = '';
	const kubelet = new Kubelet({store, rng, timing, events, ...(options.runtimes ? {runtimes: options.runtimes} : {}), apiServerUrl: () => url});
	const controllers = new Controllers(store, ops, events);
	const api = new ApiHandler({store, ops, faults, events, rng, user, bookmarkIntervalMs: options.bookmarkIntervalMs ?? 10_000});

	const sockets = new Set<Socket>();
	const server = http.createServer((req, res) => {
		const started = Date.now();
		res.on('finish', () => options.log?.(`${req.method} ${req.url} ${res.statusCode} ${Date.now() - started}ms`));
		route(req, res).catch((error: unknown) => {
			const apiError = error instanceof ApiError ? error : internalError(error instanceof Error ? error.message : String(error));
			if (!(error instanceof ApiError)) options.log?.(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
			sendError(res, apiError);
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	server.keepAliveTimeout = 30_000;

	async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const requestUrl = new URL(req.url ?? '/', 'http://127.0.0.1');
		const path = requestUrl.pathname.replace(/\/+$/, '') || '/';
		const accept = req.headers.accept;
		if (faults.knobs.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.knobs.latencyMs));
		if ((path.startsWith('/api') || path.startsWith('/version')) && faults.takeFailure()) {
			throw internalError('the podinvaders demo cluster failed this request on purpose (fault knob failNextRequests)');
		}
		if (path === '/version') return sendJson(res, 200, versionInfo());
		if (path === '/healthz' || path === '/livez' || path === '/readyz') {
			res.writeHead(200, {'Content-Type': 'text/plain; charset=utf-8'});
			return void res.end('ok');
		}
		if (path === '/openapi/v3') return sendJson(res, 200, openApiRoot());
		if (path.startsWith('/openapi/v3/')) {
			const doc = openApiDocument(path.slice('/openapi/v3/'.length));
			if (doc) return sendJson(res, 200, doc);
		}
		if (path === '/api' || path === '/apis') {
			const aggregated = aggregatedDiscoveryVersion(accept);
			if (aggregated) return sendJson(res, 200, aggregatedDiscovery(path === '/api', aggregated), aggregatedContentType(aggregated));
			return sendJson(res, 200, path === '/api' ? coreVersions(new URL(url).host) : groupList());
		}
		const segments = path.split('/').filter((s) => s.length > 0);
		if (segments[0] === 'api' && segments[1] === 'v1') {
			if (segments.length === 2) return sendJson(res, 200, resourceList('', 'v1'));
			return api.handle(req, res, requestUrl, '', 'v1', segments.slice(2));
		}
		if (segments[0] === 'apis' && segments.length >= 2) {
			if (segments.length === 2) {
				const info = groupInfo(segments[1]!);
				if (info) return sendJson(res, 200, info);
			} else if (segments.length === 3) {
				const list = resourceList(segments[1]!, segments[2]!);
				if (list) return sendJson(res, 200, list);
			} else if (resourceTypes.some((t) => t.group === segments[1] && t.version === segments[2])) {
				return api.handle(req, res, requestUrl, segments[1]!, segments[2]!, segments.slice(3));
			}
		}
		res.writeHead(404, {'Content-Type': 'text/plain; charset=utf-8'});
		res.end('404 page not found\n');
	}

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	const host = options.host ?? '127.0.0.1';
	url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

	async function closeAll(): Promise<void> {
		faults.dropWatches({graceful: true});
		controllers.close();
		await kubelet.close();
		await new Promise<void>((resolve) => {
			server.close(() => resolve());
			for (const socket of sockets) socket.destroy();
		});
	}

	try {
		await boot();
	} catch (error) {
		await closeAll();
		throw error;
	}

	/** Creates the scenario with backdated timestamps and waits until its pods are up. */
	async function boot(): Promise<void> {
		events.enabled = false;
		kubelet.instant = true;
		for (const step of scenarioSteps(options.scenario ?? 'default', Math.max(0, Math.floor(options.extraPods ?? 0)))) {
			clockOffsetMs = -step.ageSeconds * 1000;
			for (const object of step.objects) {
				const type = resourceTypes.find((t) => apiVersionOf(t) === object['apiVersion'] && t.kind === object['kind'] && t.group !== 'events.k8s.io');
				if (!type) throw new Error(`scenario object of unknown kind ${String(object['kind'])}`);
				ops.create(type, asObject(object['metadata'])['namespace'] as string | undefined, object);
			}
			if (store.get('services', 'default', 'kubernetes') && !store.get('endpoints', 'default', 'kubernetes')) {
				store.create('endpoints', {
					apiVersion: 'v1',
					kind: 'Endpoints',
					metadata: {name: 'kubernetes', namespace: 'default', uid: '', resourceVersion: '', creationTimestamp: '', labels: {'endpointslice.kubernetes.io/skip-mirror': 'true'}},
					subsets: [{addresses: [{ip: '127.0.0.1'}], ports: [{name: 'https', port, protocol: 'TCP'}]}],
				});
				store.create('discovery.k8s.io/endpointslices', {
					apiVersion: 'discovery.k8s.io/v1',
					kind: 'EndpointSlice',
					metadata: {name: 'kubernetes', namespace: 'default', uid: '', resourceVersion: '', creationTimestamp: '', labels: {'kubernetes.io/service-name': 'kubernetes', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io'}},
					addressType: 'IPv4',
					endpoints: [{addresses: ['127.0.0.1'], conditions: {ready: true}}],
					ports: [{name: 'https', port, protocol: 'TCP'}],
				});
			}
			controllers.flush();
		}
		const deadline = Date.now() + bootTimeoutMs;
		while (Date.now() < deadline) {
			controllers.flush();
			const deployments = store.list('apps/deployments');
			const settled = deployments.every((d) => {
				const status = asObject(d['status']);
				return asNumber(status['readyReplicas']) === asNumber(asObject(d['spec'])['replicas']) && asNumber(status['replicas']) === asNumber(asObject(d['spec'])['replicas']);
			});
			if (settled && !kubelet.busy()) break;
			await new Promise((resolve) => setTimeout(resolve, 5));
		}
		clockOffsetMs = 0;
		kubelet.instant = false;
		events.enabled = true;
	}

	const podType = byStorage('pods');
	const deploymentType = byStorage('apps/deployments');
	let closing: Promise<void> | undefined;

	return {
		url,
		port,
		faults,
		kubeconfigYaml: (context = 'demo') => demoKubeconfig(url, context),
		listPods(namespace, labelSelector) {
			const selector = parseLabelSelector(labelSelector);
			return store.list('pods', namespace).filter((pod) => matchesLabels(selector, pod.metadata.labels));
		},
		deletePod(namespace, name, gracePeriodSeconds) {
			ops.delete(podType, namespace, name, gracePeriodSeconds !== undefined ? {gracePeriodSeconds} : {});
		},
		createDeployment(namespace, name, replicas, labels, opts = {}) {
			ops.create(deploymentType, namespace, demoDeployment(namespace, name, replicas, labels, opts.image));
		},
		createPod(namespace, name, labels = {}) {
			const body: Json = {apiVersion: 'v1', kind: 'Pod', metadata: {name, namespace, labels}, spec: {containers: [{name: 'main', image: 'registry.k8s.io/pause:3.10'}]}};
			ops.create(podType, namespace, body);
		},
		podTimeline: (uid) => kubelet.timeline(uid),
		close() {
			closing ??= closeAll();
			return closing;
		},
	};
}
