// PodWatcher against a scripted server: exact bytes, splits and faults. The randomised end-to-end check
// against the demo cluster is in pod-watcher.demo.test.ts.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import type http from 'node:http';
import {accessForUrl} from '../../src/kube/access.js';
import {backoffDelay, PodWatcher, type PodWatcherOptions} from '../../src/kube/pod-watcher.js';
import type {WatchEvent} from '../../src/model/watch.js';
import {json, rawPod, startStub, statusBody, waitFor, type StubRequest} from './stub-api.js';

type Step = (request: StubRequest, response: http.ServerResponse) => void;

/** Serves list and watch requests from two scripts, in order; the last step of each repeats. */
async function scripted(lists: Step[], watches: Step[]) {
	let listIndex = 0;
	let watchIndex = 0;
	const open = new Set<http.ServerResponse>();
	const stub = await startStub((request, response) => {
		const isWatch = request.url.searchParams.get('watch') === 'true';
		const steps = isWatch ? watches : lists;
		const index = isWatch ? watchIndex++ : listIndex++;
		open.add(response);
		response.on('close', () => open.delete(response));
		steps[Math.min(index, steps.length - 1)]!(request, response);
	});
	return {
		stub,
		listRequests: () => stub.requests.filter((r) => r.url.searchParams.get('watch') !== 'true'),
		watchRequests: () => stub.requests.filter((r) => r.url.searchParams.get('watch') === 'true'),
	};
}

const list = (items: unknown[], resourceVersion: string, next?: string): Step => (_request, response) =>
	json(response, 200, {kind: 'PodList', apiVersion: 'v1', metadata: {resourceVersion, ...(next ? {continue: next} : {})}, items});

const line = (type: string, object: unknown) => `${JSON.stringify({type, object})}\n`;

const streamOf = (body: string, options: {end?: boolean; pieces?: number} = {}): Step => (_request, response) => {
	response.writeHead(200, {'Content-Type': 'application/json'});
	response.flushHeaders();
	// Cut the bytes at awkward places, so lines (and UTF-8 characters) straddle chunks.
	const bytes = Buffer.from(body, 'utf8');
	const pieces = options.pieces ?? 7;
	const size = Math.max(1, Math.ceil(bytes.length / pieces));
	let offset = 0;
	const writeNext = () => {
		if (offset >= bytes.length) {
			if (options.end) response.end();
			return;
		}
		response.write(bytes.subarray(offset, offset + size));
		offset += size;
		setTimeout(writeNext, 2);
	};
	writeNext();
};

const hang: Step = (_request, response) => {
	response.writeHead(200, {'Content-Type': 'application/json'});
	response.flushHeaders();
};

function watcherFor(url: string, extra: Partial<PodWatcherOptions> = {}) {
	let tick = 0;
	const watcher = new PodWatcher({
		access: accessForUrl(url),
		namespace: 'default',
		labelSelector: 'app=demo',
		pageSize: 1,
		watchTimeoutSeconds: 30,
		backoff: {initialMs: 10, maxMs: 40, jitter: 0.5},
		random: () => 0.5,
		now: () => ++tick,
		...extra,
	});
	const events: WatchEvent[] = [];
	watcher.subscribe((event) => events.push(event));
	return {watcher, events};
}

const names = (events: readonly WatchEvent[]) =>
	events.flatMap((event) =>
		event.type === 'connection'
			? [`state:${event.state.kind}${event.state.kind === 'listing' ? `:${event.state.loaded}` : ''}`]
			: event.type === 'snapshot'
				? [`snapshot:${event.pods.map((pod) => pod.name).sort().join(',')}`]
				: [`${event.type}:${event.pod.name}@${event.pod.resourceVersion}`],
	);

