import {InkOutputClass, inkVersion, sliceAnsi, stringWidth, tokenizer, type Clip, type InkOutput, type StyledChar, type Transformer} from './ink-internals.js';

// Ink 6.8.0 builds every frame from nothing: a new Output (build/output.js) with empty caches, a grid of
// width × height cell objects, every line tokenized (@alcalzone/ansi-tokenize), every line under an
// overflow="hidden" box sliced (slice-ansi) and measured (string-width), then each grid row turned back into a
// string. At 2000 pods that was over a third of the game's CPU and most of a 80–100 ms frame, for a screen
// where a pod change alters two or three lines.
//
// installOutputCache() replaces Output.prototype.get with the same algorithm, plus:
//  - caches that outlive a frame (bounded, two generations): styled characters per line, widths, slices;
//  - a memo per screen row: a row whose writes (x, text after clipping and transforms) are those of the last
//    frame is the same string, without building its cells again.
// Its output is byte-for-byte Ink's (test/ui/ink-output-cache.test.ts compares the two on random frames).
// The patch applies only to the Ink version it was written against (ink-internals.ts loads Ink's own modules).

type Operation =
	| {readonly type: 'write'; readonly x: number; readonly y: number; readonly text: string; readonly transformers: readonly Transformer[]}
	| {readonly type: 'clip'; readonly clip: Clip}
	| {readonly type: 'unclip'};

/** Ink's major.minor this was written against: build/output.js must be the algorithm mirrored below. */
const supportedInk = /^6\.8\./;

export {InkOutputClass, type InkOutput};

/** A map that forgets what was not used during the last `limit` insertions (two generations). */
class Recent<V> {
	private current = new Map<string, V>();
	private previous = new Map<string, V>();

	constructor(private readonly limit: number) {}

	get(key: string): V | undefined {
		const value = this.current.get(key);
		if (value !== undefined) return value;
		const old = this.previous.get(key);
		if (old !== undefined) this.set(key, old);
		return old;
	}

	set(key: string, value: V): void {
		if (this.current.size >= this.limit) {
			this.previous = this.current;
			this.current = new Map();
		}
		this.current.set(key, value);
	}
}

const widths = new Recent<number>(4096);
const styled = new Recent<StyledChar[]>(1024);
const slices = new Recent<string>(1024);
const blockWidths = new Recent<number>(1024);

function widthOf(text: string): number {
	let width = widths.get(text);
	if (width === undefined) {
		width = stringWidth(text);
		widths.set(text, width);
	}
	return width;
}

function widestLineOf(text: string): number {
	let width = blockWidths.get(text);
	if (width === undefined) {
		width = 0;
		for (const line of text.split('\n')) width = Math.max(width, widthOf(line));
		blockWidths.set(text, width);
	}
	return width;
}

interface AnsiCode {
	readonly code: string;
	readonly endCode: string;
}

const sameCodes = (a: readonly unknown[], b: readonly unknown[]): boolean =>
	a.length === b.length && a.every((code, index) => (code as AnsiCode).code === (b[index] as AnsiCode).code && (code as AnsiCode).endCode === (b[index] as AnsiCode).endCode);

/** A line's styled characters; neighbours in one style share one styles array (rowString relies on it). */
function styledCharsOf(line: string): StyledChar[] {
	let chars = styled.get(line);
	if (chars === undefined) {
		let previous: readonly unknown[] = blank.styles;
		chars = tokenizer.styledCharsFromTokens(tokenizer.tokenize(line)).map((char) => {
			if (char.styles !== previous && !sameCodes(char.styles, previous)) previous = char.styles.length === 0 ? blank.styles : char.styles;
			return char.styles === previous ? char : {...char, styles: previous};
		});
		styled.set(line, chars);
	}
	return chars;
}

/**
 * ansi-tokenize's styledCharsToString, without diffing a cell against a neighbour that has the very same styles
 * array (the diff of equal styles is empty): most cells of a row.
 */
function rowString(cells: readonly (StyledChar | undefined)[]): string {
	let text = '';
	let previous: readonly unknown[] | undefined;
	for (const cell of cells) {
		if (cell === undefined) continue;
		if (previous === undefined) text += tokenizer.ansiCodesToString(cell.styles);
		else if (cell.styles !== previous) text += tokenizer.ansiCodesToString(tokenizer.diffAnsiCodes(previous, cell.styles));
		text += cell.value;
		previous = cell.styles;
	}
	if (previous !== undefined) text += tokenizer.ansiCodesToString(tokenizer.diffAnsiCodes(previous, []));
	return text;
}

