// What a fresh demo cluster holds. Always: the four system namespaces, three nodes, the `kubernetes`
// Service, CoreDNS in kube-system. Default scenario: the book's Goldpinger (goldpinger-rbac.yml with
// rbac/v1, goldpinger.yml) as if `kubectl apply`'d, plus livelier `web` and `worker` Deployments, and with
// `extraPods` one big `swarm` Deployment for load tests.
import os from 'node:os';
import {kubernetesVersion} from './discovery.js';
import {demoNodes} from './kubelet.js';
import {canonicalJson, type Json} from './util.js';

export type Scenario = 'default' | 'empty';

export interface ScenarioStep {
	/** Objects created at this point of the (backdated) history. */
	ageSeconds: number;
	objects: Json[];
}

/** The annotation `kubectl apply` leaves: the applied config as JSON with sorted keys and `annotations: {}`. */
export function withLastApplied(config: Json): Json {
	const metadata = {...(config['metadata'] as Json)};
	const applied = canonicalJson({...config, metadata: {...metadata, annotations: {}}});
	return {...config, metadata: {...metadata, annotations: {'kubectl.kubernetes.io/last-applied-configuration': `${applied}\n`}}};
}

const namespace = (name: string): Json => ({apiVersion: 'v1', kind: 'Namespace', metadata: {name}});

