// The demo's scheduler + kubelet: every new pod is bound to a node (Pending), its container is created
// (ContainerCreating), started through a pluggable container runtime (Running), and marked Ready when its
// readiness probe answers (or at once without one). A deleted pod's container is stopped shortly after the
// delete (0/1 Terminating, unreachable for its peers) and the pod is gone when its grace period ends.
// Every pod gets a unique IP in 127.0.0.0/8 so runtimes can really serve on it.
import http from 'node:http';
import {performance} from 'node:perf_hooks';
import type {EventRecorder} from './events.js';
import {withZeroGrace} from './ops.js';
import type {Change, KObject, Store} from './store.js';
import {asArray, asNumber, asObject, asString, deepClone, isObject, Timers, type Json, type Rng} from './util.js';

export interface DemoPodInfo {
	namespace: string;
	name: string;
	uid: string;
	podIP: string;
	labels: Record<string, string>;
	annotations: Record<string, string>;
	image: string;
	env: Record<string, string>;
	ports: number[];
	apiServerUrl: string;
}
export interface ContainerRuntime {
	/** The container starts (ContainerCreating → Running). Resolve when it is serving; reject = container failed. */
	start(pod: DemoPodInfo): Promise<void>;
	/** The pod is being deleted: its container is killed (shortly after the delete, before the pod is gone at the end of its grace period): stop serving. */
	stop(pod: DemoPodInfo): Promise<void>;
}
export type RuntimeSelector = (pod: DemoPodInfo) => ContainerRuntime | undefined; // undefined: a "sleep" container that just runs

export interface DemoTiming {
	pendingMs: [number, number];
	containerCreatingMs: [number, number];
	readyMs: [number, number];
	defaultGracePeriodSeconds: number;
}

/** Close to a local cluster with images already pulled: Pending → Running in ~0.5–3 s. */
export const defaultTiming: DemoTiming = {
	pendingMs: [150, 600],
	containerCreatingMs: [400, 2000],
	readyMs: [100, 500],
	defaultGracePeriodSeconds: 3,
};

/** Server-side record of a pod's lifecycle, in performance.now() ms of the server process. */
export interface PodTimeline {
	uid: string;
	namespace: string;
	name: string;
	created: number;
	scheduled?: number;
	containerCreating?: number;
	running?: number;
	ready?: number;
	deleted?: number;
	gone?: number;
}

export const demoNodes = ['demo-node-1', 'demo-node-2', 'demo-node-3'];

/**
 * Unique pod IPs in 127.1.0.0–127.254.255.255 (never 127.0.0.1, never .0 or .255), reused only after a full wrap.
 * Each cluster starts at a random place, so two demo clusters on one machine (a test suite, a presenter's
 * `demo-cluster` beside `--demo`) do not fight over the same pod address and port.
 */
export class PodIpPool {
	private next = Math.floor(Math.random() * 254 * 65536);
	private readonly inUse = new Set<string>();
	allocate(): string {
		for (let tries = 0; tries < 254 * 65536; tries++) {
			const n = this.next++ % (254 * 65536);
			const ip = `127.${1 + Math.floor(n / 65536)}.${Math.floor(n / 256) % 256}.${n % 256}`;
			if (n % 256 === 0 || n % 256 === 255 || this.inUse.has(ip)) continue;
			this.inUse.add(ip);
			return ip;
		}
		throw new Error('pod IP range exhausted');
	}
	release(ip: string): void {
		this.inUse.delete(ip);
	}
}

interface PodState {
	readonly uid: string;
	readonly namespace: string;
	readonly name: string;
	ip?: string;
	info?: DemoPodInfo;
	runtime?: ContainerRuntime;
	serving: boolean;
	deleting: boolean;
	gone: boolean;
	ready: boolean;
	restarts: number;
	probeFailures: number;
	startedAt?: string;
}

export interface KubeletDeps {
	store: Store;
	rng: Rng;
	timing: DemoTiming;
	events: EventRecorder;
	runtimes?: RuntimeSelector;
	apiServerUrl: () => string;
}

const stopTimeoutMs = 2000;
const startTimeoutMs = 30_000;
const maxTimelines = 50_000;

