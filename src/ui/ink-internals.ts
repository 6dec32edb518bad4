import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {pathToFileURL} from 'node:url';

// The pieces of Ink 6.8 the renderer's fast paths use, loaded from the copies Ink itself imports (resolved from
// Ink's own location, so a nested node_modules cannot hand us a different version): its Output class (not
// exported by Ink), and the width, slicing and tokenizing helpers it measures and draws with. Using Ink's own
// string-width keeps our cell counts equal to the ones Ink lays out with.

export interface Clip {
	readonly x1: number | undefined;
	readonly x2: number | undefined;
	readonly y1: number | undefined;
	readonly y2: number | undefined;
}

export type Transformer = (line: string, index: number) => string;

export interface StyledChar {
	readonly type: 'char';
	readonly value: string;
	readonly fullWidth: boolean;
	readonly styles: readonly unknown[];
}

/** The parts of Ink's Output we use (its operations are private in Ink's typings). */
export interface InkOutput {
	readonly width: number;
	readonly height: number;
	write(x: number, y: number, text: string, options: {transformers: Transformer[]}): void;
	clip(clip: Clip): void;
	unclip(): void;
	get(): {output: string; height: number};
}

interface OutputClass {
	new (options: {width: number; height: number}): InkOutput;
	prototype: InkOutput;
}

// Ink exports only its entry point, build/index.js: output.js sits next to it, package.json one level up.
const inkEntry = createRequire(import.meta.url).resolve('ink');
const inkRequire = createRequire(inkEntry);
const inkBuild = dirname(inkEntry);
const load = async <T>(path: string): Promise<T> => (await import(pathToFileURL(path).href)) as T;

export const inkVersion = (JSON.parse(readFileSync(join(inkBuild, '..', 'package.json'), 'utf8')) as {version: string}).version;

export const {default: InkOutputClass} = await load<{default: OutputClass}>(join(inkBuild, 'output.js'));
export const {default: sliceAnsi} = await load<{default: (text: string, from: number, to?: number) => string}>(inkRequire.resolve('slice-ansi'));
export const {default: stringWidth} = await load<{default: (text: string) => number}>(inkRequire.resolve('string-width'));
export const tokenizer = await load<{
	tokenize: (text: string) => unknown[];
	styledCharsFromTokens: (tokens: unknown[]) => StyledChar[];
	styledCharsToString: (chars: StyledChar[]) => string;
	diffAnsiCodes: (from: readonly unknown[], to: readonly unknown[]) => unknown[];
	ansiCodesToString: (codes: readonly unknown[]) => string;
}>(join(dirname(inkRequire.resolve('@alcalzone/ansi-tokenize/package.json')), 'build', 'index.js'));
