// One interface over the two backends the contract suite runs against: the embedded demo cluster and a real
// control plane (kube-apiserver 1.32 + KWOK, test/real-cluster). Everything a test does to a backend goes
// through the Kubernetes API with the same code for both; only start-up, "expire history" and the second,
// limited user differ.
//
// PODINVADERS_BACKEND = demo | real | all. Unset: demo, plus real when its binaries are already built (a test
// never starts the multi-minute build); otherwise one line says why the real tier was skipped.
import {mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {after, before, describe} from 'node:test';
import {join} from 'node:path';
import type {ClusterAccess} from '../../src/kube/access.js';
import {resolveClusterAccess} from '../../src/kube/client.js';
import {requestJson} from '../../src/kube/http.js';
import {podFromObject, type Pod} from '../../src/model/pod.js';
import {startDemoCluster} from '../../src/demo/server.js';
import {realToolchainAvailable, startRealCluster} from '../real-cluster/backend.js';

export type BackendName = 'demo' | 'real';

export interface BackendOptions {
	/**
	 * The test calls expireHistory(). Real: kube-apiserver then runs without its watch cache (as with
	 * `--watch-cache=false`), so an etcd compaction makes older resourceVersions answer 410 at once.
	 */
	readonly expirable?: boolean;
	/** Real: KWOK's pod stages ('fast', the default: Running at once, a deleted pod gone at once; 'general': lifelike delays and a graceful Terminating). */
	readonly kwokStages?: 'fast' | 'general';
}

export interface ContractBackend {
	readonly name: BackendName;
	/** The admin user, resolved from kubeconfigPath by the CLI's own code (resolveClusterAccess). */
	readonly access: ClusterAccess;
	/** User "limited": may get/list/watch pods in namespaces made by createNamespace, may not delete them. */
	readonly limitedAccess: ClusterAccess;
	/** Admin kubeconfig, for kubectl and the CLI in a child process. */
	readonly kubeconfigPath: string;
	/** A fresh namespace (random suffix), ready for pods, with the limited user's Role bound in it. */
	createNamespace(prefix: string): Promise<string>;
	/** POST apps/v1 Deployment: `replicas` pods labelled `labels`, containers that stop within `graceSeconds`. */
	createDeployment(namespace: string, name: string, replicas: number, labels: Record<string, string>, graceSeconds?: number): Promise<void>;
	/** POST a bare pod (no owner). */
	createPod(namespace: string, name: string, labels: Record<string, string>, graceSeconds?: number): Promise<Pod>;
	/** Server truth, listed through the API as admin. */
	listPods(namespace: string, labelSelector?: string): Promise<Pod[]>;
	/** DELETE through the API by the admin, not through PodKiller (like `kubectl delete pod`). */
	deletePodAsSomeoneElse(namespace: string, name: string, gracePeriodSeconds?: number): Promise<void>;
	/** Every resourceVersion older than now answers 410 Expired (needs `expirable`). */
	expireHistory(): Promise<void>;
	/** Polls `predicate` every 50 ms until true; throws naming `what` after `timeoutMs`. */
	waitFor(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs?: number): Promise<void>;
	close(): Promise<void>;
}

const limitedUser = 'limited';
const podImage = 'registry.k8s.io/pause:3.10';

/** Which backends this run covers; prints the skip line for the real tier at most once per test run. */
export function selectedBackends(): BackendName[] {
	const wanted = process.env['PODINVADERS_BACKEND'] ?? '';
	if (wanted === 'demo') return ['demo'];
	if (wanted === 'real' || wanted === 'all') {
		const check = realToolchainAvailable({requireBuilt: true});
		// Asked for explicitly: a missing toolchain is a failure, not a skip.
		if (!check.ok) throw new Error(`PODINVADERS_BACKEND=${wanted}, but the real control plane cannot run: ${check.why}`);
		return wanted === 'real' ? ['real'] : ['demo', 'real'];
	}
	if (wanted !== '') throw new Error(`PODINVADERS_BACKEND must be demo, real or all (got "${wanted}")`);
	const check = realToolchainAvailable({requireBuilt: true});
	if (check.ok) return ['demo', 'real'];
	noticeOnce(`real control plane tier skipped: ${check.why}`);
	return ['demo'];
}

/**
 * The test runner starts one process per file; they share the runner as parent. A marker per parent pid
 * keeps the notice to one line per run; markers of runners that are gone are removed.
 */
function noticeOnce(line: string): void {
	const dir = join(tmpdir(), 'podinvaders-contract-notices');
	try {
		mkdirSync(dir, {recursive: true});
		for (const name of readdirSync(dir)) {
			if (!isAlive(Number(name))) rmSync(join(dir, name), {force: true});
		}
		writeFileSync(join(dir, String(process.ppid)), line, {flag: 'wx'});
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
	}
	process.stderr.write(`${line}\n`);
}

function isAlive(pid: number): boolean {
	if (!Number.isInteger(pid) || pid <= 0) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

export async function startBackend(name: BackendName, options: BackendOptions = {}): Promise<ContractBackend> {
	return name === 'demo' ? startDemoBackend() : startRealBackend(options);
}

/** Quick but not instant pod lifecycles, so Pending → Running is observable, and a test stays short. */
const demoTiming = {
	pendingMs: [20, 80] as [number, number],
	containerCreatingMs: [30, 120] as [number, number],
	readyMs: [10, 40] as [number, number],
};

async function startDemoBackend(): Promise<ContractBackend> {
	const cluster = await startDemoCluster({scenario: 'empty', timing: demoTiming});
	const dir = mkdtempSync(join(tmpdir(), 'podinvaders-contract-demo-'));
	try {
		const kubeconfigPath = join(dir, 'kubeconfig');
		writeFileSync(kubeconfigPath, cluster.kubeconfigYaml(), {mode: 0o600});
		// The demo's bearer token X is user X; its RBAC stand-in is a fault rule for that user alone.
		cluster.faults.set({
			forbid: ['delete', 'deletecollection', 'create', 'update', 'patch'].flatMap((verb) => [
				{verb, resource: 'pods', user: limitedUser},
				{verb, resource: 'pods/eviction', user: limitedUser},
			]),
		});
		const access = await resolveClusterAccess({kubeconfig: kubeconfigPath, env: {}});
		const limitedAccess: ClusterAccess = {...access, headers: {...access.headers, Authorization: `Bearer ${limitedUser}`}};
		return apiBackend({
			name: 'demo',
			access,
			limitedAccess,
			kubeconfigPath,
			expireHistory: async () => cluster.faults.expireHistory(),
			close: async () => {
				try {
					await cluster.close();
				} finally {
					rmSync(dir, {recursive: true, force: true});
				}
			},
		});
	} catch (error) {
		await cluster.close();
		rmSync(dir, {recursive: true, force: true});
		throw error;
	}
}

async function startRealBackend(options: BackendOptions): Promise<ContractBackend> {
	const cluster = await startRealCluster({watchCache: !options.expirable, kwokStages: options.kwokStages ?? 'fast'});
	try {
		const access = await resolveClusterAccess({kubeconfig: cluster.kubeconfigPath, env: {}});
		const limitedAccess: ClusterAccess = {...access, headers: {...access.headers, Authorization: `Bearer ${cluster.limitedToken}`}};
		return apiBackend({
			name: 'real',
			access,
			limitedAccess,
			kubeconfigPath: cluster.kubeconfigPath,
			expireHistory: async () => {
				if (!options.expirable) throw new Error('expireHistory() needs startBackend(name, {expirable: true})');
				await cluster.compactEtcd();
			},
			close: () => cluster.stop(),
		});
	} catch (error) {
		await cluster.stop();
		throw error;
	}
}

interface BackendBasics {
	readonly name: BackendName;
	readonly access: ClusterAccess;
	readonly limitedAccess: ClusterAccess;
	readonly kubeconfigPath: string;
	expireHistory(): Promise<void>;
	close(): Promise<void>;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function waitFor(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (let round = 0; round < 100_000; round++) {
		if (await predicate()) return;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(50);
	}
}

/** The parts that are the same for both: everything through the Kubernetes API, as admin. */
function apiBackend(basics: BackendBasics): ContractBackend {
	const {access} = basics;
	const podsPath = (namespace: string) => `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
	const podSpec = (graceSeconds: number) => ({
		terminationGracePeriodSeconds: graceSeconds,
		containers: [{name: 'main', image: podImage}],
	});
	let closed: Promise<void> | undefined;
	return {
		...basics,
		async createNamespace(prefix) {
			const name = `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
			await requestJson(access, {method: 'POST', path: '/api/v1/namespaces', body: {apiVersion: 'v1', kind: 'Namespace', metadata: {name}}});
			const rbac = '/apis/rbac.authorization.k8s.io/v1/namespaces/' + name;
			await requestJson(access, {
				method: 'POST',
				path: `${rbac}/roles`,
				body: {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: {name: 'pod-reader'}, rules: [{apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch']}]},
			});
			await requestJson(access, {
				method: 'POST',
				path: `${rbac}/rolebindings`,
				body: {
					apiVersion: 'rbac.authorization.k8s.io/v1',
					kind: 'RoleBinding',
					metadata: {name: 'pod-reader'},
					roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader'},
					subjects: [{apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: limitedUser}],
				},
			});
			// The ServiceAccount admission plugin refuses pods until the controller has made "default".
			await waitFor(
				async () => {
					try {
						await requestJson(access, {path: `/api/v1/namespaces/${name}/serviceaccounts/default`});
						return true;
					} catch {
						return false;
					}
				},
				`serviceaccount ${name}/default`,
			);
			return name;
		},
		async createDeployment(namespace, name, replicas, labels, graceSeconds = 1) {
			await requestJson(access, {
				method: 'POST',
				path: `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments`,
				body: {
					apiVersion: 'apps/v1',
					kind: 'Deployment',
					metadata: {name, labels},
					spec: {replicas, selector: {matchLabels: labels}, template: {metadata: {labels}, spec: podSpec(graceSeconds)}},
				},
			});
		},
		async createPod(namespace, name, labels, graceSeconds = 1) {
			const created = await requestJson(access, {
				method: 'POST',
				path: podsPath(namespace),
				body: {apiVersion: 'v1', kind: 'Pod', metadata: {name, labels}, spec: podSpec(graceSeconds)},
			});
			return podFromObject(created);
		},
		async listPods(namespace, labelSelector) {
			const list = (await requestJson(access, {path: podsPath(namespace), query: {labelSelector}})) as {items?: unknown[]};
			return (list.items ?? []).map((item) => podFromObject(item));
		},
		async deletePodAsSomeoneElse(namespace, name, gracePeriodSeconds) {
			await requestJson(access, {method: 'DELETE', path: `${podsPath(namespace)}/${encodeURIComponent(name)}`, query: {gracePeriodSeconds}});
		},
		waitFor,
		close() {
			closed ??= basics.close();
			return closed;
		},
	};
}

/**
 * Defines the file's tests once per selected backend, each group with its own backend started before its
 * first test and stopped after its last, whatever happened in between. Name tests `[${name}] …`.
 */
export function forEachBackend(options: BackendOptions, define: (name: BackendName, backend: () => ContractBackend) => void): void {
	for (const name of selectedBackends()) {
		describe(name, () => {
			let backend: ContractBackend | undefined;
			before(async () => {
				backend = await startBackend(name, options);
			});
			after(async () => {
				await backend?.close();
			});
			define(name, () => {
				if (!backend) throw new Error(`the ${name} backend did not start`);
				return backend;
			});
		});
	}
}
