// LIST (selectors, limit/continue pagination over a consistent snapshot, Table output) and WATCH
// (newline-delimited JSON events from a resourceVersion, selector transitions as ADDED/DELETED, bookmarks,
// timeoutSeconds, 410 Expired as an in-stream ERROR event like the real apiserver).
import type http from 'node:http';
import {ApiError, badRequest, expired} from './errors.js';
import type {Faults} from './faults.js';
import type {ResourceType} from './resources.js';
import {matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector, type FieldRequirement, type Selector} from './selectors.js';
import {toJson, type Change, type KObject, type Store} from './store.js';
import {tableContentType, tableRow, toTable, type IncludeObject} from './table.js';
import type {Json, Rng} from './util.js';

export interface Query {
	labels: Selector;
	fields: FieldRequirement[];
}

export function parseQuery(params: URLSearchParams): Query {
	return {labels: parseLabelSelector(params.get('labelSelector')), fields: parseFieldSelector(params.get('fieldSelector'))};
}

export const matchesQuery = (query: Query, object: KObject): boolean =>
	matchesLabels(query.labels, object.metadata.labels) && matchesFields(query.fields, object);

export interface Rendering {
	/** Table output (kubectl), with which object form in each row. */
	table?: IncludeObject;
	/** Converts stored objects to the requested group-version's shape (events.k8s.io). */
	transform?: (object: KObject) => KObject;
	now: () => number;
}

interface Snapshot {
	readonly objects: readonly KObject[];
	readonly rv: number;
	readonly created: number;
	readonly filtered: boolean;
}

const snapshotTtlMs = 5 * 60_000;
const maxSnapshots = 64;

/** Continue tokens point at list snapshots, so every page comes from the same resourceVersion. */
export class Paginator {
	private readonly snapshots = new Map<string, Snapshot>();
	constructor(private readonly rng: Rng) {}

	/** `compactedRv`: a token whose snapshot is older expired, as a real continue token does once etcd compacted its revision. */
	page(objects: readonly KObject[], rv: number, filtered: boolean, limit: number | undefined, token: string | null, compactedRv = 0): {items: readonly KObject[]; rv: number; continue?: string; remaining?: number} {
		let snapshot: Snapshot;
		let offset = 0;
		if (token) {
			let parsed: {id?: unknown; offset?: unknown};
			try {
				parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as {id?: unknown; offset?: unknown};
			} catch {
				throw badRequest('continue key is not valid: illegal base64 data');
			}
			const found = typeof parsed.id === 'string' ? this.snapshots.get(parsed.id) : undefined;
			if (!found || Date.now() - found.created > snapshotTtlMs || found.rv < compactedRv) {
				throw expired('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.');
			}
			snapshot = found;
			offset = Number(parsed.offset) || 0;
		} else {
			snapshot = {objects, rv, created: Date.now(), filtered};
		}
		if (!limit || offset + limit >= snapshot.objects.length) {
			return {items: snapshot.objects.slice(offset), rv: snapshot.rv};
		}
		let id = '';
		for (const [key, value] of this.snapshots) if (value === snapshot) id = key;
		if (!id) {
			id = `${snapshot.rv}-${this.rng.suffix(10)}`;
			this.snapshots.set(id, snapshot);
			for (const [key, value] of this.snapshots) {
				if (this.snapshots.size <= maxSnapshots && Date.now() - value.created <= snapshotTtlMs) break;
				this.snapshots.delete(key);
			}
		}
		const next = offset + limit;
		const start = snapshot.objects[next]!;
		const tokenText = Buffer.from(JSON.stringify({v: 'meta.k8s.io/v1', rv: snapshot.rv, start: `${start.metadata.namespace ?? ''}/${start.metadata.name}`, id, offset: next})).toString('base64');
		return {
			items: snapshot.objects.slice(offset, next),
			rv: snapshot.rv,
			continue: tokenText,
			...(snapshot.filtered ? {} : {remaining: snapshot.objects.length - next}),
		};
	}
}

export function listBody(type: ResourceType, page: {items: readonly KObject[]; rv: number; continue?: string; remaining?: number}, rendering: Rendering): {contentType: string; body: string} {
	const metadata: Json = {resourceVersion: String(page.rv), ...(page.continue ? {continue: page.continue} : {}), ...(page.remaining !== undefined ? {remainingItemCount: page.remaining} : {})};
	const items = rendering.transform ? page.items.map(rendering.transform) : page.items;
	if (rendering.table) {
		return {contentType: tableContentType, body: JSON.stringify(toTable(type.storage, items, rendering.now(), rendering.table, metadata))};
	}
	const head = JSON.stringify({kind: `${type.kind}List`, apiVersion: type.group ? `${type.group}/${type.version}` : type.version, metadata});
	const text = rendering.transform ? items.map((item) => JSON.stringify(item)) : items.map(toJson);
	return {contentType: 'application/json', body: `${head.slice(0, -1)},"items":[${text.join(',')}]}`};
}

export interface WatchRequest {
	type: ResourceType;
	namespace: string | undefined;
	query: Query;
	params: URLSearchParams;
	rendering: Rendering;
	bookmarkIntervalMs: number;
}

const maxBufferedBytes = 16 * 1024 * 1024;

