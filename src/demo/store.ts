// The demo cluster's etcd: objects by storage key / namespace / name, one monotonically increasing
// resourceVersion, a bounded change history per resource (older resourceVersions → 410 Expired), and
// watch fan-out. Stored objects are never mutated in place: every write stores a new object, so a list,
// a history entry or a continue-token snapshot can hold references safely.
import {expired} from './errors.js';
import {rfc3339, type Json} from './util.js';

export interface OwnerReference {
	apiVersion: string;
	kind: string;
	name: string;
	uid: string;
	controller?: boolean;
	blockOwnerDeletion?: boolean;
}

export interface ObjectMeta extends Json {
	name: string;
	namespace?: string;
	uid: string;
	resourceVersion: string;
	creationTimestamp: string;
	generateName?: string;
	generation?: number;
	labels?: Record<string, string>;
	annotations?: Record<string, string>;
	ownerReferences?: OwnerReference[];
	deletionTimestamp?: string;
	deletionGracePeriodSeconds?: number;
	finalizers?: string[];
}

export interface KObject extends Json {
	apiVersion: string;
	kind: string;
	metadata: ObjectMeta;
}

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change {
	readonly type: ChangeType;
	readonly storage: string;
	readonly rv: number;
	/** The object after the change (for DELETED: the last state, carrying the deletion's resourceVersion). */
	readonly object: KObject;
	/** The object before the change (MODIFIED, DELETED). */
	readonly old?: KObject;
}

interface Collection {
	readonly objects: Map<string, KObject>;
	history: Change[];
	/** Highest resourceVersion whose change has been dropped from history: watching from below it → 410. */
	compactedRv: number;
	readonly watchers: Set<(change: Change) => void>;
}

const keyOf = (namespace: string | undefined, name: string): string => `${namespace ?? ''}/${name}`;
const serialized = new WeakMap<object, string>();

/** JSON of a stored object, computed once per object version (lists and watch fan-out reuse it). */
export function toJson(object: KObject): string {
	let text = serialized.get(object);
	if (text === undefined) {
		text = JSON.stringify(object);
		serialized.set(object, text);
	}
	return text;
}

export interface StoreOptions {
	/** Changes kept per resource for watch resumption. */
	historyLimit: number;
	/** Epoch ms; the demo backdates its boot so a fresh cluster does not look one second old. */
	now: () => number;
	newUid: () => string;
}

export class Store {
	private rv = 1;
	/** Set by expireHistory(): list snapshots older than this are gone too (continue tokens → 410). */
	private compactedAt = 0;
	private readonly collections = new Map<string, Collection>();
	private readonly listeners = new Set<(change: Change) => void>();

	constructor(private readonly options: StoreOptions) {}

	get resourceVersion(): number {
		return this.rv;
	}

	/** The resourceVersion of the last expireHistory() (0: never), like etcd's compacted revision. */
	get compactedResourceVersion(): number {
		return this.compactedAt;
	}

	now(): number {
		return this.options.now();
	}

	timestamp(): string {
		return rfc3339(this.options.now());
	}

	private collection(storage: string): Collection {
		let found = this.collections.get(storage);
		if (!found) {
			found = {objects: new Map(), history: [], compactedRv: 0, watchers: new Set()};
			this.collections.set(storage, found);
		}
		return found;
	}

	get(storage: string, namespace: string | undefined, name: string): KObject | undefined {
		return this.collections.get(storage)?.objects.get(keyOf(namespace, name));
	}

	/** Objects in key order (namespace, then name), like etcd's range reads. */
	list(storage: string, namespace?: string): KObject[] {
		const objects = [...(this.collections.get(storage)?.objects.values() ?? [])];
		const selected = namespace === undefined ? objects : objects.filter((o) => o.metadata.namespace === namespace);
		return selected.sort((a, b) => compareKeys(a, b));
	}

	count(storage: string): number {
		return this.collections.get(storage)?.objects.size ?? 0;
	}

