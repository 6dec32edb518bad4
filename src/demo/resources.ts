// The resource types the demo cluster serves. Discovery, OpenAPI, routing and storage all read this one table.

export interface SubresourceType {
	readonly name: string;
	readonly kind: string;
	readonly group?: string;
	readonly version?: string;
	readonly verbs: readonly string[];
}

export interface ResourceType {
	readonly group: string; // '' for the core group
	readonly version: string;
	readonly resource: string; // plural, as in URLs
	readonly kind: string;
	readonly singular: string;
	readonly namespaced: boolean;
	readonly verbs: readonly string[];
	readonly shortNames?: readonly string[];
	readonly categories?: readonly string[];
	readonly subresources?: readonly SubresourceType[];
	/** Storage key: two resources sharing one (core and events.k8s.io Events) are the same objects. */
	readonly storage: string;
}

const crud = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;
const createOnly = ['create'] as const;

function type(
	group: string,
	version: string,
	resource: string,
	kind: string,
	namespaced: boolean,
	extra: Partial<Omit<ResourceType, 'group' | 'version' | 'resource' | 'kind' | 'namespaced'>> = {},
): ResourceType {
	return {
		group,
		version,
		resource,
		kind,
		singular: kind.toLowerCase(),
		namespaced,
		verbs: crud,
		storage: group ? `${group}/${resource}` : resource,
		...extra,
	};
}

export const resourceTypes: readonly ResourceType[] = [
	type('', 'v1', 'namespaces', 'Namespace', false, {
		verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
		shortNames: ['ns'],
		subresources: [{name: 'status', kind: 'Namespace', verbs: ['get', 'patch', 'update']}],
	}),
	type('', 'v1', 'nodes', 'Node', false, {
		shortNames: ['no'],
		subresources: [
			{name: 'status', kind: 'Node', verbs: ['get', 'patch', 'update']},
			{name: 'proxy', kind: 'NodeProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update']},
		],
	}),
	type('', 'v1', 'pods', 'Pod', true, {
		shortNames: ['po'],
		categories: ['all'],
		subresources: [
			{name: 'status', kind: 'Pod', verbs: ['get', 'patch', 'update']},
			{name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create']},
			{name: 'log', kind: 'Pod', verbs: ['get']},
			{name: 'proxy', kind: 'PodProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update']},
		],
	}),
	type('', 'v1', 'services', 'Service', true, {
		shortNames: ['svc'],
		categories: ['all'],
		verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
		subresources: [
			{name: 'status', kind: 'Service', verbs: ['get', 'patch', 'update']},
			{name: 'proxy', kind: 'ServiceProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update']},
		],
	}),
	type('', 'v1', 'endpoints', 'Endpoints', true, {shortNames: ['ep'], singular: 'endpoints'}),
	type('', 'v1', 'serviceaccounts', 'ServiceAccount', true, {shortNames: ['sa']}),
	type('', 'v1', 'configmaps', 'ConfigMap', true, {shortNames: ['cm']}),
	type('', 'v1', 'secrets', 'Secret', true),
	type('', 'v1', 'events', 'Event', true, {shortNames: ['ev'], storage: 'events'}),
	type('apps', 'v1', 'deployments', 'Deployment', true, {
		shortNames: ['deploy'],
		categories: ['all'],
		subresources: [
			{name: 'status', kind: 'Deployment', verbs: ['get', 'patch', 'update']},
			{name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update']},
		],
	}),
	type('apps', 'v1', 'replicasets', 'ReplicaSet', true, {
		shortNames: ['rs'],
		categories: ['all'],
		subresources: [
			{name: 'status', kind: 'ReplicaSet', verbs: ['get', 'patch', 'update']},
			{name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update']},
		],
	}),
	type('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', true),
	type('events.k8s.io', 'v1', 'events', 'Event', true, {shortNames: ['ev'], storage: 'events'}),
	type('policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true, {
		shortNames: ['pdb'],
		subresources: [{name: 'status', kind: 'PodDisruptionBudget', verbs: ['get', 'patch', 'update']}],
	}),
	type('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false),
	type('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false),
	type('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true),
	type('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true),
	type('authorization.k8s.io', 'v1', 'selfsubjectaccessreviews', 'SelfSubjectAccessReview', false, {verbs: createOnly}),
	type('authorization.k8s.io', 'v1', 'selfsubjectrulesreviews', 'SelfSubjectRulesReview', false, {verbs: createOnly}),
	type('authentication.k8s.io', 'v1', 'selfsubjectreviews', 'SelfSubjectReview', false, {verbs: createOnly}),
];

/** Kinds served only as request/response shapes: never stored. */
export const virtualStorages = new Set(['authorization.k8s.io/selfsubjectaccessreviews', 'authorization.k8s.io/selfsubjectrulesreviews', 'authentication.k8s.io/selfsubjectreviews']);

export const apiVersionOf = (type: ResourceType): string => (type.group ? `${type.group}/${type.version}` : type.version);

export function groupVersions(): Array<{group: string; version: string}> {
	const seen = new Map<string, {group: string; version: string}>();
	for (const t of resourceTypes) seen.set(`${t.group}/${t.version}`, {group: t.group, version: t.version});
	return [...seen.values()];
}

export function findResource(group: string, version: string, resource: string): ResourceType | undefined {
	return resourceTypes.find((t) => t.group === group && t.version === version && t.resource === resource);
}

/** A type by its storage key (for `events`: the core/v1 one), for controllers. */
export function byStorage(storage: string): ResourceType {
	const found = resourceTypes.find((t) => t.storage === storage && t.group !== 'events.k8s.io');
	if (!found) throw new Error(`unknown storage ${storage}`);
	return found;
}

/** `pods`, `deployments.apps`: how the apiserver names a resource in error messages. */
export const qualifiedResource = (type: Pick<ResourceType, 'group' | 'resource'>): string =>
	type.group ? `${type.resource}.${type.group}` : type.resource;
