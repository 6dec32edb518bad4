// `npm run bench -- --real`: the scale check on a genuine control plane (test/real-cluster: etcd,
// kube-apiserver, controller-manager, scheduler, KWOK). One Deployment of 3000 pods in one namespace,
// created through the API and waited for until every pod is Running; then the game (dist/cli.js in a
// pseudo-terminal, as in the demo bench) against it, and pod deletions through the API, ~10/s for 10 s,
// whose commits are timed by the DELETE's answer (we cannot hook the real server's commit: see README).
import {join} from 'node:path';
import {startRealCluster, type RealCluster} from '../test/real-cluster/backend.js';
import {onCleanup} from './lib/cleanup.js';
import {sleep, wallNow} from './lib/clock.js';
import {GameChild} from './lib/game-child.js';
import {KubectlWatch} from './lib/kubectl.js';
import {eventToFrame, watchLatency, type CommittedChange} from './lib/match.js';
import {readCpuSeconds, readRssMb} from './lib/proc.js';
import {RealApi, resourceVersionOf, type ApiAnswer} from './lib/real-api.js';
import {median, percentile, round} from './lib/stats.js';
import {numberField} from './lib/trace.js';
import type {Figures} from './lib/targets.js';
import {frames, showsPods, type BenchContext} from './scenarios.js';

export const realNamespace = 'invaders';
const deploymentName = 'swarm';
const settleMs = 1500; // as the demo bench: after the first full frame, before RSS is read

export interface RealOptions {
	/** Pods in the Deployment (BENCH_REAL_PODS; 3000 by default). */
	readonly pods: number;
	/** Wall-clock ms by which every wait must have given up (the run's watchdog fires a little later). */
	readonly deadline: number;
	/** Deletions per second and for how many seconds. */
	readonly deletesPerSecond: number;
	readonly churnSeconds: number;
}

/** What a user's manifest would say: one container, an image nobody pulls (KWOK runs nothing). */
function deployment(pods: number): unknown {
	const labels = {app: deploymentName};
	return {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: {name: deploymentName, namespace: realNamespace, labels},
		spec: {
			replicas: pods,
			selector: {matchLabels: labels},
			template: {
				metadata: {labels},
				spec: {
					containers: [{name: 'invader', image: 'registry.example/invader:1'}],
					// Under load KWOK's node heartbeats can come later than the node controller's grace period: the
					// nodes then flap NotReady and get tainted. Tolerating that keeps replacements schedulable and
					// nothing evicted (the pods' Ready condition is still set False by the node controller).
					tolerations: [
						{key: 'node.kubernetes.io/not-ready', operator: 'Exists'},
						{key: 'node.kubernetes.io/unreachable', operator: 'Exists'},
					],
				},
			},
		},
	};
}

/** The `kubectl get pods` columns of every Running pod (Table, rows only: ≈ 150 bytes a pod instead of ≈ 8 KB). */
async function runningPods(api: RealApi): Promise<{names: string[]; ready: number}> {
	const {body} = await api.ok('GET', `/api/v1/namespaces/${realNamespace}/pods?fieldSelector=status.phase%3DRunning&includeObject=None`, undefined, [], tableAccept);
	const table = body as {columnDefinitions?: {name: string}[]; rows?: {cells: unknown[]}[]};
	const column = (name: string) => table.columnDefinitions?.findIndex((definition) => definition.name === name) ?? -1;
	const nameAt = column('Name');
	const readyAt = column('Ready');
	const rows = table.rows ?? [];
	return {
		names: rows.map((row) => String(row.cells[nameAt])),
		ready: rows.filter((row) => /^(\d+)\/\1$/.test(String(row.cells[readyAt]))).length,
	};
}

const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io';

const remaining = (options: RealOptions, capMs: number): number => Math.max(1000, Math.min(capMs, options.deadline - Date.now()));

/** Waits (bounded) for the namespace's default ServiceAccount: pods are refused until it exists. */
async function waitForServiceAccount(api: RealApi, options: RealOptions): Promise<void> {
	const until = Date.now() + remaining(options, 30_000);
	while ((await api.call('GET', `/api/v1/namespaces/${realNamespace}/serviceaccounts/default`)).status !== 200) {
		if (Date.now() > until) throw new Error(`no default ServiceAccount in ${realNamespace} after 30 s`);
		await sleep(200);
	}
}

/**
 * Creates the Deployment and waits until `pods` pods are Running (status.phase, as `kubectl get pods
 * --field-selector=status.phase=Running` counts them; polled every second). Returns the seconds from the POST's
 * answer to the poll that saw them all, the Running pods' names and how many of them were Ready.
 */
