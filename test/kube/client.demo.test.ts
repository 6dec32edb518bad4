// The kubeconfig path end to end: the demo cluster's own kubeconfig → resolveClusterAccess (client-node
// parses it) → our HTTP: version, namespace check, a live watch and a dry-run kill.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {namespaceStatus, resolveClusterAccess, serverVersion} from '../../src/kube/client.js';
import {UsageError} from '../../src/kube/errors.js';
import {PodKiller} from '../../src/kube/pod-killer.js';
import {PodWatcher} from '../../src/kube/pod-watcher.js';
import {startDemoCluster} from '../../src/demo/server.js';
import {quickTiming} from './demo-helpers.js';
import {waitFor} from './stub-api.js';

test('a kubeconfig for the demo cluster resolves and drives the watcher and killer', async (t) => {
	const cluster = await startDemoCluster({scenario: 'empty', timing: quickTiming});
	t.after(() => cluster.close());
	cluster.createDeployment('default', 'web', 2, {app: 'web'});
	const directory = mkdtempSync(join(tmpdir(), 'podinvaders-demo-kubeconfig-'));
	t.after(() => rmSync(directory, {recursive: true, force: true}));
	const file = join(directory, 'kubeconfig.yaml');
	writeFileSync(file, cluster.kubeconfigYaml('arcade'));

	const isolated = {env: {}, homeDir: directory, serviceAccountDir: join(directory, 'none')};
	await assert.rejects(resolveClusterAccess({...isolated, kubeconfig: file, context: 'demo'}), (error: unknown) => error instanceof UsageError && /available: arcade/.test(error.message));
	const access = await resolveClusterAccess({...isolated, kubeconfig: file});
	assert.equal(access.context, 'arcade');
	assert.equal(access.server, cluster.url);
	assert.match(await serverVersion(access), /^v1\./);
	assert.equal(await namespaceStatus(access, 'default'), 'found');
	assert.equal(await namespaceStatus(access, 'no-such-namespace'), 'missing');

	const watcher = new PodWatcher({access, namespace: access.namespace, labelSelector: 'app=web'});
	t.after(() => watcher.stop());
	watcher.start();
	await waitFor(() => watcher.state.kind === 'live' && watcher.list().length === 2, 'two pods in view');
	const killer = new PodKiller({access, namespace: 'default', labelSelector: 'app=web', knownPods: watcher, dryRun: true});
	const [pod] = watcher.list();
	const result = await killer.kill({uid: pod!.uid, name: pod!.name, actor: 'player'});
	assert.equal(result.outcome, 'dry-run');
	assert.equal(cluster.listPods('default', 'app=web').length, 2);
});
