// PodDisruptionBudget arithmetic, shared by the PDB status controller and the Eviction subresource.
import {matchesLabels, selectorFromObject} from './selectors.js';
import type {KObject, Store} from './store.js';
import {asArray, asNumber, asObject, asString} from './util.js';

export interface BudgetState {
	expectedPods: number;
	currentHealthy: number;
	desiredHealthy: number;
	disruptionsAllowed: number;
}

export const isPodReady = (pod: KObject): boolean =>
	asArray(asObject(pod['status'])['conditions']).some((c) => asObject(c)['type'] === 'Ready' && asObject(c)['status'] === 'True');

/** An int or a percentage ("25%") of `total`, rounded up as the disruption controller does. */
export function scaled(value: unknown, total: number, roundUp: boolean): number | undefined {
	const number = asNumber(value);
	if (number !== undefined) return number;
	const text = asString(value);
	const match = text ? /^(\d+)%$/.exec(text) : null;
	if (!match) return undefined;
	const exact = (Number(match[1]) * total) / 100;
	return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export function podsOfBudget(store: Store, pdb: KObject): KObject[] {
	const selector = selectorFromObject(asObject(pdb['spec'])['selector']);
	if (!selector) return [];
	return store.list('pods', pdb.metadata.namespace).filter((pod) => matchesLabels(selector, pod.metadata.labels));
}

export function budgetState(store: Store, pdb: KObject): BudgetState {
	const spec = asObject(pdb['spec']);
	const pods = podsOfBudget(store, pdb);
	const live = pods.filter((pod) => !pod.metadata.deletionTimestamp);
	// Expected pods: the desired scale of the owning controllers, or the pods themselves when bare.
	const owners = new Map<string, number>();
	let bare = 0;
	for (const pod of live) {
		const owner = pod.metadata.ownerReferences?.find((ref) => ref.controller);
		if (!owner) {
			bare++;
			continue;
		}
		const rs = store.get(owner.kind === 'ReplicaSet' ? 'apps/replicasets' : '', pod.metadata.namespace, owner.name);
		owners.set(owner.uid, asNumber(asObject(rs?.['spec'])['replicas']) ?? 1);
	}
	const expectedPods = bare + [...owners.values()].reduce((a, b) => a + b, 0);
	const currentHealthy = live.filter(isPodReady).length;
	let desiredHealthy = 0;
	if (spec['minAvailable'] !== undefined) desiredHealthy = scaled(spec['minAvailable'], expectedPods, true) ?? 0;
	else if (spec['maxUnavailable'] !== undefined) desiredHealthy = Math.max(0, expectedPods - (scaled(spec['maxUnavailable'], expectedPods, true) ?? 0));
	return {expectedPods, currentHealthy, desiredHealthy, disruptionsAllowed: Math.max(0, currentHealthy - desiredHealthy)};
}
