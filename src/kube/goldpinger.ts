// Goldpinger: ask `/check_all` every refresh (through the apiserver's service proxy or a direct URL),
// validate the reply without trusting a single type, and keep the last good result with its age.
// Shapes (3.0 … 3.10) and quirks are in shared/research/goldpinger.md: `response-time-ms` is omitted when 0,
// a timed-out ping is OK:false + 504 + ≈300 ms + "context deadline exceeded", the top level has only
// `hosts` and `responses` (plus `dnsResults` in 3.0–3.5 or `probeResults` in 3.6+ when probes are set).

import {sanitizeLine} from '../model/sanitize.js';
import type {ClusterAccess} from './access.js';
import {request} from './http.js';
import type {
	GoldpingerHost,
	GoldpingerPing,
	GoldpingerResult,
	GoldpingerSource,
	GoldpingerStatus,
} from '../model/goldpinger.js';

/** Caps against hostile or absurd replies: the rest is dropped and `truncated` set. */
export interface GoldpingerLimits {
	/** Longest reply body accepted, in characters. */
	readonly maxBodyChars: number;
	readonly maxSources: number;
	readonly maxPingsPerSource: number;
	/** Pings over all sources. */
	readonly maxPings: number;
	readonly maxHosts: number;
}

export const defaultGoldpingerLimits: GoldpingerLimits = {
	maxBodyChars: 16 * 1024 * 1024,
	maxSources: 1000,
	maxPingsPerSource: 1000,
	maxPings: 100_000,
	maxHosts: 2000,
};

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
const text = (value: unknown, max = 253): string | undefined =>
	typeof value === 'string' && value !== '' ? sanitizeLine(value, max) || undefined : undefined;
/** Goldpinger's int64 milliseconds: finite, not negative, capped (an hour is already absurd). */
const milliseconds = (value: unknown): number =>
	typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.min(value, 3_600_000) : 0;
const statusCode = (value: unknown): number | undefined =>
	typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 1000 ? value : undefined;

/** A failed ping that ran out of time rather than being refused (Go's net/http error texts). */
export function isTimeoutError(error: string | undefined): boolean {
	return error !== undefined && /deadline exceeded|timeout|timed out/i.test(error);
}

/** Own enumerable entries, at most `max` of them (a huge map is not walked past the cap). */
function boundedEntries(object: Json, max: number): {entries: Array<[string, unknown]>; truncated: boolean} {
	const entries: Array<[string, unknown]> = [];
	let truncated = false;
	for (const key in object) {
		if (!Object.prototype.hasOwnProperty.call(object, key)) continue;
		if (entries.length >= max) {
			truncated = true;
			break;
		}
		entries.push([key, object[key]]);
	}
	return {entries, truncated};
}

function parsePing(target: string, raw: unknown): GoldpingerPing {
	const entry = isObject(raw) ? raw : {};
	const ok = entry['OK'] === true;
	const error = text(entry['error'], 200);
	const code = statusCode(entry['status-code']);
	const podIP = text(entry['PodIP'], 64);
	const hostIP = text(entry['HostIP'], 64);
	const pingTime = text(entry['PingTime'], 40);
	return {
		target,
		ok,
		responseTimeMs: milliseconds(entry['response-time-ms']),
		...(code !== undefined ? {statusCode: code} : {}),
		...(error ? {error} : !ok ? {error: 'unreachable (no error given)'} : {}),
		timedOut: !ok && isTimeoutError(error),
		...(podIP ? {podIP} : {}),
		...(hostIP ? {hostIP} : {}),
		...(pingTime ? {pingTime} : {}),
	};
}

/**
 * Parses a `/check_all` reply (already JSON-parsed) into a GoldpingerResult.
 * Returns an error string when it is not recognisably Goldpinger's; never throws.
 */
