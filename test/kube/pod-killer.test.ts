// PodKiller's wire format and outcome mapping against a scripted server (exact requests, odd answers).
// The guards against the real demo cluster, checking that nothing was deleted there: pod-killer.demo.test.ts.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type http from 'node:http';
import {accessForUrl} from '../../src/kube/access.js';
import {checkDeleteAccess, PodKiller, type PodKillerOptions} from '../../src/kube/pod-killer.js';
import type {PodView} from '../../src/kube/pod-watcher.js';
import {podFromObject, type Pod} from '../../src/model/pod.js';
import {json, rawPod, startStub, statusBody, type StubRequest} from './stub-api.js';

const directory = mkdtempSync(join(tmpdir(), 'podinvaders-killer-'));
test.after(() => rmSync(directory, {recursive: true, force: true}));

function viewOf(pods: Pod[]): PodView {
	return {get: (uid) => pods.find((pod) => pod.uid === uid), list: () => pods};
}

function owned(name: string, owner: string, ready = true, extra: Record<string, unknown> = {}): Pod {
	const raw = rawPod(name, {uid: `uid-${name}`});
	return podFromObject({
		...raw,
		metadata: {...raw.metadata, ownerReferences: [{kind: 'ReplicaSet', name: owner, uid: `rs-${owner}`, controller: true}], ...extra},
		status: {phase: 'Running', conditions: [{type: 'Ready', status: ready ? 'True' : 'False'}]},
	});
}

type Handler = (request: StubRequest, response: http.ServerResponse) => void;

async function killerWith(handler: Handler, pods: Pod[], options: Partial<PodKillerOptions> = {}) {
	const stub = await startStub(handler);
	const auditLog = join(directory, `audit-${Math.random().toString(36).slice(2)}.jsonl`);
	const killer = new PodKiller({
		access: accessForUrl(stub.url, {context: 'stub-ctx'}),
		namespace: 'default',
		labelSelector: 'app=demo',
		knownPods: viewOf(pods),
		auditLog,
		clock: () => Date.parse('2025-06-01T12:00:00Z'),
		...options,
	});
	const audit = () =>
		readFileSync(auditLog, 'utf8')
			.split('\n')
			.filter(Boolean)
			.map((line) => JSON.parse(line) as Record<string, unknown>);
	return {stub, killer, audit};
}

const accepted: Handler = (request, response) => {
	if (request.method === 'POST' && request.url.pathname.endsWith('/events')) return json(response, 201, {kind: 'Event'});
	json(response, 200, rawPod('x'));
};

test('a delete carries the uid precondition and grace period; the kill is recorded as an Event and in the audit log', async (t) => {
	const pod = owned('web-1', 'web');
	const sibling = owned('web-2', 'web');
	const {stub, killer, audit} = await killerWith(accepted, [pod, sibling], {gracePeriodSeconds: 3});
	t.after(() => stub.close());
	const result = await killer.kill({uid: pod.uid, name: 'web-1', actor: 'autopilot'});
	await killer.flush();
	assert.equal(result.outcome, 'deleted');
	assert.equal(result.message, 'deleted web-1 (grace 3 s)');
	const [deleteRequest, eventRequest] = stub.requests;
	assert.equal(deleteRequest!.method, 'DELETE');
	assert.equal(deleteRequest!.url.pathname, '/api/v1/namespaces/default/pods/web-1');
	assert.equal(deleteRequest!.url.searchParams.get('gracePeriodSeconds'), '3');
	assert.equal(deleteRequest!.url.searchParams.get('dryRun'), null);
	assert.deepEqual(JSON.parse(deleteRequest!.body), {kind: 'DeleteOptions', apiVersion: 'v1', preconditions: {uid: 'uid-web-1'}, gracePeriodSeconds: 3});
	assert.equal(eventRequest!.url.pathname, '/api/v1/namespaces/default/events');
	const event = JSON.parse(eventRequest!.body);
	assert.equal(event.reason, 'Killing');
	assert.equal(event.message, 'deleted by podinvaders (autopilot)');
	assert.deepEqual(event.involvedObject, {apiVersion: 'v1', kind: 'Pod', name: 'web-1', namespace: 'default', uid: 'uid-web-1'});
	assert.deepEqual(event.source, {component: 'podinvaders'});
	assert.equal(event.firstTimestamp, '2025-06-01T12:00:00Z');
	assert.deepEqual(audit(), [
		{
			time: '2025-06-01T12:00:00.000Z',
			context: 'stub-ctx',
			namespace: 'default',
			pod: 'web-1',
			uid: 'uid-web-1',
			actor: 'autopilot',
			dryRun: false,
			evict: false,
			outcome: 'deleted',
			message: 'deleted web-1 (grace 3 s)',
		},
	]);
	const again = await killer.kill({uid: pod.uid, name: 'web-1', actor: 'player'});
	assert.equal(again.outcome, 'refused', 'a pod already shot is terminating even before the watch says so');
	killer.enableDryRun();
	const rehearsal = await killer.kill({uid: sibling.uid, name: 'web-2', actor: 'player'});
	assert.equal(rehearsal.outcome, 'dry-run', 'dry run can be switched on at any time');
	assert.equal(stub.requests.at(-1)!.url.searchParams.get('dryRun'), 'All');
	assert.deepEqual(audit().map((line) => [line['outcome'], line['dryRun']]), [['deleted', false], ['refused', false], ['dry-run', true]]);
});