	/** Stores a new object: fills uid, creationTimestamp and resourceVersion. The caller checks existence. */
	create(storage: string, object: KObject): KObject {
		const rv = ++this.rv;
		const stored: KObject = {
			...object,
			metadata: {
				...object.metadata,
				uid: object.metadata.uid || this.options.newUid(),
				creationTimestamp: object.metadata.creationTimestamp || this.timestamp(),
				resourceVersion: String(rv),
			},
		};
		this.collection(storage).objects.set(keyOf(stored.metadata.namespace, stored.metadata.name), stored);
		this.emit({type: 'ADDED', storage, rv, object: stored});
		return stored;
	}

	/** Replaces an existing object (same namespace/name) with a new version. */
	replace(storage: string, object: KObject): KObject {
		const collection = this.collection(storage);
		const key = keyOf(object.metadata.namespace, object.metadata.name);
		const old = collection.objects.get(key);
		if (!old) throw new Error(`replace of missing ${storage} ${key}`);
		const rv = ++this.rv;
		const stored: KObject = {...object, metadata: {...object.metadata, uid: old.metadata.uid, resourceVersion: String(rv)}};
		collection.objects.set(key, stored);
		this.emit({type: 'MODIFIED', storage, rv, object: stored, old});
		return stored;
	}

	remove(storage: string, namespace: string | undefined, name: string): KObject | undefined {
		const collection = this.collection(storage);
		const key = keyOf(namespace, name);
		const old = collection.objects.get(key);
		if (!old) return undefined;
		collection.objects.delete(key);
		const rv = ++this.rv;
		const last: KObject = {...old, metadata: {...old.metadata, resourceVersion: String(rv)}};
		this.emit({type: 'DELETED', storage, rv, object: last, old});
		return last;
	}

	/** Controllers and the kubelet hear every change synchronously, after it is stored. */
	subscribe(listener: (change: Change) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/**
	 * Starts a watch of one resource after `fromRv`: returns the backlog (changes after fromRv still in history)
	 * and registers `deliver` for later changes, in one synchronous step so nothing falls in between.
	 * Throws 410 Expired when fromRv is older than the kept history.
	 */
	watch(storage: string, fromRv: number, deliver: (change: Change) => void): {backlog: Change[]; cancel: () => void} {
		const collection = this.collection(storage);
		if (fromRv < collection.compactedRv) {
			throw expired(`too old resource version: ${fromRv} (${collection.compactedRv})`);
		}
		const history = collection.history;
		let low = 0;
		let high = history.length;
		while (low < high) {
			const mid = (low + high) >> 1;
			if (history[mid]!.rv <= fromRv) low = mid + 1;
			else high = mid;
		}
		collection.watchers.add(deliver);
		return {backlog: history.slice(low), cancel: () => collection.watchers.delete(deliver)};
	}

	/** Fault: forget all history, so any resourceVersion older than now gets 410. */
	expireHistory(): void {
		this.compactedAt = this.rv;
		for (const collection of this.collections.values()) {
			collection.history = [];
			collection.compactedRv = this.rv;
		}
	}

	private emit(change: Change): void {
		const collection = this.collection(change.storage);
		collection.history.push(change);
		const limit = this.options.historyLimit;
		if (collection.history.length > limit + Math.ceil(limit / 4)) {
			const dropped = collection.history.splice(0, collection.history.length - limit);
			collection.compactedRv = dropped[dropped.length - 1]!.rv;
		}
		for (const listener of this.listeners) listener(change);
		for (const watcher of [...collection.watchers]) watcher(change);
	}
}

function compareKeys(a: KObject, b: KObject): number {
	const nsA = a.metadata.namespace ?? '';
	const nsB = b.metadata.namespace ?? '';
	if (nsA !== nsB) return nsA < nsB ? -1 : 1;
	return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

export const objectKey = (object: KObject): string => keyOf(object.metadata.namespace, object.metadata.name);
