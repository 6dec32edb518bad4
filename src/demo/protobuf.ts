// kubectl's typed clients (`kubectl create deployment|namespace|service|configmap|…`, `kubectl auth can-i`,
// `kubectl auth whoami`, eviction) send request bodies as Kubernetes protobuf, and the apiserver answers
// 415 to nothing it serves. This decodes the `k8s\0` envelope and the messages those commands send into
// the JSON shapes the rest of the demo handles. Field numbers are those of k8s.io/api generated.proto.
// Go's protobuf marshaller writes empty strings and zero scalars; they are dropped, as JSON omitempty does.
import {badRequest, unsupportedMediaType} from './errors.js';
import type {Json} from './util.js';

type Scalar = 'string' | 'int' | 'bool' | 'bytes' | 'quantity' | 'time' | 'intOrString';
type FieldType = Scalar | {msg: string} | {map: Scalar | {msg: string}};
type Field = readonly [name: string, type: FieldType, repeated?: 'repeated'];
type Schema = Readonly<Record<number, Field>>;

const m = (msg: string): {msg: string} => ({msg});
const strings = {map: 'string'} as const;

const schemas: Record<string, Schema> = {
	ObjectMeta: {
		1: ['name', 'string'],
		2: ['generateName', 'string'],
		3: ['namespace', 'string'],
		5: ['uid', 'string'],
		6: ['resourceVersion', 'string'],
		7: ['generation', 'int'],
		11: ['labels', strings],
		12: ['annotations', strings],
		13: ['ownerReferences', m('OwnerReference'), 'repeated'],
		14: ['finalizers', 'string', 'repeated'],
	},
	OwnerReference: {1: ['kind', 'string'], 3: ['name', 'string'], 4: ['uid', 'string'], 5: ['apiVersion', 'string'], 6: ['controller', 'bool'], 7: ['blockOwnerDeletion', 'bool']},
	LabelSelector: {1: ['matchLabels', strings], 2: ['matchExpressions', m('LabelSelectorRequirement'), 'repeated']},
	LabelSelectorRequirement: {1: ['key', 'string'], 2: ['operator', 'string'], 3: ['values', 'string', 'repeated']},
	Namespace: {1: ['metadata', m('ObjectMeta')], 2: ['spec', m('NamespaceSpec')]},
	NamespaceSpec: {1: ['finalizers', 'string', 'repeated']},
	ConfigMap: {1: ['metadata', m('ObjectMeta')], 2: ['data', strings], 3: ['binaryData', {map: 'bytes'}], 4: ['immutable', 'bool']},
	Secret: {1: ['metadata', m('ObjectMeta')], 2: ['data', {map: 'bytes'}], 3: ['type', 'string'], 4: ['stringData', strings], 5: ['immutable', 'bool']},
	ServiceAccount: {1: ['metadata', m('ObjectMeta')], 4: ['automountServiceAccountToken', 'bool']},
	Deployment: {1: ['metadata', m('ObjectMeta')], 2: ['spec', m('DeploymentSpec')]},
	DeploymentSpec: {
		1: ['replicas', 'int'],
		2: ['selector', m('LabelSelector')],
		3: ['template', m('PodTemplateSpec')],
		4: ['strategy', m('DeploymentStrategy')],
		5: ['minReadySeconds', 'int'],
		6: ['revisionHistoryLimit', 'int'],
		7: ['paused', 'bool'],
		9: ['progressDeadlineSeconds', 'int'],
	},
	DeploymentStrategy: {1: ['type', 'string'], 2: ['rollingUpdate', m('RollingUpdateDeployment')]},
	RollingUpdateDeployment: {1: ['maxUnavailable', 'intOrString'], 2: ['maxSurge', 'intOrString']},
	PodTemplateSpec: {1: ['metadata', m('ObjectMeta')], 2: ['spec', m('PodSpec')]},
	PodSpec: {
		2: ['containers', m('Container'), 'repeated'],
		3: ['restartPolicy', 'string'],
		4: ['terminationGracePeriodSeconds', 'int'],
		6: ['dnsPolicy', 'string'],
		7: ['nodeSelector', strings],
		8: ['serviceAccountName', 'string'],
		9: ['serviceAccount', 'string'],
		10: ['nodeName', 'string'],
		20: ['initContainers', m('Container'), 'repeated'],
	},
	Container: {
		1: ['name', 'string'],
		2: ['image', 'string'],
		3: ['command', 'string', 'repeated'],
		4: ['args', 'string', 'repeated'],
		5: ['workingDir', 'string'],
		6: ['ports', m('ContainerPort'), 'repeated'],
		7: ['env', m('EnvVar'), 'repeated'],
		8: ['resources', m('ResourceRequirements')],
		14: ['imagePullPolicy', 'string'],
		20: ['terminationMessagePolicy', 'string'],
		13: ['terminationMessagePath', 'string'],
	},
	ContainerPort: {1: ['name', 'string'], 2: ['hostPort', 'int'], 3: ['containerPort', 'int'], 4: ['protocol', 'string'], 5: ['hostIP', 'string']},
	EnvVar: {1: ['name', 'string'], 2: ['value', 'string']},
	ResourceRequirements: {1: ['limits', {map: 'quantity'}], 2: ['requests', {map: 'quantity'}]},
	Service: {1: ['metadata', m('ObjectMeta')], 2: ['spec', m('ServiceSpec')]},
	ServiceSpec: {
		1: ['ports', m('ServicePort'), 'repeated'],
		2: ['selector', strings],
		3: ['clusterIP', 'string'],
		4: ['type', 'string'],
		5: ['externalIPs', 'string', 'repeated'],
		7: ['sessionAffinity', 'string'],
		10: ['externalName', 'string'],
	},
	ServicePort: {1: ['name', 'string'], 2: ['protocol', 'string'], 3: ['port', 'int'], 4: ['targetPort', 'intOrString'], 5: ['nodePort', 'int'], 6: ['appProtocol', 'string']},
	SelfSubjectAccessReview: {1: ['metadata', m('ObjectMeta')], 2: ['spec', m('SelfSubjectAccessReviewSpec')]},
	SelfSubjectAccessReviewSpec: {1: ['resourceAttributes', m('ResourceAttributes')], 2: ['nonResourceAttributes', m('NonResourceAttributes')]},
	ResourceAttributes: {1: ['namespace', 'string'], 2: ['verb', 'string'], 3: ['group', 'string'], 4: ['version', 'string'], 5: ['resource', 'string'], 6: ['subresource', 'string'], 7: ['name', 'string']},
	NonResourceAttributes: {1: ['path', 'string'], 2: ['verb', 'string']},
	SelfSubjectRulesReview: {1: ['metadata', m('ObjectMeta')], 2: ['spec', m('SelfSubjectRulesReviewSpec')]},
	SelfSubjectRulesReviewSpec: {1: ['namespace', 'string']},
	SelfSubjectReview: {1: ['metadata', m('ObjectMeta')]},
	Eviction: {1: ['metadata', m('ObjectMeta')], 2: ['deleteOptions', m('DeleteOptions')]},
	DeleteOptions: {1: ['gracePeriodSeconds', 'int'], 2: ['preconditions', m('Preconditions')], 3: ['orphanDependents', 'bool'], 4: ['propagationPolicy', 'string'], 5: ['dryRun', 'string', 'repeated']},
	Preconditions: {1: ['uid', 'string'], 2: ['resourceVersion', 'string']},
	// Wrappers
	Unknown: {1: ['typeMeta', m('TypeMeta')], 2: ['raw', 'bytes'], 3: ['contentEncoding', 'string'], 4: ['contentType', 'string']},
	TypeMeta: {1: ['apiVersion', 'string'], 2: ['kind', 'string']},
	MapEntry: {1: ['key', 'string'], 2: ['value', 'bytes']},
	IntOrString: {1: ['type', 'int'], 2: ['intVal', 'int'], 3: ['strVal', 'string']},
	Quantity: {1: ['string', 'string']},
	Time: {1: ['seconds', 'int'], 2: ['nanos', 'int']},
};

