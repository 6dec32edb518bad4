import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import net from 'node:net';
import {tmpdir} from 'node:os';
import {delimiter, join} from 'node:path';
import {namespaceStatus, noClusterMessage, resolveClusterAccess, serverVersion} from '../../src/kube/client.js';
import {ClusterError, UsageError} from '../../src/kube/errors.js';
import {request} from '../../src/kube/http.js';
import {json, startStub, statusBody} from './stub-api.js';

const directory = mkdtempSync(join(tmpdir(), 'podinvaders-kubeconfig-'));
test.after(() => rmSync(directory, {recursive: true, force: true}));

let fileCounter = 0;
function kubeconfigFile(yaml: string): string {
	const file = join(directory, `config-${++fileCounter}.yaml`);
	writeFileSync(file, yaml);
	return file;
}

function kubeconfig(options: {server?: string; current?: string; token?: string; extraUser?: string} = {}) {
	return `apiVersion: v1
kind: Config
clusters:
- name: dev
  cluster:
    server: ${options.server ?? 'https://dev.example:6443'}
- name: prod
  cluster:
    server: https://prod.example:6443/
    insecure-skip-tls-verify: true
contexts:
- name: dev
  context: {cluster: dev, user: dev-user, namespace: team-a}
- name: prod
  context: {cluster: prod, user: dev-user}
current-context: ${options.current ?? 'dev'}
users:
- name: dev-user
  user:
    token: ${options.token ?? 's3cret'}
    client-certificate-data: ${Buffer.from('CERT').toString('base64')}
    client-key-data: ${Buffer.from('KEY').toString('base64')}
${options.extraUser ?? ''}`;
}

const isolated = {env: {}, homeDir: join(directory, 'empty-home'), serviceAccountDir: join(directory, 'no-sa')};

test('--kubeconfig: current context, its namespace, token and client certificate', async () => {
	const file = kubeconfigFile(kubeconfig());
	const access = await resolveClusterAccess({...isolated, kubeconfig: file});
	assert.equal(access.server, 'https://dev.example:6443');
	assert.equal(access.context, 'dev');
	assert.equal(access.namespace, 'team-a');
	assert.equal(access.headers['Authorization'], 'Bearer s3cret');
	assert.equal(access.tls.cert?.toString(), 'CERT');
	assert.equal(access.tls.key?.toString(), 'KEY');
	assert.equal(access.tls.rejectUnauthorized, undefined, 'TLS is verified unless the kubeconfig says otherwise');
	assert.equal(access.demo, false);

	const prod = await resolveClusterAccess({...isolated, kubeconfig: file, context: 'prod'});
	assert.equal(prod.server, 'https://prod.example:6443');
	assert.equal(prod.namespace, 'default');
	assert.equal(prod.tls.rejectUnauthorized, false);
});

test('--context that does not exist: a UsageError naming the contexts there are', async () => {
	const file = kubeconfigFile(kubeconfig());
	await assert.rejects(resolveClusterAccess({...isolated, kubeconfig: file, context: 'staging'}), (error: unknown) => {
		assert.ok(error instanceof UsageError);
		assert.equal(error.message, `context "staging" not found in ${file} (available: dev, prod)`);
		return true;
	});
});

