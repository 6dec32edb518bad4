// Small, pure statistics for the bench: percentiles the way the issue reads them (nearest rank), rounding
// for the JSON, and a rate over a window. No I/O here, so test/bench can check every edge.

/** Nearest-rank percentile (p in [0, 100]) of the values; NaN for an empty list. */
export function percentile(values: readonly number[], p: number): number {
	const finite = values.filter((value) => Number.isFinite(value));
	if (finite.length === 0) return Number.NaN;
	const sorted = [...finite].sort((a, b) => a - b);
	const rank = Math.ceil((Math.min(100, Math.max(0, p)) / 100) * sorted.length);
	return sorted[Math.max(0, rank - 1)]!;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

/** Rounds for the JSON: 1 decimal below 100, whole numbers above (the noise here is larger than that). */
export function round(value: number): number {
	if (!Number.isFinite(value)) return value;
	return Math.abs(value) < 100 ? Math.round(value * 10) / 10 : Math.round(value);
}

/** Amount per second over a window in ms; NaN when the window is empty. */
export function perSecond(amount: number, windowMs: number): number {
	return windowMs > 0 ? (amount * 1000) / windowMs : Number.NaN;
}