test('paginated list → snapshot → watch with bookmarks; split chunks, malformed lines skipped; resume from the bookmark', async (t) => {
	const a = rawPod('a', {rv: '3'});
	const b = rawPod('b', {rv: '4'});
	const c = rawPod('c-ünïcode', {rv: '11'});
	const {stub, listRequests, watchRequests} = await scripted(
		[(request, response) => (request.url.searchParams.get('continue') === 'page2' ? list([b], '10')(request, response) : list([a], '10', 'page2')(request, response))],
		[
			streamOf(
				line('ADDED', c) +
					'{"type":"ADDED","object":{"metadata":\n' + // truncated JSON
					'not json at all\n' +
					line('MODIFIED', {...a, metadata: {...a.metadata, resourceVersion: '12'}}) +
					line('BOOKMARK', {kind: 'Pod', apiVersion: 'v1', metadata: {resourceVersion: '15'}}) +
					line('WHATEVER', {}),
				{end: true},
			),
			streamOf(line('DELETED', {...b, metadata: {...b.metadata, resourceVersion: '16'}})),
		],
	);
	t.after(() => stub.close());
	const {watcher, events} = watcherFor(stub.url);
	watcher.start();
	await waitFor(() => names(events).includes('deleted:b@16'), 'the delete on the second watch');
	await watcher.stop();

	assert.deepEqual(names(events), [
		'state:connecting',
		'state:listing:0',
		'state:listing:1',
		'state:listing:2',
		'snapshot:a,b',
		'state:live',
		'added:c-ünïcode@11',
		'modified:a@12',
		'deleted:b@16',
	]);
	assert.equal(watcher.stats.malformedLines, 3, 'two broken lines and one unknown type');
	assert.equal(watcher.stats.bookmarks, 1);
	assert.deepEqual(watcher.list().map((pod) => pod.name).sort(), ['a', 'c-ünïcode']);
	assert.equal(listRequests().length, 2, 'no relist after a clean end');
	assert.equal(listRequests()[0]!.url.searchParams.get('limit'), '1');
	assert.equal(listRequests()[0]!.url.searchParams.get('labelSelector'), 'app=demo');
	const [first, second] = watchRequests();
	assert.equal(first!.url.searchParams.get('resourceVersion'), '10');
	assert.equal(first!.url.searchParams.get('allowWatchBookmarks'), 'true');
	assert.equal(first!.url.searchParams.get('timeoutSeconds'), '30');
	assert.equal(first!.url.searchParams.get('labelSelector'), 'app=demo');
	assert.equal(second!.url.searchParams.get('resourceVersion'), '15', 'resumes from the bookmark');
	const stamps = events.map((event) => event.at);
	assert.deepEqual(stamps, [...stamps].sort((x, y) => x - y), 'stamps come from the injected monotonic clock');
});

test('410 in the stream and as HTTP status → relist and emit the diff, so listeners equal the server', async (t) => {
	const a = rawPod('a', {rv: '1'});
	const b = rawPod('b', {rv: '1'});
	const c = rawPod('c', {rv: '7'});
	const a2 = {...a, metadata: {...a.metadata, resourceVersion: '6'}};
	const d = rawPod('d', {rv: '9'});
	const {stub, listRequests} = await scripted(
		[list([a, b], '5'), list([a2, c], '8'), list([c, d], '9')],
		[
			streamOf(line('ERROR', statusBody(410, 'Expired', 'too old resource version: 5 (8)'))),
			(_request, response) => json(response, 410, statusBody(410, 'Gone', 'too old')),
			hang,
		],
	);
	t.after(() => stub.close());
	const {watcher, events} = watcherFor(stub.url, {pageSize: 100});
	const late: WatchEvent[] = [];
	watcher.start();
	await waitFor(() => listRequests().length === 3 && watcher.state.kind === 'live', 'two relists');
	watcher.subscribe((event) => late.push(event));
	await watcher.stop();
	const changes = names(events).filter((name) => !name.startsWith('state:'));
	assert.deepEqual(changes, ['snapshot:a,b', 'deleted:b@1', 'modified:a@6', 'added:c@7', 'deleted:a@6', 'added:d@9']);
	assert.equal(watcher.stats.relistsAfterGone, 2);
	assert.deepEqual(watcher.list().map((pod) => pod.name).sort(), ['c', 'd']);
	assert.deepEqual(names(late), ['state:live', 'snapshot:c,d'], 'a late listener gets the state and the current snapshot');
});

