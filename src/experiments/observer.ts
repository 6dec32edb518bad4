// The experiment's notebook: folds watch events and Goldpinger results into a timeline of what happened to
// each victim and its replacement. Pure: every method takes the monotonic time of the observation.
import type {GoldpingerResult} from '../model/goldpinger.js';
import type {Pod} from '../model/pod.js';
import {reachabilityByUid} from '../game/health.js';

export interface ReplacementTimes {
	uid: string;
	name: string;
	/** Monotonic ms when each state was first seen. */
	createdAt: number;
	pendingAt?: number;
	containerCreatingAt?: number;
	runningAt?: number;
	readyAt?: number;
	/** Goldpinger first reported it reachable by every peer. */
	healthyAt?: number;
}

export interface VictimRecord {
	readonly uid: string;
	readonly name: string;
	readonly ownerUid?: string;
	readonly killedAt: number;
	/** Goldpinger: first and last time a peer reported it unreachable; peers that did. */
	firstUnreachableAt?: number;
	lastUnreachableAt?: number;
	unreachableFrom: Set<string>;
	goneAt?: number;
	replacement?: ReplacementTimes;
}

export const isSteadyPod = (pod: Pod): boolean => pod.phase === 'Running' && pod.ready && !pod.deletionTimestamp;

export class ExperimentObserver {
	readonly pods = new Map<string, Pod>();
	readonly victims = new Map<string, VictimRecord>();
	/** Pods seen before the kills: never counted as replacements. */
	private readonly before = new Set<string>();
	private readonly claimed = new Set<string>();
	goldpinger: GoldpingerResult | undefined;

	snapshot(pods: readonly Pod[], at: number): void {
		const seen = new Set(pods.map((pod) => pod.uid));
		for (const uid of this.pods.keys()) if (!seen.has(uid)) this.remove(uid, at);
		for (const pod of pods) this.upsert(pod, at);
	}

	upsert(pod: Pod, at: number): void {
		this.pods.set(pod.uid, pod);
		if (this.victims.size === 0) {
			this.before.add(pod.uid);
			return;
		}
		if (!this.before.has(pod.uid) && !this.victims.has(pod.uid)) this.trackReplacement(pod, at);
	}

	remove(uid: string, at: number): void {
		this.pods.delete(uid);
		const victim = this.victims.get(uid);
		if (victim && victim.goneAt === undefined) victim.goneAt = at;
	}

	/** Call just before the delete goes out, so a replacement created at once is not mistaken for an old pod. */
	killed(pod: Pod, at: number): void {
		this.victims.set(pod.uid, {
			uid: pod.uid,
			name: pod.name,
			...(pod.owner ? {ownerUid: pod.owner.uid} : {}),
			killedAt: at,
			unreachableFrom: new Set(),
		});
		for (const uid of this.pods.keys()) this.before.add(uid);
	}

	/** A kill that did not happen (refused, failed, dry run) is no victim. */
	notKilled(uid: string): void {
		this.victims.delete(uid);
	}

	goldpingerResult(result: GoldpingerResult, at: number, refreshMs: number): void {
		this.goldpinger = result;
		const known = [...this.pods.values()];
		// Victims may already be gone from the watch but still in Goldpinger's reply: judge them too.
		const victimsGone = [...this.victims.values()]
			.filter((victim) => !this.pods.has(victim.uid))
			.map((victim) => ({uid: victim.uid, name: victim.name}) as Pod);
		const reach = reachabilityByUid([...known, ...victimsGone], result, result.receivedAt, refreshMs);
		for (const victim of this.victims.values()) {
			const seen = reach.get(victim.uid);
			if (seen && seen.health === 'unhealthy') {
				victim.firstUnreachableAt ??= at;
				victim.lastUnreachableAt = at;
				for (const peer of seen.unreachableFrom) victim.unreachableFrom.add(peer);
			}
			const replacement = victim.replacement;
			if (replacement && replacement.healthyAt === undefined && reach.get(replacement.uid)?.health === 'healthy') {
				replacement.healthyAt = at;
			}
		}
	}

	/** Every pod selected is Running+Ready and not terminating, and there are at least `expected` of them. */
	podsSteady(expected: number): boolean {
		const pods = [...this.pods.values()];
		return pods.length >= expected && pods.filter(isSteadyPod).length >= expected && pods.every((pod) => isSteadyPod(pod) || this.victims.has(pod.uid));
	}

	/** Goldpinger (fresh) reports every live pod healthy. */
	goldpingerHealthy(now: number, refreshMs: number): boolean {
		const live = [...this.pods.values()].filter((pod) => !pod.deletionTimestamp);
		const reach = reachabilityByUid(live, this.goldpinger, now, refreshMs);
		return live.length > 0 && live.every((pod) => reach.get(pod.uid)?.health === 'healthy');
	}

	private trackReplacement(pod: Pod, at: number): void {
		let victim = [...this.victims.values()].find((record) => record.replacement?.uid === pod.uid);
		if (!victim) {
			if (this.claimed.has(pod.uid)) return;
			// The next pod created with the same controller owner (or the same name: StatefulSets), in kill order.
			victim = [...this.victims.values()]
				.filter((record) => !record.replacement)
				.filter((record) => (record.ownerUid && record.ownerUid === pod.owner?.uid) || record.name === pod.name)
				.sort((a, b) => a.killedAt - b.killedAt)[0];
			if (!victim) return;
			this.claimed.add(pod.uid);
			victim.replacement = {uid: pod.uid, name: pod.name, createdAt: at};
		}
		const times = victim.replacement!;
		if (pod.phase === 'Pending' && pod.status !== 'ContainerCreating') times.pendingAt ??= at;
		if (pod.status === 'ContainerCreating') {
			times.pendingAt ??= at;
			times.containerCreatingAt ??= at;
		}
		if (pod.phase === 'Running') times.runningAt ??= at;
		if (pod.phase === 'Running' && pod.ready) times.readyAt ??= at;
	}
}
