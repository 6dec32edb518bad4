// The book's Experiment 1 (Chaos Engineering, ch. 10), headless and repeatable:
//   steady state: every selected pod Running+Ready, and Goldpinger (where present) reports them all healthy;
//   hypothesis: after ⌈F·n⌉ random pods are killed, each is marked unreachable by its peers,
//               then replaced by a pod that becomes Ready and healthy, and the steady state returns.
// It talks to the cluster only through the ports (PodSource, PodKillerPort, a Goldpinger feed), so the same
// code runs against a real cluster and the demo cluster, and every guard of PodKiller applies.
import type {GoldpingerStatus} from '../model/goldpinger.js';
import type {Pod} from '../model/pod.js';
import type {ClusterIdentity, PodKillerPort, PodSource} from '../model/ports.js';
import type {KillResult} from '../model/kill.js';
import type {WatchEvent} from '../model/watch.js';
import {nextInt, seedState} from '../game/rng.js';
import {ExperimentObserver, isSteadyPod} from './observer.js';
import {buildReport, type KillHalfReport} from './report.js';

export interface GoldpingerFeed {
	subscribe(listener: (status: GoldpingerStatus) => void): () => void;
}

export interface KillHalfOptions {
	readonly fraction: number;
	readonly seed: number;
	readonly timeoutMs: number;
	/** How long to wait for the steady state before the kills (default: min(timeout, 60 s)). */
	readonly steadyTimeoutMs?: number;
	readonly refreshMs: number;
	readonly dryRun: boolean;
	readonly evict: boolean;
}

export interface KillHalfDeps {
	readonly identity: ClusterIdentity;
	readonly source: PodSource;
	readonly killer: PodKillerPort;
	readonly goldpinger?: GoldpingerFeed;
	/** One line of progress (stderr in the CLI). */
	readonly progress: (line: string) => void;
	readonly now?: () => number;
	readonly wallClock?: () => Date;
	readonly signal?: AbortSignal;
}

/** Picks ⌈fraction·n⌉ pods, reproducibly for a seed: sorted by name first, so the order of events does not matter. */
export function chooseVictims(pods: readonly Pod[], fraction: number, seed: number): Pod[] {
	const pool = [...pods].sort((a, b) => a.name.localeCompare(b.name));
	const count = Math.min(pool.length, Math.ceil(fraction * pool.length - 1e-9));
	let state = seedState(seed);
	const chosen: Pod[] = [];
	for (let index = 0; index < count; index++) {
		const [pick, next] = nextInt(state, pool.length);
		state = next;
		chosen.push(...pool.splice(pick, 1));
	}
	return chosen;
}

/** Waits `ms`, or less when the signal aborts; leaves no listener behind either way. */
const sleep = (ms: number, signal?: AbortSignal) =>
	new Promise<void>((resolve) => {
		const done = () => {
			clearTimeout(timer);
			signal?.removeEventListener('abort', done);
			resolve();
		};
		const timer = setTimeout(done, ms);
		signal?.addEventListener('abort', done, {once: true});
	});

