import {test} from 'node:test';
import assert from 'node:assert/strict';
import {parseCommand, type Command} from '../src/config.js';
import {UsageError} from '../src/kube/errors.js';

const parse = (...argv: string[]): Command => parseCommand(argv, import.meta);
const usageError = (argv: string[], pattern: RegExp): void => {
	assert.throws(
		() => parseCommand(argv, import.meta),
		(error: unknown) => error instanceof UsageError && pattern.test(error.message) && !error.message.includes('\n'),
	);
};

test('no arguments: the game on the current context with sane defaults', () => {
	const command = parse();
	assert.equal(command.command, 'game');
	if (command.command !== 'game') return;
	assert.equal(command.config.cluster.demo, false);
	assert.equal(command.config.cluster.namespace, undefined);
	assert.equal(command.config.safety.dryRun, false);
	assert.equal(command.config.safety.maxKillsPerMinute, 30);
	assert.equal(command.config.goldpinger.service, 'goldpinger:8080');
	assert.equal(command.config.goldpinger.refreshSeconds, 2);
});

test('game flags are typed and validated', () => {
	const command = parse('--demo', '-n', 'default', '-l', 'app=goldpinger', '--dry-run', '--seed', '7', '--goldpinger', 'gp', '--min-ready', '0.5');
	assert.ok(command.command === 'game');
	assert.equal(command.config.cluster.namespace, 'default');
	assert.equal(command.config.cluster.selector, 'app=goldpinger');
	assert.equal(command.config.cluster.seed, 7);
	assert.equal(command.config.safety.dryRun, true);
	assert.equal(command.config.safety.minReady, 0.5);
	assert.equal(command.config.goldpinger.service, 'gp:8080');
});

test('subcommands', () => {
	const demo = parse('demo-cluster', '--port', '6443', '--write-kubeconfig', 'k.yaml', '--pods', '5000');
	assert.ok(demo.command === 'demo-cluster');
	assert.equal(demo.config.port, 6443);
	assert.equal(demo.config.writeKubeconfig, 'k.yaml');
	assert.equal(demo.config.demo.extraPods, 5000);
	const experiment = parse('experiment', 'kill-half', '-l', 'app=goldpinger', '--report', 'r.json');
	assert.ok(experiment.command === 'experiment');
	assert.equal(experiment.config.fraction, 0.5);
	assert.equal(experiment.config.report, 'r.json');
	assert.equal(parse('--help').command, 'help');
	assert.equal(parse('--version').command, 'version');
});

test('usage mistakes are one-line UsageErrors', () => {
	usageError(['--bogus'], /unknown flag --bogus/);
	usageError(['-x'], /unknown flag -x/);
	usageError(['-n', 'Not_A_Namespace'], /namespace/i);
	usageError(['-l', 'app==='], /selector/i);
	usageError(['--refresh', 'abc'], /--refresh must be a number/);
	usageError(['demo-cluster', '--pods', '-3'], /--pods/);
	usageError(['demo-cluster', '--port', '70000'], /--port/);
	usageError(['frobnicate'], /unknown command "frobnicate"/);
	usageError(['experiment'], /experiment needs a name/);
	usageError(['experiment', 'kill-all'], /unknown experiment/);
	usageError(['experiment', 'kill-half', '--report', 'r.txt'], /\.json or \.md/);
	usageError(['--port', '1'], /only applies to: demo-cluster/);
	usageError(['--slow'], /add --demo/);
	usageError(['--demo', '--context', 'prod'], /--demo runs its own cluster/);
	usageError(['--goldpinger', 'Bad Name'], /SERVICE\[:PORT\]/);
	usageError(['--goldpinger-url', 'ftp://x'], /http\(s\) URL/);
	usageError(['--min-ready', '1.5'], /whole number/);
});
