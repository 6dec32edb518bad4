// The demo cluster's API over real HTTP: discovery, OpenAPI, lists and selectors, watches (resume, bookmarks,
// timeout, 410), delete semantics (dry run, uid precondition, grace), fault knobs, eviction with PDBs,
// access reviews, events and Table output.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {openWatch, rawPods, request, testCluster, waitFor} from './helpers.js';

type List = {metadata: {resourceVersion: string; continue?: string}; items: Array<{metadata: {name: string; uid: string; resourceVersion: string; creationTimestamp: string; deletionTimestamp?: string; labels?: Record<string, string>}; status?: {phase?: string}}>};
const podsUrl = (base: string, query = '') => `${base}/api/v1/namespaces/default/pods${query ? `?${query}` : ''}`;

test('discovery, version and OpenAPI v3 are what kubectl needs', async (t) => {
	const cluster = await testCluster(t, {scenario: 'empty'});
	const version = (await request(`${cluster.url}/version`)).json();
	assert.equal(version['gitVersion'], 'v1.32.0');

	const legacy = (await request(`${cluster.url}/api`)).json();
	assert.deepEqual(legacy['versions'], ['v1']);
	const aggregated = await request(`${cluster.url}/apis`, {headers: {Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json'}});
	assert.match(String(aggregated.headers['content-type']), /as=APIGroupDiscoveryList/);
	const groups = aggregated.json<{items: Array<{metadata: {name: string}}>}>().items.map((item) => item.metadata.name);
	for (const group of ['apps', 'policy', 'rbac.authorization.k8s.io', 'authorization.k8s.io', 'events.k8s.io']) assert.ok(groups.includes(group), group);

	const core = (await request(`${cluster.url}/api/v1`)).json<{resources: Array<{name: string; kind: string; group?: string}>}>();
	assert.ok(core.resources.some((r) => r.name === 'pods' && r.kind === 'Pod'));
	assert.ok(core.resources.some((r) => r.name === 'pods/eviction' && r.group === 'policy'));

	const root = (await request(`${cluster.url}/openapi/v3`)).json<{paths: Record<string, {serverRelativeURL: string}>}>();
	assert.ok(root.paths['api/v1'] && root.paths['apis/apps/v1']);
	const apps = (await request(`${cluster.url}${root.paths['apis/apps/v1']!.serverRelativeURL}`)).json<{paths: Record<string, {patch?: {parameters: Array<{name: string; in: string}>; 'x-kubernetes-group-version-kind': unknown}}>}>();
	const patch = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']?.patch;
	assert.deepEqual(patch?.['x-kubernetes-group-version-kind'], {group: 'apps', version: 'v1', kind: 'Deployment'});
	assert.ok(patch?.parameters.some((p) => p.name === 'fieldValidation' && p.in === 'query'));
	assert.equal((await request(`${cluster.url}/openapi/v2`)).status, 404);
});

test('lists filter by label and field selectors; errors are Status objects worded like the apiserver', async (t) => {
	const cluster = await testCluster(t);
	const names = async (query: string) => (await request(podsUrl(cluster.url, query))).json<List>().items.map((pod) => pod.metadata.name);
	assert.equal((await names('labelSelector=app%3Dgoldpinger')).length, 3);
	assert.equal((await names(`labelSelector=${encodeURIComponent('app in (web,worker)')}`)).length, 20);
	assert.equal((await names(`labelSelector=${encodeURIComponent('app!=web,!tier')}`)).length, 3, 'only goldpinger has no tier label');
	const one = (await names('labelSelector=app%3Dgoldpinger'))[0]!;
	assert.deepEqual(await names(`fieldSelector=${encodeURIComponent(`metadata.name=${one}`)}`), [one]);
	assert.deepEqual(await names('fieldSelector=metadata.name%3Dnope'), []);

	const list = (await request(podsUrl(cluster.url))).json<List>();
	assert.match(list.metadata.resourceVersion, /^\d+$/);
	for (const pod of list.items) assert.match(pod.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'whole-second RFC3339');

	const missing = await request(`${podsUrl(cluster.url)}/nope`);
	assert.equal(missing.status, 404);
	assert.deepEqual(missing.json(), {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'pods "nope" not found', reason: 'NotFound', details: {name: 'nope', kind: 'pods'}, code: 404});
	const deployment = await request(`${cluster.url}/apis/apps/v1/namespaces/default/deployments/nope`);
	assert.equal(deployment.json()['message'], 'deployments.apps "nope" not found');
	assert.equal((await request(podsUrl(cluster.url, 'labelSelector=app%3D%28x'))).status, 400);
});

test('watch: resumes from a resourceVersion, follows a deletion, sends bookmarks, ends on timeout', async (t) => {
	const cluster = await testCluster(t, {bookmarkIntervalMs: 100});
	const list = (await request(podsUrl(cluster.url, 'labelSelector=app%3Dgoldpinger'))).json<List>();
	const victim = list.items[0]!;
	const watch = await openWatch(t, podsUrl(cluster.url, `labelSelector=app%3Dgoldpinger&watch=true&resourceVersion=${list.metadata.resourceVersion}&allowWatchBookmarks=true&timeoutSeconds=30`));
	assert.equal(watch.status, 200);
	cluster.deletePod('default', victim.metadata.name);

	await waitFor('the victim to be DELETED', () => watch.events.some((e) => e.type === 'DELETED' && e.object.metadata?.uid === victim.metadata.uid));
	const victimEvents = watch.events.filter((e) => e.object.metadata?.uid === victim.metadata.uid);
	assert.equal(victimEvents[0]!.type, 'MODIFIED');
	assert.ok(victimEvents[0]!.object.metadata?.deletionTimestamp, 'first it goes Terminating');
	const replacement = watch.events.find((e) => e.type === 'ADDED');
	assert.ok(replacement, 'a replacement was created while the old pod terminated');
	assert.ok(watch.events.indexOf(replacement) < watch.events.findIndex((e) => e.type === 'DELETED'), 'the replacement comes before the old pod is gone');
	await waitFor('a bookmark', () => watch.events.some((e) => e.type === 'BOOKMARK'));
	const rvs = watch.events.map((e) => Number(e.object.metadata?.resourceVersion));
	assert.deepEqual(rvs, [...rvs].sort((a, b) => a - b), 'resourceVersions never go back');

	// Resuming from the last seen resourceVersion replays nothing old.
	const last = rvs[rvs.length - 1]!;
	const resumed = await openWatch(t, podsUrl(cluster.url, `labelSelector=app%3Dgoldpinger&watch=true&resourceVersion=${last}&timeoutSeconds=1`));
	await waitFor('the timeout to end the watch', () => resumed.ended, 5000);
	assert.ok(resumed.events.every((e) => Number(e.object.metadata?.resourceVersion) > last));
});

test('watch from a compacted resourceVersion: 200 with an ERROR 410 Expired event, then the stream ends', async (t) => {
	const cluster = await testCluster(t);
	const list = (await request(podsUrl(cluster.url))).json<List>();
	cluster.deletePod('default', list.items[0]!.metadata.name);
	await waitFor('a write after the list', () => rawPods(cluster, 'default').length > list.items.length);
	cluster.faults.expireHistory();
	const watch = await openWatch(t, podsUrl(cluster.url, `watch=true&resourceVersion=${list.metadata.resourceVersion}`));
	await waitFor('the stream to end', () => watch.ended);
	assert.equal(watch.status, 200);
	assert.equal(watch.events.length, 1);
	assert.equal(watch.events[0]!.type, 'ERROR');
	assert.equal(watch.events[0]!.object.code, 410);
	assert.equal(watch.events[0]!.object.reason, 'Expired');
	assert.match(String(watch.events[0]!.object.message), /^too old resource version: \d+ \(\d+\)$/);
	// A fresh list and watch from its resourceVersion work again.
	const fresh = (await request(podsUrl(cluster.url))).json<List>();
	const again = await openWatch(t, podsUrl(cluster.url, `watch=true&resourceVersion=${fresh.metadata.resourceVersion}&timeoutSeconds=1`));
	await waitFor('the timeout', () => again.ended, 5000);
	assert.ok(again.events.every((e) => e.type !== 'ERROR'));
});

test('a label change makes a selected pod leave the watch as DELETED', async (t) => {
	const cluster = await testCluster(t, {scenario: 'empty'});
	cluster.createPod('default', 'solo', {app: 'x'});
	const list = (await request(podsUrl(cluster.url, 'labelSelector=app%3Dx'))).json<List>();
	const watch = await openWatch(t, podsUrl(cluster.url, `labelSelector=app%3Dx&watch=true&resourceVersion=${list.metadata.resourceVersion}`));
	const patched = await request(`${podsUrl(cluster.url)}/solo`, {method: 'PATCH', headers: {'Content-Type': 'application/merge-patch+json'}, body: {metadata: {labels: {app: 'y'}}}});
	assert.equal(patched.status, 200);
	await waitFor('DELETED for the relabelled pod', () => watch.events.some((e) => e.type === 'DELETED' && e.object.metadata?.name === 'solo'));
	assert.equal(rawPods(cluster, 'default', 'app=y').length, 1, 'the pod itself still exists');
});

test('delete: dryRun changes nothing, a uid precondition mismatch is 409, grace 0 removes at once', async (t) => {
	const cluster = await testCluster(t);
	const [first, second] = rawPods(cluster, 'default', 'app=goldpinger');
	const dry = await request(`${podsUrl(cluster.url)}/${first!.metadata.name}`, {method: 'DELETE', body: {propagationPolicy: 'Background', dryRun: ['All']}});
	assert.equal(dry.status, 200);
	assert.ok(dry.json<{metadata: {deletionTimestamp?: string}}>().metadata.deletionTimestamp, 'the answer shows what would happen');
	const afterDry = (await request(`${podsUrl(cluster.url)}/${first!.metadata.name}`)).json<List['items'][number]>();
	assert.equal(afterDry.metadata.deletionTimestamp, undefined);
	assert.equal(afterDry.metadata.resourceVersion, first!.metadata.resourceVersion, 'not even a write happened');

	const conflict = await request(`${podsUrl(cluster.url)}/${first!.metadata.name}`, {method: 'DELETE', body: {kind: 'DeleteOptions', apiVersion: 'v1', preconditions: {uid: 'not-the-uid'}}});
	assert.equal(conflict.status, 409);
	assert.equal(conflict.json()['reason'], 'Conflict');
	assert.equal(conflict.json()['message'], `Operation cannot be fulfilled on Pod "${first!.metadata.name}": the UID in the precondition (not-the-uid) does not match the UID in record (${first!.metadata.uid}). The object might have been deleted and then recreated`);
	assert.equal(rawPods(cluster, 'default').find((p) => p.metadata.uid === first!.metadata.uid)?.metadata.deletionTimestamp, undefined, 'nothing deleted');

	const matching = await request(`${podsUrl(cluster.url)}/${first!.metadata.name}`, {method: 'DELETE', body: {preconditions: {uid: first!.metadata.uid}, propagationPolicy: 'Foreground'}});
	assert.equal(matching.status, 200);
	assert.ok(matching.json<{metadata: {deletionTimestamp?: string; deletionGracePeriodSeconds?: number}}>().metadata.deletionTimestamp);
	assert.equal(matching.json<{metadata: {deletionGracePeriodSeconds?: number}}>().metadata.deletionGracePeriodSeconds, 1);

	const now = await request(`${podsUrl(cluster.url)}/${second!.metadata.name}?gracePeriodSeconds=0`, {method: 'DELETE'});
	assert.equal(now.status, 200, now.text);
	assert.equal((await request(`${podsUrl(cluster.url)}/${second!.metadata.name}`)).status, 404);
});

test('forbid knob: 403 with the RBAC wording, and SelfSubjectAccessReview agrees', async (t) => {
	const cluster = await testCluster(t);
	cluster.faults.set({forbid: [{verb: 'delete', resource: 'pods'}, {verb: 'list', resource: 'services'}, {verb: 'create', resource: 'pods/eviction'}]});
	const [victim] = rawPods(cluster, 'default', 'app=goldpinger');
	const denied = await request(`${podsUrl(cluster.url)}/${victim!.metadata.name}`, {method: 'DELETE'});
	assert.equal(denied.status, 403);
	assert.equal(denied.json()['reason'], 'Forbidden');
	assert.equal(denied.json()['message'], `pods "${victim!.metadata.name}" is forbidden: User "demo" cannot delete resource "pods" in API group "" in the namespace "default"`);
	assert.equal(rawPods(cluster, 'default').find((p) => p.metadata.uid === victim!.metadata.uid)?.metadata.deletionTimestamp, undefined);
	assert.equal((await request(`${cluster.url}/api/v1/services`)).json()['message'], 'services is forbidden: User "demo" cannot list resource "services" in API group "" at the cluster scope');
	const eviction = await request(`${podsUrl(cluster.url)}/${victim!.metadata.name}/eviction`, {method: 'POST', body: {apiVersion: 'policy/v1', kind: 'Eviction', metadata: {name: victim!.metadata.name}}});
	assert.equal(eviction.json()['message'], `pods "${victim!.metadata.name}" is forbidden: User "demo" cannot create resource "pods/eviction" in API group "" in the namespace "default"`);

	const review = async (verb: string, resource: string, subresource?: string) =>
		(await request(`${cluster.url}/apis/authorization.k8s.io/v1/selfsubjectaccessreviews`, {method: 'POST', body: {apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: {resourceAttributes: {namespace: 'default', verb, resource, ...(subresource ? {subresource} : {})}}}})).json<{status: {allowed: boolean}}>().status.allowed;
	assert.equal(await review('delete', 'pods'), false);
	assert.equal(await review('create', 'pods', 'eviction'), false);
	assert.equal(await review('list', 'pods'), true);
	assert.equal(await review('watch', 'pods'), true);
	cluster.faults.set({forbid: []});
	assert.equal(await review('delete', 'pods'), true);
	assert.equal((await request(`${podsUrl(cluster.url)}/${victim!.metadata.name}`, {method: 'DELETE'})).status, 200);
});

test('fault knobs: failNextRequests, latency, malformed watch lines, dropped watches', async (t) => {
	const cluster = await testCluster(t);
	cluster.faults.set({failNextRequests: 2});
	const failed = await request(podsUrl(cluster.url));
	assert.equal(failed.status, 500);
	assert.equal(failed.json()['reason'], 'InternalError');
	assert.equal((await request(podsUrl(cluster.url))).status, 500);
	assert.equal((await request(podsUrl(cluster.url))).status, 200);

	cluster.faults.set({latencyMs: 150});
	const started = performance.now();
	assert.equal((await request(`${cluster.url}/version`)).status, 200);
	assert.ok(performance.now() - started >= 145, 'the injected latency is added to every answer');
	cluster.faults.set({latencyMs: 0});

	cluster.faults.set({malformedWatchLines: true});
	const list = (await request(podsUrl(cluster.url, 'labelSelector=app%3Dgoldpinger'))).json<List>();
	const watch = await openWatch(t, podsUrl(cluster.url, `labelSelector=app%3Dgoldpinger&watch=true&resourceVersion=${list.metadata.resourceVersion}`));
	cluster.deletePod('default', list.items[0]!.metadata.name);
	await waitFor('events', () => watch.events.length >= 2);
	assert.ok(watch.rawLines.length > watch.events.length, 'some lines are not JSON');
	cluster.faults.set({malformedWatchLines: false});

	cluster.faults.dropWatches();
	await waitFor('the watch to be cut', () => watch.ended);
});

test('eviction honours a PodDisruptionBudget: 429 when it would break the budget, 201 and Terminating otherwise', async (t) => {
	const cluster = await testCluster(t);
	const pdbUrl = `${cluster.url}/apis/policy/v1/namespaces/default/poddisruptionbudgets`;
	const created = await request(pdbUrl, {method: 'POST', body: {apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: {name: 'goldpinger-pdb'}, spec: {maxUnavailable: 1, selector: {matchLabels: {app: 'goldpinger'}}}}});
	assert.equal(created.status, 201);
	await waitFor('PDB status', async () => (await request(`${pdbUrl}/goldpinger-pdb`)).json<{status: {disruptionsAllowed?: number}}>().status.disruptionsAllowed === 1);
	const [first, second] = rawPods(cluster, 'default', 'app=goldpinger');
	const evict = (name: string) => request(`${podsUrl(cluster.url)}/${name}/eviction`, {method: 'POST', body: {apiVersion: 'policy/v1', kind: 'Eviction', metadata: {name, namespace: 'default'}}});
	const ok = await evict(first!.metadata.name);
	assert.equal(ok.status, 201);
	assert.ok(rawPods(cluster, 'default').find((p) => p.metadata.uid === first!.metadata.uid)?.metadata.deletionTimestamp, 'evicted = deleted gracefully');
	const refused = await evict(second!.metadata.name);
	assert.equal(refused.status, 429);
	assert.equal(refused.json()['reason'], 'TooManyRequests');
	assert.equal(refused.json()['message'], "Cannot evict pod as it would violate the pod's disruption budget.");
	assert.equal(rawPods(cluster, 'default').find((p) => p.metadata.uid === second!.metadata.uid)?.metadata.deletionTimestamp, undefined);
	assert.equal((await evict('nope')).status, 404);
});

test('events: core/v1 and events.k8s.io/v1 POST and list the same objects', async (t) => {
	const cluster = await testCluster(t, {scenario: 'empty'});
	cluster.createPod('default', 'target');
	const core = await request(`${cluster.url}/api/v1/namespaces/default/events`, {
		method: 'POST',
		body: {apiVersion: 'v1', kind: 'Event', metadata: {generateName: 'target.'}, involvedObject: {kind: 'Pod', name: 'target', namespace: 'default'}, reason: 'Killing', message: 'deleted by podinvaders', type: 'Normal', source: {component: 'podinvaders'}},
	});
	assert.equal(core.status, 201);
	const modern = await request(`${cluster.url}/apis/events.k8s.io/v1/namespaces/default/events`, {
		method: 'POST',
		body: {apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: {generateName: 'target.'}, eventTime: '2024-01-01T00:00:00.000000Z', reportingController: 'podinvaders', reportingInstance: 'x', action: 'Delete', reason: 'Killing', note: 'deleted by podinvaders (v1)', type: 'Normal', regarding: {kind: 'Pod', name: 'target', namespace: 'default'}},
	});
	assert.equal(modern.status, 201);
	assert.equal(modern.json()['note'], 'deleted by podinvaders (v1)');
	const coreList = (await request(`${cluster.url}/api/v1/namespaces/default/events?fieldSelector=${encodeURIComponent('involvedObject.name=target,reason=Killing')}`)).json<{items: Array<{message: string}>}>();
	assert.deepEqual(coreList.items.map((e) => e.message).sort(), ['deleted by podinvaders', 'deleted by podinvaders (v1)']);
	const modernList = (await request(`${cluster.url}/apis/events.k8s.io/v1/namespaces/default/events`)).json<{items: Array<{note?: string; regarding?: {name: string}}>}>();
	assert.ok(modernList.items.some((e) => e.note === 'deleted by podinvaders' && e.regarding?.name === 'target'));
});

test('Table output for pods has kubectl columns and cells', async (t) => {
	const cluster = await testCluster(t);
	const table = await request(podsUrl(cluster.url, 'labelSelector=app%3Dgoldpinger'), {headers: {Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json'}});
	assert.match(String(table.headers['content-type']), /as=Table/);
	const body = table.json<{kind: string; columnDefinitions: Array<{name: string; priority: number}>; rows: Array<{cells: unknown[]; object: {kind: string}}>}>();
	assert.equal(body.kind, 'Table');
	assert.deepEqual(body.columnDefinitions.filter((c) => c.priority === 0).map((c) => c.name), ['Name', 'Ready', 'Status', 'Restarts', 'Age']);
	assert.equal(body.rows.length, 3);
	const [name, ready, status, restarts, age, ip, node] = body.rows[0]!.cells;
	assert.match(String(name), /^goldpinger-[a-z0-9]+-[a-z0-9]{5}$/);
	assert.deepEqual([ready, status, restarts, age], ['1/1', 'Running', '0', '20h']);
	assert.match(String(ip), /^127\.\d+\.\d+\.\d+$/);
	assert.match(String(node), /^demo-node-\d$/);
	assert.equal(body.rows[0]!.object.kind, 'PartialObjectMetadata');
});
