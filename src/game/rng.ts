// A tiny seeded PRNG (mulberry32) kept as a plain number in the state, so the game stays pure and replayable:
// the same seed and the same events give the same game.

/** Returns a float in [0, 1) and the next generator state. */
export function nextRandom(state: number): readonly [value: number, next: number] {
	const next = (state + 0x6d2b79f5) >>> 0;
	let t = next;
	t = Math.imul(t ^ (t >>> 15), t | 1);
	t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
	const value = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	return [value, next];
}

/** An integer in [0, bound) and the next state; bound ≤ 0 gives 0. */
export function nextInt(state: number, bound: number): readonly [value: number, next: number] {
	const [value, next] = nextRandom(state);
	return [bound > 0 ? Math.floor(value * bound) : 0, next];
}

export function seedState(seed: number): number {
	return Number.isFinite(seed) ? Math.trunc(seed) >>> 0 : 0;
}
