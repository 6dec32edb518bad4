// Every failure on the way to the cluster becomes ONE line a person can act on: which host and why when it
// cannot be reached, which verb on which resource is missing when RBAC says no, and so on. No stack traces.
// Also the CLI's error classes (exit codes) and its validation helpers, so config.ts stays free of I/O.
import {sanitizeLine} from '../model/sanitize.js';
import {parseLabelSelector, SelectorSyntaxError} from './selector.js';

/** Bad flags or arguments: the CLI prints the message and exits 2. */
export class UsageError extends Error {
	readonly exitCode = 2;
	override readonly name = 'UsageError';
}

/** The cluster cannot be used (no config, unreachable, forbidden …): the CLI prints the message and exits 1. */
export class ClusterError extends Error {
	readonly exitCode = 1;
	override readonly name = 'ClusterError';
}

export const rbacManifest = 'manifests/podinvaders-rbac.yml';

/** What a request was about, for messages: "cannot delete pods in namespace x". */
export interface RequestTarget {
	readonly server?: string;
	readonly verb?: string;
	readonly resource?: string; // e.g. "pods", "pods/eviction", "events"
	readonly namespace?: string;
	readonly name?: string;
}

/** The parts of a metav1.Status the messages use. */
export interface KubeStatus {
	readonly message?: string;
	readonly reason?: string;
	readonly code?: number;
	readonly details?: {readonly kind?: string; readonly name?: string; readonly group?: string};
}

/** Parses a response body as a metav1.Status; undefined when it is not one. */
export function parseStatus(body: unknown): KubeStatus | undefined {
	let value = body;
	if (Buffer.isBuffer(value)) value = value.toString('utf8');
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			return undefined;
		}
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
	const record = value as Record<string, unknown>;
	if (record['kind'] !== 'Status' && typeof record['message'] !== 'string' && typeof record['reason'] !== 'string') return undefined;
	const details = record['details'];
	const detailRecord = details !== null && typeof details === 'object' ? (details as Record<string, unknown>) : undefined;
	const text = (key: string, from: Record<string, unknown> | undefined) =>
		typeof from?.[key] === 'string' ? (from[key] as string) : undefined;
	return {
		...(text('message', record) !== undefined ? {message: text('message', record)} : {}),
		...(text('reason', record) !== undefined ? {reason: text('reason', record)} : {}),
		...(typeof record['code'] === 'number' ? {code: record['code']} : {}),
		...(detailRecord
			? {
					details: {
						...(text('kind', detailRecord) !== undefined ? {kind: text('kind', detailRecord)} : {}),
						...(text('name', detailRecord) !== undefined ? {name: text('name', detailRecord)} : {}),
						...(text('group', detailRecord) !== undefined ? {group: text('group', detailRecord)} : {}),
					},
				}
			: {}),
	};
}

/** An HTTP answer outside 2xx from the API server. `message` is already the one human line. */
export class ApiError extends Error {
	override readonly name = 'ApiError';
	readonly status: number;
	readonly kubeStatus: KubeStatus | undefined;
	readonly target: RequestTarget;
	constructor(status: number, body: unknown, target: RequestTarget = {}) {
		const kubeStatus = parseStatus(body);
		super(describeHttpStatus(status, kubeStatus, target, typeof body === 'string' ? body : undefined));
		this.status = status;
		this.kubeStatus = kubeStatus;
		this.target = target;
	}
}

/** The server could not be reached or the connection broke. `code` is Node's (ECONNREFUSED …) or ours (ETIMEDOUT). */
export class NetworkError extends Error {
	override readonly name = 'NetworkError';
	readonly code: string;
	readonly server: string;
	constructor(code: string, server: string, detail: string) {
		super(describeNetworkFailure(code, server, detail));
		this.code = code;
		this.server = server;
	}
}

const hostOf = (server: string | undefined): string => {
	if (!server) return 'the API server';
	try {
		return new URL(server).host || server;
	} catch {
		return server;
	}
};

const inNamespace = (target: RequestTarget) => (target.namespace ? ` in namespace "${target.namespace}"` : '');

function describeHttpStatus(status: number, kubeStatus: KubeStatus | undefined, target: RequestTarget, rawBody?: string): string {
	const serverMessage = kubeStatus?.message ?? (rawBody && rawBody.length < 200 ? rawBody.trim() : '');
	const what = target.resource ?? 'the resource';
	let line: string;
	switch (status) {
		case 401:
			line = `credentials rejected by ${hostOf(target.server)} (401 Unauthorized): refresh or fix the user in your kubeconfig`;
			break;
		case 403: {
			const user = /User "([^"]*)"/.exec(serverMessage)?.[1];
			const verb = target.verb ?? 'use';
			line =
				`403 forbidden: ${user ? `user "${user}"` : 'your user'} may not ${verb} ${what}${inNamespace(target)}` +
				`; grant it with the Role in ${rbacManifest}`;
			break;
		}
		case 404: {
			const namespaceMissing =
				kubeStatus?.details?.kind === 'namespaces' || /^namespaces? "[^"]*" not found/.test(serverMessage);
			if (namespaceMissing) {
				line = `namespace "${kubeStatus?.details?.name ?? target.namespace ?? '?'}" not found`;
			} else if (target.name && kubeStatus?.details?.kind) {
				line = `${kubeStatus.details.kind.replace(/s$/, '')} "${target.name}" not found${inNamespace(target)}`;
			} else {
				line = `not found (404): ${serverMessage || `${what}${inNamespace(target)}`}`;
			}
			break;
		}
		case 409:
			line = `conflict (409): ${serverMessage || 'the object changed'}`;
			break;
		case 410:
			line = `resource version too old (410 Gone)${serverMessage ? `: ${serverMessage}` : ''}`;
			break;
		case 429:
			line = `refused for now (429): ${serverMessage || 'too many requests'}`;
			break;
		default:
			line =
				status >= 500
					? `server error ${status} from ${hostOf(target.server)}${serverMessage ? `: ${serverMessage}` : ''}`
					: `HTTP ${status}${serverMessage ? `: ${serverMessage}` : ''}`;
	}
	return sanitizeLine(line, 300);
}

