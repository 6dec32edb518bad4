// Everything the bench starts registers how to stop it here, so a failure, a timeout or Ctrl-C still ends
// every child (by its own pid, never by name). The temp directory is removed by run.ts on any exit.
type Stopper = () => void | Promise<void>;

const stoppers = new Map<number, {label: string; stop: Stopper}>();
let nextId = 1;

/** Registers a stop action; returns a function that unregisters it (call it once the thing ended by itself). */
export function onCleanup(label: string, stop: Stopper): () => void {
	const id = nextId++;
	stoppers.set(id, {label, stop});
	return () => stoppers.delete(id);
}

/** Sends a signal to one pid we started; ignores "no such process". */
export function killPid(pid: number | undefined, signal: NodeJS.Signals = 'SIGTERM'): void {
	if (pid === undefined || pid <= 0) return;
	try {
		process.kill(pid, signal);
	} catch {
		// already gone
	}
}

export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** Runs every stop action, newest first; each is bounded by `perStepMs` and errors are only reported. */
export async function cleanupAll(perStepMs = 3000): Promise<void> {
	const pending = [...stoppers.entries()].reverse();
	stoppers.clear();
	for (const [, {label, stop}] of pending) {
		let timer: NodeJS.Timeout | undefined;
		try {
			await Promise.race([
				Promise.resolve().then(stop),
				new Promise<void>((resolve) => {
					timer = setTimeout(() => {
						process.stderr.write(`bench: cleanup of ${label} took over ${perStepMs} ms, moving on\n`);
						resolve();
					}, perStepMs);
				}),
			]);
		} catch (error) {
			process.stderr.write(`bench: cleanup of ${label} failed: ${String(error)}\n`);
		} finally {
			clearTimeout(timer);
		}
	}
}
