// PodKiller's guards against the embedded demo cluster over real HTTP. Every refusal is checked on the
// server too: the pod is still there, untouched. The audit log must hold one line per attempt.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {accessForUrl, type ClusterAccess} from '../../src/kube/access.js';
import {requestJson} from '../../src/kube/http.js';
import {checkDeleteAccess, PodKiller, type PodKillerOptions} from '../../src/kube/pod-killer.js';
import {PodWatcher, type PodView} from '../../src/kube/pod-watcher.js';
import type {KillRequest, KillResult} from '../../src/model/kill.js';
import type {Pod} from '../../src/model/pod.js';
import {startDemoCluster, type DemoCluster} from '../../src/demo/server.js';
import {quickTiming, serverPods} from './demo-helpers.js';
import {waitFor} from './stub-api.js';

const directory = mkdtempSync(join(tmpdir(), 'podinvaders-guards-'));
test.after(() => rmSync(directory, {recursive: true, force: true}));

interface Setup {
	cluster: DemoCluster;
	access: ClusterAccess;
	watcher: PodWatcher;
	auditLog: string;
	killer(options?: Partial<PodKillerOptions>): PodKiller;
	audit(): Array<Record<string, unknown>>;
	/** uid → "name rv deleting?" for every pod on the server, to prove nothing changed. */
	serverState(namespace?: string): Map<string, string>;
}

async function setup(t: {after: (fn: () => unknown) => void}, namespace = 'default', selector = 'app=web'): Promise<Setup> {
	const cluster = await startDemoCluster({scenario: 'empty', timing: quickTiming});
	t.after(() => cluster.close());
	cluster.createDeployment(namespace, 'web', 3, {app: 'web'});
	cluster.createDeployment(namespace, 'other', 1, {app: 'other'});
	const access = accessForUrl(cluster.url, {context: 'demo-test'});
	const watcher = new PodWatcher({access, namespace, labelSelector: selector});
	t.after(() => watcher.stop());
	watcher.start();
	await waitFor(() => watcher.list().length === 3 && watcher.list().every((pod) => pod.ready), 'three Ready web pods');
	// Settled: every pod of the namespace Ready, so "nothing changed on the server" can be compared exactly.
	await waitFor(() => serverPods(cluster.listPods(namespace)).every((pod) => pod.ready), 'every pod Ready');
	const auditLog = join(directory, `audit-${Math.random().toString(36).slice(2)}.jsonl`);
	return {
		cluster,
		access,
		watcher,
		auditLog,
		killer: (options = {}) =>
			new PodKiller({access, namespace, labelSelector: selector, knownPods: watcher, auditLog, maxKillsPerMinute: 100, ...options}),
		audit: () =>
			readFileSync(auditLog, 'utf8')
				.split('\n')
				.filter(Boolean)
				.map((line) => JSON.parse(line) as Record<string, unknown>),
		serverState: (ns = namespace) =>
			new Map(serverPods(cluster.listPods(ns)).map((pod) => [pod.uid, `${pod.name} rv=${pod.resourceVersion}${pod.deletionTimestamp ? ' deleting' : ''}`])),
	};
}

const shoot = (killer: PodKiller, pod: Pod, actor: KillRequest['actor'] = 'player'): Promise<KillResult> =>
	killer.kill({uid: pod.uid, name: pod.name, actor});

