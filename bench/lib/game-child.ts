// The game as a user runs it: `node dist/cli.js` in a real pseudo-terminal (node-pty), pointed at the bench's
// demo cluster by a kubeconfig, with PODINVADERS_TRACE set. Every chunk the terminal receives is counted
// with its arrival time; the trace file is tailed for the game's own marks.
import {join} from 'node:path';
import pty from 'node-pty';
import {isAlive, killPid, onCleanup} from './cleanup.js';
import {sleep, wallNow} from './clock.js';
import {TraceTail, type TraceMark} from './trace.js';

export interface GameChildOptions {
	readonly root: string;
	readonly kubeconfig: string;
	readonly namespace: string;
	readonly traceFile: string;
	readonly cols?: number;
	readonly rows?: number;
	readonly args?: readonly string[];
	/** Options for node itself, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] to profile the game. */
	readonly nodeArgs?: readonly string[];
}

interface Chunk {
	readonly t: number;
	readonly bytes: number;
}

const tailLimit = 8192;

export class GameChild {
	/** Wall-clock ms just before the process was spawned: "process start" for the startup figures. */
	readonly spawnedAt: number;
	readonly pid: number;
	readonly trace: TraceTail;
	readonly exited: Promise<{exitCode: number; signal?: number}>;
	private readonly chunks: Chunk[] = [];
	private tail = '';
	private exitInfo: {exitCode: number; signal?: number} | undefined;
	private readonly terminal: pty.IPty;
	private readonly unregister: () => void;

	constructor(options: GameChildOptions) {
		this.trace = new TraceTail(options.traceFile);
		const args = [...(options.nodeArgs ?? []), join(options.root, 'dist', 'cli.js'), '-n', options.namespace, '--kubeconfig', options.kubeconfig, ...(options.args ?? [])];
		const env: Record<string, string> = {};
		for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
		delete env['CI']; // Ink writes only the last frame when it believes it runs in CI
		Object.assign(env, {PODINVADERS_TRACE: options.traceFile, KUBECONFIG: options.kubeconfig, TERM: 'xterm-256color', COLORTERM: ''});
		this.spawnedAt = wallNow();
		this.terminal = pty.spawn(process.execPath, args, {
			name: 'xterm-256color',
			cols: options.cols ?? 160,
			rows: options.rows ?? 45,
			cwd: options.root,
			env,
			encoding: null,
		});
		this.pid = this.terminal.pid;
		this.terminal.onData((data: Buffer | string) => {
			const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
			this.chunks.push({t: wallNow(), bytes});
			this.tail = (this.tail + data.toString()).slice(-tailLimit);
		});
		this.exited = new Promise((resolve) => {
			this.terminal.onExit((info) => {
				this.exitInfo = info;
				resolve(info);
			});
		});
		this.unregister = onCleanup(`game pid ${this.pid}`, () => this.stop());
	}

	get running(): boolean {
		return this.exitInfo === undefined;
	}

	/** Terminal output bytes that arrived in [from, to) (wall-clock ms). */
	bytesBetween(from: number, to: number): number {
		let total = 0;
		for (const chunk of this.chunks) if (chunk.t >= from && chunk.t < to) total += chunk.bytes;
		return total;
	}

	get firstOutputAt(): number | undefined {
		return this.chunks[0]?.t;
	}

	/** The last screenful of output, escape sequences removed: for error messages. */
	screenTail(): string {
		return this.tail
			.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
			.replace(/\x1b[\]P^_][^\x07\x1b]*(\x07|\x1b\\)/g, '')
			.replace(/\x1b./g, '')
			.split(/\r?\n|\r/)
			.map((line) => line.trimEnd())
			.filter(Boolean)
			.slice(-12)
			.join('\n');
	}

	/** Waits for the first trace mark (already seen or new) that satisfies `test`. */
	async waitForMark(description: string, test: (mark: TraceMark) => boolean, timeoutMs: number): Promise<TraceMark> {
		const deadline = Date.now() + timeoutMs;
		this.trace.poll();
		let checked = 0;
		for (;;) {
			for (; checked < this.trace.marks.length; checked++) {
				const mark = this.trace.marks[checked]!;
				if (test(mark)) return mark;
			}
			if (!this.running) throw new Error(`the game exited (code ${this.exitInfo?.exitCode}) before ${description}; its screen:\n${this.screenTail()}`);
			if (Date.now() > deadline) throw new Error(`no ${description} within ${timeoutMs} ms; the game's screen:\n${this.screenTail()}`);
			await sleep(25);
			this.trace.poll();
		}
	}

	write(keys: string): void {
		if (this.running) this.terminal.write(keys);
	}

	/** q, then SIGTERM, then SIGKILL: bounded to ~4 s. */
	async stop(): Promise<void> {
		if (this.running) {
			this.write('q');
			await Promise.race([this.exited, sleep(1500)]);
		}
		if (this.running) {
			killPid(this.pid, 'SIGTERM');
			await Promise.race([this.exited, sleep(1500)]);
		}
		if (this.running && isAlive(this.pid)) {
			killPid(this.pid, 'SIGKILL');
			await Promise.race([this.exited, sleep(1000)]);
		}
		this.unregister();
		this.trace.poll();
	}
}