async function createAndWait(api: RealApi, context: BenchContext, options: RealOptions): Promise<{seconds: number; names: string[]; ready: number}> {
	await api.ok('POST', '/api/v1/namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: realNamespace}});
	await waitForServiceAccount(api, options);
	const created = await api.ok('POST', `/apis/apps/v1/namespaces/${realNamespace}/deployments`, deployment(options.pods));
	const until = Date.now() + remaining(options, 180_000);
	const since = () => ((wallNow() - created.answeredAt) / 1000).toFixed(0);
	let lastLog = Date.now();
	for (;;) {
		const running = await runningPods(api);
		if (running.names.length >= options.pods) return {seconds: (wallNow() - created.answeredAt) / 1000, ...running};
		if (Date.now() > until) throw new Error(`only ${running.names.length} of ${options.pods} pods Running after ${since()} s (time budget)`);
		if (Date.now() - lastLog >= 10_000) {
			lastLog = Date.now();
			context.log(`real: ${running.names.length}/${options.pods} Running (${running.ready} Ready) after ${since()} s`);
		}
		await sleep(1000);
	}
}

interface Deletion {
	readonly name: string;
	readonly answer?: ApiAnswer;
	readonly error?: string;
}

/** Deletes the victims through the API on a fixed schedule (not waiting for each answer, like independent users). */
async function deleteOnSchedule(api: RealApi, victims: readonly string[], perSecond: number): Promise<Deletion[]> {
	const from = wallNow();
	const pending: Promise<Deletion>[] = [];
	for (const [i, name] of victims.entries()) {
		await sleep(Math.max(0, from + (i * 1000) / perSecond - wallNow()));
		pending.push(
			api.call('DELETE', `/api/v1/namespaces/${realNamespace}/pods/${name}`).then(
				(answer) => (answer.status === 200 || answer.status === 202 ? {name, answer} : {name, error: `HTTP ${answer.status}`}),
				(error: unknown) => ({name, error: error instanceof Error ? error.message : String(error)}),
			),
		);
	}
	return Promise.all(pending);
}

/** Polls until every victim has a `kubectl get pods -w` row after `from`, or the time is up. */
async function waitForRows(watch: KubectlWatch, victims: readonly string[], from: number, timeoutMs: number): Promise<void> {
	const until = Date.now() + timeoutMs;
	const wanted = new Set(victims);
	while (Date.now() < until) {
		const seen = new Set(watch.lines.filter((line) => line.t >= from && wanted.has(line.name)).map((line) => line.name));
		if (seen.size >= wanted.size) return;
		await sleep(100);
	}
}

export async function realScenario(context: BenchContext, figures: Figures, options: RealOptions): Promise<void> {
	const pods = options.pods;
	// Room for every pod and its replacement (the scheduler spreads them; KWOK reports this capacity).
	const nodes = Math.max(4, Math.ceil((pods + 500) / 1000));
	const startedAt = Date.now();
	context.log(`real: starting the control plane (${nodes} KWOK nodes × 1000 pods, controller-manager 200 QPS / burst 400)…`);
	const cluster: RealCluster = await startRealCluster({nodes, nodePods: 1000, controllerQps: 200, controllerBurst: 400, kwokStages: 'fast'});
	const unregister = onCleanup('real control plane', () => cluster.stop());
	context.log(`real: control plane up in ${((Date.now() - startedAt) / 1000).toFixed(1)} s (${cluster.dir})`);
	const api = new RealApi(cluster.url, cluster.token, cluster.caPem);
	let game: GameChild | undefined;
	let watch: KubectlWatch | undefined;
	try {
		const {seconds, names, ready} = await createAndWait(api, context, options);
		figures['real_pods_running_s'] = round(seconds);
		context.log(`real: ${names.length} pods Running (${ready} Ready) ${seconds.toFixed(1)} s after the Deployment was created`);
		await sleep(1000); // let the controllers' last status writes go by before the game starts

		game = new GameChild({
			root: context.root,
			kubeconfig: cluster.kubeconfigPath,
			namespace: realNamespace,
			traceFile: join(context.dir, 'trace-real.jsonl'),
			args: ['--yes', '--seed', String(context.seed)],
			nodeArgs: process.env['BENCH_GAME_NODE_ARGS']?.split(' ').filter(Boolean) ?? [],
		});
		const formation = await game.waitForMark('first-formation', (mark) => mark.mark === 'first-formation', remaining(options, 60_000));
		const formationPods = numberField(formation, 'pods') ?? 0;
		// first-formation is the first frame after the list arrived: it holds all pods unless some came later.
		const full = formationPods >= pods ? formation : await game.waitForMark(`a frame with ${pods} pods`, showsPods(pods), remaining(options, 30_000));
		const paint = game.trace.first('first-paint');
		if (paint) figures['real_first_paint_ms'] = round(paint.t - game.spawnedAt);
		figures[`real_first_frame_ms_${pods}`] = round(full.t - game.spawnedAt);
		context.log(`real: first paint ${paint ? (paint.t - game.spawnedAt).toFixed(0) : '?'} ms, first formation ${(formation.t - game.spawnedAt).toFixed(0)} ms with ${formationPods} pods`);
		await sleep(settleMs);
		figures[`real_rss_mb_${pods}`] = round(readRssMb(game.pid));

		try {
			watch = new KubectlWatch(cluster.kubeconfigPath, realNamespace, join(context.dir, 'kubectl-cache'));
			await watch.waitForRows(pods, remaining(options, 45_000));
		} catch (error) {
			context.log(`real: kubectl get pods -w not usable, real_kubectl_watch_p50_ms left null: ${error instanceof Error ? error.message : String(error)}`);
			await watch?.stop();
			watch = undefined;
		}
		await sleep(500);

		// Churn: the first pods in formation order (sorted by name: one owner), deleted through the API.
		const victims = [...names].sort().slice(0, options.deletesPerSecond * options.churnSeconds);
		const churnFrom = wallNow();
		const cpuBefore = readCpuSeconds(game.pid);
		const deletions = await deleteOnSchedule(api, victims, options.deletesPerSecond);
		const churnTo = wallNow();
		figures['real_churn_cpu_pct'] = round(((readCpuSeconds(game.pid) - cpuBefore) * 100_000) / (churnTo - churnFrom));
		const failed = deletions.filter((deletion) => !deletion.answer);
		if (failed.length > 0) context.log(`real: ${failed.length} DELETEs failed, e.g. ${failed[0]!.name}: ${failed[0]!.error}`);
		// The commit of each DELETE (the pod marked Terminating at this resourceVersion) is taken at its answer.
		const changes: CommittedChange[] = deletions.flatMap(({name, answer}) => {
			const rv = answer ? resourceVersionOf(answer.body) : Number.NaN;
			return answer && Number.isFinite(rv) ? [{rv, name, type: 'MODIFIED' as const, t: answer.answeredAt, visible: true}] : [];
		});
		const roundTrips = deletions.flatMap(({answer}) => (answer ? [answer.answeredAt - answer.sentAt] : []));
		figures['real_deletes'] = changes.length;
		figures['real_delete_rtt_p50_ms'] = round(median(roundTrips));
		const highest = Math.max(...changes.map((change) => change.rv));
		try {
			await game.waitForMark(`a frame at resourceVersion ${highest}`, (mark) => mark.mark === 'frame' && (numberField(mark, 'rv') ?? 0) >= highest, remaining(options, 20_000));
		} catch (error) {
			context.log(`real: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
		}
		if (watch) await waitForRows(watch, victims, churnFrom, remaining(options, 20_000));
		await sleep(300); // the last frames and rows

		const drawn = frames(game);
		const shown = eventToFrame(changes, drawn);
		// The game's own frame time while the deletes came in (as render_p95_ms_2000 in the demo bench).
		figures[`real_render_p95_ms_${pods}`] = round(percentile(drawn.filter((frame) => frame.t >= churnFrom && frame.renderMs !== undefined).map((frame) => frame.renderMs!), 95));
		figures['real_event_to_frame_p50_ms'] = round(percentile(shown.values, 50));
		figures['real_event_to_frame_p95_ms'] = round(percentile(shown.values, 95));
		let kubectlNote = 'kubectl -w not running';
		if (watch) {
			const rows = watchLatency(changes, watch.lines.filter((line) => line.t >= churnFrom), () => true);
			figures['real_kubectl_watch_p50_ms'] = round(percentile(rows.values, 50));
			figures['real_kubectl_watch_p95_ms'] = round(percentile(rows.values, 95));
			kubectlNote = `kubectl -w showed ${rows.values.length} (missed ${rows.missed})`;
		}
		const replacements = game.trace.all('replacement').flatMap((mark) => (mark.t >= churnFrom ? [numberField(mark, 'ms') ?? Number.NaN] : []));
		context.log(
			`real: ${changes.length} deletes at ${options.deletesPerSecond}/s (DELETE round trip p50 ${median(roundTrips).toFixed(1)} ms, max ${Math.max(...roundTrips).toFixed(1)} ms); ` +
				`game showed ${shown.values.length} (missed ${shown.missed}), ${kubectlNote}; ` +
				`${replacements.length} replacement marks (game's kill → replacement Running, median ${median(replacements).toFixed(0)} ms)`,
		);
	} finally {
		await watch?.stop();
		await game?.stop();
		api.close();
		await cluster.stop();
		unregister();
	}
}
