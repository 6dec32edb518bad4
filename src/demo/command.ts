// `podinvaders demo-cluster`: runs the demo cluster alone, writes a kubeconfig, tells the user how to point
// kubectl at it, and runs until SIGINT/SIGTERM.
import {mkdirSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {RuntimeSelector} from './kubelet.js';
import {startDemoCluster} from './server.js';

export interface DemoClusterCommandOptions {
	port?: number;
	pods?: number;
	writeKubeconfig?: string;
	seed?: number;
	runtimes?: RuntimeSelector;
	/** Where the instructions go (default stdout); tests pass their own. */
	out?: (text: string) => void;
	/** Resolves to stop the cluster (default: the first SIGINT or SIGTERM). */
	until?: Promise<unknown>;
}

export async function runDemoClusterCommand(opts: DemoClusterCommandOptions): Promise<void> {
	const out = opts.out ?? ((text: string) => void process.stdout.write(text));
	const cluster = await startDemoCluster({
		...(opts.port !== undefined ? {port: opts.port} : {}),
		...(opts.pods !== undefined ? {extraPods: opts.pods} : {}),
		...(opts.seed !== undefined ? {seed: opts.seed} : {}),
		...(opts.runtimes ? {runtimes: opts.runtimes} : {}),
	});
	// Without --write-kubeconfig a temporary one is written (and removed on exit), so the hint always works.
	const kubeconfigPath = path.resolve(opts.writeKubeconfig ?? path.join(os.tmpdir(), `podinvaders-demo-${cluster.port}.kubeconfig`));
	const temporary = opts.writeKubeconfig === undefined;
	try {
		mkdirSync(path.dirname(kubeconfigPath), {recursive: true});
		writeFileSync(kubeconfigPath, cluster.kubeconfigYaml(), {mode: 0o600});
	} catch (error) {
		await cluster.close();
		throw error;
	}
	out(
		[
			`podinvaders demo cluster listening on ${cluster.url}`,
			`kubeconfig written to ${kubeconfigPath}${temporary ? ' (removed when the cluster stops; keep one with --write-kubeconfig FILE)' : ''}`,
			'',
			'Point kubectl at it:',
			`  export KUBECONFIG=${kubeconfigPath}`,
			'  kubectl get pods',
			'or, without a kubeconfig:',
			`  kubectl --server ${cluster.url} get pods`,
			'',
			'Play against it from another terminal:',
			`  KUBECONFIG=${kubeconfigPath} podinvaders -l app=goldpinger`,
			'',
			'Press Ctrl-C to stop.',
			'',
		].join('\n'),
	);
	let onSignal: (() => void) | undefined;
	const signalled = new Promise<void>((resolve) => {
		onSignal = () => resolve();
		process.once('SIGINT', onSignal);
		process.once('SIGTERM', onSignal);
	});
	try {
		await (opts.until ?? signalled);
	} finally {
		if (onSignal) {
			process.off('SIGINT', onSignal);
			process.off('SIGTERM', onSignal);
		}
		await cluster.close();
		if (temporary) rmSync(kubeconfigPath, {force: true});
		out('demo cluster stopped\n');
	}
}
