import {useEffect} from 'react';
import type {GameEvent} from '../game/index.js';
import type {PodSource} from '../model/ports.js';

/**
 * At most one batch per this many ms: half the animation frame. A storm still costs one reduce and one render
 * per batch, and a change waits at most this long for its batch (with a 33 ms window, waiting for the window
 * was most of the event-to-screen time once a frame took ~10 ms).
 */
export const podBatchMs = 16;

/**
 * Subscribes to the pod source and hands its events to the game in batches, at most one batch per podBatchMs:
 * the first event after a quiet spell goes out at once (low latency), a storm is coalesced (one reduce and
 * one render per batch, however many events arrive). Starts the source once subscribed (start is idempotent);
 * stopping it is the owner's job.
 */
export function usePodSource(
	source: PodSource,
	dispatch: (events: readonly GameEvent[]) => void,
	/** After a namespace switch (keys n, /) a batch of the old source may still be queued: it is dropped. */
	isCurrent: (source: PodSource) => boolean = () => true,
): void {
	useEffect(() => {
		let queue: GameEvent[] = [];
		let timer: ReturnType<typeof setTimeout> | undefined;
		let lastFlush = Number.NEGATIVE_INFINITY;
		let active = true;
		const flush = () => {
			timer = undefined;
			if (!active || queue.length === 0) return;
			const batch = queue;
			queue = [];
			if (!isCurrent(source)) return;
			lastFlush = performance.now();
			dispatch(batch);
		};
		const unsubscribe = source.subscribe((event) => {
			queue.push(event);
			if (timer !== undefined) return;
			const wait = Math.max(0, lastFlush + podBatchMs - performance.now());
			timer = setTimeout(flush, wait);
		});
		source.start(); // after subscribing: nothing is missed; idempotent
		return () => {
			active = false;
			if (timer !== undefined) clearTimeout(timer);
			unsubscribe();
		};
	}, [source, dispatch, isCurrent]);
}
