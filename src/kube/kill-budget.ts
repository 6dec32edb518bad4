// --max-kills-per-minute as a token bucket whose every token comes back exactly 60 s after it was spent.
// Unlike a bucket refilled at a constant rate (which allows 2N in the first minute: N at once + N refilled),
// this guarantees what the flag promises: never more than N kills in any 60-second window.

export class KillBudget {
	private readonly spent: number[] = [];

	constructor(
		private readonly perMinute: number,
		private readonly clock: () => number = Date.now,
		private readonly windowMs = 60_000,
	) {}

	/** Spends a token if one is left; otherwise says when the next one comes back. */
	take(): {readonly ok: true} | {readonly ok: false; readonly retryInMs: number} {
		const now = this.clock();
		while (this.spent.length > 0 && now - this.spent[0]! >= this.windowMs) this.spent.shift();
		if (this.spent.length < this.perMinute) {
			this.spent.push(now);
			return {ok: true};
		}
		const oldest = this.spent[0];
		return {ok: false, retryInMs: oldest === undefined ? this.windowMs : Math.max(0, oldest + this.windowMs - now)};
	}

	/** Tokens left right now. */
	remaining(): number {
		const now = this.clock();
		return Math.max(0, this.perMinute - this.spent.filter((at) => now - at < this.windowMs).length);
	}
}
