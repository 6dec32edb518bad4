// Controllers and kubelet over real HTTP: a deleted pod's replacement, the pod lifecycle and its server-side
// timeline, pod IPs, the container-runtime seam (readiness probing, crash loops, stop before gone), the
// service proxy to ready endpoints, rollouts and garbage collection.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type {ContainerRuntime, DemoPodInfo} from '../../src/demo/kubelet.js';
import {isReady, rawPods, request, testCluster, waitFor} from './helpers.js';

test('a deleted pod: Terminating for its grace period, replaced at once, the replacement goes Pending → ContainerCreating → Running/Ready', async (t) => {
	const cluster = await testCluster(t);
	const before = rawPods(cluster, 'default', 'app=goldpinger');
	const ips = rawPods(cluster, 'default').map((pod) => pod.status?.podIP);
	assert.equal(new Set(ips).size, ips.length, 'pod IPs are unique');
	for (const ip of ips) {
		assert.match(String(ip), /^127\.\d+\.\d+\.\d+$/);
		assert.notEqual(ip, '127.0.0.1');
	}
	const victim = before[0]!;
	cluster.deletePod('default', victim.metadata.name);
	const terminating = rawPods(cluster, 'default', 'app=goldpinger').find((pod) => pod.metadata.uid === victim.metadata.uid);
	assert.ok(terminating?.metadata.deletionTimestamp, 'the victim is Terminating, not gone');

	const replacement = await waitFor('a replacement', () => rawPods(cluster, 'default', 'app=goldpinger').find((pod) => !before.some((b) => b.metadata.uid === pod.metadata.uid)));
	assert.match(replacement.metadata.name, /^goldpinger-[a-z0-9]+-[a-z0-9]{5}$/);
	await waitFor('the victim to be gone and the replacement Ready', () => {
		const pods = rawPods(cluster, 'default', 'app=goldpinger');
		return !pods.some((pod) => pod.metadata.uid === victim.metadata.uid) && pods.length === 3 && pods.every(isReady);
	});

	const old = cluster.podTimeline(victim.metadata.uid)!;
	const fresh = cluster.podTimeline(replacement.metadata.uid)!;
	assert.ok(old.deleted !== undefined && old.gone !== undefined);
	assert.ok(old.gone! - old.deleted! >= 900, 'gone only after the 1 s grace period');
	assert.ok(fresh.created < old.gone!, 'the replacement exists before the old pod is gone');
	const steps = [fresh.created, fresh.scheduled, fresh.containerCreating, fresh.running, fresh.ready];
	assert.ok(steps.every((step) => step !== undefined), JSON.stringify(fresh));
	assert.deepEqual(steps, [...steps].sort((a, b) => a! - b!), 'Pending → ContainerCreating → Running → Ready in order');
	const now = rawPods(cluster, 'default', 'app=goldpinger').find((pod) => pod.metadata.uid === replacement.metadata.uid)!;
	assert.equal(now.status?.phase, 'Running');
});

