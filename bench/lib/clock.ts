// One clock for every timestamp in the bench: wall-clock ms at sub-ms precision, the same formula as the game's
// trace marks (src/model/trace.ts), so times from the bench, the demo cluster and the game child compare.
export const wallNow = (): number => performance.timeOrigin + performance.now();

/** A performance.now() reading of this process (e.g. a demo-cluster pod timeline) as wall-clock ms. */
export const wallFromPerf = (perfMs: number): number => performance.timeOrigin + perfMs;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
