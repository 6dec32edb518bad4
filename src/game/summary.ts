import type {GameState, ReplacementRecord, SessionStats} from './state.js';
import {formatDuration, spread, type Spread} from './stats.js';

// What a session amounted to: printed by the CLI after the game exits, and shown in the side panel.

export interface SessionTimings {
	/** Kill → replacement Running, ms, over every replacement seen (ours and others' kills). */
	readonly toRunning: Spread;
	readonly toReady: Spread;
}

/** The session's counters (SessionStats), how long it lasted, its replacements and their timings, the score. */
export interface GameSummary extends Omit<SessionStats, 'startedAt'> {
	readonly durationMs: number;
	/** Kills whose replacement we saw (it may still be on its way to Ready). */
	readonly replacements: number;
	readonly timings: SessionTimings;
	readonly score: number;
}

export function toRunningMs(record: ReplacementRecord): number | undefined {
	return record.runningAt === undefined ? undefined : record.runningAt - record.killAt;
}

export function toReadyMs(record: ReplacementRecord): number | undefined {
	return record.readyAt === undefined ? undefined : record.readyAt - record.killAt;
}

export function sessionTimings(records: readonly ReplacementRecord[]): SessionTimings {
	const running: number[] = [];
	const ready: number[] = [];
	for (const record of records) {
		if (!record.confirmed || !record.replacement) continue;
		const run = toRunningMs(record);
		const up = toReadyMs(record);
		if (run !== undefined) running.push(run);
		if (up !== undefined) ready.push(up);
	}
	return {toRunning: spread(running), toReady: spread(ready)};
}

export function summarize(state: GameState): GameSummary {
	const {startedAt, ...counters} = state.stats;
	return {
		...counters,
		durationMs: Math.max(0, state.now - startedAt),
		replacements: state.replacements.filter((record) => record.confirmed && record.replacement).length,
		timings: sessionTimings(state.replacements),
		score: state.score,
	};
}

/** A few lines for the terminal after the game. */
export function formatSummary(summary: GameSummary): string {
	const {toRunning, toReady} = summary.timings;
	const extra = [
		summary.dryRuns ? `${summary.dryRuns} dry run${summary.dryRuns === 1 ? '' : 's'}` : '',
		summary.refused ? `${summary.refused} refused` : '',
		summary.failed ? `${summary.failed} failed` : '',
		summary.external ? `${summary.external} by others` : '',
	].filter(Boolean);
	return [
		`podinvaders session: ${formatDuration(summary.durationMs)}`,
		`  kills         ${summary.kills}${extra.length ? ` (${extra.join(', ')})` : ''} · shots ${summary.shots} · hits ${summary.hits}`,
		`  replacements  ${summary.replacements}`,
		`  t→Running     p50 ${formatDuration(toRunning.p50)} · p95 ${formatDuration(toRunning.p95)} (n=${toRunning.n})`,
		`  t→Ready       p50 ${formatDuration(toReady.p50)} · p95 ${formatDuration(toReady.p95)} (n=${toReady.n})`,
		`  score         ${summary.score}`,
	].join('\n');
}
