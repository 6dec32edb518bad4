// Keys n and / on the real stack: the CLI's scope switcher (namespace GET, createEngine: PodWatcher + PodKiller
// + Goldpinger poller) against the embedded demo cluster over HTTP: after the switch the screen shows the pods
// of the other namespace, a shot there deletes that pod, and a namespace that does not exist leaves all as it was.
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import React from 'react';
import {render} from 'ink-testing-library';
import type {GoldpingerOptions, SafetyOptions} from '../../src/config.js';
import {createEngine, createScopeSwitcher, type Connection} from '../../src/connect.js';
import {KillBudget} from '../../src/kube/kill-budget.js';
import {startDemoCluster} from '../../src/demo/server.js';
import {accessForUrl} from '../../src/kube/access.js';
import {validateLabelSelector, validateNamespace} from '../../src/kube/errors.js';
import {podFromObject} from '../../src/model/pod.js';
import {App} from '../../src/ui/app.js';
import {themes} from '../../src/ui/theme.js';
import {keys, plain, tick, waitFor} from './fixtures/doubles.js';

const timing = {pendingMs: [100, 150] as [number, number], containerCreatingMs: [100, 150] as [number, number], readyMs: [50, 100] as [number, number], defaultGracePeriodSeconds: 1};
const safety: SafetyOptions = {dryRun: false, evict: false, maxKillsPerMinute: 100, minAgeSeconds: 0, allowProtected: false, yes: false};
const goldpinger: GoldpingerOptions = {service: 'goldpinger:8080', refreshSeconds: 2};

test('real switcher + demo cluster: n other ⏎ shows the pods of namespace other; a shot there deletes exactly that pod', async (t) => {
	const cluster = await startDemoCluster({scenario: 'empty', timing, seed: 5});
	t.after(() => cluster.close());
	const access = accessForUrl(cluster.url, {context: 'demo-test', namespace: 'default', demo: true});
	const created = await fetch(`${cluster.url}/api/v1/namespaces`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'other'}})});
	assert.ok(created.ok || created.status === 409, `namespace other: ${created.status}`);
	cluster.createDeployment('default', 'web', 2, {app: 'web'});
	cluster.createDeployment('other', 'shop', 3, {app: 'shop'});
	const serverPods = (namespace: string) => cluster.listPods(namespace).map(podFromObject);
	await waitFor(() => serverPods('other').filter((pod) => pod.ready).length === 3 && serverPods('default').filter((pod) => pod.ready).length === 2, 'Ready pods in both namespaces');

	const connection: Connection = {access, identity: {context: 'demo-test', server: cluster.url, namespace: 'default', selector: '', demo: true}, close: async () => {}};
	const budget = new KillBudget(safety.maxKillsPerMinute);
	const first = await createEngine(connection, safety, goldpinger, budget);
	const switcher = createScopeSwitcher(connection, safety, goldpinger, first, budget);
	t.after(() => switcher.stop());
	const view = render(
		<App
			{...switcher.initial}
			size={{columns: 120, rows: 34}}
			theme={themes.mono}
			seed={3}
			switchScope={(scope) => switcher.switchScope(scope)}
			validateScope={{namespace: validateNamespace, selector: validateLabelSelector}}
		/>,
	);
	t.after(() => view.unmount());
	const frame = () => plain(view.lastFrame());
	const statusBar = () => frame().split('\n')[0]!;
	const panel = () => frame().split('\n').map((line) => line.split('│ ').at(-1)!.trim()).join(' ').replace(/\s+/g, ' ');
	await waitFor(() => frame().includes('2 pods') && frame().includes('● live'), 'default, live');
	const write = async (text: string) => {
		for (const char of text) {
			view.stdin.write(char);
			await tick();
		}
	};

	// A namespace that does not exist: the old scope stays, the log says so.
	view.stdin.write('n');
	await waitFor(() => frame().includes('namespace: default█'), 'the prompt');
	await write('\u0015');
	await write('nope');
	view.stdin.write(keys.enter);
	await waitFor(() => /Could not switch to nope: namespace "nope" not found/.test(panel()), 'not found in the log');
	assert.match(statusBar(), /ns default/);
	assert.match(frame(), /2 pods/);

	view.stdin.write('n');
	await waitFor(() => frame().includes('namespace: default█'), 'the prompt again');
	await write('\u0015');
	await write('other');
	view.stdin.write(keys.enter);
	await waitFor(() => /ns other/.test(statusBar()) && frame().includes('3 pods') && /● live/.test(statusBar()), 'namespace other, live, its three pods');
	assert.doesNotMatch(frame(), /web-/);

	view.stdin.write(keys.tab);
	await waitFor(() => /▸ (shop-\S+)/.test(frame()), 'a target in other');
	const target = /▸ (shop-\S+)/.exec(frame())![1]!;
	const victim = serverPods('other').find((pod) => pod.name === target);
	assert.ok(victim, `${target} is a pod of namespace other`);
	view.stdin.write(keys.enter);
	await waitFor(() => !serverPods('other').some((pod) => pod.uid === victim.uid && !pod.deletionTimestamp), 'the victim deleted on the server');
	assert.equal(serverPods('other').filter((pod) => pod.deletionTimestamp).length, 1);
	assert.equal(serverPods('default').filter((pod) => pod.deletionTimestamp).length, 0, 'default untouched');

	// And / narrows it: a selector that matches nothing in other gives an empty sky.
	view.stdin.write('/');
	await waitFor(() => frame().includes('selector: █'), 'the selector prompt');
	await write('app=none');
	view.stdin.write(keys.enter);
	await waitFor(() => /ns other · app=none/.test(statusBar()) && /empty sky/i.test(panel()), 'the empty selection');
});

