import {stringWidth} from './ink-internals.js';
import {roles, sgr, type Role, type Theme} from './theme.js';

// A small framebuffer: one code point and one colour role per cell. Rows become strings with one escape
// per run of same-styled cells (Ink's cost grows with styled characters: DESIGN §8): blanks are unstyled,
// except between two cells of the same style, where they stay in the run (a space shows no colour; an inverse
// space would, so inverse runs end at blanks). A row is exactly `width` terminal cells: a wide character
// takes two cells (the second holds ''), one of no width is dropped, so the battlefield can be drawn without
// Ink measuring it (battlefield.tsx).

const roleIndex = new Map<Role, number>(roles.map((role, index) => [role, index + 1]));

const cellCounts = new Map<string, number>();

/** Terminal cells of one code point (0, 1 or 2) as Ink measures them; printable ASCII without a look-up. */
function cellsOf(char: string): number {
	const code = char.charCodeAt(0);
	if (code >= 0x20 && code < 0x7f) return 1;
	let cells = cellCounts.get(char);
	if (cells === undefined) {
		cells = Math.min(2, Math.max(0, stringWidth(char)));
		if (cellCounts.size > 4096) cellCounts.clear();
		cellCounts.set(char, cells);
	}
	return cells;
}

export class Canvas {
	readonly width: number;
	readonly height: number;
	private readonly chars: string[];
	private readonly styles: Uint8Array;

	constructor(width: number, height: number) {
		this.width = Math.max(0, width);
		this.height = Math.max(0, height);
		this.chars = new Array<string>(this.width * this.height).fill(' ');
		this.styles = new Uint8Array(this.width * this.height);
	}

	/** Writes text from (x, y), clipped to the canvas; `transparent` skips spaces (for effects over sprites). */
	put(x: number, y: number, text: string, role: Role, transparent = false): void {
		if (y < 0 || y >= this.height) return;
		const style = roleIndex.get(role) ?? 0;
		let column = Math.round(x);
		for (const char of text) {
			if (column >= this.width) return;
			const cells = cellsOf(char);
			if (cells === 0) continue;
			if (column >= 0 && !(transparent && char === ' ')) {
				if (cells === 2 && column + 1 < this.width) {
					this.set(y, column, char, style);
					this.set(y, column + 1, '', style);
				} else {
					this.set(y, column, cells === 2 ? ' ' : char, style);
				}
			}
			column += cells;
		}
	}

	/** One cell; a wide character that loses either of its two cells loses both (no half characters). */
	private set(y: number, x: number, char: string, style: number): void {
		const index = y * this.width + x;
		if (this.chars[index] === '' && x > 0 && char !== '') this.chars[index - 1] = ' ';
		if (x + 1 < this.width && this.chars[index + 1] === '' && this.chars[index] !== '') this.chars[index + 1] = ' ';
		this.chars[index] = char;
		this.styles[index] = style;
	}

	putLines(x: number, y: number, lines: readonly string[], role: Role, transparent = false): void {
		lines.forEach((line, row) => this.put(x, y + row, line, role, transparent));
	}

	/** Text on one line, centred. */
	centre(y: number, text: string, role: Role): void {
		const length = Array.from(text).length;
		this.put(Math.max(0, Math.floor((this.width - length) / 2)), y, text, role);
	}

	/** The plain text of a row (for tests). */
	plain(y: number): string {
		return this.chars.slice(y * this.width, (y + 1) * this.width).join('');
	}

	toLines(theme: Theme): string[] {
		const codes = ['', ...roles.map((role) => sgr(theme.styles[role], theme.color))];
		const bridges = [false, ...roles.map((role) => theme.styles[role].inverse !== true)];
		const lines: string[] = [];
		for (let y = 0; y < this.height; y++) {
			const start = y * this.width;
			let line = '';
			let open = '';
			let openStyle = 0;
			for (let x = 0; x < this.width; x++) {
				const char = this.chars[start + x]!;
				if (char === ' ') {
					// A run of blanks: inside the open run when the next non-blank cell has its style.
					let end = x;
					while (end < this.width && this.chars[start + end] === ' ') end++;
					const keep = open !== '' && bridges[openStyle] === true && end < this.width && codes[this.styles[start + end]!] === open;
					if (open && !keep) {
						line += '\u001b[0m';
						open = '';
					}
					line += ' '.repeat(end - x);
					x = end - 1;
					continue;
				}
				const style = this.styles[start + x]!;
				const code = codes[style]!;
				if (code !== open) {
					if (open) line += '\u001b[0m';
					line += code;
					open = code;
				}
				openStyle = style;
				line += char;
			}
			if (open) line += '\u001b[0m';
			lines.push(line);
		}
		return lines;
	}
}
