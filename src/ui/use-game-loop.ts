import {useEffect, useRef} from 'react';
import {frameMs, nextWakeMs, type GameEvent, type GameState} from '../game/index.js';

/**
 * Ticks the game only while something animates (a steady frame rate then), or once when a slow change is due
 * (a fade step, the autopilot). Idle: no timer, no tick, no render. Ticks are scheduled from the last tick,
 * so a stream of key presses never postpones the animation.
 */
export function useGameLoop(state: GameState, dispatch: (events: readonly GameEvent[]) => void): void {
	const lastTick = useRef<number | null>(null);
	const wasAnimating = useRef(false);
	useEffect(() => {
		const now = performance.now();
		const wake = nextWakeMs(state, now);
		if (wake === null) {
			lastTick.current = null;
			wasAnimating.current = false;
			return;
		}
		const animating = wake <= frameMs;
		// A new run of animation starts its clock now: the first frame moves by one frame, not by the idle time.
		if (lastTick.current === null || !animating || !wasAnimating.current) lastTick.current = now;
		wasAnimating.current = animating;
		const timer = setTimeout(
			() => {
				const at = performance.now();
				const dt = at - (lastTick.current ?? at);
				lastTick.current = at;
				dispatch([{type: 'tick', dt, at}]);
			},
			animating ? Math.max(0, lastTick.current + frameMs - now) : wake,
		);
		return () => clearTimeout(timer);
	}, [state, dispatch]);
}
