// PATCH bodies: JSON merge patch (RFC 7386), JSON patch (RFC 6902), and the strategic merge patch kubectl
// sends for built-in types (lists of containers, env, ports, … merge by key; `$patch` and `$setElementOrder`
// directives). Enough for `kubectl apply`, `kubectl scale`, `kubectl label`, `kubectl patch` and
// `kubectl rollout restart`; not a full port of apimachinery's strategicpatch.
import {badRequest, ApiError} from './errors.js';
import {deepClone, isObject, type Json} from './util.js';

export function mergePatch(target: unknown, patch: unknown): unknown {
	if (!isObject(patch)) return deepClone(patch);
	const result: Json = isObject(target) ? {...target} : {};
	for (const [key, value] of Object.entries(patch)) {
		if (value === null) delete result[key];
		else result[key] = mergePatch(result[key], value);
	}
	return result;
}

/** The key a strategic merge patch merges a list by, from the field name (and, for `ports`, the entries). */
function mergeKeyFor(field: string, entries: readonly unknown[]): string | undefined {
	switch (field) {
		case 'containers':
		case 'initContainers':
		case 'ephemeralContainers':
		case 'env':
		case 'volumes':
		case 'imagePullSecrets':
		case 'resourceClaims':
			return 'name';
		case 'volumeMounts':
			return 'mountPath';
		case 'volumeDevices':
			return 'devicePath';
		case 'conditions':
			return 'type';
		case 'ownerReferences':
			return 'uid';
		case 'hostAliases':
			return 'ip';
		case 'topologySpreadConstraints':
			return 'topologyKey';
		case 'ports':
			return entries.some((e) => isObject(e) && 'containerPort' in e) ? 'containerPort' : 'port';
		default:
			return undefined;
	}
}

const primitiveMergeLists = new Set(['finalizers']);

export function strategicMergePatch(target: unknown, patch: unknown): unknown {
	if (!isObject(patch)) return deepClone(patch);
	const directive = patch['$patch'];
	if (directive === 'replace') {
		const {$patch: _ignored, ...rest} = patch;
		return stripDirectives(rest);
	}
	if (directive === 'delete') return undefined;
	const result: Json = isObject(target) ? {...target} : {};
	const retainKeys = Array.isArray(patch['$retainKeys']) ? new Set(patch['$retainKeys'].map(String)) : undefined;
	for (const [key, value] of Object.entries(patch)) {
		if (key === '$patch' || key === '$retainKeys' || key.startsWith('$setElementOrder/')) continue;
		if (key.startsWith('$deleteFromPrimitiveList/')) {
			const field = key.slice('$deleteFromPrimitiveList/'.length);
			const drop = new Set((Array.isArray(value) ? value : []).map((v) => JSON.stringify(v)));
			if (Array.isArray(result[field])) result[field] = (result[field] as unknown[]).filter((v) => !drop.has(JSON.stringify(v)));
			continue;
		}
		if (value === null) {
			delete result[key];
		} else if (Array.isArray(value)) {
			result[key] = mergeList(key, result[key], value);
		} else if (isObject(value)) {
			const merged = strategicMergePatch(result[key], value);
			if (merged === undefined) delete result[key];
			else result[key] = merged;
		} else {
			result[key] = value;
		}
	}
	if (retainKeys) for (const key of Object.keys(result)) if (!retainKeys.has(key) && !(key in patch)) delete result[key];
	return result;
}