function node(name: string, index: number): Json {
	return {
		apiVersion: 'v1',
		kind: 'Node',
		metadata: {
			name,
			labels: {
				'kubernetes.io/hostname': name,
				'kubernetes.io/os': 'linux',
				'kubernetes.io/arch': process.arch === 'x64' ? 'amd64' : process.arch,
				...(index === 0 ? {'node-role.kubernetes.io/control-plane': ''} : {}),
			},
		},
		spec: {podCIDR: `127.${index + 1}.0.0/16`},
		status: {
			capacity: {cpu: '4', memory: '8Gi', pods: '110'},
			allocatable: {cpu: '4', memory: '8Gi', pods: '110'},
			conditions: [
				{type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available'},
				{type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure'},
				{type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available'},
				{type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status'},
			],
			addresses: [
				{type: 'InternalIP', address: '127.0.0.1'},
				{type: 'Hostname', address: name},
			],
			nodeInfo: {
				kubeletVersion: kubernetesVersion.gitVersion,
				kubeProxyVersion: kubernetesVersion.gitVersion,
				osImage: 'podinvaders demo cluster',
				kernelVersion: os.release(),
				containerRuntimeVersion: 'podinvaders://0.1.0',
				operatingSystem: 'linux',
				architecture: process.arch === 'x64' ? 'amd64' : process.arch,
			},
		},
	};
}

function deployment(ns: string, name: string, replicas: number, labels: Record<string, string>, container: Json, extra: Json = {}): Json {
	return {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: {name, namespace: ns, labels: {...labels}},
		spec: {
			replicas,
			selector: {matchLabels: {...labels}},
			template: {metadata: {labels: {...labels}}, spec: {...extra, containers: [container]}},
		},
	};
}

export function demoDeployment(ns: string, name: string, replicas: number, labels: Record<string, string>, image = 'registry.k8s.io/pause:3.10'): Json {
	return deployment(ns, name, replicas, labels, {name, image});
}

/** The book's goldpinger-rbac.yml (with rbac.authorization.k8s.io/v1: v1beta1 is no longer served). */
export const bookGoldpingerRbac: Json[] = [
	{
		apiVersion: 'rbac.authorization.k8s.io/v1',
		kind: 'ClusterRole',
		metadata: {name: 'goldpinger-clusterrole'},
		rules: [{apiGroups: [''], resources: ['pods'], verbs: ['list']}],
	},
	{apiVersion: 'v1', kind: 'ServiceAccount', metadata: {name: 'goldpinger-serviceaccount', namespace: 'default'}},
	{
		apiVersion: 'rbac.authorization.k8s.io/v1',
		kind: 'ClusterRoleBinding',
		metadata: {name: 'goldpinger-clusterrolebinding'},
		roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'goldpinger-clusterrole'},
		subjects: [{kind: 'ServiceAccount', name: 'goldpinger-serviceaccount', namespace: 'default'}],
	},
];

/** The book's goldpinger.yml: Deployment (3 replicas) + Service on 8080. */
export const bookGoldpinger: Json[] = [
	{
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: {name: 'goldpinger', namespace: 'default', labels: {app: 'goldpinger'}},
		spec: {
			replicas: 3,
			selector: {matchLabels: {app: 'goldpinger'}},
			template: {
				metadata: {labels: {app: 'goldpinger'}},
				spec: {
					serviceAccount: 'goldpinger-serviceaccount',
					containers: [
						{
							name: 'goldpinger',
							image: 'docker.io/bloomberg/goldpinger:v3.0.0',
							env: [
								{name: 'REFRESH_INTERVAL', value: '2'},
								{name: 'HOST', value: '0.0.0.0'},
								{name: 'PORT', value: '8080'},
								{name: 'POD_IP', valueFrom: {fieldRef: {fieldPath: 'status.podIP'}}},
							],
							ports: [{containerPort: 8080, name: 'http'}],
						},
					],
				},
			},
		},
	},
	{
		apiVersion: 'v1',
		kind: 'Service',
		metadata: {name: 'goldpinger', namespace: 'default', labels: {app: 'goldpinger'}},
		spec: {type: 'LoadBalancer', ports: [{port: 8080, name: 'http'}], selector: {app: 'goldpinger'}},
	},
];

export function scenarioSteps(scenario: Scenario, extraPods: number): ScenarioStep[] {
	const steps: ScenarioStep[] = [
		{
			ageSeconds: 21 * 3600,
			objects: [
				...['default', 'kube-system', 'kube-public', 'kube-node-lease'].map(namespace),
				...demoNodes.map(node),
				{
					apiVersion: 'v1',
					kind: 'Service',
					metadata: {name: 'kubernetes', namespace: 'default', labels: {component: 'apiserver', provider: 'kubernetes'}},
					spec: {clusterIP: '10.96.0.1', ports: [{name: 'https', port: 443, protocol: 'TCP', targetPort: 6443}], sessionAffinity: 'None', type: 'ClusterIP'},
				},
				deployment('kube-system', 'coredns', 2, {'k8s-app': 'kube-dns'}, {name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.11.3', args: ['-conf', '/etc/coredns/Corefile'], ports: [{containerPort: 53, name: 'dns', protocol: 'UDP'}, {containerPort: 53, name: 'dns-tcp', protocol: 'TCP'}, {containerPort: 9153, name: 'metrics', protocol: 'TCP'}]}),
				{
					apiVersion: 'v1',
					kind: 'Service',
					metadata: {name: 'kube-dns', namespace: 'kube-system', labels: {'k8s-app': 'kube-dns', 'kubernetes.io/name': 'CoreDNS'}},
					spec: {clusterIP: '10.96.0.10', selector: {'k8s-app': 'kube-dns'}, ports: [{name: 'dns', port: 53, protocol: 'UDP', targetPort: 53}, {name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53}, {name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153}]},
				},
			],
		},
	];
	if (scenario === 'default') {
		steps.push({ageSeconds: 20 * 3600, objects: [...bookGoldpingerRbac, ...bookGoldpinger].map(withLastApplied)});
		steps.push({
			ageSeconds: 3 * 3600 + 17 * 60,
			objects: [
				deployment('default', 'web', 12, {app: 'web', tier: 'frontend'}, {name: 'nginx', image: 'nginx:1.27', ports: [{containerPort: 80, name: 'http'}]}),
				{apiVersion: 'v1', kind: 'Service', metadata: {name: 'web', namespace: 'default', labels: {app: 'web'}}, spec: {selector: {app: 'web'}, ports: [{port: 80, targetPort: 'http', name: 'http'}]}},
				deployment('default', 'worker', 8, {app: 'worker', tier: 'backend'}, {name: 'worker', image: 'busybox:1.36', command: ['sh', '-c', 'while true; do sleep 5; done']}),
			],
		});
	}
	if (extraPods > 0) {
		steps.push({ageSeconds: 47 * 60, objects: [demoDeployment('default', 'swarm', extraPods, {app: 'swarm'})]});
	}
	return steps;
}
