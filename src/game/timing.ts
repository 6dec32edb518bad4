import type {Invader} from './state.js';

// Animation timing shared by the reducer, the game loop and the renderer.

export const frameMs = 33;
export const cannonSpeed = 90; // cells per second
export const projectileSpeed = 50; // lines per second
export const maxPlayerShots = 3;
export const spriteFlipMs = 500;
export const maxTickMs = 250;
export const defaultGraceSeconds = 30;

export const effectDurations = {
	explosion: 700,
	warp: 600,
	poof: 500,
	deflect: 600,
	'dry-run': 700,
} as const;

/** 0, 1, 2: how far a Terminating invader has faded (thirds of its grace period). */
export function fadeStage(invader: Invader, now: number): 0 | 1 | 2 {
	if (invader.terminatingSince === undefined) return 0;
	const graceMs = (invader.pod.deletionGracePeriodSeconds ?? defaultGraceSeconds) * 1000;
	if (graceMs <= 0) return 2;
	const progress = (now - invader.terminatingSince) / graceMs;
	return progress >= 2 / 3 ? 2 : progress >= 1 / 3 ? 1 : 0;
}

/** The moments the fade of this invader changes stage (empty when it is not terminating). */
export function nextFadeAt(invader: Invader): number[] {
	if (invader.terminatingSince === undefined) return [];
	const graceMs = (invader.pod.deletionGracePeriodSeconds ?? defaultGraceSeconds) * 1000;
	return [invader.terminatingSince + graceMs / 3, invader.terminatingSince + (2 * graceMs) / 3];
}