function sliceOf(line: string, from: number, to: number): string {
	const key = `${from}:${to}:${line}`;
	let slice = slices.get(key);
	if (slice === undefined) {
		slice = sliceAnsi(line, from, to);
		slices.set(key, slice);
	}
	return slice;
}

/** One blank cell shared by every grid (Ink makes a new one per cell per frame; nothing mutates cells). */
const blank: StyledChar = Object.freeze({type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) as readonly unknown[]});

/** The last frame's rows: y → the writes that made the row, and the string they made. */
const rowMemo = new Map<number, {key: string; line: string}>();

function rowKey(width: number, writes: readonly (string | number)[]): string {
	let key = `${width}`;
	for (let index = 0; index < writes.length; index += 2) {
		const line = writes[index + 1] as string;
		key += `\u0000${writes[index]}:${line.length}:${line}`;
	}
	return key;
}

function composeRow(width: number, writes: readonly (string | number)[]): string {
	const cells: (StyledChar | undefined)[] = new Array<StyledChar>(width).fill(blank);
	for (let index = 0; index < writes.length; index += 2) {
		let offsetX = writes[index] as number;
		for (const character of styledCharsOf(writes[index + 1] as string)) {
			cells[offsetX] = character;
			// As Ink: the printed width by string-width, and wide characters clear the cells they cover.
			const characterWidth = Math.max(1, widthOf(character.value));
			for (let cover = 1; cover < characterWidth; cover++) {
				cells[offsetX + cover] = {type: 'char', value: '', fullWidth: false, styles: character.styles};
			}
			offsetX += characterWidth;
		}
	}
	return rowString(cells).trimEnd();
}

/** Ink's Output.get (6.8.0, build/output.js) with the caches above; same result. */
export function cachedGet(this: InkOutput): {output: string; height: number} {
	const {width, height} = this;
	const operations = (this as unknown as {operations: readonly Operation[]}).operations;
	// Per screen row, the writes that land on it, flattened: x, line, x, line, …
	const rows: (string | number)[][] = Array.from({length: height}, () => []);
	const clips: Clip[] = [];
	for (const operation of operations) {
		if (operation.type === 'clip') clips.push(operation.clip);
		if (operation.type === 'unclip') clips.pop();
		if (operation.type !== 'write') continue;
		const {text, transformers} = operation;
		let {x, y} = operation;
		let lines = text.split('\n');
		const clip = clips.at(-1);
		if (clip) {
			const clipHorizontally = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
			const clipVertically = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
			if (clipHorizontally && (x + widestLineOf(text) < clip.x1! || x > clip.x2!)) continue;
			if (clipVertically && (y + lines.length < clip.y1! || y > clip.y2!)) continue;
			if (clipHorizontally) {
				const x1 = clip.x1!;
				const x2 = clip.x2!;
				lines = lines.map((line) => {
					const from = x < x1 ? x1 - x : 0;
					const lineWidth = widthOf(line);
					const to = x + lineWidth > x2 ? x2 - x : lineWidth;
					return sliceOf(line, from, to);
				});
				if (x < x1) x = x1;
			}
			if (clipVertically) {
				const y1 = clip.y1!;
				const y2 = clip.y2!;
				const from = y < y1 ? y1 - y : 0;
				const to = y + lines.length > y2 ? y2 - y : lines.length;
				lines = lines.slice(from, to);
				if (y < y1) y = y1;
			}
		}
		let offsetY = 0;
		for (let [index, line] of lines.entries()) {
			const row = rows[y + offsetY];
			// As Ink: a line outside the grid is skipped without moving down (so the rest follow it out).
			if (!row) continue;
			for (const transformer of transformers) line = transformer(line, index);
			row.push(x, line);
			offsetY++;
		}
	}
	const lines: string[] = [];
	for (let y = 0; y < height; y++) {
		const writes = rows[y]!;
		const key = rowKey(width, writes);
		const memo = rowMemo.get(y);
		if (memo && memo.key === key) {
			lines.push(memo.line);
			continue;
		}
		const line = composeRow(width, writes);
		rowMemo.set(y, {key, line});
		lines.push(line);
	}
	return {output: lines.join('\n'), height};
}

let installed = false;

/** Makes Ink's frames use cachedGet. Idempotent; false (and nothing changed) on an Ink it was not written for. */
export function installOutputCache(): boolean {
	if (!supportedInk.test(inkVersion)) return false;
	if (!installed) {
		InkOutputClass.prototype.get = cachedGet;
		installed = true;
	}
	return true;
}