test('one kill budget for the session: the next scope\'s PodKiller spends from the same minute, and its refusal is audited', async (t) => {
	const cluster = await startDemoCluster({scenario: 'empty', timing, seed: 6});
	t.after(() => cluster.close());
	const access = accessForUrl(cluster.url, {context: 'demo-test', namespace: 'default', demo: true});
	await fetch(`${cluster.url}/api/v1/namespaces`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'other'}})});
	cluster.createDeployment('default', 'web', 2, {app: 'web'});
	cluster.createDeployment('other', 'shop', 2, {app: 'shop'});
	const serverPods = (namespace: string) => cluster.listPods(namespace).map(podFromObject);
	await waitFor(() => serverPods('other').filter((pod) => pod.ready).length === 2 && serverPods('default').filter((pod) => pod.ready).length === 2, 'Ready pods in both namespaces');
	const dir = mkdtempSync(join(tmpdir(), 'podinvaders-budget-'));
	t.after(() => rmSync(dir, {recursive: true, force: true}));
	const auditLog = join(dir, 'audit.jsonl');
	const limited: SafetyOptions = {...safety, dryRun: true, maxKillsPerMinute: 2, auditLog};
	const budget = new KillBudget(2);
	const engines: Awaited<ReturnType<typeof createEngine>>[] = [];
	t.after(async () => {
		for (const engine of engines) await engine.stop();
	});
	const shoot = async (namespace: string) => {
		const connection: Connection = {access, identity: {context: 'demo-test', server: cluster.url, namespace, selector: '', demo: true}, close: async () => {}};
		const engine = await createEngine(connection, limited, goldpinger, budget);
		engines.push(engine);
		engine.watcher.start();
		await waitFor(() => engine.watcher.list().length === 2, `the watcher of ${namespace} sees its pods`);
		const outcomes: string[] = [];
		for (const pod of engine.watcher.list()) outcomes.push((await engine.killer.kill({uid: pod.uid, name: pod.name, actor: 'player'})).outcome);
		return outcomes;
	};
	assert.deepEqual(await shoot('default'), ['dry-run', 'dry-run']);
	assert.deepEqual(await shoot('other'), ['refused', 'refused'], 'a new namespace does not start a fresh minute');
	await engines[1]!.killer.flush();
	const lines = readFileSync(auditLog, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as {namespace: string; outcome: string; message: string});
	assert.deepEqual(lines.map((line) => `${line.namespace}:${line.outcome}`), ['default:dry-run', 'default:dry-run', 'other:refused', 'other:refused']);
	assert.match(lines[3]!.message, /rate limit/);
});
