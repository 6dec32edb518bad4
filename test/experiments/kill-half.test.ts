// The book's Experiment 1, run as a user runs it: the real CLI in a child process, pointed by a kubeconfig at
// a demo cluster (with its built-in Goldpinger) that this test hosts, so the test can also check the server.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {startDemoCluster, type DemoCluster} from '../../src/demo/server.js';
import {goldpingerRuntime} from '../../src/demo/goldpinger-sim.js';
import {podFromObject} from '../../src/model/pod.js';
import type {KillHalfReport} from '../../src/experiments/report.js';
import {runCli} from '../support/run-cli.js';

let cluster: DemoCluster;
let dir: string;
let kubeconfig: string;

before(async () => {
	cluster = await startDemoCluster({
		seed: 3,
		timing: {pendingMs: [50, 150], containerCreatingMs: [100, 300], readyMs: [50, 100], defaultGracePeriodSeconds: 1},
		runtimes: goldpingerRuntime(),
	});
	dir = mkdtempSync(join(tmpdir(), 'podinvaders-kill-half-'));
	kubeconfig = join(dir, 'kubeconfig.yaml');
	writeFileSync(kubeconfig, cluster.kubeconfigYaml());
});
after(async () => {
	await cluster.close();
	rmSync(dir, {recursive: true, force: true});
});

const podinvaders = (...args: string[]) => runCli(kubeconfig, args);

const goldpingerPods = () => cluster.listPods('default', 'app=goldpinger').map(podFromObject);
const uids = () => new Set(goldpingerPods().map((pod) => pod.uid));

async function waitForSteadyGoldpinger(): Promise<void> {
	for (let tries = 0; tries < 200; tries++) {
		const pods = goldpingerPods();
		if (pods.length === 3 && pods.every((pod) => pod.ready && !pod.deletionTimestamp)) return;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error('goldpinger pods did not settle');
}

test('kill-half on the demo cluster kills ⌈1.5⌉ = 2 of 3, sees them unreachable and replaced, exits 0', async () => {
	await waitForSteadyGoldpinger();
	const before = uids();
	const report = join(dir, 'r.json');
	const run = await podinvaders('experiment', 'kill-half', '-n', 'default', '-l', 'app=goldpinger', '--report', report, '--seed', '5', '--refresh', '0.5', '--timeout', '60');
	assert.equal(run.code, 0, run.stderr);
	const json = JSON.parse(readFileSync(report, 'utf8')) as KillHalfReport;
	assert.equal(json.schema, 'podinvaders/kill-half/v1');
	assert.equal(json.verdict, 'held');
	assert.equal(json.victims.length, 2);
	assert.equal(json.steadyStateBefore.goldpinger, 'used');
	for (const victim of json.victims) {
		assert.equal(victim.outcome, 'deleted');
		assert.ok(before.has(victim.uid), 'victims were pods from before');
		assert.ok(!uids().has(victim.uid), `${victim.name} is gone from the server`);
		assert.ok(victim.unreachable && victim.unreachable.peers.length > 0, `${victim.name} was marked unreachable by peers`);
		assert.ok(victim.replacement && victim.replacement.readyMs !== null && victim.replacement.runningMs !== null);
		assert.ok(victim.replacement.readyMs >= victim.replacement.runningMs!);
	}
	assert.equal(json.summary.killed, 2);
	assert.equal(json.summary.replaced, 2);
	assert.ok(json.summary.timeToRunningP95Ms !== null && json.summary.timeToRunningP95Ms > 0);
	assert.match(run.stdout, /Hypothesis held/);
	assert.match(run.stderr, /killing 2 of 3/);
	await waitForSteadyGoldpinger();
});

test('--dry-run deletes nothing and the report says so', async () => {
	await waitForSteadyGoldpinger();
	const before = uids();
	const report = join(dir, 'dry.md');
	const run = await podinvaders('experiment', 'kill-half', '-l', 'app=goldpinger', '--dry-run', '--report', report, '--refresh', '0.5');
	assert.equal(run.code, 0, run.stderr);
	assert.deepEqual(uids(), before);
	const markdown = readFileSync(report, 'utf8');
	assert.match(markdown, /Dry run/);
	assert.match(markdown, /nothing was deleted/);
});

test('deletes forbidden (403): exits non-zero naming the missing permission, nothing deleted', async () => {
	await waitForSteadyGoldpinger();
	const before = uids();
	cluster.faults.set({forbid: [{verb: 'delete', resource: 'pods'}]});
	try {
		const run = await podinvaders('experiment', 'kill-half', '-l', 'app=goldpinger', '--refresh', '0.5');
		assert.notEqual(run.code, 0);
		assert.match(`${run.stderr}${run.stdout}`, /delete.*pods/);
		assert.deepEqual(uids(), before);
	} finally {
		cluster.faults.set({forbid: []});
	}
});

test('nothing matches: refuses to start, exit 3, one clear line', async () => {
	const run = await podinvaders('experiment', 'kill-half', '-l', 'app=nothing-here', '--timeout', '5');
	assert.equal(run.code, 3);
	assert.match(run.stdout, /no pods match -l app=nothing-here in namespace default/);
	assert.ok(!run.stderr.includes('    at '), 'no stack trace');
});
