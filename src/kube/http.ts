// Raw HTTP to the API server with a ClusterAccess: one request → status/headers/body, or a stream (watch).
// Every request has a connect timeout, so an unreachable server is reported within seconds, not minutes.
import http from 'node:http';
import https from 'node:https';
import type {Socket} from 'node:net';
import type {ClusterAccess} from './access.js';
import {ApiError, NetworkError, type RequestTarget} from './errors.js';

export type QueryValue = string | number | boolean | undefined;

export interface RequestOptions {
	readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
	/** Absolute path, already percent-encoded where needed, e.g. /api/v1/namespaces/default/pods */
	readonly path: string;
	/** Appended as a query string; undefined values are left out. */
	readonly query?: Readonly<Record<string, QueryValue>>;
	/** JSON-encoded unless a string or Buffer. */
	readonly body?: unknown;
	readonly headers?: Readonly<Record<string, string>>;
	readonly signal?: AbortSignal;
	/** Until the TCP (and TLS) connection is up. Default 5000 ms. */
	readonly connectTimeoutMs?: number;
	/** Until the whole answer is in (for streams: until the headers are in). Default 30000 ms; 0 = none. */
	readonly timeoutMs?: number;
	/** For error messages; inferred from method + path when left out. */
	readonly target?: RequestTarget;
	/** Refuse bodies larger than this many bytes (default 256 MiB): a broken server must not eat the memory. */
	readonly maxBodyBytes?: number;
}

export interface HttpResponse {
	readonly status: number;
	readonly headers: http.IncomingHttpHeaders;
	readonly body: Buffer;
}

export const defaultConnectTimeoutMs = 5000;
export const defaultTimeoutMs = 30_000;