test('every guard refuses, and the server keeps every pod; the audit log has one line per attempt', async (t) => {
	const s = await setup(t);
	const web = s.watcher.list();
	const [first, second] = web;
	const before = s.serverState();
	const results: Array<[string, KillResult]> = [];
	const attempt = async (label: string, killer: PodKiller, request: KillRequest) => {
		results.push([label, await killer.kill(request)]);
	};
	const outsider = serverPods(s.cluster.listPods('default', 'app=other'))[0]!;

	await attempt('out-of-scope uid', s.killer(), {uid: outsider.uid, name: outsider.name, actor: 'player'});
	await attempt('made-up uid', s.killer(), {uid: 'no-such-uid', name: first!.name, actor: 'autopilot'});
	await attempt('uid of another name', s.killer(), {uid: first!.uid, name: second!.name, actor: 'player'});
	await attempt('selector no longer matches', s.killer({labelSelector: 'app=web,tier=front'}), {uid: first!.uid, name: first!.name, actor: 'player'});
	await attempt('spectator', s.killer({spectator: true}), {uid: first!.uid, name: first!.name, actor: 'player'});
	await attempt('min age', s.killer({minAgeSeconds: 3600}), {uid: first!.uid, name: first!.name, actor: 'player'});
	await attempt('min ready', s.killer({minReady: 3}), {uid: first!.uid, name: first!.name, actor: 'player'});
	const limited = s.killer({maxKillsPerMinute: 1, dryRun: true});
	await attempt('dry run', limited, {uid: first!.uid, name: first!.name, actor: 'experiment'});
	await attempt('rate limit', limited, {uid: second!.uid, name: second!.name, actor: 'experiment'});

	const outcomes = results.map(([label, result]) => [label, result.outcome]);
	assert.deepEqual(outcomes, [
		['out-of-scope uid', 'refused'],
		['made-up uid', 'refused'],
		['uid of another name', 'refused'],
		['selector no longer matches', 'refused'],
		['spectator', 'refused'],
		['min age', 'refused'],
		['min ready', 'refused'],
		['dry run', 'dry-run'],
		['rate limit', 'refused'],
	]);
	const messages = Object.fromEntries(results.map(([label, result]) => [label, result.message]));
	assert.match(messages['out-of-scope uid']!, /is not a pod in view/);
	assert.match(messages['selector no longer matches']!, /does not match the selector "app=web,tier=front"/);
	assert.match(messages['spectator']!, /^spectator mode: you may not delete pods in namespace "default"/);
	assert.match(messages['min age']!, /younger than --min-age 3600 s/);
	assert.match(messages['min ready']!, /would have 2 Ready, below its floor of 3/);
	assert.match(messages['dry run']!, /nothing was deleted/);
	assert.match(messages['rate limit']!, /^rate limit: 1 kills per minute reached; next in \d+ s$/);

	await new Promise((resolve) => setTimeout(resolve, 100)); // a wrongly deleted pod would show by now
	assert.deepEqual(s.serverState(), before, 'no pod was deleted or changed');
	const lines = s.audit();
	assert.equal(lines.length, results.length, 'one audit line per attempt');
	assert.deepEqual(lines.map((line) => line['outcome']), results.map(([, result]) => result.outcome));
	assert.deepEqual(Object.keys(lines[0]!), ['time', 'context', 'namespace', 'pod', 'uid', 'actor', 'dryRun', 'evict', 'outcome', 'message']);
	assert.equal(lines[0]!['context'], 'demo-test');
	assert.equal(lines[1]!['actor'], 'autopilot');
	assert.equal(lines[7]!['dryRun'], true);
});

test('protected namespaces are refused without --allow-protected', async (t) => {
	const s = await setup(t, 'kube-system');
	const [pod] = s.watcher.list();
	const before = s.serverState();
	const refused = await shoot(s.killer({dryRun: false}), pod!);
	assert.equal(refused.outcome, 'refused');
	assert.equal(refused.message, 'namespace "kube-system" is protected; add --allow-protected to shoot here');
	assert.deepEqual(s.serverState(), before);
	const allowed = await shoot(s.killer({allowProtected: true, dryRun: true}), pod!);
	assert.equal(allowed.outcome, 'dry-run', 'with --allow-protected the shot goes through (here as a dry run)');
	assert.deepEqual(s.serverState(), before);
	assert.equal(s.audit().length, 2);
});

test('a name reused by a newer pod is never deleted (uid precondition)', async (t) => {
	const s = await setup(t);
	s.cluster.createPod('default', 'stateful-0', {app: 'web'});
	await waitFor(() => s.watcher.list().some((pod) => pod.name === 'stateful-0'), 'stateful-0 in view');
	const old = s.watcher.list().find((pod) => pod.name === 'stateful-0')!;
	// The view the shot was aimed with: taken before the pod was replaced under the same name.
	const frozen = s.watcher.list();
	const staleView: PodView = {get: (uid) => frozen.find((pod) => pod.uid === uid), list: () => frozen};
	s.cluster.deletePod('default', 'stateful-0', 0);
	await waitFor(() => !serverPods(s.cluster.listPods('default')).some((pod) => pod.uid === old.uid), 'the old pod gone');
	s.cluster.createPod('default', 'stateful-0', {app: 'web'});
	const newer = serverPods(s.cluster.listPods('default')).find((pod) => pod.name === 'stateful-0')!;
	assert.notEqual(newer.uid, old.uid);

	const result = await shoot(s.killer({knownPods: staleView}), old);
	assert.equal(result.outcome, 'gone');
	assert.match(result.message, /newer pod \(uid precondition failed\); nothing deleted/);
	const still = serverPods(s.cluster.listPods('default')).find((pod) => pod.name === 'stateful-0')!;
	assert.equal(still.uid, newer.uid);
	assert.equal(still.deletionTimestamp, undefined, 'the newer pod is untouched');
});

