// A TCP pass-through on 127.0.0.1 in front of an API server that can cut every connection and refuse new
// ones for a while: the same "the network went away" for the demo cluster (http) and kube-apiserver (https;
// TLS passes through untouched, and the server certificate names 127.0.0.1, whatever the port).
import net from 'node:net';
import type {ClusterAccess} from '../../src/kube/access.js';

export interface Cutter {
	/** `access` with its server pointed at the cutter. */
	readonly access: ClusterAccess;
	/** Destroys every open connection; until resume(), new ones are closed as soon as they arrive. */
	cut(): void;
	resume(): void;
	/** Connections accepted so far (shows a client really came back). */
	readonly accepted: number;
	close(): Promise<void>;
}

export async function startCutter(access: ClusterAccess): Promise<Cutter> {
	const upstream = new URL(access.server);
	const upstreamPort = Number(upstream.port || (upstream.protocol === 'https:' ? 443 : 80));
	const sockets = new Set<net.Socket>();
	let holding = false;
	let accepted = 0;
	const track = (socket: net.Socket) => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
		socket.on('error', () => undefined); // a cut is expected to break things
	};
	const server = net.createServer((client) => {
		track(client);
		if (holding) {
			client.destroy();
			return;
		}
		accepted++;
		const remote = net.connect(upstreamPort, upstream.hostname.replace(/^\[|\]$/g, ''));
		track(remote);
		client.pipe(remote);
		remote.pipe(client);
		client.once('close', () => remote.destroy());
		remote.once('close', () => client.destroy());
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const address = server.address() as net.AddressInfo;
	return {
		access: {...access, server: `${upstream.protocol}//127.0.0.1:${address.port}`},
		cut() {
			holding = true;
			for (const socket of [...sockets]) socket.destroy();
		},
		resume() {
			holding = false;
		},
		get accepted() {
			return accepted;
		},
		close() {
			holding = true;
			for (const socket of [...sockets]) socket.destroy();
			return new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