/** "delete pods in namespace x": what RBAC calls the request, from its method and path. */
export function inferTarget(method: string, path: string, query: Readonly<Record<string, QueryValue>> = {}): RequestTarget {
	const segments = path.split('?')[0]!.split('/').filter(Boolean).map((part) => {
		try {
			return decodeURIComponent(part);
		} catch {
			return part;
		}
	});
	// /api/v1/… or /apis/GROUP/VERSION/…
	const rest = segments[0] === 'api' ? segments.slice(2) : segments[0] === 'apis' ? segments.slice(3) : [];
	let namespace: string | undefined;
	if (rest[0] === 'namespaces' && rest.length >= 3) {
		namespace = rest[1];
		rest.splice(0, 2);
	}
	const [resource, name, subresource] = rest;
	const verbs: Record<string, string> = {POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete'};
	const verb = verbs[method] ?? (name ? 'get' : query['watch'] === true || query['watch'] === 'true' ? 'watch' : 'list');
	return {
		...(resource ? {resource: subresource ? `${resource}/${subresource}` : resource} : {}),
		...(namespace ? {namespace} : {}),
		...(name ? {name} : {}),
		verb,
	};
}

export function buildUrl(access: ClusterAccess, path: string, query: Readonly<Record<string, QueryValue>> = {}): URL {
	const url = new URL(access.server + (path.startsWith('/') ? path : `/${path}`));
	for (const [key, value] of Object.entries(query)) {
		if (value !== undefined) url.searchParams.append(key, String(value));
	}
	return url;
}

class AbortedError extends Error {
	override readonly name = 'AbortError';
	constructor() {
		super('request aborted');
	}
}

// One keep-alive pool per ClusterAccess: the Goldpinger poll and list pages reuse connections (on a real
// cluster each new one costs a TLS handshake). Idle sockets are dropped after 2 s, before servers with the
// common 5 s idle timeout (Node's default, like the demo cluster's) close them under us.
const pools = new WeakMap<ClusterAccess, http.Agent>();
function agentFor(access: ClusterAccess, url: URL): http.Agent {
	if (access.agent) return access.agent; // a kubeconfig proxy-url: client-node's proxy agent
	let agent = pools.get(access);
	if (!agent) {
		const options = {keepAlive: true, timeout: 2000, scheduling: 'lifo' as const};
		agent = url.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
		pools.set(access, agent);
	}
	return agent;
}

interface Prepared {
	readonly url: URL;
	readonly options: https.RequestOptions;
	readonly payload: Buffer | undefined;
	readonly target: RequestTarget;
}

async function prepare(access: ClusterAccess, request: RequestOptions): Promise<Prepared> {
	const method = request.method ?? 'GET';
	const url = buildUrl(access, request.path, request.query);
	const payload =
		request.body === undefined
			? undefined
			: Buffer.isBuffer(request.body)
				? request.body
				: Buffer.from(typeof request.body === 'string' ? request.body : JSON.stringify(request.body));
	const dynamicAuth = access.authorize ? await access.authorize() : {};
	const headers: Record<string, string> = {
		Accept: 'application/json',
		'User-Agent': 'podinvaders',
		...access.headers,
		...dynamicAuth,
		...(payload ? {'Content-Type': 'application/json', 'Content-Length': String(payload.length)} : {}),
		...request.headers,
	};
	const {tls} = access;
	const options: https.RequestOptions = {
		method,
		headers,
		...(tls.ca !== undefined ? {ca: tls.ca} : {}),
		...(tls.cert !== undefined ? {cert: tls.cert} : {}),
		...(tls.key !== undefined ? {key: tls.key} : {}),
		...(tls.rejectUnauthorized !== undefined ? {rejectUnauthorized: tls.rejectUnauthorized} : {}),
		...(tls.servername !== undefined ? {servername: tls.servername} : {}),
		...(access.basicAuth !== undefined ? {auth: access.basicAuth} : {}),
		agent: agentFor(access, url),
	};
	const target = {server: access.server, ...(request.target ?? inferTarget(method, request.path, request.query))};
	return {url, options, payload, target};
}

/**
 * Sends one request and calls `onResponse` with the response once its headers are in. Settles with what
 * `onResponse` settles with; rejects with NetworkError (or an AbortError) on transport failures.
 */
function send<T>(
	access: ClusterAccess,
	request: RequestOptions,
	prepared: Prepared,
	onResponse: (response: http.IncomingMessage, done: {resolve: (value: T) => void; fail: (error: Error) => void}) => void,
	streaming: boolean,
	retried = false,
): Promise<T> {
	const {url, options, payload} = prepared;
	const connectTimeoutMs = request.connectTimeoutMs ?? defaultConnectTimeoutMs;
	const timeoutMs = request.timeoutMs ?? defaultTimeoutMs;
	const module = url.protocol === 'https:' ? https : http;

	return new Promise<T>((resolve, reject) => {
		let settled = false;
		const timers: NodeJS.Timeout[] = [];
		const cleanup = () => {
			for (const timer of timers) clearTimeout(timer);
			request.signal?.removeEventListener('abort', onAbort);
		};
		const succeed = (value: T) => {
			if (settled) return;
			settled = true;
			cleanup();
			resolve(value);
		};
		const fail = (error: Error) => {
			if (settled) return;
			settled = true;
			cleanup();
			reject(error);
			outgoing.destroy();
		};
		const onAbort = () => fail(new AbortedError());
		if (request.signal?.aborted) {
			reject(new AbortedError());
			return;
		}
		const outgoing = module.request(url, options);
		request.signal?.addEventListener('abort', onAbort, {once: true});

		outgoing.on('socket', (socket: Socket) => {
			if (!socket.connecting) return;
			const timer = setTimeout(() => {
				const seconds = connectTimeoutMs / 1000;
				fail(new NetworkError('ETIMEDOUT', access.server, `no connection within ${seconds} s`));
			}, connectTimeoutMs);
			timers.push(timer);
			socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(timer));
		});
		if (timeoutMs > 0) {
			timers.push(
				setTimeout(() => {
					fail(new NetworkError('ETIMEDOUT', access.server, `no answer within ${timeoutMs / 1000} s`));
				}, timeoutMs),
			);
		}
		let responded = false;
		outgoing.on('error', (error: NodeJS.ErrnoException) => {
			if (settled) return;
			if (!responded && !retried && outgoing.reusedSocket && error.code === 'ECONNRESET') {
				// The server closed an idle keep-alive socket as we reused it: nothing was processed, so once
				// more on a fresh one (every request here is safe to repeat: GETs, uid-preconditioned deletes).
				settled = true;
				cleanup();
				send(access, request, prepared, onResponse, streaming, true).then(resolve, reject);
				return;
			}
			fail(error instanceof NetworkError ? error : new NetworkError(error.code ?? 'EUNKNOWN', access.server, error.message));
		});
		outgoing.on('response', (response) => {
			responded = true;
			if (streaming) {
				// A stream lives on after its headers: only the connect/headers deadlines applied.
				for (const timer of timers) clearTimeout(timer);
			}
			onResponse(response, {
				resolve: succeed,
				fail: (error) => {
					fail(error);
					response.destroy();
				},
			});
		});
		outgoing.end(payload);
	});
}

