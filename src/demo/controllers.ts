// The controllers of the demo's control plane, driven by store changes and coalesced per event-loop turn:
// Deployment → ReplicaSet (by pod-template-hash, rolling over to a new template) → pods (a deleted pod's
// replacement is created at once, while the old one is still Terminating), Endpoints from ready pods,
// PodDisruptionBudget status, and garbage collection of dependents when an owner is deleted.
import type {EventRecorder} from './events.js';
import type {Ops} from './ops.js';
import {budgetState, isPodReady, scaled} from './pdb.js';
import {byStorage} from './resources.js';
import {matchesLabels, selectorFromMap, selectorFromObject} from './selectors.js';
import type {Change, KObject, OwnerReference, Store} from './store.js';
import {asArray, asNumber, asObject, asString, canonicalJson, deepClone, fnv32a, safeEncode, type Json} from './util.js';

const key = (namespace: string | undefined, name: string): string => `${namespace ?? ''}/${name}`;
const controllerOf = (object: KObject): OwnerReference | undefined => object.metadata.ownerReferences?.find((ref) => ref.controller);
const isActive = (pod: KObject): boolean => {
	const phase = asString(asObject(pod['status'])['phase']);
	return !pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
};

/** Pods owned by each ReplicaSet (by uid), kept up to date from store changes so reconciles are O(1). */
class OwnedPods {
	private readonly byOwner = new Map<string, Map<string, KObject>>();
	update(change: Change): void {
		const before = change.old && controllerOf(change.old)?.uid;
		const after = change.type === 'DELETED' ? undefined : controllerOf(change.object)?.uid;
		const podKey = key(change.object.metadata.namespace, change.object.metadata.name);
		if (before && before !== after) this.byOwner.get(before)?.delete(podKey);
		if (after) {
			let pods = this.byOwner.get(after);
			if (!pods) this.byOwner.set(after, (pods = new Map()));
			pods.set(podKey, change.object);
		}
	}
	of(ownerUid: string): KObject[] {
		return [...(this.byOwner.get(ownerUid)?.values() ?? [])];
	}
	forget(ownerUid: string): void {
		this.byOwner.delete(ownerUid);
	}
}

export class Controllers {
	private readonly owned = new OwnedPods();
	private readonly dirty = {replicasets: new Set<string>(), deployments: new Set<string>(), services: new Set<string>(), budgets: new Set<string>()};
	private scheduled: NodeJS.Immediate | undefined;
	private closed = false;
	private readonly unsubscribe: () => void;

	constructor(
		private readonly store: Store,
		private readonly ops: Ops,
		private readonly events: EventRecorder,
	) {
		this.unsubscribe = store.subscribe((change) => this.onChange(change));
	}

	close(): void {
		this.closed = true;
		this.unsubscribe();
		if (this.scheduled) clearImmediate(this.scheduled);
	}

	/** Runs pending reconciles now (tests and the boot use it to settle without waiting a turn). */
	flush(): void {
		if (this.scheduled) clearImmediate(this.scheduled);
		this.scheduled = undefined;
		for (let round = 0; round < 10 && this.hasWork(); round++) this.reconcileAll();
	}

	private hasWork(): boolean {
		return Object.values(this.dirty).some((set) => set.size > 0);
	}

	private schedule(): void {
		if (this.scheduled || this.closed) return;
		this.scheduled = setImmediate(() => {
			this.scheduled = undefined;
			this.reconcileAll();
		});
	}

