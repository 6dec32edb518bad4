// Ink 6.8.0's incremental renderer (log-update.js createIncremental) starts each frame with
// cursorUp(previousVisible - 1). That is right only when the previous frame had no trailing newline
// (fullscreen). Our frames are rows - 1 tall (the fullscreen path clears the whole terminal every frame), so
// they end with a newline and the cursor sits one line *below* them: each frame lands one line too low and
// unchanged lines drift (seen in tmux: a 5-line app printed "c0 c1 c2 …" down the screen).
// The fix: one more line up in that first cursor move. Only writes that begin with a cursor-up are touched:
// Ink's incremental frames are the only ones that do (the first frame, clears and the shrink branch begin
// with eraseLines, `ESC[2K`); our own content never does.

const leadingCursorUp = /^\u001b\[(\d+)A/;

export function fixIncrementalFrame(chunk: string): string {
	return chunk.replace(leadingCursorUp, (_, lines: string) => `\u001b[${Number(lines) + 1}A`);
}

/**
 * A view of `stdout` whose write() applies the fix (and tells `observe` what was written); everything else
 * (size, events, isTTY) is the real stream.
 */
export function withIncrementalFix(stdout: NodeJS.WriteStream, observe?: (chunk: string) => void): NodeJS.WriteStream {
	const write = (chunk: unknown, ...rest: unknown[]): boolean => {
		const text = typeof chunk === 'string' ? fixIncrementalFrame(chunk) : chunk;
		const written = (stdout.write as (...args: unknown[]) => boolean)(text, ...rest);
		if (observe && typeof text === 'string') observe(text);
		return written;
	};
	return new Proxy(stdout, {
		get(target, property) {
			if (property === 'write') return write;
			const value: unknown = Reflect.get(target, property, target);
			return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
		},
	});
}
