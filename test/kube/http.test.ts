import {test} from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import {accessForUrl} from '../../src/kube/access.js';
import {ApiError, NetworkError} from '../../src/kube/errors.js';
import {inferTarget, openStream, request, requestJson} from '../../src/kube/http.js';
import {json, startStub, statusBody} from './stub-api.js';

test('inferTarget names the RBAC verb and resource of a request', () => {
	assert.deepEqual(inferTarget('GET', '/api/v1/namespaces/default/pods', {}), {resource: 'pods', namespace: 'default', verb: 'list'});
	assert.deepEqual(inferTarget('GET', '/api/v1/namespaces/default/pods', {watch: true}), {resource: 'pods', namespace: 'default', verb: 'watch'});
	assert.deepEqual(inferTarget('DELETE', '/api/v1/namespaces/a/pods/web-1'), {resource: 'pods', namespace: 'a', name: 'web-1', verb: 'delete'});
	assert.deepEqual(inferTarget('POST', '/api/v1/namespaces/a/pods/web-1/eviction'), {resource: 'pods/eviction', namespace: 'a', name: 'web-1', verb: 'create'});
	assert.deepEqual(inferTarget('GET', '/api/v1/namespaces/a/services/goldpinger:8080/proxy/check_all'), {resource: 'services/proxy', namespace: 'a', name: 'goldpinger:8080', verb: 'get'});
	assert.deepEqual(inferTarget('GET', '/api/v1/namespaces/kube-system'), {resource: 'namespaces', name: 'kube-system', verb: 'get'});
	assert.deepEqual(inferTarget('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'), {resource: 'selfsubjectaccessreviews', verb: 'create'});
});

test('request sends query, JSON body and access headers; requestJson turns non-2xx into one-line ApiErrors', async (t) => {
	const stub = await startStub((req, res) => {
		if (req.method === 'DELETE') return json(res, 403, statusBody(403, 'Forbidden', 'pods "p" is forbidden: User "bob" cannot delete resource "pods" in API group "" in the namespace "ns1"'));
		json(res, 200, {echo: req.url.search, body: req.body});
	});
	t.after(() => stub.close());
	const access = {...accessForUrl(stub.url), headers: {Authorization: 'Bearer t0ken'}};
	const body = await requestJson(access, {method: 'POST', path: '/x', query: {a: 1, b: undefined, c: 'x y'}, body: {k: 'v'}});
	assert.deepEqual(body, {echo: '?a=1&c=x+y', body: '{"k":"v"}'});
	assert.equal(stub.requests[0]!.headers['authorization'], 'Bearer t0ken');
	assert.equal(stub.requests[0]!.headers['content-type'], 'application/json');
	await assert.rejects(requestJson(access, {method: 'DELETE', path: '/api/v1/namespaces/ns1/pods/p'}), (error: unknown) => {
		assert.ok(error instanceof ApiError);
		assert.equal(error.status, 403);
		assert.match(error.message, /user "bob" may not delete pods in namespace "ns1"; grant it with the Role in manifests\/podinvaders-rbac\.yml/);
		return true;
	});
	const raw = await request(access, {path: '/y'});
	assert.equal(raw.status, 200);
});

test('authorize() supplies fresh credentials on every request', async (t) => {
	const stub = await startStub((_req, res) => json(res, 200, {}));
	t.after(() => stub.close());
	let n = 0;
	const access = {...accessForUrl(stub.url), authorize: async () => ({Authorization: `Bearer token-${++n}`})};
	await request(access, {path: '/a'});
	await request(access, {path: '/b'});
	assert.deepEqual(stub.requests.map((r) => r.headers['authorization']), ['Bearer token-1', 'Bearer token-2']);
});

test('an unreachable server is a NetworkError naming host and cause', async () => {
	// A port that was free a moment ago: nothing listens there.
	const probe = net.createServer();
	await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
	const {port} = probe.address() as net.AddressInfo;
	await new Promise<void>((resolve) => probe.close(() => resolve()));
	await assert.rejects(request(accessForUrl(`http://127.0.0.1:${port}`), {path: '/version'}), (error: unknown) => {
		assert.ok(error instanceof NetworkError);
		assert.equal(error.message, `cannot reach 127.0.0.1:${port}: connection refused (is the cluster running?)`);
		return true;
	});
});

test('a server that accepts but never answers hits the request deadline; abort cancels', async (t) => {
	const stub = await startStub(() => {
		/* never answers */
	});
	t.after(() => stub.close());
	const access = accessForUrl(stub.url);
	await assert.rejects(request(access, {path: '/slow', timeoutMs: 200}), /no answer within 0\.2 s/);
	const controller = new AbortController();
	const pending = request(access, {path: '/slow', signal: controller.signal, timeoutMs: 0});
	setTimeout(() => controller.abort(), 20);
	await assert.rejects(pending, (error: Error) => error.name === 'AbortError');
	const streamController = new AbortController();
	const stream = openStream(access, {path: '/slow', signal: streamController.signal});
	streamController.abort();
	await assert.rejects(stream, (error: Error) => error.name === 'AbortError');
});

test('openStream resolves on 2xx headers and rejects other statuses with the Status message', async (t) => {
	const stub = await startStub((req, res) => {
		if (req.url.pathname === '/gone') return json(res, 410, statusBody(410, 'Expired', 'too old resource version: 3 (9)'));
		res.writeHead(200, {'Content-Type': 'application/json'});
		res.write('{"type":"ADDED"}\n');
	});
	t.after(() => stub.close());
	const access = accessForUrl(stub.url);
	await assert.rejects(openStream(access, {path: '/gone'}), (error: unknown) => error instanceof ApiError && error.status === 410);
	const controller = new AbortController();
	const response = await openStream(access, {path: '/stream', signal: controller.signal});
	const first = await new Promise<string>((resolve) => response.once('data', (chunk: Buffer) => resolve(chunk.toString())));
	assert.equal(first, '{"type":"ADDED"}\n');
	const closed = new Promise((resolve) => response.once('close', resolve));
	controller.abort();
	await closed;
});

test('the connect deadline covers the TLS handshake: a server that never completes it is reported quickly', async (t) => {
	const silent = net.createServer(() => {
		/* accepts TCP, never speaks TLS */
	});
	const sockets = new Set<net.Socket>();
	silent.on('connection', (socket) => sockets.add(socket));
	await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
	t.after(() => {
		for (const socket of sockets) socket.destroy();
		silent.close();
	});
	const {port} = silent.address() as net.AddressInfo;
	await assert.rejects(request(accessForUrl(`https://127.0.0.1:${port}`), {path: '/version', connectTimeoutMs: 200, timeoutMs: 0}), (error: unknown) => {
		assert.ok(error instanceof NetworkError);
		assert.equal(error.message, `cannot reach 127.0.0.1:${port}: no connection within 0.2 s`);
		return true;
	});
});
