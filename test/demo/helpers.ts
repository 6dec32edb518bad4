// Shared by the demo-cluster tests: a cluster with short lifecycles, raw HTTP helpers, a watch-stream
// reader, bounded waiting, and real `kubectl` run against the cluster with a throwaway kubeconfig and HOME.
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type {TestContext} from 'node:test';
import {startDemoCluster, type DemoCluster, type DemoClusterOptions} from '../../src/demo/server.js';

export const fastTiming = {
	pendingMs: [20, 60] as [number, number],
	containerCreatingMs: [30, 90] as [number, number],
	readyMs: [10, 30] as [number, number],
	defaultGracePeriodSeconds: 1,
};

export async function testCluster(t: TestContext, options: DemoClusterOptions = {}): Promise<DemoCluster> {
	const cluster = await startDemoCluster({seed: 42, timing: fastTiming, ...options});
	t.after(() => cluster.close());
	return cluster;
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined && value !== false) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

export interface Reply {
	status: number;
	headers: http.IncomingHttpHeaders;
	text: string;
	json<T = Record<string, unknown>>(): T;
}

export function request(url: string, options: {method?: string; body?: unknown; headers?: Record<string, string>} = {}): Promise<Reply> {
	return new Promise((resolve, reject) => {
		const payload = options.body === undefined ? undefined : typeof options.body === 'string' || Buffer.isBuffer(options.body) ? options.body : JSON.stringify(options.body);
		const req = http.request(url, {method: options.method ?? 'GET', agent: false, headers: {...(payload !== undefined ? {'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload))} : {}), ...options.headers}}, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				resolve({status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T});
			});
		});
		req.setTimeout(10_000, () => req.destroy(new Error(`request to ${url} timed out`)));
		req.on('error', reject);
		req.end(payload);
	});
}

export interface WatchEventLine {
	type: string;
	object: {metadata?: {name?: string; uid?: string; resourceVersion?: string; deletionTimestamp?: string; annotations?: Record<string, string>}; status?: Record<string, unknown>; code?: number; reason?: string; message?: string; [key: string]: unknown};
}

/** An open watch: parsed lines as they come, raw lines, and whether the server ended it. */
export interface WatchStream {
	readonly events: WatchEventLine[];
	readonly rawLines: string[];
	readonly status: number;
	ended: boolean;
	error?: Error;
	close(): void;
}

export function openWatch(t: TestContext, url: string, headers: Record<string, string> = {}): Promise<WatchStream> {
	return new Promise((resolve, reject) => {
		const req = http.get(url, {agent: false, headers}, (res) => {
			let buffer = '';
			const stream: WatchStream = {events: [], rawLines: [], status: res.statusCode ?? 0, ended: false, close: () => req.destroy()};
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => {
				buffer += chunk;
				let newline: number;
				while ((newline = buffer.indexOf('\n')) >= 0) {
					const line = buffer.slice(0, newline);
					buffer = buffer.slice(newline + 1);
					stream.rawLines.push(line);
					try {
						stream.events.push(JSON.parse(line) as WatchEventLine);
					} catch {
						// malformed lines are counted in rawLines only
					}
				}
			});
			res.on('end', () => (stream.ended = true));
			res.on('error', (error) => {
				stream.error = error;
				stream.ended = true;
			});
			res.on('aborted', () => (stream.ended = true));
			req.on('close', () => (stream.ended = true));
			t.after(() => req.destroy());
			resolve(stream);
		});
		req.on('error', (error) => {
			if ((error as NodeJS.ErrnoException).code === 'ECONNRESET') return;
			reject(error);
		});
	});
}

/** A temporary kubeconfig + HOME (kubectl caches discovery there) for one cluster. */
export function kubectlEnv(t: TestContext, cluster: DemoCluster): NodeJS.ProcessEnv {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'podinvaders-kubectl-'));
	t.after(() => rmSync(dir, {recursive: true, force: true}));
	const kubeconfig = path.join(dir, 'kubeconfig.yaml');
	writeFileSync(kubeconfig, cluster.kubeconfigYaml());
	return {PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, KUBECONFIG: kubeconfig};
}

export interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
}

export function run(command: string, args: string[], env: NodeJS.ProcessEnv, options: {cwd?: string; timeoutMs?: number} = {}): Promise<Run> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {env, cwd: options.cwd ?? process.cwd(), stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({code, stdout, stderr});
		});
	});
}

export const kubectl = (env: NodeJS.ProcessEnv, ...args: string[]): Promise<Run> => run('kubectl', args, env);

/** A long-running process (e.g. `kubectl get pods --watch`) whose output is read while it runs. */
export function spawnReading(t: TestContext, command: string, args: string[], env: NodeJS.ProcessEnv): {child: ChildProcess; output: () => string} {
	const child = spawn(command, args, {env, stdio: ['ignore', 'pipe', 'pipe']});
	let output = '';
	child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	t.after(() => {
		if (child.exitCode === null) child.kill('SIGKILL');
	});
	return {child, output: () => output};
}

type RawPod = {metadata: {name: string; uid: string; resourceVersion: string; deletionTimestamp?: string; labels?: Record<string, string>}; status?: {phase?: string; podIP?: string; conditions?: Array<{type: string; status: string}>}};
export const rawPods = (cluster: DemoCluster, namespace: string, selector?: string): RawPod[] => cluster.listPods(namespace, selector) as RawPod[];
export const isReady = (pod: RawPod): boolean => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
export const liveReadyCount = (cluster: DemoCluster, namespace: string, selector: string): number =>
	rawPods(cluster, namespace, selector).filter((pod) => !pod.metadata.deletionTimestamp && isReady(pod)).length;
