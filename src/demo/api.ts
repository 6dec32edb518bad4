// REST handling of resource URLs: /api/v1/... and /apis/GROUP/VERSION/... with namespaces, names and
// subresources (status, scale, eviction, log, proxy), RBAC-style 403s from the fault knobs, dry run, and
// the access reviews kubectl and podinvaders ask before acting.
import type http from 'node:http';
import {ApiError, badRequest, forbidden, methodNotAllowed, notFound, pathNotFound} from './errors.js';
import {EventRecorder, eventFromEventsV1, eventToEventsV1} from './events.js';
import type {Faults} from './faults.js';
import {listBody, matchesQuery, Paginator, parseQuery, serveWatch, type Rendering} from './list-watch.js';
import {deleteOptionsFrom, patchTypeOf, type Ops} from './ops.js';
import {jsonPatch, mergePatch} from './patch.js';
import {decodeKubernetesProtobuf} from './protobuf.js';
import {forward, podTarget, serviceTarget, upstreamPath} from './proxy.js';
import {byStorage, findResource, virtualStorages, type ResourceType} from './resources.js';
import type {KObject, Store} from './store.js';
import {wantsTable, type IncludeObject} from './table.js';
import {asObject, asNumber, asString, isObject, type Json, type Rng} from './util.js';

const maxBodyBytes = 16 * 1024 * 1024;
const protectedNamespaces = new Set(['default', 'kube-system', 'kube-public']);

export interface ApiContext {
	store: Store;
	ops: Ops;
	faults: Faults;
	events: EventRecorder;
	rng: Rng;
	user: string;
	bookmarkIntervalMs: number;
}

interface Target {
	type: ResourceType;
	namespace?: string;
	name?: string;
	subresource?: string;
	/** After `/proxy`: the upstream path. */
	rest: string;
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	res.writeHead(status, {'Content-Type': contentType, 'Cache-Control': 'no-cache, private', 'Content-Length': Buffer.byteLength(text)});
	res.end(text);
}

export function sendError(res: http.ServerResponse, error: ApiError): void {
	if (res.headersSent) {
		res.destroy();
		return;
	}
	sendJson(res, error.code, error.toStatus());
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > maxBodyBytes) throw new ApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks);
}

/** The request body as JSON (kubectl's typed clients send protobuf: decoded for the kinds they create). */
async function readJson(req: http.IncomingMessage, required: boolean): Promise<unknown> {
	const contentType = req.headers['content-type'] ?? '';
	const body = await readBody(req);
	if (contentType.includes('application/vnd.kubernetes.protobuf') && body.length > 0) return decodeKubernetesProtobuf(body, contentType);
	const text = body.toString('utf8').trim();
	if (!text) {
		if (required) throw badRequest('the body of the request was empty');
		return undefined; // no body: a DELETE then reads its options from the query
	}
	try {
		return JSON.parse(text) as unknown;
	} catch (error) {
		throw badRequest(`couldn't get version/kind; json parse error: ${(error as Error).message}`);
	}
}

/** Splits the path after the group-version prefix into resource, namespace, name and subresource. */
function parseTarget(group: string, version: string, segments: string[]): Target {
	let namespace: string | undefined;
	let rest = segments;
	if (segments[0] === 'namespaces' && segments.length >= 3 && !['status', 'finalize'].includes(segments[2]!)) {
		namespace = segments[1];
		rest = segments.slice(2);
	}
	const [resource, name, subresource, ...tail] = rest;
	if (resource === 'pods' && subresource && ['exec', 'attach', 'portforward'].includes(subresource)) {
		throw badRequest(`the podinvaders demo cluster runs no real containers: pods/${subresource} is not supported`);
	}
	const type = resource ? findResource(group, version, resource) : undefined;
	if (!type) throw pathNotFound();
	if (namespace !== undefined && !type.namespaced) throw pathNotFound();
	if (subresource && !type.subresources?.some((s) => s.name === subresource)) throw pathNotFound();
	return {type, ...(namespace !== undefined ? {namespace} : {}), ...(name ? {name} : {}), ...(subresource ? {subresource} : {}), rest: tail.join('/')};
}

/**
 * Who is asking. Like a static token file whose every line is `X,X`: bearer token X authenticates as user X
 * (the demo's own kubeconfig has token "demo", the default user); no token is the default user too. This lets
 * a test act as a second user whose verbs a per-user fault rule forbids, as RBAC would.
 */
