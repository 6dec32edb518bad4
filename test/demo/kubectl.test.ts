// Real `kubectl` against the demo cluster, with a throwaway kubeconfig: the book's commands behave as on a
// real cluster (get, -o name, --watch through a kill, delete, kube-thanos.sh, apply twice), and refusals
// read like the real apiserver's.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {isReady, kubectl, kubectlEnv, rawPods, run, spawnReading, testCluster, waitFor} from './helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, 'fixtures');
const manifests = path.join(here, '..', '..', 'manifests');
const words = (line: string) => line.trim().split(/\s+/);

test('kubectl get pods prints the table; -l app=goldpinger -o name lists the three; get svc,deploy,pods', async (t) => {
	const cluster = await testCluster(t);
	const env = kubectlEnv(t, cluster);
	const table = await kubectl(env, 'get', 'pods');
	assert.equal(table.code, 0, table.stderr);
	const [header, ...rows] = table.stdout.trimEnd().split('\n');
	assert.deepEqual(words(header!), ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
	assert.equal(rows.length, rawPods(cluster, 'default').length);
	for (const row of rows) assert.deepEqual(words(row).slice(1, 4), ['1/1', 'Running', '0']);

	const names = await kubectl(env, 'get', 'pods', '-l', 'app=goldpinger', '-o', 'name');
	assert.equal(names.code, 0, names.stderr);
	const expected = rawPods(cluster, 'default', 'app=goldpinger').map((pod) => `pod/${pod.metadata.name}`);
	assert.deepEqual(names.stdout.trim().split('\n').sort(), expected.sort());

	const all = await kubectl(env, 'get', 'svc,deploy,pods', '-l', 'app=goldpinger');
	assert.equal(all.code, 0, all.stderr);
	assert.match(all.stdout, /^service\/goldpinger\s+LoadBalancer\s+10\.96\.\d+\.\d+\s+<pending>\s+8080:\d+\/TCP\s+20h$/m);
	assert.match(all.stdout, /^deployment\.apps\/goldpinger\s+3\/3\s+3\s+3\s+20h$/m);
	assert.equal(all.stdout.match(/^pod\/goldpinger-/gm)?.length, 3);
});

test('kubectl get pods --watch shows the kill as in the book: Terminating, then a replacement Pending → ContainerCreating → Running', async (t) => {
	const cluster = await testCluster(t);
	const env = kubectlEnv(t, cluster);
	const watch = spawnReading(t, 'kubectl', ['get', 'pods', '-l', 'app=goldpinger', '--watch'], env);
	await waitFor('the initial table', () => watch.output().split('\n').filter((line) => line.startsWith('goldpinger-')).length >= 3);
	const before = rawPods(cluster, 'default', 'app=goldpinger').map((pod) => pod.metadata.name);
	const victim = before[0]!;

	const deleted = await kubectl(env, 'delete', 'pod', victim);
	assert.equal(deleted.code, 0, deleted.stderr);
	assert.equal(deleted.stdout.trim(), `pod "${victim}" deleted`);
	assert.equal(rawPods(cluster, 'default', 'app=goldpinger').some((pod) => pod.metadata.name === victim), false, 'kubectl delete waits until the pod is gone');

	const replacement = rawPods(cluster, 'default', 'app=goldpinger').find((pod) => !before.includes(pod.metadata.name))?.metadata.name;
	assert.ok(replacement, 'a new pod took its place');
	await waitFor('the replacement Running in the watch', () => new RegExp(`^${replacement}\\s+1/1\\s+Running`, 'm').test(watch.output()));
	const lines = watch.output().trimEnd().split('\n').map(words);
	const statusesOf = (name: string) => lines.filter((line) => line[0] === name).map((line) => `${line[1]} ${line[2]}`);
	assert.deepEqual(statusesOf(victim).slice(0, 2), ['1/1 Running', '1/1 Terminating']);
	assert.ok(statusesOf(victim).includes('0/1 Terminating'), 'the container stops before the pod is gone');
	const fresh = statusesOf(replacement);
	assert.equal(fresh[0], '0/1 Pending');
	assert.ok(fresh.indexOf('0/1 ContainerCreating') > 0);
	assert.equal(fresh[fresh.length - 1], '1/1 Running');
	assert.deepEqual(words(watch.output().split('\n')[0]!), ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'], 'one header, as kubectl prints it');
});

test("the book's kube-thanos.sh runs unchanged: with two goldpinger pods it kills half", async (t) => {
	const cluster = await testCluster(t);
	const env = kubectlEnv(t, cluster);
	const scaled = await kubectl(env, 'scale', 'deployment/goldpinger', '--replicas=2');
	assert.equal(scaled.code, 0, scaled.stderr);
	await waitFor('two goldpinger pods', () => rawPods(cluster, 'default', 'app=goldpinger').filter((pod) => !pod.metadata.deletionTimestamp).length === 2 && rawPods(cluster, 'default', 'app=goldpinger').length === 2);
	const before = rawPods(cluster, 'default', 'app=goldpinger').map((pod) => pod.metadata.name);

	const thanos = await run('bash', [path.join(fixtures, 'kube-thanos.sh')], env);
	assert.equal(thanos.code, 0, thanos.stderr);
	const match = /^pod "(goldpinger-[a-z0-9]+-[a-z0-9]{5})" deleted$/.exec(thanos.stdout.trim());
	assert.ok(match, thanos.stdout);
	assert.ok(before.includes(match[1]!));
	const after = rawPods(cluster, 'default', 'app=goldpinger').map((pod) => pod.metadata.name);
	assert.equal(after.filter((name) => before.includes(name)).length, 1, 'exactly half of the pods died');
	await waitFor('the deployment whole again', () => rawPods(cluster, 'default', 'app=goldpinger').filter(isReady).length === 2);
});

test('kubectl apply -f creates, a second apply says unchanged; a change says configured (also the repo manifests)', async (t) => {
	const cluster = await testCluster(t, {scenario: 'empty'});
	const env = kubectlEnv(t, cluster);
	const file = path.join(fixtures, 'hello-app.yml');
	const first = await kubectl(env, 'apply', '-f', file);
	assert.equal(first.code, 0, first.stderr);
	assert.equal(first.stdout, 'deployment.apps/hello created\nservice/hello created\n');
	const second = await kubectl(env, 'apply', '-f', file);
	assert.equal(second.code, 0, second.stderr);
	assert.equal(second.stdout, 'deployment.apps/hello unchanged\nservice/hello unchanged\n');
	await waitFor('two hello pods ready', () => rawPods(cluster, 'default', 'app=hello').filter(isReady).length === 2);

	const scaled = await kubectl(env, 'scale', 'deployment/hello', '--replicas=3');
	assert.equal(scaled.code, 0, scaled.stderr);
	const reapplied = await kubectl(env, 'apply', '-f', file);
	assert.equal(reapplied.stdout, 'deployment.apps/hello configured\nservice/hello unchanged\n', 'replicas differ from the file again');

	const created = await kubectl(env, 'create', 'deployment', 'typed', '--image=nginx:1.27', '--replicas=2');
	assert.equal(created.code, 0, created.stderr);
	const rollout = await run('kubectl', ['rollout', 'status', 'deployment/typed', '--timeout=20s'], env);
	assert.equal(rollout.code, 0, rollout.stderr);
	assert.match(rollout.stdout, /deployment "typed" successfully rolled out/);

	const repoManifests = ['goldpinger-rbac.yml', 'goldpinger.yml', 'podinvaders-rbac.yml'].map((name) => path.join(manifests, name)).filter((name) => existsSync(name));
	for (const manifest of repoManifests) {
		const applied = await kubectl(env, 'apply', '-f', manifest);
		assert.equal(applied.code, 0, `${manifest}: ${applied.stderr}`);
		assert.match(applied.stdout, / created$/m, manifest);
		const again = await kubectl(env, 'apply', '-f', manifest);
		assert.equal(again.code, 0, again.stderr);
		assert.ok(again.stdout.trim().split('\n').every((line) => line.endsWith(' unchanged')), `${manifest}: ${again.stdout}`);
	}
	if (repoManifests.some((name) => name.endsWith('/goldpinger.yml'))) {
		await waitFor('goldpinger pods ready', () => rawPods(cluster, 'default', 'app=goldpinger').filter(isReady).length === 3);
		const shown = await kubectl(env, 'get', 'svc,deploy,pods', '-l', 'app=goldpinger');
		assert.match(shown.stdout, /^deployment\.apps\/goldpinger\s+3\/3/m);
		assert.match(shown.stdout, /^service\/goldpinger\s+LoadBalancer/m);
	}
});

test('kubectl: forbidden deletes read like RBAC, auth can-i agrees, server dry run deletes nothing', async (t) => {
	const cluster = await testCluster(t);
	const env = kubectlEnv(t, cluster);
	const victim = rawPods(cluster, 'default', 'app=goldpinger')[0]!;

	const dry = await kubectl(env, 'delete', 'pod', victim.metadata.name, '--dry-run=server');
	assert.equal(dry.code, 0, dry.stderr);
	assert.equal(dry.stdout.trim(), `pod "${victim.metadata.name}" deleted (server dry run)`);
	assert.equal(rawPods(cluster, 'default', 'app=goldpinger').find((pod) => pod.metadata.uid === victim.metadata.uid)?.metadata.deletionTimestamp, undefined);

	cluster.faults.set({forbid: [{verb: 'delete', resource: 'pods'}]});
	const denied = await kubectl(env, 'delete', 'pod', victim.metadata.name);
	assert.equal(denied.code, 1);
	assert.equal(denied.stderr.trim(), `Error from server (Forbidden): pods "${victim.metadata.name}" is forbidden: User "demo" cannot delete resource "pods" in API group "" in the namespace "default"`);
	assert.equal(rawPods(cluster, 'default', 'app=goldpinger').length, 3);
	const canDelete = await kubectl(env, 'auth', 'can-i', 'delete', 'pods');
	assert.equal(canDelete.stdout.trim(), 'no');
	const canList = await kubectl(env, 'auth', 'can-i', 'list', 'pods');
	assert.equal(canList.stdout.trim(), 'yes');
});

test('kubectl drain evicts a node\'s pods (protobuf Eviction bodies) and the replacements land elsewhere', async (t) => {
	const cluster = await testCluster(t);
	const env = kubectlEnv(t, cluster);
	type Placed = {metadata: {name: string}; spec?: {nodeName?: string}};
	const onNode = (node: string) => (cluster.listPods('default') as Placed[]).filter((pod) => pod.spec?.nodeName === node);
	const node = (cluster.listPods('default', 'app=goldpinger') as Placed[])[0]!.spec!.nodeName!;
	const before = onNode(node).map((pod) => pod.metadata.name);
	const drained = await run('kubectl', ['drain', node, '--ignore-daemonsets', '--timeout=30s'], env);
	assert.equal(drained.code, 0, drained.stderr);
	for (const name of before) assert.match(drained.stdout, new RegExp(`^pod/${name} evicted$`, 'm'));
	assert.match(drained.stdout, new RegExp(`^node/${node} drained$`, 'm'));
	const nodes = await kubectl(env, 'get', 'nodes', node, '--no-headers');
	assert.deepEqual(words(nodes.stdout).slice(0, 2), [node, 'Ready,SchedulingDisabled']);
	await waitFor('replacements ready elsewhere', () => rawPods(cluster, 'default', 'app=goldpinger').filter(isReady).length === 3);
	assert.deepEqual(onNode(node), []);
	assert.equal((await kubectl(env, 'uncordon', node)).code, 0);
});
