// Newline-delimited JSON arrives in arbitrary chunks: a line (even a UTF-8 character) can be split across
// chunks, several lines can share one. This cuts the byte stream back into whole lines.
import {StringDecoder} from 'node:string_decoder';

export class LineSplitter {
	private readonly decoder = new StringDecoder('utf8');
	private partial = '';
	/** Lines dropped because they grew past maxLineBytes without a newline. */
	overlongLines = 0;

	constructor(private readonly maxLineLength = 32 * 1024 * 1024) {}

	/** Whole lines completed by this chunk (without their "\n"; a trailing "\r" is dropped too). */
	push(chunk: Buffer | string): string[] {
		const text = this.partial + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
		const lines = text.split('\n');
		this.partial = lines.pop() ?? '';
		if (this.partial.length > this.maxLineLength) {
			// A broken server that never sends a newline must not eat all the memory.
			this.partial = '';
			this.overlongLines++;
		}
		return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
	}

	/** What is left when the stream ends: a last line without a newline, if any. */
	end(): string[] {
		const rest = this.partial + this.decoder.end();
		this.partial = '';
		return rest === '' ? [] : [rest];
	}
}
