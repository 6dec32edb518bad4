// What the apiserver does to an object before storing it: validation of the few things the demo depends on,
// defaulting (pod specs, Deployments, Services with a cluster IP and node ports), and generation bumps.
import {invalid} from './errors.js';
import type {ResourceType} from './resources.js';
import {matchesLabels, selectorFromObject} from './selectors.js';
import type {KObject} from './store.js';
import {asArray, asNumber, asObject, asString, canonicalJson, isObject, type Json} from './util.js';

const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export interface DefaultsContext {
	defaultGracePeriodSeconds: number;
	allocateClusterIP(): string;
	allocateNodePort(): number;
}

export function validateName(type: ResourceType, name: string): void {
	if (!name) throw invalid(type.kind, type.group, name, [{field: 'metadata.name', message: 'Required value: name or generateName is required'}]);
	if (name.length > 253 || !dns1123Subdomain.test(name)) {
		throw invalid(type.kind, type.group, name, [
			{
				field: 'metadata.name',
				message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
			},
		]);
	}
}

export function defaultPodSpec(specValue: unknown, ctx: DefaultsContext): Json {
	const spec: Json = {...asObject(specValue)};
	spec['containers'] = asArray(spec['containers']).map((value) => {
		const container: Json = {...asObject(value)};
		const image = asString(container['image']) ?? '';
		const tag = image.includes('@') ? 'digest' : /:[^/]+$/.exec(image)?.[0]?.slice(1);
		container['imagePullPolicy'] ??= !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
		container['terminationMessagePath'] ??= '/dev/termination-log';
		container['terminationMessagePolicy'] ??= 'File';
		container['resources'] ??= {};
		if (Array.isArray(container['ports'])) {
			container['ports'] = container['ports'].map((port) => ({...asObject(port), protocol: asString(asObject(port)['protocol']) ?? 'TCP'}));
		}
		return container;
	});
	spec['restartPolicy'] ??= 'Always';
	spec['terminationGracePeriodSeconds'] ??= ctx.defaultGracePeriodSeconds;
	spec['dnsPolicy'] ??= 'ClusterFirst';
	if (spec['serviceAccount'] && !spec['serviceAccountName']) spec['serviceAccountName'] = spec['serviceAccount'];
	spec['serviceAccountName'] ??= 'default';
	if (!spec['serviceAccount']) spec['serviceAccount'] = spec['serviceAccountName'];
	spec['securityContext'] ??= {};
	spec['schedulerName'] ??= 'default-scheduler';
	spec['enableServiceLinks'] ??= true;
	spec['priority'] ??= 0;
	spec['preemptionPolicy'] ??= 'PreemptLowerPriority';
	return spec;
}

function defaultTemplate(spec: Json, ctx: DefaultsContext): void {
	const template: Json = {...asObject(spec['template'])};
	template['metadata'] = {...asObject(template['metadata'])};
	template['spec'] = defaultPodSpec(template['spec'], ctx);
	spec['template'] = template;
}

function checkSelector(object: KObject, type: ResourceType, spec: Json): void {
	const selector = selectorFromObject(spec['selector']);
	const name = object.metadata.name;
	if (!selector) throw invalid(type.kind, type.group, name, [{field: 'spec.selector', message: 'Required value'}]);
	if (selector.length === 0) {
		throw invalid(type.kind, type.group, name, [{field: 'spec.selector', message: 'Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment'}]);
	}
	const labels = asObject(asObject(asObject(spec['template'])['metadata'])['labels']) as Record<string, string>;
	if (!matchesLabels(selector, labels)) {
		throw invalid(type.kind, type.group, name, [{field: 'spec.template.metadata.labels', message: `Invalid value: ${JSON.stringify(labels)}: \`selector\` does not match template \`labels\``}]);
	}
	if (asArray(asObject(asObject(spec['template'])['spec'])['containers']).length === 0) {
		throw invalid(type.kind, type.group, name, [{field: 'spec.template.spec.containers', message: 'Required value'}]);
	}
}

