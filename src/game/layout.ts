import type {Formation} from './formation.js';

// Geometry of the battlefield for a given size: how many invaders fit in a line, normal or compact sprites,
// and which lines ("bands") of the formation are on the current page. Pure and cheap (linear in pods shown).
//
//   y = 0                 info line (target, page, pods off screen)
//   y = formationTop …    bands of invaders, a formation row wraps into as many bands as it needs
//   …                     open sky (at least minSky lines) for the shots
//   y = cannonY …         the cannon (cannonHeight lines)

export interface SpriteMetrics {
	readonly width: number;
	readonly height: number;
	/** Empty columns between two sprites. */
	readonly gapX: number;
	/** Empty lines between two bands. */
	readonly gapY: number;
}

export interface FieldMetrics {
	readonly normal: SpriteMetrics;
	readonly compact: SpriteMetrics;
	readonly cannonWidth: number;
	readonly cannonHeight: number;
}

/** Must match assets/sprites.json (the UI checks it when it loads the sprites). */
export const defaultMetrics: FieldMetrics = {
	normal: {width: 5, height: 2, gapX: 2, gapY: 1},
	compact: {width: 1, height: 1, gapX: 1, gapY: 0},
	cannonWidth: 5,
	cannonHeight: 2,
};

export const formationTop = 1;
export const minSky = 3;

export interface Band {
	readonly rowKey: string;
	readonly rowLabel: string;
	/** Index of this band within its formation row (0 = the row's first line of invaders). */
	readonly part: number;
	/** The row's slot index of this band's first column. */
	readonly slotStart: number;
	readonly slots: readonly (string | null)[];
	readonly y: number;
}

export interface Layout {
	readonly width: number;
	readonly height: number;
	/** Not even one line of invaders fits: the UI says the terminal is too small. */
	readonly tooSmall: boolean;
	readonly mode: 'normal' | 'compact';
	readonly sprite: SpriteMetrics;
	/** Columns reserved on the left for row labels. */
	readonly gutter: number;
	/** x of the first invader column. */
	readonly left: number;
	readonly columns: number;
	readonly pitchX: number;
	readonly pitchY: number;
	readonly bandsPerPage: number;
	readonly page: number;
	readonly pageCount: number;
	/** Bands on this page, top to bottom. */
	readonly bands: readonly Band[];
	readonly totalPods: number;
	readonly shownPods: number;
	/** Pods on earlier / later pages. */
	readonly above: number;
	readonly below: number;
	readonly cannonY: number;
	readonly cannonMinX: number;
	readonly cannonMaxX: number;
}

export interface Rect {
	readonly x: number;
	readonly y: number;
	readonly width: number;
	readonly height: number;
}

function gutterFor(width: number): number {
	return width >= 60 ? Math.min(18, Math.max(10, Math.floor(width * 0.16))) : 0;
}

interface BandSpec {
	readonly rowKey: string;
	readonly rowLabel: string;
	readonly part: number;
	readonly slotStart: number;
	readonly slots: readonly (string | null)[];
	readonly pods: number;
}

function bandsFor(formation: Formation, columns: number): BandSpec[] {
	const bands: BandSpec[] = [];
	for (const row of formation.rows) {
		const parts = Math.max(1, Math.ceil(row.slots.length / columns));
		for (let part = 0; part < parts; part++) {
			const slots = row.slots.slice(part * columns, (part + 1) * columns);
			bands.push({
				rowKey: row.key,
				rowLabel: row.label,
				part,
				slotStart: part * columns,
				slots,
				pods: slots.reduce((count, slot) => count + (slot === null ? 0 : 1), 0),
			});
		}
	}
	return bands;
}

