// A tiny scripted HTTP server on 127.0.0.1 for unit tests that need exact control over bytes and timing
// (split chunks, silent watches, odd statuses). Behaviour against a whole cluster is tested on the demo cluster.
import http from 'node:http';
import type {AddressInfo} from 'node:net';

export interface StubRequest {
	readonly method: string;
	readonly url: URL;
	readonly headers: http.IncomingHttpHeaders;
	readonly body: string;
}

export type StubHandler = (request: StubRequest, response: http.ServerResponse) => void;

export interface Stub {
	readonly url: string;
	readonly requests: StubRequest[];
	close(): Promise<void>;
}

export async function startStub(handler: StubHandler): Promise<Stub> {
	const requests: StubRequest[] = [];
	const sockets = new Set<import('node:net').Socket>();
	const server = http.createServer((incoming, response) => {
		const chunks: Buffer[] = [];
		incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
		incoming.on('end', () => {
			const request = {
				method: incoming.method ?? 'GET',
				url: new URL(incoming.url ?? '/', 'http://stub'),
				headers: incoming.headers,
				body: Buffer.concat(chunks).toString('utf8'),
			};
			requests.push(request);
			handler(request, response);
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}

export function json(response: http.ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	response.writeHead(status, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text)});
	response.end(text);
}

export function statusBody(code: number, reason: string, message: string, details?: Record<string, string>) {
	return {kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message, ...(details ? {details} : {})};
}

let uidCounter = 0;
export function rawPod(name: string, options: {rv?: string; uid?: string; namespace?: string; labels?: Record<string, string>; phase?: string} = {}) {
	return {
		apiVersion: 'v1',
		kind: 'Pod',
		metadata: {
			name,
			namespace: options.namespace ?? 'default',
			uid: options.uid ?? `uid-${name}-${++uidCounter}`,
			resourceVersion: options.rv ?? '1',
			creationTimestamp: '2025-01-01T00:00:00Z',
			labels: options.labels ?? {app: 'demo'},
		},
		spec: {containers: [{name: 'c'}]},
		status: {phase: options.phase ?? 'Running'},
	};
}

/** Resolves when `predicate` holds, polling every 10 ms; rejects after `limitMs` (a bound, not a timing assertion). */
export async function waitFor(predicate: () => boolean, what: string, limitMs = 10_000): Promise<void> {
	const deadline = Date.now() + limitMs;
	while (!predicate()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}
