import {readFileSync} from 'node:fs';
import {defaultMetrics, looks, type EffectKind, type FieldMetrics, type Look} from '../game/index.js';

// Sprites live in assets/sprites.json (shipped with the package). They are checked once at load: a broken
// asset is a clear error at start, not a garbled screen later. The game's geometry must match them.

export type Frames = readonly (readonly string[])[];

export interface SpriteSet {
	readonly width: number;
	readonly height: number;
	readonly looks: Readonly<Record<Look, Frames>>;
	/** Terminating: three stages of fading. */
	readonly fade: Frames;
	/** Drawn on the line under the selected invader ('' = none). */
	readonly selected: string;
	readonly effects: Readonly<Record<EffectKind, Frames>>;
}

export interface Sprites {
	readonly normal: SpriteSet;
	readonly compact: SpriteSet;
	readonly cannon: readonly string[];
	readonly shot: string;
	readonly guided: string;
}

const effectKinds: readonly EffectKind[] = ['explosion', 'warp', 'poof', 'deflect', 'dry-run'];

export class SpriteError extends Error {}

const cells = (line: string) => Array.from(line).length;

function checkFrames(value: unknown, where: string, width: number, height: number, min = 1): Frames {
	if (!Array.isArray(value) || value.length < min) throw new SpriteError(`${where}: expected at least ${min} frame(s)`);
	return value.map((frame: unknown, index) => {
		if (!Array.isArray(frame) || frame.length !== height) throw new SpriteError(`${where}[${index}]: expected ${height} line(s)`);
		return frame.map((line: unknown, row) => {
			if (typeof line !== 'string' || cells(line) !== width || /[\u0000-\u001f\u007f-\u009f]/.test(line)) {
				throw new SpriteError(`${where}[${index}][${row}]: expected ${width} printable cell(s)`);
			}
			return line;
		});
	});
}

function checkSet(value: unknown, where: string): SpriteSet {
	const set = (value ?? {}) as Record<string, unknown>;
	const width = set['width'];
	const height = set['height'];
	if (typeof width !== 'number' || typeof height !== 'number' || width < 1 || height < 1) throw new SpriteError(`${where}: width/height`);
	const lookTable = (set['looks'] ?? {}) as Record<string, unknown>;
	const effectTable = (set['effects'] ?? {}) as Record<string, unknown>;
	const selected = set['selected'];
	if (typeof selected !== 'string' || (selected !== '' && cells(selected) !== width)) throw new SpriteError(`${where}.selected`);
	return {
		width,
		height,
		looks: Object.fromEntries(looks.map((look) => [look, checkFrames(lookTable[look], `${where}.looks.${look}`, width, height, 2)])) as Record<Look, Frames>,
		fade: checkFrames(set['fade'], `${where}.fade`, width, height, 3),
		selected,
		effects: Object.fromEntries(effectKinds.map((kind) => [kind, checkFrames(effectTable[kind], `${where}.effects.${kind}`, width, height)])) as Record<EffectKind, Frames>,
	};
}

export function parseSprites(raw: unknown, metrics: FieldMetrics = defaultMetrics): Sprites {
	const table = (raw ?? {}) as Record<string, unknown>;
	const normal = checkSet(table['normal'], 'normal');
	const compact = checkSet(table['compact'], 'compact');
	const [cannon] = checkFrames([table['cannon']], 'cannon', metrics.cannonWidth, metrics.cannonHeight);
	const shot = table['shot'];
	const guided = table['guided'];
	if (typeof shot !== 'string' || cells(shot) !== 1 || typeof guided !== 'string' || cells(guided) !== 1) throw new SpriteError('shot/guided: one cell each');
	for (const [set, size] of [
		[normal, metrics.normal],
		[compact, metrics.compact],
	] as const) {
		if (set.width !== size.width || set.height !== size.height) throw new SpriteError('sprite sizes do not match the game geometry');
	}
	return {normal, compact, cannon: cannon!, shot, guided};
}

let cached: Sprites | undefined;

/** assets/sprites.json, two directories up from this module both in src/ui (tsx) and dist/ui (built). */
export function loadSprites(): Sprites {
	if (!cached) {
		const text = readFileSync(new URL('../../assets/sprites.json', import.meta.url), 'utf8');
		cached = parseSprites(JSON.parse(text));
	}
	return cached;
}