	private onChange(change: Change): void {
		const object = change.object;
		const ns = object.metadata.namespace;
		switch (change.storage) {
			case 'pods': {
				this.owned.update(change);
				const owner = controllerOf(object) ?? (change.old && controllerOf(change.old));
				if (owner?.kind === 'ReplicaSet') this.dirty.replicasets.add(key(ns, owner.name));
				const labelSets = [object.metadata.labels, change.old?.metadata.labels];
				for (const svc of this.store.list('services', ns)) {
					const selector = selectorFromMap(asObject(svc['spec'])['selector']);
					if (selector && labelSets.some((labels) => matchesLabels(selector, labels))) this.dirty.services.add(key(ns, svc.metadata.name));
				}
				for (const pdb of this.store.list('policy/poddisruptionbudgets', ns)) {
					const selector = selectorFromObject(asObject(pdb['spec'])['selector']);
					if (selector && labelSets.some((labels) => matchesLabels(selector, labels))) this.dirty.budgets.add(key(ns, pdb.metadata.name));
				}
				break;
			}
			case 'apps/replicasets': {
				if (change.type !== 'DELETED') this.dirty.replicasets.add(key(ns, object.metadata.name));
				const owner = controllerOf(object);
				if (owner?.kind === 'Deployment') this.dirty.deployments.add(key(ns, owner.name));
				for (const pdb of this.store.list('policy/poddisruptionbudgets', ns)) this.dirty.budgets.add(key(ns, pdb.metadata.name));
				break;
			}
			case 'apps/deployments':
				if (change.type !== 'DELETED') this.dirty.deployments.add(key(ns, object.metadata.name));
				break;
			case 'services':
				this.dirty.services.add(key(ns, object.metadata.name));
				break;
			case 'policy/poddisruptionbudgets':
				if (change.type !== 'DELETED') this.dirty.budgets.add(key(ns, object.metadata.name));
				break;
			case 'namespaces':
				if (change.type === 'ADDED') setImmediate(() => this.ensureDefaultServiceAccount(object.metadata.name));
				break;
		}
		if (change.type === 'DELETED') this.collectGarbage(object);
		this.schedule();
	}

	private reconcileAll(): void {
		if (this.closed) return;
		const take = (set: Set<string>): string[] => {
			const items = [...set];
			set.clear();
			return items;
		};
		const split = (k: string): [string, string] => {
			const at = k.indexOf('/');
			return [k.slice(0, at), k.slice(at + 1)];
		};
		for (const k of take(this.dirty.deployments)) this.guarded('apps/deployments', ...split(k), (ns, name) => this.reconcileDeployment(ns, name));
		for (const k of take(this.dirty.replicasets)) this.guarded('apps/replicasets', ...split(k), (ns, name) => this.reconcileReplicaSet(ns, name));
		for (const k of take(this.dirty.services)) this.guarded('services', ...split(k), (ns, name) => this.reconcileEndpoints(ns, name));
		for (const k of take(this.dirty.budgets)) this.guarded('policy/poddisruptionbudgets', ...split(k), (ns, name) => this.reconcileBudget(ns, name));
	}

	/**
	 * A reconcile that fails (say, a template the API refuses) must not take the server down: like the real
	 * controllers, it records a Warning event on the object and tries again on its next change.
	 */
	private guarded(storage: string, namespace: string, name: string, reconcile: (namespace: string, name: string) => void): void {
		try {
			reconcile(namespace, name);
		} catch (error) {
			const object = this.store.get(storage, namespace, name);
			const message = error instanceof Error ? error.message : String(error);
			if (object) this.events.record(object, 'Warning', 'FailedCreate', `Error creating: ${message}`, `${object.kind.toLowerCase()}-controller`);
		}
	}

