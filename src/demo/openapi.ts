// The OpenAPI v3 documents plain `kubectl apply` needs (DESIGN §8): the root lists one document per
// group-version; each document lists the resource paths whose post/put/patch operations carry
// x-kubernetes-group-version-kind and the fieldValidation query parameter, so kubectl validates server-side
// instead of downloading the (absent) v2 schema. The patch operations deliberately have no requestBody:
// kubectl then builds strategic merge patches from its compiled-in types, as it does for v2-less servers.
// Schemas are skeletons (no `kubectl explain`).
import {kubernetesVersion} from './discovery.js';
import {groupVersions, resourceTypes, type ResourceType} from './resources.js';
import type {Json} from './util.js';

const hash = 'podinvaders-demo-1';

const gvPath = (group: string, version: string): string => (group ? `apis/${group}/${version}` : `api/${version}`);

export function openApiRoot(): Json {
	const paths: Json = {};
	for (const {group, version} of groupVersions()) {
		const path = gvPath(group, version);
		paths[path] = {serverRelativeURL: `/openapi/v3/${path}?hash=${hash}`};
	}
	return {paths};
}

const queryParam = (name: string, description: string): Json => ({name, in: 'query', description, schema: {type: 'string', uniqueItems: true}});
const writeParams = [
	queryParam('dryRun', 'When present, indicates that modifications should not be persisted.'),
	queryParam('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
	queryParam('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields.'),
];

function schemaName(type: ResourceType): string {
	const group = type.group ? type.group.split('.')[0]! : 'core';
	return `io.k8s.api.${group}.${type.version}.${type.kind}`;
}

function operation(type: ResourceType, action: string, verbName: string, scoped: boolean, withParams: boolean): Json {
	const gvk = {group: type.group, version: type.version, kind: type.kind};
	const groupPart = (type.group ? type.group.split('.')[0]! : 'core').replace(/^./, (c) => c.toUpperCase());
	return {
		operationId: `${verbName}${groupPart}${type.version.replace(/^./, (c) => c.toUpperCase())}${scoped && type.namespaced ? 'Namespaced' : ''}${type.kind}`,
		...(withParams ? {parameters: writeParams} : {}),
		responses: {'200': {description: 'OK', content: {'application/json': {schema: {$ref: `#/components/schemas/${schemaName(type)}`}}}}},
		'x-kubernetes-action': action,
		'x-kubernetes-group-version-kind': gvk,
	};
}

export function openApiDocument(path: string): Json | undefined {
	const gv = groupVersions().find(({group, version}) => gvPath(group, version) === path);
	if (!gv) return undefined;
	const types = resourceTypes.filter((t) => t.group === gv.group && t.version === gv.version);
	const paths: Json = {};
	const schemas: Json = {};
	for (const type of types) {
		const base = `/${path}${type.namespaced ? '/namespaces/{namespace}' : ''}/${type.resource}`;
		const collection: Json = {};
		const item: Json = {};
		if (type.verbs.includes('list')) collection['get'] = operation(type, 'list', 'list', true, false);
		if (type.verbs.includes('create')) collection['post'] = operation(type, 'post', 'create', true, true);
		if (type.verbs.includes('get')) item['get'] = operation(type, 'get', 'read', true, false);
		if (type.verbs.includes('update')) item['put'] = operation(type, 'put', 'replace', true, true);
		if (type.verbs.includes('patch')) item['patch'] = operation(type, 'patch', 'patch', true, true);
		if (type.verbs.includes('delete')) item['delete'] = operation(type, 'delete', 'delete', true, false);
		paths[base] = collection;
		if (Object.keys(item).length) paths[`${base}/{name}`] = item;
		schemas[schemaName(type)] = {
			type: 'object',
			description: `${type.kind} (schema not served by the podinvaders demo cluster)`,
			properties: {
				apiVersion: {type: 'string'},
				kind: {type: 'string'},
				metadata: {type: 'object', 'x-kubernetes-preserve-unknown-fields': true},
			},
			'x-kubernetes-preserve-unknown-fields': true,
			'x-kubernetes-group-version-kind': [{group: type.group, version: type.version, kind: type.kind}],
		};
	}
	return {
		openapi: '3.0.0',
		info: {title: 'Kubernetes', version: kubernetesVersion.gitVersion},
		paths,
		components: {schemas},
	};
}