export function serveWatch(store: Store, faults: Faults, request: WatchRequest, req: http.IncomingMessage, res: http.ServerResponse): void {
	const {type, namespace, query, params, rendering} = request;
	const rvParam = params.get('resourceVersion') ?? '';
	const bookmarks = params.get('allowWatchBookmarks') === 'true';
	const sendInitial = rvParam === '' || rvParam === '0' || params.get('sendInitialEvents') === 'true';
	let fromRv = store.resourceVersion;
	if (rvParam !== '' && rvParam !== '0') {
		if (!/^\d+$/.test(rvParam)) throw badRequest(`resourceVersion: Invalid value: "${rvParam}": must be a non-negative integer`);
		fromRv = Number(rvParam);
	}
	const timeoutParam = params.get('timeoutSeconds');
	const timeoutMs = timeoutParam !== null && Number(timeoutParam) > 0 ? Number(timeoutParam) * 1000 : (1800 + Math.random() * 1800) * 1000;

	res.writeHead(200, {
		'Content-Type': rendering.table ? tableContentType : 'application/json',
		'Cache-Control': 'no-cache, private',
		'Transfer-Encoding': 'chunked',
	});
	res.flushHeaders();
	let firstTable = true;
	let ended = false;

	const write = (eventType: string, object: KObject): void => {
		if (ended) return;
		if (faults.knobs.malformedWatchLines) res.write('{"type":"MODIFIED","object":{"kind":"Pod","metadata":\n');
		let line: string;
		if (rendering.table) {
			const table: Json = {
				kind: 'Table',
				apiVersion: 'meta.k8s.io/v1',
				metadata: {resourceVersion: object.metadata.resourceVersion},
				...(firstTable ? {columnDefinitions: toTable(type.storage, [], 0, 'None', {})['columnDefinitions']} : {}),
				rows: [tableRow(type.storage, object, rendering.now(), rendering.table)],
			};
			firstTable = false;
			line = JSON.stringify({type: eventType, object: table});
		} else {
			line = `{"type":"${eventType}","object":${rendering.transform ? JSON.stringify(rendering.transform(object)) : toJson(object)}}`;
		}
		res.write(`${line}\n`);
		if (res.writableLength > maxBufferedBytes) finish(false); // a consumer this slow is dropped, as the apiserver does
	};
	const bookmark = (annotations?: Record<string, string>): void => {
		if (ended || !bookmarks) return;
		const object = {kind: type.kind, apiVersion: type.group ? `${type.group}/${type.version}` : type.version, metadata: {resourceVersion: String(store.resourceVersion), ...(annotations ? {annotations} : {})}};
		res.write(`${JSON.stringify({type: 'BOOKMARK', object})}\n`);
	};
	const inScope = (object: KObject): boolean => !type.namespaced || namespace === undefined || object.metadata.namespace === namespace;
	const deliver = (change: Change): void => {
		if (!inScope(change.object)) return;
		const now = change.type !== 'DELETED' && matchesQuery(query, change.object);
		const before = change.old !== undefined && matchesQuery(query, change.old);
		if (change.type === 'ADDED') {
			if (now) write('ADDED', change.object);
		} else if (change.type === 'DELETED') {
			if (before) write('DELETED', change.object);
		} else if (now && before) write('MODIFIED', change.object);
		else if (now) write('ADDED', change.object);
		else if (before) write('DELETED', change.object); // no longer selected: gone from this watch's view
	};

	let cancel: () => void = () => undefined;
	let bookmarkTimer: NodeJS.Timeout | undefined;
	let timeoutTimer: NodeJS.Timeout | undefined;
	let unregister: () => void = () => undefined;
	const finish = (graceful: boolean): void => {
		if (ended) return;
		ended = true;
		cancel();
		unregister();
		clearTimeout(bookmarkTimer);
		clearTimeout(timeoutTimer);
		if (graceful) res.end();
		else res.destroy();
	};
	req.on('close', () => finish(true));
	res.on('close', () => finish(true));
	res.on('error', () => finish(false));

	if (fromRv > store.resourceVersion) {
		res.write(`${JSON.stringify({type: 'ERROR', object: new ApiError(504, 'Timeout', `Timeout: Too large resource version: ${fromRv}, current: ${store.resourceVersion}`).toStatus()})}\n`);
		finish(true);
		return;
	}
	try {
		const started = store.watch(type.storage, fromRv, deliver);
		cancel = started.cancel;
		if (sendInitial) {
			for (const object of store.list(type.storage, type.namespaced ? namespace : undefined)) if (matchesQuery(query, object)) write('ADDED', object);
			if (params.get('sendInitialEvents') === 'true') bookmark({'k8s.io/initial-events-end': 'true'});
		} else {
			for (const change of started.backlog) deliver(change);
		}
	} catch (error) {
		if (!(error instanceof ApiError)) throw error;
		res.write(`${JSON.stringify({type: 'ERROR', object: error.toStatus()})}\n`);
		finish(true);
		return;
	}
	unregister = faults.registerWatch((graceful) => finish(graceful));
	if (bookmarks) {
		const tick = (): void => {
			bookmark();
			bookmarkTimer = setTimeout(tick, request.bookmarkIntervalMs);
		};
		bookmarkTimer = setTimeout(tick, request.bookmarkIntervalMs);
	}
	timeoutTimer = setTimeout(() => {
		bookmark();
		finish(true);
	}, timeoutMs);
}
