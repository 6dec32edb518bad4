// The bench's scenarios. Each starts its own demo cluster (booted at once with N pods) in this process and
// the game in a pseudo-terminal as a child, drives changes on the server, and turns the game's trace marks,
// the terminal's bytes, /proc and the server's own records into figures. Every wait is bounded.
import {join} from 'node:path';
import {sleep, wallNow} from './lib/clock.js';
import {benchNamespace, startBenchCluster, type BenchCluster} from './lib/cluster.js';
import {GameChild} from './lib/game-child.js';
import {KubectlWatch, kubectlFirstOutput} from './lib/kubectl.js';
import {eventToFrame, watchLatency, type FrameMark} from './lib/match.js';
import {readCpuSeconds, readRssMb} from './lib/proc.js';
import {median, percentile, perSecond, round} from './lib/stats.js';
import {numberField, type TraceMark} from './lib/trace.js';
import type {Figures} from './lib/targets.js';

export interface BenchContext {
	readonly root: string;
	/** Temp directory for kubeconfigs, traces and kubectl's cache (removed at the end). */
	readonly dir: string;
	readonly seed: number;
	readonly log: (line: string) => void;
	/** Repetitions of the startup measurement (median reported). */
	readonly startupRuns: number;
}

const settleMs = 1500; // after the watch settles, before RSS is read (lets startup garbage go)

/** The game's `frame` marks so far (polls its trace). */
export function frames(game: GameChild): FrameMark[] {
	game.trace.poll();
	return game.trace.all('frame').flatMap((mark) => {
		const rv = numberField(mark, 'rv');
		const pods = numberField(mark, 'pods');
		if (rv === undefined || pods === undefined) return [];
		const renderMs = numberField(mark, 'renderMs');
		return [{t: mark.t, rv, pods, bytes: numberField(mark, 'bytes') ?? 0, ...(renderMs !== undefined ? {renderMs} : {})}];
	});
}

/** kubectl's discovery cache for this run (kept out of ~/.kube, removed with the temp dir). */
const kubectlCache = (context: BenchContext): string => join(context.dir, 'kubectl-cache');

export const showsPods = (count: number) => (mark: TraceMark) => mark.mark === 'frame' && numberField(mark, 'pods') === count;

function startGame(context: BenchContext, cluster: BenchCluster, label: string): GameChild {
	return new GameChild({
		root: context.root,
		kubeconfig: cluster.kubeconfig,
		namespace: benchNamespace,
		traceFile: join(context.dir, `trace-${label}.jsonl`),
		args: ['--seed', String(context.seed)],
		// BENCH_GAME_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof": profile the game while it is measured.
		nodeArgs: process.env['BENCH_GAME_NODE_ARGS']?.split(' ').filter(Boolean) ?? [],
	});
}

/** Names of Ready, not terminating pods, in formation order (one owner, so by name): the first page. */
function victims(cluster: BenchCluster, count: number, exclude: ReadonlySet<string> = new Set()): string[] {
	return cluster
		.current()
		.filter((pod) => pod.ready && !pod.deletionTimestamp && !exclude.has(pod.name))
		.map((pod) => pod.name)
		.sort()
		.slice(0, count);
}

/** Startup (100 pods), kubectl's first output, RSS at 100 pods, and the time-to-Running error over 20 kills. */
export async function startupScenario(context: BenchContext, figures: Figures): Promise<void> {
	const cluster = await startBenchCluster({pods: 100, seed: context.seed, dir: context.dir, label: 'startup'});
	try {
		const kubectlRuns: number[] = [];
		for (let run = 0; run < context.startupRuns; run++) {
			kubectlRuns.push((await kubectlFirstOutput(cluster.kubeconfig, benchNamespace, kubectlCache(context))).firstOutputMs);
		}
		figures['kubectl_first_output_ms'] = round(median(kubectlRuns));
		context.log(`kubectl get pods first output: ${kubectlRuns.map((ms) => ms.toFixed(0)).join(', ')} ms`);

		const paints: number[] = [];
		const formations: number[] = [];
		for (let run = 0; run < context.startupRuns; run++) {
			const last = run === context.startupRuns - 1;
			const game = startGame(context, cluster, `startup-${run}`);
			try {
				const formation = await game.waitForMark('first-formation', (mark) => mark.mark === 'first-formation', 20_000);
				const paint = game.trace.first('first-paint');
				paints.push((paint?.t ?? game.firstOutputAt ?? Number.NaN) - game.spawnedAt);
				formations.push(formation.t - game.spawnedAt);
				if (last) {
					await game.waitForMark('a frame with 100 pods', showsPods(100), 10_000);
					await sleep(settleMs);
					figures['rss_mb_100'] = round(readRssMb(game.pid));
					figures['kill_to_running_error_ms'] = round(await killTimingError(context, cluster, game));
				}
			} finally {
				await game.stop();
			}
		}
		context.log(`first paint: ${paints.map((ms) => ms.toFixed(0)).join(', ')} ms; first formation: ${formations.map((ms) => ms.toFixed(0)).join(', ')} ms`);
		figures['first_paint_ms'] = round(median(paints));
		figures['first_frame_ms'] = round(median(formations));
	} finally {
		await cluster.close();
	}
}

