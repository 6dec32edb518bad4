// The fast kubeconfig path must give exactly what client-node's complete path gives for simple kubeconfigs,
// and step aside (undefined) for everything it does not handle.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {RequestOptions} from 'node:https';
import {KubeConfig} from '@kubernetes/client-node';
import {resolveSimpleAccess} from '../../src/kube/simple-kubeconfig.js';

const dir = mkdtempSync(join(tmpdir(), 'podinvaders-simple-kubeconfig-'));
test.after(() => rmSync(dir, {recursive: true, force: true}));
let count = 0;
const file = (yaml: string) => {
	const path = join(dir, `config-${count++}.yaml`);
	writeFileSync(path, yaml);
	return path;
};
const b64 = (text: string) => Buffer.from(text).toString('base64');

const simple = file(`
apiVersion: v1
kind: Config
current-context: kind
clusters:
- name: kind
  cluster: {server: "https://127.0.0.1:6443/", certificate-authority-data: ${b64('CA PEM')}, tls-server-name: kubernetes}
- name: plain
  cluster: {server: "http://127.0.0.1:8080", insecure-skip-tls-verify: true}
users:
- name: admin
  user: {client-certificate-data: ${b64('CERT PEM')}, client-key-data: ${b64('KEY PEM')}, token: abc123}
contexts:
- name: kind
  context: {cluster: kind, user: admin, namespace: chaos}
- name: plain
  context: {cluster: plain, user: admin}
`);

test('a simple kubeconfig resolves like client-node resolves it', async () => {
	const access = resolveSimpleAccess([simple]);
	assert.ok(access);
	const config = new KubeConfig();
	config.loadFromFile(simple);
	const applied: RequestOptions = {headers: {}};
	await config.applyToHTTPSOptions(applied);
	assert.equal(access.server, 'https://127.0.0.1:6443');
	assert.equal(access.context, 'kind');
	assert.equal(access.namespace, 'chaos');
	assert.deepEqual(access.tls.ca, applied.ca);
	assert.deepEqual(access.tls.cert, applied.cert);
	assert.deepEqual(access.tls.key, applied.key);
	assert.equal(access.tls.servername, applied.servername);
	assert.equal(access.headers['Authorization'], (applied.headers as Record<string, string>)['Authorization']);
	assert.equal(access.tls.rejectUnauthorized, undefined);

	const plain = resolveSimpleAccess([simple], 'plain');
	assert.equal(plain?.server, 'http://127.0.0.1:8080');
	assert.equal(plain?.namespace, 'default');
	assert.equal(plain?.tls.rejectUnauthorized, undefined, 'an http server has no TLS to skip');
});

test('KUBECONFIG lists merge first-wins; files are read relative to their kubeconfig', () => {
	writeFileSync(join(dir, 'ca.crt'), 'FILE CA');
	const second = file(`
current-context: other
clusters: [{name: kind, cluster: {server: "https://elsewhere:1", certificate-authority: ca.crt}}]
users: [{name: admin, user: {token: other}}]
contexts: [{name: other, context: {cluster: kind, user: admin}}]
`);
	const merged = resolveSimpleAccess([simple, second]);
	assert.equal(merged?.context, 'kind', 'the first file names the current context');
	assert.equal(merged?.headers['Authorization'], 'Bearer abc123');
	const onlySecond = resolveSimpleAccess([second]);
	assert.equal(onlySecond?.tls.ca?.toString(), 'FILE CA');
});

test('anything it does not handle steps aside for the complete path', () => {
	const cases = {
		exec: `current-context: c
clusters: [{name: k, cluster: {server: "https://x:1"}}]
users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: aws}}}]
contexts: [{name: c, context: {cluster: k, user: u}}]`,
		tokenFile: `current-context: c
clusters: [{name: k, cluster: {server: "https://x:1"}}]
users: [{name: u, user: {tokenFile: /var/run/token}}]
contexts: [{name: c, context: {cluster: k, user: u}}]`,
		proxy: `current-context: c
clusters: [{name: k, cluster: {server: "https://x:1", proxy-url: "http://proxy:3128"}}]
users: []
contexts: [{name: c, context: {cluster: k}}]`,
		impersonation: `current-context: c
clusters: [{name: k, cluster: {server: "https://x:1"}}]
users: [{name: u, user: {token: t, as: admin}}]
contexts: [{name: c, context: {cluster: k, user: u}}]`,
		missingCluster: `current-context: c
clusters: []
users: []
contexts: [{name: c, context: {cluster: k}}]`,
		noCurrentContext: `clusters: [{name: k, cluster: {server: "https://x:1"}}]
contexts: [{name: c, context: {cluster: k}}]`,
		notUrl: `current-context: c
clusters: [{name: k, cluster: {server: "x:1"}}]
contexts: [{name: c, context: {cluster: k}}]`,
		missingCaFile: `current-context: c
clusters: [{name: k, cluster: {server: "https://x:1", certificate-authority: /nope/ca.crt}}]
contexts: [{name: c, context: {cluster: k}}]`,
		broken: 'clusters: [\n  - {name: x\n',
	};
	for (const [name, yaml] of Object.entries(cases)) assert.equal(resolveSimpleAccess([file(yaml)]), undefined, name);
	assert.equal(resolveSimpleAccess([simple], 'no-such-context'), undefined);
});