function defaultService(object: KObject, old: KObject | undefined, ctx: DefaultsContext): void {
	const spec: Json = {...asObject(object['spec'])};
	const oldSpec = asObject(old?.['spec']);
	const type = asString(spec['type']) ?? 'ClusterIP';
	spec['type'] = type;
	if (type !== 'ExternalName') {
		spec['clusterIP'] ??= asString(oldSpec['clusterIP']) ?? ctx.allocateClusterIP();
		spec['clusterIPs'] ??= spec['clusterIP'] === 'None' ? ['None'] : [spec['clusterIP']];
		spec['ipFamilies'] ??= ['IPv4'];
		spec['ipFamilyPolicy'] ??= 'SingleStack';
		spec['internalTrafficPolicy'] ??= 'Cluster';
	}
	spec['sessionAffinity'] ??= 'None';
	const oldPorts = asArray(oldSpec['ports']).map(asObject);
	spec['ports'] = asArray(spec['ports']).map((value) => {
		const port: Json = {...asObject(value)};
		port['protocol'] ??= 'TCP';
		port['targetPort'] ??= port['port'];
		if (type === 'NodePort' || type === 'LoadBalancer') {
			port['nodePort'] ??= oldPorts.find((p) => p['port'] === port['port'])?.['nodePort'] ?? ctx.allocateNodePort();
		}
		return port;
	});
	if (type === 'NodePort' || type === 'LoadBalancer') spec['externalTrafficPolicy'] ??= 'Cluster';
	if (type === 'LoadBalancer') spec['allocateLoadBalancerNodePorts'] ??= true;
	object['spec'] = spec;
	object['status'] ??= {loadBalancer: {}};
}

/** Mutates `object` (a fresh copy owned by the caller) the way admission + defaulting would. */
export function prepareForStorage(type: ResourceType, object: KObject, old: KObject | undefined, ctx: DefaultsContext): void {
	switch (type.storage) {
		case 'pods': {
			object['spec'] = defaultPodSpec(object['spec'], ctx);
			if (asArray(asObject(object['spec'])['containers']).length === 0) {
				throw invalid('Pod', '', object.metadata.name, [{field: 'spec.containers', message: 'Required value'}]);
			}
			if (!old) object['status'] = {phase: 'Pending', qosClass: 'BestEffort'};
			break;
		}
		case 'apps/deployments':
		case 'apps/replicasets': {
			const spec: Json = {...asObject(object['spec'])};
			spec['replicas'] ??= 1;
			if (type.storage === 'apps/deployments') {
				spec['strategy'] ??= {type: 'RollingUpdate', rollingUpdate: {maxUnavailable: '25%', maxSurge: '25%'}};
				spec['revisionHistoryLimit'] ??= 10;
				spec['progressDeadlineSeconds'] ??= 600;
			}
			defaultTemplate(spec, ctx);
			checkSelector(object, type, spec);
			object['spec'] = spec;
			if (!old) object['status'] ??= {};
			break;
		}
		case 'services':
			defaultService(object, old, ctx);
			break;
		case 'namespaces':
			object['spec'] ??= {finalizers: ['kubernetes']};
			object['status'] ??= {phase: 'Active'};
			object.metadata.labels = {...object.metadata.labels, 'kubernetes.io/metadata.name': object.metadata.name};
			break;
		case 'policy/poddisruptionbudgets':
			if (!old) object['status'] ??= {disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0};
			break;
	}
	if (['apps/deployments', 'apps/replicasets', 'policy/poddisruptionbudgets'].includes(type.storage)) {
		// Compared after defaulting: an apply that only restates the spec is not a new generation.
		const specChanged = !old || canonicalJson(old['spec']) !== canonicalJson(object['spec']);
		const previous = asNumber(old?.metadata.generation) ?? 0;
		object.metadata.generation = specChanged ? previous + 1 : previous || 1;
	}
	if (old && type.storage !== 'pods' && isObject(old['status']) && object['status'] === undefined) object['status'] = old['status'];
}