export async function runKillHalf(deps: KillHalfDeps, options: KillHalfOptions): Promise<KillHalfReport> {
	const now = deps.now ?? (() => performance.now());
	const wallClock = deps.wallClock ?? (() => new Date());
	const startedAt = wallClock();
	const startedMono = now();
	const observer = new ExperimentObserver();
	let goldpinger: GoldpingerStatus | undefined;
	let listed = false;
	let connectionError: string | undefined;
	const kills: KillResult[] = [];
	let initialPods = 0;

	const unsubscribePods = deps.source.subscribe((event: WatchEvent) => {
		if (event.type === 'snapshot') {
			listed = true;
			observer.snapshot(event.pods, event.at);
		} else if (event.type === 'added' || event.type === 'modified') observer.upsert(event.pod, event.at);
		else if (event.type === 'deleted') observer.remove(event.pod.uid, event.at);
		else if (event.type === 'connection') {
			if (event.state.kind === 'error') connectionError = event.state.error;
			else if (event.state.kind === 'live') connectionError = undefined;
		}
	});
	const unsubscribeGoldpinger = deps.goldpinger?.subscribe((status) => {
		goldpinger = status;
		if (status.state === 'ok' && status.result) observer.goldpingerResult(status.result, status.result.receivedAt, options.refreshMs);
	});
	deps.source.start();

	const goldpingerPresent = () => goldpinger !== undefined && goldpinger.state !== 'off' && goldpinger.state !== 'waiting';
	const goldpingerDecided = () => !deps.goldpinger || (goldpinger !== undefined && goldpinger.state !== 'waiting');
	const steady = (expected: number) =>
		observer.podsSteady(expected) && (!goldpingerPresent() || observer.goldpingerHealthy(now(), options.refreshMs));

	const finish = (phase: Parameters<typeof buildReport>[0]['phase'], reason?: string): KillHalfReport => {
		unsubscribePods();
		unsubscribeGoldpinger?.();
		return buildReport({
			phase,
			...(reason ? {reason} : {}),
			identity: deps.identity,
			options,
			startedAt,
			finishedAt: wallClock(),
			startedMono,
			observer,
			kills,
			goldpingerUsed: goldpingerPresent(),
			goldpingerNote: goldpinger?.message,
			now: now(),
			initialPods,
		});
	};

	try {
		// 1. The steady state, before anything is touched.
		deps.progress(`checking the steady state of ${deps.identity.namespace}${deps.identity.selector ? ` -l ${deps.identity.selector}` : ''}…`);
		const steadyDeadline = startedMono + (options.steadyTimeoutMs ?? Math.min(options.timeoutMs, 60_000));
		while (!deps.signal?.aborted && now() < steadyDeadline) {
			if (listed && goldpingerDecided() && observer.pods.size > 0 && steady(observer.pods.size)) break;
			await sleep(100, deps.signal);
		}
		if (deps.signal?.aborted) return finish('aborted', 'interrupted before the kills');
		if (!listed) return finish('aborted', connectionError ?? 'the pod list never arrived');
		if (observer.pods.size === 0) {
			return finish('aborted', `no pods match${deps.identity.selector ? ` -l ${deps.identity.selector}` : ''} in namespace ${deps.identity.namespace}: nothing to experiment on`);
		}
		const initial = [...observer.pods.values()];
		initialPods = initial.length;
		if (!steady(initial.length)) {
			const unready = initial.filter((pod) => !isSteadyPod(pod)).map((pod) => `${pod.name} (${pod.status})`);
			return finish('aborted', unready.length > 0
				? `steady state never reached: not Running+Ready: ${unready.slice(0, 5).join(', ')}${unready.length > 5 ? ', …' : ''}`
				: 'steady state never reached: Goldpinger does not report every pod healthy');
		}
		deps.progress(`steady state holds: ${initial.length} pods Running+Ready${goldpingerPresent() ? ', Goldpinger all healthy' : ' (no Goldpinger: reachability not checked)'}`);

		// 2. The kills.
		const victims = chooseVictims(initial, options.fraction, options.seed);
		deps.progress(`killing ${victims.length} of ${initial.length} (fraction ${options.fraction}, seed ${options.seed})${options.dryRun ? ' — DRY RUN' : ''}: ${victims.map((pod) => pod.name).join(', ')}`);
		for (const pod of victims) {
			observer.killed(pod, now());
			const result = await deps.killer.kill({uid: pod.uid, name: pod.name, actor: 'experiment'});
			kills.push(result);
			if (result.outcome !== 'deleted' && result.outcome !== 'evicted') observer.notKilled(pod.uid);
			deps.progress(`  ${pod.name}: ${result.outcome}${result.message ? ` — ${result.message}` : ''}`);
		}
		const real = kills.filter((kill) => kill.outcome === 'deleted' || kill.outcome === 'evicted');
		if (options.dryRun) return finish('dry-run');
		if (real.length === 0) return finish('aborted', `no pod could be killed: ${kills[0]?.message ?? 'nothing was tried'}`);

		// 3. Observe until the steady state holds again with every victim replaced, or the timeout.
		const deadline = now() + options.timeoutMs;
		let lastReport = 0;
		while (!deps.signal?.aborted && now() < deadline) {
			const records = [...observer.victims.values()];
			const replaced = records.every((victim) => victim.replacement?.readyAt !== undefined);
			const reachabilityDone = !goldpingerPresent() || records.every((victim) => victim.goneAt !== undefined && victim.replacement?.healthyAt !== undefined);
			if (replaced && reachabilityDone && steady(initial.length)) return finish('observed');
			if (now() - lastReport > 2000) {
				lastReport = now();
				const ready = records.filter((victim) => victim.replacement?.readyAt !== undefined).length;
				const seen = records.filter((victim) => victim.firstUnreachableAt !== undefined).length;
				deps.progress(`  observing: ${ready}/${records.length} replacements Ready${goldpingerPresent() ? `, ${seen}/${records.length} victims seen unreachable` : ''}`);
			}
			await sleep(100, deps.signal);
		}
		return finish(deps.signal?.aborted ? 'interrupted' : 'timeout');
	} finally {
		await deps.source.stop();
	}
}