	/** Background cascading deletion: dependents of a deleted owner go too (pods gracefully). */
	private collectGarbage(owner: KObject): void {
		const uid = owner.metadata.uid;
		const dependents: Array<[string, KObject]> = [];
		if (owner.kind === 'ReplicaSet') {
			for (const pod of this.owned.of(uid)) dependents.push(['pods', pod]);
			this.owned.forget(uid);
		} else if (owner.kind === 'Deployment') {
			for (const rs of this.store.list('apps/replicasets', owner.metadata.namespace)) {
				if (rs.metadata.ownerReferences?.some((ref) => ref.uid === uid)) dependents.push(['apps/replicasets', rs]);
			}
		} else if (owner.kind === 'Service') {
			const endpoints = this.store.get('endpoints', owner.metadata.namespace, owner.metadata.name);
			if (endpoints) dependents.push(['endpoints', endpoints]);
			for (const slice of this.store.list('discovery.k8s.io/endpointslices', owner.metadata.namespace)) {
				if (slice.metadata.ownerReferences?.some((ref) => ref.uid === uid)) dependents.push(['discovery.k8s.io/endpointslices', slice]);
			}
		}
		if (dependents.length === 0) return;
		setImmediate(() => {
			if (this.closed) return;
			for (const [storage, object] of dependents) {
				const current = this.store.get(storage, object.metadata.namespace, object.metadata.name);
				if (!current || current.metadata.uid !== object.metadata.uid || current.metadata.deletionTimestamp) continue;
				try {
					this.ops.delete(byStorage(storage), current.metadata.namespace, current.metadata.name);
				} catch {
					// Already gone: nothing to collect.
				}
			}
		});
	}

	/** The service-account controller: every namespace has a `default` ServiceAccount. */
	private ensureDefaultServiceAccount(namespace: string): void {
		if (this.closed || !this.store.get('namespaces', undefined, namespace) || this.store.get('serviceaccounts', namespace, 'default')) return;
		this.ops.create(byStorage('serviceaccounts'), namespace, {apiVersion: 'v1', kind: 'ServiceAccount', metadata: {name: 'default', namespace}});
	}

