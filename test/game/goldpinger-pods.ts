// Slim pods for the health / heat-map tests (only what matching by name and IP needs).
import type {Pod} from '../../src/model/pod.js';

export function pod(name: string, podIP?: string, uid = `uid-${name}`): Pod {
	return {
		uid,
		name,
		namespace: 'default',
		resourceVersion: '1',
		phase: 'Running',
		status: 'Running',
		ready: true,
		readyContainers: 1,
		totalContainers: 1,
		restarts: 0,
		creationTimestamp: '2024-01-01T00:00:00Z',
		...(podIP ? {podIP} : {}),
		labels: {app: 'goldpinger'},
	};
}
