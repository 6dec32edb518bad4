// 5000 pods (--pods 5000): the full list, consistent limit/continue pages while pods change, and kubectl
// paging through them.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {kubectl, kubectlEnv, request, testCluster} from './helpers.js';

type Page = {metadata: {resourceVersion: string; continue?: string; remainingItemCount?: number}; items: Array<{metadata: {name: string; uid: string}}>};

test('5000 pods list in full and in consistent pages; kubectl pages through them', async (t) => {
	const cluster = await testCluster(t, {scenario: 'empty', extraPods: 5000});
	const base = `${cluster.url}/api/v1/namespaces/default/pods`;
	const full = (await request(base)).json<Page>();
	assert.equal(full.items.length, 5000);

	const seen: string[] = [];
	const versions = new Set<string>();
	let token: string | undefined;
	let pages = 0;
	let remaining: number | undefined;
	do {
		const page = (await request(`${base}?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`)).json<Page>();
		pages++;
		seen.push(...page.items.map((pod) => pod.metadata.uid));
		versions.add(page.metadata.resourceVersion);
		if (remaining !== undefined && page.metadata.remainingItemCount !== undefined) assert.equal(page.metadata.remainingItemCount, remaining - 500);
		remaining = page.metadata.remainingItemCount;
		token = page.metadata.continue;
		// The cluster keeps changing between pages; the pages still come from one snapshot.
		if (pages === 2) cluster.deletePod('default', full.items[4999]!.metadata.name, 0);
	} while (token && pages < 20);
	assert.equal(pages, 10);
	assert.equal(versions.size, 1, 'every page at the first page’s resourceVersion');
	assert.deepEqual(seen, full.items.map((pod) => pod.metadata.uid), 'all 5000, no duplicates, in order');

	const stale = await request(`${base}?limit=500&continue=${encodeURIComponent(Buffer.from('{"id":"gone","offset":500}').toString('base64'))}`);
	assert.equal(stale.status, 410);
	assert.equal(stale.json()['reason'], 'Expired');

	const env = kubectlEnv(t, cluster);
	const listed = await kubectl(env, 'get', 'pods', '--no-headers', '--chunk-size=1000');
	assert.equal(listed.code, 0, listed.stderr);
	assert.equal(listed.stdout.trim().split('\n').length, 5000, 'the deleted pod was replaced');
});
