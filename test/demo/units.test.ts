// Pure parts of the demo cluster: selectors, patches, AGE formatting, the store's history and 410s,
// and decoding the protobuf bodies kubectl's typed clients send.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {ApiError} from '../../src/demo/errors.js';
import {decodeKubernetesProtobuf} from '../../src/demo/protobuf.js';
import {jsonPatch, mergePatch, strategicMergePatch} from '../../src/demo/patch.js';
import {matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector} from '../../src/demo/selectors.js';
import {Store, type KObject} from '../../src/demo/store.js';
import {humanDuration, rfc3339} from '../../src/demo/util.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

test('label selectors: equality, set-based, existence, and parse errors as 400', () => {
	const labels = {app: 'web', tier: 'frontend'};
	const matches = (text: string) => matchesLabels(parseLabelSelector(text), labels);
	assert.equal(matches('app=web'), true);
	assert.equal(matches('app==web,tier=frontend'), true);
	assert.equal(matches('app!=web'), false);
	assert.equal(matches('app in (api, web)'), true);
	assert.equal(matches('app notin (web)'), false);
	assert.equal(matches('tier'), true);
	assert.equal(matches('!canary'), true);
	assert.equal(matches('!tier'), false);
	assert.equal(matches('canary!=yes'), true, 'a missing key satisfies !=');
	assert.equal(matches(''), true);
	assert.throws(() => parseLabelSelector('app=(web'), (error: unknown) => error instanceof ApiError && error.code === 400);
});

test('field selectors: dotted paths, != and commas', () => {
	const pod = {metadata: {name: 'a', namespace: 'default'}, status: {phase: 'Running'}};
	assert.equal(matchesFields(parseFieldSelector('metadata.name=a'), pod), true);
	assert.equal(matchesFields(parseFieldSelector('metadata.name=b'), pod), false);
	assert.equal(matchesFields(parseFieldSelector('metadata.namespace==default,status.phase!=Pending'), pod), true);
	assert.equal(matchesFields(parseFieldSelector('spec.nodeName='), pod), true, 'an absent field equals ""');
});

test('strategic merge patch merges containers and env by name and honours directives', () => {
	const live = {
		spec: {
			replicas: 2,
			template: {spec: {containers: [{name: 'a', image: 'a:1', env: [{name: 'X', value: '1'}, {name: 'Y', value: '2'}]}, {name: 'b', image: 'b:1'}]}},
		},
	};
	const patched = strategicMergePatch(live, {
		spec: {
			replicas: 4,
			template: {spec: {'$setElementOrder/containers': [{name: 'a'}], containers: [{name: 'a', env: [{name: 'X', value: '9'}, {name: 'Y', $patch: 'delete'}]}, {name: 'b', $patch: 'delete'}]}},
		},
	}) as typeof live;
	assert.equal(patched.spec.replicas, 4);
	assert.deepEqual(patched.spec.template.spec.containers, [{name: 'a', image: 'a:1', env: [{name: 'X', value: '9'}]}]);
	assert.deepEqual(live.spec.template.spec.containers.length, 2, 'the input is not mutated');
});

test('merge patch deletes with null; json patch applies operations in order', () => {
	assert.deepEqual(mergePatch({a: 1, b: {c: 2, d: 3}}, {b: {c: null}, e: 5}), {a: 1, b: {d: 3}, e: 5});
	assert.deepEqual(jsonPatch({spec: {replicas: 1, list: [1, 2]}}, [{op: 'replace', path: '/spec/replicas', value: 3}, {op: 'add', path: '/spec/list/-', value: 3}, {op: 'remove', path: '/spec/list/0'}]), {spec: {replicas: 3, list: [2, 3]}});
	assert.throws(() => jsonPatch({a: 1}, [{op: 'test', path: '/a', value: 2}]), (error: unknown) => error instanceof ApiError && error.code === 422);
});

test('AGE column and server timestamps are formatted like the apiserver', () => {
	assert.equal(humanDuration(0), '0s');
	assert.equal(humanDuration(119_000), '119s');
	assert.equal(humanDuration(64_000 + 60_000), '2m4s');
	assert.equal(humanDuration(15 * 60_000), '15m');
	assert.equal(humanDuration(3 * 3600_000 + 17 * 60_000), '3h17m');
	assert.equal(humanDuration(20 * 3600_000), '20h');
	assert.equal(humanDuration(3 * 86400_000), '3d');
	assert.equal(rfc3339(Date.UTC(2024, 0, 2, 3, 4, 5, 678)), '2024-01-02T03:04:05Z');
});

function pod(name: string): KObject {
	return {apiVersion: 'v1', kind: 'Pod', metadata: {name, namespace: 'default', uid: '', resourceVersion: '', creationTimestamp: ''}};
}

test('store: resourceVersions only grow, watches resume from history, and compaction means 410', () => {
	let uid = 0;
	const store = new Store({historyLimit: 4, now: () => Date.now(), newUid: () => `uid-${++uid}`});
	const first = store.create('pods', pod('a'));
	const start = Number(first.metadata.resourceVersion);
	store.replace('pods', {...first, spec: {x: 1}});
	const deleted = store.remove('pods', 'default', 'a');
	assert.ok(Number(deleted!.metadata.resourceVersion) > start + 1, 'the DELETED object carries the deletion resourceVersion');
	const {backlog, cancel} = store.watch('pods', start, () => undefined);
	cancel();
	assert.deepEqual(backlog.map((change) => change.type), ['MODIFIED', 'DELETED']);

	for (let i = 0; i < 10; i++) store.create('pods', pod(`p${i}`));
	assert.throws(() => store.watch('pods', start, () => undefined), (error: unknown) => error instanceof ApiError && error.code === 410 && error.reason === 'Expired');
	const now = store.resourceVersion;
	store.expireHistory();
	assert.throws(() => store.watch('pods', now - 1, () => undefined), (error: unknown) => error instanceof ApiError && error.code === 410);
	const live = store.watch('pods', now, () => undefined);
	assert.deepEqual(live.backlog, []);
	live.cancel();
});

test('protobuf bodies from `kubectl create deployment` and `kubectl auth can-i` decode to their JSON shape', () => {
	const deployment = decodeKubernetesProtobuf(fixture('kubectl-create-deployment.pb'), 'application/vnd.kubernetes.protobuf');
	assert.deepEqual(deployment, {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: {name: 'tryit', labels: {app: 'tryit'}},
		spec: {
			replicas: 2,
			selector: {matchLabels: {app: 'tryit'}},
			template: {metadata: {labels: {app: 'tryit'}}, spec: {containers: [{name: 'nginx', image: 'nginx:1.27', ports: [{containerPort: 8080}], resources: {}}]}},
			strategy: {},
		},
	});
	const review = decodeKubernetesProtobuf(fixture('kubectl-auth-can-i.pb'), 'application/vnd.kubernetes.protobuf');
	assert.deepEqual(review['spec'], {resourceAttributes: {namespace: 'default', verb: 'delete', resource: 'pods', name: 'eviction'}});
	assert.throws(() => decodeKubernetesProtobuf(Buffer.from('{"kind":"Pod"}'), 'application/vnd.kubernetes.protobuf'), (error: unknown) => error instanceof ApiError && error.code === 400);
});