interface RawField {
	readonly number: number;
	readonly wire: number;
	readonly varint?: bigint;
	readonly bytes?: Buffer;
}

function readVarint(buffer: Buffer, offset: number): [bigint, number] {
	let result = 0n;
	let shift = 0n;
	for (let i = offset; i < buffer.length && shift < 70n; i++) {
		const byte = buffer[i]!;
		result |= BigInt(byte & 0x7f) << shift;
		shift += 7n;
		if ((byte & 0x80) === 0) return [result, i + 1];
	}
	throw badRequest('protobuf: truncated varint');
}

function rawFields(buffer: Buffer): RawField[] {
	const fields: RawField[] = [];
	let offset = 0;
	while (offset < buffer.length) {
		const [key, afterKey] = readVarint(buffer, offset);
		const number = Number(key >> 3n);
		const wire = Number(key & 7n);
		offset = afterKey;
		if (wire === 0) {
			const [value, next] = readVarint(buffer, offset);
			fields.push({number, wire, varint: value});
			offset = next;
		} else if (wire === 2) {
			const [length, next] = readVarint(buffer, offset);
			const end = next + Number(length);
			if (end > buffer.length) throw badRequest('protobuf: truncated field');
			fields.push({number, wire, bytes: buffer.subarray(next, end)});
			offset = end;
		} else if (wire === 1) offset += 8;
		else if (wire === 5) offset += 4;
		else throw badRequest(`protobuf: unsupported wire type ${wire}`);
	}
	return fields;
}

