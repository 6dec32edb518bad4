// The one shape of a pod that every layer (kube, game, ui, experiments) shares.
// Only the fields the game needs are kept, so 5000 pods stay small in memory:
// managedFields, specs and the rest of the API object are dropped as objects arrive.

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export interface PodOwner {
	readonly kind: string; // ReplicaSet, StatefulSet, DaemonSet, Job, …
	readonly name: string;
	readonly uid: string;
}

export interface Pod {
	readonly uid: string;
	readonly name: string;
	readonly namespace: string;
	readonly resourceVersion: string;
	readonly phase: PodPhase;
	/** What `kubectl get pods` prints in STATUS: Pending, ContainerCreating, Running, Terminating, CrashLoopBackOff, … */
	readonly status: string;
	/** The pod's Ready condition is True. */
	readonly ready: boolean;
	readonly readyContainers: number;
	readonly totalContainers: number;
	readonly restarts: number;
	readonly creationTimestamp: string;
	readonly deletionTimestamp?: string;
	readonly deletionGracePeriodSeconds?: number;
	readonly owner?: PodOwner;
	readonly podIP?: string;
	readonly hostIP?: string;
	readonly nodeName?: string;
	readonly labels: Readonly<Record<string, string>>;
}

const phases: readonly PodPhase[] = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const asNumber = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** The STATUS column as kubectl computes it (printers.go printPod), in the subset that matters for pods we draw. */
export function kubectlStatus(raw: unknown): string {
	const pod = asObject(raw);
	const metadata = asObject(pod['metadata']);
	const status = asObject(pod['status']);
	let reason = asString(status['reason']) ?? asString(status['phase']) ?? 'Unknown';

	let initializing = false;
	const initStatuses = asArray(status['initContainerStatuses']);
	initStatuses.forEach((entry, index) => {
		if (initializing) return;
		const state = asObject(asObject(entry)['state']);
		const terminated = asObject(state['terminated']);
		const waiting = asObject(state['waiting']);
		if (state['terminated'] && asNumber(terminated['exitCode']) === 0) return;
		if (state['terminated']) {
			reason = `Init:${asString(terminated['reason']) ?? `ExitCode:${asNumber(terminated['exitCode']) ?? '?'}`}`;
		} else if (state['waiting'] && asString(waiting['reason']) && asString(waiting['reason']) !== 'PodInitializing') {
			reason = `Init:${asString(waiting['reason'])}`;
		} else {
			reason = `Init:${index}/${initStatuses.length}`;
		}
		initializing = true;
	});

	if (!initializing) {
		let hasRunning = false;
		for (const entry of asArray(status['containerStatuses']).slice().reverse()) {
			const container = asObject(entry);
			const state = asObject(container['state']);
			const waiting = asObject(state['waiting']);
			const terminated = asObject(state['terminated']);
			if (state['waiting'] && asString(waiting['reason'])) {
				reason = asString(waiting['reason'])!;
			} else if (state['terminated'] && asString(terminated['reason'])) {
				reason = asString(terminated['reason'])!;
			} else if (state['terminated']) {
				reason = `ExitCode:${asNumber(terminated['exitCode']) ?? '?'}`;
			} else if (container['ready'] === true && state['running']) {
				hasRunning = true;
			}
		}
		if (reason === 'Completed' && hasRunning) reason = 'Running';
	}

	if (metadata['deletionTimestamp']) reason = asString(status['reason']) === 'NodeLost' ? 'Unknown' : 'Terminating';
	return reason;
}

/** Slims a raw API pod object (from a list, a watch event or a delete reply) to a Pod. Never throws on odd input. */
export function podFromObject(raw: unknown): Pod {
	const pod = asObject(raw);
	const metadata = asObject(pod['metadata']);
	const status = asObject(pod['status']);
	const spec = asObject(pod['spec']);
	const phaseText = asString(status['phase']);
	const phase: PodPhase = phases.includes(phaseText as PodPhase) ? (phaseText as PodPhase) : phaseText ? 'Unknown' : 'Pending';
	const containerStatuses = asArray(status['containerStatuses']).map(asObject);
	const totalContainers = Math.max(asArray(spec['containers']).length, containerStatuses.length);
	const readyCondition = asArray(status['conditions'])
		.map(asObject)
		.find((condition) => condition['type'] === 'Ready');
	const controller = asArray(metadata['ownerReferences'])
		.map(asObject)
		.find((ref) => ref['controller'] === true) ?? asObject(asArray(metadata['ownerReferences'])[0]);
	const ownerName = asString(controller['name']);
	const labels: Record<string, string> = {};
	for (const [key, value] of Object.entries(asObject(metadata['labels']))) {
		if (typeof value === 'string') labels[key] = value;
	}
	const deletionTimestamp = asString(metadata['deletionTimestamp']);
	const deletionGracePeriodSeconds = asNumber(metadata['deletionGracePeriodSeconds']);
	const podIP = asString(status['podIP']);
	const hostIP = asString(status['hostIP']);
	const nodeName = asString(spec['nodeName']);
	return {
		uid: asString(metadata['uid']) ?? '',
		name: asString(metadata['name']) ?? '',
		namespace: asString(metadata['namespace']) ?? '',
		resourceVersion: asString(metadata['resourceVersion']) ?? '',
		phase,
		status: kubectlStatus(raw),
		ready: readyCondition?.['status'] === 'True',
		readyContainers: containerStatuses.filter((container) => container['ready'] === true).length,
		totalContainers,
		restarts: containerStatuses.reduce((sum, container) => sum + (asNumber(container['restartCount']) ?? 0), 0),
		creationTimestamp: asString(metadata['creationTimestamp']) ?? '',
		...(deletionTimestamp ? {deletionTimestamp} : {}),
		...(deletionGracePeriodSeconds !== undefined ? {deletionGracePeriodSeconds} : {}),
		...(ownerName
			? {owner: {kind: asString(controller['kind']) ?? '', name: ownerName, uid: asString(controller['uid']) ?? ''}}
			: {}),
		...(podIP ? {podIP} : {}),
		...(hostIP ? {hostIP} : {}),
		...(nodeName ? {nodeName} : {}),
		labels,
	};
}
