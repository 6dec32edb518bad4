#!/usr/bin/env node
// The command line: flags → a command → the game, the demo cluster alone, or a headless experiment.
// Every mistake a user can make ends in one line on stderr and an exit code (2 usage, 1 runtime,
// experiments: 0 held, 1 did not hold, 3 aborted); stack traces only with --debug.
import {writeFile} from 'node:fs/promises';
import {helpText, parseCommand, type Command, type ExperimentConfig, type GameConfig, type DemoClusterConfig} from './config.js';
import {describeError, UsageError, validateLabelSelector, validateNamespace} from './kube/errors.js';
import {sanitizeLine} from './model/sanitize.js';

const debug = process.argv.includes('--debug');
// React and Ink in development mode cost about a third more per frame and ~35 MB at 5000 pods
// (npm run bench); --debug keeps their development warnings.
if (!debug) process.env['NODE_ENV'] ??= 'production';

function fail(error: unknown): never {
	const code = error instanceof UsageError ? 2 : typeof (error as {exitCode?: unknown})?.exitCode === 'number' ? (error as {exitCode: number}).exitCode : 1;
	const message = error instanceof Error && 'exitCode' in error ? error.message : describeError(error);
	process.stderr.write(`podinvaders: ${sanitizeLine(message, 400)}\n`);
	if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
	process.exit(code);
}

async function playGame(config: GameConfig): Promise<number> {
	if (!process.stdout.isTTY || !process.stdin.isTTY) {
		throw new UsageError('the game needs a terminal (stdin and stdout must be a TTY); for scripts use `podinvaders experiment kill-half`');
	}
	// Paint at once, before the cluster answers or Ink is loaded: a user sees something within milliseconds.
	const {paintConnecting, clearConnecting, handOver} = await import('./ui/connecting.js');
	paintConnecting(config.cluster.demo ? 'starting the demo cluster…' : `connecting${config.cluster.context ? ` to ${config.cluster.context}` : ''}…`);
	const game = import('./ui/run-game.js'); // loads while we connect
	let connection, engine, switcher;
	try {
		const {connect, createEngine, createScopeSwitcher} = await import('./connect.js');
		const {KillBudget} = await import('./kube/kill-budget.js');
		connection = await connect(config.cluster, config.demoCluster);
		// One --max-kills-per-minute window for the session, whichever namespace the keys n and / switch to.
		const budget = new KillBudget(config.safety.maxKillsPerMinute);
		engine = await createEngine(connection, config.safety, config.goldpinger, budget);
		// Keys n and /: other namespaces and selectors on the same connection; it stops whichever engine is in use.
		switcher = createScopeSwitcher(connection, config.safety, config.goldpinger, engine, budget);
	} catch (error) {
		clearConnecting();
		await connection?.close();
		throw error;
	}
	try {
		const {runGame} = await game;
		handOver();
		const summary = await runGame({
			...switcher.initial,
			refreshMs: config.goldpinger.refreshSeconds * 1000,
			seed: config.cluster.seed,
			yes: config.safety.yes,
			dryRun: config.safety.dryRun,
			...(config.autopilotSeconds !== undefined ? {autopilotSeconds: config.autopilotSeconds} : {}),
			switchScope: (scope) => switcher.switchScope(scope),
			validateScope: {namespace: validateNamespace, selector: validateLabelSelector},
		});
		const {formatSummary} = await import('./ui/run-game.js');
		process.stdout.write(`${formatSummary(summary)}\n`);
		return 0;
	} finally {
		await switcher.stop();
		await connection.close();
	}
}

async function runDemoCluster(config: DemoClusterConfig): Promise<number> {
	const {runDemoClusterCommand} = await import('./demo/command.js');
	const {goldpingerRuntime} = await import('./demo/goldpinger-sim.js');
	await runDemoClusterCommand({
		...(config.port !== undefined ? {port: config.port} : {}),
		pods: config.demo.extraPods,
		...(config.writeKubeconfig ? {writeKubeconfig: config.writeKubeconfig} : {}),
		seed: config.seed,
		runtimes: goldpingerRuntime({
			...(config.demo.slow ? {slow: {delayMs: 250}} : {}),
			...(config.demo.goldpingerBin ? {binPath: config.demo.goldpingerBin} : {}),
		}),
	});
	return 0;
}

async function runExperiment(config: ExperimentConfig): Promise<number> {
	const {connect, createEngine} = await import('./connect.js');
	const {runKillHalf} = await import('./experiments/kill-half.js');
	const {reportMarkdown} = await import('./experiments/report.js');
	const connection = await connect(config.cluster, config.demoCluster);
	const engine = await createEngine(connection, config.safety, config.goldpinger);
	const abort = new AbortController();
	const onSignal = () => abort.abort();
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	try {
		if (engine.spectator && !config.safety.dryRun) {
			process.stderr.write(`podinvaders: this user may not delete pods in namespace ${connection.identity.namespace}: the kills will be refused (see manifests/podinvaders-rbac.yml)\n`);
		}
		engine.goldpinger?.start();
		const report = await runKillHalf(
			{
				identity: connection.identity,
				source: engine.watcher,
				killer: engine.killer,
				...(engine.goldpinger ? {goldpinger: engine.goldpinger} : {}),
				progress: (line) => process.stderr.write(`${line}\n`),
				signal: abort.signal,
			},
			{
				fraction: config.fraction,
				seed: config.cluster.seed,
				timeoutMs: config.timeoutSeconds * 1000,
				refreshMs: config.goldpinger.refreshSeconds * 1000,
				dryRun: config.safety.dryRun,
				evict: config.safety.evict,
			},
		);
		const markdown = reportMarkdown(report);
		if (config.report) {
			await writeFile(config.report, config.report.toLowerCase().endsWith('.json') ? `${JSON.stringify(report, null, 2)}\n` : markdown);
			process.stderr.write(`report written to ${config.report}\n`);
		}
		process.stdout.write(markdown);
		return report.exitCode;
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
		await engine.stop();
		await connection.close();
	}
}

async function main(argv: readonly string[]): Promise<number> {
	const command: Command = parseCommand(argv, import.meta);
	switch (command.command) {
		case 'help':
			process.stdout.write(`${helpText.replace(/^\n/, '')}\n`);
			return 0;
		case 'version': {
			const {createRequire} = await import('node:module');
			const pkg = createRequire(import.meta.url)('../package.json') as {version: string};
			process.stdout.write(`${pkg.version}\n`);
			return 0;
		}
		case 'game':
			return playGame(command.config);
		case 'demo-cluster':
			return runDemoCluster(command.config);
		case 'experiment':
			return runExperiment(command.config);
	}
}

main(process.argv.slice(2)).then((code) => process.exit(code), fail);
