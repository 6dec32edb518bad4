#!/usr/bin/env -S npx tsx
// Dev-only: the game against an in-process fake cluster (no HTTP), with every look on screen at once
// (Ready, not Ready, Pending, ContainerCreating, Terminating, CrashLoopBackOff, Succeeded, Goldpinger
// unhealthy/unknown) and a tiny "controller" that replaces killed pods on timers.
//   npx tsx scripts/dev-game.tsx [--pods N] [--seed N]
//   /work/shared/tools/tmux-play -x 160 -y 45 -- npx tsx scripts/dev-game.tsx ::: Tab ::: Enter ::: q
import type {KillRequest, KillResult} from '../src/model/kill.js';
import type {GoldpingerStatus} from '../src/model/goldpinger.js';
import type {Pod, PodPhase} from '../src/model/pod.js';
import type {PodKillerPort, PodSource} from '../src/model/ports.js';
import type {WatchEvent} from '../src/model/watch.js';
import {formatSummary, runGame} from '../src/ui/run-game.js';

const argument = (name: string, fallback: number) => {
	const index = process.argv.indexOf(name);
	const value = index >= 0 ? Number(process.argv[index + 1]) : Number.NaN;
	return Number.isFinite(value) ? value : fallback;
};

let version = 1;
let serial = 0;
function makePod(name: string, owner: string | undefined, phase: PodPhase, status: string, ready: boolean, extra: Partial<Pod> = {}): Pod {
	return {
		uid: `uid-${name}-${++serial}`,
		name,
		namespace: 'dev',
		resourceVersion: String(++version),
		phase,
		status,
		ready,
		readyContainers: ready ? 1 : 0,
		totalContainers: 1,
		restarts: status === 'CrashLoopBackOff' ? 7 : 0,
		creationTimestamp: new Date().toISOString(),
		...(owner ? {owner: {kind: 'ReplicaSet', name: `${owner}-5d9f8c7b6`, uid: `rs-${owner}`}} : {}),
		labels: {app: owner ?? 'bare', 'pod-template-hash': '5d9f8c7b6'},
		...extra,
	};
}

const suffix = () => Math.random().toString(36).slice(2, 7);

class FakeCluster implements PodSource, PodKillerPort {
	private readonly pods = new Map<string, Pod>();
	private readonly listeners = new Set<(event: WatchEvent) => void>();
	private readonly timers = new Set<ReturnType<typeof setTimeout>>();

	constructor(extra: number) {
		const add = (pod: Pod) => this.pods.set(pod.uid, pod);
		for (let i = 0; i < 3; i++) add(makePod(`goldpinger-5d9f8c7b6-${suffix()}`, 'goldpinger', 'Running', 'Running', true));
		for (let i = 0; i < 6; i++) add(makePod(`web-5d9f8c7b6-${suffix()}`, 'web', 'Running', 'Running', true));
		add(makePod(`web-5d9f8c7b6-${suffix()}`, 'web', 'Running', 'Running', false));
		add(makePod(`web-5d9f8c7b6-${suffix()}`, 'web', 'Pending', 'Pending', false));
		add(makePod(`web-5d9f8c7b6-${suffix()}`, 'web', 'Pending', 'ContainerCreating', false));
		add(makePod(`web-5d9f8c7b6-${suffix()}`, 'web', 'Running', 'Running', false, {deletionTimestamp: new Date().toISOString(), deletionGracePeriodSeconds: 30}));
		add(makePod(`api-5d9f8c7b6-${suffix()}`, 'api', 'Running', 'CrashLoopBackOff', false));
		add(makePod(`api-5d9f8c7b6-${suffix()}`, 'api', 'Running', 'Running', true));
		add(makePod('migrate-db', undefined, 'Succeeded', 'Completed', false));
		for (let i = 0; i < extra; i++) add(makePod(`swarm-5d9f8c7b6-${suffix()}`, 'swarm', 'Running', 'Running', true));
	}