test('403 on list → error state with the missing permission, retried slowly until it works', async (t) => {
	const forbidden: Step = (_request, response) =>
		json(response, 403, statusBody(403, 'Forbidden', 'pods is forbidden: User "viewer" cannot list resource "pods" in API group "" in the namespace "default"'));
	const {stub, listRequests} = await scripted([forbidden, forbidden, list([rawPod('a')], '3')], [hang]);
	t.after(() => stub.close());
	const {watcher, events} = watcherFor(stub.url, {forbiddenRetryMs: 20});
	watcher.start();
	await waitFor(() => watcher.state.kind === 'live', 'recovery');
	await watcher.stop();
	const errors = events.flatMap((event) => (event.type === 'connection' && event.state.kind === 'error' ? [event.state.error] : []));
	assert.equal(errors.length, 2);
	assert.equal(errors[0], '403 forbidden: user "viewer" may not list pods in namespace "default"; grant it with the Role in manifests/podinvaders-rbac.yml');
	assert.equal(listRequests().length, 3);
});

test('a broken connection or a 5xx → reconnecting with backoff, resuming from the last RV without relisting', async (t) => {
	const x = rawPod('x', {rv: '6'});
	const {stub, listRequests, watchRequests} = await scripted(
		[list([], '5')],
		[
			(_request, response) => {
				response.writeHead(200, {'Content-Type': 'application/json'});
				response.write(line('ADDED', x));
				setTimeout(() => response.socket?.destroy(), 20);
			},
			(_request, response) => json(response, 500, statusBody(500, 'InternalError', 'etcd hiccup')),
			streamOf(line('ERROR', statusBody(500, 'InternalError', 'watch chan error'))),
			hang,
		],
	);
	t.after(() => stub.close());
	const {watcher, events} = watcherFor(stub.url);
	watcher.start();
	await waitFor(() => watchRequests().length === 4 && watcher.state.kind === 'live', 'the fourth watch');
	await watcher.stop();
	const reconnecting = events.flatMap((event) => (event.type === 'connection' && event.state.kind === 'reconnecting' ? [event.state] : []));
	assert.deepEqual(
		reconnecting.map((state) => [state.attempt, state.retryInMs]),
		[
			[1, 10],
			[2, 20],
			[3, 40],
		],
		'doubling, capped at maxMs (random 0.5 = no jitter offset)',
	);
	assert.match(reconnecting[0]!.error ?? '', /^lost the connection to 127\.0\.0\.1:\d+: the watch connection/);
	assert.match(reconnecting[1]!.error ?? '', /^server error 500 from 127\.0\.0\.1:\d+: etcd hiccup$/);
	assert.match(reconnecting[2]!.error ?? '', /watch chan error/);
	assert.equal(listRequests().length, 1);
	assert.deepEqual(watchRequests().slice(1).map((r) => r.url.searchParams.get('resourceVersion')), ['6', '6', '6']);
});

test('a silent watch is torn down and re-established; stop() cuts a long backoff short', async (t) => {
	const {stub, watchRequests} = await scripted([list([rawPod('a')], '3')], [hang, hang, (_request, response) => json(response, 503, {})]);
	t.after(() => stub.close());
	const {watcher, events} = watcherFor(stub.url, {staleAfterMs: 50, backoff: {initialMs: 600_000, maxMs: 600_000, jitter: 0}});
	watcher.start();
	await waitFor(() => watcher.state.kind === 'reconnecting' && watcher.stats.failures === 1, 'the 503 after two stale watches');
	assert.equal(watcher.stats.staleWatches, 2);
	assert.ok(events.some((event) => event.type === 'connection' && event.state.kind === 'reconnecting' && /silent/.test(event.state.error ?? '')));
	assert.equal(watchRequests().length, 3);
	await watcher.stop(); // would wait 10 minutes if stop() did not wake the backoff
	watcher.start();
	await waitFor(() => watcher.stats.lists === 2, 'a restart relists');
	await watcher.stop();
});

test('backoff doubles from initialMs, is capped, and jitters within ±jitter', () => {
	const backoff = {initialMs: 500, maxMs: 10_000, jitter: 0.2};
	assert.equal(backoffDelay(1, backoff, () => 0.5), 500);
	assert.equal(backoffDelay(3, backoff, () => 0.5), 2000);
	assert.equal(backoffDelay(10, backoff, () => 0.5), 10_000);
	assert.equal(backoffDelay(1, backoff, () => 0), 400);
	assert.equal(backoffDelay(1, backoff, () => 1), 600);
	assert.equal(backoffDelay(30, backoff, () => 1), 10_000, 'jitter never exceeds the cap');
});
