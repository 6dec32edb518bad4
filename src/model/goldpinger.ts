// Goldpinger's view of the cluster, normalised: what kube/goldpinger.ts makes of a `/check_all` reply
// (Goldpinger 3.0 … 3.10), and what the game (health) and the UI (heat map) read.
// Every string in here has already been sanitised; every number is finite.

/** One background ping of `source` to `target`, as `source` last saw it (Goldpinger's PodResult). */
export interface GoldpingerPing {
	/** Goldpinger's key for the target: the pod name (or the node name with DISPLAY_NODENAME=true). */
	readonly target: string;
	readonly ok: boolean;
	/** Wall-clock ms of the ping; Goldpinger omits 0 (sub-millisecond), which reads as 0 here. */
	readonly responseTimeMs: number;
	/** 200 on success; 504 for any failed call (Goldpinger's synthetic code); 500 when the target has no IP. */
	readonly statusCode?: number;
	/** One line, sanitised. Present when the ping failed. */
	readonly error?: string;
	/** The ping failed by running out of time (PING_TIMEOUT, 300 ms by default), not by being refused. */
	readonly timedOut: boolean;
	readonly podIP?: string;
	readonly hostIP?: string;
	/** When the source pinged (RFC 3339 as Goldpinger wrote it), if it said. */
	readonly pingTime?: string;
}

/** One Goldpinger instance as the instance serving `/check_all` reached it (Goldpinger's CheckAllPodResult). */
export interface GoldpingerSource {
	readonly name: string;
	/** The serving instance got this instance's `/check` answer. False: it could not reach it. */
	readonly ok: boolean;
	readonly podIP?: string;
	readonly hostIP?: string;
	readonly error?: string;
	/** Its pings, sorted by target. Empty when `ok` is false. */
	readonly pings: readonly GoldpingerPing[];
}

export interface GoldpingerHost {
	readonly name: string;
	readonly podIP?: string;
	readonly hostIP?: string;
}

export interface GoldpingerResult {
	/** Sorted by name. */
	readonly sources: readonly GoldpingerSource[];
	/** The `hosts` list (the pods the serving instance selected), sorted by name. */
	readonly hosts: readonly GoldpingerHost[];
	/** The reply had more than the caps allow; the rest was dropped. */
	readonly truncated: boolean;
	/** `dnsResults` means 3.0–3.5, `probeResults` 3.6+; neither (no probes configured) tells nothing. */
	readonly flavour: '3.0-3.5' | '3.6+' | 'unknown';
	/** Monotonic ms (performance.now() of the poller) when the reply arrived. */
	readonly receivedAt: number;
}

/**
 * The poller's state:
 * - `waiting`: no answer yet;
 * - `ok`: the last poll succeeded (`result` is fresh);
 * - `stale`: the last poll failed, `result` is the last good one (see its `receivedAt`);
 * - `error`: polls fail and there never was a good result (or a reply was not Goldpinger's);
 * - `off`: there is no Goldpinger service to ask: colouring is off, `message` is the one hint to show.
 */
export type GoldpingerStateKind = 'waiting' | 'ok' | 'stale' | 'error' | 'off';

export interface GoldpingerStatus {
	readonly state: GoldpingerStateKind;
	/** The last good result, if any (also kept through `stale` and `error`). */
	readonly result?: GoldpingerResult;
	/** One line for humans (sanitised): the error or the hint. */
	readonly message?: string;
	/** Where the poller asks, for the status bar: `svc goldpinger:8080` or the URL. */
	readonly source: string;
}

/** Health of one pod as Goldpinger's peers see it (the book's rule, see game/health.ts). */
export type PodHealth = 'healthy' | 'unhealthy' | 'unknown';
