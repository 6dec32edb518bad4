// The live view of one namespace + selector: list (paginated) → snapshot → watch from the list's
// resourceVersion, for as long as it runs, through every real-world fault:
//   clean end of a watch (servers end them every few minutes)  → re-watch at once from the last RV
//   network error, 5xx, in-stream ERROR                          → "reconnecting", capped backoff + jitter, resume
//   410 Gone (HTTP or in-stream ERROR)                           → relist and emit the diff, so listeners never drift
//   a watch that stays silent past staleAfterMs (half-open TCP)  → torn down and re-established
//   401/403                                                      → "error" with the one-line reason, retried slowly
// We own this loop instead of client-node's ListWatch, which stops for good on connection errors (DESIGN §8).
import type {IncomingMessage} from 'node:http';
import {podFromObject, type Pod} from '../model/pod.js';
import type {PodSource} from '../model/ports.js';
import type {ConnectionState, WatchEvent} from '../model/watch.js';
import type {ClusterAccess} from './access.js';
import {ApiError, describeError, NetworkError, statusOf} from './errors.js';
import {openStream, requestJson} from './http.js';
import {LineSplitter} from './lines.js';

export interface BackoffOptions {
	/** First retry delay. */
	readonly initialMs: number;
	/** Cap of the doubling delay. */
	readonly maxMs: number;
	/** ± fraction of the delay drawn at random (0.25 → 75 %…125 %), so many clients do not retry in step. */
	readonly jitter: number;
}

export interface PodWatcherOptions {
	readonly access: ClusterAccess;
	readonly namespace: string;
	readonly labelSelector?: string;
	readonly fieldSelector?: string;
	/** Pods per list page (limit/continue). Default 500. */
	readonly pageSize?: number;
	/** Asked of the server for each watch; it ends the watch cleanly after this. Default 120. */
	readonly watchTimeoutSeconds?: number;
	/** A watch with no bytes for this long is torn down and re-established. Default: watch timeout + 15 s. */
	readonly staleAfterMs?: number;
	readonly backoff?: Partial<BackoffOptions>;
	/** Delay between retries while the server says 401/403. Default 30 s. */
	readonly forbiddenRetryMs?: number;
	readonly connectTimeoutMs?: number;
	/** For the jitter (tests pass a seeded one). */
	readonly random?: () => number;
	/** Monotonic ms clock for event stamps. Default performance.now. */
	readonly now?: () => number;
}

/** Counters for tests, the bench and --debug. */
export interface PodWatcherStats {
	lists: number;
	relistsAfterGone: number;
	watches: number;
	cleanEnds: number;
	staleWatches: number;
	failures: number;
	bookmarks: number;
	events: number;
	malformedLines: number;
	listenerErrors: number;
}

/** What PodKiller needs from the watcher: the pods it currently sees. */
export interface PodView {
	get(uid: string): Pod | undefined;
	list(): readonly Pod[];
}

export const defaultBackoff: BackoffOptions = {initialMs: 500, maxMs: 10_000, jitter: 0.25};

/** Delay before retry number `attempt` (1-based): doubling from initialMs, capped at maxMs, jittered. */
export function backoffDelay(attempt: number, backoff: BackoffOptions, random: () => number): number {
	const base = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, attempt - 1));
	const jittered = base * (1 - backoff.jitter + 2 * backoff.jitter * random());
	return Math.max(0, Math.min(backoff.maxMs, Math.round(jittered)));
}

type WatchEnd = 'ended' | 'gone' | 'stale';

const isRecord = (value: unknown): value is Record<string, unknown> =>
	value !== null && typeof value === 'object' && !Array.isArray(value);

export class PodWatcher implements PodSource, PodView {
	readonly stats: PodWatcherStats = {
		lists: 0,
		relistsAfterGone: 0,
		watches: 0,
		cleanEnds: 0,
		staleWatches: 0,
		failures: 0,
		bookmarks: 0,
		events: 0,
		malformedLines: 0,
		listenerErrors: 0,
	};