export class Kubelet {
	/** Boot mode: the scenario's pods come up without delays. */
	instant = false;
	private readonly pods = new Map<string, PodState>();
	private readonly timelines = new Map<string, PodTimeline>();
	private readonly timers = new Timers();
	private readonly ips = new PodIpPool();
	private readonly unsubscribe: () => void;
	private readonly pendingStops = new Set<Promise<void>>();

	constructor(private readonly deps: KubeletDeps) {
		this.unsubscribe = deps.store.subscribe((change) => this.onChange(change));
	}

	timeline(uid: string): PodTimeline | undefined {
		const found = this.timelines.get(uid);
		return found ? {...found} : undefined;
	}

	/** True while some pod is still on its way to Running/Ready (used to await the boot). */
	busy(): boolean {
		for (const state of this.pods.values()) if (!state.deleting && !state.ready && state.restarts === 0) return true;
		return false;
	}

	async close(): Promise<void> {
		this.unsubscribe();
		this.timers.close();
		const stops = [...this.pods.values()].filter((s) => s.serving).map((s) => this.stopRuntime(s));
		await Promise.allSettled([...stops, ...this.pendingStops]);
	}

	private delay(range: readonly [number, number]): number {
		return this.instant ? 0 : this.deps.rng.between(range);
	}

	private mark(uid: string, field: Exclude<keyof PodTimeline, 'uid' | 'namespace' | 'name' | 'created'>): void {
		const timeline = this.timelines.get(uid);
		if (timeline && timeline[field] === undefined) timeline[field] = performance.now();
	}

	private onChange(change: Change): void {
		if (change.storage !== 'pods') return;
		const pod = change.object;
		const uid = pod.metadata.uid;
		if (change.type === 'ADDED') {
			const state: PodState = {uid, namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name, serving: false, deleting: false, gone: false, ready: false, restarts: 0, probeFailures: 0};
			this.pods.set(uid, state);
			this.timelines.set(uid, {uid, namespace: state.namespace, name: state.name, created: performance.now()});
			if (this.timelines.size > maxTimelines) this.timelines.delete(this.timelines.keys().next().value!);
			if (pod.metadata.deletionTimestamp) return;
			const pending = this.delay(this.deps.timing.pendingMs);
			this.timers.after(pending * 0.4, () => this.bind(state, pending * 0.6));
			return;
		}
		const state = this.pods.get(uid);
		if (!state) return;
		if (change.type === 'MODIFIED' && pod.metadata.deletionTimestamp) {
			const previousGrace = asNumber(change.old?.metadata.deletionGracePeriodSeconds);
			const grace = asNumber(pod.metadata.deletionGracePeriodSeconds) ?? 0;
			if (!state.deleting) {
				state.deleting = true;
				this.mark(uid, 'deleted');
				this.timers.after(Math.min(grace * 1000, this.deps.rng.between([100, 400])), () => void this.killContainer(state));
				this.timers.after(grace * 1000, () => this.remove(state));
			} else if (previousGrace !== undefined && grace < previousGrace) {
				this.timers.after(grace * 1000, () => this.remove(state));
			}
		}
		if (change.type === 'DELETED') {
			state.gone = true;
			this.mark(uid, 'deleted');
			this.mark(uid, 'gone');
			this.pods.delete(uid);
			if (state.serving) void this.stopRuntime(state);
			if (state.ip) this.ips.release(state.ip);
		}
	}

	/** The current stored pod if it is still this pod (same uid) and alive. */
	private current(state: PodState): KObject | undefined {
		if (state.gone) return undefined;
		const pod = this.deps.store.get('pods', state.namespace, state.name);
		return pod && pod.metadata.uid === state.uid ? pod : undefined;
	}

	private write(state: PodState, mutate: (pod: KObject) => void): KObject | undefined {
		const pod = this.current(state);
		if (!pod) return undefined;
		const next = deepClone(pod);
		mutate(next);
		return this.deps.store.replace('pods', next);
	}