	private reconcileReplicaSet(namespace: string, name: string): void {
		const rs = this.store.get('apps/replicasets', namespace, name);
		if (!rs) return;
		const spec = asObject(rs['spec']);
		const desired = asNumber(spec['replicas']) ?? 1;
		const pods = this.owned.of(rs.metadata.uid);
		const active = pods.filter(isActive);
		if (active.length < desired) {
			const template = asObject(spec['template']);
			const templateMeta = asObject(template['metadata']);
			for (let i = active.length; i < desired; i++) {
				const pod = this.ops.create(byStorage('pods'), namespace, {
					apiVersion: 'v1',
					kind: 'Pod',
					metadata: {
						generateName: `${name}-`,
						namespace,
						labels: {...(asObject(templateMeta['labels']) as Record<string, string>)},
						...(templateMeta['annotations'] ? {annotations: {...(asObject(templateMeta['annotations']) as Record<string, string>)}} : {}),
						ownerReferences: [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true}],
					},
					spec: deepClone(template['spec']),
				});
				this.events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, 'replicaset-controller');
			}
		} else if (active.length > desired) {
			// Like the real controller: delete the least valuable first (unscheduled, not ready, youngest).
			const rank = (pod: KObject): number => (asObject(pod['spec'])['nodeName'] ? 1 : 0) + (isPodReady(pod) ? 2 : 0);
			const victims = [...active]
				.sort((a, b) => rank(a) - rank(b) || b.metadata.creationTimestamp.localeCompare(a.metadata.creationTimestamp))
				.slice(0, active.length - desired);
			for (const pod of victims) {
				this.ops.delete(byStorage('pods'), namespace, pod.metadata.name);
				this.events.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, 'replicaset-controller');
			}
		}
		const current = this.owned.of(rs.metadata.uid).filter(isActive);
		const ready = current.filter(isPodReady).length;
		const selector = selectorFromObject(spec['selector']) ?? [];
		const templateLabels = asObject(asObject(asObject(spec['template'])['metadata'])['labels']) as Record<string, string>;
		this.writeStatus('apps/replicasets', rs, {
			replicas: current.length,
			fullyLabeledReplicas: current.filter((pod) => matchesLabels(selectorFromMap(templateLabels) ?? selector, pod.metadata.labels)).length,
			readyReplicas: ready,
			availableReplicas: ready,
			observedGeneration: rs.metadata.generation ?? 1,
		});
	}

	private reconcileDeployment(namespace: string, name: string): void {
		const deployment = this.store.get('apps/deployments', namespace, name);
		if (!deployment) return;
		const spec = asObject(deployment['spec']);
		const desired = asNumber(spec['replicas']) ?? 1;
		const template = asObject(spec['template']);
		const hash = safeEncode(String(fnv32a(canonicalJson(template))));
		const owned = this.store.list('apps/replicasets', namespace).filter((rs) => rs.metadata.ownerReferences?.some((ref) => ref.uid === deployment.metadata.uid));
		const revisionOf = (rs: KObject): number => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
		let newRs = owned.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
		const maxRevision = Math.max(0, ...owned.map(revisionOf));
		if (!newRs) {
			const templateMeta = asObject(template['metadata']);
			const labels = {...(asObject(templateMeta['labels']) as Record<string, string>), 'pod-template-hash': hash};
			const selector = asObject(spec['selector']);
			newRs = this.ops.create(byStorage('apps/replicasets'), namespace, {
				apiVersion: 'apps/v1',
				kind: 'ReplicaSet',
				metadata: {
					name: `${name}-${hash}`,
					namespace,
					labels,
					annotations: {
						'deployment.kubernetes.io/desired-replicas': String(desired),
						'deployment.kubernetes.io/max-replicas': String(desired + (scaled(asObject(asObject(spec['strategy'])['rollingUpdate'])['maxSurge'], desired, true) ?? 0)),
						'deployment.kubernetes.io/revision': String(maxRevision + 1),
					},
					ownerReferences: [{apiVersion: 'apps/v1', kind: 'Deployment', name, uid: deployment.metadata.uid, controller: true, blockOwnerDeletion: true}],
				},
				spec: {
					replicas: desired,
					selector: {...selector, matchLabels: {...(asObject(selector['matchLabels']) as Record<string, string>), 'pod-template-hash': hash}},
					template: {...template, metadata: {...templateMeta, labels}},
				},
			});
			this.events.record(deployment, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${newRs.metadata.name} from 0 to ${desired}`, 'deployment-controller');
		}
		// Rolling over: the new ReplicaSet gets every replica at once; old ones shrink as new pods turn Ready.
		this.scaleReplicaSet(newRs, desired, deployment);
		const newReady = asNumber(asObject(newRs['status'])['readyReplicas']) ?? 0;
		let oldAllowed = Math.max(0, desired - newReady);
		const olds = owned.filter((rs) => rs.metadata.uid !== newRs!.metadata.uid).sort((a, b) => revisionOf(b) - revisionOf(a));
		for (const rs of olds) {
			const current = asNumber(asObject(rs['spec'])['replicas']) ?? 0;
			const target = Math.min(current, oldAllowed);
			oldAllowed -= target;
			this.scaleReplicaSet(rs, target, deployment);
		}
		const all = [newRs, ...olds];
		const sum = (field: string): number => all.reduce((total, rs) => total + (asNumber(asObject(this.store.get('apps/replicasets', namespace, rs.metadata.name)?.['status'])[field]) ?? 0), 0);
		const updated = asNumber(asObject(this.store.get('apps/replicasets', namespace, newRs.metadata.name)?.['status'])['replicas']) ?? 0;
		const available = sum('availableReplicas');
		const maxUnavailable = scaled(asObject(asObject(spec['strategy'])['rollingUpdate'])['maxUnavailable'], desired, false) ?? 0;
		const now = this.store.timestamp();
		const oldConditions = asArray(asObject(deployment['status'])['conditions']).map(asObject);
		const condition = (type: string, status: string, reason: string, message: string): Json => {
			const old = oldConditions.find((c) => c['type'] === type);
			const same = old && old['status'] === status && old['reason'] === reason && old['message'] === message;
			return {type, status, lastUpdateTime: same ? old['lastUpdateTime'] : now, lastTransitionTime: old && old['status'] === status ? old['lastTransitionTime'] : now, reason, message};
		};
		const minimum = available >= desired - maxUnavailable;
		const complete = updated === desired && available >= desired && sum('replicas') === desired;
		this.writeStatus('apps/deployments', deployment, {
			observedGeneration: deployment.metadata.generation ?? 1,
			replicas: sum('replicas'),
			updatedReplicas: updated,
			readyReplicas: sum('readyReplicas'),
			availableReplicas: available,
			// Omitted at 0, as the deployment controller does (writeStatus drops it from the old status too).
			unavailableReplicas: desired - available > 0 ? desired - available : undefined,
			conditions: [
				condition('Available', minimum ? 'True' : 'False', minimum ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable', minimum ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.'),
				condition('Progressing', 'True', complete ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated', complete ? `ReplicaSet "${newRs.metadata.name}" has successfully progressed.` : `ReplicaSet "${newRs.metadata.name}" is progressing.`),
			],
		});
		const revision = newRs.metadata.annotations?.['deployment.kubernetes.io/revision'];
		const fresh = this.store.get('apps/deployments', namespace, name);
		if (fresh && revision && fresh.metadata.annotations?.['deployment.kubernetes.io/revision'] !== revision) {
			const next = deepClone(fresh);
			next.metadata.annotations = {...next.metadata.annotations, 'deployment.kubernetes.io/revision': revision};
			this.store.replace('apps/deployments', next);
		}
	}

	private scaleReplicaSet(rs: KObject, replicas: number, deployment: KObject): void {
		const current = this.store.get('apps/replicasets', rs.metadata.namespace, rs.metadata.name);
		if (!current) return;
		const was = asNumber(asObject(current['spec'])['replicas']) ?? 0;
		if (was === replicas) return;
		const next = deepClone(current);
		next['spec'] = {...asObject(next['spec']), replicas};
		next.metadata.generation = (next.metadata.generation ?? 1) + 1;
		next.metadata.annotations = {...next.metadata.annotations, 'deployment.kubernetes.io/desired-replicas': String(asNumber(asObject(deployment['spec'])['replicas']) ?? 1)};
		this.store.replace('apps/replicasets', next);
		this.events.record(deployment, 'Normal', 'ScalingReplicaSet', `Scaled ${replicas > was ? 'up' : 'down'} replica set ${rs.metadata.name} from ${was} to ${replicas}`, 'deployment-controller');
	}

	private writeStatus(storage: string, object: KObject, status: Json): void {
		const current = this.store.get(storage, object.metadata.namespace, object.metadata.name);
		if (!current || current.metadata.uid !== object.metadata.uid) return;
		const merged: Json = {...asObject(current['status']), ...status};
		for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key]; // a field that no longer applies
		if (canonicalJson(merged) === canonicalJson(current['status'])) return;
		this.store.replace(storage, {...current, status: merged});
	}

	private reconcileEndpoints(namespace: string, name: string): void {
		const svc = this.store.get('services', namespace, name);
		const existing = this.store.get('endpoints', namespace, name);
		if (!svc) return;
		const selector = selectorFromMap(asObject(svc['spec'])['selector']);
		if (!selector) return; // services without selectors keep hand-made endpoints
		const pods = this.store.list('pods', namespace).filter((pod) => matchesLabels(selector, pod.metadata.labels) && isActive(pod) && asString(asObject(pod['status'])['podIP']));
		const servicePorts = asArray(asObject(svc['spec'])['ports']).map(asObject);
		const address = (pod: KObject): Json => ({
			ip: asString(asObject(pod['status'])['podIP']),
			nodeName: asString(asObject(pod['spec'])['nodeName']),
			targetRef: {kind: 'Pod', namespace, name: pod.metadata.name, uid: pod.metadata.uid},
		});
		const ports = servicePorts.map((port) => ({
			...(port['name'] ? {name: port['name']} : {}),
			port: resolveTargetPort(port['targetPort'] ?? port['port'], pods[0]),
			protocol: asString(port['protocol']) ?? 'TCP',
		}));
		const ready = pods.filter(isPodReady).map(address);
		const notReady = pods.filter((pod) => !isPodReady(pod)).map(address);
		const subsets = ready.length || notReady.length ? [{...(ready.length ? {addresses: ready} : {}), ...(notReady.length ? {notReadyAddresses: notReady} : {}), ports}] : [];
		const body: Json = {
			apiVersion: 'v1',
			kind: 'Endpoints',
			metadata: {name, namespace, labels: {...svc.metadata.labels}},
			subsets,
		};
		if (!existing) {
			this.store.create('endpoints', {...body, metadata: {...(body['metadata'] as Json), uid: '', resourceVersion: '', creationTimestamp: ''}} as KObject);
		} else if (canonicalJson(existing['subsets']) !== canonicalJson(subsets)) {
			this.store.replace('endpoints', {...existing, subsets});
		}
		this.reconcileSlice(svc, pods, ports);
	}

	/** The EndpointSlice of a Service (what `kubectl describe svc` reads since 1.32's kubectl). */
	private reconcileSlice(svc: KObject, pods: KObject[], ports: Json[]): void {
		const namespace = svc.metadata.namespace;
		const existing = this.store.list('discovery.k8s.io/endpointslices', namespace).find((slice) => slice.metadata.ownerReferences?.some((ref) => ref.uid === svc.metadata.uid));
		const endpoints = pods.map((pod) => ({
			addresses: [asString(asObject(pod['status'])['podIP'])],
			conditions: {ready: isPodReady(pod), serving: isPodReady(pod), terminating: false},
			nodeName: asString(asObject(pod['spec'])['nodeName']),
			targetRef: {kind: 'Pod', namespace, name: pod.metadata.name, uid: pod.metadata.uid},
		}));
		if (existing) {
			if (canonicalJson(existing['endpoints']) !== canonicalJson(endpoints) || canonicalJson(existing['ports']) !== canonicalJson(ports)) {
				this.store.replace('discovery.k8s.io/endpointslices', {...existing, endpoints, ports});
			}
			return;
		}
		this.ops.create(byStorage('discovery.k8s.io/endpointslices'), namespace, {
			apiVersion: 'discovery.k8s.io/v1',
			kind: 'EndpointSlice',
			metadata: {
				generateName: `${svc.metadata.name}-`,
				namespace,
				labels: {...svc.metadata.labels, 'kubernetes.io/service-name': svc.metadata.name, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io'},
				ownerReferences: [{apiVersion: 'v1', kind: 'Service', name: svc.metadata.name, uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true}],
			},
			addressType: 'IPv4',
			endpoints,
			ports,
		});
	}

	private reconcileBudget(namespace: string, name: string): void {
		const pdb = this.store.get('policy/poddisruptionbudgets', namespace, name);
		if (!pdb) return;
		const state = budgetState(this.store, pdb);
		const now = this.store.timestamp();
		const old = asArray(asObject(pdb['status'])['conditions']).map(asObject).find((c) => c['type'] === 'DisruptionAllowed');
		const allowed = state.disruptionsAllowed > 0 ? 'True' : 'False';
		this.writeStatus('policy/poddisruptionbudgets', pdb, {
			...state,
			observedGeneration: pdb.metadata.generation ?? 1,
			conditions: [
				{
					type: 'DisruptionAllowed',
					status: allowed,
					observedGeneration: pdb.metadata.generation ?? 1,
					lastTransitionTime: old && old['status'] === allowed ? old['lastTransitionTime'] : now,
					reason: allowed === 'True' ? 'SufficientPods' : 'InsufficientPods',
					message: '',
				},
			],
		});
	}
}

/** A Service targetPort (number or container port name) → the port number on the pod. */
export function resolveTargetPort(target: unknown, pod: KObject | undefined): number {
	const number = asNumber(target);
	if (number !== undefined) return number;
	const named = Number(target);
	if (Number.isInteger(named)) return named;
	for (const container of asArray(asObject(pod?.['spec'])['containers']).map(asObject)) {
		const port = asArray(container['ports']).map(asObject).find((p) => p['name'] === target);
		if (port) return asNumber(port['containerPort']) ?? 0;
	}
	return 0;
}
