import React, {useCallback, useEffect, useMemo, useReducer, useRef} from 'react';
import {Box, Text, useApp, useStdin} from 'ink';
import {
	createGame,
	lookOf,
	reduceAll,
	type GameEvent,
	type GameState,
	type Intent,
	type Message,
} from '../game/index.js';
import type {ClusterIdentity, PodKillerPort, PodSource} from '../model/ports.js';
import {sanitizeLine} from '../model/sanitize.js';
import {Battlefield} from './battlefield.js';
import {Cannon} from './cannon.js';
import {composeField} from './compose-field.js';
import {Confirm} from './confirm.js';
import type {FrameProbe} from './frame-trace.js';
import {HeatMap} from './heat-map.js';
import {Help} from './help.js';
import {KeyHints} from './key-hints.js';
import {PromptLine} from './prompt-line.js';
import type {ScopeField, ScopeValidators, SwitchScope} from './scope-prompt.js';
import {SidePanel} from './side-panel.js';
import {loadSprites, type Sprites} from './sprites.js';
import {StatusBar, type PodCounts} from './status-bar.js';
import {pickTheme, textProps, type Theme} from './theme.js';
import {minColumns, minRows, TooSmall} from './too-small.js';
import {useGameLoop} from './use-game-loop.js';
import {useGoldpinger, type GoldpingerFeed} from './use-goldpinger.js';
import {useKeys} from './use-keys.js';
import {useKiller} from './use-killer.js';
import {usePodSource} from './use-pod-source.js';
import {useScopeSwitch} from './use-scope-switch.js';
import {useTerminalSize, type TerminalSize} from './use-terminal-size.js';

export interface AppProps {
	readonly identity: ClusterIdentity;
	readonly source: PodSource;
	readonly killer: PodKillerPort;
	/** Goldpinger poller (kube/goldpinger.ts); absent: no colouring by health, no heat map. */
	readonly goldpinger?: GoldpingerFeed;
	/** Why Goldpinger is off (shown where the heat map would be). */
	readonly goldpingerProblem?: string;
	readonly refreshMs?: number;
	readonly seed?: number;
	readonly yes?: boolean;
	readonly dryRun?: boolean;
	readonly spectator?: boolean;
	readonly autopilotSeconds?: number;
	/** Fixed terminal size (tests); otherwise the real one, kept current on resize. */
	readonly size?: TerminalSize;
	readonly theme?: Theme;
	readonly sprites?: Sprites;
	/** Called after every state change (runGame keeps the last one for the summary). */
	readonly onState?: (state: GameState) => void;
	/** Bench marks (PODINVADERS_TRACE), see frame-trace.ts. */
	readonly probe?: FrameProbe;
	/** Keys n and /: builds the engine for another namespace/selector (the CLI); absent: "not available here". */
	readonly switchScope?: SwitchScope;
	/** How the prompt checks a value before switchScope is called (default: the namespace name rule only). */
	readonly validateScope?: ScopeValidators;
}

export interface ScreenLayout {
	readonly tooSmall: boolean;
	readonly height: number;
	readonly panelWidth: number;
	readonly fieldWidth: number;
	readonly fieldHeight: number;
	/** Without a side panel, one line shows the latest news. */
	readonly ticker: boolean;
}

/** Where everything goes for a terminal size. The root is rows - 1 tall: Ink clears the screen every frame otherwise. */
export function screenLayout(size: TerminalSize): ScreenLayout {
	const tooSmall = size.columns < minColumns || size.rows < minRows;
	const height = Math.max(1, size.rows - 1);
	const panelWidth = size.columns >= 80 ? Math.min(46, Math.max(30, Math.round(size.columns * 0.3))) : 0;
	const ticker = panelWidth === 0;
	return {
		tooSmall,
		height,
		panelWidth,
		fieldWidth: size.columns - panelWidth,
		fieldHeight: Math.max(0, height - 2 - (ticker ? 1 : 0)),
		ticker,
	};
}

const gameReducer = (state: GameState, events: readonly GameEvent[]): GameState => reduceAll(state, events);

