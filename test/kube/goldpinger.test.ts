import {test} from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {
	checkAllUrl,
	createGoldpingerPoller,
	defaultGoldpingerLimits,
	directFetchText,
	GoldpingerPoller,
	normaliseCheckAll,
	parseCheckAll,
	parseGoldpingerService,
	serviceProxyPath,
	type FetchText,
} from '../../src/kube/goldpinger.js';
import {accessForUrl} from '../../src/kube/access.js';
import type {GoldpingerResult, GoldpingerStatus} from '../../src/model/goldpinger.js';
import {checkAllV30, checkAllWithTimeout} from './goldpinger-fixtures.js';

function parsed(raw: unknown, limits = defaultGoldpingerLimits): GoldpingerResult {
	const result = normaliseCheckAll(raw, 1000, limits);
	if ('error' in result) throw new Error(result.error);
	return result;
}

test('parses a 3.x check_all with a timed-out and a refused peer', () => {
	const result = parsed(checkAllWithTimeout);
	assert.deepEqual(
		result.sources.map((source) => [source.name, source.ok, source.pings.length]),
		[
			['goldpinger-4hctt', true, 3],
			['goldpinger-jj9mw', false, 0],
			['goldpinger-tbdsb', true, 3],
		],
	);
	const [first] = result.sources;
	const toDead = first!.pings.find((ping) => ping.target === 'goldpinger-jj9mw')!;
	assert.equal(toDead.ok, false);
	assert.equal(toDead.timedOut, true);
	assert.equal(toDead.statusCode, 504);
	assert.equal(toDead.responseTimeMs, 300);
	assert.match(toDead.error!, /context deadline exceeded/);
	// response-time-ms omitted = 0 (sub-millisecond), not missing data
	const self = first!.pings.find((ping) => ping.target === 'goldpinger-4hctt')!;
	assert.equal(self.ok, true);
	assert.equal(self.responseTimeMs, 0);
	const refused = result.sources[2]!.pings.find((ping) => ping.target === 'goldpinger-jj9mw')!;
	assert.equal(refused.timedOut, false);
	assert.match(refused.error!, /connection refused/);
	assert.equal(result.sources[1]!.error, 'Get "http://10.32.2.2:80/check": context deadline exceeded');
	assert.deepEqual(
		result.hosts.map((host) => host.name),
		['goldpinger-4hctt', 'goldpinger-jj9mw', 'goldpinger-tbdsb'],
	);
	assert.equal(result.flavour, 'unknown');
	assert.equal(result.truncated, false);
	assert.equal(result.receivedAt, 1000);
});

test('tolerates the 3.0 shape (dnsResults) and the 3.6+ one (probeResults)', () => {
	const v30 = parsed(checkAllV30);
	assert.equal(v30.flavour, '3.0-3.5');
	assert.equal(v30.sources[0]!.pings[1]!.responseTimeMs, 251);
	const v310 = parsed({...checkAllV30, dnsResults: undefined, probeResults: {'example.com': {'goldpinger-a': [{protocol: 'dns', 'response-time-ms': 3}]}}});
	assert.equal(v310.flavour, '3.6+');
	assert.equal(v310.sources.length, 2);
	// `hosts: null` (zero pods) and responses only
	assert.deepEqual(parsed({hosts: null, responses: {}}).sources, []);
});

test('rejects replies that are not Goldpinger', () => {
	for (const body of ['', 'not json', '[]', '42', 'null', '{"kind":"Status","message":"x"}']) {
		const result = parseCheckAll(body, 0);
		assert.ok('error' in result, `expected an error for ${JSON.stringify(body)}`);
	}
	assert.ok('error' in parseCheckAll('x'.repeat(100), 0, {...defaultGoldpingerLimits, maxBodyChars: 50}));
});

test('wrong types never crash and never leak through', () => {
	const hostile = {
		hosts: [null, 7, {podName: 5}, {podName: 'ok-pod', podIP: {}}, 'x'],
		responses: {
			'a-pod': 'string instead of object',
			'b-pod': {OK: 'true', PodIP: 12, response: {podResults: []}},
			'c-pod': {
				OK: true,
				response: {
					podResults: {
						'd-pod': {OK: 1, 'response-time-ms': '250', 'status-code': 'x', error: {nested: true}},
						'e-pod': {OK: true, 'response-time-ms': -5},
						'f-pod': {OK: true, 'response-time-ms': Number.MAX_VALUE},
						'g-pod': null,
						'': {OK: true},
					},
				},
			},
			'': {OK: true},
		},
	};
	const result = parsed(hostile);
	assert.deepEqual(
		result.sources.map((source) => [source.name, source.ok]),
		[
			['a-pod', false],
			['b-pod', false],
			['c-pod', true],
		],
	);
	const pings = result.sources[2]!.pings;
	assert.deepEqual(
		pings.map((ping) => [ping.target, ping.ok, ping.responseTimeMs, ping.statusCode]),
		[
			['d-pod', false, 0, undefined],
			['e-pod', true, 0, undefined],
			['f-pod', true, 3_600_000, undefined],
			['g-pod', false, 0, undefined],
		],
	);
	for (const ping of pings) if (!ping.ok) assert.equal(typeof ping.error, 'string');
	assert.deepEqual(result.hosts, [{name: 'ok-pod'}]);
});

