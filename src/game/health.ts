// Per-pod health from Goldpinger's latest result, by the book's rule (ch. 10, Experiment 1): a pod that
// at least one peer cannot reach is unhealthy; one that every reporting peer reached is healthy; no data
// (or data older than 3 refreshes: the book's staleness caveat) is unknown. Pure: no clock, no I/O.

import type {GoldpingerResult, PodHealth} from '../model/goldpinger.js';
import type {Pod} from '../model/pod.js';

export type {PodHealth} from '../model/goldpinger.js';

/** What the peers said about one pod. */
export interface PodReachability {
	readonly health: PodHealth;
	/** Peers (other instances, and the instance that served check_all) that reached it. */
	readonly reachedBy: number;
	/** Names of peers that could not reach it, sorted. */
	readonly unreachableFrom: readonly string[];
}

/** Data older than this many refreshes says nothing. */
export const staleAfterRefreshes = 3;

/** The result is too old (or missing) to colour anything. */
export function isResultStale(result: GoldpingerResult | undefined, now: number, refreshMs: number): boolean {
	return !result || now - result.receivedAt > staleAfterRefreshes * refreshMs;
}

/**
 * Maps each of Goldpinger's keys to a pod uid. Goldpinger keys by pod name, so when any key is a pod's name
 * only names are used (a replacement that reuses a deleted pod's IP is not blamed for it). When none is
 * (DISPLAY_NODENAME=true keys by node name), the pod IP of each entry is used, if exactly one pod has it.
 */
function keyResolver(pods: readonly Pod[], result: GoldpingerResult): (key: string, podIP?: string) => string | undefined {
	const byName = new Map<string, string>();
	const byIP = new Map<string, string | null>(); // null: two pods share it, so it names neither
	for (const pod of pods) {
		byName.set(pod.name, pod.uid);
		if (pod.podIP) byIP.set(pod.podIP, byIP.has(pod.podIP) ? null : pod.uid);
	}
	const keyedByName = result.sources.some(
		(source) => byName.has(source.name) || source.pings.some((ping) => byName.has(ping.target)),
	);
	if (keyedByName) return (key) => byName.get(key);
	return (_key, podIP) => (podIP ? byIP.get(podIP) ?? undefined : undefined);
}

/** Reachability of every pod in `pods` (by uid). Pods Goldpinger says nothing about are `unknown`. */
export function reachabilityByUid(
	pods: readonly Pod[],
	result: GoldpingerResult | undefined,
	now: number,
	refreshMs: number,
): Map<string, PodReachability> {
	const reached = new Map<string, Set<string>>();
	const unreachable = new Map<string, Set<string>>();
	const note = (table: Map<string, Set<string>>, uid: string, peer: string): void => {
		let set = table.get(uid);
		if (!set) table.set(uid, (set = new Set()));
		set.add(peer);
	};

	if (result && !isResultStale(result, now, refreshMs)) {
		const resolve = keyResolver(pods, result);
		// The instance that served check_all is not named in the reply; the `ok` of each source entry says
		// whether it reached that instance's /check, so it counts as one more peer ("check_all" below).
		for (const source of result.sources) {
			const sourceUid = resolve(source.name, source.podIP);
			if (sourceUid) note(source.ok ? reached : unreachable, sourceUid, 'check_all');
			for (const ping of source.pings) {
				const targetUid = resolve(ping.target, ping.podIP);
				if (!targetUid || ping.target === source.name || targetUid === sourceUid) continue; // a self-ping says nothing about the network
				note(ping.ok ? reached : unreachable, targetUid, source.name);
			}
		}
	}

	const out = new Map<string, PodReachability>();
	for (const pod of pods) {
		const from = unreachable.get(pod.uid);
		const by = reached.get(pod.uid)?.size ?? 0;
		const health: PodHealth = from && from.size > 0 ? 'unhealthy' : by > 0 ? 'healthy' : 'unknown';
		out.set(pod.uid, {health, reachedBy: by, unreachableFrom: from ? [...from].sort() : []});
	}
	return out;
}

/** Health of every pod (by uid): what the game state stores and the invader colour uses. */
export function healthByUid(
	pods: readonly Pod[],
	result: GoldpingerResult | undefined,
	now: number,
	refreshMs: number,
): Map<string, PodHealth> {
	const out = new Map<string, PodHealth>();
	for (const [uid, reachability] of reachabilityByUid(pods, result, now, refreshMs)) out.set(uid, reachability.health);
	return out;
}
