import type {Pod} from '../model/pod.js';

// What an invader looks like follows only from what the cluster (and Goldpinger) says about its pod.
// Every look has its own glyphs as well as its own colour, so the screen reads without colour.

export type InvaderHealth = 'healthy' | 'unhealthy' | 'unknown';

export type Look =
	| 'ready' // Running and Ready (and healthy, or no Goldpinger data at all)
	| 'not-ready' // Running, Ready condition not True
	| 'pending' // Pending (scheduling, pulling, …)
	| 'creating' // ContainerCreating / PodInitializing / Init:…
	| 'terminating' // deletionTimestamp set
	| 'failed' // Failed, Unknown, CrashLoopBackOff, Error, …
	| 'done' // Succeeded / Completed
	| 'unhealthy' // Goldpinger: some peer cannot reach it
	| 'health-unknown'; // Goldpinger runs but has no (fresh) word on this pod

export const looks: readonly Look[] = [
	'ready',
	'not-ready',
	'pending',
	'creating',
	'terminating',
	'failed',
	'done',
	'unhealthy',
	'health-unknown',
];

const creatingStatuses = /^(ContainerCreating|PodInitializing|Init:)/;
const failedStatuses = /^(CrashLoopBackOff|Error|ImagePullBackOff|ErrImagePull|CreateContainerConfigError|OOMKilled|Evicted|Unknown|NodeLost|ExitCode:)/;

/** `health` is undefined when Goldpinger colouring is off (no data at all): then phase alone decides. */
export function lookOf(pod: Pod, health: InvaderHealth | undefined): Look {
	if (pod.deletionTimestamp) return 'terminating';
	if (pod.phase === 'Succeeded' || pod.status === 'Completed') return 'done';
	if (pod.phase === 'Failed' || pod.phase === 'Unknown' || failedStatuses.test(pod.status)) return 'failed';
	if (pod.phase === 'Pending') return creatingStatuses.test(pod.status) ? 'creating' : 'pending';
	if (health === 'unhealthy') return 'unhealthy';
	if (!pod.ready) return 'not-ready';
	if (health === 'unknown') return 'health-unknown';
	return 'ready';
}

/** A one-word phase for tables and the status bar: what kubectl would say, shortened. */
export function phaseWord(pod: Pod): string {
	if (pod.deletionTimestamp) return 'Terminating';
	if (pod.phase === 'Running' && !pod.ready && pod.status === 'Running') return 'NotReady';
	return pod.status || pod.phase;
}