test('control characters and escapes in keys and errors are stripped', () => {
	const result = parsed({
		responses: {
			'evil\u001b[2J\u001b]0;pwned\u0007-pod': {
				OK: true,
				response: {
					podResults: {
						'x\u009b31mz': {OK: false, error: 'Get "http://x/ping":\r\n\u001b[31mboom\u001b[0m\u0000 deadline exceeded', 'status-code': 504},
					},
				},
			},
		},
	});
	const source = result.sources[0]!;
	assert.equal(source.name, 'evil-pod');
	const ping = source.pings[0]!;
	assert.equal(ping.target, 'xz');
	assert.equal(ping.error, 'Get "http://x/ping": boom deadline exceeded');
	assert.equal(ping.timedOut, true);
	for (const text of [source.name, ping.target, ping.error!]) assert.doesNotMatch(text, /[\u0000-\u001f\u007f-\u009f]/);
});

test('huge maps are capped and marked truncated', () => {
	const podResults: Record<string, unknown> = {};
	for (let i = 0; i < 300; i++) podResults[`t-${i}`] = {OK: true, 'response-time-ms': i};
	const responses: Record<string, unknown> = {};
	for (let i = 0; i < 50; i++) responses[`s-${i}`] = {OK: true, response: {podResults}};
	const limits = {...defaultGoldpingerLimits, maxSources: 20, maxPingsPerSource: 100, maxPings: 1000};
	const result = parsed({responses, hosts: []}, limits);
	assert.equal(result.truncated, true);
	assert.equal(result.sources.length, 20);
	const total = result.sources.reduce((sum, source) => sum + source.pings.length, 0);
	assert.ok(total <= 1000, `total pings ${total}`);
	assert.ok(result.sources.every((source) => source.pings.length <= 100));
	// A very long key is bounded too
	const long = parsed({responses: {['p'.repeat(10_000)]: {OK: true}}});
	assert.ok(long.sources[0]!.name.length <= 253);
});

test('service and URL helpers', () => {
	assert.deepEqual(parseGoldpingerService(undefined), {name: 'goldpinger', port: '8080'});
	assert.deepEqual(parseGoldpingerService('gp:http'), {name: 'gp', port: 'http'});
	assert.ok('error' in parseGoldpingerService('Bad Name'));
	assert.ok('error' in parseGoldpingerService('gp:80:90'));
	assert.equal(
		serviceProxyPath('default', {name: 'goldpinger', port: '8080'}),
		'/api/v1/namespaces/default/services/goldpinger:8080/proxy/check_all',
	);
	assert.equal(checkAllUrl('http://localhost:8080'), 'http://localhost:8080/check_all');
	assert.equal(checkAllUrl('http://localhost:8080/check_all'), 'http://localhost:8080/check_all');
	assert.ok(typeof checkAllUrl('ftp://x') !== 'string');
	assert.ok(typeof checkAllUrl('::') !== 'string');
});

/** A fetchText that answers from a script of replies, one per call (the last repeats). */
function scripted(replies: Array<{status: number; body: string} | Error>): {fetchText: FetchText; paths: string[]} {
	const paths: string[] = [];
	let index = 0;
	return {
		paths,
		fetchText: async (path) => {
			paths.push(path);
			const reply = replies[Math.min(index++, replies.length - 1)]!;
			if (reply instanceof Error) throw reply;
			return reply;
		},
	};
}

test('poller: ok → stale keeps the last good result → ok again', async () => {
	let clock = 0;
	const {fetchText, paths} = scripted([
		{status: 200, body: JSON.stringify(checkAllWithTimeout)},
		new Error('socket hang up'),
		{status: 500, body: '{"kind":"Status","message":"error trying to reach service: dial tcp: connect: connection refused"}'},
		{status: 200, body: JSON.stringify(checkAllV30)},
	]);
	const poller = new GoldpingerPoller({fetchText, path: '/check_all', source: 'svc goldpinger:8080', now: () => clock});
	const seen: GoldpingerStatus[] = [];
	poller.subscribe((status) => seen.push(status));
	assert.equal(seen[0]!.state, 'waiting');

	clock = 10;
	const ok = await poller.pollOnce();
	assert.equal(ok.state, 'ok');
	assert.equal(ok.result!.receivedAt, 10);

	clock = 2010;
	const stale = await poller.pollOnce();
	assert.equal(stale.state, 'stale');
	assert.equal(stale.result, ok.result);
	assert.match(stale.message!, /socket hang up/);

	const stale2 = await poller.pollOnce();
	assert.equal(stale2.state, 'stale');
	assert.match(stale2.message!, /HTTP 500: error trying to reach service/);

	clock = 4000;
	const again = await poller.pollOnce();
	assert.equal(again.state, 'ok');
	assert.equal(again.result!.receivedAt, 4000);
	assert.deepEqual(paths, ['/check_all', '/check_all', '/check_all', '/check_all']);
	assert.deepEqual(
		seen.map((status) => status.state),
		['waiting', 'ok', 'stale', 'stale', 'ok'],
	);
});

