// A kubeconfig for the demo cluster. `insecure-skip-tls-verify: true` is there for client-node, which
// refuses plain-http servers without it (DESIGN §8); kubectl accepts it as well.

const quote = (text: string): string => JSON.stringify(text);

export function demoKubeconfig(serverUrl: string, context = 'demo', namespace = 'default'): string {
	return [
		'apiVersion: v1',
		'kind: Config',
		'clusters:',
		`- name: ${quote(`podinvaders-${context}`)}`,
		'  cluster:',
		`    server: ${quote(serverUrl)}`,
		'    insecure-skip-tls-verify: true',
		'users:',
		`- name: ${quote(`${context}-user`)}`,
		'  user:',
		'    token: demo',
		'contexts:',
		`- name: ${quote(context)}`,
		'  context:',
		`    cluster: ${quote(`podinvaders-${context}`)}`,
		`    user: ${quote(`${context}-user`)}`,
		`    namespace: ${quote(namespace)}`,
		`current-context: ${quote(context)}`,
		'preferences: {}',
		'',
	].join('\n');
}
