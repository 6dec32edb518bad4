// Performance marks for `npm run bench`: when PODINVADERS_TRACE names a file, each mark is appended as one
// JSON line {mark, t, ...data} with t = wall-clock ms at sub-ms precision (performance.timeOrigin + now),
// comparable across processes on one machine. Unset (always, for users): a no-op costing one branch.
import {appendFileSync} from 'node:fs';

const file = process.env['PODINVADERS_TRACE'];

export const tracing = Boolean(file);

export function trace(mark: string, data?: Readonly<Record<string, unknown>>): void {
	if (!file) return;
	try {
		appendFileSync(file, `${JSON.stringify({mark, t: performance.timeOrigin + performance.now(), ...data})}\n`);
	} catch {
		// A bench aid must never break the game.
	}
}
