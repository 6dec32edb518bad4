// From flags to a live connection: start the demo cluster or resolve the kubeconfig, check the server answers
// and the namespace exists, and build the watcher, killer and Goldpinger poller every command shares.
import type {ClusterOptions, GoldpingerOptions, DemoOptions, SafetyOptions} from './config.js';
import type {ClusterAccess} from './kube/access.js';
import type {ClusterIdentity, PodKillerPort} from './model/ports.js';
import {KillBudget} from './kube/kill-budget.js';
import type {DemoCluster} from './demo/server.js';
import {ClusterError, describeError, statusOf, validateLabelSelector, validateNamespace} from './kube/errors.js';
import {requestJson} from './kube/http.js';
import {PodWatcher} from './kube/pod-watcher.js';
import {checkDeleteAccess, PodKiller} from './kube/pod-killer.js';
import {createGoldpingerPoller, type GoldpingerPoller} from './kube/goldpinger.js';

export interface Connection {
	readonly access: ClusterAccess;
	readonly identity: ClusterIdentity;
	/** The in-process demo cluster, when --demo. */
	readonly demo?: DemoCluster;
	close(): Promise<void>;
}

export async function startDemo(demo: DemoOptions, seed: number, port?: number): Promise<DemoCluster> {
	const [{startDemoCluster}, {goldpingerRuntime}] = await Promise.all([import('./demo/server.js'), import('./demo/goldpinger-sim.js')]);
	return startDemoCluster({
		seed,
		...(port !== undefined ? {port} : {}),
		extraPods: demo.extraPods,
		runtimes: goldpingerRuntime({
			...(demo.slow ? {slow: {delayMs: 250}} : {}),
			...(demo.goldpingerBin ? {binPath: demo.goldpingerBin} : {}),
		}),
	});
}

/** Connects and proves the server answers (so "unreachable" is one line before any screen is drawn). */
export async function connect(options: ClusterOptions, demo: DemoOptions): Promise<Connection> {
	let access: ClusterAccess;
	let cluster: DemoCluster | undefined;
	if (options.demo) {
		cluster = await startDemo(demo, options.seed);
		const {accessForUrl} = await import('./kube/access.js');
		access = accessForUrl(cluster.url, {context: 'demo', namespace: 'default', demo: true});
	} else {
		const {resolveClusterAccess} = await import('./kube/client.js');
		access = await resolveClusterAccess({
			...(options.kubeconfig ? {kubeconfig: options.kubeconfig} : {}),
			...(options.context ? {context: options.context} : {}),
		});
	}
	const namespace = options.namespace ?? access.namespace;
	const close = async () => {
		await cluster?.close();
	};
	try {
		await preflight(access, namespace);
	} catch (error) {
		await close();
		throw error;
	}
	return {
		access,
		identity: {context: access.context, server: access.server, namespace, selector: options.selector, demo: access.demo},
		...(cluster ? {demo: cluster} : {}),
		close,
	};
}