test('already terminating pods are refused; a real kill deletes, is replaced, and leaves an Event', async (t) => {
	const s = await setup(t);
	const [victim, bystander] = s.watcher.list();
	s.cluster.deletePod('default', bystander!.name, 30); // someone else, with a long grace period
	await waitFor(() => Boolean(s.watcher.get(bystander!.uid)?.deletionTimestamp), 'the watcher to see it terminating');
	const killer = s.killer({gracePeriodSeconds: 0});
	const refused = await shoot(killer, s.watcher.get(bystander!.uid)!);
	assert.equal(refused.outcome, 'refused');
	assert.match(refused.message, /already terminating/);

	const killed = await shoot(killer, victim!, 'autopilot');
	assert.equal(killed.outcome, 'deleted');
	await killer.flush();
	await waitFor(() => !s.watcher.get(victim!.uid), 'the victim gone from view');
	await waitFor(() => s.watcher.list().filter((pod) => !pod.deletionTimestamp && pod.ready).length === 3, 'a Ready replacement');
	type EventJson = {source?: {component?: string}; reason?: string; message?: string; involvedObject?: {uid?: string}};
	const events = (await requestJson(s.access, {path: '/api/v1/namespaces/default/events'})) as {items: EventJson[]};
	const ours = events.items.filter((event) => event.source?.component === 'podinvaders');
	assert.equal(ours.length, 1);
	assert.equal(ours[0]!.reason, 'Killing');
	assert.equal(ours[0]!.message, 'deleted by podinvaders (autopilot)');
	assert.equal(ours[0]!.involvedObject?.uid, victim!.uid);
	assert.deepEqual(s.audit().map((line) => line['outcome']), ['refused', 'deleted']);
});

test('403 on delete: the missing permission is named, nothing crashes, spectator check says no', async (t) => {
	const s = await setup(t);
	s.cluster.faults.set({forbid: [{verb: 'delete', resource: 'pods'}, {verb: 'create', resource: 'events'}]});
	const [pod] = s.watcher.list();
	const before = s.serverState();
	const result = await shoot(s.killer(), pod!);
	assert.equal(result.outcome, 'failed');
	assert.match(result.message, /^403 forbidden: user "[^"]+" may not delete pods in namespace "default"; grant it with the Role in manifests\/podinvaders-rbac\.yml$/);
	assert.deepEqual(s.serverState(), before);
	assert.equal(s.audit()[0]!['outcome'], 'failed');
	assert.equal(await checkDeleteAccess(s.access, 'default'), false, 'SelfSubjectAccessReview: not allowed → spectator mode');
	s.cluster.faults.set({forbid: []});
	assert.equal(await checkDeleteAccess(s.access, 'default'), true);
});

test('--evict: deflected while the PodDisruptionBudget allows no disruption, accepted once it does', async (t) => {
	const s = await setup(t);
	const pdbs = '/apis/policy/v1/namespaces/default/poddisruptionbudgets';
	await requestJson(s.access, {
		method: 'POST',
		path: pdbs,
		body: {apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: {name: 'web'}, spec: {minAvailable: 3, selector: {matchLabels: {app: 'web'}}}},
	});
	const killer = s.killer({evict: true, gracePeriodSeconds: 0});
	const [pod] = s.watcher.list();
	const deflected = await shoot(killer, pod!);
	assert.equal(deflected.outcome, 'deflected', deflected.message);
	assert.match(deflected.message, /^deflected: /);
	assert.equal(serverPods(s.cluster.listPods('default', 'app=web')).find((other) => other.uid === pod!.uid)?.deletionTimestamp, undefined);

	await requestJson(s.access, {method: 'DELETE', path: `${pdbs}/web`});
	const evicted = await shoot(killer, pod!);
	assert.equal(evicted.outcome, 'evicted', evicted.message);
	await waitFor(() => !s.watcher.get(pod!.uid) || Boolean(s.watcher.get(pod!.uid)?.deletionTimestamp), 'the evicted pod going');
	assert.deepEqual(s.audit().map((line) => [line['outcome'], line['evict']]), [['deflected', true], ['evicted', true]]);
});
