// The kill-half report an SRE can keep: JSON (schema in the README) and Markdown. Times are milliseconds
// relative to the first kill, from the client's monotonic clock at the moment each watch event or
// Goldpinger reply arrived (server timestamps have whole-second precision, see DESIGN §8).
import type {ClusterIdentity} from '../model/ports.js';
import type {KillResult} from '../model/kill.js';
import {sanitizeLine} from '../model/sanitize.js';
import {percentile} from '../game/stats.js';
import type {ExperimentObserver, VictimRecord} from './observer.js';
import type {KillHalfOptions} from './kill-half.js';

export const reportSchema = 'podinvaders/kill-half/v1';

export type Verdict = 'held' | 'not-held' | 'aborted' | 'dry-run';

export interface VictimReport {
	name: string;
	uid: string;
	outcome: string;
	message: string;
	killedAtMs: number | null;
	unreachable: {firstMs: number; lastMs: number; durationMs: number; peers: string[]} | null;
	goneMs: number | null;
	replacement: {
		name: string;
		uid: string;
		seenMs: number;
		pendingMs: number | null;
		containerCreatingMs: number | null;
		runningMs: number | null;
		readyMs: number | null;
		healthyMs: number | null;
	} | null;
}

export interface KillHalfReport {
	schema: typeof reportSchema;
	experiment: 'kill-half';
	hypothesis: string;
	cluster: {context: string; server: string; namespace: string; selector: string; demo: boolean};
	options: {fraction: number; seed: number; timeoutSeconds: number; dryRun: boolean; evict: boolean; refreshSeconds: number};
	startedAt: string;
	finishedAt: string;
	steadyStateBefore: {pods: number; goldpinger: 'used' | 'absent'; note?: string};
	victims: VictimReport[];
	recovery: {allReplacedMs: number | null; steadyStateRestored: boolean};
	summary: {
		killed: number;
		replaced: number;
		timeToRunningP50Ms: number | null;
		timeToRunningP95Ms: number | null;
		timeToReadyP50Ms: number | null;
		timeToReadyP95Ms: number | null;
	};
	verdict: Verdict;
	reasons: string[];
	exitCode: 0 | 1 | 3;
}

export interface ReportInput {
	phase: 'observed' | 'timeout' | 'aborted' | 'dry-run' | 'interrupted';
	reason?: string;
	identity: ClusterIdentity;
	options: KillHalfOptions;
	startedAt: Date;
	finishedAt: Date;
	startedMono: number;
	observer: ExperimentObserver;
	kills: readonly KillResult[];
	goldpingerUsed: boolean;
	goldpingerNote: string | undefined;
	now: number;
	/** Pods selected when the steady state was checked. */
	initialPods: number;
}

const round = (ms: number | undefined): number | null => (ms === undefined ? null : Math.round(ms));

