import type {Pod} from '../model/pod.js';
import {sanitizeLine} from '../model/sanitize.js';

// The formation: one row per owner (ReplicaSet, StatefulSet, …; ownerless pods share one row), rows sorted by
// a stable key. A pod keeps its slot while it lives; a slot it leaves stays empty (nothing else moves) until a
// new pod of the same owner takes the first free slot. Rows are plain arrays so a layout can be derived fast.

export interface FormationRow {
	readonly key: string;
	/** Owner name (sanitised) or "bare pods". */
	readonly label: string;
	/** Owner kind, '' for bare pods. */
	readonly kind: string;
	readonly slots: readonly (string | null)[];
	/** Monotonic ms when the row last became empty; rows linger a while so a dying owner does not make rows jump. */
	readonly emptySince?: number;
}

export interface Formation {
	readonly rows: readonly FormationRow[];
}

export const bareRowKey = '~bare';
/** How long an empty row stays on screen (its replacement usually arrives well before). */
export const rowLingerMs = 15_000;

export const emptyFormation: Formation = {rows: []};

/** The row a pod belongs to: its controller owner, by kind and name (the uid changes when a StatefulSet is recreated). */
export function rowKeyOf(pod: Pod): string {
	return pod.owner ? `${pod.owner.name}\u0000${pod.owner.kind}` : bareRowKey;
}

/** The owner as a person names it: a Deployment's ReplicaSet "web-58d96847b5" reads as "web". */
export function ownerLabel(pod: Pod): string {
	if (!pod.owner) return 'bare pods';
	const hash = pod.labels['pod-template-hash'];
	const name = pod.owner.kind === 'ReplicaSet' && hash && pod.owner.name.endsWith(`-${hash}`) ? pod.owner.name.slice(0, -hash.length - 1) : pod.owner.name;
	return sanitizeLine(name, 63);
}

function newRow(pod: Pod): FormationRow {
	return pod.owner
		? {key: rowKeyOf(pod), label: ownerLabel(pod), kind: sanitizeLine(pod.owner.kind, 40), slots: []}
		: {key: bareRowKey, label: 'bare pods', kind: '', slots: []};
}

