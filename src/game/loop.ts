import {nextRowExpiry} from './formation.js';
import type {GameState} from './state.js';
import {fadeStage, frameMs, nextFadeAt} from './timing.js';

// When the game next needs a tick: every frame while something moves, later for slow changes (a fade step,
// the autopilot's next shot, an empty row expiring), never when nothing will change (idle = no renders).

export function animating(state: GameState): boolean {
	return state.projectiles.length > 0 || state.effects.length > 0 || state.cannon.targetX !== undefined;
}

/**
 * Milliseconds until the next tick is needed, or null when the game is idle. `now` is the caller's clock
 * (the game loop passes performance.now(); the state's own `now` only moves with events and ticks).
 */
export function nextWakeMs(state: GameState, now = state.now): number | null {
	if (animating(state)) return frameMs;
	let wakeAt = Number.POSITIVE_INFINITY;
	for (const uid of state.terminating) {
		const invader = state.pods.get(uid);
		if (!invader || fadeStage(invader, now) === 2) continue;
		for (const at of nextFadeAt(invader)) if (at > now && at < wakeAt) wakeAt = at;
	}
	if (state.autopilot.on && state.autopilot.nextAt < wakeAt) wakeAt = state.autopilot.nextAt;
	const expiry = nextRowExpiry(state.formation);
	if (expiry !== undefined && expiry < wakeAt) wakeAt = expiry;
	if (wakeAt === Number.POSITIVE_INFINITY) return null;
	return Math.max(frameMs, Math.ceil(wakeAt - now));
}