export function normaliseCheckAll(
	raw: unknown,
	receivedAt: number,
	limits: GoldpingerLimits = defaultGoldpingerLimits,
): GoldpingerResult | {error: string} {
	if (!isObject(raw)) return {error: 'not a Goldpinger check_all reply (not a JSON object)'};
	const responses = raw['responses'];
	const hostsRaw = raw['hosts'];
	if (!isObject(responses) && !Array.isArray(hostsRaw) && hostsRaw !== null) {
		return {error: 'not a Goldpinger check_all reply (no "responses" or "hosts")'};
	}
	let truncated = false;
	let pingBudget = limits.maxPings;
	const seen = new Set<string>();
	const sources: GoldpingerSource[] = [];
	if (isObject(responses)) {
		const bounded = boundedEntries(responses, limits.maxSources);
		truncated ||= bounded.truncated;
		for (const [key, value] of bounded.entries) {
			const name = text(key);
			if (!name || seen.has(name)) continue;
			seen.add(name);
			const entry = isObject(value) ? value : {};
			const ok = entry['OK'] === true;
			const podIP = text(entry['PodIP'], 64);
			const hostIP = text(entry['HostIP'], 64);
			const error = text(entry['error'], 200);
			const pings: GoldpingerPing[] = [];
			const response = entry['response'];
			const podResults = isObject(response) ? response['podResults'] : undefined;
			if (ok && isObject(podResults)) {
				const perSource = boundedEntries(podResults, Math.min(limits.maxPingsPerSource, pingBudget));
				truncated ||= perSource.truncated;
				const targets = new Set<string>();
				for (const [targetKey, result] of perSource.entries) {
					const target = text(targetKey);
					if (!target || targets.has(target)) continue;
					targets.add(target);
					pings.push(parsePing(target, result));
				}
				pingBudget -= pings.length;
				pings.sort((a, b) => compare(a.target, b.target));
			}
			sources.push({
				name,
				ok,
				...(podIP ? {podIP} : {}),
				...(hostIP ? {hostIP} : {}),
				...(error ? {error} : !ok ? {error: 'unreachable (no error given)'} : {}),
				pings,
			});
		}
	}
	sources.sort((a, b) => compare(a.name, b.name));

	const hosts: GoldpingerHost[] = [];
	if (Array.isArray(hostsRaw)) {
		const hostNames = new Set<string>();
		for (const item of hostsRaw.slice(0, limits.maxHosts)) {
			if (!isObject(item)) continue;
			const name = text(item['podName']);
			if (!name || hostNames.has(name)) continue;
			hostNames.add(name);
			const podIP = text(item['podIP'], 64);
			const hostIP = text(item['hostIP'], 64);
			hosts.push({name, ...(podIP ? {podIP} : {}), ...(hostIP ? {hostIP} : {})});
		}
		truncated ||= hostsRaw.length > limits.maxHosts;
		hosts.sort((a, b) => compare(a.name, b.name));
	}
	const flavour = 'probeResults' in raw ? '3.6+' : 'dnsResults' in raw ? '3.0-3.5' : 'unknown';
	return {sources, hosts, truncated, flavour, receivedAt};
}

/** Parses the body text of a `/check_all` reply; never throws. */
export function parseCheckAll(
	body: string,
	receivedAt: number,
	limits: GoldpingerLimits = defaultGoldpingerLimits,
): GoldpingerResult | {error: string} {
	if (body.length > limits.maxBodyChars) return {error: `Goldpinger reply too large (${body.length} characters)`};
	let raw: unknown;
	try {
		raw = JSON.parse(body);
	} catch {
		return {error: `Goldpinger reply is not JSON: ${sanitizeLine(body, 60) || '(empty)'}`};
	}
	return normaliseCheckAll(raw, receivedAt, limits);
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// ─── where to ask ────────────────────────────────────────────────────────────────────────────────

export interface GoldpingerService {
	readonly name: string;
	readonly port: string;
}

/** `--goldpinger NAME[:PORT]` (default goldpinger:8080). Returns an error for a malformed value. */
export function parseGoldpingerService(value: string | undefined): GoldpingerService | {error: string} {
	const spec = (value ?? '').trim() || 'goldpinger:8080';
	const match = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)(?::([A-Za-z0-9-]{1,15}))?$/.exec(spec);
	if (!match) return {error: `--goldpinger expects NAME[:PORT] (a service name, e.g. goldpinger:8080), got "${sanitizeLine(spec, 60)}"`};
	return {name: match[1]!, port: match[3] ?? '8080'};
}

/** The apiserver service-proxy path to `check_all` (the path is built by hand: client-node would percent-encode it). */
export function serviceProxyPath(namespace: string, service: GoldpingerService): string {
	const ns = encodeURIComponent(namespace);
	return `/api/v1/namespaces/${ns}/services/${encodeURIComponent(service.name)}:${encodeURIComponent(service.port)}/proxy/check_all`;
}

// ─── the poller ──────────────────────────────────────────────────────────────────────────────────

/** A GET that returns the status and body text. Must honour the signal and should bound the body it reads. */
export type FetchText = (path: string, signal: AbortSignal) => Promise<{status: number; body: string}>;

