// Finds differences between the demo cluster and the real kube-apiserver: the same requests (the ones
// podinvaders, kubectl and the tests rely on) against both, each answer flattened to `path = value` lines
// with volatile values (uids, resourceVersions, times, generated names, IPs) replaced by placeholders,
// then the lines only one of them gave. Not a test: a tool for test/contract/DIFFERENCES.md.
//   npx tsx test/contract/compare.ts [--all]      (--all: also the fields the client never reads)
import {request, type HttpResponse} from '../../src/kube/http.js';
import type {ClusterAccess} from '../../src/kube/access.js';
import {podFromObject} from '../../src/model/pod.js';
import {realToolchainAvailable} from '../real-cluster/backend.js';
import {sleep, startBackend, type BackendName, type ContractBackend} from './backend.js';

const showAll = process.argv.includes('--all');
/** Fields that only a real node/admission chain fills in and no client of ours reads (shown with --all). */
const quiet = /(^|\.)(managedFields|volumes|volumeMounts|tolerations|enableServiceLinks|preemptionPolicy|priority|dnsPolicy|schedulerName|securityContext|serviceAccount|serviceAccountName|terminationMessagePath|terminationMessagePolicy|imagePullPolicy|resources|qosClass|imageID|description|hostIPs|lastProbeTime)(\.|\[|$)/;

type Step = {title: string; lines: string[]};

function flatten(value: unknown, path: string, out: string[]): void {
	if (Array.isArray(value)) {
		if (value.length === 0) out.push(`${path} = []`);
		value.forEach((item, index) => flatten(item, `${path}[${index}]`, out));
	} else if (value !== null && typeof value === 'object') {
		const entries = Object.entries(value);
		if (entries.length === 0) out.push(`${path} = {}`);
		for (const [key, item] of entries) flatten(item, path ? `${path}.${key}` : key, out);
	} else {
		out.push(`${path} = ${JSON.stringify(value)}`);
	}
}

function normalizer(namespace: string): (text: string) => string {
	return (text) =>
		text
			.replaceAll(namespace, '<ns>')
			.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uid>')
			.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
			.replace(/(resourceVersion|"rv") = "\d+"/g, '$1 = "<rv>"')
			.replace(/\b(web-[a-z0-9]{8,10})-[a-z0-9]{5}\b/g, 'web-<hash>-<rand>')
			.replace(/\bweb-[a-z0-9]{8,10}\b/g, 'web-<hash>')
			.replace(/\b(\d{1,3}\.){3}\d{1,3}\b/g, '<ip>')
			.replace(/\b(kwok-node-\d|demo-node-\d)\b/g, '<node>')
			.replace(/\b\d+(s|m\d*s?)\b/g, '<age>')
			.replace(/resource version: \d+ \(\d+\)/g, 'resource version: <rv> (<rv>)')
			.replace(/"(\d{2,})"/g, '"<n>"');
}

function describe(response: HttpResponse): string[] {
	const lines = [`HTTP ${response.status} ${String(response.headers['content-type'] ?? '').split(';')[0]}`];
	const text = response.body.toString('utf8');
	const chunks = text.includes('\n{') ? text.split('\n').filter(Boolean) : [text];
	chunks.forEach((chunk, index) => {
		try {
			const out: string[] = [];
			flatten(JSON.parse(chunk), chunks.length > 1 ? `#${index}` : '', out);
			lines.push(...out.filter((line) => showAll || !quiet.test(line.split(' = ')[0]!)));
		} catch {
			lines.push(`text: ${chunk.slice(0, 200)}`);
		}
	});
	return lines;
}

/** One line per watch event: type, pod, STATUS as kubectl prints it, ready, terminating. */
function lifecycle(response: HttpResponse): string[] {
	const names = new Map<string, string>();
	return response.body
		.toString('utf8')
		.split('\n')
		.filter(Boolean)
		.map((line) => JSON.parse(line) as {type: string; object: unknown})
		.filter((event) => event.type !== 'BOOKMARK')
		.map((event) => {
			const pod = podFromObject(event.object);
			if (!names.has(pod.uid)) names.set(pod.uid, `pod${names.size + 1}`);
			return `${event.type} ${names.get(pod.uid)} ${pod.status} ready=${pod.ready}${pod.deletionTimestamp ? ` terminating(grace ${pod.deletionGracePeriodSeconds})` : ''}`;
		});
}

async function scenario(backend: ContractBackend): Promise<Step[]> {
	const steps: Step[] = [];
	const b = backend;
	const namespace = await b.createNamespace('compare');
	const norm = normalizer(namespace);
	const ns = `/api/v1/namespaces/${namespace}`;
	const step = async (title: string, access: ClusterAccess, options: Parameters<typeof request>[1]) => {
		const response = await request(access, {timeoutMs: 15_000, ...options});
		steps.push({title: `${title}: ${options.method ?? 'GET'} ${options.path.replace(namespace, '<ns>')}`, lines: describe(response).map(norm)});
		return response;
	};
	const table = {Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json'};

	await step('get namespace', b.access, {path: ns});
	await step('create deployment', b.access, {
		method: 'POST',
		path: `/apis/apps/v1/namespaces/${namespace}/deployments`,
		body: {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web', labels: {app: 'web'}}, spec: {replicas: 2, selector: {matchLabels: {app: 'web'}}, template: {metadata: {labels: {app: 'web'}}, spec: {terminationGracePeriodSeconds: 5, containers: [{name: 'main', image: 'registry.k8s.io/pause:3.10'}]}}}},
	});
	await b.waitFor(async () => (await b.listPods(namespace)).filter((pod) => pod.ready).length === 2, 'two Ready pods');
	await sleep(1500); // let every controller settle (status updates)
	const list = await step('list pods limit=1', b.access, {path: `${ns}/pods`, query: {limit: 1}});
	const listed = JSON.parse(list.body.toString()) as {metadata: {resourceVersion: string; continue?: string}};
	await step('list pods page 2', b.access, {path: `${ns}/pods`, query: {limit: 1, continue: listed.metadata.continue}});
	await step('list pods as Table', b.access, {path: `${ns}/pods`, headers: table});
	await step('get deployment', b.access, {path: `/apis/apps/v1/namespaces/${namespace}/deployments/web`});
	await step('list replicasets', b.access, {path: `/apis/apps/v1/namespaces/${namespace}/replicasets`});
	const pods = await b.listPods(namespace);
	const [first, second] = pods;
	await step('get pod as Table', b.access, {path: `${ns}/pods/${first!.name}`, headers: table});
	await step('fieldSelector metadata.name', b.access, {path: `${ns}/pods`, query: {fieldSelector: `metadata.name=${first!.name}`}});
	await step('unknown namespace: list pods', b.access, {path: '/api/v1/namespaces/no-such-ns/pods'});
	await step('unknown namespace: get', b.access, {path: '/api/v1/namespaces/no-such-ns'});
	await step('unknown pod: get', b.access, {path: `${ns}/pods/no-such-pod`});
	await step('unknown pod: delete', b.access, {method: 'DELETE', path: `${ns}/pods/no-such-pod`});
	await step('delete wrong uid', b.access, {method: 'DELETE', path: `${ns}/pods/${first!.name}`, body: {kind: 'DeleteOptions', apiVersion: 'v1', preconditions: {uid: '00000000-0000-0000-0000-000000000000'}}});
	// dryRun in the body: beside a body, kube-apiserver ignores the query's DeleteOptions.
	await step('delete dry run', b.access, {method: 'DELETE', path: `${ns}/pods/${first!.name}`, body: {kind: 'DeleteOptions', apiVersion: 'v1', dryRun: ['All'], preconditions: {uid: first!.uid}}});
	await step('limited: list pods (bound)', b.limitedAccess, {path: `${ns}/pods`, query: {limit: 1}});
	await step('limited: list pods (default, not bound)', b.limitedAccess, {path: '/api/v1/namespaces/default/pods'});
	await step('limited: delete pod', b.limitedAccess, {method: 'DELETE', path: `${ns}/pods/${first!.name}`});
	await step('limited: eviction', b.limitedAccess, {method: 'POST', path: `${ns}/pods/${first!.name}/eviction`, body: {apiVersion: 'policy/v1', kind: 'Eviction', metadata: {name: first!.name}}});
	await step('limited: SelfSubjectAccessReview delete pods', b.limitedAccess, {
		method: 'POST',
		path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
		body: {apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: {resourceAttributes: {namespace, verb: 'delete', resource: 'pods'}}},
	});
	await step('admin: SelfSubjectAccessReview delete pods', b.access, {
		method: 'POST',
		path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
		body: {apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: {resourceAttributes: {namespace, verb: 'delete', resource: 'pods'}}},
	});
	await step('post event', b.access, {
		method: 'POST',
		path: `${ns}/events`,
		body: {apiVersion: 'v1', kind: 'Event', metadata: {generateName: `${first!.name}.`}, involvedObject: {apiVersion: 'v1', kind: 'Pod', name: first!.name, namespace, uid: first!.uid}, reason: 'Killing', message: 'deleted by podinvaders (player)', type: 'Normal', source: {component: 'podinvaders'}, reportingComponent: 'podinvaders', reportingInstance: 'host', firstTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), lastTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), count: 1},
	});

	// A watch from the list's resourceVersion while a pod is deleted with a grace period: every event.
	const from = (JSON.parse((await request(b.access, {path: `${ns}/pods`})).body.toString()) as {metadata: {resourceVersion: string}}).metadata.resourceVersion;
	const watching = step('watch while a pod is deleted (grace 5) and replaced', b.access, {path: `${ns}/pods`, query: {watch: 1, resourceVersion: from, allowWatchBookmarks: true, timeoutSeconds: 4}, timeoutMs: 20_000});
	await sleep(300);
	await step('delete grace 5', b.access, {method: 'DELETE', path: `${ns}/pods/${second!.name}`, query: {gracePeriodSeconds: 5}});
	const watched = await watching;
	steps.push({title: 'the same watch as kubectl would summarise it', lines: lifecycle(watched).map(norm)});
	await step('get terminating pod', b.access, {path: `${ns}/pods/${second!.name}`});
	await step('eviction (admin)', b.access, {method: 'POST', path: `${ns}/pods/${first!.name}/eviction`, body: {apiVersion: 'policy/v1', kind: 'Eviction', metadata: {name: first!.name}, deleteOptions: {dryRun: ['All']}}});
	// After the history is compacted: a watch from the old version, and a list page from an old continue token.
	await b.expireHistory();
	await step('watch from a compacted resourceVersion', b.access, {path: `${ns}/pods`, query: {watch: 1, resourceVersion: from, timeoutSeconds: 2}});
	await step('list with an expired continue token', b.access, {path: `${ns}/pods`, query: {limit: 1, continue: listed.metadata.continue}});
	await step('list resourceVersionMatch=Exact from a compacted version', b.access, {path: `${ns}/pods`, query: {resourceVersion: from, resourceVersionMatch: 'Exact'}});
	return steps;
}

async function run(name: BackendName): Promise<Step[]> {
	// KWOK's lifelike stages: the real side then has a kubelet-like Pending → Running and graceful Terminating.
	const backend = await startBackend(name, {expirable: true, kwokStages: 'general'});
	try {
		return await scenario(backend);
	} finally {
		await backend.close();
	}
}

const check = realToolchainAvailable({requireBuilt: true});
if (!check.ok) {
	console.error(`compare: needs the real control plane: ${check.why}`);
	process.exit(2);
}
const [demo, real] = [await run('demo'), await run('real')];
let differences = 0;
for (const [index, realStep] of real.entries()) {
	const demoStep = demo[index]!;
	const onlyReal = realStep.lines.filter((line) => !demoStep.lines.includes(line));
	const onlyDemo = demoStep.lines.filter((line) => !realStep.lines.includes(line));
	console.log(`### ${realStep.title}${onlyReal.length + onlyDemo.length === 0 ? ' — same' : ''}`);
	if (realStep.title.startsWith('the same watch')) {
		// A sequence: shown whole, side by side.
		console.log(`  real: ${realStep.lines.join('\n        ')}`);
		console.log(`  demo: ${demoStep.lines.join('\n        ')}`);
		continue;
	}
	for (const line of onlyReal) console.log(`  real only: ${line}`);
	for (const line of onlyDemo) console.log(`  demo only: ${line}`);
	differences += onlyReal.length + onlyDemo.length;
}
console.log(`${differences} differing lines`);
