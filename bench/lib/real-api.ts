// Plain HTTPS requests to the real kube-apiserver (test/real-cluster): bearer token, the CA made at start-up,
// one keep-alive agent. Each answer carries when the request was sent and when the response head arrived:
// for a DELETE, the latter is the earliest moment the bench knows the change is committed in etcd.
import {Agent, request} from 'node:https';
import {wallNow} from './clock.js';

export interface ApiAnswer {
	readonly status: number;
	readonly body: unknown;
	/** Wall-clock ms just before the request was written. */
	readonly sentAt: number;
	/** Wall-clock ms when the status line and headers arrived (the server had finished the write by then). */
	readonly answeredAt: number;
}

export class RealApi {
	private readonly agent: Agent;
	private readonly base: URL;

	constructor(
		url: string,
		private readonly token: string,
		caPem: string,
	) {
		this.base = new URL(url);
		this.agent = new Agent({keepAlive: true, maxSockets: 8, ca: caPem});
	}

	/** One request; JSON in and out; bounded by timeoutMs. Non-2xx answers are returned, not thrown. */
	call(method: string, path: string, body?: unknown, accept = 'application/json', timeoutMs = 30_000): Promise<ApiAnswer> {
		const payload = body === undefined ? undefined : JSON.stringify(body);
		return new Promise((resolve, reject) => {
			const sentAt = wallNow();
			const req = request(
				new URL(path, this.base),
				{
					method,
					agent: this.agent,
					timeout: timeoutMs,
					headers: {
						authorization: `Bearer ${this.token}`,
						accept,
						...(payload !== undefined ? {'content-type': 'application/json', 'content-length': Buffer.byteLength(payload)} : {}),
					},
				},
				(res) => {
					const answeredAt = wallNow();
					const parts: Buffer[] = [];
					res.on('data', (chunk: Buffer) => parts.push(chunk));
					res.on('error', reject);
					res.on('end', () => {
						const text = Buffer.concat(parts).toString('utf8');
						let parsed: unknown = text;
						try {
							parsed = text ? JSON.parse(text) : undefined;
						} catch {
							// not JSON: keep the text for the error message
						}
						resolve({status: res.statusCode ?? 0, body: parsed, sentAt, answeredAt});
					});
				},
			);
			req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
			req.on('error', reject);
			req.end(payload);
		});
	}

	/** Like call(), but a status outside 2xx (or `also`) is an error with the server's message. */
	async ok(method: string, path: string, body?: unknown, also: readonly number[] = [], accept?: string): Promise<ApiAnswer> {
		const answer = await this.call(method, path, body, accept);
		if ((answer.status < 200 || answer.status >= 300) && !also.includes(answer.status)) {
			const message = (answer.body as {message?: unknown} | undefined)?.message;
			throw new Error(`${method} ${path}: HTTP ${answer.status}${typeof message === 'string' ? `: ${message}` : ''}`);
		}
		return answer;
	}

	close(): void {
		this.agent.destroy();
	}
}

/** metadata.resourceVersion of an object in an answer, as a number (NaN when absent). */
export function resourceVersionOf(body: unknown): number {
	const rv = (body as {metadata?: {resourceVersion?: unknown}} | undefined)?.metadata?.resourceVersion;
	return typeof rv === 'string' && rv !== '' ? Number(rv) : Number.NaN;
}
