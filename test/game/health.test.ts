import {test} from 'node:test';
import assert from 'node:assert/strict';
import {healthByUid, isResultStale, reachabilityByUid} from '../../src/game/health.js';
import {normaliseCheckAll} from '../../src/kube/goldpinger.js';
import type {GoldpingerResult} from '../../src/model/goldpinger.js';
import {checkAllV30, checkAllWithTimeout} from '../kube/goldpinger-fixtures.js';
import {pod} from './goldpinger-pods.js';

function result(raw: unknown, receivedAt = 0): GoldpingerResult {
	const parsed = normaliseCheckAll(raw, receivedAt);
	if ('error' in parsed) throw new Error(parsed.error);
	return parsed;
}

const pods = [pod('goldpinger-4hctt', '10.32.0.9'), pod('goldpinger-tbdsb', '10.32.1.2'), pod('goldpinger-jj9mw', '10.32.2.2')];

test('a pod that at least one peer cannot reach is unhealthy; the others are healthy', () => {
	const health = healthByUid(pods, result(checkAllWithTimeout), 1000, 2000);
	assert.deepEqual(Object.fromEntries(health), {
		'uid-goldpinger-4hctt': 'healthy',
		'uid-goldpinger-tbdsb': 'healthy',
		'uid-goldpinger-jj9mw': 'unhealthy',
	});
	const dead = reachabilityByUid(pods, result(checkAllWithTimeout), 1000, 2000).get('uid-goldpinger-jj9mw')!;
	assert.deepEqual(dead.unreachableFrom, ['check_all', 'goldpinger-4hctt', 'goldpinger-tbdsb']);
	assert.equal(dead.reachedBy, 0);
});

test('one failing peer is enough, even if others reach it', () => {
	const raw = structuredClone(checkAllV30) as typeof checkAllV30;
	raw.responses['goldpinger-a'].response.podResults['goldpinger-b'] = {
		OK: false,
		PodIP: '10.1.0.2',
		'response-time-ms': 300,
		'status-code': 504,
	} as never;
	const health = healthByUid([pod('goldpinger-a', '10.1.0.1'), pod('goldpinger-b', '10.1.0.2')], result(raw), 0, 2000);
	assert.equal(health.get('uid-goldpinger-b'), 'unhealthy');
	assert.equal(health.get('uid-goldpinger-a'), 'healthy');
});

test('slow but reached is healthy (Experiment 2: 250 ms is under the 300 ms timeout)', () => {
	const health = healthByUid([pod('goldpinger-a'), pod('goldpinger-b')], result(checkAllV30), 0, 2000);
	assert.equal(health.get('uid-goldpinger-b'), 'healthy');
});

test('no data, stale data, and pods Goldpinger does not know are unknown', () => {
	const fresh = result(checkAllWithTimeout, 1000);
	const newcomer = pod('goldpinger-new12', '10.32.9.9');
	assert.equal(healthByUid([newcomer], fresh, 1000, 2000).get(newcomer.uid), 'unknown');
	assert.equal(healthByUid(pods, undefined, 0, 2000).get('uid-goldpinger-4hctt'), 'unknown');
	// exactly 3 refreshes old still counts; older does not
	assert.equal(healthByUid(pods, fresh, 1000 + 6000, 2000).get('uid-goldpinger-jj9mw'), 'unhealthy');
	assert.equal(healthByUid(pods, fresh, 1000 + 6001, 2000).get('uid-goldpinger-jj9mw'), 'unknown');
	assert.equal(isResultStale(fresh, 7001, 2000), true);
	assert.equal(isResultStale(undefined, 0, 2000), true);
});

test('matches by pod IP when Goldpinger keys by something else (DISPLAY_NODENAME)', () => {
	const raw = {
		responses: {
			'node-1': {OK: true, PodIP: '10.0.0.1', response: {podResults: {'node-2': {OK: false, PodIP: '10.0.0.2', error: 'dial tcp: connection refused', 'status-code': 504}}}},
			'node-2': {OK: true, PodIP: '10.0.0.2', response: {podResults: {'node-1': {OK: true, PodIP: '10.0.0.1', 'response-time-ms': 2}}}},
		},
	};
	const health = healthByUid([pod('gp-x', '10.0.0.1'), pod('gp-y', '10.0.0.2')], result(raw), 0, 2000);
	assert.equal(health.get('uid-gp-x'), 'healthy');
	assert.equal(health.get('uid-gp-y'), 'unhealthy');
	// an IP shared by two pods names neither (no guessing)
	const shared = healthByUid([pod('gp-x', '10.0.0.2'), pod('gp-y', '10.0.0.2')], result(raw), 0, 2000);
	assert.equal(shared.get('uid-gp-x'), 'unknown');
});

test('keyed by name: IPs are not used (a replacement reusing a dead pod\'s IP is not blamed)', () => {
	const raw = {
		responses: {
			'gp-a': {OK: true, PodIP: '10.0.0.1', response: {podResults: {'gp-dead': {OK: false, PodIP: '10.0.0.3', error: 'refused'}, 'gp-new': {OK: true, PodIP: '10.0.0.3', 'response-time-ms': 1}}}},
		},
	};
	const health = healthByUid([pod('gp-a', '10.0.0.1'), pod('gp-new', '10.0.0.3')], result(raw), 0, 2000);
	assert.equal(health.get('uid-gp-new'), 'healthy');
	const withDead = healthByUid([pod('gp-a', '10.0.0.1'), pod('gp-new', '10.0.0.3'), pod('gp-dead', '10.0.0.3')], result(raw), 0, 2000);
	assert.equal(withDead.get('uid-gp-new'), 'healthy');
	assert.equal(withDead.get('uid-gp-dead'), 'unhealthy');
});

test('self-pings say nothing; the check_all instance reaching a pod counts as a peer', () => {
	const raw = {responses: {'gp-solo': {OK: true, response: {podResults: {'gp-solo': {OK: false, error: 'x'}}}}}};
	const health = reachabilityByUid([pod('gp-solo')], result(raw), 0, 2000).get('uid-gp-solo')!;
	assert.equal(health.health, 'healthy');
	assert.deepEqual(health.unreachableFrom, []);
	assert.equal(health.reachedBy, 1);
});
