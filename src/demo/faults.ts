// Fault knobs for tests and chaos drills: drop watch connections, expire resourceVersions (410), slow every
// response, forbid verbs on resources (403 worded like RBAC; for everyone or for one user), send malformed
// watch lines, fail the next N requests with 500.
import type {Store} from './store.js';

export interface FaultKnobs {
	latencyMs: number;
	/** `user` set: the rule applies to that user only (the demo's user is its bearer token, see api.ts). */
	forbid: Array<{verb: string; resource: string; user?: string}>;
	malformedWatchLines: boolean;
	failNextRequests: number;
}

export interface DemoFaults {
	/** Close every open watch stream now (abruptly, as a dropped connection; `{graceful: true}` ends them cleanly). */
	dropWatches(options?: {graceful?: boolean}): void;
	/** Compact history: any older resourceVersion now gets 410. */
	expireHistory(): void;
	set(knobs: Partial<FaultKnobs>): void;
}

export class Faults implements DemoFaults {
	readonly knobs: FaultKnobs = {latencyMs: 0, forbid: [], malformedWatchLines: false, failNextRequests: 0};
	private readonly watchClosers = new Set<(graceful: boolean) => void>();

	constructor(private readonly store: Store) {}

	dropWatches(options: {graceful?: boolean} = {}): void {
		for (const close of [...this.watchClosers]) close(options.graceful === true);
	}

	expireHistory(): void {
		this.store.expireHistory();
	}

	set(knobs: Partial<FaultKnobs>): void {
		if (knobs.latencyMs !== undefined) this.knobs.latencyMs = Math.max(0, knobs.latencyMs);
		if (knobs.forbid !== undefined) this.knobs.forbid = knobs.forbid.map((rule) => ({...rule}));
		if (knobs.malformedWatchLines !== undefined) this.knobs.malformedWatchLines = knobs.malformedWatchLines;
		if (knobs.failNextRequests !== undefined) this.knobs.failNextRequests = Math.max(0, Math.floor(knobs.failNextRequests));
	}

	/** `resource` includes the subresource (`pods/eviction`); `*` in a rule matches anything. */
	isForbidden(verb: string, resource: string, user?: string): boolean {
		return this.knobs.forbid.some(
			(rule) =>
				(rule.verb === '*' || rule.verb === verb) &&
				(rule.resource === '*' || rule.resource === resource) &&
				(rule.user === undefined || rule.user === user),
		);
	}

	/** Consumes one injected failure, if any is left. */
	takeFailure(): boolean {
		if (this.knobs.failNextRequests <= 0) return false;
		this.knobs.failNextRequests--;
		return true;
	}

	registerWatch(close: (graceful: boolean) => void): () => void {
		this.watchClosers.add(close);
		return () => this.watchClosers.delete(close);
	}

	get openWatches(): number {
		return this.watchClosers.size;
	}
}
