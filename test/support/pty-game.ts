// The whole program in a real pseudo-terminal (node-pty), as a person runs it, for the end-to-end tests:
// the environment a terminal gives it, the screen output collected, the exit seen, and the child killed
// when the test ends early.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {TestContext} from 'node:test';
import pty, {type IPty} from 'node-pty';

export const root = join(import.meta.dirname, '..', '..');
export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The screen output without cursor and colour escapes. */
export const plain = (text: string) => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

export async function waitFor(check: () => boolean, what: string, output: () => string, limitMs = 20_000): Promise<void> {
	for (let waited = 0; waited < limitMs; waited += 50) {
		if (check()) return;
		await pause(50);
	}
	throw new Error(`timed out waiting for ${what}; the terminal's last output:\n${plain(output()).slice(-2000)}`);
}

/** A kubeconfig for the cluster in a temp folder that goes when the test ends. */
export function writeKubeconfig(t: TestContext, kubeconfigYaml: string): string {
	const directory = mkdtempSync(join(tmpdir(), 'podinvaders-e2e-'));
	t.after(() => rmSync(directory, {recursive: true, force: true}));
	const kubeconfig = join(directory, 'kubeconfig');
	writeFileSync(kubeconfig, kubeconfigYaml);
	return kubeconfig;
}

export interface GameInPty {
	readonly terminal: IPty;
	/** Everything the program wrote so far. */
	readonly output: string;
	readonly exit: {readonly exitCode: number; readonly signal?: number} | undefined;
}

/** `podinvaders ARGS` (from src, through tsx) in a pseudo-terminal of the given size. */
export function spawnGame(t: TestContext, args: readonly string[], options: {cols: number; rows: number; env?: Readonly<Record<string, string>>}): GameInPty {
	const env: Record<string, string> = {};
	for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
	delete env['CI']; // Ink writes only the last frame when it thinks it runs in CI
	delete env['PODINVADERS_TRACE'];
	Object.assign(env, {TERM: 'xterm-256color'}, options.env);
	const terminal = pty.spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli.tsx'), ...args], {
		name: 'xterm-256color',
		cols: options.cols,
		rows: options.rows,
		cwd: root,
		env,
	});
	let output = '';
	let exit: GameInPty['exit'];
	terminal.onData((data) => {
		output += data;
	});
	terminal.onExit((info) => {
		exit = info;
	});
	t.after(() => {
		if (!exit) terminal.kill();
	});
	return {
		terminal,
		get output() {
			return output;
		},
		get exit() {
			return exit;
		},
	};
}
