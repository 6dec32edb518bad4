// Discovery: /version, the legacy lists (/api, /api/v1, /apis, /apis/G, /apis/G/V) and aggregated discovery
// (apidiscovery.k8s.io v2/v2beta1), which kubectl asks for first and which saves it one request per group.
import {groupVersions, resourceTypes, type ResourceType} from './resources.js';
import type {Json} from './util.js';

export const kubernetesVersion = {major: '1', minor: '32', gitVersion: 'v1.32.0'};

export function versionInfo(): Json {
	return {
		...kubernetesVersion,
		gitCommit: '0000000000000000000000000000000000000000',
		gitTreeState: 'clean',
		buildDate: '2024-12-11T00:00:00Z',
		goVersion: 'go1.23.3',
		compiler: 'gc',
		platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
	};
}

/** The aggregated-discovery version the client accepts (`…;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`), if any. */
export function aggregatedDiscoveryVersion(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
	for (const part of (accept ?? '').split(',')) {
		const params = part.split(';').map((p) => p.trim());
		if (!params.includes('as=APIGroupDiscoveryList') || !params.includes('g=apidiscovery.k8s.io')) continue;
		if (params.includes('v=v2')) return 'v2';
		if (params.includes('v=v2beta1')) return 'v2beta1';
	}
	return undefined;
}

export const aggregatedContentType = (version: string): string =>
	`application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;

function legacyEntries(type: ResourceType): Json[] {
	const main: Json = {
		name: type.resource,
		singularName: type.singular,
		namespaced: type.namespaced,
		kind: type.kind,
		verbs: type.verbs,
		...(type.shortNames ? {shortNames: type.shortNames} : {}),
		...(type.categories ? {categories: type.categories} : {}),
	};
	const subs = (type.subresources ?? []).map((sub) => ({
		name: `${type.resource}/${sub.name}`,
		singularName: '',
		namespaced: type.namespaced,
		...(sub.group !== undefined ? {group: sub.group, version: sub.version} : {}),
		kind: sub.kind,
		verbs: sub.verbs,
	}));
	return [main, ...subs];
}

const typesOf = (group: string, version: string): ResourceType[] =>
	resourceTypes.filter((t) => t.group === group && t.version === version);

export function coreVersions(serverAddress: string): Json {
	return {kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{clientCIDR: '0.0.0.0/0', serverAddress}]};
}

export function resourceList(group: string, version: string): Json | undefined {
	const types = typesOf(group, version);
	if (types.length === 0) return undefined;
	return {
		kind: 'APIResourceList',
		apiVersion: 'v1',
		groupVersion: group ? `${group}/${version}` : version,
		resources: types.flatMap(legacyEntries),
	};
}

function apiGroup(group: string): Json {
	const versions = groupVersions()
		.filter((gv) => gv.group === group)
		.map((gv) => ({groupVersion: `${group}/${gv.version}`, version: gv.version}));
	return {name: group, versions, preferredVersion: versions[0]};
}

export function groupList(): Json {
	const groups = [...new Set(groupVersions().map((gv) => gv.group))].filter((g) => g !== '');
	return {kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(apiGroup)};
}

export function groupInfo(group: string): Json | undefined {
	if (!group || !groupVersions().some((gv) => gv.group === group)) return undefined;
	return {kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group)};
}

function aggregatedResource(type: ResourceType): Json {
	return {
		resource: type.resource,
		responseKind: {group: type.group, version: type.version, kind: type.kind},
		scope: type.namespaced ? 'Namespaced' : 'Cluster',
		singularResource: type.singular,
		verbs: type.verbs,
		...(type.shortNames ? {shortNames: type.shortNames} : {}),
		...(type.categories ? {categories: type.categories} : {}),
		...(type.subresources
			? {
					subresources: type.subresources.map((sub) => ({
						subresource: sub.name,
						responseKind: {group: sub.group ?? type.group, version: sub.version ?? type.version, kind: sub.kind},
						verbs: sub.verbs,
					})),
				}
			: {}),
	};
}

/** /api (core: true) or /apis (core: false) as an APIGroupDiscoveryList. */
export function aggregatedDiscovery(core: boolean, version: string): Json {
	const groups = [...new Set(groupVersions().map((gv) => gv.group))].filter((g) => (core ? g === '' : g !== ''));
	return {
		kind: 'APIGroupDiscoveryList',
		apiVersion: `apidiscovery.k8s.io/${version}`,
		metadata: {},
		items: groups.map((group) => ({
			metadata: {...(group ? {name: group} : {}), creationTimestamp: null},
			versions: groupVersions()
				.filter((gv) => gv.group === group)
				.map((gv) => ({version: gv.version, resources: typesOf(group, gv.version).map(aggregatedResource), freshness: 'Current'})),
		})),
	};
}