	subscribe(listener: (event: WatchEvent) => void): () => void {
		this.listeners.add(listener);
		listener({type: 'connection', state: {kind: 'live', since: performance.now()}, at: performance.now()});
		listener({type: 'snapshot', pods: [...this.pods.values()], at: performance.now()});
		return () => this.listeners.delete(listener);
	}

	start(): void {}

	async stop(): Promise<void> {
		for (const timer of this.timers) clearTimeout(timer);
	}

	/** Goldpinger's view: the first goldpinger pod cannot be reached by its peers; web pods are outside its mesh. */
	goldpinger(): GoldpingerStatus {
		const members = [...this.pods.values()].filter((pod) => pod.owner?.name.startsWith('goldpinger') && !pod.deletionTimestamp);
		const sick = members[0]?.name;
		return {
			state: 'ok',
			source: 'fake',
			result: {
				sources: members.map((pod) => ({
					name: pod.name,
					ok: true,
					pings: members.filter((peer) => peer !== pod).map((peer) => ({target: peer.name, ok: peer.name !== sick, responseTimeMs: peer.name === sick ? 300 : 2, timedOut: peer.name === sick})),
				})),
				hosts: members.map((pod) => ({name: pod.name})),
				truncated: false,
				flavour: '3.6+',
				receivedAt: performance.now(),
			},
		};
	}

	async kill(request: KillRequest): Promise<KillResult> {
		const pod = this.pods.get(request.uid);
		if (!pod) return {request, outcome: 'gone', message: 'already gone', at: performance.now()};
		this.update({...pod, deletionTimestamp: new Date().toISOString(), deletionGracePeriodSeconds: 2, status: 'Terminating'}, 'modified');
		this.later(2000, () => this.remove(request.uid));
		if (pod.owner) {
			const name = `${pod.owner.name}-${suffix()}`;
			const owner = pod.owner.name.replace(/-5d9f8c7b6$/, '');
			this.later(150, () => {
				const fresh = makePod(name, owner, 'Pending', 'Pending', false);
				this.update(fresh, 'added');
				this.later(500, () => this.update({...fresh, status: 'ContainerCreating', resourceVersion: String(++version)}, 'modified'));
				this.later(1400, () => this.update({...fresh, phase: 'Running', status: 'Running', resourceVersion: String(++version)}, 'modified'));
				this.later(1900, () => this.update({...fresh, phase: 'Running', status: 'Running', ready: true, readyContainers: 1, resourceVersion: String(++version)}, 'modified'));
			});
		}
		return {request, outcome: 'deleted', message: `deleted ${pod.name}`, at: performance.now()};
	}

	private later(ms: number, action: () => void): void {
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			action();
		}, ms);
		this.timers.add(timer);
	}

	private update(pod: Pod, type: 'added' | 'modified'): void {
		this.pods.set(pod.uid, {...pod, resourceVersion: String(++version)});
		this.emit({type, pod: this.pods.get(pod.uid)!, at: performance.now()});
	}

	private remove(uid: string): void {
		const pod = this.pods.get(uid);
		if (!pod) return;
		this.pods.delete(uid);
		this.emit({type: 'deleted', pod, at: performance.now()});
	}

	private emit(event: WatchEvent): void {
		for (const listener of this.listeners) listener(event);
	}
}

const cluster = new FakeCluster(argument('--pods', 0));
const goldpinger = {
	subscribe(listener: (status: GoldpingerStatus) => void) {
		listener(cluster.goldpinger());
		const timer = setInterval(() => listener(cluster.goldpinger()), 2000);
		return () => clearInterval(timer);
	},
	start() {},
};
const summary = await runGame({
	identity: {context: 'dev', server: 'in-process', namespace: 'dev', selector: '', demo: true},
	source: cluster,
	killer: cluster,
	goldpinger,
	seed: argument('--seed', 1),
});
await cluster.stop();
process.stdout.write(`${formatSummary(summary)}\n`);
