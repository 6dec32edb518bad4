// `npm run bench`: every scenario in turn, one JSON object of figures on stdout (also bench/results.json),
// a short summary with the targets on stderr. Bounded: a watchdog ends the run (and every child) if
// it ever passes its time budget; a failed scenario leaves its figures null and the others still run.
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {realToolchainAvailable} from '../test/real-cluster/backend.js';
import {cleanupAll} from './lib/cleanup.js';
import {figures as demoFigures, realFigures, summaryLines, type Figure, type Figures} from './lib/targets.js';
import {realScenario} from './real.js';
import {fiveThousandScenario, renderScenario, startupScenario, thousandScenario, type BenchContext} from './scenarios.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// `npm run bench -- --real`: the scale check on the real control plane instead of the demo scenarios.
const real = process.argv.slice(2).includes('--real');
const unknownArgs = process.argv.slice(2).filter((arg) => arg !== '--real');
// The real run: ≈ 5 s to start the control plane, ≈ 70 s to 3000 Running pods, ≈ 40 s of game and churn.
const budgetMs = Number(process.env['BENCH_BUDGET_MS'] ?? (real ? 270_000 : 240_000));
const realPods = Number(process.env['BENCH_REAL_PODS'] ?? 3000);
let tempDir: string | undefined; // removed on any exit, also a crash
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

type Scenario = (context: BenchContext, figures: Figures) => Promise<void>;

const demoScenarios: ReadonlyArray<readonly [string, Scenario]> = [
	['startup', startupScenario],
	['k1', thousandScenario],
	['k2', renderScenario],
	['k5', fiveThousandScenario],
];

// Every wait in the real scenario gives up 10 s before the watchdog, so the run still reports what it has.
const realScenarios = (deadline: number): ReadonlyArray<readonly [string, Scenario]> => [
	['real', (context, figures) => realScenario(context, figures, {pods: realPods, deadline, deletesPerSecond: 10, churnSeconds: 10})],
];

const figureList: readonly Figure[] = real ? realFigures(realPods) : demoFigures;
const resultsFile = join(root, 'bench', real ? 'results-real.json' : 'results.json');

function output(figures: Figures): Record<string, number | null> {
	const ordered: Record<string, number | null> = {};
	for (const figure of figureList) ordered[figure.key] = Number.isFinite(figures[figure.key]) ? figures[figure.key]! : null;
	for (const [key, value] of Object.entries(figures)) if (!(key in ordered)) ordered[key] = Number.isFinite(value) ? value : null;
	return ordered;
}

function report(figures: Figures, failures: readonly string[]): void {
	const json = output(figures);
	writeFileSync(resultsFile, `${JSON.stringify(json, null, 2)}\n`);
	process.stdout.write(`${JSON.stringify(json)}\n`);
	process.stderr.write(`\n${summaryLines(figures, figureList).join('\n')}\n`);
	for (const failure of failures) process.stderr.write(`bench: FAILED ${failure.split('\n')[0]}\n`);
}

async function main(): Promise<number> {
	if (unknownArgs.length > 0) {
		log(`unknown argument ${unknownArgs[0]} (the only one is --real)`);
		return 2;
	}
	if (real) {
		const toolchain = realToolchainAvailable({requireBuilt: true});
		if (!toolchain.ok) {
			const why = toolchain.why.replace(/\s*\(run test\/real-cluster\/build\.sh\)$/, '');
			process.stderr.write(`real control plane not built: ${why}; run test/real-cluster/build.sh\n`);
			return 1;
		}
	}
	if (!existsSync(join(root, 'dist', 'cli.js'))) {
		log('dist/cli.js is missing: run `npm run build` (npm run bench does it first)');
		return 1;
	}
	const only = process.env['BENCH_ONLY']?.split(',').map((name) => name.trim());
	const dir = mkdtempSync(join(tmpdir(), 'podinvaders-bench-'));
	tempDir = dir;
	// BENCH_KEEP_TMP=1 keeps the traces and kubeconfigs for a look afterwards.
	const keep = process.env['BENCH_KEEP_TMP'] === '1';
	if (keep) log(`keeping ${dir}`);
	const removeDir = () => {
		if (!keep) rmSync(dir, {recursive: true, force: true});
	};
	const context: BenchContext = {root, dir, seed: Number(process.env['BENCH_SEED'] ?? 7), log, startupRuns: Number(process.env['BENCH_STARTUP_RUNS'] ?? 3)};
	const figures: Figures = {};
	const failures: string[] = [];
	const started = Date.now();
	const scenarios = real ? realScenarios(started + budgetMs - 10_000) : demoScenarios;
	let stopping = false;
	const finish = async (code: number, why?: string) => {
		if (stopping) return;
		stopping = true;
		if (why) failures.push(why);
		await cleanupAll();
		removeDir();
		figures['bench_seconds'] = Math.round((Date.now() - started) / 100) / 10;
		report(figures, failures);
		process.exit(code);
	};
	const watchdog = setTimeout(() => void finish(1, `time budget of ${budgetMs / 1000} s exceeded: stopped`), budgetMs);
	for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void finish(130, `interrupted (${signal})`));
	for (const [name, run] of scenarios) {
		if (only && !only.includes(name)) continue;
		const from = Date.now();
		log(`scenario ${name}…`);
		try {
			await run(context, figures);
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			failures.push(`${name}: ${message}`);
			log(`scenario ${name} failed: ${message}`);
		}
		await cleanupAll(); // anything a failed scenario left behind, before the next one measures
		log(`scenario ${name} took ${((Date.now() - from) / 1000).toFixed(1)} s`);
	}
	clearTimeout(watchdog);
	await finish(failures.length > 0 ? 1 : 0);
	return 0;
}

main().then(
	(code) => {
		process.exitCode = code; // a refusal before anything started (a finished run exits in finish())
	},
	async (error: unknown) => {
		log(`crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
		await cleanupAll();
		process.exit(1);
	},
);
process.once('exit', () => {
	if (tempDir && process.env['BENCH_KEEP_TMP'] !== '1') rmSync(tempDir, {recursive: true, force: true});
});
