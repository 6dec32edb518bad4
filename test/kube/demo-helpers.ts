// Shared by the tests that run the real client code against the embedded demo cluster over HTTP.
import {podFromObject, type Pod} from '../../src/model/pod.js';
import type {WatchEvent} from '../../src/model/watch.js';

/** Short pod lifecycles so many rounds fit in a few seconds. */
export const quickTiming = {
	pendingMs: [5, 25] as [number, number],
	containerCreatingMs: [5, 25] as [number, number],
	readyMs: [5, 25] as [number, number],
	defaultGracePeriodSeconds: 0,
};

/** mulberry32: a small seeded PRNG, so a failing sequence can be replayed with its seed. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let value = state;
		value = Math.imul(value ^ (value >>> 15), value | 1);
		value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
		return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
	};
}

/** What a listener knows, built from WatchEvents alone (snapshot replaces, diffs apply). */
export function mirrorOf(): {readonly pods: Map<string, Pod>; readonly listen: (event: WatchEvent) => void} {
	const pods = new Map<string, Pod>();
	return {
		pods,
		listen(event) {
			if (event.type === 'snapshot') {
				pods.clear();
				for (const pod of event.pods) pods.set(pod.uid, pod);
			} else if (event.type === 'added' || event.type === 'modified') {
				pods.set(event.pod.uid, event.pod);
			} else if (event.type === 'deleted') {
				pods.delete(event.pod.uid);
			}
		},
	};
}

/** uid → the fields the game draws, for comparing views. */
export function fingerprint(pods: Iterable<Pod>): Map<string, string> {
	const result = new Map<string, string>();
	for (const pod of pods) {
		result.set(pod.uid, `${pod.name} rv=${pod.resourceVersion} ${pod.phase}/${pod.status} ready=${pod.ready}${pod.deletionTimestamp ? ' terminating' : ''}`);
	}
	return result;
}

export function serverPods(raw: readonly unknown[]): Pod[] {
	return raw.map((object) => podFromObject(object));
}

/** A readable difference between two fingerprints ('' when equal). */
export function difference(expected: Map<string, string>, actual: Map<string, string>): string {
	const lines: string[] = [];
	for (const [uid, value] of expected) {
		if (!actual.has(uid)) lines.push(`missing ${value}`);
		else if (actual.get(uid) !== value) lines.push(`differs: server ${value} / view ${actual.get(uid)}`);
	}
	for (const [uid, value] of actual) if (!expected.has(uid)) lines.push(`extra ${value}`);
	return lines.join('\n');
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
