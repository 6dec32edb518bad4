// Reads the game's PODINVADERS_TRACE file (JSON lines {mark, t, ...data}) as it grows.
import {openSync, readSync, closeSync, fstatSync} from 'node:fs';

export interface TraceMark {
	readonly mark: string;
	readonly t: number;
	readonly [key: string]: unknown;
}

/**
 * Splits appended text into complete marks and the unfinished tail (a line still being written).
 * Lines that are not a JSON object with a string `mark` and a numeric `t` are skipped.
 */
export function parseTraceChunk(text: string): {marks: TraceMark[]; rest: string} {
	const lines = text.split('\n');
	const rest = lines.pop() ?? '';
	const marks: TraceMark[] = [];
	for (const line of lines) {
		if (!line.trim()) continue;
		try {
			const value: unknown = JSON.parse(line);
			if (value && typeof value === 'object' && typeof (value as TraceMark).mark === 'string' && typeof (value as TraceMark).t === 'number') {
				marks.push(value as TraceMark);
			}
		} catch {
			// A torn or foreign line: not a mark.
		}
	}
	return {marks, rest};
}

export const numberField = (mark: TraceMark, key: string): number | undefined => {
	const value = mark[key];
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
};

/** Tails one trace file: poll() reads what was appended since the last call. */
export class TraceTail {
	readonly marks: TraceMark[] = [];
	private offset = 0;
	private rest: Buffer = Buffer.alloc(0);

	constructor(private readonly file: string) {}

	poll(): TraceMark[] {
		let fd: number;
		try {
			fd = openSync(this.file, 'r');
		} catch {
			return []; // not written yet
		}
		const fresh: TraceMark[] = [];
		try {
			const size = fstatSync(fd).size;
			if (size <= this.offset) return [];
			const buffer = Buffer.alloc(size - this.offset);
			const read = readSync(fd, buffer, 0, buffer.length, this.offset);
			this.offset += read;
			// Keep bytes after the last newline as bytes, so a read boundary never splits a UTF-8 character.
			const pending = Buffer.concat([this.rest, buffer.subarray(0, read)]);
			const end = pending.lastIndexOf(0x0a) + 1;
			this.rest = pending.subarray(end);
			const {marks} = parseTraceChunk(pending.subarray(0, end).toString('utf8'));
			fresh.push(...marks);
			this.marks.push(...marks);
		} finally {
			closeSync(fd);
		}
		return fresh;
	}

	first(mark: string): TraceMark | undefined {
		return this.marks.find((m) => m.mark === mark);
	}

	all(mark: string): TraceMark[] {
		return this.marks.filter((m) => m.mark === mark);
	}
}
