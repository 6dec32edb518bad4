// Session statistics: nearest-rank percentiles over the durations we measured.

/** Nearest-rank percentile (q in (0, 1]) of the values; undefined when there are none. */
export function percentile(values: readonly number[], q: number): number | undefined {
	if (values.length === 0) return undefined;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
	return sorted[rank - 1];
}

export interface Spread {
	readonly n: number;
	readonly p50?: number;
	readonly p95?: number;
}

export function spread(values: readonly number[]): Spread {
	const p50 = percentile(values, 0.5);
	const p95 = percentile(values, 0.95);
	return {n: values.length, ...(p50 === undefined ? {} : {p50}), ...(p95 === undefined ? {} : {p95})};
}

/** "2.1 s", "850 ms", "1 m 05 s"; "–" when unknown. */
export function formatDuration(ms: number | undefined): string {
	if (ms === undefined || !Number.isFinite(ms)) return '–';
	if (ms < 0) return '0 ms';
	if (ms < 1000) return `${Math.round(ms)} ms`;
	if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
	const total = Math.round(ms / 1000);
	return `${Math.floor(total / 60)} m ${String(total % 60).padStart(2, '0')} s`;
}