	/** The scheduler: bind to a node (still Pending). */
	private bind(state: PodState, untilCreating: number): void {
		const pod = this.current(state);
		if (!pod || state.deleting) return;
		// The scheduler: a Ready node that is not cordoned (`kubectl cordon`/`drain`), else stay Pending and retry.
		const schedulable = this.deps.store
			.list('nodes')
			.filter((node) => !asObject(node['spec'])['unschedulable'] && asArray(asObject(node['status'])['conditions']).some((c) => asObject(c)['type'] === 'Ready' && asObject(c)['status'] === 'True'))
			.map((node) => node.metadata.name);
		const node = asString(asObject(pod['spec'])['nodeName']) ?? schedulable[this.deps.rng.int(schedulable.length)];
		if (!node) {
			const total = this.deps.store.count('nodes');
			const message = `0/${total} nodes are available: ${total} node(s) were unschedulable. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
			const unscheduled = asArray(asObject(pod['status'])['conditions']).some((c) => asObject(c)['reason'] === 'Unschedulable');
			if (!unscheduled) {
				const written = this.write(state, (next) => {
					const status = asObject(next['status']);
					status['conditions'] = [{type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: this.deps.store.timestamp(), reason: 'Unschedulable', message}];
					next['status'] = status;
				});
				if (written) this.deps.events.record(written, 'Warning', 'FailedScheduling', message, 'default-scheduler');
			}
			this.timers.after(1000, () => this.bind(state, untilCreating));
			return;
		}
		const bound = this.write(state, (next) => {
			const spec = asObject(next['spec']);
			spec['nodeName'] = node;
			const status = asObject(next['status']);
			status['conditions'] = mergeConditions(status['conditions'], {PodScheduled: 'True'}, this.deps.store.timestamp());
			next['status'] = status;
		});
		if (!bound) return;
		this.mark(state.uid, 'scheduled');
		this.deps.events.record(bound, 'Normal', 'Scheduled', `Successfully assigned ${state.namespace}/${state.name} to ${node}`, 'default-scheduler');
		this.timers.after(untilCreating, () => this.createContainer(state));
	}

	private createContainer(state: PodState): void {
		if (state.deleting || !this.current(state)) return;
		state.ip ??= this.ips.allocate();
		const now = this.deps.store.timestamp();
		const pod = this.write(state, (next) => {
			const status = asObject(next['status']);
			status['phase'] = 'Pending';
			status['hostIP'] = '127.0.0.1';
			status['hostIPs'] = [{ip: '127.0.0.1'}];
			status['startTime'] ??= now;
			status['conditions'] = mergeConditions(
				status['conditions'],
				{PodReadyToStartContainers: 'False', Initialized: 'True', Ready: 'False', ContainersReady: 'False', PodScheduled: 'True'},
				now,
				containerNames(next),
			);
			status['containerStatuses'] = containerNames(next).map((name, i) => ({
				name,
				state: {waiting: {reason: 'ContainerCreating'}},
				lastState: {},
				ready: false,
				restartCount: 0,
				image: containerImages(next)[i] ?? '',
				imageID: '',
				started: false,
			}));
			next['status'] = status;
		});
		if (!pod) return;
		this.mark(state.uid, 'containerCreating');
		this.timers.after(this.delay(this.deps.timing.containerCreatingMs), () => void this.startContainer(state));
	}

	private podInfo(pod: KObject, ip: string): DemoPodInfo {
		const spec = asObject(pod['spec']);
		const container = asObject(asArray(spec['containers'])[0]);
		const fields: Record<string, string> = {
			'metadata.name': pod.metadata.name,
			'metadata.namespace': pod.metadata.namespace ?? 'default',
			'metadata.uid': pod.metadata.uid,
			'spec.nodeName': asString(spec['nodeName']) ?? '',
			'spec.serviceAccountName': asString(spec['serviceAccountName']) ?? 'default',
			'status.podIP': ip,
			'status.podIPs': ip,
			'status.hostIP': '127.0.0.1',
			'status.hostIPs': '127.0.0.1',
		};
		const env: Record<string, string> = {};
		for (const entry of asArray(container['env']).map(asObject)) {
			const name = asString(entry['name']);
			if (!name) continue;
			const value = asString(entry['value']);
			const fieldPath = asString(asObject(asObject(entry['valueFrom'])['fieldRef'])['fieldPath']);
			const label = fieldPath && /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
			if (value !== undefined) env[name] = value;
			else if (fieldPath && fields[fieldPath] !== undefined) env[name] = fields[fieldPath]!;
			else if (label) env[name] = (label[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations)?.[label[2]!] ?? '';
		}
		return {
			namespace: pod.metadata.namespace ?? 'default',
			name: pod.metadata.name,
			uid: pod.metadata.uid,
			podIP: ip,
			labels: {...pod.metadata.labels},
			annotations: {...pod.metadata.annotations},
			image: asString(container['image']) ?? '',
			env,
			// Every container's ports, the first container's first: a multi-container pod is one network namespace.
			ports: asArray(spec['containers'])
				.flatMap((c) => asArray(asObject(c)['ports']))
				.map((p) => asNumber(asObject(p)['containerPort']))
				.filter((p): p is number => p !== undefined),
			apiServerUrl: this.deps.apiServerUrl(),
		};
	}

	private async startContainer(state: PodState): Promise<void> {
		const pod = this.current(state);
		if (!pod || state.deleting || !state.ip) return;
		const info = this.podInfo(pod, state.ip);
		state.info = info;
		let runtime: ContainerRuntime | undefined;
		try {
			runtime = this.deps.runtimes?.(info);
		} catch (error) {
			this.crash(state, error);
			return;
		}
		if (runtime) {
			try {
				await withTimeout(Promise.resolve().then(() => runtime.start(info)), startTimeoutMs, 'container did not start in time');
			} catch (error) {
				if (!state.deleting && !state.gone) this.crash(state, error);
				return;
			}
			state.runtime = runtime;
			state.serving = true;
			if (state.deleting || state.gone) {
				void this.stopRuntime(state);
				return;
			}
		}
		const probe = runtime ? readinessProbe(pod) : undefined;
		const now = this.deps.store.timestamp();
		state.startedAt = now;
		const ready = !probe;
		const running = this.write(state, (next) => {
			const status = asObject(next['status']);
			status['phase'] = 'Running';
			status['podIP'] = state.ip;
			status['podIPs'] = [{ip: state.ip}];
			status['conditions'] = mergeConditions(
				status['conditions'],
				{PodReadyToStartContainers: 'True', Initialized: 'True', Ready: ready ? 'True' : 'False', ContainersReady: ready ? 'True' : 'False', PodScheduled: 'True'},
				now,
				containerNames(next),
			);
			status['containerStatuses'] = runningStatuses(next, state, ready, now);
			next['status'] = status;
		});
		if (!running) return;
		this.mark(state.uid, 'running');
		if (ready) {
			state.ready = true;
			this.mark(state.uid, 'ready');
		}
		const image = containerImages(running)[0] ?? '';
		const name = containerNames(running)[0] ?? '';
		this.deps.events.record(running, 'Normal', 'Pulled', `Container image "${image}" already present on machine`, 'kubelet', asString(asObject(running['spec'])['nodeName']));
		this.deps.events.record(running, 'Normal', 'Created', `Created container ${name}`, 'kubelet', asString(asObject(running['spec'])['nodeName']));
		this.deps.events.record(running, 'Normal', 'Started', `Started container ${name}`, 'kubelet', asString(asObject(running['spec'])['nodeName']));
		if (probe) this.timers.after(this.delay(this.deps.timing.readyMs), () => void this.probe(state, probe));
	}

	private crash(state: PodState, error: unknown): void {
		state.restarts++;
		const backoffMs = Math.min(10_000, 500 * 2 ** (state.restarts - 1));
		const message = error instanceof Error ? error.message : String(error);
		const now = this.deps.store.timestamp();
		const pod = this.write(state, (next) => {
			const status = asObject(next['status']);
			status['phase'] = 'Running';
			status['podIP'] = state.ip;
			status['podIPs'] = [{ip: state.ip}];
			status['conditions'] = mergeConditions(status['conditions'], {PodReadyToStartContainers: 'True', Initialized: 'True', Ready: 'False', ContainersReady: 'False', PodScheduled: 'True'}, now, containerNames(next));
			status['containerStatuses'] = containerNames(next).map((name, i) => ({
				name,
				state: {waiting: {reason: 'CrashLoopBackOff', message: `back-off ${Math.round(backoffMs / 1000)}s restarting failed container=${name} pod=${state.name}_${state.namespace}(${state.uid})`}},
				lastState: {terminated: {exitCode: 1, reason: 'Error', message, startedAt: now, finishedAt: now, containerID: containerId(state)}},
				ready: false,
				restartCount: state.restarts,
				image: containerImages(next)[i] ?? '',
				imageID: '',
				containerID: containerId(state),
				started: false,
			}));
			next['status'] = status;
		});
		if (!pod) return;
		this.deps.events.record(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${containerNames(pod)[0] ?? ''} in pod ${state.name}_${state.namespace}(${state.uid})`, 'kubelet', asString(asObject(pod['spec'])['nodeName']));
		this.timers.after(backoffMs, () => void this.startContainer(state));
	}