	private readonly listeners = new Set<(event: WatchEvent) => void>();
	/** What every listener has been told: pods by uid. */
	private readonly pods = new Map<string, Pod>();
	private synced = false;
	private lastResourceVersion = '';
	private connection: ConnectionState = {kind: 'connecting'};
	private running: Promise<void> | undefined;
	private stopping = false;
	private abort: AbortController | undefined;
	private wake: (() => void) | undefined;
	/** The current watch has delivered at least one event or bookmark. */
	private watchProgress = false;

	private readonly path: string;
	private readonly backoff: BackoffOptions;
	private readonly watchTimeoutSeconds: number;
	private readonly staleAfterMs: number;
	private readonly random: () => number;
	private readonly now: () => number;

	constructor(private readonly options: PodWatcherOptions) {
		this.path = `/api/v1/namespaces/${encodeURIComponent(options.namespace)}/pods`;
		this.backoff = {...defaultBackoff, ...options.backoff};
		this.watchTimeoutSeconds = options.watchTimeoutSeconds ?? 120;
		this.staleAfterMs = options.staleAfterMs ?? this.watchTimeoutSeconds * 1000 + 15_000;
		this.random = options.random ?? Math.random;
		this.now = options.now ?? (() => performance.now());
	}

	get state(): ConnectionState {
		return this.connection;
	}

	/** The resourceVersion the next watch resumes from. */
	get resourceVersion(): string {
		return this.lastResourceVersion;
	}

	get(uid: string): Pod | undefined {
		return this.pods.get(uid);
	}

	list(): readonly Pod[] {
		return [...this.pods.values()];
	}

	subscribe(listener: (event: WatchEvent) => void): () => void {
		this.listeners.add(listener);
		const at = this.now();
		this.deliver(listener, {type: 'connection', state: this.connection, at});
		if (this.synced) this.deliver(listener, {type: 'snapshot', pods: this.list(), at});
		return () => this.listeners.delete(listener);
	}

	start(): void {
		if (this.running) return;
		this.stopping = false;
		this.running = this.run().finally(() => {
			this.running = undefined;
		});
	}

	async stop(): Promise<void> {
		this.stopping = true;
		this.abort?.abort();
		this.wake?.();
		await this.running;
	}

	private deliver(listener: (event: WatchEvent) => void, event: WatchEvent): void {
		try {
			listener(event);
		} catch {
			// A broken listener must not take the watch down with it; the count shows up in tests and --debug.
			this.stats.listenerErrors++;
		}
	}

	private emit(event: WatchEvent): void {
		for (const listener of [...this.listeners]) this.deliver(listener, event);
	}

	private setState(state: ConnectionState): void {
		this.connection = state;
		this.emit({type: 'connection', state, at: this.now()});
	}

	/** A delay that stop() cuts short. */
	private sleep(ms: number): Promise<void> {
		return new Promise<void>((resolve) => {
			if (this.stopping) {
				resolve();
				return;
			}
			const done = () => {
				clearTimeout(timer);
				this.wake = undefined;
				resolve();
			};
			const timer = setTimeout(done, ms);
			this.wake = done;
		});
	}

