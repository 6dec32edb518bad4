import {useEffect, useState} from 'react';
import {healthByUid, isResultStale} from '../game/health.js';
import type {GameEvent} from '../game/index.js';
import type {GoldpingerResult, GoldpingerStatus} from '../model/goldpinger.js';
import type {Pod} from '../model/pod.js';

/** What the game needs of a Goldpinger poller (kube/goldpinger.ts GoldpingerPoller fits). */
export interface GoldpingerFeed {
	subscribe(listener: (status: GoldpingerStatus) => void): () => void;
	start(): void;
}

/** Pods Goldpinger's reply mentions (as an instance, a host or a ping target, by name or pod IP). */
export function meshMembers(pods: readonly Pod[], result: GoldpingerResult): Set<string> {
	const keys = new Set<string>();
	for (const host of result.hosts) {
		keys.add(host.name);
		if (host.podIP) keys.add(host.podIP);
	}
	for (const source of result.sources) {
		keys.add(source.name);
		if (source.podIP) keys.add(source.podIP);
		for (const ping of source.pings) {
			keys.add(ping.target);
			if (ping.podIP) keys.add(ping.podIP);
		}
	}
	return new Set(pods.filter((pod) => keys.has(pod.name) || (pod.podIP !== undefined && keys.has(pod.podIP))).map((pod) => pod.uid));
}

/**
 * The game's health event for a poller status: per-pod health by uid for the pods in Goldpinger's mesh (pods
 * it does not ping, e.g. a web deployment beside it, get no health mark at all rather than "unknown"), or
 * colouring off with a reason.
 */
export function healthEvent(status: GoldpingerStatus, pods: readonly Pod[], now: number, refreshMs: number): GameEvent | undefined {
	if (status.state === 'waiting') return undefined;
	if (!status.result) {
		return {type: 'health', at: now, byUid: null, note: status.message ?? `goldpinger: ${status.state}`};
	}
	// Before the first pod list (or in an empty namespace) there is nothing to match: say nothing yet, rather
	// than "none of these pods" for the 2 s until the next poll.
	if (pods.length === 0) return undefined;
	const members = meshMembers(pods, status.result);
	if (members.size === 0) {
		return {type: 'health', at: now, byUid: null, note: 'goldpinger: none of these pods in its mesh'};
	}
	const byUid = new Map([...healthByUid(pods, status.result, now, refreshMs)].filter(([uid]) => members.has(uid)));
	if (isResultStale(status.result, now, refreshMs)) {
		const age = Math.round((now - status.result.receivedAt) / 1000);
		return {type: 'health', at: now, byUid, note: `goldpinger: data ${age} s old`};
	}
	return {type: 'health', at: now, byUid, ...(status.state === 'stale' && status.message ? {note: status.message} : {})};
}

/**
 * Follows the Goldpinger poller: returns its latest status (for the heat map) and turns each status into
 * per-pod health for the game. `pods` reads the game's current pods when a status arrives.
 */
export function useGoldpinger(
	feed: GoldpingerFeed | undefined,
	problem: string | undefined,
	refreshMs: number,
	pods: () => readonly Pod[],
	dispatch: (events: readonly GameEvent[]) => void,
): GoldpingerStatus | undefined {
	const [status, setStatus] = useState<GoldpingerStatus | undefined>(undefined);
	useEffect(() => {
		setStatus(undefined); // a new feed (another namespace): the old heat map goes
		if (!feed) {
			if (problem) dispatch([{type: 'health', at: performance.now(), byUid: null, note: problem}]);
			return;
		}
		const unsubscribe = feed.subscribe((next) => {
			setStatus(next);
			const event = healthEvent(next, pods(), performance.now(), refreshMs);
			if (event) dispatch([event]);
		});
		feed.start();
		return unsubscribe;
		// eslint-disable-next-line react-hooks/exhaustive-deps -- `pods` is read through at call time
	}, [feed, problem, refreshMs, dispatch]);
	return status;
}
