// The demo cluster inside the bench process: started with N pods (one `swarm` Deployment, booted at once),
// a kubeconfig for the game child and kubectl, and the commit time of every pod change it stores.
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {startDemoCluster, type DemoCluster} from '../../src/demo/server.js';
import {Store, type Change} from '../../src/demo/store.js';
import {podFromObject, type Pod} from '../../src/model/pod.js';
import {onCleanup} from './cleanup.js';
import {sleep, wallNow} from './clock.js';
import type {CommittedChange} from './match.js';

export const benchNamespace = 'default';

/** READY and STATUS as `kubectl get pods` prints them: what a user sees change. */
const shownColumns = (raw: unknown): string => {
	const pod = podFromObject(raw);
	return `${pod.readyContainers}/${pod.totalContainers} ${pod.status}`;
};

export function toCommitted(change: Pick<Change, 'type' | 'rv' | 'object' | 'old'>, t: number): CommittedChange {
	return {
		rv: change.rv,
		name: change.object.metadata.name,
		type: change.type,
		t,
		visible: change.type !== 'MODIFIED' || !change.old || shownColumns(change.old) !== shownColumns(change.object),
	};
}

type ChangeListener = (change: Change) => void;

const listeners = new Set<ChangeListener>();
let patched = false;

function listenToStores(listener: ChangeListener): () => void {
	if (!patched) {
		patched = true;
		// Until the demo cluster exposes a change hook, observe the one method every write goes through.
		// (The bench imports the same module instance as server.ts, so this sees its store.)
		const proto = Store.prototype as unknown as {emit: (this: Store, change: Change) => void};
		const emit = proto.emit;
		proto.emit = function (this: Store, change: Change) {
			for (const each of listeners) each(change);
			emit.call(this, change);
		};
	}
	listeners.add(listener);
	return () => listeners.delete(listener);
}

export interface BenchCluster {
	readonly demo: DemoCluster;
	readonly kubeconfig: string;
	readonly pods: number;
	/** Pod changes in commit order, with wall-clock commit times. */
	readonly changes: CommittedChange[];
	/** Pods of the bench namespace as the server has them now. */
	current(): Pod[];
	/** Waits until `count` pods exist, all Ready and none Terminating. */
	settle(count: number, timeoutMs: number): Promise<void>;
	close(): Promise<void>;
}

export async function startBenchCluster(options: {pods: number; seed: number; dir: string; label: string}): Promise<BenchCluster> {
	const changes: CommittedChange[] = [];
	let recording = false;
	const stopListening = listenToStores((change) => {
		if (recording && change.storage === 'pods' && change.object.metadata.namespace === benchNamespace) changes.push(toCommitted(change, wallNow()));
	});
	let demo: DemoCluster;
	try {
		demo = await startDemoCluster({scenario: 'empty', extraPods: options.pods, seed: options.seed});
	} catch (error) {
		stopListening();
		throw error;
	}
	recording = true;
	const unregister = onCleanup(`demo cluster ${options.label}`, () => demo.close());
	const kubeconfig = join(options.dir, `kubeconfig-${options.label}.yaml`);
	writeFileSync(kubeconfig, demo.kubeconfigYaml());
	const current = () => demo.listPods(benchNamespace).map(podFromObject);
	return {
		demo,
		kubeconfig,
		pods: options.pods,
		changes,
		current,
		async settle(count, timeoutMs) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const pods = current();
				if (pods.length === count && pods.every((pod) => pod.ready && !pod.deletionTimestamp)) return;
				if (Date.now() > deadline) {
					const ready = pods.filter((pod) => pod.ready && !pod.deletionTimestamp).length;
					throw new Error(`the demo cluster did not settle in ${timeoutMs} ms: ${pods.length} pods, ${ready} Ready (want ${count})`);
				}
				await sleep(50);
			}
		},
		async close() {
			recording = false;
			stopListening();
			await demo.close();
			unregister();
		},
	};
}