	private async probe(state: PodState, probe: Probe): Promise<void> {
		if (state.deleting || state.gone || !state.serving || !state.ip) return;
		const ok = await httpProbe(state.ip, probe);
		if (state.deleting || state.gone) return;
		if (ok) {
			state.probeFailures = 0;
			if (!state.ready) this.setReady(state, true);
		} else if (state.ready && ++state.probeFailures >= probe.failureThreshold) {
			this.setReady(state, false);
		}
		this.timers.after(state.ready ? probe.periodMs : this.delay(this.deps.timing.readyMs) || 50, () => void this.probe(state, probe));
	}

	private setReady(state: PodState, ready: boolean): void {
		const now = this.deps.store.timestamp();
		const pod = this.write(state, (next) => {
			const status = asObject(next['status']);
			status['conditions'] = mergeConditions(status['conditions'], {Ready: ready ? 'True' : 'False', ContainersReady: ready ? 'True' : 'False'}, now, containerNames(next));
			status['containerStatuses'] = runningStatuses(next, state, ready, state.startedAt ?? now);
			next['status'] = status;
		});
		if (!pod) return;
		state.ready = ready;
		if (ready) this.mark(state.uid, 'ready');
		else this.deps.events.record(pod, 'Warning', 'Unhealthy', 'Readiness probe failed', 'kubelet', asString(asObject(pod['spec'])['nodeName']));
	}