export function buildReport(input: ReportInput): KillHalfReport {
	const {observer, kills, options} = input;
	const firstKill = Math.min(...[...observer.victims.values()].map((victim) => victim.killedAt), input.now);
	const rel = (at: number | undefined) => (at === undefined ? null : Math.round(at - firstKill));
	const victims: VictimReport[] = kills.map((kill) => {
		const record: VictimRecord | undefined = observer.victims.get(kill.request.uid);
		const replacement = record?.replacement;
		return {
			name: kill.request.name,
			uid: kill.request.uid,
			outcome: kill.outcome,
			message: sanitizeLine(kill.message),
			killedAtMs: record ? rel(record.killedAt) : null,
			unreachable:
				record?.firstUnreachableAt !== undefined
					? {
						firstMs: rel(record.firstUnreachableAt)!,
						lastMs: rel(record.lastUnreachableAt)!,
						durationMs: Math.round(record.lastUnreachableAt! - record.firstUnreachableAt),
						peers: [...record.unreachableFrom].sort(),
					}
					: null,
			goneMs: rel(record?.goneAt),
			replacement: replacement
				? {
					name: replacement.name,
					uid: replacement.uid,
					seenMs: rel(replacement.createdAt)!,
					pendingMs: rel(replacement.pendingAt),
					containerCreatingMs: rel(replacement.containerCreatingAt),
					runningMs: rel(replacement.runningAt),
					readyMs: rel(replacement.readyAt),
					healthyMs: rel(replacement.healthyAt),
				}
				: null,
		};
	});

	const killed = victims.filter((victim) => victim.outcome === 'deleted' || victim.outcome === 'evicted');
	const toRunning = killed.flatMap((victim) => (victim.replacement?.runningMs != null ? [victim.replacement.runningMs - victim.killedAtMs!] : []));
	const toReady = killed.flatMap((victim) => (victim.replacement?.readyMs != null ? [victim.replacement.readyMs - victim.killedAtMs!] : []));
	const allReadyMs = toReady.length === killed.length && killed.length > 0 ? Math.max(...killed.map((victim) => victim.replacement!.readyMs!)) : null;

	const reasons: string[] = [];
	let verdict: Verdict;
	if (input.phase === 'dry-run') {
		verdict = 'dry-run';
		const accepted = victims.filter((victim) => victim.outcome === 'dry-run').length;
		reasons.push(`dry run: ${accepted} of ${victims.length} deletes validated by the server, nothing was deleted`);
		for (const victim of victims.filter((item) => item.outcome !== 'dry-run')) reasons.push(`${victim.name}: ${victim.outcome} — ${victim.message}`);
	} else if (input.phase === 'aborted' || input.phase === 'interrupted' && killed.length === 0) {
		verdict = 'aborted';
		reasons.push(input.reason ?? 'interrupted');
	} else {
		for (const victim of victims) {
			if (victim.outcome !== 'deleted' && victim.outcome !== 'evicted') reasons.push(`${victim.name} was not killed: ${victim.outcome} — ${victim.message}`);
		}
		for (const victim of killed) {
			if (input.goldpingerUsed && !victim.unreachable) reasons.push(`${victim.name} was never reported unreachable by its peers`);
			if (!victim.replacement) reasons.push(`${victim.name} got no replacement`);
			else if (victim.replacement.readyMs === null) reasons.push(`${victim.name}'s replacement ${victim.replacement.name} never became Ready`);
			else if (input.goldpingerUsed && victim.replacement.healthyMs === null) reasons.push(`${victim.name}'s replacement ${victim.replacement.name} was never reported healthy`);
		}
		if (input.phase === 'timeout') reasons.push(`the steady state did not return within ${options.timeoutMs / 1000} s`);
		if (input.phase === 'interrupted') reasons.push('interrupted while observing');
		verdict = reasons.length === 0 ? 'held' : 'not-held';
		if (verdict === 'held') {
			reasons.push(
				`every victim was ${input.goldpingerUsed ? 'marked unreachable by its peers, then ' : ''}replaced by a Ready${input.goldpingerUsed ? ', healthy' : ''} pod; steady state restored ${allReadyMs !== null ? `${(allReadyMs / 1000).toFixed(1)} s after the first kill` : ''}`.trim(),
			);
		}
	}

	return {
		schema: reportSchema,
		experiment: 'kill-half',
		hypothesis:
			'Killing a fraction of the selected pods: each is marked unreachable by its Goldpinger peers, then replaced by a pod that becomes Ready and healthy, and the steady state returns.',
		cluster: {
			context: input.identity.context,
			server: input.identity.server,
			namespace: input.identity.namespace,
			selector: input.identity.selector,
			demo: input.identity.demo,
		},
		options: {
			fraction: options.fraction,
			seed: options.seed,
			timeoutSeconds: options.timeoutMs / 1000,
			dryRun: options.dryRun,
			evict: options.evict,
			refreshSeconds: options.refreshMs / 1000,
		},
		startedAt: input.startedAt.toISOString(),
		finishedAt: input.finishedAt.toISOString(),
		steadyStateBefore: {
			pods: input.initialPods,
			goldpinger: input.goldpingerUsed ? 'used' : 'absent',
			...(input.goldpingerNote ? {note: sanitizeLine(input.goldpingerNote)} : {}),
		},
		victims,
		recovery: {allReplacedMs: allReadyMs, steadyStateRestored: input.phase === 'observed'},
		summary: {
			killed: killed.length,
			replaced: killed.filter((victim) => victim.replacement?.readyMs != null).length,
			timeToRunningP50Ms: round(percentile(toRunning, 0.5)),
			timeToRunningP95Ms: round(percentile(toRunning, 0.95)),
			timeToReadyP50Ms: round(percentile(toReady, 0.5)),
			timeToReadyP95Ms: round(percentile(toReady, 0.95)),
		},
		verdict,
		reasons,
		exitCode: verdict === 'held' || verdict === 'dry-run' ? 0 : verdict === 'not-held' ? 1 : 3,
	};
}