test('poller: no service (404, 503 no endpoints) → off with one hint; errors without data → error', async () => {
	for (const reply of [
		{status: 404, body: '{"kind":"Status","message":"services \\"goldpinger\\" not found","code":404}'},
		{status: 503, body: '{"kind":"Status","message":"no endpoints available for service \\"goldpinger\\"","code":503}'},
	]) {
		const poller = new GoldpingerPoller({...scripted([reply]), path: '/x', source: 'svc goldpinger:8080', offHint: 'no Goldpinger here'});
		const status = await poller.pollOnce();
		assert.equal(status.state, 'off');
		assert.equal(status.message, 'no Goldpinger here');
	}
	const forbidden = new GoldpingerPoller({...scripted([{status: 403, body: '{}'}]), path: '/x', source: 's'});
	const status = await forbidden.pollOnce();
	assert.equal(status.state, 'error');
	assert.match(status.message!, /services\/proxy/);
	const garbage = new GoldpingerPoller({...scripted([{status: 200, body: '<html>\u001b[2Jhello</html>'}]), path: '/x', source: 's'});
	const bad = await garbage.pollOnce();
	assert.equal(bad.state, 'error');
	assert.doesNotMatch(bad.message!, /\u001b/);
});

test('poller: a listener that throws does not stop it; start/stop polls on a timer and stops cleanly', async (t) => {
	let calls = 0;
	const fetchText: FetchText = async () => {
		calls++;
		return {status: 200, body: JSON.stringify(checkAllV30)};
	};
	const poller = new GoldpingerPoller({fetchText, path: '/x', source: 's', refreshMs: 100});
	t.after(() => poller.stop());
	poller.subscribe(() => {
		throw new Error('listener bug');
	});
	const states: string[] = [];
	await new Promise<void>((resolve) => {
		poller.subscribe((status) => {
			states.push(status.state);
			if (states.filter((state) => state === 'ok').length === 3) resolve();
		});
		poller.start();
		poller.start(); // idempotent
	});
	poller.stop();
	const after = calls;
	await new Promise((resolve) => setTimeout(resolve, 250));
	assert.equal(calls, after, 'no poll after stop');
	assert.equal(calls, 3);
});

test('poller: stop() aborts a poll in flight', async () => {
	let aborted = false;
	const fetchText: FetchText = (_path, signal) =>
		new Promise((_resolve, reject) => {
			signal.addEventListener('abort', () => {
				aborted = true;
				reject(new Error('aborted'));
			});
		});
	const poller = new GoldpingerPoller({fetchText, path: '/x', source: 's'});
	poller.start();
	await new Promise((resolve) => setImmediate(resolve));
	poller.stop();
	await new Promise((resolve) => setImmediate(resolve));
	assert.equal(aborted, true);
});

test('real HTTP: service proxy path through the API-server helper, and a direct URL with a body cap', async (t) => {
	const requests: string[] = [];
	const server = http.createServer((req, res) => {
		requests.push(req.url ?? '');
		if (req.url === '/huge/check_all') {
			res.end('x'.repeat(5000));
			return;
		}
		res.setHeader('content-type', 'application/json');
		res.end(`${JSON.stringify(checkAllWithTimeout)}\n`);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
	const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	const viaProxy = createGoldpingerPoller(accessForUrl(base), {namespace: 'chaos', service: 'goldpinger:8080'});
	assert.ok(viaProxy instanceof GoldpingerPoller);
	const status = await viaProxy.pollOnce();
	assert.equal(status.state, 'ok');
	assert.equal(status.source, 'svc goldpinger:8080');
	assert.equal(requests.at(-1), '/api/v1/namespaces/chaos/services/goldpinger:8080/proxy/check_all');

	const direct = createGoldpingerPoller(accessForUrl(base), {namespace: 'x', url: base});
	assert.ok(direct instanceof GoldpingerPoller);
	assert.equal((await direct.pollOnce()).state, 'ok');
	assert.equal(requests.at(-1), '/check_all');

	const capped = directFetchText(1000);
	await assert.rejects(capped(`${base}/huge/check_all`, new AbortController().signal), /larger than 1000 bytes/);
	assert.ok('error' in createGoldpingerPoller(accessForUrl(base), {namespace: 'x', service: 'Not A Service'}));
});
