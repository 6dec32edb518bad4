// Which cluster, as whom: kubeconfig resolution → ClusterAccess. Order: --kubeconfig, $KUBECONFIG (files
// merged, first wins, like kubectl), ~/.kube/config, the in-cluster service account. @kubernetes/client-node
// is imported only here and only when a kubeconfig is really used (≈0.7 s, ≈80 MB): it parses the file and
// runs exec/auth-provider credential plugins; all requests then go through src/kube/http.ts.
//
// We never call KubeConfig.loadFromDefault: it silently falls back to http://localhost:8080 when nothing is
// configured, which would turn "no cluster" into a baffling TLS error later.
import {existsSync, readFileSync, statSync} from 'node:fs';
import {homedir} from 'node:os';
import {delimiter, join} from 'node:path';
import type {RequestOptions as HttpsRequestOptions} from 'node:https';
import type {Agent} from 'node:http';
import type {Cluster, Context, KubeConfig, User} from '@kubernetes/client-node';
import type {ClusterAccess} from './access.js';
import {ClusterError, describeError, UsageError} from './errors.js';
import {request, requestJson} from './http.js';

export interface ResolveOptions {
	/** --kubeconfig FILE */
	readonly kubeconfig?: string;
	/** --context NAME (validated against the kubeconfig's contexts) */
	readonly context?: string;
	/** Defaults to process.env (KUBECONFIG, KUBERNETES_SERVICE_HOST/PORT). */
	readonly env?: Readonly<Record<string, string | undefined>>;
	/** Defaults to the user's home directory (for ~/.kube/config). */
	readonly homeDir?: string;
	/** Where the service account is mounted (tests point it at a temp dir). */
	readonly serviceAccountDir?: string;
}

export const noClusterMessage = 'no cluster configured; try `podinvaders --demo`';
const defaultServiceAccountDir = '/var/run/secrets/kubernetes.io/serviceaccount';

type ClientNode = typeof import('@kubernetes/client-node');

const isFile = (path: string) => {
	try {
		return statSync(path).isFile();
	} catch {
		return false;
	}
};

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();

function loadFile(k8s: ClientNode, file: string): KubeConfig {
	const config = new k8s.KubeConfig();
	try {
		config.loadFromFile(file);
	} catch (error) {
		throw new ClusterError(`cannot read kubeconfig ${file}: ${firstLine(error)}; fix it, or try \`podinvaders --demo\``);
	}
	return config;
}

/** kubectl's merge rule for a KUBECONFIG list: the first file to define a name (or current-context) wins. */
function mergeFirstWins(k8s: ClientNode, configs: readonly KubeConfig[]): KubeConfig {
	const clusters = new Map<string, Cluster>();
	const users = new Map<string, User>();
	const contexts = new Map<string, Context>();
	let currentContext = '';
	for (const config of configs) {
		for (const cluster of config.clusters) if (!clusters.has(cluster.name)) clusters.set(cluster.name, cluster);
		for (const user of config.users) if (!users.has(user.name)) users.set(user.name, user);
		for (const context of config.contexts) if (!contexts.has(context.name)) contexts.set(context.name, context);
		if (!currentContext && config.currentContext) currentContext = config.currentContext;
	}
	const merged = new k8s.KubeConfig();
	merged.loadFromOptions({
		clusters: [...clusters.values()],
		users: [...users.values()],
		contexts: [...contexts.values()],
		currentContext,
	});
	return merged;
}