export function computeLayout(
	formation: Formation,
	size: {readonly width: number; readonly height: number},
	metrics: FieldMetrics,
	requestedPage: number,
): Layout {
	const width = Math.max(0, Math.floor(size.width));
	const height = Math.max(0, Math.floor(size.height));
	const gutter = gutterFor(width);
	const cannonY = Math.max(0, height - metrics.cannonHeight);
	const area = cannonY - minSky - formationTop;
	const half = Math.floor(metrics.cannonWidth / 2);

	const fit = (sprite: SpriteMetrics) => {
		const pitchX = sprite.width + sprite.gapX;
		const pitchY = sprite.height + sprite.gapY;
		// One free column on each side of the formation.
		const columns = Math.max(0, Math.floor((width - gutter - 2 + sprite.gapX) / pitchX));
		const bandsPerPage = Math.max(0, Math.floor((area + sprite.gapY) / pitchY));
		return {sprite, pitchX, pitchY, columns, bandsPerPage};
	};
	const normal = fit(metrics.normal);
	const compact = fit(metrics.compact);
	const normalBands = normal.columns > 0 ? bandsFor(formation, normal.columns) : [];
	const useNormal = normal.columns > 0 && normal.bandsPerPage > 0 && normalBands.length <= normal.bandsPerPage;
	const chosen = useNormal ? normal : compact;
	const all = useNormal ? normalBands : chosen.columns > 0 ? bandsFor(formation, chosen.columns) : [];
	const tooSmall = chosen.columns <= 0 || chosen.bandsPerPage <= 0;
	const totalPods = all.reduce((count, band) => count + band.pods, 0);

	const base = {
		width,
		height,
		tooSmall,
		mode: useNormal ? ('normal' as const) : ('compact' as const),
		sprite: chosen.sprite,
		gutter,
		left: gutter + 1,
		columns: chosen.columns,
		pitchX: chosen.pitchX,
		pitchY: chosen.pitchY,
		bandsPerPage: chosen.bandsPerPage,
		totalPods,
		cannonY,
		cannonMinX: half,
		cannonMaxX: Math.max(half, width - 1 - (metrics.cannonWidth - 1 - half)),
	};
	if (tooSmall) return {...base, page: 0, pageCount: 1, bands: [], shownPods: 0, above: totalPods, below: 0};

	const pageCount = Math.max(1, Math.ceil(all.length / chosen.bandsPerPage));
	const page = Math.min(pageCount - 1, Math.max(0, Math.floor(requestedPage)));
	const first = page * chosen.bandsPerPage;
	const visible = all.slice(first, first + chosen.bandsPerPage);
	const count = (bands: readonly BandSpec[]) => bands.reduce((sum, band) => sum + band.pods, 0);
	const shownPods = count(visible);
	const above = count(all.slice(0, first));
	return {
		...base,
		page,
		pageCount,
		bands: visible.map((band, index) => ({
			rowKey: band.rowKey,
			rowLabel: band.rowLabel,
			part: band.part,
			slotStart: band.slotStart,
			slots: band.slots,
			y: formationTop + index * chosen.pitchY,
		})),
		shownPods,
		above,
		below: totalPods - shownPods - above,
	};
}

/** The invader whose sprite covers cell (x, y) on this page, or null. O(1). */
export function invaderAt(layout: Layout, x: number, y: number): string | null {
	if (layout.tooSmall) return null;
	const relY = y - formationTop;
	if (relY < 0) return null;
	const bandIndex = Math.floor(relY / layout.pitchY);
	if (relY % layout.pitchY >= layout.sprite.height) return null;
	const band = layout.bands[bandIndex];
	if (!band) return null;
	const relX = x - layout.left;
	if (relX < 0 || relX % layout.pitchX >= layout.sprite.width) return null;
	return band.slots[Math.floor(relX / layout.pitchX)] ?? null;
}

/** Where each invader on this page is drawn (top-left cell and sprite size). */
export function invaderRects(layout: Layout): Map<string, Rect> {
	const rects = new Map<string, Rect>();
	for (const band of layout.bands) {
		band.slots.forEach((uid, column) => {
			if (uid === null) return;
			rects.set(uid, {x: layout.left + column * layout.pitchX, y: band.y, width: layout.sprite.width, height: layout.sprite.height});
		});
	}
	return rects;
}

/** The page a pod is on, and the x of its centre column (where the cannon must stand to hit it). */
export function locate(formation: Formation, layout: Layout, uid: string): {page: number; x: number} | undefined {
	if (layout.tooSmall || layout.columns <= 0) return undefined;
	let band = 0;
	for (const row of formation.rows) {
		const slot = row.slots.indexOf(uid);
		if (slot >= 0) {
			band += Math.floor(slot / layout.columns);
			const column = slot % layout.columns;
			return {
				page: Math.floor(band / layout.bandsPerPage),
				x: layout.left + column * layout.pitchX + Math.floor(layout.sprite.width / 2),
			};
		}
		band += Math.max(1, Math.ceil(row.slots.length / layout.columns));
	}
	return undefined;
}