export interface GoldpingerPollerOptions {
	readonly fetchText: FetchText;
	/** What to GET: the service-proxy path, or a full URL for a direct fetcher. */
	readonly path: string;
	/** For the status bar: `svc goldpinger:8080` or the URL. */
	readonly source: string;
	/** Poll period (Goldpinger's REFRESH_INTERVAL in the book: 2 s). */
	readonly refreshMs?: number;
	/** One poll's time limit (Goldpinger's own check_all limit is 5 s). */
	readonly timeoutMs?: number;
	/** Shown when there is no Goldpinger service. */
	readonly offHint?: string;
	readonly limits?: GoldpingerLimits;
	/** Monotonic clock; performance.now() by default. */
	readonly now?: () => number;
}

export type GoldpingerListener = (status: GoldpingerStatus) => void;

/**
 * Polls `/check_all` every refresh (never two at once) and tells listeners the state after each poll.
 * No service (404, or 503 "no endpoints available") → `off`, asked again only every 5 refreshes,
 * so applying manifests/goldpinger.yml later turns colouring on without a restart.
 */
export class GoldpingerPoller {
	private readonly options: GoldpingerPollerOptions;
	private readonly refreshMs: number;
	private readonly now: () => number;
	private readonly listeners = new Set<GoldpingerListener>();
	private current: GoldpingerStatus;
	private timer: ReturnType<typeof setTimeout> | undefined;
	private abort: AbortController | undefined;
	private running = false;

	constructor(options: GoldpingerPollerOptions) {
		this.options = options;
		this.refreshMs = Math.max(100, options.refreshMs ?? 2000);
		this.now = options.now ?? (() => performance.now());
		this.current = {state: 'waiting', source: options.source};
	}

	get status(): GoldpingerStatus {
		return this.current;
	}

	/** Listen to state changes; a new listener gets the current state at once. Returns unsubscribe. */
	subscribe(listener: GoldpingerListener): () => void {
		this.listeners.add(listener);
		notify(listener, this.current);
		return () => this.listeners.delete(listener);
	}

	start(): void {
		if (this.running) return;
		this.running = true;
		void this.loop();
	}

	/** Stops polling and aborts a poll in flight; idempotent. */
	stop(): void {
		this.running = false;
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		this.abort?.abort();
	}

	/** One poll now; resolves with the new state. Used by the loop and by tests. */
	async pollOnce(): Promise<GoldpingerStatus> {
		const abort = new AbortController();
		this.abort = abort;
		const timeout = setTimeout(() => abort.abort(), this.options.timeoutMs ?? 6000);
		let next: GoldpingerStatus;
		try {
			const reply = await this.options.fetchText(this.options.path, abort.signal);
			next = this.fromReply(reply.status, reply.body);
		} catch (error) {
			next = this.failed(abort.signal.aborted && this.running ? 'Goldpinger did not answer in time' : describe(error));
		} finally {
			clearTimeout(timeout);
			if (this.abort === abort) this.abort = undefined;
		}
		this.set(next);
		return next;
	}

	private async loop(): Promise<void> {
		if (!this.running) return;
		const started = this.now();
		const status = await this.pollOnce();
		if (!this.running) return;
		const period = status.state === 'off' ? this.refreshMs * 5 : this.refreshMs;
		const wait = Math.max(50, period - (this.now() - started));
		this.timer = setTimeout(() => void this.loop(), wait);
	}

	private fromReply(status: number, body: string): GoldpingerStatus {
		const source = this.options.source;
		if (status === 404 || (status === 503 && /no endpoints available/i.test(body))) {
			const result = this.current.result;
			return {
				state: 'off',
				source,
				message: this.options.offHint ?? `no Goldpinger at ${source}: health colouring off`,
				...(result ? {result} : {}),
			};
		}
		if (status === 401 || status === 403) {
			return this.failed(`Goldpinger: forbidden (${status}): needs "get" on services/proxy (see manifests/podinvaders-rbac.yml)`);
		}
		if (status < 200 || status > 299) return this.failed(`Goldpinger answered HTTP ${status}: ${serverMessage(body)}`);
		const parsed = parseCheckAll(body, this.now(), this.options.limits);
		if ('error' in parsed) return this.failed(parsed.error);
		return {state: 'ok', source, result: parsed};
	}

	private failed(message: string): GoldpingerStatus {
		const result = this.current.result;
		const line = sanitizeLine(message, 160);
		return result
			? {state: 'stale', source: this.options.source, result, message: line}
			: {state: 'error', source: this.options.source, message: line};
	}

	private set(status: GoldpingerStatus): void {
		this.current = status;
		for (const listener of [...this.listeners]) notify(listener, status);
	}
}

function notify(listener: GoldpingerListener, status: GoldpingerStatus): void {
	try {
		listener(status);
	} catch {
		// A listener's bug must not stop the poller.
	}
}