test('dry run sends dryRun=All and posts no Event; a forbidden Event is ignored quietly', async (t) => {
	const pod = owned('web-1', 'web');
	const {stub, killer} = await killerWith((request, response) => {
		if (request.url.pathname.endsWith('/events')) return json(response, 403, statusBody(403, 'Forbidden', 'events is forbidden'));
		json(response, 200, rawPod('x'));
	}, [pod], {dryRun: true});
	t.after(() => stub.close());
	const dry = await killer.kill({uid: pod.uid, name: 'web-1', actor: 'player'});
	assert.equal(dry.outcome, 'dry-run');
	assert.match(dry.message, /nothing was deleted/);
	assert.equal(stub.requests[0]!.url.searchParams.get('dryRun'), 'All');
	assert.deepEqual(JSON.parse(stub.requests[0]!.body).dryRun, ['All']);
	assert.equal(stub.requests.length, 1, 'no Event for a dry run');

	const second = owned('web-2', 'web');
	const real = await killerWith((request, response) => {
		if (request.url.pathname.endsWith('/events')) return json(response, 403, statusBody(403, 'Forbidden', 'events is forbidden'));
		json(response, 200, rawPod('x'));
	}, [second]);
	t.after(() => real.stub.close());
	assert.equal((await real.killer.kill({uid: second.uid, name: 'web-2', actor: 'player'})).outcome, 'deleted');
	await real.killer.flush();
	assert.equal(real.killer.stats.eventsFailed, 1);
});

test('server answers map to outcomes: 404 gone, 409 uid precondition gone, 403 failed naming the permission', async (t) => {
	const pods = ['a', 'b', 'c'].map((name) => owned(name, 'web'));
	const answers: Record<string, [number, unknown]> = {
		a: [404, statusBody(404, 'NotFound', 'pods "a" not found', {name: 'a', kind: 'pods'})],
		b: [409, statusBody(409, 'Conflict', 'Operation cannot be fulfilled on Pod "b": Precondition failed: UID in precondition: uid-b, UID in object meta: uid-new')],
		c: [403, statusBody(403, 'Forbidden', 'pods "c" is forbidden: User "viewer" cannot delete resource "pods" in API group "" in the namespace "default"')],
	};
	const {stub, killer, audit} = await killerWith((request, response) => {
		const name = request.url.pathname.split('/').pop()!;
		const [status, body] = answers[name]!;
		json(response, status, body);
	}, pods);
	t.after(() => stub.close());
	const outcomes = [];
	for (const pod of pods) outcomes.push(await killer.kill({uid: pod.uid, name: pod.name, actor: 'player'}));
	assert.deepEqual(outcomes.map((result) => result.outcome), ['gone', 'gone', 'failed']);
	assert.match(outcomes[1]!.message, /newer pod \(uid precondition failed\); nothing deleted/);
	assert.equal(outcomes[2]!.message, '403 forbidden: user "viewer" may not delete pods in namespace "default"; grant it with the Role in manifests/podinvaders-rbac.yml');
	assert.deepEqual(audit().map((line) => line['outcome']), ['gone', 'gone', 'failed']);
});

