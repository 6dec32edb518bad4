import React from 'react';
import {render, type Instance} from 'ink';
import {createGame, summarize, type GameState, type GameSummary} from '../game/index.js';
import type {ClusterIdentity, PodKillerPort, PodSource} from '../model/ports.js';
import {App} from './app.js';
import {createFrameProbe} from './frame-trace.js';
import {withIncrementalFix} from './ink-incremental-fix.js';
import {installOutputCache} from './ink-output-cache.js';
import {loadSprites} from './sprites.js';
import type {ScopeValidators, SwitchScope} from './scope-prompt.js';
import type {Theme} from './theme.js';
import type {GoldpingerFeed} from './use-goldpinger.js';

export {formatSummary} from '../game/index.js';
export type {GameSummary} from '../game/index.js';
export type {ScopeEngine, ScopeTarget, ScopeValidators, SwitchScope} from './scope-prompt.js';

export interface RunGameOptions {
	readonly identity: ClusterIdentity;
	/** Started by the game as it takes the screen (start is idempotent); stopping it is the caller's job. */
	readonly source: PodSource;
	readonly killer: PodKillerPort;
	/** Goldpinger poller: started by the game; stopping it is the caller's job. */
	readonly goldpinger?: GoldpingerFeed;
	readonly goldpingerProblem?: string;
	readonly refreshMs?: number;
	readonly seed?: number;
	/** --yes: no confirmation before the first kill on a real cluster. */
	readonly yes?: boolean;
	/** The killer was built with server-side dry run (--dry-run): the game says DRY-RUN. */
	readonly dryRun?: boolean;
	/** The user may not delete pods: watch only. */
	readonly spectator?: boolean;
	readonly autopilotSeconds?: number;
	/**
	 * Keys n and /: builds the watcher, killer and poller for another namespace/selector on the same connection
	 * and stops the old ones once switched. Without it the keys say "not available here".
	 */
	readonly switchScope?: SwitchScope;
	/** The prompt's checks (the CLI passes kube/errors.ts validateNamespace and validateLabelSelector). */
	readonly validateScope?: ScopeValidators;
	readonly theme?: Theme;
	readonly stdout?: NodeJS.WriteStream;
	readonly stdin?: NodeJS.ReadStream;
}

export class TerminalRequiredError extends Error {
	readonly exitCode = 2;
}

/**
 * Ink's cap on frames. The game already paces itself (animation ticks every 33 ms, pod batches every 16 ms at
 * most), so this only keeps Ink's throttle from delaying a commit that lands soon after another one: at 30 the
 * two unaligned 33 ms cadences met Ink's own 33 ms window and a pod change waited up to a frame more.
 */
const maxFps = 60;

const enterAltScreen = '\u001b[?1049h\u001b[H\u001b[2J\u001b[?25l';
const leaveAltScreen = '\u001b[?25h\u001b[?1049l';

/**
 * Plays the game full-screen until q / ctrl-c / SIGTERM / SIGHUP, and returns the session summary.
 * The terminal is always given back as it was (main screen, cursor shown, raw mode off), also on an error.
 */
export async function runGame(options: RunGameOptions): Promise<GameSummary> {
	const stdout = options.stdout ?? process.stdout;
	const stdin = options.stdin ?? process.stdin;
	if (!stdout.isTTY || !stdin.isTTY) {
		throw new TerminalRequiredError('the game needs a terminal (stdin and stdout must be a TTY)');
	}
	loadSprites(); // a broken asset fails here, before the screen is taken over
	installOutputCache(); // Ink's frames without redoing unchanged rows (ink-output-cache.ts)
	// The list of pods is fetched while React and Ink mount; the App subscribes later and gets it as a snapshot.
	options.source.start();

	let last: GameState | undefined;
	let instance: Instance | undefined;
	let restored = false;
	const restore = () => {
		if (restored) return;
		restored = true;
		try {
			if (stdin.isTTY) stdin.setRawMode(false);
		} catch {
			// stdin may already be closed
		}
		stdout.write(leaveAltScreen);
	};
	const quit = () => instance?.unmount();
	const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];
	for (const signal of signals) process.on(signal, quit);
	process.once('exit', restore);

	const probe = createFrameProbe();
	stdout.write(enterAltScreen);
	try {
		instance = render(
			<App
				identity={options.identity}
				source={options.source}
				killer={options.killer}
				{...(options.goldpinger ? {goldpinger: options.goldpinger} : {})}
				{...(options.goldpingerProblem ? {goldpingerProblem: options.goldpingerProblem} : {})}
				{...(options.refreshMs !== undefined ? {refreshMs: options.refreshMs} : {})}
				{...(options.seed !== undefined ? {seed: options.seed} : {})}
				{...(options.yes !== undefined ? {yes: options.yes} : {})}
				{...(options.dryRun !== undefined ? {dryRun: options.dryRun} : {})}
				{...(options.spectator !== undefined ? {spectator: options.spectator} : {})}
				{...(options.autopilotSeconds !== undefined ? {autopilotSeconds: options.autopilotSeconds} : {})}
				{...(options.switchScope ? {switchScope: options.switchScope} : {})}
				{...(options.validateScope ? {validateScope: options.validateScope} : {})}
				{...(options.theme ? {theme: options.theme} : {})}
				{...(probe ? {probe} : {})}
				onState={(state) => {
					last = state;
				}}
			/>,
			{stdout: withIncrementalFix(stdout, probe ? (chunk) => probe.written(chunk) : undefined), stdin, exitOnCtrlC: false, maxFps, incrementalRendering: true, patchConsole: false},
		);
		await instance.waitUntilExit();
	} finally {
		instance?.unmount();
		for (const signal of signals) process.off(signal, quit);
		process.off('exit', restore);
		restore();
	}
	return summarize(last ?? createGame({width: 0, height: 0}));
}
