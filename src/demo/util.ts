// Small helpers shared by the demo cluster's modules: JSON shapes, a seeded random source, times and names
// worded the way Kubernetes words them.

export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
	value !== null && typeof value === 'object' && !Array.isArray(value);
export const asObject = (value: unknown): Json => (isObject(value) ? value : {});
export const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
export const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
export const asNumber = (value: unknown): number | undefined =>
	typeof value === 'number' && Number.isFinite(value) ? value : undefined;

export function stringMap(value: unknown): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, entry] of Object.entries(asObject(value))) if (typeof entry === 'string') out[key] = entry;
	return out;
}

export const deepClone = <T>(value: T): T => structuredClone(value);

/** Deterministic PRNG (mulberry32): the same seed gives the same names, uids and delays. */
export class Rng {
	private state: number;
	constructor(seed: number) {
		this.state = seed >>> 0 || 0x9e3779b9;
	}
	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}
	int(maxExclusive: number): number {
		return Math.floor(this.next() * maxExclusive);
	}
	/** A uniformly jittered delay in [min, max]. */
	between([min, max]: readonly [number, number]): number {
		return min + this.next() * Math.max(0, max - min);
	}
	uuid(): string {
		const hex = Array.from({length: 32}, () => this.int(16).toString(16));
		hex[12] = '4';
		hex[16] = '89ab'[this.int(4)]!;
		const s = hex.join('');
		return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
	}
	/** Like apimachinery's rand.String: lower-case consonants and digits that never spell words. */
	suffix(length = 5): string {
		return Array.from({length}, () => safeAlphabet[this.int(safeAlphabet.length)]).join('');
	}
}

const safeAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** apimachinery rand.SafeEncodeString: how pod-template-hash turns a number into letters. */
export function safeEncode(text: string): string {
	return Array.from(text, (char) => safeAlphabet[char.charCodeAt(0) % safeAlphabet.length]).join('');
}

/** FNV-1a 32-bit, as the Deployment controller hashes a pod template. */
export function fnv32a(text: string): number {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash >>> 0;
}

/** JSON with object keys sorted, so equal objects hash equally. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (isObject(value)) {
		return `{${Object.keys(value)
			.sort()
			.filter((key) => value[key] !== undefined)
			.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`)
			.join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/** metav1.Time: RFC3339 with whole seconds, as the real apiserver writes it. */
export const rfc3339 = (epochMs: number): string => new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
/** metav1.MicroTime (events.k8s.io eventTime). */
export const rfc3339Micro = (epochMs: number): string => new Date(epochMs).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/** duration.HumanDuration from apimachinery: the AGE column. */
export function humanDuration(ms: number): string {
	const seconds = Math.floor(ms / 1000);
	if (seconds < -1) return '<invalid>';
	if (seconds < 0) return '0s';
	if (seconds < 120) return `${seconds}s`;
	const minutes = Math.floor(seconds / 60);
	if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
	if (minutes < 180) return `${minutes}m`;
	const hours = Math.floor(minutes / 60);
	if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
	if (hours < 48) return `${hours}h`;
	if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
	if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
	const days = Math.floor(hours / 24);
	if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${Math.floor(days / 365)}y` : `${Math.floor(days / 365)}y${days % 365}d`;
	return `${Math.floor(days / 365)}y`;
}

/** Keeps every timer of a component so close() can cancel them all. */
export class Timers {
	private readonly handles = new Set<NodeJS.Timeout>();
	private closed = false;
	after(ms: number, fn: () => void): void {
		if (this.closed) return;
		const handle = setTimeout(() => {
			this.handles.delete(handle);
			if (!this.closed) fn();
		}, Math.max(0, ms));
		this.handles.add(handle);
	}
	close(): void {
		this.closed = true;
		for (const handle of this.handles) clearTimeout(handle);
		this.handles.clear();
	}
	get isClosed(): boolean {
		return this.closed;
	}
}