/**
 * 20 kills from outside (like `kubectl delete`), 250 ms apart. For each `replacement` mark the game traces
 * ({killedUid, replacementUid, ms}: its own time-to-Running), the demo cluster's figure for the same pair is
 * Running of the replacement − deletion of the killed pod, both from its pod timelines. Returns the p95 of
 * |game − server|.
 */
async function killTimingError(context: BenchContext, cluster: BenchCluster, game: GameChild): Promise<number> {
	const kills = 20;
	const before = game.trace.all('replacement').length;
	for (const name of victims(cluster, kills)) {
		cluster.demo.deletePod(benchNamespace, name);
		await sleep(250);
	}
	try {
		await game.waitForMark(`${kills} replacement marks`, () => game.trace.all('replacement').length >= before + kills, 20_000);
	} catch (error) {
		context.log(`kill timing: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
	}
	const errors: number[] = [];
	for (const mark of game.trace.all('replacement').slice(before)) {
		const killed = cluster.demo.podTimeline(String(mark['killedUid']));
		const replacement = cluster.demo.podTimeline(String(mark['replacementUid']));
		const ms = numberField(mark, 'ms');
		if (killed?.deleted === undefined || replacement?.running === undefined || ms === undefined) continue;
		errors.push(Math.abs(ms - (replacement.running - killed.deleted)));
	}
	context.log(`kill timing: ${errors.length}/${kills} kills compared, |error| median ${median(errors).toFixed(1)} ms, max ${Math.max(...errors).toFixed(1)} ms`);
	return errors.length > 0 ? percentile(errors, 95) : Number.NaN;
}

/** 1000 pods: RSS, 10 s idle (CPU, bytes), ~50 changes/s against kubectl -w, then a storm of 200 kills. */
export async function thousandScenario(context: BenchContext, figures: Figures): Promise<void> {
	const pods = 1000;
	const cluster = await startBenchCluster({pods, seed: context.seed + 1, dir: context.dir, label: 'k1'});
	const game = startGame(context, cluster, 'k1');
	let watch: KubectlWatch | undefined;
	try {
		await game.waitForMark(`a frame with ${pods} pods`, showsPods(pods), 30_000);
		await sleep(settleMs);
		figures['rss_mb_1000'] = round(readRssMb(game.pid));

		// Idle: nothing changes on the server for 10 s.
		await sleep(500);
		const idleMs = 10_000;
		const cpuBefore = readCpuSeconds(game.pid);
		const idleFrom = wallNow();
		await sleep(idleMs);
		const idleTo = wallNow();
		const cpuAfter = readCpuSeconds(game.pid);
		figures['idle_cpu_pct'] = round(((cpuAfter - cpuBefore) * 100_000) / (idleTo - idleFrom));
		figures['idle_bytes_per_s'] = round(perSecond(game.bytesBetween(idleFrom, idleTo), idleTo - idleFrom));

		// Churn: kill 8 pods/s for 10 s; each kill makes ~7 pod changes (Terminating, container stopped, gone,
		// replacement added, scheduled, ContainerCreating, Running/Ready): ≈ 50 changes/s on the server.
		watch = new KubectlWatch(cluster.kubeconfig, benchNamespace, kubectlCache(context));
		await watch.waitForRows(pods, 20_000);
		await sleep(500);
		const churnFrom = wallNow();
		const firstChange = cluster.changes.length;
		const killed = new Set<string>();
		const killsPerSecond = 8;
		const churnMs = 10_000;
		for (let i = 0; i < (killsPerSecond * churnMs) / 1000; i++) {
			const due = churnFrom + (i * 1000) / killsPerSecond;
			await sleep(Math.max(0, due - wallNow()));
			const [name] = victims(cluster, 1, killed);
			if (!name) break;
			killed.add(name);
			cluster.demo.deletePod(benchNamespace, name);
		}
		const killsEnd = wallNow();
		await cluster.settle(pods, 20_000);
		await sleep(500); // let the last frames and rows arrive
		const changes = cluster.changes.slice(firstChange);
		const visible = changes.filter((change) => change.visible);
		const inKillWindow = changes.filter((change) => change.t <= killsEnd).length;
		figures['churn_changes_per_s'] = round(perSecond(inKillWindow, killsEnd - churnFrom));
		const game50 = eventToFrame(visible, frames(game));
		const kubectl50 = watchLatency(changes, watch.lines.filter((line) => line.t >= churnFrom));
		context.log(
			`churn: ${changes.length} pod changes (${visible.length} visible), ${figures['churn_changes_per_s']}/s while killing; ` +
				`game showed ${game50.values.length} (missed ${game50.missed}), kubectl ${kubectl50.values.length} (missed ${kubectl50.missed})`,
		);
		figures['event_to_frame_p50_ms'] = round(percentile(game50.values, 50));
		figures['event_to_frame_p95_ms'] = round(percentile(game50.values, 95));
		figures['kubectl_watch_p50_ms'] = round(percentile(kubectl50.values, 50));
		figures['kubectl_watch_p95_ms'] = round(percentile(kubectl50.values, 95));
		await watch.stop();
		watch = undefined;

		// Storm: 200 pods killed at once, until all are replaced and Ready again.
		await sleep(1000);
		const stormFrom = wallNow();
		for (const name of victims(cluster, 200)) cluster.demo.deletePod(benchNamespace, name);
		await cluster.settle(pods, 30_000);
		await sleep(300); // the frame that shows the last replacement Ready
		const stormTo = wallNow();
		figures['storm_bytes_per_s'] = round(perSecond(game.bytesBetween(stormFrom, stormTo), stormTo - stormFrom));
		context.log(`storm: ${((stormTo - stormFrom) / 1000).toFixed(1)} s, ${game.bytesBetween(stormFrom, stormTo)} bytes`);
	} finally {
		await watch?.stop();
		await game.stop();
		await cluster.close();
	}
}

/**
 * 2000 pods: the game's own full-frame time (the renderMs of its frame marks: React render with the composed
 * rows, Ink layout and output, the write) while single pods change, spaced so each frame is drawn on its own
 * (4 kills/s for 8 s). Event → frame at 2000 pods comes out of the same run.
 */
export async function renderScenario(context: BenchContext, figures: Figures): Promise<void> {
	const pods = 2000;
	const cluster = await startBenchCluster({pods, seed: context.seed + 2, dir: context.dir, label: 'k2'});
	const game = startGame(context, cluster, 'k2');
	try {
		const settled = await game.waitForMark(`a frame with ${pods} pods`, showsPods(pods), 40_000);
		await sleep(settleMs);
		figures['rss_mb_2000'] = round(readRssMb(game.pid));
		const killed = new Set<string>();
		const from = wallNow();
		const firstChange = cluster.changes.length;
		for (let i = 0; i < 32; i++) {
			await sleep(Math.max(0, from + i * 250 - wallNow()));
			const [name] = victims(cluster, 1, killed);
			if (!name) break;
			killed.add(name);
			cluster.demo.deletePod(benchNamespace, name);
		}
		await cluster.settle(pods, 20_000);
		await sleep(300);
		const shown = frames(game);
		const latencies = eventToFrame(
			cluster.changes.slice(firstChange).filter((change) => change.visible),
			shown,
		);
		figures['event_to_frame_p95_ms_2000'] = round(percentile(latencies.values, 95));
		const timed = shown.filter((frame) => frame.t >= settled.t && frame.renderMs !== undefined).map((frame) => frame.renderMs!);
		context.log(
			`render: ${timed.length} timed frames of ${shown.length} at ${pods} pods` +
				(timed.length > 0 ? `, median ${median(timed).toFixed(1)} ms, max ${Math.max(...timed).toFixed(1)} ms` : ' (frame marks carry no renderMs)'),
		);
		figures['render_p95_ms_2000'] = round(percentile(timed, 95));
	} finally {
		await game.stop();
		await cluster.close();
	}
}

/** 5000 pods: RSS after the watch settles, and how long the first full picture takes. */
export async function fiveThousandScenario(context: BenchContext, figures: Figures): Promise<void> {
	const pods = 5000;
	const cluster = await startBenchCluster({pods, seed: context.seed + 3, dir: context.dir, label: 'k5'});
	const game = startGame(context, cluster, 'k5');
	try {
		const settled = await game.waitForMark(`a frame with ${pods} pods`, showsPods(pods), 60_000);
		figures['first_frame_ms_5000'] = round(settled.t - game.spawnedAt);
		await sleep(settleMs);
		figures['rss_mb_5000'] = round(readRssMb(game.pid));
	} finally {
		await game.stop();
		await cluster.close();
	}
}
