// The apiserver's write semantics over the store, independent of HTTP: create (generateName, defaulting,
// AlreadyExists), update (optimistic concurrency, status kept apart), patch, graceful pod deletion with
// preconditions and dry run, and the Eviction subresource honouring PodDisruptionBudgets.
// Used by the HTTP handlers, the controllers and the DemoCluster test helpers alike.
import {prepareForStorage, validateName, type DefaultsContext} from './defaults.js';
import {alreadyExists, ApiError, badRequest, invalid, notFound, staleObject, unsupportedMediaType} from './errors.js';
import {budgetState, isPodReady, podsOfBudget} from './pdb.js';
import {jsonPatch, mergePatch, strategicMergePatch} from './patch.js';
import {apiVersionOf, byStorage, type ResourceType} from './resources.js';
import type {KObject, ObjectMeta, Store} from './store.js';
import {asArray, asNumber, asObject, asString, canonicalJson, deepClone, isObject, rfc3339, type Rng} from './util.js';

export interface WriteOptions {
	dryRun?: boolean;
}

export interface DeleteOptions extends WriteOptions {
	gracePeriodSeconds?: number;
	preconditions?: {uid?: string; resourceVersion?: string};
	propagationPolicy?: string;
}

export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

export function patchTypeOf(contentType: string | undefined): PatchType {
	const type = (contentType ?? '').split(';')[0]!.trim();
	switch (type) {
		case 'application/merge-patch+json':
			return 'merge';
		case 'application/strategic-merge-patch+json':
			return 'strategic';
		case 'application/json-patch+json':
			return 'json';
		case 'application/apply-patch+yaml':
		case 'application/apply-patch+cbor':
			return 'apply';
		default:
			throw unsupportedMediaType(type || '(none)');
	}
}

/** Types whose status is written only through the /status subresource. */
const withStatusSubresource = new Set(['pods', 'services', 'namespaces', 'nodes', 'apps/deployments', 'apps/replicasets', 'policy/poddisruptionbudgets']);

export class Ops {
	private clusterIpCounter = 10;
	private nodePortCounter = 0;
	readonly defaults: DefaultsContext;

	constructor(
		private readonly store: Store,
		private readonly rng: Rng,
		defaultGracePeriodSeconds: number,
	) {
		this.defaults = {
			defaultGracePeriodSeconds,
			allocateClusterIP: () => {
				const n = this.clusterIpCounter++;
				return `10.96.${Math.floor(n / 254) % 256}.${(n % 254) + 1}`;
			},
			allocateNodePort: () => 30000 + ((this.nodePortCounter++ * 7919 + this.rng.int(2768)) % 2768),
		};
	}

	get(type: ResourceType, namespace: string | undefined, name: string): KObject {
		const found = this.store.get(type.storage, type.namespaced ? namespace : undefined, name);
		if (!found) throw notFound(type, name);
		return found;
	}

	private checkBody(type: ResourceType, body: unknown, namespace: string | undefined): KObject {
		if (!isObject(body)) throw badRequest('the body of the request was not a JSON object');
		const apiVersion = asString(body['apiVersion']);
		const kind = asString(body['kind']);
		if (kind && kind !== type.kind) throw badRequest(`the kind in the data (${kind}) does not match the expected kind (${type.kind})`);
		if (apiVersion && apiVersion !== apiVersionOf(type)) {
			throw badRequest(`the API version in the data (${apiVersion}) does not match the expected API version (${apiVersionOf(type)})`);
		}
		const metadata = asObject(body['metadata']);
		const bodyNamespace = asString(metadata['namespace']);
		if (type.namespaced && bodyNamespace && namespace && bodyNamespace !== namespace) {
			throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
		}
		const object = deepClone(body) as KObject;
		object.apiVersion = apiVersionOf(type);
		object.kind = type.kind;
		object.metadata = {...(metadata as ObjectMeta)};
		if (type.namespaced) object.metadata.namespace = namespace ?? bodyNamespace ?? 'default';
		else delete object.metadata.namespace;
		delete object.metadata['managedFields'];
		delete object.metadata['selfLink'];
		return object;
	}