/** Lists one pod (reachability + permission to list) and looks the namespace up (a typo is a clear error). */
async function preflight(access: ClusterAccess, namespace: string): Promise<void> {
	const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}`;
	try {
		await requestJson(access, {path: `${path}/pods`, query: {limit: 1}, connectTimeoutMs: 4000, timeoutMs: 8000});
	} catch (error) {
		throw new ClusterError(describeError(error, {server: access.server, verb: 'list', resource: 'pods', namespace}));
	}
	await checkNamespace(access, namespace);
}

/**
 * Looks the namespace up: listing pods in a namespace that does not exist answers an empty list on a real
 * apiserver, only a 404 here tells. A 403 (a player's Role cannot read namespaces) says nothing: carry on.
 * Other failures (unreachable, 5xx) are one line too.
 */
export async function checkNamespace(access: ClusterAccess, namespace: string): Promise<void> {
	try {
		await requestJson(access, {path: `/api/v1/namespaces/${encodeURIComponent(namespace)}`, connectTimeoutMs: 4000, timeoutMs: 8000});
	} catch (error) {
		const status = statusOf(error);
		if (status === 404) throw new ClusterError(`namespace "${namespace}" not found on ${access.server} (context ${access.context})`);
		if (status === 403) return;
		throw new ClusterError(describeError(error, {server: access.server, verb: 'get', resource: 'namespaces', name: namespace}));
	}
}

export interface Engine {
	readonly watcher: PodWatcher;
	readonly killer: PodKiller;
	readonly goldpinger?: GoldpingerPoller;
	/** Why Goldpinger is off, when its flags could not be used. */
	readonly goldpingerProblem?: string;
	readonly spectator: boolean;
	stop(): Promise<void>;
}

/** The watcher, killer (every safety guard inside) and Goldpinger poller for one connection. Not started. */
export async function createEngine(
	connection: Connection,
	safety: SafetyOptions,
	goldpinger: GoldpingerOptions,
	budget?: KillBudget,
): Promise<Engine> {
	const {access, identity} = connection;
	const watcher = new PodWatcher({
		access,
		namespace: identity.namespace,
		...(identity.selector ? {labelSelector: identity.selector} : {}),
	});
	const spectator = !(await checkDeleteAccess(access, identity.namespace, {evict: safety.evict}));
	const killer = new PodKiller({
		access,
		namespace: identity.namespace,
		...(identity.selector ? {labelSelector: identity.selector} : {}),
		knownPods: watcher,
		dryRun: safety.dryRun,
		evict: safety.evict,
		...(safety.gracePeriodSeconds !== undefined ? {gracePeriodSeconds: safety.gracePeriodSeconds} : {}),
		allowProtected: safety.allowProtected,
		maxKillsPerMinute: safety.maxKillsPerMinute,
		...(budget ? {budget} : {}),
		minAgeSeconds: safety.minAgeSeconds,
		...(safety.minReady !== undefined ? {minReady: safety.minReady} : {}),
		...(safety.auditLog !== undefined ? {auditLog: safety.auditLog} : {}),
		spectator,
	});
	const poller = createGoldpingerPoller(access, {
		namespace: identity.namespace,
		service: goldpinger.service,
		...(goldpinger.url ? {url: goldpinger.url} : {}),
		refreshSeconds: goldpinger.refreshSeconds,
	});
	const hasPoller = !('error' in poller);
	return {
		watcher,
		killer,
		...(hasPoller ? {goldpinger: poller} : {goldpingerProblem: poller.error}),
		spectator,
		async stop() {
			if (hasPoller) poller.stop();
			await watcher.stop();
		},
	};
}

/** What the game plays against in one namespace/selector (run-game's ScopeEngine). */
export interface ScopeEngineView {
	readonly identity: ClusterIdentity;
	readonly source: PodWatcher;
	readonly killer: PodKillerPort;
	readonly goldpinger?: GoldpingerPoller;
	readonly goldpingerProblem?: string;
	readonly spectator: boolean;
}

export interface ScopeSwitcher {
	/** The first engine as the game plays it (its killer shares the session's kill budget). */
	readonly initial: ScopeEngineView;
	/** The game's keys n and /: a new engine on the same connection; the old one is stopped once replaced. */
	switchScope(scope: {readonly namespace: string; readonly selector: string}): Promise<ScopeEngineView>;
	/** Stops the engine in use, and one still being built; idempotent. */
	stop(): Promise<void>;
}

function engineView(identity: ClusterIdentity, engine: Engine): ScopeEngineView {
	return {
		identity,
		source: engine.watcher,
		killer: engine.killer,
		...(engine.goldpinger ? {goldpinger: engine.goldpinger} : {}),
		...(engine.goldpingerProblem ? {goldpingerProblem: engine.goldpingerProblem} : {}),
		spectator: engine.spectator,
	};
}

/**
 * Owns the engine of the current scope from `first` on. A switch checks the values and that the namespace exists
 * (so a typo leaves the old scope running), builds the new engine (every guard of the killer is for the new
 * scope; the same audit log), hands it over and then stops the old watcher and poller.
 */
export function createScopeSwitcher(
	connection: Connection,
	safety: SafetyOptions,
	goldpinger: GoldpingerOptions,
	first: Engine,
	/** The session's kill window, shared by every scope's PodKiller (the first one's too). */
	budget: KillBudget,
): ScopeSwitcher {
	let current = first;
	let stopped = false;
	const stopping: Promise<void>[] = [];
	let building: Promise<unknown> = Promise.resolve();
	return {
		initial: engineView(connection.identity, first),
		async switchScope({namespace, selector}) {
			if (stopped) throw new ClusterError('the game is over');
			const problem = validateNamespace(namespace) ?? validateLabelSelector(selector);
			if (problem) throw new ClusterError(problem);
			const identity: ClusterIdentity = {...connection.identity, namespace, selector};
			const build = (async () => {
				await checkNamespace(connection.access, namespace);
				return createEngine({...connection, identity}, safety, goldpinger, budget);
			})();
			building = build.catch(() => undefined);
			const next = await build;
			if (stopped) {
				await next.stop();
				throw new ClusterError('the game is over');
			}
			const old = current;
			current = next;
			stopping.push(old.stop().catch(() => undefined));
			return engineView(identity, next);
		},
		async stop() {
			stopped = true;
			await building;
			await Promise.all([current.stop(), ...stopping]);
		},
	};
}
