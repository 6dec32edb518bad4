// PodKiller: the only code that deletes anything, and every safety guard lives here, inside kill(), so no
// caller (game, autopilot, experiment) can go around them:
//   spectator mode · scope (a uid the watcher sees, in this namespace, matching the selector) · protected
//   namespaces · already terminating / already shot · min age · min-ready floor per owner · rate limit
// Then DELETE with preconditions.uid (a newer pod that reuses the name is never hit) and the grace period, or
// POST …/eviction with --evict (PodDisruptionBudgets honoured; 429 = deflected). dryRun=All with --dry-run.
// Every attempt, refused or failed too, is one line in the audit log; a real kill also gets a core/v1 Event.
import {hostname} from 'node:os';
import type {KillOutcome, KillRequest, KillResult} from '../model/kill.js';
import type {Pod} from '../model/pod.js';
import type {PodKillerPort} from '../model/ports.js';
import {sanitizeLine} from '../model/sanitize.js';
import type {ClusterAccess} from './access.js';
import {AuditLog} from './audit-log.js';
import {ApiError, describeError, parseStatus, rbacManifest, UsageError} from './errors.js';
import {request, requestJson, type HttpResponse} from './http.js';
import {KillBudget} from './kill-budget.js';
import type {PodView} from './pod-watcher.js';
import {matchesRequirements, parseLabelSelector, type Requirement} from './selector.js';

export const protectedNamespaces: readonly string[] = ['kube-system', 'kube-public', 'kube-node-lease'];

export interface PodKillerOptions {
	readonly access: ClusterAccess;
	/** For the audit log; default access.context. */
	readonly context?: string;
	/** The watched namespace: the only one kills may touch. */
	readonly namespace: string;
	/** The watched selector: a target's labels must still match it. */
	readonly labelSelector?: string;
	/** The watcher's current view (PodWatcher is one): the scope guard and the min-ready floor read it. */
	readonly knownPods: PodView;
	/** Server-side dryRun=All: validated by the API, nothing deleted. */
	readonly dryRun?: boolean;
	/** Through the Eviction API (PodDisruptionBudgets honoured). */
	readonly evict?: boolean;
	/** Default: the pod's own terminationGracePeriodSeconds. */
	readonly gracePeriodSeconds?: number;
	readonly allowProtected?: boolean;
	/** At most this many kills in any 60 s. Default 30. */
	readonly maxKillsPerMinute?: number;
	/**
	 * The kill window to spend from, when one is shared: the game's n and / build a new PodKiller per scope, and
	 * the limit is for the session, not per namespace. Default: a window of its own (maxKillsPerMinute).
	 */
	readonly budget?: KillBudget;
	/** Refuse pods younger than this. Default 0. */
	readonly minAgeSeconds?: number;
	/** ≥ 1: keep at least this many Ready pods per owner; (0, 1): that fraction of the owner's pods. */
	readonly minReady?: number;
	/** Append every attempt here as a JSON line. */
	readonly auditLog?: string;
	/** Post a core/v1 Event on each killed pod (ignored quietly where RBAC says no). Default true. */
	readonly recordEvents?: boolean;
	/** Read-only: the user may not delete (see checkDeleteAccess). Every kill is refused, saying why. */
	readonly spectator?: boolean;
	/** Monotonic ms for KillResult.at. Default performance.now. */
	readonly now?: () => number;
	/** Wall-clock ms for pod age, the rate limit and audit times. Default Date.now. */
	readonly clock?: () => number;
}

export interface PodKillerStats {
	attempts: number;
	apiCalls: number;
	eventsRecorded: number;
	eventsFailed: number;
	auditFailures: number;
}