test('eviction: 201 evicted, 429 deflected by the PodDisruptionBudget, no Eviction API is a clear failure', async (t) => {
	const pods = ['ok', 'pdb', 'old'].map((name) => owned(name, `rs-${name}`));
	const {stub, killer} = await killerWith((request, response) => {
		const name = request.url.pathname.split('/').at(-2);
		if (request.url.pathname.endsWith('/events')) return json(response, 201, {});
		if (name === 'ok') return json(response, 201, {kind: 'Status', status: 'Success'});
		if (name === 'pdb') return json(response, 429, statusBody(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget."));
		response.writeHead(404, {'Content-Type': 'text/plain'});
		response.end('404 page not found');
	}, pods, {evict: true, gracePeriodSeconds: 0});
	t.after(() => stub.close());
	const results = [];
	for (const pod of pods) results.push(await killer.kill({uid: pod.uid, name: pod.name, actor: 'experiment'}));
	await killer.flush();
	assert.deepEqual(results.map((result) => result.outcome), ['evicted', 'deflected', 'failed']);
	assert.equal(results[1]!.message, "deflected: Cannot evict pod as it would violate the pod's disruption budget.");
	assert.match(results[2]!.message, /no Eviction API/);
	const eviction = stub.requests[0]!;
	assert.equal(eviction.method, 'POST');
	assert.equal(eviction.url.pathname, '/api/v1/namespaces/default/pods/ok/eviction');
	assert.deepEqual(JSON.parse(eviction.body), {
		apiVersion: 'policy/v1',
		kind: 'Eviction',
		metadata: {name: 'ok', namespace: 'default'},
		deleteOptions: {preconditions: {uid: 'uid-ok'}, gracePeriodSeconds: 0},
	});
	const event = stub.requests.find((request) => request.url.pathname.endsWith('/events'));
	assert.equal(JSON.parse(event!.body).message, 'evicted by podinvaders (experiment)');
});

test('min-ready counts shots in flight, and two quick shots at one pod cannot both pass', async (t) => {
	const pods = [owned('r1', 'web'), owned('r2', 'web'), owned('r3', 'web'), owned('r4', 'web', false)];
	let release: () => void = () => {};
	const gate = new Promise<void>((resolve) => (release = resolve));
	const {stub, killer} = await killerWith((request, response) => {
		if (request.url.pathname.endsWith('/events')) return json(response, 201, {});
		void gate.then(() => json(response, 200, rawPod('x')));
	}, pods, {minReady: 0.5, recordEvents: false});
	t.after(() => stub.close());
	// 4 pods of one owner, 3 Ready; a floor of ⌈0.5 × alive⌉.
	const first = killer.kill({uid: 'uid-r1', name: 'r1', actor: 'player'});
	const twice = await killer.kill({uid: 'uid-r1', name: 'r1', actor: 'player'});
	assert.equal(twice.outcome, 'refused');
	assert.match(twice.message, /already on its way/);
	const second = await killer.kill({uid: 'uid-r2', name: 'r2', actor: 'player'});
	assert.equal(second.outcome, 'refused', 'r1 in flight: 2 Ready of 3 alive, killing r2 would leave 1 < ⌈1.5⌉');
	assert.match(second.message, /^--min-ready: ReplicaSet web would have 1 Ready, below its floor of 2$/);
	const notReady = killer.kill({uid: 'uid-r4', name: 'r4', actor: 'player'});
	release();
	assert.equal((await first).outcome, 'deleted');
	assert.equal((await notReady).outcome, 'deleted', 'killing a pod that is not Ready does not lower the Ready count');
	assert.equal(stub.requests.length, 2);
});

test('checkDeleteAccess asks a SelfSubjectAccessReview; unknown answers do not block', async (t) => {
	let allowed = false;
	let status = 201;
	const stub = await startStub((_request, response) => json(response, status, {kind: 'SelfSubjectAccessReview', status: {allowed}}));
	t.after(() => stub.close());
	const access = accessForUrl(stub.url);
	assert.equal(await checkDeleteAccess(access, 'team-a'), false);
	const review = JSON.parse(stub.requests[0]!.body);
	assert.equal(stub.requests[0]!.url.pathname, '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews');
	assert.deepEqual(review.spec.resourceAttributes, {namespace: 'team-a', verb: 'delete', resource: 'pods'});
	allowed = true;
	assert.equal(await checkDeleteAccess(access, 'team-a', {evict: true}), true);
	assert.deepEqual(JSON.parse(stub.requests[1]!.body).spec.resourceAttributes, {namespace: 'team-a', verb: 'create', resource: 'pods', subresource: 'eviction'});
	status = 404;
	assert.equal(await checkDeleteAccess(access, 'team-a'), true, 'no review API: the first shot will tell');
});

test('an audit log that cannot be written is a usage error at once, not after a kill', () => {
	assert.throws(
		() => new PodKiller({access: accessForUrl('http://127.0.0.1:9'), namespace: 'default', knownPods: viewOf([]), auditLog: join(directory, 'no-such-dir', 'a.jsonl')}),
		/--audit-log .*cannot write \(ENOENT\)/,
	);
});