	/** Deletion: stop the container (peers now see it unreachable); the pod stays Terminating until its grace ends. */
	private async killContainer(state: PodState): Promise<void> {
		const pod = this.current(state);
		if (!pod) return;
		this.deps.events.record(pod, 'Normal', 'Killing', `Stopping container ${containerNames(pod)[0] ?? ''}`, 'kubelet', asString(asObject(pod['spec'])['nodeName']));
		if (state.serving) await this.stopRuntime(state);
		const now = this.deps.store.timestamp();
		const wasStarted = asArray(asObject(pod['status'])['containerStatuses']).some((c) => isObject(c) && isObject(c['state']) && 'running' in c['state']);
		this.write(state, (next) => {
			const status = asObject(next['status']);
			status['conditions'] = mergeConditions(status['conditions'], {Ready: 'False', ContainersReady: 'False'}, now, containerNames(next));
			if (wasStarted) {
				status['containerStatuses'] = containerNames(next).map((name, i) => ({
					name,
					state: {terminated: {exitCode: 0, reason: 'Completed', startedAt: state.startedAt ?? now, finishedAt: now, containerID: containerId(state)}},
					lastState: {},
					ready: false,
					restartCount: state.restarts,
					image: containerImages(next)[i] ?? '',
					imageID: imageId(containerImages(next)[i] ?? ''),
					containerID: containerId(state),
					started: false,
				}));
			}
			next['status'] = status;
		});
		state.ready = false;
	}

	/**
	 * The grace period is over: the kubelet deletes the pod with grace 0, which the apiserver writes first
	 * (deletionGracePeriodSeconds 0, a MODIFIED event) and then removes.
	 */
	private remove(state: PodState): void {
		const pod = this.current(state);
		if (!pod || asArray(pod.metadata.finalizers).length > 0) return;
		if (pod.metadata.deletionGracePeriodSeconds !== 0) this.deps.store.replace('pods', withZeroGrace(pod, this.deps.store.now()));
		this.deps.store.remove('pods', state.namespace, state.name);
	}