function inCluster(k8s: ClientNode, env: Readonly<Record<string, string | undefined>>, dir: string): KubeConfig | undefined {
	const host = env['KUBERNETES_SERVICE_HOST'];
	const port = env['KUBERNETES_SERVICE_PORT'];
	const tokenFile = join(dir, 'token');
	if (!host || !port || !isFile(tokenFile)) return undefined;
	// Same shape as KubeConfig.loadFromCluster, but from our env and dir (testable); tokenFile auth re-reads
	// the projected token, which the kubelet rotates.
	const server = `${['80', '8080', '8001'].includes(port) ? 'http' : 'https'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
	const namespaceFile = join(dir, 'namespace');
	const namespace = isFile(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() || undefined : undefined;
	const config = new k8s.KubeConfig();
	config.loadFromOptions({
		clusters: [{name: 'inCluster', server, caFile: join(dir, 'ca.crt'), skipTLSVerify: false}],
		users: [{name: 'inClusterUser', authProvider: {name: 'tokenFile', config: {tokenFile}}}],
		contexts: [{name: 'inClusterContext', cluster: 'inCluster', user: 'inClusterUser', ...(namespace ? {namespace} : {})}],
		currentContext: 'inClusterContext',
	});
	return config;
}

// client-node re-runs an exec plugin on every call when its credential has no expirationTimestamp
// (kubectl keeps it for the process lifetime): reuse an answer for a while, and share one in flight.
const authorizeCacheMs = 30_000;
function memoize<T>(load: () => Promise<T>, forMs: number): () => Promise<T> {
	let cached: {value: Promise<T>; at: number} | undefined;
	return () => {
		const now = Date.now();
		if (!cached || now - cached.at > forMs) {
			const value = load();
			cached = {value, at: now};
			value.catch(() => {
				if (cached?.value === value) cached = undefined; // a failure is not remembered
			});
		}
		return cached.value;
	};
}

/** The string headers client-node put on request options (Authorization, Impersonate-User). */
function stringHeaders(options: HttpsRequestOptions): Record<string, string> {
	const result: Record<string, string> = {};
	const headers = options.headers;
	if (!headers || Array.isArray(headers)) return result;
	for (const [key, value] of Object.entries(headers)) if (typeof value === 'string') result[key] = value;
	return result;
}

/** Finds and loads the kubeconfig (or in-cluster config). Throws UsageError/ClusterError with one line. */
export async function loadKubeConfig(options: ResolveOptions = {}): Promise<{config: KubeConfig; source: string}> {
	const env = options.env ?? process.env;
	const k8s: ClientNode = await import('@kubernetes/client-node');

	if (options.kubeconfig !== undefined) {
		if (!existsSync(options.kubeconfig)) throw new UsageError(`--kubeconfig ${options.kubeconfig}: no such file`);
		return {config: loadFile(k8s, options.kubeconfig), source: options.kubeconfig};
	}
	const fromEnv = env['KUBECONFIG'];
	if (fromEnv) {
		// Like kubectl: files that do not exist are skipped; if none does, nothing is configured.
		const files = fromEnv.split(delimiter).filter((file) => file !== '' && isFile(file));
		if (files.length === 0) throw new ClusterError(`${noClusterMessage} (KUBECONFIG=${fromEnv} names no readable file)`);
		const configs = files.map((file) => loadFile(k8s, file));
		return {config: configs.length === 1 ? configs[0]! : mergeFirstWins(k8s, configs), source: files.join(delimiter)};
	}
	const home = options.homeDir ?? env['HOME'] ?? homedir();
	const defaultFile = join(home, '.kube', 'config');
	if (isFile(defaultFile)) return {config: loadFile(k8s, defaultFile), source: defaultFile};

	const serviceAccount = inCluster(k8s, env, options.serviceAccountDir ?? defaultServiceAccountDir);
	if (serviceAccount) return {config: serviceAccount, source: 'in-cluster service account'};
	throw new ClusterError(noClusterMessage);
}

/** The kubeconfig files loadKubeConfig would read, found without loading client-node; [] when none. */
function kubeconfigFiles(options: ResolveOptions): string[] {
	const env = options.env ?? process.env;
	if (options.kubeconfig !== undefined) return isFile(options.kubeconfig) ? [options.kubeconfig] : [];
	const fromEnv = env['KUBECONFIG'];
	if (fromEnv) return fromEnv.split(delimiter).filter((file) => file !== '' && isFile(file));
	const defaultFile = join(options.homeDir ?? env['HOME'] ?? homedir(), '.kube', 'config');
	return isFile(defaultFile) ? [defaultFile] : [];
}

/** Resolves kubeconfig + --context into a ClusterAccess. Does not contact the server (see serverVersion). */
export async function resolveClusterAccess(options: ResolveOptions = {}): Promise<ClusterAccess> {
	// A plain server + CA + token/certificate kubeconfig needs no client-node (simple-kubeconfig.ts);
	// everything else, and every error message, comes from the complete path below.
	const files = kubeconfigFiles(options);
	if (files.length > 0) {
		const {resolveSimpleAccess} = await import('./simple-kubeconfig.js');
		const simple = resolveSimpleAccess(files, options.context);
		if (simple) return simple;
	}
	const {config, source} = await loadKubeConfig(options);
	const names = config.getContexts().map((context) => context.name);
	const available = names.length > 0 ? `available: ${names.join(', ')}` : 'it defines no contexts';
	if (options.context !== undefined) {
		// setCurrentContext accepts any string; an unknown one only fails later as "No active cluster!".
		if (!config.getContextObject(options.context)) {
			throw new UsageError(`context "${options.context}" not found in ${source} (${available})`);
		}
		config.setCurrentContext(options.context);
	}
	const contextName = config.getCurrentContext();
	const context = contextName ? config.getContextObject(contextName) : null;
	if (!context) {
		throw new ClusterError(
			contextName
				? `current-context "${contextName}" of ${source} does not exist (${available}); pass --context, or try \`podinvaders --demo\``
				: `${source} has no current-context (${available}); pass --context, or try \`podinvaders --demo\``,
		);
	}
	const cluster = config.getCurrentCluster();
	if (!cluster) throw new ClusterError(`context "${contextName}" names cluster "${context.cluster}", which ${source} does not define`);
	if (!/^https?:\/\//.test(cluster.server)) {
		throw new ClusterError(`cluster "${cluster.name}" has server "${cluster.server}", which is not an http(s) URL`);
	}
	// client-node refuses http:// servers unless skipTLSVerify (it builds an agent we do not even use);
	// kubectl allows them, so do we.
	if (cluster.server.startsWith('http:') && !cluster.skipTLSVerify) {
		config.clusters = config.clusters.map((entry) => (entry.name === cluster.name ? {...entry, skipTLSVerify: true} : entry));
	}
	const user = config.getCurrentUser();
	const credentialsExpire = Boolean(user?.exec || user?.authProvider);

	const applied: HttpsRequestOptions = {headers: {}};
	try {
		await config.applyToHTTPSOptions(applied);
	} catch (error) {
		throw new ClusterError(`cannot use the credentials of context "${contextName}": ${describeError(error)}`);
	}
	const {Authorization: authorization, ...otherHeaders} = stringHeaders(applied);
	const headers: Record<string, string> = {...otherHeaders, ...(authorization && !credentialsExpire ? {Authorization: authorization} : {})};
	const authorize = credentialsExpire
		? memoize(async (): Promise<Record<string, string>> => {
				const fresh: HttpsRequestOptions = {headers: {}};
				await config.applyToHTTPSOptions(fresh);
				const fresherAuthorization = stringHeaders(fresh)['Authorization'];
				return fresherAuthorization ? {Authorization: fresherAuthorization} : {};
			}, authorizeCacheMs)
		: undefined;
	return {
		server: cluster.server.replace(/\/+$/, ''),
		context: contextName,
		namespace: context.namespace || 'default',
		tls: {
			...(applied.ca ? {ca: applied.ca as Buffer} : {}),
			...(applied.cert ? {cert: applied.cert as Buffer} : {}),
			...(applied.key ? {key: applied.key as Buffer} : {}),
			...(applied.rejectUnauthorized === false && cluster.server.startsWith('https:') ? {rejectUnauthorized: false} : {}),
			...(applied.servername ? {servername: applied.servername} : {}),
		},
		headers,
		...(typeof applied.auth === 'string' ? {basicAuth: applied.auth} : {}),
		...(authorize ? {authorize} : {}),
		...(cluster.proxyUrl && applied.agent ? {agent: applied.agent as Agent} : {}),
		demo: false,
	};
}