/** The `message` of a Kubernetes Status body, or the start of the body. */
function serverMessage(body: string): string {
	try {
		const parsed: unknown = JSON.parse(body);
		if (isObject(parsed) && typeof parsed['message'] === 'string') return sanitizeLine(parsed['message'], 120);
	} catch {
		// not JSON: fall through
	}
	return sanitizeLine(body, 120) || '(empty body)';
}

function describe(error: unknown): string {
	if (error instanceof Error) {
		const code = (error as {code?: unknown}).code;
		return sanitizeLine(`${typeof code === 'string' ? `${code}: ` : ''}${error.message}`, 160);
	}
	return sanitizeLine(error, 160) || 'unknown error';
}

// ─── a direct URL (--goldpinger-url) ─────────────────────────────────────────────────────────────

/**
 * A FetchText for `--goldpinger-url` (e.g. http://localhost:8080 from `kubectl port-forward`):
 * GETs `<url>/check_all` (or the URL as given when it already ends in check_all), reading at most `maxBytes`.
 */
export function directFetchText(maxBytes = defaultGoldpingerLimits.maxBodyChars): FetchText {
	return async (url, signal) => {
		const response = await fetch(url, {signal, headers: {accept: 'application/json'}});
		const reader = response.body?.getReader();
		if (!reader) return {status: response.status, body: ''};
		const chunks: Uint8Array[] = [];
		let size = 0;
		for (;;) {
			const {done, value} = await reader.read();
			if (done) break;
			size += value.byteLength;
			if (size > maxBytes) {
				await reader.cancel();
				throw new Error(`Goldpinger reply larger than ${maxBytes} bytes`);
			}
			chunks.push(value);
		}
		return {status: response.status, body: Buffer.concat(chunks).toString('utf8')};
	};
}

/** `http://host:port[/…]` → the check_all URL. Returns an error for anything but http(s). */
export function checkAllUrl(url: string): string | {error: string} {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return {error: `--goldpinger-url is not a URL: "${sanitizeLine(url, 80)}"`};
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return {error: '--goldpinger-url must be http:// or https://'};
	if (!/\/check_all$/.test(parsed.pathname)) parsed.pathname = `${parsed.pathname.replace(/\/+$/, '')}/check_all`;
	return parsed.toString();
}

// ─── wiring ──────────────────────────────────────────────────────────────────────────────────────

/** A FetchText through the API server (service proxy), with the cluster's credentials. */
export function apiServerFetchText(access: ClusterAccess, maxBytes = defaultGoldpingerLimits.maxBodyChars): FetchText {
	return async (path, signal) => {
		const response = await request(access, {path, signal, connectTimeoutMs: 4000, timeoutMs: 0, maxBodyBytes: maxBytes});
		return {status: response.status, body: response.body.toString('utf8')};
	};
}

export interface GoldpingerSetup {
	/** Where pods are watched (the service is looked up there). */
	readonly namespace: string;
	/** `--goldpinger NAME[:PORT]`; default goldpinger:8080. */
	readonly service?: string;
	/** `--goldpinger-url URL`: ask Goldpinger directly instead (e.g. through `kubectl port-forward`). */
	readonly url?: string;
	/** `--refresh` in seconds (default 2). */
	readonly refreshSeconds?: number;
	readonly now?: () => number;
}

/** Builds the poller for the CLI: service proxy through `access`, or the direct URL. Not started. */
export function createGoldpingerPoller(access: ClusterAccess, setup: GoldpingerSetup): GoldpingerPoller | {error: string} {
	const refreshMs = Math.round((setup.refreshSeconds ?? 2) * 1000);
	const common = {refreshMs, ...(setup.now ? {now: setup.now} : {})};
	if (setup.url !== undefined) {
		const url = checkAllUrl(setup.url);
		if (typeof url !== 'string') return url;
		return new GoldpingerPoller({
			...common,
			fetchText: directFetchText(),
			path: url,
			source: sanitizeLine(url, 80),
			offHint: `nothing at ${sanitizeLine(url, 60)} answers check_all: health colouring off`,
		});
	}
	const service = parseGoldpingerService(setup.service);
	if ('error' in service) return service;
	const ns = sanitizeLine(setup.namespace, 63);
	return new GoldpingerPoller({
		...common,
		fetchText: apiServerFetchText(access),
		path: serviceProxyPath(setup.namespace, service),
		source: `svc ${service.name}:${service.port}`,
		offHint: `no service ${service.name}:${service.port} in ${ns} (kubectl apply -f manifests/goldpinger.yml): health colouring off`,
	});
}
