// Real kubectl against each backend (what a player runs in the next terminal): `kubectl get pods` prints the
// server's Table (NAME READY STATUS RESTARTS AGE), and `kubectl get pods -w` shows a deleted pod Terminating
// and its replacement coming up.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {forEachBackend} from './backend.js';

interface Kubectl {
	readonly child: ChildProcess;
	/** Everything printed so far (stdout and stderr). */
	output(): string;
	/** Resolves with the exit code once it has ended. */
	readonly done: Promise<number | null>;
	stop(): Promise<void>;
}

/** kubectl in a child process, never blocking this event loop (the demo cluster lives in it). */
function kubectl(kubeconfig: string, args: readonly string[], timeoutMs = 30_000): Kubectl {
	const child = spawn('kubectl', ['--kubeconfig', kubeconfig, ...args], {stdio: ['ignore', 'pipe', 'pipe']});
	let text = '';
	child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
	child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
	const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
	const done = new Promise<number | null>((resolve, reject) => {
		child.once('error', reject);
		child.once('close', (code) => {
			clearTimeout(timer);
			resolve(code);
		});
	});
	return {
		child,
		output: () => text,
		done,
		async stop() {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
			await done;
		},
	};
}

const lines = (text: string) => text.split('\n').map((line) => line.trimEnd()).filter(Boolean);

forEachBackend({}, (name, backend) => {
	test(`[${name}] kubectl get pods: the Table columns NAME READY STATUS RESTARTS AGE`, async () => {
		const b = backend();
		const namespace = await b.createNamespace('contract-kubectl');
		await b.createDeployment(namespace, 'web', 2, {app: 'web'});
		await b.waitFor(async () => (await b.listPods(namespace)).filter((pod) => pod.ready).length === 2, 'two Ready pods');
		const pods = await b.listPods(namespace);

		const run = kubectl(b.kubeconfigPath, ['get', 'pods', '-n', namespace]);
		assert.equal(await run.done, 0, run.output());
		const [header, ...rows] = lines(run.output());
		assert.match(header!, /^NAME +READY +STATUS +RESTARTS +AGE$/);
		assert.deepEqual(rows.map((row) => row.split(/ +/)[0]).sort(), pods.map((pod) => pod.name).sort());
		for (const row of rows) assert.match(row, /^web-[a-z0-9]+-[a-z0-9]{5} +1\/1 +Running +0 +\d+s$/);

		const wide = kubectl(b.kubeconfigPath, ['get', 'pods', '-n', namespace, '-o', 'wide']);
		assert.equal(await wide.done, 0, wide.output());
		assert.match(lines(wide.output())[0]!, /^NAME +READY +STATUS +RESTARTS +AGE +IP +NODE +NOMINATED NODE +READINESS GATES$/);
	});

	test(`[${name}] kubectl get pods -w: a deleted pod Terminating, its replacement Running`, async (t) => {
		const b = backend();
		const namespace = await b.createNamespace('contract-kubectl-w');
		await b.createDeployment(namespace, 'web', 2, {app: 'web'}, 2);
		await b.waitFor(async () => (await b.listPods(namespace)).filter((pod) => pod.ready).length === 2, 'two Ready pods');
		const before = await b.listPods(namespace);

		const watch = kubectl(b.kubeconfigPath, ['get', 'pods', '-n', namespace, '-w'], 60_000);
		t.after(() => watch.stop());
		await b.waitFor(() => before.every((pod) => watch.output().includes(pod.name)), 'kubectl to list both pods');
		const [header] = lines(watch.output());
		assert.match(header!, /^NAME +READY +STATUS +RESTARTS +AGE$/);

		const victim = before[0]!;
		await b.deletePodAsSomeoneElse(namespace, victim.name);
		const known = new Set(before.map((pod) => pod.name));
		const terminating = new RegExp(`^${victim.name} +\\d/1 +Terminating +0 +\\d+s$`);
		const victimLines = () => lines(watch.output()).filter((line) => terminating.test(line)).length;
		const replacementRunning = () => lines(watch.output()).some((line) => /^web-\S+ +1\/1 +Running +0 +\d+s$/.test(line) && !known.has(line.split(/ +/)[0]!));
		// Terminating at the delete, again at the final grace-0 write, and at the removal (as in the book).
		await b.waitFor(() => victimLines() >= 3 && replacementRunning(), 'the victim Terminating (3 lines) and a new pod Running', 30_000);
		assert.equal(watch.child.exitCode, null, 'kubectl is still watching');
		for (const line of lines(watch.output()).slice(1)) assert.match(line, /^web-\S+ +\d\/1 +\S+ +\d+ +\d+s$/, `a row in kubectl's format: ${line}`);
	});
});
