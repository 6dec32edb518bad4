// PodKiller against each backend: a delete with a grace period (Terminating, then gone), the uid precondition
// (a name reused by a newer pod is never hit: 409, nothing deleted), server-side dry run (nothing deleted), and
// a user without delete permission (403 mapped to one line naming verb, resource and namespace).
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {request} from '../../src/kube/http.js';
import {checkDeleteAccess, PodKiller, type PodKillerOptions} from '../../src/kube/pod-killer.js';
import {PodWatcher, type PodView} from '../../src/kube/pod-watcher.js';
import type {Pod} from '../../src/model/pod.js';
import type {WatchEvent} from '../../src/model/watch.js';
import {forEachBackend} from './backend.js';

/** uid → "name rv terminating?": to prove the server did not change. */
const state = (pods: readonly Pod[]) => new Map(pods.map((pod) => [pod.uid, `${pod.name} rv=${pod.resourceVersion}${pod.deletionTimestamp ? ' terminating' : ''}`]));

forEachBackend({}, (name, backend) => {
	let namespace = '';
	let watcher: PodWatcher;
	const events: WatchEvent[] = [];
	const killer = (options: Partial<PodKillerOptions> = {}) =>
		new PodKiller({access: backend().access, namespace, labelSelector: 'app=target', knownPods: watcher, recordEvents: false, ...options});
	/** The Deployment's Ready pods (bare pods of a test do not count). */
	const ready = () => watcher.list().filter((pod) => pod.owner?.kind === 'ReplicaSet' && pod.ready && !pod.deletionTimestamp);

	// Runs after the backend's own before hook (registered first).
	before(async () => {
		namespace = await backend().createNamespace('contract-delete');
		// Pods that take their time to stop (30 s, as by default), so a graceful delete stays visible a while.
		await backend().createDeployment(namespace, 'target', 3, {app: 'target'}, 30);
		watcher = new PodWatcher({access: backend().access, namespace, labelSelector: 'app=target'});
		watcher.subscribe((event) => events.push(event));
		watcher.start();
		await backend().waitFor(() => ready().length === 3, 'three Ready pods in view');
	});
	after(() => watcher?.stop());

	test(`[${name}] delete with a grace period: the pod is Terminating, then gone`, async () => {
		const b = backend();
		const victim = ready()[0]!;
		const result = await killer({gracePeriodSeconds: 2}).kill({uid: victim.uid, name: victim.name, actor: 'player'});
		assert.equal(result.outcome, 'deleted', result.message);
		await b.waitFor(() => !watcher.get(victim.uid), 'the victim gone from view');
		const seen = events.filter((event) => (event.type === 'modified' || event.type === 'deleted') && event.pod.uid === victim.uid);
		const terminating = seen.find((event) => event.type === 'modified' && event.pod.deletionTimestamp !== undefined);
		assert.ok(terminating && terminating.type === 'modified', `a Terminating state came first: ${seen.map((event) => event.type).join(', ')}`);
		assert.equal(terminating.pod.status, 'Terminating');
		assert.equal(terminating.pod.deletionGracePeriodSeconds, 2, 'the grace period asked for, not the pod spec\'s 30');
		assert.equal(seen.at(-1)?.type, 'deleted');
		// Removed as kube-apiserver removes every pod: first written with grace 0 (MODIFIED), then DELETED.
		const last = seen.at(-2);
		assert.ok(last?.type === 'modified' && last.pod.deletionGracePeriodSeconds === 0, 'the final grace-0 write came before DELETED');
		assert.ok(!(await b.listPods(namespace, 'app=target')).some((pod) => pod.uid === victim.uid), 'gone from the server');
	});

	test(`[${name}] uid precondition: a name reused by a newer pod is not deleted (409)`, async () => {
		const b = backend();
		const old = await b.createPod(namespace, 'stateful-0', {app: 'target'});
		await b.waitFor(() => watcher.get(old.uid)?.ready === true, 'stateful-0 Ready in view');
		// The view the shot is aimed with, taken before the pod is replaced under the same name.
		const frozen = watcher.list();
		const staleView: PodView = {get: (uid) => frozen.find((pod) => pod.uid === uid), list: () => frozen};
		await b.deletePodAsSomeoneElse(namespace, 'stateful-0', 0);
		await b.waitFor(async () => !(await b.listPods(namespace)).some((pod) => pod.uid === old.uid), 'the old stateful-0 gone');
		const newer = await b.createPod(namespace, 'stateful-0', {app: 'target'});
		assert.notEqual(newer.uid, old.uid);

		const result = await killer({knownPods: staleView}).kill({uid: old.uid, name: old.name, actor: 'player'});
		assert.equal(result.outcome, 'gone', result.message);
		assert.match(result.message, /^stateful-0 now belongs to a newer pod \(uid precondition failed\); nothing deleted$/);
		const still = (await b.listPods(namespace)).find((pod) => pod.name === 'stateful-0');
		assert.equal(still?.uid, newer.uid);
		assert.equal(still?.deletionTimestamp, undefined, 'the newer pod is untouched');

		// The raw answer PodKiller read: 409 Conflict, a Status that names the precondition.
		const response = await request(b.access, {
			method: 'DELETE',
			path: `/api/v1/namespaces/${namespace}/pods/stateful-0`,
			body: {apiVersion: 'v1', kind: 'DeleteOptions', preconditions: {uid: old.uid}},
		});
		const status = JSON.parse(response.body.toString('utf8')) as {kind?: string; reason?: string; code?: number; message?: string; details?: {name?: string; kind?: string}};
		assert.equal(response.status, 409);
		// details.kind is the kind here ("Pod"), not the resource ("pods") as in most Status answers.
		assert.deepEqual([status.kind, status.reason, status.code, status.details?.name, status.details?.kind], ['Status', 'Conflict', 409, 'stateful-0', 'Pod']);
		assert.equal(
			status.message,
			`Operation cannot be fulfilled on Pod "stateful-0": the UID in the precondition (${old.uid}) does not match the UID in record (${newer.uid}). The object might have been deleted and then recreated`,
		);
		await b.deletePodAsSomeoneElse(namespace, 'stateful-0', 0);
	});

	test(`[${name}] dry run: the server answers, nothing is deleted`, async () => {
		const b = backend();
		await b.waitFor(() => ready().length === 3, 'three Ready pods');
		const before = state(await b.listPods(namespace));
		const victim = ready()[0]!;
		const result = await killer({dryRun: true}).kill({uid: victim.uid, name: victim.name, actor: 'experiment'});
		assert.equal(result.outcome, 'dry-run', result.message);
		assert.equal(result.message, `dry run: the server would delete ${victim.name}; nothing was deleted`);
		assert.deepEqual(state(await b.listPods(namespace)), before, 'no pod deleted or changed');
	});

	test(`[${name}] dry run lives in the body: beside a body, ?dryRun=All is ignored and the pod is deleted`, async () => {
		const b = backend();
		const pod = await b.createPod(namespace, 'query-dry-run', {app: 'elsewhere'});
		await b.waitFor(async () => (await b.listPods(namespace, 'app=elsewhere'))[0]?.phase === 'Running', 'the pod Running');
		const path = `/api/v1/namespaces/${namespace}/pods/query-dry-run`;
		const inBody = await request(b.access, {method: 'DELETE', path, body: {kind: 'DeleteOptions', apiVersion: 'v1', dryRun: ['All']}});
		assert.equal(inBody.status, 200);
		assert.equal((await b.listPods(namespace, 'app=elsewhere'))[0]?.deletionTimestamp, undefined, 'dryRun in the body: nothing deleted');
		// kube-apiserver reads DeleteOptions from the body when there is one, else from the query, never both.
		const inQuery = await request(b.access, {method: 'DELETE', path, query: {dryRun: 'All'}, body: {kind: 'DeleteOptions', apiVersion: 'v1', preconditions: {uid: pod.uid}}});
		assert.equal(inQuery.status, 200);
		await b.waitFor(async () => (await b.listPods(namespace, 'app=elsewhere')).every((left) => left.deletionTimestamp !== undefined), 'the pod deleted for real');
	});

	test(`[${name}] 403 on delete: one line naming verb, resource and namespace; nothing deleted`, async (t) => {
		const b = backend();
		await b.waitFor(() => ready().length === 3, 'three Ready pods');
		// The limited user may watch: its own watcher sees the pods.
		const limitedWatcher = new PodWatcher({access: b.limitedAccess, namespace, labelSelector: 'app=target'});
		t.after(() => limitedWatcher.stop());
		limitedWatcher.start();
		await b.waitFor(() => limitedWatcher.state.kind === 'live' && limitedWatcher.list().length >= 3, 'the limited user\'s view');
		assert.equal(await checkDeleteAccess(b.limitedAccess, namespace), false, 'SelfSubjectAccessReview says no → spectator mode');
		assert.equal(await checkDeleteAccess(b.access, namespace), true);

		const before = state(await b.listPods(namespace));
		const victim = ready()[0]!;
		const result = await killer({access: b.limitedAccess, knownPods: limitedWatcher}).kill({uid: victim.uid, name: victim.name, actor: 'player'});
		assert.equal(result.outcome, 'failed');
		assert.equal(
			result.message,
			`403 forbidden: user "limited" may not delete pods in namespace "${namespace}"; grant it with the Role in manifests/podinvaders-rbac.yml`,
		);
		assert.deepEqual(state(await b.listPods(namespace)), before, 'nothing deleted');
	});
});
