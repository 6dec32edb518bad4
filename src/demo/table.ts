// Server-side printing: the meta.k8s.io/v1 Table kubectl asks for (`Accept: application/json;as=Table;…`),
// with the columns and cell formats of the real apiserver's printers, so `kubectl get pods` and
// `kubectl get pods -w` print NAME READY STATUS RESTARTS AGE exactly like a real cluster.
import {kubectlStatus} from '../model/pod.js';
import type {KObject} from './store.js';
import {asArray, asNumber, asObject, asString, humanDuration, type Json} from './util.js';

export interface Column {
	name: string;
	type: string;
	format: string;
	description: string;
	priority: number;
}

const col = (name: string, description: string, priority = 0, type = 'string', format = ''): Column => ({name, type, format, description, priority});
const nameColumn = col('Name', 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated.', 0, 'string', 'name');
const ageColumn = col('Age', 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.');

type Cell = string | number;
interface Printer {
	columns: Column[];
	cells(object: KObject, now: number): Cell[];
}

const age = (object: KObject, now: number): string => {
	const created = Date.parse(object.metadata.creationTimestamp);
	return Number.isNaN(created) ? '<unknown>' : humanDuration(now - created);
};
const orNone = (value: string | undefined): string => (value ? value : '<none>');
const since = (timestamp: unknown, now: number): string => {
	const at = Date.parse(asString(timestamp) ?? '');
	return Number.isNaN(at) ? '<unknown>' : humanDuration(now - at);
};

function containersAndImages(podSpec: unknown): [string, string] {
	const containers = asArray(asObject(podSpec)['containers']).map(asObject);
	return [containers.map((c) => asString(c['name']) ?? '').join(','), containers.map((c) => asString(c['image']) ?? '').join(',')];
}

function selectorText(selector: unknown): string {
	const sel = asObject(selector);
	const parts = Object.entries(asObject(sel['matchLabels'])).map(([k, v]) => `${k}=${String(v)}`);
	for (const expr of asArray(sel['matchExpressions']).map(asObject)) {
		const values = asArray(expr['values']).map(String).join(',');
		const op = asString(expr['operator']);
		const key = asString(expr['key']) ?? '';
		parts.push(op === 'Exists' ? key : op === 'DoesNotExist' ? `!${key}` : `${key} ${op === 'In' ? 'in' : 'notin'} (${values})`);
	}
	return parts.length ? parts.join(',') : '<none>';
}

const podPrinter: Printer = {
	columns: [
		nameColumn,
		col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
		col('Status', 'The aggregate status of the containers in this pod.'),
		col('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
		ageColumn,
		col('IP', 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
		col('Node', "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for preemption on the node named in nominatedNodeName.", 1),
		col('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.', 1),
		col('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
	],
	cells(pod, now) {
		const spec = asObject(pod['spec']);
		const status = asObject(pod['status']);
		const statuses = asArray(status['containerStatuses']).map(asObject);
		const ready = statuses.filter((c) => c['ready'] === true && asObject(c['state'])['running']).length;
		const restarts = statuses.reduce((sum, c) => sum + (asNumber(c['restartCount']) ?? 0), 0);
		const lastRestart = statuses
			.map((c) => Date.parse(asString(asObject(asObject(c['lastState'])['terminated'])['finishedAt']) ?? ''))
			.filter((t) => !Number.isNaN(t))
			.sort((a, b) => b - a)[0];
		const gates = asArray(spec['readinessGates']).length;
		return [
			pod.metadata.name,
			`${ready}/${asArray(spec['containers']).length}`,
			kubectlStatus(pod),
			// Always a string, as printers.go formats it (the column is of type string).
			lastRestart !== undefined ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts),
			age(pod, now),
			orNone(asString(status['podIP'])),
			orNone(asString(spec['nodeName'])),
			orNone(asString(status['nominatedNodeName'])),
			gates ? `0/${gates}` : '<none>',
		];
	},
};

const deploymentPrinter: Printer = {
	columns: [
		nameColumn,
		col('Ready', 'Number of the pod with ready state'),
		col('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.', 0, 'integer'),
		col('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.', 0, 'integer'),
		ageColumn,
		col('Containers', 'Names of each container in the template.', 1),
		col('Images', 'Images referenced by each container in the template.', 1),
		col('Selector', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', 1),
	],
	cells(object, now) {
		const spec = asObject(object['spec']);
		const status = asObject(object['status']);
		const [containers, images] = containersAndImages(asObject(asObject(spec['template'])['spec']));
		return [
			object.metadata.name,
			`${asNumber(status['readyReplicas']) ?? 0}/${asNumber(spec['replicas']) ?? 1}`,
			asNumber(status['updatedReplicas']) ?? 0,
			asNumber(status['availableReplicas']) ?? 0,
			age(object, now),
			containers,
			images,
			selectorText(spec['selector']),
		];
	},
};

const replicaSetPrinter: Printer = {
	columns: [
		nameColumn,
		col('Desired', 'Replicas is the number of desired replicas.', 0, 'integer'),
		col('Current', 'Replicas is the most recently observed number of replicas.', 0, 'integer'),
		col('Ready', 'The number of ready replicas for this replica set.', 0, 'integer'),
		ageColumn,
		col('Containers', 'Names of each container in the template.', 1),
		col('Images', 'Images referenced by each container in the template.', 1),
		col('Selector', 'Selector is a label query over pods that should match the replica count.', 1),
	],
	cells(object, now) {
		const spec = asObject(object['spec']);
		const status = asObject(object['status']);
		const [containers, images] = containersAndImages(asObject(asObject(spec['template'])['spec']));
		return [
			object.metadata.name,
			asNumber(spec['replicas']) ?? 1,
			asNumber(status['replicas']) ?? 0,
			asNumber(status['readyReplicas']) ?? 0,
			age(object, now),
			containers,
			images,
			selectorText(spec['selector']),
		];
	},
};

const servicePrinter: Printer = {
	columns: [
		nameColumn,
		col('Type', 'type determines how the Service is exposed.'),
		col('Cluster-IP', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
		col('External-IP', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
		col('Port(s)', 'The list of ports that are exposed by this service.'),
		ageColumn,
		col('Selector', 'Route service traffic to pods with label keys and values matching this selector.', 1),
	],
	cells(object, now) {
		const spec = asObject(object['spec']);
		const type = asString(spec['type']) ?? 'ClusterIP';
		const ingress = asArray(asObject(asObject(object['status'])['loadBalancer'])['ingress']).map(asObject);
		const external = [...asArray(spec['externalIPs']).map(String), ...ingress.map((i) => asString(i['ip']) ?? asString(i['hostname']) ?? '')];
		const ports = asArray(spec['ports'])
			.map(asObject)
			.map((p) => `${asNumber(p['port']) ?? ''}${p['nodePort'] ? `:${String(p['nodePort'])}` : ''}/${asString(p['protocol']) ?? 'TCP'}`);
		const selector = Object.entries(asObject(spec['selector'])).map(([k, v]) => `${k}=${String(v)}`);
		return [
			object.metadata.name,
			type,
			orNone(asString(spec['clusterIP'])),
			external.length ? external.join(',') : type === 'LoadBalancer' ? '<pending>' : '<none>',
			ports.length ? ports.join(',') : '<none>',
			age(object, now),
			selector.length ? selector.join(',') : '<none>',
		];
	},
};

const endpointsPrinter: Printer = {
	columns: [nameColumn, col('Endpoints', 'Endpoints is the list of endpoints in this object.'), ageColumn],
	cells(object, now) {
		const list: string[] = [];
		for (const subset of asArray(object['subsets']).map(asObject)) {
			const ports = asArray(subset['ports']).map(asObject);
			for (const address of asArray(subset['addresses']).map(asObject)) {
				for (const port of ports.length ? ports : [{}]) list.push(`${asString(address['ip']) ?? ''}${port['port'] ? `:${String(port['port'])}` : ''}`);
			}
		}
		const shown = list.length > 3 ? `${list.slice(0, 3).join(',')} + ${list.length - 3} more...` : list.join(',');
		return [object.metadata.name, shown || '<none>', age(object, now)];
	},
};

const namespacePrinter: Printer = {
	columns: [nameColumn, col('Status', 'The status of the namespace'), ageColumn],
	cells: (object, now) => [object.metadata.name, asString(asObject(object['status'])['phase']) ?? 'Active', age(object, now)],
};

const nodePrinter: Printer = {
	columns: [
		nameColumn,
		col('Status', 'The status of the node'),
		col('Roles', 'The roles of the node'),
		ageColumn,
		col('Version', 'Kubelet Version reported by the node.'),
		col('Internal-IP', 'List of internal IPs in the node.', 1),
		col('External-IP', 'List of external IPs in the node.', 1),
		col('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
		col('Kernel-Version', 'Kernel Version reported by the node.', 1),
		col('Container-Runtime', 'Container Runtime Version reported by the node.', 1),
	],
	cells(object, now) {
		const status = asObject(object['status']);
		const ready = asArray(status['conditions']).map(asObject).find((c) => c['type'] === 'Ready');
		const roles = Object.keys(object.metadata.labels ?? {})
			.filter((k) => k.startsWith('node-role.kubernetes.io/'))
			.map((k) => k.slice('node-role.kubernetes.io/'.length));
		const info = asObject(status['nodeInfo']);
		const addresses = asArray(status['addresses']).map(asObject);
		const address = (type: string): string => orNone(asString(addresses.find((a) => a['type'] === type)?.['address']));
		return [
			object.metadata.name,
			`${ready?.['status'] === 'True' ? 'Ready' : 'NotReady'}${asObject(object['spec'])['unschedulable'] ? ',SchedulingDisabled' : ''}`,
			roles.length ? roles.join(',') : '<none>',
			age(object, now),
			asString(info['kubeletVersion']) ?? '',
			address('InternalIP'),
			address('ExternalIP'),
			asString(info['osImage']) ?? '',
			asString(info['kernelVersion']) ?? '',
			asString(info['containerRuntimeVersion']) ?? '',
		];
	},
};

const eventPrinter: Printer = {
	columns: [
		col('Last Seen', 'Time when this Event was last observed.'),
		col('Type', 'Type of this event (Normal, Warning), new types could be added in the future.'),
		col('Reason', 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
		col('Object', 'The object that this event is about.'),
		col('Message', 'A human-readable description of the status of this operation.'),
	],
	cells(object, now) {
		const involved = asObject(object['involvedObject']);
		const last = object['lastTimestamp'] ?? object['eventTime'] ?? object.metadata.creationTimestamp;
		return [
			since(last, now),
			asString(object['type']) ?? '',
			asString(object['reason']) ?? '',
			`${(asString(involved['kind']) ?? '').toLowerCase()}/${asString(involved['name']) ?? ''}`,
			asString(object['message']) ?? '',
		];
	},
};

const countPrinter = (label: string, field: string): Printer => ({
	columns: [nameColumn, col(label, `Number of entries in ${field}.`, 0, 'integer'), ageColumn],
	cells: (object, now) => [object.metadata.name, Object.keys(asObject(object[field])).length + asArray(object[field]).length, age(object, now)],
});

const pdbPrinter: Printer = {
	columns: [
		nameColumn,
		col('Min Available', 'The minimum number of pods that must be available simultaneously.'),
		col('Max Unavailable', 'The maximum number of pods that may be unavailable simultaneously.'),
		col('Allowed Disruptions', 'Calculated number of pods that may be disrupted at this time.', 0, 'integer'),
		ageColumn,
	],
	cells(object, now) {
		const spec = asObject(object['spec']);
		const value = (v: unknown): string => (v === undefined || v === null ? 'N/A' : String(v));
		return [object.metadata.name, value(spec['minAvailable']), value(spec['maxUnavailable']), asNumber(asObject(object['status'])['disruptionsAllowed']) ?? 0, age(object, now)];
	},
};

const roleBindingPrinter: Printer = {
	columns: [nameColumn, col('Role', 'RoleRef to the role granted.'), ageColumn],
	cells(object, now) {
		const ref = asObject(object['roleRef']);
		return [object.metadata.name, `${asString(ref['kind']) ?? ''}/${asString(ref['name']) ?? ''}`, age(object, now)];
	},
};

/** The apiserver's default for types without a printer: NAME and CREATED AT. */
const defaultPrinter: Printer = {
	columns: [nameColumn, col('Created At', 'CreationTimestamp is a timestamp representing the server time when this object was created.', 0, 'date')],
	cells: (object) => [object.metadata.name, object.metadata.creationTimestamp],
};

const printers: Record<string, Printer> = {
	pods: podPrinter,
	'apps/deployments': deploymentPrinter,
	'apps/replicasets': replicaSetPrinter,
	services: servicePrinter,
	endpoints: endpointsPrinter,
	namespaces: namespacePrinter,
	nodes: nodePrinter,
	events: eventPrinter,
	configmaps: countPrinter('Data', 'data'),
	serviceaccounts: countPrinter('Secrets', 'secrets'),
	secrets: countPrinter('Data', 'data'),
	'policy/poddisruptionbudgets': pdbPrinter,
	'rbac.authorization.k8s.io/rolebindings': roleBindingPrinter,
	'rbac.authorization.k8s.io/clusterrolebindings': roleBindingPrinter,
};

export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** `application/json;as=Table;v=v1;g=meta.k8s.io` in an Accept header. */
export function wantsTable(accept: string | undefined): boolean {
	if (!accept) return false;
	return accept.split(',').some((part) => {
		const params = part.split(';').map((p) => p.trim());
		return params.includes('as=Table') && params.includes('g=meta.k8s.io') && (params.includes('v=v1') || params.includes('v=v1beta1'));
	});
}

export const tableContentType = 'application/json;as=Table;v=v1;g=meta.k8s.io';

export function tableRow(storage: string, object: KObject, now: number, include: IncludeObject): Json {
	const printer = printers[storage] ?? defaultPrinter;
	const row: Json = {cells: printer.cells(object, now)};
	if (include === 'Object') row['object'] = object;
	else if (include === 'Metadata') row['object'] = {kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata};
	return row;
}

export function toTable(
	storage: string,
	objects: readonly KObject[],
	now: number,
	include: IncludeObject,
	listMeta: Json,
	withColumns = true,
): Json {
	const printer = printers[storage] ?? defaultPrinter;
	return {
		kind: 'Table',
		apiVersion: 'meta.k8s.io/v1',
		metadata: listMeta,
		...(withColumns ? {columnDefinitions: printer.columns} : {}),
		rows: objects.map((object) => tableRow(storage, object, now, include)),
	};
}