const signed = (value: bigint): number => Number(BigInt.asIntN(64, value));

function scalar(type: Scalar, field: RawField): unknown {
	switch (type) {
		case 'string':
			return field.bytes?.toString('utf8') ?? '';
		case 'int':
			return field.varint !== undefined ? signed(field.varint) : 0;
		case 'bool':
			return field.varint !== undefined && field.varint !== 0n;
		case 'bytes':
			return field.bytes?.toString('base64') ?? '';
		case 'quantity':
			return decodeMessage('Quantity', field.bytes ?? Buffer.alloc(0))['string'] ?? '0';
		case 'time': {
			const time = decodeMessage('Time', field.bytes ?? Buffer.alloc(0));
			return typeof time['seconds'] === 'number' ? new Date(time['seconds'] * 1000).toISOString().replace('.000Z', 'Z') : undefined;
		}
		case 'intOrString': {
			const value = decodeMessage('IntOrString', field.bytes ?? Buffer.alloc(0));
			return value['type'] === 1 ? (value['strVal'] ?? '') : (value['intVal'] ?? 0);
		}
	}
}

const isEmpty = (value: unknown): boolean => value === '' || value === 0 || value === false || value === undefined;

function decodeMessage(name: string, buffer: Buffer): Json {
	const schema = schemas[name];
	if (!schema) throw new Error(`protobuf: no schema for ${name}`);
	const out: Json = {};
	for (const field of rawFields(buffer)) {
		const spec = schema[field.number];
		if (!spec) continue; // a field the demo does not read
		const [key, type, repeated] = spec;
		let value: unknown;
		if (typeof type === 'string') {
			value = scalar(type, field);
		} else if ('msg' in type) {
			value = decodeMessage(type.msg, field.bytes ?? Buffer.alloc(0));
		} else {
			const entry = rawFields(field.bytes ?? Buffer.alloc(0));
			const entryKey = entry.find((f) => f.number === 1)?.bytes?.toString('utf8') ?? '';
			const entryValue = entry.find((f) => f.number === 2);
			const valueType = type.map;
			const decoded = typeof valueType === 'string' ? (entryValue ? scalar(valueType, entryValue) : '') : decodeMessage(valueType.msg, entryValue?.bytes ?? Buffer.alloc(0));
			out[key] = {...(out[key] as Json | undefined), [entryKey]: decoded};
			continue;
		}
		if (repeated) {
			out[key] = [...((out[key] as unknown[] | undefined) ?? []), value];
		} else if (!isEmpty(value)) {
			out[key] = value;
		}
	}
	return out;
}

const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** A `k8s\0`-framed protobuf body → the JSON object it stands for. */
export function decodeKubernetesProtobuf(body: Buffer, contentType: string): Json {
	if (body.length < 4 || !body.subarray(0, 4).equals(magic)) throw badRequest('protobuf: the body does not start with the k8s magic number');
	const unknown = decodeMessage('Unknown', body.subarray(4));
	const typeMeta = (unknown['typeMeta'] as Json | undefined) ?? {};
	const kind = typeof typeMeta['kind'] === 'string' ? typeMeta['kind'] : '';
	if (!schemas[kind] || ['Unknown', 'TypeMeta', 'ObjectMeta'].includes(kind)) throw unsupportedMediaType(`${contentType} (the demo cluster decodes protobuf only for the kinds kubectl create sends; ${kind || 'this kind'} is not one of them: send JSON)`);
	const raw = Buffer.from(typeof unknown['raw'] === 'string' ? unknown['raw'] : '', 'base64');
	return {apiVersion: typeMeta['apiVersion'], kind, ...decodeMessage(kind, raw)};
}