test('nothing configured anywhere: says so and suggests --demo (no silent localhost:8080)', async () => {
	await assert.rejects(resolveClusterAccess(isolated), (error: unknown) => {
		assert.ok(error instanceof ClusterError);
		assert.equal(error.message, noClusterMessage);
		assert.match(error.message, /podinvaders --demo/);
		return true;
	});
	await assert.rejects(resolveClusterAccess({...isolated, env: {KUBECONFIG: join(directory, 'missing.yaml')}}), /no cluster configured; try `podinvaders --demo` \(KUBECONFIG=/);
	await assert.rejects(resolveClusterAccess({...isolated, kubeconfig: join(directory, 'nope.yaml')}), (error: unknown) => error instanceof UsageError && /no such file/.test(error.message));
});

test('broken or incomplete kubeconfigs give one line suggesting --demo', async () => {
	const broken = kubeconfigFile('clusters: [\n  - {name: x\n');
	await assert.rejects(resolveClusterAccess({...isolated, kubeconfig: broken}), (error: unknown) => {
		assert.ok(error instanceof ClusterError);
		assert.ok(error.message.startsWith(`cannot read kubeconfig ${broken}: `));
		assert.match(error.message, /--demo/);
		assert.ok(!error.message.includes('\n'));
		return true;
	});
	const noServer = kubeconfigFile('clusters:\n- name: x\n  cluster: {}\n');
	await assert.rejects(resolveClusterAccess({...isolated, kubeconfig: noServer}), /server is missing.*--demo/);
	const noCurrent = kubeconfigFile(kubeconfig({current: '""'}));
	await assert.rejects(resolveClusterAccess({...isolated, kubeconfig: noCurrent}), /has no current-context \(available: dev, prod\); pass --context/);
	const dangling = kubeconfigFile(kubeconfig({current: 'gone'}));
	await assert.rejects(resolveClusterAccess({...isolated, kubeconfig: dangling}), /current-context "gone" .* does not exist/);
});

test('KUBECONFIG lists are merged, first file wins; ~/.kube/config is the fallback', async () => {
	const first = kubeconfigFile(kubeconfig({token: 'first'}));
	const second = kubeconfigFile(kubeconfig({token: 'second', current: 'prod'}));
	const merged = await resolveClusterAccess({...isolated, env: {KUBECONFIG: [join(directory, 'absent'), first, second].join(delimiter)}});
	assert.equal(merged.context, 'dev');
	assert.equal(merged.headers['Authorization'], 'Bearer first');

	const home = join(directory, 'home');
	mkdirSync(join(home, '.kube'), {recursive: true});
	writeFileSync(join(home, '.kube', 'config'), kubeconfig({current: 'prod', token: 'home'}));
	const fromHome = await resolveClusterAccess({...isolated, homeDir: home});
	assert.equal(fromHome.context, 'prod');
	assert.equal(fromHome.headers['Authorization'], 'Bearer home');
	const envWins = await resolveClusterAccess({...isolated, homeDir: home, env: {KUBECONFIG: first}});
	assert.equal(envWins.headers['Authorization'], 'Bearer first');
});

test('in-cluster service account: server from the env, namespace and token from the mounted files', async () => {
	const serviceAccountDir = join(directory, 'sa');
	mkdirSync(serviceAccountDir, {recursive: true});
	writeFileSync(join(serviceAccountDir, 'token'), 'pod-token');
	writeFileSync(join(serviceAccountDir, 'namespace'), 'chaos\n');
	writeFileSync(join(serviceAccountDir, 'ca.crt'), 'CA');
	const access = await resolveClusterAccess({
		env: {KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443'},
		homeDir: join(directory, 'empty-home'),
		serviceAccountDir,
	});
	assert.equal(access.server, 'https://10.96.0.1:443');
	assert.equal(access.context, 'inClusterContext');
	assert.equal(access.namespace, 'chaos');
	assert.equal(access.tls.ca?.toString(), 'CA');
	assert.ok(access.authorize, 'the projected token rotates, so it is read per request');
	assert.deepEqual(await access.authorize(), {Authorization: 'Bearer pod-token'});
});

test('exec credential plugins run through client-node and authorize requests; plain http servers are allowed', async (t) => {
	const stub = await startStub((req, res) => {
		if (req.url.pathname === '/version') return json(res, 200, {gitVersion: 'v1.32.0-stub'});
		if (req.url.pathname === '/api/v1/namespaces/there') return json(res, 200, {kind: 'Namespace'});
		json(res, 404, statusBody(404, 'NotFound', 'namespaces "x" not found'));
	});
	t.after(() => stub.close());
	const plugin = join(directory, 'plugin.mjs');
	writeFileSync(
		plugin,
		`console.log(JSON.stringify({apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: {token: 'from-exec', expirationTimestamp: '2999-01-01T00:00:00Z'}}));`,
	);
	const file = kubeconfigFile(
		`apiVersion: v1
clusters:
- name: local
  cluster: {server: ${stub.url}}
users:
- name: exec-user
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ${JSON.stringify(process.execPath)}
      args: [${JSON.stringify(plugin)}]
      interactiveMode: Never
contexts:
- name: exec
  context: {cluster: local, user: exec-user}
current-context: exec
`,
	);
	const access = await resolveClusterAccess({...isolated, kubeconfig: file});
	assert.equal(access.headers['Authorization'], undefined, 'expiring credentials are not frozen into static headers');
	assert.equal(await serverVersion(access), 'v1.32.0-stub');
	assert.equal(stub.requests.at(-1)!.headers['authorization'], 'Bearer from-exec');
	await request(access, {path: '/anything'});
	assert.equal(stub.requests.at(-1)!.headers['authorization'], 'Bearer from-exec');
	assert.equal(await namespaceStatus(access, 'there'), 'found');
	assert.equal(await namespaceStatus(access, 'absent'), 'missing');
});

test('an unreachable server: serverVersion names host and cause', async () => {
	const probe = net.createServer();
	await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
	const {port} = probe.address() as net.AddressInfo;
	await new Promise<void>((resolve) => probe.close(() => resolve()));
	const file = kubeconfigFile(kubeconfig({server: `http://127.0.0.1:${port}`}));
	const access = await resolveClusterAccess({...isolated, kubeconfig: file});
	await assert.rejects(serverVersion(access), (error: unknown) => {
		assert.ok(error instanceof ClusterError);
		assert.equal(error.message, `cannot reach 127.0.0.1:${port}: connection refused (is the cluster running?)`);
		return true;
	});
});
