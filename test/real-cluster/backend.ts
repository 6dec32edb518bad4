// Starts and stops the real control plane (test/real-cluster/up.sh, down.sh) for integration tests
// that must run against a genuine kube-apiserver as well as the demo cluster.
import {execFile, spawnSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';

const execFileAsync = promisify(execFile);
const scriptsDir = dirname(fileURLToPath(import.meta.url));

export type RealCluster = {
	/** https://127.0.0.1:PORT of kube-apiserver */
	url: string;
	/** http://127.0.0.1:PORT of etcd's client API (JSON gateway under /v3/) */
	etcdUrl: string;
	kubeconfigPath: string;
	kubeconfigYaml: string;
	/** bearer token of user admin (group system:masters) */
	token: string;
	/** bearer token of user `limited`: only what every authenticated user may (discovery); pod requests are 403 until a test binds a Role */
	limitedToken: string;
	/** PEM of the CA that signed the apiserver's serving certificate */
	caPem: string;
	/** the state dir (certs, logs/*.log) — useful when a test fails */
	dir: string;
	/**
	 * Compacts etcd up to its current revision and resolves to that revision. With
	 * `watchCache: false`, a watch or list from any older resourceVersion then gets 410 Expired
	 * (a watch: HTTP 200 with one ERROR event whose object is a Status of code 410).
	 */
	compactEtcd(): Promise<number>;
	/** stops every process and removes the state dir; safe to call twice */
	stop(): Promise<void>;
};

export type ToolchainCheck = {ok: true; built: boolean} | {ok: false; why: string};

type ClusterJson = {url: string; etcdUrl: string; kubeconfigPath: string; token: string; limitedToken: string; caPath: string; dir: string};

/** Where build.sh puts the binaries for the pinned versions (read from versions.sh, the one source). */
export function realBinDir(): string {
	const cache = process.env['PODINVADERS_REAL_CACHE'] ?? join(homedir(), '.cache/podinvaders/real-cluster');
	const stamp = spawnSync('bash', ['-c', '. "$1"; printf %s "$REAL_CLUSTER_STAMP"', 'stamp', join(scriptsDir, 'versions.sh')], {
		encoding: 'utf8',
	});
	if (stamp.status !== 0 || !stamp.stdout) throw new Error(`cannot read versions.sh: ${stamp.stderr}`);
	return join(cache, 'bin', stamp.stdout);
}

const binaries = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd', 'kwok'];
const hostTools = ['bash', 'openssl', 'curl', 'python3', 'setsid'];

function onPath(tool: string): boolean {
	return spawnSync('bash', ['-c', 'command -v "$1"', 'which', tool], {stdio: 'ignore'}).status === 0;
}

/**
 * Whether startRealCluster can work here. `built: false` means the binaries are not in the cache yet
 * and the first start compiles them (tens of minutes on 2 cores); pass `requireBuilt` to refuse that.
 */
export function realToolchainAvailable(options: {requireBuilt?: boolean} = {}): ToolchainCheck {
	const missingTools = hostTools.filter((tool) => !onPath(tool));
	if (missingTools.length > 0) return {ok: false, why: `missing on PATH: ${missingTools.join(', ')}`};
	let binDir: string;
	try {
		binDir = realBinDir();
	} catch (error) {
		return {ok: false, why: String(error)};
	}
	const built = binaries.every((name) => existsSync(join(binDir, name)));
	if (built) return {ok: true, built};
	if (options.requireBuilt) return {ok: false, why: `control-plane binaries not built in ${binDir} (run test/real-cluster/build.sh)`};
	if (!onPath('go')) return {ok: false, why: `binaries not built in ${binDir} and no Go toolchain to build them`};
	return {ok: true, built};
}

function parseUpOutput(stdout: string): string {
	const dirLine = stdout.split('\n').find((line) => line.startsWith('dir='));
	if (!dirLine) throw new Error(`up.sh printed no dir= line:\n${stdout}`);
	return dirLine.slice('dir='.length).trim();
}

/**
 * Builds the binaries if needed, starts etcd, kube-apiserver, kube-controller-manager, kube-scheduler
 * and KWOK on 127.0.0.1 and waits until fake nodes are Ready and pods can be created in `default`.
 * A watchdog tied to this process's pid tears the cluster down if the test runner dies without stop().
 */
export type RealClusterOptions = {
	/** fake nodes (default 4) and pod capacity of each (default 1000) */
	nodes?: number;
	nodePods?: number;
	/** KWOK pod stages: 'fast' (Running at once; default) or 'general' (ContainerCreating, delays, graceful Terminating) */
	kwokStages?: 'fast' | 'general';
	/** kube-apiserver's watch cache (default true, as in real clusters); false lets compactEtcd() provoke 410 */
	watchCache?: boolean;
	/** kube-controller-manager's API rate (default 20 QPS / 30 burst as upstream; caps pod creation ≈ 20/s) */
	controllerQps?: number;
	controllerBurst?: number;
};

export async function startRealCluster(options: RealClusterOptions = {}): Promise<RealCluster> {
	const env = {...process.env};
	if (options.kwokStages !== undefined) env['PODINVADERS_REAL_KWOK_STAGES'] = options.kwokStages;
	if (options.watchCache !== undefined) env['PODINVADERS_REAL_WATCH_CACHE'] = String(options.watchCache);
	if (options.controllerQps !== undefined) env['PODINVADERS_REAL_KCM_QPS'] = String(options.controllerQps);
	if (options.controllerBurst !== undefined) env['PODINVADERS_REAL_KCM_BURST'] = String(options.controllerBurst);
	if (options.nodes !== undefined) env['PODINVADERS_REAL_NODES'] = String(options.nodes);
	if (options.nodePods !== undefined) env['PODINVADERS_REAL_NODE_PODS'] = String(options.nodePods);
	let stdout: string;
	try {
		({stdout} = await execFileAsync(join(scriptsDir, 'up.sh'), ['--owner-pid', String(process.pid)], {
			env,
			maxBuffer: 16 * 1024 * 1024,
		}));
	} catch (error) {
		// execFile's error carries stderr: up.sh has already torn down and printed the log tails there.
		const stderr = (error as {stderr?: string}).stderr ?? '';
		throw new Error(`test/real-cluster/up.sh failed: ${String(error)}\n${stderr}`);
	}
	const dir = parseUpOutput(stdout);
	const info = JSON.parse(readFileSync(join(dir, 'cluster.json'), 'utf8')) as ClusterJson;
	let stopped: Promise<void> | undefined;
	return {
		url: info.url,
		etcdUrl: info.etcdUrl,
		kubeconfigPath: info.kubeconfigPath,
		kubeconfigYaml: readFileSync(info.kubeconfigPath, 'utf8'),
		token: info.token,
		limitedToken: info.limitedToken,
		caPem: readFileSync(info.caPath, 'utf8'),
		dir,
		async compactEtcd() {
			const {stdout: revision} = await execFileAsync(join(scriptsDir, 'compact.sh'), [dir]);
			return Number(revision.trim());
		},
		stop() {
			stopped ??= execFileAsync(join(scriptsDir, 'down.sh'), [dir]).then(() => undefined);
			return stopped;
		},
	};
}