	private async run(): Promise<void> {
		let needList = true;
		let failures = 0; // consecutive, for the backoff
		let goneInARow = 0;
		let quickEmptyEnds = 0;
		if (!this.synced && this.connection.kind !== 'connecting') this.setState({kind: 'connecting'});
		while (!this.stopping) {
			try {
				if (needList) {
					await this.relist();
					needList = false;
				}
				const started = this.now();
				this.watchProgress = false;
				const {end, lines} = await this.watchOnce();
				failures = 0;
				if (end === 'gone') {
					needList = true;
					this.stats.relistsAfterGone++;
					goneInARow++;
					// A server that answers every fresh list's RV with 410 must not make us spin.
					if (goneInARow > 1) await this.sleep(backoffDelay(goneInARow - 1, this.backoff, this.random));
					continue;
				}
				goneInARow = 0;
				if (end === 'stale') {
					this.stats.staleWatches++;
					this.setState({
						kind: 'reconnecting',
						attempt: 1,
						error: `the watch was silent for ${Math.round(this.staleAfterMs / 1000)} s; reconnecting`,
						retryInMs: 0,
					});
					continue;
				}
				this.stats.cleanEnds++;
				// Normal: re-watch at once. Only a server that keeps closing empty watches right away gets a backoff.
				quickEmptyEnds = lines === 0 && this.now() - started < 1000 ? quickEmptyEnds + 1 : 0;
				if (quickEmptyEnds >= 3) await this.sleep(backoffDelay(quickEmptyEnds - 2, this.backoff, this.random));
			} catch (error) {
				if (this.stopping) break;
				this.stats.failures++;
				const status = statusOf(error);
				if (status === 410) {
					// HTTP 410 on the watch, or an expired continue token while listing.
					needList = true;
					this.stats.relistsAfterGone++;
					goneInARow++;
					if (goneInARow > 1) await this.sleep(backoffDelay(goneInARow - 1, this.backoff, this.random));
					continue;
				}
				// A watch that delivered something worked: its failure starts a fresh backoff series.
				failures = this.watchProgress ? 1 : failures + 1;
				this.watchProgress = false;
				const message = describeError(error, {server: this.options.access.server});
				if (status === 401 || status === 403) {
					this.setState({kind: 'error', error: message});
					await this.sleep(this.options.forbiddenRetryMs ?? 30_000);
				} else {
					const retryInMs = backoffDelay(failures, this.backoff, this.random);
					this.setState({kind: 'reconnecting', attempt: failures, error: message, retryInMs});
					await this.sleep(retryInMs);
				}
			}
		}
	}

	/** Lists every page, then emits a snapshot (first time) or the diff against what listeners have. */
	private async relist(): Promise<void> {
		const {access, labelSelector, fieldSelector} = this.options;
		const fresh = new Map<string, Pod>();
		let continueToken: string | undefined;
		let resourceVersion = '';
		this.setState({kind: 'listing', loaded: 0});
		for (let page = 0; page < 1_000_000; page++) {
			this.abort = new AbortController();
			const body = await requestJson(access, {
				path: this.path,
				query: {limit: this.options.pageSize ?? 500, continue: continueToken, labelSelector, fieldSelector},
				signal: this.abort.signal,
				timeoutMs: 60_000,
				...(this.options.connectTimeoutMs !== undefined ? {connectTimeoutMs: this.options.connectTimeoutMs} : {}),
			});
			const list = isRecord(body) ? body : {};
			const metadata = isRecord(list['metadata']) ? list['metadata'] : {};
			if (!Array.isArray(list['items'])) throw new NetworkError('EBADLIST', access.server, 'the pod list has no items');
			for (const item of list['items']) {
				const pod = podFromObject(item);
				if (pod.uid) fresh.set(pod.uid, pod);
			}
			resourceVersion = typeof metadata['resourceVersion'] === 'string' ? metadata['resourceVersion'] : resourceVersion;
			continueToken = typeof metadata['continue'] === 'string' && metadata['continue'] !== '' ? metadata['continue'] : undefined;
			this.setState({kind: 'listing', loaded: fresh.size});
			if (!continueToken) break;
		}
		this.stats.lists++;
		const at = this.now();
		this.lastResourceVersion = resourceVersion;
		if (!this.synced) {
			for (const [uid, pod] of fresh) this.pods.set(uid, pod);
			this.synced = true;
			this.emit({type: 'snapshot', pods: this.list(), at});
			return;
		}
		for (const [uid, pod] of [...this.pods]) {
			if (!fresh.has(uid)) {
				this.pods.delete(uid);
				this.emit({type: 'deleted', pod, at});
			}
		}
		for (const [uid, pod] of fresh) {
			const known = this.pods.get(uid);
			if (known && known.resourceVersion === pod.resourceVersion) continue;
			this.pods.set(uid, pod);
			this.emit({type: known ? 'modified' : 'added', pod, at});
		}
	}

	/**
	 * One watch from the last RV until it ends.
	 * Resolves with how it ended and how many lines it carried; rejects on errors.
	 */
	private async watchOnce(): Promise<{end: WatchEnd; lines: number}> {
		const {access, labelSelector, fieldSelector} = this.options;
		this.abort = new AbortController();
		const response = await openStream(access, {
			path: this.path,
			query: {
				watch: true,
				resourceVersion: this.lastResourceVersion || undefined,
				allowWatchBookmarks: true,
				timeoutSeconds: this.watchTimeoutSeconds,
				labelSelector,
				fieldSelector,
			},
			signal: this.abort.signal,
			timeoutMs: 30_000,
			...(this.options.connectTimeoutMs !== undefined ? {connectTimeoutMs: this.options.connectTimeoutMs} : {}),
		});
		this.stats.watches++;
		if (this.connection.kind !== 'live') this.setState({kind: 'live', since: this.now()});
		return this.consume(response);
	}