function countPods(state: GameState): PodCounts {
	const counts = {ready: 0, notReady: 0, pending: 0, terminating: 0, failed: 0, done: 0, unhealthy: 0};
	const byUid = state.health?.byUid ?? null;
	for (const [uid, invader] of state.pods) {
		const look = lookOf(invader.pod, byUid?.get(uid));
		if (look === 'ready' || look === 'health-unknown') counts.ready++;
		else if (look === 'not-ready') counts.notReady++;
		else if (look === 'pending' || look === 'creating') counts.pending++;
		else if (look === 'terminating') counts.terminating++;
		else if (look === 'failed') counts.failed++;
		else if (look === 'done') counts.done++;
		else if (look === 'unhealthy') counts.unhealthy++;
	}
	return counts;
}

const toneRole = {info: 'text', good: 'good', bad: 'bad', warn: 'warn', fun: 'fun'} as const;

function Ticker({message, width, theme}: {readonly message: Message | undefined; readonly width: number; readonly theme: Theme}) {
	return (
		<Box width={width} height={1}>
			<Text wrap="truncate" {...textProps(theme, message ? toneRole[message.tone] : 'muted')}>
				{message ? ` ${message.text}` : ' '}
			</Text>
		</Box>
	);
}

export function App(props: AppProps) {
	const size = useTerminalSize(props.size);
	const screen = screenLayout(size);
	const theme = props.theme ?? pickTheme();
	const sprites = props.sprites ?? loadSprites();
	const {exit} = useApp();
	const {isRawModeSupported} = useStdin();

	const [state, dispatch] = useReducer(gameReducer, undefined, () =>
		createGame({
			width: screen.fieldWidth,
			height: screen.fieldHeight,
			now: performance.now(),
			seed: props.seed ?? 1,
			demo: props.identity.demo,
			...(props.yes !== undefined ? {yes: props.yes} : {}),
			...(props.dryRun !== undefined ? {dryRun: props.dryRun} : {}),
			...(props.spectator !== undefined ? {spectator: props.spectator} : {}),
			...(props.autopilotSeconds !== undefined ? {autopilotSeconds: props.autopilotSeconds} : {}),
			namespace: props.identity.namespace,
			selector: props.identity.selector,
		}),
	);
	const latest = useRef(state);
	latest.current = state;
	props.probe?.rendering(state);
	useEffect(() => props.onState?.(state), [state, props.onState]);

	useEffect(() => {
		dispatch([{type: 'resize', width: screen.fieldWidth, height: screen.fieldHeight}]);
	}, [screen.fieldWidth, screen.fieldHeight]);

	const onQuit = useCallback(() => exit(), [exit]);
	// The first engine comes in as props; keys n and / swap in another one (use-scope-switch.ts).
	const initialEngine = useMemo(
		() => ({
			identity: props.identity,
			source: props.source,
			killer: props.killer,
			...(props.goldpinger ? {goldpinger: props.goldpinger} : {}),
			...(props.goldpingerProblem ? {goldpingerProblem: props.goldpingerProblem} : {}),
			spectator: props.spectator ?? false,
		}),
		// eslint-disable-next-line react-hooks/exhaustive-deps -- only the first one: later ones come from switches
		[],
	);
	const scope = useScopeSwitch(initialEngine, props.switchScope, props.validateScope, dispatch, onQuit);
	const engine = scope.engine;

	usePodSource(engine.source, dispatch, scope.isCurrentSource);
	useKiller(state.outbox, state.mode.dryRun, engine.killer, dispatch, props.dryRun ?? false);
	useGameLoop(state, dispatch);
	const refreshMs = props.refreshMs ?? 2000;
	const currentPods = useCallback(() => [...latest.current.pods.values()].map((invader) => invader.pod), []);
	const goldpinger = useGoldpinger(engine.goldpinger, engine.goldpingerProblem, refreshMs, currentPods, dispatch);

	const onIntent = useCallback((intent: Intent) => dispatch([{type: 'intent', intent, at: performance.now()}]), []);
	const onPrompt = useCallback(
		(field: ScopeField) => {
			if (latest.current.autopilot.on) onIntent('escape'); // nobody fires while the player types
			scope.open(field);
		},
		[onIntent, scope.open],
	);
	useKeys(state.overlay, state.autopilot.on, onIntent, onQuit, isRawModeSupported, onPrompt, scope.onKey);

	const identity = useMemo(
		() => ({
			context: sanitizeLine(engine.identity.context, 40) || '?',
			namespace: sanitizeLine(engine.identity.namespace, 63) || 'default',
			selector: sanitizeLine(engine.identity.selector, 80),
			server: sanitizeLine(engine.identity.server, 80),
		}),
		[engine.identity],
	);
	const counts = useMemo(() => countPods(state), [state.pods, state.health]);
	const field = useMemo(
		() => composeField(state, sprites, theme, {where: `${identity.context}/${identity.namespace}`, selector: identity.selector}),
		[state, sprites, theme, identity],
	);

	const heatMap = useMemo(() => {
		if (!goldpinger || goldpinger.state === 'off' || goldpinger.state === 'waiting') return undefined;
		return ({width, height}: {readonly width: number; readonly height: number}) => (
			<HeatMap status={goldpinger} now={performance.now()} refreshMs={refreshMs} width={width} height={height} color={theme.color} />
		);
	}, [goldpinger, refreshMs, theme]);
	const heatNote = engine.goldpinger
		? goldpinger?.state === 'off'
			? (goldpinger.message ?? 'no Goldpinger: health colouring off')
			: heatMap
				? undefined
				: 'goldpinger: waiting for the first reply…'
		: engine.goldpingerProblem;

	if (screen.tooSmall) return <TooSmall columns={size.columns} rows={size.rows} theme={theme} />;

	const main =
		state.overlay === 'help' ? (
			<Help width={size.columns} height={screen.fieldHeight} theme={theme} sprites={sprites} />
		) : state.overlay === 'confirm' ? (
			<Confirm width={screen.fieldWidth} height={screen.fieldHeight} theme={theme} {...identity} />
		) : state.layout.tooSmall ? (
			<Box width={screen.fieldWidth} height={screen.fieldHeight}>
				<Text {...textProps(theme, 'warn')}>battlefield too small: make the terminal larger</Text>
			</Box>
		) : (
			<Box flexDirection="column" width={screen.fieldWidth} height={screen.fieldHeight}>
				<Battlefield lines={field.field} width={screen.fieldWidth} columns={field.columns} />
				<Cannon lines={field.cannon} width={screen.fieldWidth} columns={field.columns} />
			</Box>
		);

	return (
		<Box flexDirection="column" width={size.columns} height={screen.height} overflow="hidden">
			<StatusBar
				width={size.columns}
				theme={theme}
				{...identity}
				connection={state.connection}
				counts={counts}
				mode={state.mode}
				autopilot={state.autopilot}
				score={state.score}
				{...(state.health?.note ? {healthNote: state.health.note} : {})}
				{...(scope.switching ? {switching: scope.switching} : {})}
			/>
			<Box flexDirection="row" height={screen.fieldHeight}>
				{main}
				{screen.panelWidth > 0 && state.overlay !== 'help' && (
					<SidePanel
						width={screen.panelWidth}
						height={screen.fieldHeight}
						theme={theme}
						replacements={state.replacements}
						stats={state.stats}
						messages={state.messages}
						{...(heatMap ? {heatMap} : {})}
						{...(heatNote ? {heatNote} : {})}
					/>
				)}
			</Box>
			{screen.ticker && <Ticker message={state.messages.at(-1)} width={size.columns} theme={theme} />}
			{scope.prompt ? (
				<PromptLine width={size.columns} theme={theme} prompt={scope.prompt} />
			) : (
				<KeyHints width={size.columns} theme={theme} overlay={state.overlay} spectator={state.mode.spectator} />
			)}
		</Box>
	);
}
