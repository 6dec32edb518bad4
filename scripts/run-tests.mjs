#!/usr/bin/env node
// Runs every test/**/*.test.ts(x) with node's own test runner (Node 20 has no --test globs).
// Usage: node scripts/run-tests.mjs [path-filter ...]   e.g. `node scripts/run-tests.mjs test/game`
import {readdirSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {spawnSync} from 'node:child_process';

function walk(dir) {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return name === 'fixtures' ? [] : walk(path);
		return /\.test\.tsx?$/.test(name) ? [path] : [];
	});
}

const filters = process.argv.slice(2);
const files = walk('test')
	.filter((file) => filters.length === 0 || filters.some((filter) => file.startsWith(filter)))
	.sort();
if (files.length === 0) {
	console.error('run-tests: no test files matched');
	process.exit(1);
}
const result = spawnSync(
	process.execPath,
	['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=120000', ...files],
	{stdio: 'inherit', env: {...process.env, FORCE_COLOR: '0'}},
);
process.exit(result.status ?? 1);
