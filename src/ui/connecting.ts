// The first frame, drawn with plain escape codes before Ink, React or the cluster client are loaded
// (first paint ≤ 250 ms, see bench/README.md). run-game then takes over the same alternate screen.
import {trace} from '../model/trace.js';

const enter = '\u001b[?1049h\u001b[H\u001b[2J\u001b[?25l';
const leave = '\u001b[?25h\u001b[?1049l';
let shown = false;

const restore = () => {
	if (shown) process.stdout.write(leave);
	shown = false;
};
// Ctrl-C while connecting (no raw mode yet, so it is a signal): restore the screen, then exit like a shell would.
const onSignal = (signal: NodeJS.Signals) => {
	restore();
	process.exit(signal === 'SIGINT' ? 130 : 143);
};

export function paintConnecting(message: string): void {
	const columns = process.stdout.columns || 80;
	const rows = process.stdout.rows || 24;
	const text = `podinvaders · ${message}`.slice(0, columns);
	const row = Math.max(1, Math.floor(rows / 2));
	const column = Math.max(1, Math.floor((columns - text.length) / 2) + 1);
	shown = true;
	process.once('exit', restore);
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	process.stdout.write(`${enter}\u001b[${row};${column}H${text}`);
	trace('first-paint');
}

/** The game takes over the screen and the signals. */
export function handOver(): void {
	process.off('SIGINT', onSignal);
	process.off('SIGTERM', onSignal);
	process.off('exit', restore);
	shown = false;
}

/** Leaves the alternate screen again (the connection failed: the error goes to the normal screen). */
export function clearConnecting(): void {
	handOver();
	process.stdout.write(leave);
}
