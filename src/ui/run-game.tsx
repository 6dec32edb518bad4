import React from 'react';
import {render, type Instance} from 'ink';
import {createGame, summarize, type GameState, type GameSummary} from '../game/index.js';
import {App, type AppProps} from './app.js';
import {createFrameProbe} from './frame-trace.js';
import {withIncrementalFix} from './ink-incremental-fix.js';
import {installOutputCache} from './ink-output-cache.js';
import {loadSprites} from './sprites.js';

export {formatSummary} from '../game/index.js';
export type {GameSummary} from '../game/index.js';
export type {ScopeEngine, ScopeTarget, ScopeValidators, SwitchScope} from './scope-prompt.js';

/**
 * What the game plays against, as the App takes it (AppProps: identity, source — started by the game, stopped by
 * the caller —, killer, goldpinger, switchScope, …), plus the terminal to take over. Sizes, sprites, the frame
 * probe and the state callback are runGame's own business.
 */
export interface RunGameOptions extends Omit<AppProps, 'size' | 'sprites' | 'onState' | 'probe'> {
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
	const {stdout: givenStdout, stdin: givenStdin, ...appProps} = options;
	const stdout = givenStdout ?? process.stdout;
	const stdin = givenStdin ?? process.stdin;
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
				{...appProps}
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