function compareKeys(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

const chunks = /(\d+)|(\D+)/g;

/** Natural order, locale-free: db-2 before db-10 (StatefulSet ordinals read as numbers). */
export function compareNames(a: string, b: string): number {
	const left = a.match(chunks) ?? [];
	const right = b.match(chunks) ?? [];
	for (let i = 0; i < Math.min(left.length, right.length); i++) {
		const x = left[i]!;
		const y = right[i]!;
		if (x === y) continue;
		const numeric = /^\d/.test(x) && /^\d/.test(y);
		if (numeric && Number(x) !== Number(y)) return Number(x) - Number(y);
		return compareKeys(x, y);
	}
	return left.length - right.length || compareKeys(a, b);
}

/** Where a uid sits: row index and slot index, or undefined. O(rows + slots of its row). */
export function findSlot(formation: Formation, rowKey: string, uid: string): {row: number; slot: number} | undefined {
	const row = formation.rows.findIndex((candidate) => candidate.key === rowKey);
	if (row < 0) return undefined;
	const slot = formation.rows[row]!.slots.indexOf(uid);
	return slot < 0 ? undefined : {row, slot};
}

/** Places new pods, each in the first free slot of its owner's row (creating rows in sorted position). */
export function placePods(formation: Formation, pods: readonly Pod[]): Formation {
	if (pods.length === 0) return formation;
	const rows = [...formation.rows];
	// Copy each touched row once and remember where its next free slot may be: bulk placement stays linear.
	const touched = new Map<string, {slots: (string | null)[]; cursor: number; present: Set<string>}>();
	for (const pod of pods) {
		const key = rowKeyOf(pod);
		let work = touched.get(key);
		if (!work) {
			let index = rows.findIndex((row) => row.key === key);
			if (index < 0) {
				index = rows.findIndex((row) => compareKeys(row.key, key) > 0);
				if (index < 0) index = rows.length;
				rows.splice(index, 0, newRow(pod));
			}
			const slots = [...rows[index]!.slots];
			work = {slots, cursor: 0, present: new Set(slots.filter((slot): slot is string => slot !== null))};
			touched.set(key, work);
		}
		if (work.present.has(pod.uid)) continue;
		while (work.cursor < work.slots.length && work.slots[work.cursor] !== null) work.cursor++;
		work.slots[work.cursor] = pod.uid;
		work.present.add(pod.uid);
	}
	return {
		rows: rows.map((row) => {
			const work = touched.get(row.key);
			return work ? {key: row.key, label: row.label, kind: row.kind, slots: work.slots} : row;
		}),
	};
}

export function placePod(formation: Formation, pod: Pod): Formation {
	return placePods(formation, [pod]);
}

/** Empties a pod's slot; trailing empty slots are trimmed (nothing visible moves). */
export function removePod(formation: Formation, rowKey: string, uid: string, at: number): Formation {
	const where = findSlot(formation, rowKey, uid);
	if (!where) return formation;
	const rows = [...formation.rows];
	const row = rows[where.row]!;
	const slots = [...row.slots];
	slots[where.slot] = null;
	while (slots.length > 0 && slots[slots.length - 1] === null) slots.pop();
	const empty = slots.every((slot) => slot === null);
	rows[where.row] = {key: row.key, label: row.label, kind: row.kind, slots, ...(empty ? {emptySince: at} : {})};
	return {rows};
}

/** A whole new set of pods (a snapshot): pods still alive keep their slots, new ones are placed sorted by name. */
export function reconcileFormation(formation: Formation, pods: readonly Pod[], at: number): Formation {
	const alive = new Set(pods.map((pod) => pod.uid));
	const next: Formation = {
		rows: formation.rows.map((row) => {
			if (row.slots.every((slot) => slot === null || alive.has(slot))) return row;
			const slots = row.slots.map((slot) => (slot !== null && alive.has(slot) ? slot : null));
			while (slots.length > 0 && slots[slots.length - 1] === null) slots.pop();
			const empty = slots.every((slot) => slot === null);
			return {key: row.key, label: row.label, kind: row.kind, slots, ...(empty ? {emptySince: row.emptySince ?? at} : {})};
		}),
	};
	const placed = new Set(next.rows.flatMap((row) => row.slots.filter((slot): slot is string => slot !== null)));
	const newcomers = pods.filter((pod) => !placed.has(pod.uid)).sort((a, b) => compareNames(a.name, b.name));
	return placePods(next, newcomers);
}

/** Drops rows that have been empty for longer than rowLingerMs, unless `keep` says a replacement is expected. */
export function dropStaleRows(formation: Formation, now: number, keep: (rowKey: string) => boolean): Formation {
	const rows = formation.rows.filter(
		(row) => row.slots.some((slot) => slot !== null) || row.emptySince === undefined || now - row.emptySince < rowLingerMs || keep(row.key),
	);
	return rows.length === formation.rows.length ? formation : {rows};
}

/** When the next empty row expires (for the game loop's wake-up), or undefined. */
export function nextRowExpiry(formation: Formation): number | undefined {
	let next: number | undefined;
	for (const row of formation.rows) {
		if (row.emptySince === undefined || row.slots.some((slot) => slot !== null)) continue;
		const at = row.emptySince + rowLingerMs;
		if (next === undefined || at < next) next = at;
	}
	return next;
}

/** Every uid in display order: rows top to bottom, slots left to right. */
export function displayOrder(formation: Formation): string[] {
	const order: string[] = [];
	for (const row of formation.rows) for (const slot of row.slots) if (slot !== null) order.push(slot);
	return order;
}
