import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ApiError, ClusterError, describeError, NetworkError, parseStatus, statusOf, UsageError} from '../../src/kube/errors.js';

const forbiddenBody = JSON.stringify({
	kind: 'Status',
	apiVersion: 'v1',
	status: 'Failure',
	message: 'pods "web-1" is forbidden: User "system:serviceaccount:default:viewer" cannot delete resource "pods" in API group "" in the namespace "default"',
	reason: 'Forbidden',
	details: {name: 'web-1', kind: 'pods'},
	code: 403,
});

test('403 names the verb, the resource, the user and the RBAC manifest', () => {
	const error = new ApiError(403, forbiddenBody, {server: 'https://k:6443', verb: 'delete', resource: 'pods', namespace: 'default'});
	assert.equal(
		error.message,
		'403 forbidden: user "system:serviceaccount:default:viewer" may not delete pods in namespace "default"; grant it with the Role in manifests/podinvaders-rbac.yml',
	);
	assert.equal(statusOf(error), 403);
});

test('401, 404 namespace, 404 pod, 410, 5xx are one line each', () => {
	assert.match(new ApiError(401, '', {server: 'https://k.example:6443'}).message, /^credentials rejected by k\.example:6443 \(401/);
	const nsMissing = JSON.stringify({kind: 'Status', code: 404, reason: 'NotFound', message: 'namespaces "nope" not found', details: {name: 'nope', kind: 'namespaces'}});
	assert.equal(new ApiError(404, nsMissing, {namespace: 'nope', verb: 'create', resource: 'events'}).message, 'namespace "nope" not found');
	const podMissing = JSON.stringify({kind: 'Status', code: 404, message: 'pods "x" not found', details: {name: 'x', kind: 'pods'}});
	assert.equal(new ApiError(404, podMissing, {namespace: 'default', name: 'x'}).message, 'pod "x" not found in namespace "default"');
	assert.match(new ApiError(410, JSON.stringify({kind: 'Status', message: 'too old resource version: 1 (5)'})).message, /^resource version too old \(410 Gone\): too old/);
	assert.equal(new ApiError(503, 'upstream down', {server: 'http://h:1'}).message, 'server error 503 from h:1: upstream down');
	for (const status of [400, 401, 403, 404, 409, 410, 422, 429, 500]) {
		assert.ok(!new ApiError(status, 'a\nb\u001b[2J', {}).message.includes('\n'));
	}
});

test('network failures name host and cause', () => {
	assert.equal(new NetworkError('ECONNREFUSED', 'https://10.0.0.1:6443', 'connect ECONNREFUSED').message, 'cannot reach 10.0.0.1:6443: connection refused (is the cluster running?)');
	assert.match(new NetworkError('ENOTFOUND', 'https://nowhere.invalid', '').message, /^cannot reach nowhere\.invalid: host name not found/);
	assert.match(new NetworkError('ETIMEDOUT', 'https://h:1', 'no connection within 5 s').message, /^cannot reach h:1: no connection within 5 s$/);
	assert.match(new NetworkError('DEPTH_ZERO_SELF_SIGNED_CERT', 'https://h:1', 'self-signed certificate').message, /certificate not trusted: self-signed certificate/);
	assert.match(new NetworkError('EPROTO', 'https://h:1', 'wrong version number').message, /TLS handshake failed/);
});

test('foreign error shapes: client-node ApiException, FetchError, Watch errors, system errors', () => {
	const apiException = Object.assign(new Error('HTTP-Code: 403\nMessage: Unknown API Status Code!\nBody: ...'), {code: 403, body: forbiddenBody, headers: {}});
	assert.match(describeError(apiException, {verb: 'list', resource: 'pods', namespace: 'default'}), /^403 forbidden: user "system:serviceaccount:default:viewer" may not list pods/);
	const fetchError = Object.assign(new Error('request to https://10.1.2.3:6443/api/v1/pods failed, reason: connect ECONNREFUSED 10.1.2.3:6443'), {name: 'FetchError', code: 'ECONNREFUSED'});
	assert.equal(describeError(fetchError), 'cannot reach 10.1.2.3:6443: connection refused (is the cluster running?)');
	const watchError = Object.assign(new Error('Forbidden'), {statusCode: 403});
	assert.match(describeError(watchError, {verb: 'watch', resource: 'pods'}), /may not watch pods/);
	const system = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {code: 'ECONNREFUSED', address: '127.0.0.1', port: 9});
	assert.equal(describeError(system), 'cannot reach 127.0.0.1:9: connection refused (is the cluster running?)');
	assert.equal(describeError(new UsageError('bad flag')), 'bad flag');
	assert.equal(describeError(new ClusterError('no cluster configured; try `podinvaders --demo`')), 'no cluster configured; try `podinvaders --demo`');
	assert.equal(describeError('plain\nstring'), 'plain string');
	assert.equal(new UsageError('x').exitCode, 2);
	assert.equal(new ClusterError('x').exitCode, 1);
});

test('parseStatus reads Status JSON from text, Buffer or object, and rejects other things', () => {
	assert.equal(parseStatus(Buffer.from(forbiddenBody))?.reason, 'Forbidden');
	assert.equal(parseStatus({kind: 'Status', code: 410})?.code, 410);
	assert.equal(parseStatus('404 page not found'), undefined);
	assert.equal(parseStatus('[1]'), undefined);
});