function readBody(response: http.IncomingMessage, maxBytes: number, server: string): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		response.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > maxBytes) {
				response.destroy();
				reject(new NetworkError('EFBIG', server, `answer larger than ${maxBytes} bytes`));
				return;
			}
			chunks.push(chunk);
		});
		response.on('end', () => resolve(Buffer.concat(chunks)));
		response.on('error', (error: NodeJS.ErrnoException) =>
			reject(new NetworkError(error.code ?? 'ECONNRESET', server, error.message)),
		);
		response.on('aborted', () => reject(new NetworkError('ECONNRESET', server, 'connection closed mid-answer')));
	});
}

/** One request; resolves with any HTTP status (the caller decides), rejects on transport failures only. */
export async function request(access: ClusterAccess, options: RequestOptions): Promise<HttpResponse> {
	const prepared = await prepare(access, options);
	const maxBytes = options.maxBodyBytes ?? 256 * 1024 * 1024;
	return send<HttpResponse>(
		access,
		options,
		prepared,
		(response, done) => {
			readBody(response, maxBytes, access.server).then(
				(body) => done.resolve({status: response.statusCode ?? 0, headers: response.headers, body}),
				done.fail,
			);
		},
		false,
	);
}

/** One request whose 2xx answer is JSON; any other status becomes an ApiError with a one-line message. */
export async function requestJson(access: ClusterAccess, options: RequestOptions): Promise<unknown> {
	const response = await request(access, options);
	const text = response.body.toString('utf8');
	if (response.status < 200 || response.status >= 300) {
		const method = options.method ?? 'GET';
		throw new ApiError(response.status, text, {
			server: access.server,
			...(options.target ?? inferTarget(method, options.path, options.query)),
		});
	}
	if (text === '') return undefined;
	try {
		return JSON.parse(text);
	} catch {
		throw new NetworkError('EBADJSON', access.server, `the answer to ${options.path} is not JSON`);
	}
}

/**
 * Opens a long-lived response (a watch). Resolves once a 2xx status and headers are in; any other status
 * is read in full and rejects as ApiError. Destroy the returned message (or abort the signal) to close it.
 */
export async function openStream(access: ClusterAccess, options: RequestOptions): Promise<http.IncomingMessage> {
	const prepared = await prepare(access, options);
	const response = await send<http.IncomingMessage>(
		access,
		options,
		prepared,
		(response, done) => {
			const status = response.statusCode ?? 0;
			if (status >= 200 && status < 300) {
				done.resolve(response);
				return;
			}
			readBody(response, 1024 * 1024, access.server).then(
				(body) => done.fail(new ApiError(status, body.toString('utf8'), prepared.target)),
				done.fail,
			);
		},
		true,
	);
	const {signal} = options;
	if (signal) {
		const close = () => response.destroy(new AbortedError());
		signal.addEventListener('abort', close, {once: true});
		response.once('close', () => signal.removeEventListener('abort', close));
	}
	return response;
}
