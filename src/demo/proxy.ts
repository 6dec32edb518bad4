// The apiserver's proxy subresources: /api/v1/namespaces/NS/services/[scheme:]NAME[:PORT]/proxy/PATH and
// /api/v1/namespaces/NS/pods/NAME[:PORT]/proxy/PATH forward plain HTTP to a ready endpoint (podIP:targetPort).
// No ready endpoint → 503 "no endpoints available for service", unreachable → 503 like a failed dial.
import http from 'node:http';
import {resolveTargetPort} from './controllers.js';
import {ApiError, notFound, serviceUnavailable} from './errors.js';
import {byStorage} from './resources.js';
import type {KObject, Store} from './store.js';
import {asArray, asNumber, asObject, asString, type Rng} from './util.js';

const hopByHop = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'authorization', 'host']);
const upstreamTimeoutMs = 30_000;

/** `[scheme:]name[:port]` as the proxy URL segment carries it (percent-encoded by some clients). */
export function parseProxyName(segment: string): {name: string; port?: string} {
	const parts = decodeURIComponent(segment).split(':');
	if (parts.length === 3) return {name: parts[1]!, port: parts[2]!};
	if (parts.length === 2) return parts[0] === 'http' || parts[0] === 'https' ? {name: parts[1]!} : {name: parts[0]!, port: parts[1]!};
	return {name: parts[0]!};
}

/** The path after `/proxy`, with encoded slashes decoded as the Go apiserver does. */
export const upstreamPath = (rest: string, search: string): string => `/${rest.replace(/^\/+/, '').replace(/%2f/gi, '/')}${search}`;

export function serviceTarget(store: Store, rng: Rng, namespace: string, segment: string): {host: string; port: number} {
	const {name, port} = parseProxyName(segment);
	const svc = store.get('services', namespace, name);
	if (!svc) throw notFound(byStorage('services'), name);
	const ports = asArray(asObject(svc['spec'])['ports']).map(asObject);
	const servicePort = port === undefined ? ports[0] : ports.find((p) => p['name'] === port || String(p['port']) === port);
	if (!servicePort) throw serviceUnavailable(`no service port "${port ?? ''}" found for service "${name}"`);
	const endpoints = store.get('endpoints', namespace, name);
	const ready: Array<{ip: string; pod?: KObject}> = [];
	for (const subset of asArray(endpoints?.['subsets']).map(asObject)) {
		for (const address of asArray(subset['addresses']).map(asObject)) {
			const ip = asString(address['ip']);
			const podName = asString(asObject(address['targetRef'])['name']);
			if (ip) ready.push({ip, ...(podName ? {pod: store.get('pods', namespace, podName)} : {})});
		}
	}
	if (ready.length === 0) throw serviceUnavailable(`no endpoints available for service "${name}"`);
	const chosen = ready[rng.int(ready.length)]!;
	return {host: chosen.ip, port: resolveTargetPort(servicePort['targetPort'] ?? servicePort['port'], chosen.pod)};
}

export function podTarget(store: Store, namespace: string, segment: string): {host: string; port: number} {
	const {name, port} = parseProxyName(segment);
	const pod = store.get('pods', namespace, name);
	if (!pod) throw notFound(byStorage('pods'), name);
	const ip = asString(asObject(pod['status'])['podIP']);
	if (!ip) throw new ApiError(400, 'BadRequest', `pod ${name} does not have a host assigned`);
	const firstPort = asNumber(asObject(asArray(asObject(asArray(asObject(pod['spec'])['containers'])[0])['ports'])[0])['containerPort']);
	const resolved = port !== undefined ? resolveTargetPort(port, pod) : (firstPort ?? 80);
	return {host: ip, port: resolved};
}

export function forward(req: http.IncomingMessage, res: http.ServerResponse, target: {host: string; port: number}, path: string): void {
	const headers: http.OutgoingHttpHeaders = {};
	for (const [name, value] of Object.entries(req.headers)) if (!hopByHop.has(name) && value !== undefined) headers[name] = value;
	headers['x-forwarded-for'] = req.socket.remoteAddress ?? '127.0.0.1';
	const upstream = http.request({host: target.host, port: target.port, method: req.method, path, headers, agent: false, timeout: upstreamTimeoutMs}, (response) => {
		const out: http.OutgoingHttpHeaders = {};
		for (const [name, value] of Object.entries(response.headers)) if (!hopByHop.has(name) && value !== undefined) out[name] = value;
		res.writeHead(response.statusCode ?? 502, out);
		response.pipe(res);
		response.on('error', () => res.destroy());
	});
	upstream.on('timeout', () => upstream.destroy(new Error('i/o timeout')));
	upstream.on('error', (error: NodeJS.ErrnoException) => {
		if (res.headersSent) {
			res.destroy();
			return;
		}
		const cause = error.code === 'ECONNREFUSED' ? 'connect: connection refused' : error.message;
		const status = serviceUnavailable(`error trying to reach service: dial tcp ${target.host}:${target.port}: ${cause}`).toStatus();
		res.writeHead(503, {'Content-Type': 'application/json'});
		res.end(JSON.stringify(status));
	});
	// The caller went away: so does the upstream request (after a complete answer this is a no-op).
	res.on('close', () => upstream.destroy());
	req.pipe(upstream);
}