interface Target {
	readonly pod: Pod;
}

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class PodKiller implements PodKillerPort {
	readonly stats: PodKillerStats = {attempts: 0, apiCalls: 0, eventsRecorded: 0, eventsFailed: 0, auditFailures: 0};
	private readonly requirements: Requirement[];
	private readonly budget: KillBudget;
	private readonly audit: AuditLog | undefined;
	private readonly now: () => number;
	private readonly clock: () => number;
	/** uids with a request on its way: a second shot is refused, and min-ready counts them as gone. */
	private readonly inFlight = new Set<string>();
	/** uids we deleted that the view may not yet show as terminating. */
	private readonly killed = new Set<string>();
	private readonly background = new Set<Promise<void>>();
	/** Starts from the option; enableDryRun() can only ever turn it on (the game's `d`: only towards safer). */
	private dryRunOn: boolean;

	constructor(private readonly options: PodKillerOptions) {
		try {
			this.requirements = parseLabelSelector(options.labelSelector ?? '');
		} catch (error) {
			throw new UsageError(`invalid label selector "${options.labelSelector}": ${(error as Error).message}`);
		}
		this.now = options.now ?? (() => performance.now());
		this.clock = options.clock ?? Date.now;
		this.budget = options.budget ?? new KillBudget(options.maxKillsPerMinute ?? 30, this.clock);
		this.audit = options.auditLog !== undefined ? new AuditLog(options.auditLog) : undefined;
		this.dryRunOn = options.dryRun ?? false;
	}

	get dryRun(): boolean {
		return this.dryRunOn;
	}

	/** From now on every shot is a server-side dry run. There is deliberately no way back. */
	enableDryRun(): void {
		this.dryRunOn = true;
	}

	get spectator(): boolean {
		return this.options.spectator ?? false;
	}

	/** Kills left in the current minute. */
	remainingKills(): number {
		return this.budget.remaining();
	}

	async kill(request: KillRequest): Promise<KillResult> {
		this.stats.attempts++;
		// Guards and the in-flight mark happen in one synchronous step: two quick shots cannot both pass.
		const verdict = this.guard(request);
		if ('refused' in verdict) return this.finish(request, verdict.namespace, 'refused', verdict.refused);
		const {pod} = verdict;
		this.inFlight.add(pod.uid);
		let outcome: {outcome: KillOutcome; message: string};
		try {
			this.stats.apiCalls++;
			outcome = this.options.evict ? await this.evictPod(pod) : await this.deletePod(pod);
		} catch (error) {
			outcome = {outcome: 'failed', message: describeError(error, {server: this.options.access.server})};
		} finally {
			this.inFlight.delete(pod.uid);
		}
		if (outcome.outcome === 'deleted' || outcome.outcome === 'evicted') {
			this.killed.add(pod.uid);
			if (this.options.recordEvents ?? true) this.track(this.recordEvent(pod, request, outcome.outcome));
		}
		return this.finish(request, pod.namespace, outcome.outcome, outcome.message);
	}

	/** Waits for Events still being posted (tests, and a clean exit). */
	async flush(): Promise<void> {
		while (this.background.size > 0) await Promise.all([...this.background]);
	}

	private guard(request: KillRequest): Target | {refused: string; namespace: string} {
		const {namespace} = this.options;
		const refuse = (reason: string, inNamespace = namespace) => ({refused: reason, namespace: inNamespace});
		if (this.spectator) {
			return refuse(`spectator mode: you may not delete pods in namespace "${namespace}" (see ${rbacManifest})`);
		}
		const pod = this.options.knownPods.get(request.uid);
		if (!pod) return refuse(`${request.name} (uid ${request.uid}) is not a pod in view; refused`);
		if (pod.name !== request.name) return refuse(`uid ${request.uid} belongs to ${pod.name}, not ${request.name}; refused`);
		if (pod.namespace !== namespace) return refuse(`${pod.name} is in namespace "${pod.namespace}", not the watched "${namespace}"`, pod.namespace);
		if (!matchesRequirements(this.requirements, pod.labels)) {
			return refuse(`${pod.name} does not match the selector "${this.options.labelSelector}"`);
		}
		if (protectedNamespaces.includes(pod.namespace) && !this.options.allowProtected) {
			return refuse(`namespace "${pod.namespace}" is protected; add --allow-protected to shoot here`);
		}
		for (const uid of this.killed) if (!this.options.knownPods.get(uid)) this.killed.delete(uid);
		if (pod.deletionTimestamp || this.killed.has(pod.uid)) return refuse(`${pod.name} is already terminating`);
		if (this.inFlight.has(pod.uid)) return refuse(`a shot at ${pod.name} is already on its way`);
		const minAge = this.options.minAgeSeconds ?? 0;
		if (minAge > 0) {
			const created = Date.parse(pod.creationTimestamp);
			const ageSeconds = (this.clock() - created) / 1000;
			if (!Number.isFinite(created)) return refuse(`${pod.name} has no creation time; --min-age cannot vouch for it`);
			if (ageSeconds < minAge) return refuse(`${pod.name} is ${Math.max(0, Math.floor(ageSeconds))} s old, younger than --min-age ${minAge} s`);
		}
		const floorProblem = this.minReadyProblem(pod);
		if (floorProblem) return refuse(floorProblem);
		const token = this.budget.take();
		if (!token.ok) {
			return refuse(
				`rate limit: ${this.options.maxKillsPerMinute ?? 30} kills per minute reached; next in ${Math.ceil(token.retryInMs / 1000)} s`,
			);
		}
		return {pod};
	}

	/** Would this kill drop the owner's Ready pods below --min-ready? A bare pod is its own group of one. */
	private minReadyProblem(pod: Pod): string | undefined {
		const minReady = this.options.minReady ?? 0;
		if (minReady <= 0) return undefined;
		const group = pod.owner ? this.options.knownPods.list().filter((other) => other.owner?.uid === pod.owner!.uid) : [pod];
		const alive = group.filter((other) => !other.deletionTimestamp && !this.killed.has(other.uid) && !this.inFlight.has(other.uid));
		const readyNow = alive.filter((other) => other.ready).length;
		const readyAfter = readyNow - (pod.ready ? 1 : 0);
		const floor = minReady >= 1 ? minReady : Math.ceil(minReady * alive.length);
		if (readyAfter >= floor) return undefined;
		const owner = pod.owner ? `${pod.owner.kind} ${pod.owner.name}` : pod.name;
		return `--min-ready: ${owner} would have ${readyAfter} Ready, below its floor of ${floor}`;
	}

	private podPath(pod: Pod, suffix = ''): string {
		return `/api/v1/namespaces/${encodeURIComponent(pod.namespace)}/pods/${encodeURIComponent(pod.name)}${suffix}`;
	}

	private deleteOptions(pod: Pod): Record<string, unknown> {
		const grace = this.options.gracePeriodSeconds;
		return {
			preconditions: {uid: pod.uid},
			...(grace !== undefined ? {gracePeriodSeconds: grace} : {}),
			...(this.dryRun ? {dryRun: ['All']} : {}),
		};
	}

	private async deletePod(pod: Pod): Promise<{outcome: KillOutcome; message: string}> {
		const grace = this.options.gracePeriodSeconds;
		const response = await request(this.options.access, {
			method: 'DELETE',
			path: this.podPath(pod),
			query: {gracePeriodSeconds: grace, dryRun: this.dryRun ? 'All' : undefined},
			body: {kind: 'DeleteOptions', apiVersion: 'v1', ...this.deleteOptions(pod)},
			timeoutMs: 15_000,
		});
		if (response.status === 200 || response.status === 202) {
			if (this.dryRun) return {outcome: 'dry-run', message: `dry run: the server would delete ${pod.name}; nothing was deleted`};
			return {outcome: 'deleted', message: `deleted ${pod.name}${grace !== undefined ? ` (grace ${grace} s)` : ''}`};
		}
		return this.unsuccessful(pod, response, 'delete', 'pods');
	}

	private async evictPod(pod: Pod): Promise<{outcome: KillOutcome; message: string}> {
		const response = await request(this.options.access, {
			method: 'POST',
			path: this.podPath(pod, '/eviction'),
			query: {dryRun: this.dryRun ? 'All' : undefined},
			body: {
				apiVersion: 'policy/v1',
				kind: 'Eviction',
				metadata: {name: pod.name, namespace: pod.namespace},
				deleteOptions: this.deleteOptions(pod),
			},
			timeoutMs: 15_000,
		});
		if (response.status >= 200 && response.status < 300) {
			if (this.dryRun) return {outcome: 'dry-run', message: `dry run: the server would evict ${pod.name}; nothing was evicted`};
			return {outcome: 'evicted', message: `evicted ${pod.name}`};
		}
		if (response.status === 429) {
			const status = parseStatus(response.body);
			return {outcome: 'deflected', message: `deflected: ${status?.message ?? 'the PodDisruptionBudget allows no disruption now'}`};
		}
		return this.unsuccessful(pod, response, 'create', 'pods/eviction');
	}

	private unsuccessful(pod: Pod, response: HttpResponse, verb: string, resource: string): {outcome: KillOutcome; message: string} {
		const text = response.body.toString('utf8');
		const status = parseStatus(text);
		if (response.status === 404 && (status?.details?.kind === 'pods' || /pods? "[^"]*" not found/.test(status?.message ?? ''))) {
			return {outcome: 'gone', message: `${pod.name} is already gone`};
		}
		if (response.status === 404 && resource === 'pods/eviction' && !status) {
			return {outcome: 'failed', message: 'this server has no Eviction API (404); shoot without --evict'};
		}
		if (response.status === 409 && /precondition|uid/i.test(status?.message ?? '')) {
			return {outcome: 'gone', message: `${pod.name} now belongs to a newer pod (uid precondition failed); nothing deleted`};
		}
		const error = new ApiError(response.status, text, {
			server: this.options.access.server,
			verb,
			resource,
			namespace: pod.namespace,
			name: pod.name,
		});
		return {outcome: 'failed', message: error.message};
	}

	private finish(request: KillRequest, namespace: string, outcome: KillOutcome, rawMessage: string): KillResult {
		let message = sanitizeLine(rawMessage, 300);
		if (this.audit) {
			const problem = this.audit.append({
				time: new Date(this.clock()).toISOString(),
				context: this.options.context ?? this.options.access.context,
				namespace,
				pod: request.name,
				uid: request.uid,
				actor: request.actor,
				dryRun: this.dryRun,
				evict: this.options.evict ?? false,
				outcome,
				message,
			});
			if (problem) {
				this.stats.auditFailures++;
				message = sanitizeLine(`${message}; ${problem}`, 300);
			}
		}
		return {request, outcome, message, at: this.now()};
	}

	private track(work: Promise<void>): void {
		this.background.add(work);
		void work.finally(() => this.background.delete(work));
	}

	/** reason Killing, like the kubelet's own event when it stops a pod; failures (e.g. 403) are ignored. */
	private async recordEvent(pod: Pod, request: KillRequest, outcome: 'deleted' | 'evicted'): Promise<void> {
		const time = isoSeconds(this.clock());
		try {
			await requestJson(this.options.access, {
				method: 'POST',
				path: `/api/v1/namespaces/${encodeURIComponent(pod.namespace)}/events`,
				body: {
					apiVersion: 'v1',
					kind: 'Event',
					metadata: {generateName: `${pod.name}.`, namespace: pod.namespace},
					involvedObject: {apiVersion: 'v1', kind: 'Pod', name: pod.name, namespace: pod.namespace, uid: pod.uid},
					reason: 'Killing',
					message: `${outcome} by podinvaders (${request.actor})`,
					type: 'Normal',
					source: {component: 'podinvaders'},
					reportingComponent: 'podinvaders',
					reportingInstance: hostname(),
					firstTimestamp: time,
					lastTimestamp: time,
					count: 1,
				},
				timeoutMs: 10_000,
			});
			this.stats.eventsRecorded++;
		} catch {
			this.stats.eventsFailed++;
		}
	}
}

/**
 * May this user delete (or, with evict, evict) pods in the namespace? Asked with a SelfSubjectAccessReview.
 * false → run in spectator mode. When the review itself cannot be made, answers true: the first shot then
 * reports the real reason.
 */
export async function checkDeleteAccess(
	access: ClusterAccess,
	namespace: string,
	options: {readonly evict?: boolean} = {},
): Promise<boolean> {
	try {
		const body = await requestJson(access, {
			method: 'POST',
			path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
			body: {
				apiVersion: 'authorization.k8s.io/v1',
				kind: 'SelfSubjectAccessReview',
				spec: {
					resourceAttributes: options.evict
						? {namespace, verb: 'create', resource: 'pods', subresource: 'eviction'}
						: {namespace, verb: 'delete', resource: 'pods'},
				},
			},
			timeoutMs: 10_000,
		});
		const status = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)['status'] : undefined;
		const allowed = status !== null && typeof status === 'object' ? (status as Record<string, unknown>)['allowed'] : undefined;
		return allowed !== false;
	} catch {
		return true;
	}
}
