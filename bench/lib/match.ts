// Pairs what the server committed with what the game and kubectl showed, by resourceVersion (game) and by
// pod name in order (kubectl). Pure: the scenarios collect timestamps, these functions only compare them.
// Every timestamp is wall-clock ms (performance.timeOrigin + performance.now()), comparable across processes.

/** One pod change as the demo cluster's store committed it. */
export interface CommittedChange {
	readonly rv: number;
	readonly name: string;
	readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
	/** Commit time. */
	readonly t: number;
	/** The change alters what a user sees: a pod added or removed, or its READY or STATUS column changed. */
	readonly visible: boolean;
}

/** One `frame` trace mark of the game: the highest pod resourceVersion its state had folded in when written. */
export interface FrameMark {
	readonly t: number;
	readonly rv: number;
	readonly pods: number;
	readonly bytes: number;
	readonly renderMs?: number;
}

export interface Latencies {
	/** ms from commit to first showing, for the changes that were shown. */
	readonly values: number[];
	/** Changes never shown before the end of the recording. */
	readonly missed: number;
}

/**
 * For each change, the time to the first frame whose state holds it (the first frame with rv ≥ the change's
 * rv: a watch delivers changes in rv order, so that frame has folded this change in). Negative gaps (a few µs of
 * clock skew between processes) count as 0.
 */
export function eventToFrame(changes: readonly CommittedChange[], frames: readonly FrameMark[]): Latencies {
	const ordered = [...frames].sort((a, b) => a.t - b.t);
	// Running maximum of rv over time: the first frame reaching an rv is found by binary search.
	const reach: number[] = [];
	let highest = Number.NEGATIVE_INFINITY;
	for (const frame of ordered) {
		highest = Math.max(highest, frame.rv);
		reach.push(highest);
	}
	const values: number[] = [];
	let missed = 0;
	for (const change of changes) {
		let low = 0;
		let high = reach.length;
		while (low < high) {
			const mid = (low + high) >> 1;
			if (reach[mid]! >= change.rv) high = mid;
			else low = mid + 1;
		}
		if (low === reach.length) missed++;
		else values.push(Math.max(0, ordered[low]!.t - change.t));
	}
	return {values, missed};
}

/** A line `kubectl get pods -w` printed, with the time it arrived. */
export interface WatchLine {
	readonly t: number;
	readonly name: string;
}

/** The pod name of a `kubectl get pods` table row; undefined for the header and blank lines. */
export function podNameOfLine(line: string): string | undefined {
	const name = line.trim().split(/\s+/, 1)[0];
	if (!name || name === 'NAME') return undefined;
	return name;
}

/**
 * kubectl prints one row per watch event, so the k-th row for a pod after the start is its k-th change.
 * Pairs them per pod name in order and returns the latencies of the changes selected by `include`
 * (the row is paired with every change, so skipping a change cannot shift the pairing).
 */
export function watchLatency(
	changes: readonly CommittedChange[],
	lines: readonly WatchLine[],
	include: (change: CommittedChange) => boolean = (change) => change.visible,
): Latencies {
	const rowsByName = new Map<string, number[]>();
	for (const line of [...lines].sort((a, b) => a.t - b.t)) {
		const rows = rowsByName.get(line.name) ?? [];
		rows.push(line.t);
		rowsByName.set(line.name, rows);
	}
	const seen = new Map<string, number>();
	const values: number[] = [];
	let missed = 0;
	for (const change of [...changes].sort((a, b) => a.rv - b.rv)) {
		const index = seen.get(change.name) ?? 0;
		seen.set(change.name, index + 1);
		if (!include(change)) continue;
		const t = rowsByName.get(change.name)?.[index];
		if (t === undefined) missed++;
		else values.push(Math.max(0, t - change.t));
	}
	return {values, missed};
}
