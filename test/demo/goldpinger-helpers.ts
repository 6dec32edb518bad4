// Helpers for the Goldpinger simulator tests: a minimal pod-listing API server, unique loopback IPs,
// a bounded wait, and a GET.
import http from 'node:http';
import type {AddressInfo} from 'node:net';

export interface FakePod {
	name: string;
	podIP: string;
	hostIP?: string;
	phase?: string;
	labels?: Record<string, string>;
}

/** Serves GET /api/v1/namespaces/NS/pods (label selector app=goldpinger honoured loosely: exact key=value). */
export async function startFakeApiServer(pods: FakePod[]): Promise<{url: string; pods: FakePod[]; requests: string[]; close(): Promise<void>}> {
	const requests: string[] = [];
	const server = http.createServer((request, response) => {
		requests.push(request.url ?? '');
		const url = new URL(request.url ?? '/', 'http://x');
		const match = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(url.pathname);
		if (!match) {
			response.writeHead(404).end('{"kind":"Status","code":404}');
			return;
		}
		const [key, value] = (url.searchParams.get('labelSelector') ?? '').split('=');
		const items = pods
			.filter((pod) => !key || (pod.labels ?? {app: 'goldpinger'})[key] === value)
			.map((pod) => ({
				metadata: {name: pod.name, namespace: match[1], uid: `uid-${pod.name}`, labels: pod.labels ?? {app: 'goldpinger'}},
				status: {phase: pod.phase ?? 'Running', podIP: pod.podIP, hostIP: pod.hostIP ?? '127.0.0.1'},
			}));
		response.writeHead(200, {'content-type': 'application/json'});
		response.end(JSON.stringify({kind: 'PodList', apiVersion: 'v1', metadata: {resourceVersion: '1'}, items}));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		pods,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

/** A /16 of loopback addresses no other test is likely to use: 127.<200..249>.<random>.x */
export function loopbackSubnet(): (host: number) => string {
	const second = 200 + Math.floor(Math.random() * 50);
	const third = 1 + Math.floor(Math.random() * 250);
	return (host) => `127.${second}.${third}.${host}`;
}

/** Polls `check` every `intervalMs` until it returns a value (not undefined), at most `attempts` times. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, attempts = 60, intervalMs = 250): Promise<T> {
	let last: unknown;
	for (let attempt = 0; attempt < attempts; attempt++) {
		try {
			const value = await check();
			if (value !== undefined) return value;
		} catch (error) {
			last = error;
		}
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
	throw new Error(`condition not met after ${attempts} attempts${last ? ` (last error: ${String(last)})` : ''}`);
}

export async function getText(url: string, method = 'GET'): Promise<{status: number; body: string; type: string}> {
	return new Promise((resolve, reject) => {
		const request = http.request(url, {method, agent: false}, (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () =>
				resolve({status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), type: String(response.headers['content-type'] ?? '')}),
			);
		});
		request.setTimeout(5000, () => request.destroy(new Error('timeout')));
		request.on('error', reject);
		request.end();
	});
}
