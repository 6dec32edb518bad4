// The CLI as a user runs it, in a child process. Asynchronous on purpose: the demo cluster a test talks to
// lives in the test's own process, so a blocking spawnSync would freeze it.
import {spawn} from 'node:child_process';

export interface CliRun {
	readonly code: number | null;
	readonly stdout: string;
	readonly stderr: string;
}

export function runCli(kubeconfig: string, args: readonly string[], timeoutMs = 90_000): Promise<CliRun> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.tsx', ...args], {
			env: {...process.env, KUBECONFIG: kubeconfig, FORCE_COLOR: '0'},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({code, stdout, stderr});
		});
	});
}
