// The fast path of kubeconfig resolution: most kubeconfigs (kind, minikube, k3s, the demo cluster, a CI
// token) are a server, a CA and a token or a client certificate. Those are read here with js-yaml alone, so
// the game does not pay for @kubernetes/client-node (≈ 0.7 s and ≈ 80 MB) before its first full frame.
// Anything else — exec or auth-provider credentials, token files, impersonation, proxies, and every error —
// returns undefined, and client.ts resolves it the slow, complete way (with its one-line messages).
import {readFileSync} from 'node:fs';
import {dirname, isAbsolute, join} from 'node:path';
import {load} from 'js-yaml';
import type {ClusterAccess, TlsOptions} from './access.js';

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json | undefined =>
	value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
const asString = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

interface Named {
	readonly name: string;
	readonly body: Json;
	readonly dir: string;
}

interface Parsed {
	readonly clusters: readonly Named[];
	readonly users: readonly Named[];
	readonly contexts: readonly Named[];
	readonly currentContext?: string;
}

function parseFile(file: string): Parsed | undefined {
	let document: unknown;
	try {
		document = load(readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
	const root = asObject(document);
	if (!root) return undefined;
	const dir = dirname(file);
	const entries = (key: string, inner: string): Named[] | undefined => {
		const list = root[key] ?? [];
		if (!Array.isArray(list)) return undefined;
		const out: Named[] = [];
		for (const item of list) {
			const entry = asObject(item);
			const name = asString(entry?.['name']);
			const body = asObject(entry?.[inner]);
			if (!name || !body) return undefined;
			out.push({name, body, dir});
		}
		return out;
	};
	const clusters = entries('clusters', 'cluster');
	const users = entries('users', 'user');
	const contexts = entries('contexts', 'context');
	if (!clusters || !users || !contexts) return undefined;
	const currentContext = asString(root['current-context']);
	return {clusters, users, contexts, ...(currentContext ? {currentContext} : {})};
}

const relativeTo = (dir: string, path: string) => (isAbsolute(path) ? path : join(dir, path));

/** inline base64 data, or a file (relative to its kubeconfig, as kubectl reads it). */
function material(entry: Named, dataKey: string, fileKey: string): Buffer | undefined | null {
	const data = asString(entry.body[dataKey]);
	if (data) return Buffer.from(data, 'base64');
	const file = asString(entry.body[fileKey]);
	if (!file) return undefined;
	try {
		return readFileSync(relativeTo(entry.dir, file));
	} catch {
		return null; // unreadable: let the complete path report it
	}
}

const simpleUserKeys = new Set(['token', 'client-certificate', 'client-certificate-data', 'client-key', 'client-key-data', 'username', 'password']);
const simpleClusterKeys = new Set(['server', 'certificate-authority', 'certificate-authority-data', 'insecure-skip-tls-verify', 'tls-server-name']);

/**
 * The ClusterAccess for a simple kubeconfig, or undefined when the complete path must decide.
 * `files` are the kubeconfig files in KUBECONFIG order (merged first-wins, like kubectl).
 */
export function resolveSimpleAccess(files: readonly string[], contextOverride?: string): ClusterAccess | undefined {
	const parsed: Parsed[] = [];
	for (const file of files) {
		const config = parseFile(file);
		if (!config) return undefined;
		parsed.push(config);
	}
	const first = (pick: (config: Parsed) => readonly Named[], name: string) => {
		for (const config of parsed) {
			const found = pick(config).find((entry) => entry.name === name);
			if (found) return found;
		}
		return undefined;
	};
	const contextName = contextOverride ?? parsed.find((config) => config.currentContext)?.currentContext;
	if (!contextName) return undefined;
	const context = first((config) => config.contexts, contextName);
	const clusterName = asString(context?.body['cluster']);
	const userName = asString(context?.body['user']);
	if (!context || !clusterName) return undefined;
	const cluster = first((config) => config.clusters, clusterName);
	const user = userName ? first((config) => config.users, userName) : undefined;
	if (!cluster || (userName && !user)) return undefined;
	if (Object.keys(cluster.body).some((key) => !simpleClusterKeys.has(key))) return undefined;
	if (user && Object.keys(user.body).some((key) => !simpleUserKeys.has(key))) return undefined;

	const server = asString(cluster.body['server']);
	if (!server || !/^https?:\/\//.test(server)) return undefined;
	const ca = material(cluster, 'certificate-authority-data', 'certificate-authority');
	const cert = user ? material(user, 'client-certificate-data', 'client-certificate') : undefined;
	const key = user ? material(user, 'client-key-data', 'client-key') : undefined;
	if (ca === null || cert === null || key === null || Boolean(cert) !== Boolean(key)) return undefined;
	const insecure = cluster.body['insecure-skip-tls-verify'] === true;
	const servername = asString(cluster.body['tls-server-name']);
	const tls: TlsOptions = {
		...(ca ? {ca} : {}),
		...(cert ? {cert} : {}),
		...(key ? {key} : {}),
		...(insecure && server.startsWith('https:') ? {rejectUnauthorized: false} : {}),
		...(servername ? {servername} : {}),
	};
	const token = user ? asString(user.body['token']) : undefined;
	const username = user ? asString(user.body['username']) : undefined;
	const password = user ? asString(user.body['password']) : undefined;
	const namespace = asString(context.body['namespace']);
	return {
		server: server.replace(/\/+$/, ''),
		context: contextName,
		namespace: namespace ?? 'default',
		tls,
		headers: token ? {Authorization: `Bearer ${token}`} : {},
		...(username && password ? {basicAuth: `${username}:${password}`} : {}),
		demo: false,
	};
}
