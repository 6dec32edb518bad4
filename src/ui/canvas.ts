import {roles, sgr, type Role, type Theme} from './theme.js';

// A small framebuffer: one code point and one colour role per cell. Rows become strings with one escape
// per run of same-styled cells and none on blanks (Ink's cost grows with styled characters: DESIGN §8).

const roleIndex = new Map<Role, number>(roles.map((role, index) => [role, index + 1]));

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
			if (column >= 0 && !(transparent && char === ' ')) {
				const index = y * this.width + column;
				this.chars[index] = char;
				this.styles[index] = style;
			}
			column++;
		}
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
		const lines: string[] = [];
		for (let y = 0; y < this.height; y++) {
			let line = '';
			let open = '';
			for (let x = 0; x < this.width; x++) {
				const index = y * this.width + x;
				const char = this.chars[index]!;
				const code = char === ' ' ? '' : codes[this.styles[index]!]!;
				if (code !== open) {
					if (open) line += '\u001b[0m';
					line += code;
					open = code;
				}
				line += char;
			}
			if (open) line += '\u001b[0m';
			lines.push(line);
		}
		return lines;
	}
}
