// Real kubectl on the same demo cluster, for the comparison figures: time to the first output of
// `kubectl get pods`, and each row of `kubectl get pods -w` timestamped as it arrives.
import {spawn, type ChildProcess} from 'node:child_process';
import {onCleanup} from './cleanup.js';
import {sleep, wallNow} from './clock.js';
import {podNameOfLine, type WatchLine} from './match.js';

const kubectlEnv = (kubeconfig: string): NodeJS.ProcessEnv => ({...process.env, KUBECONFIG: kubeconfig});

function startKubectl(args: readonly string[], kubeconfig: string): {child: ChildProcess; done: Promise<number | null>; unregister: () => void} {
	const child = spawn('kubectl', args, {env: kubectlEnv(kubeconfig), stdio: ['ignore', 'pipe', 'pipe']});
	const done = new Promise<number | null>((resolve) => {
		child.once('exit', (code) => resolve(code));
		child.once('error', () => resolve(-1));
	});
	const unregister = onCleanup(`kubectl pid ${child.pid}`, async () => {
		child.kill('SIGKILL'); // a no-op once it has exited: never a reused pid
		await Promise.race([done, sleep(1000)]);
	});
	void done.then(unregister);
	return {child, done, unregister};
}

/** `kubectl get pods -n NS`: ms from spawn to the first byte on stdout, and to exit. Bounded by timeoutMs. */
export async function kubectlFirstOutput(kubeconfig: string, namespace: string, cacheDir: string, timeoutMs = 15_000): Promise<{firstOutputMs: number; exitMs: number}> {
	const started = wallNow();
	const {child, done} = startKubectl(['get', 'pods', '-n', namespace, '--cache-dir', cacheDir], kubeconfig);
	let firstAt: number | undefined;
	let stderr = '';
	child.stdout!.on('data', () => {
		firstAt ??= wallNow();
	});
	child.stderr!.on('data', (data: Buffer) => {
		stderr += data.toString();
	});
	const code = await Promise.race([done, sleep(timeoutMs).then(() => 'timeout' as const)]);
	if (code === 'timeout') {
		child.kill('SIGKILL');
		throw new Error(`kubectl get pods did not finish within ${timeoutMs} ms`);
	}
	if (code !== 0 || firstAt === undefined) throw new Error(`kubectl get pods failed (exit ${code}): ${stderr.trim().slice(0, 300)}`);
	return {firstOutputMs: firstAt - started, exitMs: wallNow() - started};
}

/** `kubectl get pods -n NS -w`, every row timestamped on arrival. */
export class KubectlWatch {
	readonly lines: WatchLine[] = [];
	private readonly child: ChildProcess;
	private readonly done: Promise<number | null>;
	private partial = '';
	private stderr = '';

	constructor(kubeconfig: string, namespace: string, cacheDir: string) {
		const started = startKubectl(['get', 'pods', '-n', namespace, '-w', '--cache-dir', cacheDir], kubeconfig);
		this.child = started.child;
		this.done = started.done;
		this.child.stdout!.on('data', (data: Buffer) => {
			const t = wallNow();
			const parts = (this.partial + data.toString()).split('\n');
			this.partial = parts.pop() ?? '';
			for (const part of parts) {
				const name = podNameOfLine(part);
				if (name) this.lines.push({t, name});
			}
		});
		this.child.stderr!.on('data', (data: Buffer) => {
			this.stderr = (this.stderr + data.toString()).slice(-2000);
		});
	}

	/** Resolves once `count` rows arrived (e.g. the initial list), throws on exit or timeout. */
	async waitForRows(count: number, timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		let exited = false;
		void this.done.then(() => {
			exited = true;
		});
		while (this.lines.length < count) {
			if (exited) throw new Error(`kubectl get pods -w exited: ${this.stderr.trim().slice(0, 300)}`);
			if (Date.now() > deadline) throw new Error(`kubectl get pods -w printed ${this.lines.length} of ${count} rows in ${timeoutMs} ms`);
			await sleep(20);
		}
	}

	async stop(): Promise<void> {
		this.child.kill('SIGTERM');
		await Promise.race([this.done, sleep(1500)]);
		this.child.kill('SIGKILL');
	}
}
