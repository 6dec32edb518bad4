import type {KillRequest, KillResult} from './kill.js';
import type {WatchEvent} from './watch.js';

// The seams between layers. The UI and the experiments depend on these, never on HTTP or client-node,
// so the same code runs on a real cluster, the demo cluster, and in tests.

/** A live view of the pods of one namespace + selector (implemented by kube/pod-watcher.ts). */
export interface PodSource {
	/** Listen to events; returns an unsubscribe function. A new listener first gets the latest snapshot, if any. */
	subscribe(listener: (event: WatchEvent) => void): () => void;
	start(): void;
	/** Stops watching and releases connections; idempotent. */
	stop(): Promise<void>;
}

/** Deletes (or evicts, or dry-runs) one pod, after every safety guard (implemented by kube/pod-killer.ts). */
export interface PodKillerPort {
	kill(request: KillRequest): Promise<KillResult>;
	/** From now on every kill is a server-side dry run (the game's `d`: only ever towards safer). Optional. */
	enableDryRun?(): void;
}

/** Where the game runs: shown in the status bar and in confirmations. */
export interface ClusterIdentity {
	readonly context: string;
	readonly server: string;
	readonly namespace: string;
	readonly selector: string;
	/** The embedded demo cluster: armed from the start, no confirmation. */
	readonly demo: boolean;
}
