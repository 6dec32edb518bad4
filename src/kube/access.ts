// ClusterAccess: everything needed to talk to one API server, as a small value. All HTTP in src/kube goes
// through node:http/node:https with it, so the demo cluster never loads @kubernetes/client-node (≈0.7 s,
// ≈80 MB) and a real cluster loads it only to read the kubeconfig (client.ts).
import type {Agent} from 'node:http';

export interface TlsOptions {
	readonly ca?: Buffer | string;
	readonly cert?: Buffer | string;
	readonly key?: Buffer | string;
	/** false only when the kubeconfig says insecure-skip-tls-verify. */
	readonly rejectUnauthorized?: boolean;
	/** tls-server-name from the kubeconfig. */
	readonly servername?: string;
}

export interface ClusterAccess {
	/** Base URL without a trailing slash, e.g. https://10.0.0.1:6443 or http://127.0.0.1:41234 */
	readonly server: string;
	/** kubeconfig context name (shown in the status bar, written to the audit log). */
	readonly context: string;
	/** The context's namespace, else "default". */
	readonly namespace: string;
	readonly tls: TlsOptions;
	/** Sent with every request: Authorization (static token), Impersonate-User. */
	readonly headers: Readonly<Record<string, string>>;
	/** Basic auth "user:password", if the kubeconfig has it. */
	readonly basicAuth?: string;
	/**
	 * Fresh auth headers per request for credentials that expire (exec plugins, auth providers, the
	 * in-cluster token file); client-node caches them until they expire, so this is cheap.
	 */
	readonly authorize?: () => Promise<Record<string, string>>;
	/** Only for a kubeconfig proxy-url (built by client-node); otherwise a fresh socket per request. */
	readonly agent?: Agent;
	/** The embedded demo cluster. */
	readonly demo: boolean;
}

/** Access to a server that needs no credentials: the embedded demo cluster, or a test server. */
export function accessForUrl(
	url: string,
	options: {readonly context?: string; readonly namespace?: string; readonly demo?: boolean} = {},
): ClusterAccess {
	const parsed = new URL(url);
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`not an http(s) URL: ${url}`);
	return {
		server: `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`,
		context: options.context ?? 'podinvaders-demo',
		namespace: options.namespace ?? 'default',
		tls: {},
		headers: {},
		demo: options.demo ?? true,
	};
}
