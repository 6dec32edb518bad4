// @kubernetes/client-node 1.4 against the demo cluster with the kubeconfig it writes: typed list/delete,
// Watch with bookmarks, pagination, and ApiException bodies carrying the Status.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ApiException, CoreV1Api, KubeConfig, PolicyV1Api, Watch} from '@kubernetes/client-node';
import {rawPods, testCluster, waitFor} from './helpers.js';

test('client-node lists, pages, watches and deletes through the demo kubeconfig', async (t) => {
	const cluster = await testCluster(t, {bookmarkIntervalMs: 100, extraPods: 30});
	const kc = new KubeConfig();
	kc.loadFromString(cluster.kubeconfigYaml());
	assert.equal(kc.getCurrentContext(), 'demo');
	const core = kc.makeApiClient(CoreV1Api);

	const list = await core.listNamespacedPod({namespace: 'default', labelSelector: 'app=goldpinger'});
	assert.equal(list.items.length, 3);
	const rv = list.metadata?.resourceVersion;
	assert.ok(rv);

	const seen: string[] = [];
	let next: string | undefined;
	for (let page = 0; page < 20; page++) {
		const chunk = await core.listNamespacedPod({namespace: 'default', labelSelector: 'app=swarm', limit: 7, ...(next ? {_continue: next} : {})});
		seen.push(...chunk.items.map((pod) => pod.metadata!.name!));
		next = chunk.metadata?._continue;
		if (!next) break;
	}
	assert.equal(seen.length, 30);
	assert.equal(new Set(seen).size, 30);

	const events: string[] = [];
	const controller = await new Watch(kc).watch(
		'/api/v1/namespaces/default/pods',
		{labelSelector: 'app=goldpinger', resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: 30},
		(type, object: {metadata?: {name?: string}}) => events.push(`${type} ${object.metadata?.name ?? ''}`),
		() => undefined,
	);
	t.after(() => controller.abort());
	const victim = list.items[0]!;
	const dry = await core.deleteNamespacedPod({name: victim.metadata!.name!, namespace: 'default', dryRun: 'All'});
	assert.ok(dry.metadata?.deletionTimestamp);
	assert.equal(rawPods(cluster, 'default', 'app=goldpinger').find((pod) => pod.metadata.uid === victim.metadata!.uid)?.metadata.deletionTimestamp, undefined);

	const deleted = await core.deleteNamespacedPod({name: victim.metadata!.name!, namespace: 'default', body: {preconditions: {uid: victim.metadata!.uid!}}});
	assert.ok(deleted.metadata?.deletionTimestamp, 'the API answers with the Terminating pod');
	await waitFor('MODIFIED, ADDED and a bookmark on the watch', () => events.includes(`MODIFIED ${victim.metadata!.name}`) && events.some((e) => e.startsWith('ADDED ')) && events.some((e) => e.startsWith('BOOKMARK')));

	cluster.faults.set({forbid: [{verb: 'delete', resource: 'pods'}]});
	const other = list.items[1]!;
	await assert.rejects(
		() => core.deleteNamespacedPod({name: other.metadata!.name!, namespace: 'default'}),
		(error: unknown) => {
			assert.ok(error instanceof ApiException);
			assert.equal(error.code, 403);
			const status = JSON.parse(String(error.body)) as {reason: string; message: string};
			assert.equal(status.reason, 'Forbidden');
			assert.match(status.message, /cannot delete resource "pods" in API group "" in the namespace "default"$/);
			return true;
		},
	);
	cluster.faults.set({forbid: []});

	const policy = kc.makeApiClient(PolicyV1Api);
	await policy.createNamespacedPodDisruptionBudget({namespace: 'default', body: {apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: {name: 'all-up'}, spec: {minAvailable: '100%', selector: {matchLabels: {app: 'goldpinger'}}}}});
	await assert.rejects(
		() => core.createNamespacedPodEviction({name: other.metadata!.name!, namespace: 'default', body: {apiVersion: 'policy/v1', kind: 'Eviction', metadata: {name: other.metadata!.name!, namespace: 'default'}}}),
		(error: unknown) => error instanceof ApiException && error.code === 429,
	);
});