	private consume(response: IncomingMessage): Promise<{end: WatchEnd; lines: number}> {
		return new Promise((resolve, reject) => {
			const splitter = new LineSplitter();
			let lines = 0;
			let settled = false;
			const finish = (outcome: {end: WatchEnd} | {error: Error}) => {
				if (settled) return;
				settled = true;
				clearTimeout(staleTimer);
				if ('error' in outcome) reject(outcome.error);
				else resolve({end: outcome.end, lines});
				if (!response.destroyed) response.destroy();
			};
			const staleTimer = setTimeout(() => finish({end: 'stale'}), this.staleAfterMs);
			const handle = (line: string, at: number) => {
				lines++;
				const outcome = this.handleLine(line, at);
				if (outcome) finish(outcome);
			};
			response.on('data', (chunk: Buffer) => {
				if (settled) return;
				const at = this.now(); // when the bytes arrived: event timings must be true
				staleTimer.refresh();
				for (const line of splitter.push(chunk)) {
					handle(line, at);
					if (settled) return;
				}
				this.stats.malformedLines += splitter.overlongLines;
				splitter.overlongLines = 0;
			});
			response.on('end', () => {
				if (settled) return;
				const at = this.now();
				for (const line of splitter.end()) {
					handle(line, at);
					if (settled) return;
				}
				finish({end: 'ended'});
			});
			response.on('error', (error: NodeJS.ErrnoException) => {
				if (this.stopping) finish({error});
				else finish({error: new NetworkError(error.code ?? 'ECONNRESET', this.options.access.server, 'the watch connection broke')});
			});
			response.on('close', () => {
				finish({error: new NetworkError('ECONNRESET', this.options.access.server, 'the watch connection closed mid-stream')});
			});
		});
	}

	/** Applies one watch line. Returns how the watch must end, if it must. */
	private handleLine(line: string, at: number): {end: WatchEnd} | {error: Error} | undefined {
		if (line.trim() === '') return undefined;
		let event: unknown;
		try {
			event = JSON.parse(line);
		} catch {
			this.stats.malformedLines++;
			return undefined;
		}
		if (!isRecord(event) || typeof event['type'] !== 'string' || !isRecord(event['object'])) {
			this.stats.malformedLines++;
			return undefined;
		}
		const object = event['object'];
		switch (event['type']) {
			case 'ADDED':
			case 'MODIFIED':
			case 'DELETED': {
				const pod = podFromObject(object);
				if (!pod.uid) {
					this.stats.malformedLines++;
					return undefined;
				}
				this.stats.events++;
				this.watchProgress = true;
				if (pod.resourceVersion) this.lastResourceVersion = pod.resourceVersion;
				const known = this.pods.get(pod.uid);
				if (event['type'] === 'DELETED') {
					if (known) {
						this.pods.delete(pod.uid);
						this.emit({type: 'deleted', pod, at});
					}
				} else if (!known || known.resourceVersion !== pod.resourceVersion) {
					this.pods.set(pod.uid, pod);
					this.emit({type: known ? 'modified' : 'added', pod, at});
				}
				return undefined;
			}
			case 'BOOKMARK': {
				const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
				if (typeof metadata['resourceVersion'] === 'string' && metadata['resourceVersion']) {
					this.lastResourceVersion = metadata['resourceVersion'];
				}
				this.stats.bookmarks++;
				this.watchProgress = true;
				return undefined;
			}
			case 'ERROR': {
				const code = typeof object['code'] === 'number' ? object['code'] : 500;
				if (code === 410) return {end: 'gone'};
				return {error: new ApiError(code, object, {server: this.options.access.server, verb: 'watch', resource: 'pods', namespace: this.options.namespace})};
			}
			default:
				this.stats.malformedLines++;
				return undefined;
		}
	}
}
