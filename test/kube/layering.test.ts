// Keeps the start-up promise: @kubernetes/client-node (≈0.7 s, ≈80 MB) is loaded only by client.ts and only
// when a kubeconfig is used; the demo path (access, http, watcher, killer) never pulls it in.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';

const kubeDir = join(import.meta.dirname, '..', '..', 'src', 'kube');

test('only client.ts touches @kubernetes/client-node, and only with type imports plus one dynamic import', () => {
	for (const file of readdirSync(kubeDir).filter((name) => name.endsWith('.ts'))) {
		const source = readFileSync(join(kubeDir, file), 'utf8');
		const staticImports = [...source.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)'/gm)];
		for (const [, typeOnly, specifier] of staticImports) {
			if (specifier === '@kubernetes/client-node') {
				assert.equal(file, 'client.ts', `${file} imports client-node`);
				assert.ok(typeOnly, `client.ts must import client-node types only (got a value import)`);
			}
			if (file !== 'client.ts') assert.notEqual(specifier, './client.js', `${file} must not import client.ts`);
			assert.ok(!/\/ui\//.test(specifier ?? ''), `${file}: kube never imports ui`);
		}
	}
	const client = readFileSync(join(kubeDir, 'client.ts'), 'utf8');
	assert.match(client, /await import\('@kubernetes\/client-node'\)/);
});