function userOf(req: http.IncomingMessage, fallback: string): string {
	const token = /^Bearer\s+([A-Za-z0-9._:@-]{1,128})$/.exec(req.headers.authorization ?? '')?.[1];
	return token ?? fallback;
}

function verbOf(method: string, target: Target, watch: boolean): string {
	switch (method) {
		case 'GET':
		case 'HEAD':
			return target.name ? 'get' : watch ? 'watch' : 'list';
		case 'POST':
			return 'create';
		case 'PUT':
			return 'update';
		case 'PATCH':
			return 'patch';
		case 'DELETE':
			return target.name ? 'delete' : 'deletecollection';
		default:
			return method.toLowerCase();
	}
}

export class ApiHandler {
	private readonly paginator: Paginator;
	constructor(private readonly ctx: ApiContext) {
		this.paginator = new Paginator(ctx.rng);
	}

	async handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL, group: string, version: string, segments: string[]): Promise<void> {
		const target = parseTarget(group, version, segments);
		const method = req.method ?? 'GET';
		const params = url.searchParams;
		const watch = params.get('watch') === 'true' || params.get('watch') === '1';
		const verb = verbOf(method, target, watch);
		const {type, namespace, name, subresource} = target;
		const allowed = subresource ? type.subresources!.find((s) => s.name === subresource)!.verbs : type.verbs;
		if (!allowed.includes(verb) && !(subresource === 'proxy')) throw methodNotAllowed();
		const resourceName = subresource === 'proxy' && name ? decodeURIComponent(name) : name;
		const user = userOf(req, this.ctx.user);
		if (this.ctx.faults.isForbidden(verb, subresource ? `${type.resource}/${subresource}` : type.resource, user)) {
			throw forbidden(user, verb, type, subresource, type.namespaced ? namespace : undefined, resourceName);
		}
		if (virtualStorages.has(type.storage)) return this.review(req, res, type, user);
		if (subresource === 'proxy') return this.proxy(req, res, url, target);
		if (subresource === 'log') return this.log(res, target);
		if (subresource === 'eviction') {
			const body = await readJson(req, true);
			this.ctx.ops.evict(namespace ?? 'default', name!, body, params.getAll('dryRun').includes('All'));
			return sendJson(res, 201, {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201});
		}
		if (subresource === 'scale') return this.scale(req, res, target, verb, params);

		const eventsV1 = type.group === 'events.k8s.io';
		const storageType = eventsV1 ? byStorage('events') : type;
		const out = (object: KObject): KObject => (eventsV1 ? eventToEventsV1(object) : object);
		const dryRun = params.getAll('dryRun').includes('All');
		const ns = type.namespaced ? namespace : undefined;
		const accept = req.headers.accept;
		const includeParam = params.get('includeObject');
		const include: IncludeObject = includeParam === 'None' || includeParam === 'Object' ? includeParam : 'Metadata';
		const rendering: Rendering = {
			...(wantsTable(accept) ? {table: include} : {}),
			...(eventsV1 ? {transform: eventToEventsV1} : {}),
			now: () => this.ctx.store.now(),
		};

		switch (verb) {
			case 'list': {
				const query = parseQuery(params);
				const objects = this.ctx.store.list(type.storage, ns).filter((object) => matchesQuery(query, object));
				const limit = asNumber(Number(params.get('limit'))) || undefined;
				const page = this.paginator.page(objects, this.ctx.store.resourceVersion, query.labels.length + query.fields.length > 0, limit, params.get('continue'), this.ctx.store.compactedResourceVersion);
				const body = listBody(type, page, rendering);
				return sendJson(res, 200, body.body, body.contentType);
			}
			case 'watch':
				serveWatch(this.ctx.store, this.ctx.faults, {type, namespace: ns, query: parseQuery(params), params, rendering, bookmarkIntervalMs: this.ctx.bookmarkIntervalMs}, req, res);
				return;
			case 'get': {
				const object = out(this.ctx.ops.get(type, ns, name!));
				if (rendering.table) {
					const body = listBody(type, {items: [object], rv: Number(object.metadata.resourceVersion)}, {table: rendering.table, now: rendering.now});
					return sendJson(res, 200, body.body, body.contentType);
				}
				return sendJson(res, 200, object);
			}
			case 'create': {
				const body = await readJson(req, true);
				const created = this.ctx.ops.create(storageType, ns, eventsV1 ? eventFromEventsV1(asObject(body)) : body, {dryRun});
				if (type.storage === 'events' && !dryRun) this.ctx.events.trim();
				return sendJson(res, 201, out(created));
			}
			case 'update': {
				const body = await readJson(req, true);
				const updated = this.ctx.ops.update(storageType, ns, name!, eventsV1 ? eventFromEventsV1(asObject(body)) : body, {dryRun, ...(subresource ? {subresource} : {})});
				return sendJson(res, 200, out(updated));
			}
			case 'patch': {
				const patchType = patchTypeOf(req.headers['content-type']);
				const body = await readJson(req, true);
				const patched = this.ctx.ops.patch(storageType, ns, name!, patchType, body, {dryRun, ...(subresource ? {subresource} : {})});
				return sendJson(res, 200, out(patched));
			}
			case 'delete': {
				const options = deleteOptionsFrom(await readJson(req, false), params);
				if (type.storage === 'namespaces') return this.deleteNamespace(res, name!, options.dryRun === true);
				const result = this.ctx.ops.delete(storageType, ns, name!, options);
				if (['pods', 'services'].includes(type.storage)) return sendJson(res, 200, out(result.object));
				return sendJson(res, 200, {
					kind: 'Status',
					apiVersion: 'v1',
					metadata: {},
					status: 'Success',
					details: {name, ...(type.group ? {group: type.group} : {}), kind: type.resource, uid: result.object.metadata.uid},
				});
			}
			case 'deletecollection': {
				const options = deleteOptionsFrom(await readJson(req, false), params);
				const query = parseQuery(params);
				const deleted = this.ctx.store
					.list(type.storage, ns)
					.filter((object) => matchesQuery(query, object))
					.map((object) => this.ctx.ops.delete(storageType, object.metadata.namespace, object.metadata.name, options).object);
				return sendJson(res, 200, {kind: `${type.kind}List`, apiVersion: type.group ? `${type.group}/${type.version}` : type.version, metadata: {resourceVersion: String(this.ctx.store.resourceVersion)}, items: deleted.map(out)});
			}
			default:
				throw methodNotAllowed();
		}
	}

	/** Namespace deletion: system namespaces are refused; others take their contents with them. */
	private deleteNamespace(res: http.ServerResponse, name: string, dryRun: boolean): void {
		const type = byStorage('namespaces');
		const ns = this.ctx.ops.get(type, undefined, name);
		if (protectedNamespaces.has(name)) {
			throw new ApiError(403, 'Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`, {name, kind: 'namespaces'});
		}
		if (!dryRun) {
			for (const storage of ['apps/deployments', 'apps/replicasets', 'pods', 'services', 'endpoints', 'configmaps', 'secrets', 'serviceaccounts', 'events', 'policy/poddisruptionbudgets', 'rbac.authorization.k8s.io/roles', 'rbac.authorization.k8s.io/rolebindings']) {
				for (const object of this.ctx.store.list(storage, name)) this.ctx.store.remove(storage, name, object.metadata.name);
			}
			this.ctx.store.remove('namespaces', undefined, name);
		}
		sendJson(res, 200, ns);
	}

	private async review(req: http.IncomingMessage, res: http.ServerResponse, type: ResourceType, user: string): Promise<void> {
		const body = asObject(await readJson(req, true));
		const spec = asObject(body['spec']);
		const base: Json = {kind: type.kind, apiVersion: `${type.group}/${type.version}`, metadata: {creationTimestamp: null}};
		if (type.resource === 'selfsubjectreviews') {
			return sendJson(res, 201, {...base, status: {userInfo: {username: user, groups: ['system:authenticated']}}});
		}
		if (type.resource === 'selfsubjectrulesreviews') {
			return sendJson(res, 201, {
				...base,
				spec,
				status: {
					resourceRules: [{verbs: ['*'], apiGroups: ['*'], resources: ['*']}],
					nonResourceRules: [{verbs: ['*'], nonResourceURLs: ['*']}],
					incomplete: this.ctx.faults.knobs.forbid.length > 0,
					...(this.ctx.faults.knobs.forbid.length > 0 ? {evaluationError: 'the demo cluster does not list its forbidden verbs here; ask a SelfSubjectAccessReview'} : {}),
				},
			});
		}
		const attributes = asObject(spec['resourceAttributes']);
		let allowed = true;
		if (isObject(spec['resourceAttributes'])) {
			const resource = asString(attributes['resource']) ?? '';
			const sub = asString(attributes['subresource']);
			allowed = !this.ctx.faults.isForbidden(asString(attributes['verb']) ?? '', sub ? `${resource}/${sub}` : resource, user);
		}
		return sendJson(res, 201, {...base, spec, status: {allowed, ...(allowed ? {reason: 'the podinvaders demo cluster allows everything not forbidden by a fault knob'} : {})}});
	}

	private proxy(req: http.IncomingMessage, res: http.ServerResponse, url: URL, target: Target): void {
		const namespace = target.namespace ?? 'default';
		const endpoint = target.type.storage === 'services' ? serviceTarget(this.ctx.store, this.ctx.rng, namespace, target.name!) : target.type.storage === 'pods' ? podTarget(this.ctx.store, namespace, target.name!) : undefined;
		if (!endpoint) throw notFound(target.type, target.name ?? '');
		forward(req, res, endpoint, upstreamPath(target.rest, url.search));
	}

	/** `kubectl logs`: the demo's containers log their lifecycle. */
	private log(res: http.ServerResponse, target: Target): void {
		const pod = this.ctx.ops.get(target.type, target.namespace, target.name!);
		const status = asObject(pod['status']);
		if (!asObject(asObject((status['containerStatuses'] as unknown[] | undefined)?.[0])['state'])['running'] && !pod.metadata.deletionTimestamp) {
			throw badRequest(`container "${pod.metadata.name}" in pod "${pod.metadata.name}" is waiting to start: ContainerCreating`);
		}
		const lines = [
			`podinvaders demo container for pod ${pod.metadata.namespace}/${pod.metadata.name}`,
			`started at ${asString(status['startTime']) ?? 'unknown'} on ${asString(asObject(pod['spec'])['nodeName']) ?? 'unknown'} with IP ${asString(status['podIP']) ?? 'none'}`,
		];
		res.writeHead(200, {'Content-Type': 'text/plain'});
		res.end(`${lines.join('\n')}\n`);
	}

	private async scale(req: http.IncomingMessage, res: http.ServerResponse, target: Target, verb: string, params: URLSearchParams): Promise<void> {
		const {type, namespace, name} = target;
		const object = this.ctx.ops.get(type, namespace, name!);
		const toScale = (from: KObject): Json => {
			const spec = asObject(from['spec']);
			const selector = asObject(asObject(spec['selector'])['matchLabels']);
			return {
				kind: 'Scale',
				apiVersion: 'autoscaling/v1',
				metadata: {name: from.metadata.name, namespace: from.metadata.namespace, uid: from.metadata.uid, resourceVersion: from.metadata.resourceVersion, creationTimestamp: from.metadata.creationTimestamp},
				spec: {replicas: asNumber(spec['replicas']) ?? 1},
				status: {replicas: asNumber(asObject(from['status'])['replicas']) ?? 0, selector: Object.entries(selector).map(([k, v]) => `${k}=${String(v)}`).join(',')},
			};
		};
		if (verb === 'get') return sendJson(res, 200, toScale(object));
		const body = await readJson(req, true);
		let replicas: number | undefined;
		if (verb === 'update') replicas = asNumber(asObject(asObject(body)['spec'])['replicas']);
		else {
			const patchType = patchTypeOf(req.headers['content-type']);
			const patched = patchType === 'json' ? jsonPatch(toScale(object), body) : mergePatch(toScale(object), body);
			replicas = asNumber(asObject(asObject(patched)['spec'])['replicas']);
		}
		if (replicas === undefined || replicas < 0 || !Number.isInteger(replicas)) {
			throw new ApiError(422, 'Invalid', `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${String(replicas)}: must be greater than or equal to 0`);
		}
		const updated = this.ctx.ops.patch(type, namespace, name!, 'merge', {spec: {replicas}}, {dryRun: params.getAll('dryRun').includes('All')});
		return sendJson(res, 200, toScale(updated));
	}
}