/** A container runtime whose servers really listen on the pod IPs; `gate` holds serving back until opened. */
function echoRuntime() {
	const servers = new Map<string, http.Server>();
	const started: DemoPodInfo[] = [];
	const stopped: Array<{pod: DemoPodInfo; at: number}> = [];
	let open!: () => void;
	const gate = new Promise<void>((resolve) => (open = resolve));
	const runtime: ContainerRuntime = {
		async start(pod) {
			if (pod.labels['app'] === 'crash') throw new Error('exec format error');
			started.push(pod);
			const server = http.createServer((req, res) => {
				if (req.url === '/healthz') {
					res.end('ok');
					return;
				}
				res.writeHead(200, {'Content-Type': 'text/plain', 'X-Pod': pod.name});
				res.end(`${pod.name} ${req.method} ${req.url}`);
			});
			servers.set(pod.uid, server);
			// Serving starts when the gate opens: until then the readiness probe fails.
			void gate.then(() => server.listen(pod.ports[0], pod.podIP));
		},
		async stop(pod) {
			stopped.push({pod, at: performance.now()});
			const server = servers.get(pod.uid);
			servers.delete(pod.uid);
			if (server?.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
	return {runtime, started, stopped, open, closeAll: () => Promise.all([...servers.values()].map((s) => new Promise((resolve) => s.close(resolve))))};
}

const echoDeployment = (replicas: number) => ({
	apiVersion: 'apps/v1',
	kind: 'Deployment',
	metadata: {name: 'echo', labels: {app: 'echo'}},
	spec: {
		replicas,
		selector: {matchLabels: {app: 'echo'}},
		template: {
			metadata: {labels: {app: 'echo'}},
			spec: {
				containers: [
					{
						name: 'echo',
						image: 'example/echo:1',
						env: [{name: 'MY_IP', valueFrom: {fieldRef: {fieldPath: 'status.podIP'}}}, {name: 'GREETING', value: 'hi'}],
						ports: [{containerPort: 8080, name: 'http'}],
						readinessProbe: {httpGet: {path: '/healthz', port: 'http'}, periodSeconds: 1},
					},
				],
			},
		},
	},
});

test('runtime seam: Ready only once the runtime serves the probe; the service proxy reaches it; stop comes before gone', async (t) => {
	const echo = echoRuntime();
	const cluster = await testCluster(t, {scenario: 'empty', runtimes: (pod) => (pod.labels['app'] === 'echo' || pod.labels['app'] === 'crash' ? echo.runtime : undefined)});
	t.after(() => echo.closeAll());
	assert.equal((await request(`${cluster.url}/apis/apps/v1/namespaces/default/deployments`, {method: 'POST', body: echoDeployment(2)})).status, 201);
	assert.equal((await request(`${cluster.url}/api/v1/namespaces/default/services`, {method: 'POST', body: {apiVersion: 'v1', kind: 'Service', metadata: {name: 'echo'}, spec: {selector: {app: 'echo'}, ports: [{port: 80, targetPort: 'http'}]}}})).status, 201);

	await waitFor('two started containers', () => echo.started.length === 2);
	const info = echo.started[0]!;
	assert.equal(info.env['MY_IP'], info.podIP);
	assert.equal(info.env['GREETING'], 'hi');
	assert.equal(info.apiServerUrl, cluster.url);
	assert.deepEqual(info.ports, [8080]);
	assert.equal(info.image, 'example/echo:1');
	await waitFor('Running but not serving', () => rawPods(cluster, 'default', 'app=echo').every((pod) => pod.status?.phase === 'Running'));
	await new Promise((resolve) => setTimeout(resolve, 150));
	assert.ok(rawPods(cluster, 'default', 'app=echo').every((pod) => !isReady(pod)), 'not Ready while nothing answers the probe');
	const noEndpoints = await request(`${cluster.url}/api/v1/namespaces/default/services/echo:80/proxy/`);
	assert.equal(noEndpoints.status, 503);
	assert.equal(noEndpoints.json()['message'], 'no endpoints available for service "echo"');

	echo.open();
	await waitFor('Ready once serving', () => rawPods(cluster, 'default', 'app=echo').every(isReady));
	const names = new Set(rawPods(cluster, 'default', 'app=echo').map((pod) => pod.metadata.name));
	const proxied = await waitFor('the proxy to reach a pod', async () => {
		const reply = await request(`${cluster.url}/api/v1/namespaces/default/services/echo:80/proxy/check_all?x=1`);
		return reply.status === 200 ? reply : undefined;
	});
	const [pod, method, path] = proxied.text.split(' ');
	assert.ok(names.has(pod!));
	assert.equal(method, 'GET');
	assert.equal(path, '/check_all?x=1');
	const encoded = await request(`${cluster.url}/api/v1/namespaces/default/services/echo%3A80/proxy/a%2Fb`);
	assert.match(encoded.text, / GET \/a\/b$/, 'client-node style encoding works too');
	const podProxy = await request(`${cluster.url}/api/v1/namespaces/default/pods/${pod}/proxy/direct`);
	assert.equal(podProxy.text, `${pod} GET /direct`);

	const victim = rawPods(cluster, 'default', 'app=echo')[0]!;
	cluster.deletePod('default', victim.metadata.name);
	await waitFor('the victim gone', () => !rawPods(cluster, 'default', 'app=echo').some((p) => p.metadata.uid === victim.metadata.uid));
	const stop = echo.stopped.find((s) => s.pod.uid === victim.metadata.uid);
	assert.ok(stop, 'the runtime was told to stop');
	assert.ok(stop.at < cluster.podTimeline(victim.metadata.uid)!.gone!, 'stopped serving before the pod was gone');
});

test('a runtime that fails to start: CrashLoopBackOff with restarts, never Ready', async (t) => {
	const echo = echoRuntime();
	const cluster = await testCluster(t, {scenario: 'empty', runtimes: () => echo.runtime});
	cluster.createPod('default', 'broken', {app: 'crash'});
	const pod = await waitFor('a restart', () => {
		const found = cluster.listPods('default', 'app=crash')[0] as {status?: {containerStatuses?: Array<{restartCount: number; state: {waiting?: {reason: string}}; lastState: {terminated?: {message?: string}}}>}} | undefined;
		const status = found?.status?.containerStatuses?.[0];
		return status && status.restartCount >= 2 ? status : undefined;
	});
	assert.equal(pod.state.waiting?.reason, 'CrashLoopBackOff');
	assert.equal(pod.lastState.terminated?.message, 'exec format error');
	assert.ok(!rawPods(cluster, 'default', 'app=crash').some(isReady));
});

test('rollout: a new template makes a new ReplicaSet, the old one scales down; deleting the Deployment collects everything', async (t) => {
	const cluster = await testCluster(t, {scenario: 'empty'});
	cluster.createDeployment('default', 'web', 3, {app: 'web'}, {image: 'nginx:1.26'});
	await waitFor('3 ready', () => rawPods(cluster, 'default', 'app=web').filter(isReady).length === 3);
	const patch = await request(`${cluster.url}/apis/apps/v1/namespaces/default/deployments/web`, {
		method: 'PATCH',
		headers: {'Content-Type': 'application/strategic-merge-patch+json'},
		body: {spec: {template: {spec: {containers: [{name: 'web', image: 'nginx:1.27'}]}}}},
	});
	assert.equal(patch.status, 200);
	type Rs = {items: Array<{metadata: {name: string}; spec: {replicas: number; template: {spec: {containers: Array<{image: string}>}}}}>};
	const replicaSets = await waitFor('the old ReplicaSet scaled to 0', async () => {
		const list = (await request(`${cluster.url}/apis/apps/v1/namespaces/default/replicasets`)).json<Rs>();
		return list.items.length === 2 && list.items.some((rs) => rs.spec.replicas === 0) ? list : undefined;
	});
	const current = replicaSets.items.find((rs) => rs.spec.replicas === 3)!;
	assert.equal(current.spec.template.spec.containers[0]!.image, 'nginx:1.27');
	await waitFor('3 new pods ready, no old ones', () => {
		const pods = rawPods(cluster, 'default', 'app=web');
		return pods.length === 3 && pods.every((pod) => pod.metadata.name.startsWith(`${current.metadata.name}-`) && isReady(pod));
	});
	const status = (await request(`${cluster.url}/apis/apps/v1/namespaces/default/deployments/web`)).json<{status: {updatedReplicas: number; availableReplicas: number; observedGeneration: number}; metadata: {generation: number}}>();
	assert.equal(status.status.updatedReplicas, 3);
	assert.equal(status.status.observedGeneration, status.metadata.generation);

	const deleted = await request(`${cluster.url}/apis/apps/v1/namespaces/default/deployments/web`, {method: 'DELETE', body: {propagationPolicy: 'Background'}});
	assert.equal(deleted.status, 200);
	assert.equal(deleted.json()['status'], 'Success');
	await waitFor('ReplicaSets and pods collected', async () => {
		const list = (await request(`${cluster.url}/apis/apps/v1/namespaces/default/replicasets`)).json<Rs>();
		return list.items.length === 0 && rawPods(cluster, 'default', 'app=web').length === 0;
	});
});

test('a Deployment whose ReplicaSet the API refuses gets a FailedCreate event; the cluster keeps serving', async (t) => {
	const cluster = await testCluster(t, {scenario: 'empty'});
	const name = `long-${'x'.repeat(240)}`;
	const body = {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name}, spec: {replicas: 1, selector: {matchLabels: {app: 'long'}}, template: {metadata: {labels: {app: 'long'}}, spec: {containers: [{name: 'c', image: 'nginx'}]}}}};
	assert.equal((await request(`${cluster.url}/apis/apps/v1/namespaces/default/deployments`, {method: 'POST', body})).status, 201);
	const events = await waitFor('a FailedCreate event', async () => {
		const list = (await request(`${cluster.url}/api/v1/namespaces/default/events?fieldSelector=reason%3DFailedCreate`)).json<{items: Array<{type: string; message: string; involvedObject: {name: string}}>}>();
		return list.items.length > 0 ? list.items : undefined;
	});
	assert.equal(events[0]!.type, 'Warning');
	assert.equal(events[0]!.involvedObject.name, name);
	assert.match(events[0]!.message, /^Error creating: ReplicaSet\.apps ".+" is invalid: metadata\.name: Invalid value/);
	cluster.createDeployment('default', 'fine', 1, {app: 'fine'});
	await waitFor('the next Deployment still works', () => rawPods(cluster, 'default', 'app=fine').some(isReady));
});
