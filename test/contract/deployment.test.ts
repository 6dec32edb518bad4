// End to end on each backend: a Deployment's pod shot by PodKiller is replaced by its ReplicaSet, as PodWatcher
// sees it (gone, a new pod of the same owner, Pending → Running and Ready); and the book's kill-half experiment
// run as a user runs it, the CLI in a child process with a KUBECONFIG (no Goldpinger here: 'absent', held).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {PodKiller} from '../../src/kube/pod-killer.js';
import {PodWatcher} from '../../src/kube/pod-watcher.js';
import type {Pod} from '../../src/model/pod.js';
import type {KillHalfReport} from '../../src/experiments/report.js';
import {forEachBackend} from './backend.js';
import {runCli} from '../support/run-cli.js';


const dir = mkdtempSync(join(tmpdir(), 'podinvaders-contract-'));
test.after(() => rmSync(dir, {recursive: true, force: true}));

forEachBackend({}, (name, backend) => {
	test(`[${name}] a Deployment's shot pod is replaced, as PodWatcher sees it`, async (t) => {
		const b = backend();
		const namespace = await b.createNamespace('contract-replace');
		await b.createDeployment(namespace, 'web', 3, {app: 'web'});
		const watcher = new PodWatcher({access: b.access, namespace, labelSelector: 'app=web'});
		const seen: Pod[] = [];
		watcher.subscribe((event) => {
			if (event.type === 'added' || event.type === 'modified') seen.push(event.pod);
		});
		t.after(() => watcher.stop());
		watcher.start();
		const ready = () => watcher.list().filter((pod) => pod.ready && !pod.deletionTimestamp);
		await b.waitFor(() => ready().length === 3, 'three Ready pods in view');
		const before = new Set(watcher.list().map((pod) => pod.uid));
		const victim = ready()[0]!;

		const killer = new PodKiller({access: b.access, namespace, labelSelector: 'app=web', knownPods: watcher});
		const result = await killer.kill({uid: victim.uid, name: victim.name, actor: 'player'});
		assert.equal(result.outcome, 'deleted', result.message);
		await killer.flush();
		await b.waitFor(() => !watcher.get(victim.uid) && ready().length === 3, 'the victim gone and three Ready pods again', 30_000);

		const replacement = ready().find((pod) => !before.has(pod.uid));
		assert.ok(replacement, 'a new pod');
		assert.equal(replacement.owner?.kind, 'ReplicaSet');
		assert.equal(replacement.owner?.uid, victim.owner?.uid, 'made by the same ReplicaSet');
		assert.equal(replacement.phase, 'Running');
		assert.match(replacement.name, /^web-[a-z0-9]+-[a-z0-9]{5}$/);
		const states = seen.filter((pod) => pod.uid === replacement.uid);
		assert.equal(states[0]?.phase, 'Pending', 'first seen Pending');
		assert.ok(states.at(-1)?.ready);
		// The killer's Event is on the server (kubectl describe shows it).
		assert.equal(killer.stats.eventsRecorded, 1);
	});

	test(`[${name}] kill-half through the CLI: 2 of 3 killed and replaced, Goldpinger absent, held`, async () => {
		const b = backend();
		const namespace = await b.createNamespace('contract-kill-half');
		await b.createDeployment(namespace, 'half', 3, {app: 'half'});
		await b.waitFor(async () => (await b.listPods(namespace, 'app=half')).filter((pod) => pod.ready).length === 3, 'three Ready pods');
		const before = new Set((await b.listPods(namespace, 'app=half')).map((pod) => pod.uid));
		const report = join(dir, `${name}-r.json`);

		const run = await runCli(b.kubeconfigPath, ['experiment', 'kill-half', '-n', namespace, '-l', 'app=half', '--report', report, '--timeout', '60']);
		assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
		const json = JSON.parse(readFileSync(report, 'utf8')) as KillHalfReport;
		assert.equal(json.verdict, 'held', json.reasons.join('; '));
		assert.equal(json.steadyStateBefore.goldpinger, 'absent');
		assert.equal(json.cluster.namespace, namespace);
		assert.equal(json.cluster.demo, false, 'reached through a kubeconfig, like any cluster');
		assert.equal(json.victims.length, 2);
		// A victim may still be Terminating when its replacement is Ready (the demo's kubelet keeps it for its
		// grace period, see DIFFERENCES.md); it must go.
		const victims = new Set(json.victims.map((victim) => victim.uid));
		await b.waitFor(async () => !(await b.listPods(namespace, 'app=half')).some((pod) => victims.has(pod.uid)), 'the victims gone from the server');
		for (const victim of json.victims) {
			assert.equal(victim.outcome, 'deleted', victim.message);
			assert.ok(before.has(victim.uid), 'a pod from before');
			assert.ok(victim.replacement && victim.replacement.runningMs !== null && victim.replacement.readyMs !== null, `${victim.name} replaced`);
			assert.ok(victim.replacement.readyMs >= victim.replacement.runningMs);
		}
		assert.deepEqual([json.summary.killed, json.summary.replaced], [2, 2]);
		assert.ok(json.recovery.steadyStateRestored);
		assert.match(run.stdout, /Hypothesis held/);
		assert.match(run.stderr, /killing 2 of 3/);
	});
});