	private stopRuntime(state: PodState): Promise<void> {
		const runtime = state.runtime;
		const info = state.info;
		state.serving = false;
		if (!runtime || !info) return Promise.resolve();
		const stop = withTimeout(runtime.stop(info), stopTimeoutMs, 'stop timed out').catch(() => undefined);
		this.pendingStops.add(stop);
		void stop.finally(() => this.pendingStops.delete(stop));
		return stop;
	}
}

interface Probe {
	path: string;
	port: number;
	timeoutMs: number;
	periodMs: number;
	failureThreshold: number;
}

function readinessProbe(pod: KObject): Probe | undefined {
	const container = asObject(asArray(asObject(pod['spec'])['containers'])[0]);
	const probe = asObject(container['readinessProbe']);
	const get = asObject(probe['httpGet']);
	if (!isObject(probe['httpGet'])) return undefined;
	let port = asNumber(get['port']);
	if (port === undefined) {
		const named = asArray(container['ports']).map(asObject).find((p) => p['name'] === get['port']);
		port = asNumber(named?.['containerPort']) ?? Number(get['port']);
	}
	if (!Number.isInteger(port)) return undefined;
	return {
		path: asString(get['path']) ?? '/',
		port: port!,
		timeoutMs: (asNumber(probe['timeoutSeconds']) ?? 1) * 1000,
		// A demo-sized period: fast enough to see a pod turn NotReady, light enough for a laptop.
		periodMs: Math.min(1000, (asNumber(probe['periodSeconds']) ?? 10) * 1000),
		failureThreshold: asNumber(probe['failureThreshold']) ?? 3,
	};
}

function httpProbe(ip: string, probe: Probe): Promise<boolean> {
	return new Promise((resolve) => {
		const request = http.get({host: ip, port: probe.port, path: probe.path, timeout: probe.timeoutMs, agent: false, headers: {'User-Agent': 'kube-probe/1.32'}}, (response) => {
			response.resume();
			resolve((response.statusCode ?? 0) >= 200 && (response.statusCode ?? 0) < 400);
		});
		request.on('timeout', () => request.destroy(new Error('timeout')));
		request.on('error', () => resolve(false));
	});
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
	let handle: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		handle = setTimeout(() => reject(new Error(message)), ms);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(handle));
}

const containerNames = (pod: KObject): string[] => asArray(asObject(pod['spec'])['containers']).map((c) => asString(asObject(c)['name']) ?? '');
const containerImages = (pod: KObject): string[] => asArray(asObject(pod['spec'])['containers']).map((c) => asString(asObject(c)['image']) ?? '');
const containerId = (state: PodState): string => `containerd://${state.uid.replace(/-/g, '')}${state.restarts.toString(16).padStart(32, '0')}`;
const imageId = (image: string): string => `${image.split(':')[0]}@sha256:${Buffer.from(image).toString('hex').padEnd(64, '0').slice(0, 64)}`;

function runningStatuses(pod: KObject, state: PodState, ready: boolean, startedAt: string): Json[] {
	return containerNames(pod).map((name, i) => ({
		name,
		state: {running: {startedAt}},
		lastState: {},
		ready,
		restartCount: state.restarts,
		image: containerImages(pod)[i] ?? '',
		imageID: imageId(containerImages(pod)[i] ?? ''),
		containerID: containerId(state),
		started: true,
	}));
}

/** Sets condition statuses, keeping lastTransitionTime where the status did not change. */
function mergeConditions(existing: unknown, wanted: Record<string, 'True' | 'False'>, now: string, containers: string[] = []): Json[] {
	const order = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];
	const byType = new Map(asArray(existing).map(asObject).map((c) => [asString(c['type']) ?? '', c] as const));
	for (const [type, status] of Object.entries(wanted)) {
		const old = byType.get(type);
		if (old && old['status'] === status) continue;
		const condition: Json = {type, status, lastProbeTime: null, lastTransitionTime: now};
		if (status === 'False' && (type === 'Ready' || type === 'ContainersReady')) {
			condition['reason'] = 'ContainersNotReady';
			condition['message'] = `containers with unready status: [${containers.join(' ')}]`;
		}
		byType.set(type, condition);
	}
	return [...byType.values()].sort((a, b) => order.indexOf(String(a['type'])) - order.indexOf(String(b['type'])));
}