function mergeList(field: string, current: unknown, patch: unknown[]): unknown[] {
	const existing = Array.isArray(current) ? current : [];
	if (patch.some((entry) => isObject(entry) && entry['$patch'] === 'replace')) {
		return patch.filter((entry) => !(isObject(entry) && entry['$patch'] === 'replace')).map(stripDirectives);
	}
	if (primitiveMergeLists.has(field)) {
		const out = [...existing];
		for (const value of patch) if (!out.some((v) => JSON.stringify(v) === JSON.stringify(value))) out.push(value);
		return out;
	}
	const key = mergeKeyFor(field, [...existing, ...patch]);
	if (!key || !patch.every(isObject)) return patch.map(stripDirectives);
	const out: unknown[] = existing.map((entry) => entry);
	for (const entry of patch as Json[]) {
		const index = out.findIndex((e) => isObject(e) && e[key] === entry[key]);
		if (entry['$patch'] === 'delete') {
			if (index >= 0) out.splice(index, 1);
			continue;
		}
		if (index >= 0) out[index] = strategicMergePatch(out[index], entry);
		else out.push(stripDirectives(entry));
	}
	return out;
}

function stripDirectives(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(stripDirectives);
	if (!isObject(value)) return value;
	const out: Json = {};
	for (const [key, entry] of Object.entries(value)) if (!key.startsWith('$')) out[key] = stripDirectives(entry);
	return out;
}

type Operation = {op: string; path: string; value?: unknown; from?: string};

function pointer(path: string): string[] {
	if (path === '') return [];
	if (!path.startsWith('/')) throw badRequest(`the server rejected our request due to an error in our request: invalid JSON pointer "${path}"`);
	return path
		.slice(1)
		.split('/')
		.map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(root: Json, parts: string[]): {parent: Json | unknown[]; last: string} {
	let cursor: unknown = root;
	for (const part of parts.slice(0, -1)) {
		cursor = Array.isArray(cursor) ? cursor[Number(part)] : isObject(cursor) ? cursor[part] : undefined;
		if (cursor === undefined) throw new ApiError(422, 'Invalid', `jsonpatch: doc is missing path: "/${parts.join('/')}"`);
	}
	if (!Array.isArray(cursor) && !isObject(cursor)) throw new ApiError(422, 'Invalid', `jsonpatch: doc is missing path: "/${parts.join('/')}"`);
	return {parent: cursor, last: parts[parts.length - 1] ?? ''};
}

function getAt(root: Json, path: string): unknown {
	let cursor: unknown = root;
	for (const part of pointer(path)) cursor = Array.isArray(cursor) ? cursor[Number(part)] : isObject(cursor) ? cursor[part] : undefined;
	return cursor;
}

export function jsonPatch(target: Json, operations: unknown): Json {
	if (!Array.isArray(operations)) throw badRequest('json patch must be an array of operations');
	const root = deepClone(target);
	for (const raw of operations) {
		if (!isObject(raw) || typeof raw['op'] !== 'string' || typeof raw['path'] !== 'string') throw badRequest('invalid json patch operation');
		const op = raw as Operation;
		const parts = pointer(op.path);
		const apply = (value: unknown, remove: boolean): void => {
			const {parent, last} = parentOf(root, parts);
			if (Array.isArray(parent)) {
				const index = last === '-' ? parent.length : Number(last);
				if (remove) parent.splice(index, 1);
				else if (op.op === 'add' || op.op === 'copy' || op.op === 'move') parent.splice(index, 0, value);
				else parent[index] = value;
			} else if (remove) delete parent[last];
			else parent[last] = value;
		};
		switch (op.op) {
			case 'add':
			case 'replace':
				apply(deepClone(op.value), false);
				break;
			case 'remove':
				apply(undefined, true);
				break;
			case 'copy':
			case 'move': {
				const value = deepClone(getAt(root, op.from ?? ''));
				if (op.op === 'move') {
					const fromParts = pointer(op.from ?? '');
					const {parent, last} = parentOf(root, fromParts);
					if (Array.isArray(parent)) parent.splice(Number(last), 1);
					else delete parent[last];
				}
				apply(value, false);
				break;
			}
			case 'test':
				if (JSON.stringify(getAt(root, op.path)) !== JSON.stringify(op.value)) {
					throw new ApiError(422, 'Invalid', `the server rejected our request due to an error in our request: testing value ${op.path} failed`);
				}
				break;
			default:
				throw badRequest(`unexpected json patch operation "${op.op}"`);
		}
	}
	return root;
}