	create(type: ResourceType, namespace: string | undefined, body: unknown, options: WriteOptions = {}): KObject {
		const object = this.checkBody(type, body, namespace);
		const meta = object.metadata;
		if (meta.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
		if (!meta.name && meta.generateName) {
			do meta.name = `${meta.generateName}${this.rng.suffix(5)}`;
			while (this.store.get(type.storage, meta.namespace, meta.name));
		}
		validateName(type, meta.name ?? '');
		if (type.namespaced && !this.store.get('namespaces', undefined, meta.namespace!)) throw notFound(byStorage('namespaces'), meta.namespace!);
		if (this.store.get(type.storage, meta.namespace, meta.name)) throw alreadyExists(type, meta.name);
		for (const field of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'] as const) delete meta[field];
		meta.uid = '';
		meta.resourceVersion = '';
		meta.creationTimestamp = '';
		prepareForStorage(type, object, undefined, this.defaults);
		if (options.dryRun) {
			return {...object, metadata: {...object.metadata, uid: this.rng.uuid(), creationTimestamp: this.store.timestamp()}};
		}
		return this.store.create(type.storage, object);
	}

	/** PUT: the whole object (or its status, with subresource 'status'). */
	update(type: ResourceType, namespace: string | undefined, name: string, body: unknown, options: WriteOptions & {subresource?: string} = {}): KObject {
		const old = this.get(type, namespace, name);
		const incoming = this.checkBody(type, body, namespace);
		if (incoming.metadata.name && incoming.metadata.name !== name) {
			throw badRequest(`the name of the object (${incoming.metadata.name}) does not match the name on the URL (${name})`);
		}
		const rv = incoming.metadata.resourceVersion;
		if (rv && rv !== old.metadata.resourceVersion) throw staleObject(type, name);
		return this.write(type, old, incoming, options);
	}

	patch(type: ResourceType, namespace: string | undefined, name: string, patchType: PatchType, patch: unknown, options: WriteOptions & {subresource?: string} = {}): KObject {
		const old = type.namespaced ? this.store.get(type.storage, namespace, name) : this.store.get(type.storage, undefined, name);
		if (!old) {
			if (patchType === 'apply' && !options.subresource) {
				const body = asObject(patch);
				return this.create(type, namespace, {...body, metadata: {...asObject(body['metadata']), name}}, options);
			}
			throw notFound(type, name);
		}
		let patched: unknown;
		switch (patchType) {
			case 'json':
				patched = jsonPatch(old, patch);
				break;
			case 'strategic':
				patched = strategicMergePatch(old, patch);
				break;
			default:
				// Server-side apply is served as a merge: the demo keeps no managedFields.
				patched = mergePatch(old, patch);
		}
		const incoming = this.checkBody(type, patched, namespace);
		if (incoming.metadata.name !== name) throw badRequest('metadata.name: the name of the object cannot be changed by a patch');
		const rv = asString(asObject(asObject(patch)['metadata'])['resourceVersion']);
		if (rv && rv !== old.metadata.resourceVersion) throw staleObject(type, name);
		return this.write(type, old, incoming, options);
	}

	private write(type: ResourceType, old: KObject, incoming: KObject, options: WriteOptions & {subresource?: string}): KObject {
		let next: KObject;
		if (options.subresource === 'status') {
			next = {...deepClone(old), status: incoming['status']};
		} else {
			next = incoming;
			const keep: Array<keyof ObjectMeta> = ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'];
			for (const field of keep) {
				if (old.metadata[field] !== undefined) next.metadata[field] = old.metadata[field] as never;
				else delete next.metadata[field];
			}
			if (withStatusSubresource.has(type.storage)) {
				if (old['status'] !== undefined) next['status'] = deepClone(old['status']);
				else delete next['status'];
			}
			if (type.storage === 'pods') this.checkPodUpdate(old, next);
			prepareForStorage(type, next, old, this.defaults);
		}
		next.metadata.resourceVersion = old.metadata.resourceVersion;
		if (canonicalJson(next) === canonicalJson(old)) return old; // a no-op write keeps its resourceVersion
		if (options.dryRun) return next;
		return this.store.replace(type.storage, next);
	}

	/** Pod specs are immutable except images and a few fields; the demo checks the common mistake. */
	private checkPodUpdate(old: KObject, next: KObject): void {
		const strip = (spec: unknown): string => {
			const copy = deepClone(asObject(spec));
			for (const c of asArray(copy['containers'])) if (isObject(c)) delete c['image'];
			delete copy['activeDeadlineSeconds'];
			delete copy['tolerations'];
			delete copy['terminationGracePeriodSeconds'];
			return canonicalJson(copy);
		};
		const oldSpec = asObject(old['spec']);
		const nextSpec = {...asObject(next['spec'])};
		if (nextSpec['nodeName'] === undefined && oldSpec['nodeName'] !== undefined) nextSpec['nodeName'] = oldSpec['nodeName'];
		next['spec'] = nextSpec;
		if (strip(oldSpec) !== strip(nextSpec)) {
			throw invalid('Pod', '', old.metadata.name, [{field: 'spec', message: 'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)'}]);
		}
	}

	/**
	 * DELETE. Pods are deleted gracefully: deletionTimestamp = now + grace, the kubelet stops the container and
	 * removes the pod when the grace period ends. Grace 0, unscheduled or finished pods go at once.
	 * Returns the object as the API answers it and whether it is already gone.
	 */
	delete(type: ResourceType, namespace: string | undefined, name: string, options: DeleteOptions = {}): {object: KObject; removed: boolean} {
		const current = this.get(type, namespace, name);
		const pre = options.preconditions ?? {};
		if (pre.uid && pre.uid !== current.metadata.uid) {
			throw preconditionFailed(type, name, `the UID in the precondition (${pre.uid}) does not match the UID in record (${current.metadata.uid}). The object might have been deleted and then recreated`);
		}
		if (pre.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
			throw preconditionFailed(type, name, `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${current.metadata.resourceVersion}). The object might have been modified`);
		}
		if (options.gracePeriodSeconds !== undefined && (!Number.isInteger(options.gracePeriodSeconds) || options.gracePeriodSeconds < 0)) {
			throw invalid(type.kind, type.group, name, [{field: 'gracePeriodSeconds', message: `Invalid value: ${options.gracePeriodSeconds}: must be greater than or equal to 0`}]);
		}
		if (type.storage === 'pods') {
			const spec = asObject(current['spec']);
			const phase = asString(asObject(current['status'])['phase']);
			let grace = options.gracePeriodSeconds ?? asNumber(spec['terminationGracePeriodSeconds']) ?? this.defaults.defaultGracePeriodSeconds;
			if (!spec['nodeName'] || phase === 'Succeeded' || phase === 'Failed') grace = 0;
			if (grace > 0) {
				const previous = asNumber(current.metadata.deletionGracePeriodSeconds);
				if (current.metadata.deletionTimestamp && previous !== undefined && previous <= grace) return {object: current, removed: false};
				const next = deepClone(current);
				next.metadata.deletionTimestamp = rfc3339(this.store.now() + grace * 1000);
				next.metadata.deletionGracePeriodSeconds = grace;
				if (options.dryRun) return {object: next, removed: false};
				return {object: this.store.replace('pods', next), removed: false};
			}
			// Grace 0 (asked for, or an unscheduled/finished pod): the apiserver still writes the deletion first
			// (a MODIFIED event: kubectl -w's last "Terminating" line), then removes the object (DELETED).
			const zero = withZeroGrace(current, this.store.now());
			if (options.dryRun) return {object: zero, removed: true};
			if (current.metadata.deletionGracePeriodSeconds !== 0 || !current.metadata.deletionTimestamp) this.store.replace('pods', zero);
		}
		if (options.dryRun) return {object: current, removed: true};
		if (options.propagationPolicy === 'Orphan') this.orphanDependents(current.metadata.uid);
		const removed = this.store.remove(type.storage, type.namespaced ? namespace : undefined, name);
		return {object: removed ?? current, removed: true};
	}

	private orphanDependents(ownerUid: string): void {
		for (const storage of ['apps/replicasets', 'pods', 'endpoints']) {
			for (const object of this.store.list(storage)) {
				const refs = object.metadata.ownerReferences ?? [];
				if (!refs.some((ref) => ref.uid === ownerUid)) continue;
				const next = deepClone(object);
				next.metadata.ownerReferences = refs.filter((ref) => ref.uid !== ownerUid);
				if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
				this.store.replace(storage, next);
			}
		}
	}

	/** POST pods/NAME/eviction: a delete that a PodDisruptionBudget may refuse with 429. */
	evict(namespace: string, name: string, body: unknown, queryDryRun = false): void {
		const podType = byStorage('pods');
		const pod = this.get(podType, namespace, name);
		const eviction = asObject(body);
		const deleteOptions = asObject(eviction['deleteOptions']);
		// The POST's own ?dryRun=All counts when deleteOptions has none (eviction.go propagateDryRun).
		const bodyDryRun = asArray(deleteOptions['dryRun']);
		const dryRun = bodyDryRun.length > 0 ? bodyDryRun.includes('All') : queryDryRun;
		if (pod.metadata.deletionTimestamp) return; // already terminating: nothing to refuse
		const budgets = this.store.list('policy/poddisruptionbudgets', namespace).filter((pdb) => podsOfBudget(this.store, pdb).some((p) => p.metadata.uid === pod.metadata.uid));
		if (budgets.length > 1) {
			throw new ApiError(500, 'InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
		}
		const budget = budgets[0];
		if (budget) {
			const state = budgetState(this.store, budget);
			const allowed = isPodReady(pod) ? state.disruptionsAllowed >= 1 : state.currentHealthy >= state.desiredHealthy;
			if (!allowed) {
				throw new ApiError(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", {
					causes: [{reason: 'DisruptionBudget', message: `The disruption budget ${budget.metadata.name} needs ${state.desiredHealthy} healthy pods and has ${state.currentHealthy} currently`}],
				});
			}
		}
		const preconditions = asObject(deleteOptions['preconditions']);
		this.delete(podType, namespace, name, {
			...(asNumber(deleteOptions['gracePeriodSeconds']) !== undefined ? {gracePeriodSeconds: asNumber(deleteOptions['gracePeriodSeconds'])!} : {}),
			preconditions: {
				...(asString(preconditions['uid']) ? {uid: asString(preconditions['uid'])!} : {}),
				...(asString(preconditions['resourceVersion']) ? {resourceVersion: asString(preconditions['resourceVersion'])!} : {}),
			},
			dryRun,
		});
	}
}

/**
 * The pod as kube-apiserver writes it right before removing it (rest.BeforeDelete with grace 0): a
 * deletionTimestamp (now, or moved back to when a graceful delete began) and deletionGracePeriodSeconds 0.
 */
export function withZeroGrace(pod: KObject, now: number): KObject {
	const next = deepClone(pod);
	const since = Date.parse(pod.metadata.deletionTimestamp ?? '') - (asNumber(pod.metadata.deletionGracePeriodSeconds) ?? 0) * 1000;
	next.metadata.deletionTimestamp = rfc3339(Number.isNaN(since) ? now : Math.min(since, now));
	next.metadata.deletionGracePeriodSeconds = 0;
	return next;
}

/**
 * A failed delete precondition, as kube-apiserver's rest.BeforeDelete words it: the conflict names the KIND
 * (`Pod "x"`, `Deployment.apps "x"`), not the resource, in the message and in details.kind.
 */
const preconditionFailed = (type: ResourceType, name: string, why: string): ApiError =>
	new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${type.kind}${type.group ? `.${type.group}` : ''} "${name}": ${why}`, {
		name,
		...(type.group ? {group: type.group} : {}),
		kind: type.kind,
	});

/**
 * DeleteOptions from the request body, or from the query when there is no body: kube-apiserver reads the
 * query only then (handlers/delete.go), so `?dryRun=All` beside a body that lacks dryRun really deletes.
 */
export const deleteOptionsFrom = (rawBody: unknown, query: URLSearchParams): DeleteOptions => {
	const fromQuery = rawBody === undefined;
	const body = fromQuery ? {} : asObject(rawBody);
	const grace = fromQuery ? (query.get('gracePeriodSeconds') ?? undefined) : body['gracePeriodSeconds'];
	const preconditions = asObject(body['preconditions']);
	const dryRun = fromQuery ? query.getAll('dryRun').includes('All') : asArray(body['dryRun']).includes('All');
	const propagation = fromQuery
		? (query.get('propagationPolicy') ?? (query.get('orphanDependents') === 'true' ? 'Orphan' : undefined))
		: (asString(body['propagationPolicy']) ?? (body['orphanDependents'] === true ? 'Orphan' : undefined));
	const graceNumber = grace === undefined || grace === null ? undefined : Number(grace);
	if (graceNumber !== undefined && Number.isNaN(graceNumber)) throw badRequest(`gracePeriodSeconds: invalid value "${String(grace)}"`);
	return {
		...(graceNumber !== undefined ? {gracePeriodSeconds: graceNumber} : {}),
		preconditions: {
			...(asString(preconditions['uid']) ? {uid: asString(preconditions['uid'])!} : {}),
			...(asString(preconditions['resourceVersion']) ? {resourceVersion: asString(preconditions['resourceVersion'])!} : {}),
		},
		...(propagation ? {propagationPolicy: propagation} : {}),
		dryRun,
	};
};
