import type {Pod} from './pod.js';

// What the PodWatcher tells its listeners. The game reduces these; the experiments read them too.

export type ConnectionState =
	| {readonly kind: 'connecting'}
	/** Listing: `loaded` pods so far (pages of a huge namespace), so the UI can show progress. */
	| {readonly kind: 'listing'; readonly loaded: number}
	| {readonly kind: 'live'; readonly since: number}
	/** The watch ended or failed; retrying with backoff. `error` is a one-line human message. */
	| {readonly kind: 'reconnecting'; readonly attempt: number; readonly error?: string; readonly retryInMs: number}
	/** Gave up or cannot go on (e.g. 403 on list): a one-line human message. */
	| {readonly kind: 'error'; readonly error: string};

export type WatchEvent =
	/** The full set after a (re)list: replaces everything the listener knew. */
	| {readonly type: 'snapshot'; readonly pods: readonly Pod[]; readonly at: number}
	| {readonly type: 'added' | 'modified' | 'deleted'; readonly pod: Pod; readonly at: number}
	| {readonly type: 'connection'; readonly state: ConnectionState; readonly at: number};
