// API errors as the real apiserver words them: a metav1.Status with reason, code and message.
import {qualifiedResource, type ResourceType} from './resources.js';
import type {Json} from './util.js';

export class ApiError extends Error {
	constructor(
		readonly code: number,
		readonly reason: string,
		message: string,
		readonly details?: Json,
	) {
		super(message);
	}
	toStatus(): Json {
		return {
			kind: 'Status',
			apiVersion: 'v1',
			metadata: {},
			status: 'Failure',
			message: this.message,
			reason: this.reason,
			...(this.details ? {details: this.details} : {}),
			code: this.code,
		};
	}
}

type Res = Pick<ResourceType, 'group' | 'resource'>;
const detailsOf = (type: Res, name?: string): Json => ({
	...(name !== undefined ? {name} : {}),
	...(type.group ? {group: type.group} : {}),
	kind: type.resource,
});

export const notFound = (type: Res, name: string): ApiError =>
	new ApiError(404, 'NotFound', `${qualifiedResource(type)} "${name}" not found`, detailsOf(type, name));

export const alreadyExists = (type: Res, name: string): ApiError =>
	new ApiError(409, 'AlreadyExists', `${qualifiedResource(type)} "${name}" already exists`, detailsOf(type, name));

export const conflict = (type: Res, name: string, why: string): ApiError =>
	new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(type)} "${name}": ${why}`, detailsOf(type, name));

export const staleObject = (type: Res, name: string): ApiError =>
	conflict(type, name, 'the object has been modified; please apply your changes to the latest version and try again');

/** `pods "x" is forbidden: User "demo" cannot delete resource "pods" in API group "" in the namespace "default"` */
export function forbidden(
	user: string,
	verb: string,
	type: Res,
	subresource: string | undefined,
	namespace: string | undefined,
	name: string | undefined,
): ApiError {
	const subject = name ? `${qualifiedResource(type)} "${name}"` : qualifiedResource(type);
	const resource = subresource ? `${type.resource}/${subresource}` : type.resource;
	const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
	return new ApiError(
		403,
		'Forbidden',
		`${subject} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${type.group}" ${scope}`,
		detailsOf(type, name),
	);
}

export const expired = (message: string): ApiError => new ApiError(410, 'Expired', message);

export const badRequest = (message: string): ApiError => new ApiError(400, 'BadRequest', message);

export const invalid = (kind: string, group: string, name: string, causes: Array<{field: string; message: string}>): ApiError =>
	new ApiError(
		422,
		'Invalid',
		`${kind}${group ? `.${group}` : ''} "${name}" is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}`,
		{name, ...(group ? {group} : {}), kind, causes: causes.map((c) => ({reason: 'FieldValueInvalid', message: c.message, field: c.field}))},
	);

export const methodNotAllowed = (): ApiError =>
	new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');

export const pathNotFound = (): ApiError => new ApiError(404, 'NotFound', 'the server could not find the requested resource');

export const unsupportedMediaType = (type: string): ApiError =>
	new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/merge-patch+json, application/strategic-merge-patch+json, application/json-patch+json, application/apply-patch+yaml; got ${type}`);

export const internalError = (message: string): ApiError =>
	new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, {causes: [{message}]});

export const serviceUnavailable = (message: string): ApiError => new ApiError(503, 'ServiceUnavailable', message);
