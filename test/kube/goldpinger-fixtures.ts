// Goldpinger /check_all replies in the shapes really served (shared/research/goldpinger.md §6): 3.10 with a
// timed-out peer (after the replicatedhq/troubleshoot capture), 3.0 with dnsResults, and hostile ones.

/** 3 pods; `jj9mw` is unreachable (timeouts from its peers and its /check failed). Sub-ms pings omit response-time-ms. */
export const checkAllWithTimeout = {
	hosts: [
		{hostIP: '100.64.0.1', podIP: '10.32.0.9', podName: 'goldpinger-4hctt'},
		{hostIP: '100.64.0.2', podIP: '10.32.1.2', podName: 'goldpinger-tbdsb'},
		{hostIP: '100.64.0.3', podIP: '10.32.2.2', podName: 'goldpinger-jj9mw'},
	],
	responses: {
		'goldpinger-4hctt': {
			HostIP: '100.64.0.1',
			OK: true,
			PodIP: '10.32.0.9',
			response: {
				podResults: {
					'goldpinger-4hctt': {HostIP: '100.64.0.1', OK: true, PingTime: '2023-12-06T16:45:41.971Z', PodIP: '10.32.0.9', response: {boot_time: '2023-12-06T14:13:58.540Z'}, 'status-code': 200},
					'goldpinger-jj9mw': {HostIP: '100.64.0.3', OK: false, PingTime: '2023-12-06T16:45:22.113Z', PodIP: '10.32.2.2', error: 'Get "http://10.32.2.2:80/ping": context deadline exceeded', 'response-time-ms': 300, 'status-code': 504},
					'goldpinger-tbdsb': {HostIP: '100.64.0.2', OK: true, PingTime: '2023-12-06T16:45:41.001Z', PodIP: '10.32.1.2', response: {boot_time: '2023-12-06T14:13:58.540Z'}, 'response-time-ms': 1, 'status-code': 200},
				},
			},
		},
		'goldpinger-jj9mw': {HostIP: '100.64.0.3', OK: false, PodIP: '10.32.2.2', error: 'Get "http://10.32.2.2:80/check": context deadline exceeded'},
		'goldpinger-tbdsb': {
			HostIP: '100.64.0.2',
			OK: true,
			PodIP: '10.32.1.2',
			response: {
				podResults: {
					'goldpinger-4hctt': {HostIP: '100.64.0.1', OK: true, PodIP: '10.32.0.9', 'response-time-ms': 2, 'status-code': 200},
					'goldpinger-jj9mw': {HostIP: '100.64.0.3', OK: false, PodIP: '10.32.2.2', error: 'Get "http://10.32.2.2:80/ping": dial tcp 10.32.2.2:80: connect: connection refused', 'response-time-ms': 3, 'status-code': 504},
					'goldpinger-tbdsb': {HostIP: '100.64.0.2', OK: true, PodIP: '10.32.1.2', 'status-code': 200},
				},
			},
		},
	},
};

/** v3.0.0: dnsResults at both levels, everything reachable; one peer behind a 250 ms proxy. */
export const checkAllV30 = {
	dnsResults: {'1.1.1.1': {'goldpinger-a': {}, 'goldpinger-b': {}}},
	hosts: [
		{hostIP: '10.0.0.1', podIP: '10.1.0.1', podName: 'goldpinger-a'},
		{hostIP: '10.0.0.1', podIP: '10.1.0.2', podName: 'goldpinger-b'},
	],
	responses: {
		'goldpinger-a': {
			HostIP: '10.0.0.1',
			OK: true,
			PodIP: '10.1.0.1',
			response: {
				dnsResults: {'1.1.1.1': {'response-time-ms': 9}},
				podResults: {
					'goldpinger-a': {OK: true, PodIP: '10.1.0.1', 'status-code': 200},
					'goldpinger-b': {OK: true, PodIP: '10.1.0.2', 'response-time-ms': 251, 'status-code': 200},
				},
			},
		},
		'goldpinger-b': {
			HostIP: '10.0.0.1',
			OK: true,
			PodIP: '10.1.0.2',
			response: {
				podResults: {
					'goldpinger-a': {OK: true, PodIP: '10.1.0.1', 'response-time-ms': 1, 'status-code': 200},
					'goldpinger-b': {OK: true, PodIP: '10.1.0.2', 'response-time-ms': 252, 'status-code': 200},
				},
			},
		},
	},
};
