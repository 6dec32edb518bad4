// The latency heat map as data: source × target matrix of Goldpinger's last ping times, bands with
// Goldpinger's own heatmap thresholds (1/10/100 ms, pkg/goldpinger/heatmap.go), failures kept apart from
// latencies (a refused call and a timed-out one are different stories), per-target p95, the worst pair.
// Pure; ui/heat-map.tsx draws it.

import type {GoldpingerPing, GoldpingerResult} from '../model/goldpinger.js';
import {isResultStale} from './health.js';
import {percentile} from './stats.js';

/** Goldpinger's default heatmap.png thresholds in ms: green below the first, red from the last. */
export const heatThresholdsMs = [1, 10, 100] as const;

/**
 * `fast` < 1 ms ≤ `good` < 10 ms ≤ `slow` < 100 ms ≤ `bad`; `timeout` and `error` are failed pings;
 * `none`: no ping from that source to that target; `self`: an instance pinging itself (not a network path).
 */
export type HeatBand = 'fast' | 'good' | 'slow' | 'bad' | 'timeout' | 'error' | 'none' | 'self';

export function bandOfMs(ms: number): 'fast' | 'good' | 'slow' | 'bad' {
	return ms < heatThresholdsMs[0] ? 'fast' : ms < heatThresholdsMs[1] ? 'good' : ms < heatThresholdsMs[2] ? 'slow' : 'bad';
}

export function bandOfPing(ping: GoldpingerPing | undefined): HeatBand {
	if (!ping) return 'none';
	if (!ping.ok) return ping.timedOut ? 'timeout' : 'error';
	return bandOfMs(ping.responseTimeMs);
}

export interface HeatCell {
	readonly band: HeatBand;
	/** The ping time (also for failures: a timeout reads ≈ the ping timeout). Absent for `none`. */
	readonly ms?: number;
	readonly error?: string;
}

export interface HeatPod {
	/** Goldpinger's key (pod name), sanitised. */
	readonly name: string;
	/** a, b, c, …: one letter per pod drawn, the same in rows and columns. */
	readonly letter: string;
	/** A short name that fits a row label: the pod name's random suffix. */
	readonly short: string;
}

export interface HeatColumn extends HeatPod {
	/** 95th percentile (nearest rank) of successful pings to it from other instances; undefined if none. */
	readonly p95?: number;
	/** Failed pings to it (timeouts + errors), self-pings excluded. */
	readonly failures: number;
	/** Pings to it that were reported (self excluded). */
	readonly reports: number;
}

export interface HeatRow {
	readonly source: HeatPod;
	/** The check_all instance reached this source's /check (else `cells` are all `none` and `error` says why). */
	readonly ok: boolean;
	readonly error?: string;
	/** One per column, same order. */
	readonly cells: readonly HeatCell[];
}

export interface HeatPair {
	readonly source: string;
	readonly target: string;
	readonly cell: HeatCell;
}

export interface HeatMapModel {
	/** Targets shown: the slowest first (failures, then the p95 band), then by name. */
	readonly columns: readonly HeatColumn[];
	readonly rows: readonly HeatRow[];
	/** Targets and sources that did not fit. */
	readonly hiddenColumns: number;
	readonly hiddenRows: number;
	/** The worst source→target pair (a failed one if any, else the slowest), self-pings excluded. */
	readonly worst?: HeatPair;
	/** Age of the data in ms; undefined when there is no result. */
	readonly ageMs?: number;
	/** Older than 3 refreshes: drawn, but not to be trusted (the book's staleness caveat). */
	readonly stale: boolean;
}

export interface HeatMapOptions {
	/** Monotonic ms, same clock as `result.receivedAt`. */
	readonly now: number;
	readonly refreshMs: number;
	readonly maxColumns: number;
	readonly maxRows: number;
}

const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const severity: Record<HeatBand, number> = {none: 0, self: 0, fast: 1, good: 2, slow: 3, bad: 4, error: 5, timeout: 5};