const cell = (ms: number | null | undefined) => (ms === null || ms === undefined ? '—' : `${(ms / 1000).toFixed(2)} s`);
const escapeMd = (text: string) => text.replace(/[|\\`*_<>[\]]/g, (char) => `\\${char}`);

export function reportMarkdown(report: KillHalfReport): string {
	const verdictLine = {
		held: '✅ **Hypothesis held**',
		'not-held': '❌ **Hypothesis did not hold**',
		aborted: '⚠️ **Aborted**',
		'dry-run': '🧪 **Dry run** (nothing was deleted)',
	}[report.verdict];
	const lines = [
		`# Experiment kill-half — ${escapeMd(report.cluster.namespace)}${report.cluster.selector ? ` \`-l ${report.cluster.selector.replace(/`/g, '')}\`` : ''}`,
		'',
		`${verdictLine}`,
		'',
		...report.reasons.map((reason) => `- ${escapeMd(reason)}`),
		'',
		`**Hypothesis.** ${report.hypothesis}`,
		'',
		'| | |',
		'|---|---|',
		`| context | ${escapeMd(report.cluster.context)}${report.cluster.demo ? ' (demo cluster)' : ''} |`,
		`| server | ${escapeMd(report.cluster.server)} |`,
		`| started / finished | ${report.startedAt} / ${report.finishedAt} |`,
		`| fraction · seed · timeout | ${report.options.fraction} · ${report.options.seed} · ${report.options.timeoutSeconds} s |`,
		`| mode | ${report.options.dryRun ? 'dry run' : report.options.evict ? 'eviction API' : 'delete'} |`,
		`| Goldpinger | ${report.steadyStateBefore.goldpinger}${report.steadyStateBefore.note ? ` — ${escapeMd(report.steadyStateBefore.note)}` : ''} |`,
		'',
		'## Victims',
		'',
		'Times are seconds after the first kill (client monotonic clock).',
		'',
		'| victim | outcome | unreachable from → to (peers) | gone | replacement | Pending | ContainerCreating | Running | Ready | healthy |',
		'|---|---|---|---|---|---|---|---|---|---|',
		...report.victims.map((victim) =>
			[
				escapeMd(victim.name),
				escapeMd(victim.message && victim.outcome !== 'deleted' ? `${victim.outcome}: ${victim.message}` : victim.outcome),
				victim.unreachable ? `${cell(victim.unreachable.firstMs)} → ${cell(victim.unreachable.lastMs)} (${victim.unreachable.peers.map(escapeMd).join(', ')})` : '—',
				cell(victim.goneMs),
				victim.replacement ? escapeMd(victim.replacement.name) : '—',
				cell(victim.replacement?.pendingMs),
				cell(victim.replacement?.containerCreatingMs),
				cell(victim.replacement?.runningMs),
				cell(victim.replacement?.readyMs),
				cell(victim.replacement?.healthyMs),
			].join(' | ').replace(/^/, '| ').concat(' |'),
		),
		'',
		'## Summary',
		'',
		`- killed ${report.summary.killed}, replaced (Ready) ${report.summary.replaced}`,
		`- time to Running: p50 ${cell(report.summary.timeToRunningP50Ms)}, p95 ${cell(report.summary.timeToRunningP95Ms)}`,
		`- time to Ready: p50 ${cell(report.summary.timeToReadyP50Ms)}, p95 ${cell(report.summary.timeToReadyP95Ms)}`,
		`- all replaced ${cell(report.recovery.allReplacedMs)} after the first kill; steady state restored: ${report.recovery.steadyStateRestored ? 'yes' : 'no'}`,
		'',
		`Exit code ${report.exitCode}.`,
		'',
	];
	return lines.join('\n');
}
