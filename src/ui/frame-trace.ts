import type {GameState} from '../game/index.js';
import {trace, tracing} from '../model/trace.js';

// Marks for `npm run bench` (bench/README.md), written only when PODINVADERS_TRACE names a file:
// first-paint (the first frame of any kind), first-formation (the first frame after the pod list arrived),
// frame {pods, rv, bytes, renderMs} per frame written to the terminal, and replacement {killedUid,
// replacementUid, ms} when a killed pod's replacement is Running. Without the variable: no probe at all.

export interface FrameProbe {
	/** The App starts rendering (the first call after a frame starts the frame's clock). */
	rendering(state: GameState): void;
	/** Ink wrote to the terminal. */
	written(chunk: string): void;
}

/** Ink writes synchronized-update brackets and cursor toggles separately: those are not frames. */
const minFrameChars = 16;

export function createFrameProbe(): FrameProbe | undefined {
	if (!tracing) return undefined;
	let startedAt: number | undefined;
	let state: GameState | undefined;
	let painted = false;
	let formed = false;
	const reported = new Set<number>();
	return {
		rendering(next) {
			// Only a frame written in the same task as its render is timed: a render that writes nothing (or
			// whose write Ink's throttle defers) must not leave its clock running for a later frame.
			if (startedAt === undefined) {
				startedAt = performance.now();
				queueMicrotask(() => {
					startedAt = undefined;
				});
			}
			state = next;
			for (const record of next.replacements) {
				if (record.runningAt === undefined || !record.replacement || !record.confirmed || reported.has(record.id)) continue;
				reported.add(record.id);
				trace('replacement', {killedUid: record.killed.uid, replacementUid: record.replacement.uid, ms: record.runningAt - record.killAt});
			}
		},
		written(chunk) {
			if (chunk.length < minFrameChars) return;
			const pods = state?.pods.size ?? 0;
			if (!painted) {
				painted = true;
				trace('first-paint');
			}
			if (!formed && state?.loaded) {
				formed = true;
				trace('first-formation', {pods});
			}
			trace('frame', {
				pods,
				rv: state?.maxResourceVersion ?? 0,
				bytes: Buffer.byteLength(chunk),
				...(startedAt !== undefined ? {renderMs: performance.now() - startedAt} : {}),
			});
			startedAt = undefined;
		},
	};
}
