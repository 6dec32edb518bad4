import {
	fadeStage,
	formatDuration,
	lookOf,
	phaseWord,
	type GameState,
	type InvaderHealth,
	type Layout,
} from '../game/index.js';
import {Canvas} from './canvas.js';
import type {Sprites} from './sprites.js';
import type {Theme} from './theme.js';

// The battlefield as row strings, composed from the game state alone (pure, unit-testable without Ink).

export interface FieldText {
	/** Lines 0 … cannonY-1: info line, formation, sky and shots. */
	readonly field: readonly string[];
	/** The cannon's lines. */
	readonly cannon: readonly string[];
	/** Terminal cells in every line. */
	readonly columns: number;
}

export interface ComposeOptions {
	/** "ctx/ns" for the empty and loading skies. */
	readonly where: string;
	readonly selector: string;
}

export function composeCanvas(state: GameState, sprites: Sprites, options: ComposeOptions): Canvas {
	const layout = state.layout;
	const canvas = new Canvas(layout.width, layout.height);
	if (layout.tooSmall) return canvas;
	const set = layout.mode === 'normal' ? sprites.normal : sprites.compact;
	const byUid = state.health?.byUid ?? null;
	// Pods outside Goldpinger's mesh are absent from the map: no health mark, phase colours only.
	const healthOf = (uid: string): InvaderHealth | undefined => byUid?.get(uid);

	drawInfoLine(canvas, state, layout);
	drawLabels(canvas, state, layout);

	for (const band of layout.bands) {
		band.slots.forEach((uid, column) => {
			if (uid === null) return;
			const invader = state.pods.get(uid);
			if (!invader) return;
			const x = layout.left + column * layout.pitchX;
			const look = lookOf(invader.pod, healthOf(uid));
			const selected = uid === state.selected;
			if (look === 'terminating') {
				const stage = fadeStage(invader, state.now);
				canvas.putLines(x, band.y, set.fade[stage] ?? set.fade[0]!, selected ? 'selected' : stage === 0 ? 'terminating' : 'faded');
			} else {
				canvas.putLines(x, band.y, set.looks[look][state.frame] ?? set.looks[look][0]!, selected ? 'selected' : look);
			}
			if (selected && set.selected && layout.sprite.gapY > 0) canvas.put(x, band.y + layout.sprite.height, set.selected, 'selected');
		});
	}

	for (const effect of state.effects) {
		if (effect.page !== layout.page || effect.width !== set.width) continue;
		const frames = set.effects[effect.kind];
		const progress = (state.now - effect.startedAt) / effect.durationMs;
		const frame = frames[Math.min(frames.length - 1, Math.max(0, Math.floor(progress * frames.length)))];
		if (frame) canvas.putLines(effect.x, effect.y, frame, effect.kind, true);
	}

	for (const shot of state.projectiles) {
		const y = Math.floor(shot.y);
		if (shot.page !== layout.page || y < 1 || y >= layout.cannonY) continue;
		canvas.put(shot.x, y, shot.target === undefined ? sprites.shot : sprites.guided, shot.target === undefined ? 'shot' : 'guided');
	}

	drawEmptySky(canvas, state, layout, options);
	const cannonX = Math.round(state.cannon.x) - Math.floor(sprites.cannon[0]!.length / 2);
	canvas.putLines(cannonX, layout.cannonY, sprites.cannon, state.mode.spectator ? 'muted' : 'cannon');
	return canvas;
}

export function composeField(state: GameState, sprites: Sprites, theme: Theme, options: ComposeOptions): FieldText {
	const canvas = composeCanvas(state, sprites, options);
	const lines = canvas.toLines(theme);
	const cannonY = state.layout.cannonY;
	return {field: lines.slice(0, cannonY), cannon: lines.slice(cannonY), columns: canvas.width};
}

