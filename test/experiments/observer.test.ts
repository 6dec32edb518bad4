import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {Pod} from '../../src/model/pod.js';
import {ExperimentObserver} from '../../src/experiments/observer.js';
import {chooseVictims} from '../../src/experiments/kill-half.js';
import {buildReport, reportMarkdown, type ReportInput} from '../../src/experiments/report.js';
import type {KillResult} from '../../src/model/kill.js';

const owner = {kind: 'ReplicaSet', name: 'goldpinger-abc', uid: 'rs-1'};
function pod(name: string, overrides: Partial<Pod> = {}): Pod {
	return {
		uid: `uid-${name}`, name, namespace: 'default', resourceVersion: '1', phase: 'Running', status: 'Running', ready: true,
		readyContainers: 1, totalContainers: 1, restarts: 0, creationTimestamp: '2026-01-01T00:00:00Z', owner, labels: {app: 'goldpinger'},
		...overrides,
	};
}

test('chooseVictims takes ⌈F·n⌉ pods, reproducibly per seed, whatever the input order', () => {
	const pods = ['a', 'b', 'c'].map((name) => pod(name));
	const first = chooseVictims(pods, 0.5, 42).map((victim) => victim.name);
	assert.equal(first.length, 2);
	assert.deepEqual(chooseVictims([...pods].reverse(), 0.5, 42).map((victim) => victim.name), first);
	assert.equal(new Set(first).size, 2);
	assert.equal(chooseVictims(pods, 1, 1).length, 3);
	assert.equal(chooseVictims(pods, 0.01, 1).length, 1);
	const seeds = new Set(Array.from({length: 20}, (_, seed) => chooseVictims(pods, 0.34, seed)[0]!.name));
	assert.ok(seeds.size > 1, 'different seeds pick different victims');
});

test('a replacement is the next pod of the same owner, timed through its phases', () => {
	const observer = new ExperimentObserver();
	observer.snapshot([pod('a'), pod('b'), pod('c')], 0);
	assert.ok(observer.podsSteady(3));
	observer.killed(pod('a'), 100);
	observer.upsert(pod('a', {deletionTimestamp: '2026-01-01T00:00:01Z', status: 'Terminating'}), 110);
	observer.upsert(pod('x', {uid: 'uid-x', owner: {kind: 'ReplicaSet', name: 'other', uid: 'rs-2'}, phase: 'Pending', status: 'Pending', ready: false}), 120);
	observer.upsert(pod('d', {phase: 'Pending', status: 'Pending', ready: false}), 130);
	observer.upsert(pod('d', {phase: 'Pending', status: 'ContainerCreating', ready: false}), 400);
	observer.upsert(pod('d', {phase: 'Running', status: 'Running', ready: false}), 900);
	assert.equal(observer.podsSteady(3), false);
	observer.upsert(pod('d', {phase: 'Running', status: 'Running', ready: true}), 1000);
	observer.remove('uid-a', 1500);
	const victim = observer.victims.get('uid-a')!;
	assert.equal(victim.replacement?.name, 'd');
	assert.deepEqual(
		[victim.replacement?.pendingAt, victim.replacement?.containerCreatingAt, victim.replacement?.runningAt, victim.replacement?.readyAt, victim.goneAt],
		[130, 400, 900, 1000, 1500],
	);
});

function reportFor(observer: ExperimentObserver, kills: KillResult[], phase: ReportInput['phase']) {
	return buildReport({
		phase, identity: {context: 'demo', server: 'http://127.0.0.1:1', namespace: 'default', selector: 'app=goldpinger', demo: true},
		options: {fraction: 0.5, seed: 1, timeoutMs: 60_000, refreshMs: 2000, dryRun: phase === 'dry-run', evict: false},
		startedAt: new Date(0), finishedAt: new Date(5000), startedMono: 0, observer, kills, goldpingerUsed: false,
		goldpingerNote: undefined, now: 5000, initialPods: 3,
	});
}
const kill = (name: string, outcome: KillResult['outcome'], message = ''): KillResult => ({
	request: {uid: `uid-${name}`, name, actor: 'experiment'}, outcome, message, at: 100,
});

test('verdicts: held, not held (no replacement), dry run, aborted; exit codes follow', () => {
	const observer = new ExperimentObserver();
	observer.snapshot([pod('a'), pod('b'), pod('c')], 0);
	observer.killed(pod('a'), 100);
	const notHeld = reportFor(observer, [kill('a', 'deleted')], 'timeout');
	assert.equal(notHeld.verdict, 'not-held');
	assert.equal(notHeld.exitCode, 1);
	assert.ok(notHeld.reasons.some((reason) => reason.includes('a got no replacement')));

	observer.upsert(pod('d', {phase: 'Running', ready: true}), 2100);
	const held = reportFor(observer, [kill('a', 'deleted')], 'observed');
	assert.equal(held.verdict, 'held');
	assert.equal(held.exitCode, 0);
	assert.equal(held.summary.timeToReadyP50Ms, 2000);
	assert.match(reportMarkdown(held), /Hypothesis held/);

	const dry = reportFor(new ExperimentObserver(), [kill('a', 'dry-run', 'validated')], 'dry-run');
	assert.equal(dry.verdict, 'dry-run');
	assert.match(dry.reasons[0]!, /nothing was deleted/);

	const aborted = reportFor(new ExperimentObserver(), [], 'aborted');
	assert.equal(aborted.exitCode, 3);
});

test('the Markdown report escapes what came from the cluster', () => {
	const observer = new ExperimentObserver();
	const report = reportFor(observer, [kill('a', 'failed', 'pods "a" is forbidden | <b>')], 'aborted');
	const markdown = reportMarkdown(report);
	assert.ok(!markdown.includes('| <b>'));
	assert.match(markdown, /\\\| \\<b\\>/);
});

test('report percentiles are nearest-rank over the victims, not the maximum', () => {
	const observer = new ExperimentObserver();
	observer.snapshot(['a', 'b', 'c', 'd'].map((name) => pod(name)), 0);
	const kills: KillResult[] = [];
	const readyAfter = [1000, 2000, 9000];
	['a', 'b', 'c'].forEach((name, index) => {
		observer.killed(pod(name), 100);
		kills.push(kill(name, 'deleted'));
		observer.upsert(pod(`new-${name}`, {uid: `uid-new-${name}`, phase: 'Running', ready: true}), 100 + readyAfter[index]!);
	});
	const report = reportFor(observer, kills, 'observed');
	assert.equal(report.summary.timeToReadyP50Ms, 2000);
	assert.equal(report.summary.timeToReadyP95Ms, 9000);
});