const certificateCode = /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|HOSTNAME_MISMATCH)/;

function describeNetworkFailure(code: string, server: string, detail: string): string {
	const host = hostOf(server);
	if (code === 'ECONNRESET' || code === 'EPIPE') return sanitizeLine(`lost the connection to ${host}: ${detail || 'reset by the server'}`, 300);
	let cause: string;
	if (code === 'ECONNREFUSED') cause = 'connection refused (is the cluster running?)';
	else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') cause = 'host name not found (DNS)';
	else if (code === 'ETIMEDOUT' || code === 'ECONNECTTIMEOUT') cause = detail || 'no answer (timed out)';
	else if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') cause = 'no route to host';
	else if (code === 'EPROTO' || code.startsWith('ERR_SSL')) cause = `TLS handshake failed (${detail || code}); is the server http rather than https?`;
	else if (certificateCode.test(code)) cause = `server certificate not trusted: ${detail || code} (${code})`;
	else if (code.startsWith('HPE_')) cause = 'the server did not answer with HTTP (is it https?)';
	else cause = detail ? `${detail}${detail.includes(code) ? '' : ` (${code})`}` : code;
	return sanitizeLine(`cannot reach ${host}: ${cause}`, 300);
}

type Loose = Record<string, unknown>;
const isRecord = (value: unknown): value is Loose => value !== null && typeof value === 'object';

/** The HTTP status carried by any error shape we meet (ours, client-node's ApiException, its Watch errors). */
export function statusOf(error: unknown): number | undefined {
	if (error instanceof ApiError) return error.status;
	if (!isRecord(error)) return undefined;
	for (const key of ['statusCode', 'code', 'status'] as const) {
		const value = error[key];
		if (typeof value === 'number' && value >= 100 && value < 600) return value;
	}
	return undefined;
}

/**
 * One line for any failure: ours (ApiError, NetworkError, UsageError, ClusterError), client-node's
 * ApiException ({code, body: raw text}) and FetchError, Watch errors ({statusCode}), Node system errors.
 */
export function describeError(error: unknown, target: RequestTarget = {}): string {
	if (error instanceof ApiError || error instanceof NetworkError || error instanceof UsageError || error instanceof ClusterError) {
		return sanitizeLine(error.message, 300);
	}
	const status = statusOf(error);
	if (status !== undefined && isRecord(error)) return describeHttpStatus(status, parseStatus(error['body']), target);
	if (isRecord(error)) {
		const code = typeof error['code'] === 'string' ? error['code'] : undefined;
		const rawMessage = typeof error['message'] === 'string' ? error['message'] : '';
		if (error['name'] === 'AbortError') return 'request aborted';
		if (code) {
			// node-fetch: "request to https://h/… failed, reason: connect ECONNREFUSED …" names the server.
			const url = /request to (\S+) failed/.exec(rawMessage)?.[1];
			const address = typeof error['address'] === 'string' ? error['address'] : undefined;
			const port = typeof error['port'] === 'number' ? `:${error['port']}` : '';
			const server = target.server ?? url ?? (address ? `tcp://${address}${port}` : undefined);
			const detail = rawMessage.replace(/^request to \S+ failed, reason: /, '');
			return describeNetworkFailure(code, server ?? '', code.startsWith('E') && /^[A-Z]+$/.test(code) ? '' : detail);
		}
		if (rawMessage) return sanitizeLine(rawMessage.split('\n')[0], 300);
	}
	return sanitizeLine(String(error), 300) || 'unknown error';
}

/** `undefined` when valid, else one line saying why (a namespace is a DNS-1123 label). */
export function validateNamespace(name: string): string | undefined {
	if (name === '') return 'namespace must not be empty';
	if (name.length > 63) return `namespace "${sanitizeLine(name, 80)}" is longer than 63 characters`;
	if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
		return `namespace "${sanitizeLine(name, 80)}" is invalid: lower-case letters, digits and "-", starting and ending with a letter or digit`;
	}
	return undefined;
}

/** `undefined` when the selector parses as the apiserver would parse it, else one line saying why. */
export function validateLabelSelector(selector: string): string | undefined {
	try {
		parseLabelSelector(selector);
		return undefined;
	} catch (error) {
		const reason = error instanceof SelectorSyntaxError ? error.message : String(error);
		return sanitizeLine(`invalid label selector "${selector}": ${reason}`, 300);
	}
}