function drawInfoLine(canvas: Canvas, state: GameState, layout: Layout): void {
	const right =
		layout.pageCount > 1
			? `page ${layout.page + 1}/${layout.pageCount} · ${layout.above} ▲ · ${layout.below} ▼ · [ ]`
			: layout.totalPods > 0
				? `${layout.totalPods} pod${layout.totalPods === 1 ? '' : 's'}${layout.mode === 'compact' ? ' · compact' : ''}`
				: '';
	const rightX = Math.max(0, canvas.width - Array.from(right).length - 1);
	const invader = state.selected === null ? undefined : state.pods.get(state.selected);
	if (invader) {
		const {pod} = invader;
		const health = state.health?.byUid?.get(pod.uid);
		const age = state.now - invader.firstSeenAt;
		const facts = [
			phaseWord(pod),
			pod.ready ? 'ready' : 'not ready',
			...(health ? [health === 'unknown' ? 'health ?' : health] : []),
			...(pod.restarts > 0 ? [`${pod.restarts} restarts`] : []),
			`seen ${formatDuration(age)}`,
		].join(' · ');
		const name = `▸ ${invader.name} `;
		canvas.put(1, 0, name, 'selected');
		canvas.put(1 + Array.from(name).length, 0, fit(facts, rightX - Array.from(name).length - 2), 'muted');
	} else if (state.loaded && layout.totalPods > 0) {
		const hint = state.mode.spectator ? 'spectator: watching only' : 'tab pick a target · space fire · ⏎ kill the target';
		canvas.put(1, 0, hint.slice(0, Math.max(0, rightX - 2)), 'muted');
	}
	if (right) canvas.put(rightX, 0, right, layout.pageCount > 1 ? 'accent' : 'muted');
}

function drawLabels(canvas: Canvas, state: GameState, layout: Layout): void {
	const narrow = layout.gutter < 4;
	// Without a gutter, a row's label goes on the empty line under its last band, on the right (normal sprites only).
	if (narrow && layout.sprite.gapY === 0) return;
	const counts = new Map<string, {ready: number; total: number}>();
	for (const row of state.formation.rows) {
		let ready = 0;
		let total = 0;
		for (const uid of row.slots) {
			if (uid === null) continue;
			const invader = state.pods.get(uid);
			if (!invader) continue;
			total++;
			if (invader.pod.ready && invader.terminatingSince === undefined) ready++;
		}
		counts.set(row.key, {ready, total});
	}
	if (narrow) {
		// Captions under each row's last band on this page.
		layout.bands.forEach((band, index) => {
			if (layout.bands[index + 1]?.rowKey === band.rowKey) return;
			const count = counts.get(band.rowKey);
			const text = fit(`${band.rowLabel}${count ? ` ${count.ready}/${count.total}` : ''}`, Math.max(0, canvas.width - 2));
			canvas.put(canvas.width - Array.from(text).length - 1, band.y + layout.sprite.height, text, 'label');
		});
		return;
	}
	layout.bands.forEach((band, index) => {
		if (band.part > 0 && index > 0) return;
		const room = layout.gutter - 1;
		const label = band.part > 0 ? `…${band.rowLabel}` : band.rowLabel;
		canvas.put(1, band.y, fit(label, room), 'label');
		const count = counts.get(band.rowKey);
		if (count && layout.sprite.height > 1) {
			const long = `${count.ready}/${count.total} ready`;
			canvas.put(1, band.y + 1, Array.from(long).length <= room ? long : fit(`${count.ready}/${count.total}`, room), 'muted');
		}
	});
}

function drawEmptySky(canvas: Canvas, state: GameState, layout: Layout, options: ComposeOptions): void {
	const middle = Math.max(1, Math.floor(layout.cannonY / 2) - 1);
	if (!state.loaded) {
		const connection = state.connection;
		const text =
			connection.kind === 'listing'
				? `listing pods in ${options.where}… ${connection.loaded} so far`
				: connection.kind === 'reconnecting'
					? `reconnecting to ${options.where} (attempt ${connection.attempt})…`
					: connection.kind === 'error'
						? `cannot watch ${options.where}: ${connection.error}`
						: `connecting to ${options.where}…`;
		canvas.centre(middle, fit(text, canvas.width - 2), connection.kind === 'error' ? 'bad' : 'muted');
		return;
	}
	if (layout.totalPods === 0) {
		canvas.centre(middle, fit(`An empty sky: no pods in ${options.where}${options.selector ? ` matching ${options.selector}` : ''}.`, canvas.width - 2), 'muted');
		canvas.centre(middle + 1, fit('Waiting for invaders…', canvas.width - 2), 'muted');
	}
}

/** Cuts text to `room` cells with an ellipsis. */
export function fit(text: string, room: number): string {
	const chars = Array.from(text);
	if (room <= 0) return '';
	return chars.length <= room ? text : `${chars.slice(0, room - 1).join('')}…`;
}