/**
 * Asks the server for /version: the quick "is it there, does it take my credentials" check. Resolves with
 * its gitVersion; throws a ClusterError naming host and cause (connect timeout: a few seconds).
 */
export async function serverVersion(access: ClusterAccess, options: {connectTimeoutMs?: number; timeoutMs?: number} = {}): Promise<string> {
	try {
		const body = await requestJson(access, {
			path: '/version',
			connectTimeoutMs: options.connectTimeoutMs ?? 4000,
			timeoutMs: options.timeoutMs ?? 8000,
			target: {verb: 'get', resource: 'the server version'},
		});
		const version = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)['gitVersion'] : undefined;
		return typeof version === 'string' ? version : 'unknown';
	} catch (error) {
		throw new ClusterError(describeError(error, {server: access.server}));
	}
}

/**
 * Does the namespace exist? Listing pods in a missing namespace is not an error for the apiserver (just an
 * empty list), so the CLI asks this to say "namespace X not found". 'unknown' when we may not get namespaces.
 */
export async function namespaceStatus(access: ClusterAccess, namespace: string): Promise<'found' | 'missing' | 'unknown'> {
	try {
		const response = await request(access, {path: `/api/v1/namespaces/${encodeURIComponent(namespace)}`, timeoutMs: 8000});
		if (response.status === 200) return 'found';
		return response.status === 404 ? 'missing' : 'unknown';
	} catch {
		return 'unknown';
	}
}