/** The random suffix of a generated pod name (goldpinger-c86c78448-5kwpp → 5kwpp), at most 5 characters. */
export function shortName(name: string): string {
	const dash = name.lastIndexOf('-');
	const tail = dash >= 0 && dash < name.length - 1 ? name.slice(dash + 1) : name;
	return tail.slice(0, 5);
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function buildHeatMap(result: GoldpingerResult | undefined, options: HeatMapOptions): HeatMapModel {
	const maxColumns = Math.max(0, Math.floor(options.maxColumns));
	const maxRows = Math.max(0, Math.floor(options.maxRows));
	if (!result) return {columns: [], rows: [], hiddenColumns: 0, hiddenRows: 0, stale: true};

	// Per target: latencies and failures reported by other instances.
	const targetNames = new Set<string>();
	const latencies = new Map<string, number[]>();
	const failures = new Map<string, number>();
	let worst: HeatPair | undefined;
	for (const source of result.sources) {
		for (const ping of source.pings) {
			targetNames.add(ping.target);
			if (ping.target === source.name) continue;
			const cell = cellOf(ping, false);
			if (ping.ok) {
				let list = latencies.get(ping.target);
				if (!list) latencies.set(ping.target, (list = []));
				list.push(ping.responseTimeMs);
			} else {
				failures.set(ping.target, (failures.get(ping.target) ?? 0) + 1);
			}
			if (isWorse(cell, worst?.cell)) worst = {source: source.name, target: ping.target, cell};
		}
	}

	const allColumns = [...targetNames].map((name) => {
		const values = latencies.get(name) ?? [];
		const failed = failures.get(name) ?? 0;
		const p95 = percentile(values, 0.95);
		return {name, p95, failures: failed, reports: values.length + failed};
	});
	const rank = (column: (typeof allColumns)[number]): number =>
		column.failures > 0 ? severity.error : column.p95 === undefined ? 0 : severity[bandOfMs(column.p95)];
	allColumns.sort((a, b) => rank(b) - rank(a) || compare(a.name, b.name));
	const shownColumns = allColumns.slice(0, maxColumns);

	// Rows: sources that are also shown columns first, in column order, then the others by name.
	const columnIndex = new Map(shownColumns.map((column, index) => [column.name, index]));
	const sources = [...result.sources].sort((a, b) => {
		const ia = columnIndex.get(a.name) ?? Number.MAX_SAFE_INTEGER;
		const ib = columnIndex.get(b.name) ?? Number.MAX_SAFE_INTEGER;
		return ia - ib || compare(a.name, b.name);
	});
	const shownSources = sources.slice(0, maxRows);

	// Letters: one per pod drawn, columns first.
	const letterOf = new Map<string, string>();
	const pod = (name: string): HeatPod => {
		let letter = letterOf.get(name);
		if (letter === undefined) letterOf.set(name, (letter = letters[letterOf.size] ?? '?'));
		return {name, letter, short: shortName(name)};
	};
	const columns: HeatColumn[] = shownColumns.map((column) => ({
		...pod(column.name),
		...(column.p95 !== undefined ? {p95: column.p95} : {}),
		failures: column.failures,
		reports: column.reports,
	}));
	const rows: HeatRow[] = shownSources.map((source) => {
		const byTarget = new Map(source.pings.map((ping) => [ping.target, ping]));
		return {
			source: pod(source.name),
			ok: source.ok,
			...(source.error ? {error: source.error} : {}),
			cells: columns.map((column) => {
				const ping = byTarget.get(column.name);
				return ping ? cellOf(ping, column.name === source.name) : {band: 'none'};
			}),
		};
	});

	const ageMs = Math.max(0, options.now - result.receivedAt);
	return {
		columns,
		rows,
		hiddenColumns: allColumns.length - shownColumns.length,
		hiddenRows: sources.length - shownSources.length,
		...(worst ? {worst} : {}),
		ageMs,
		stale: isResultStale(result, options.now, options.refreshMs),
	};
}

function cellOf(ping: GoldpingerPing, self: boolean): HeatCell {
	return {
		band: self ? 'self' : bandOfPing(ping),
		ms: ping.responseTimeMs,
		...(ping.error ? {error: ping.error} : {}),
	};
}

function isWorse(cell: HeatCell, than: HeatCell | undefined): boolean {
	if (!than) return true;
	const a = severity[cell.band] >= severity.error ? 1 : 0;
	const b = severity[than.band] >= severity.error ? 1 : 0;
	if (a !== b) return a > b;
	return (cell.ms ?? 0) > (than.ms ?? 0);
}
