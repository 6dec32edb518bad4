// One place for the command line: flags → typed, validated options with their defaults.
// Pure (no I/O): a usage mistake becomes a UsageError with one line, which the CLI prints and exits 2 on.
import meow from 'meow';
import {UsageError, validateLabelSelector, validateNamespace} from './kube/errors.js';

export const helpText = `
  Usage
    $ podinvaders [options]                      play on the current kubeconfig context
    $ podinvaders --demo [options]               play on the embedded demo cluster (no Kubernetes needed)
    $ podinvaders demo-cluster [options]         run the demo cluster alone, for kubectl
    $ podinvaders experiment kill-half [options] the book's Experiment 1, headless, with a report

  Where
    -n, --namespace NS         namespace to watch (default: the context's, else "default")
    -l, --selector SEL         label selector, e.g. app=goldpinger
        --context NAME         kubeconfig context (default: current-context)
        --kubeconfig FILE      kubeconfig file (default: $KUBECONFIG, ~/.kube/config, in-cluster)
        --demo                 start the embedded demo cluster in-process and play on it
        --slow                 demo: make one Goldpinger instance 250 ms slow (Experiment 2)
        --pods N               demo: add a deployment of N more pods

  Safety
        --dry-run              server-side dry run: shots are validated by the API, nothing is deleted
        --evict                shoot through the Eviction API (PodDisruptionBudgets are honoured)
        --grace-period S       grace period for deletes (default: the pod's own)
        --max-kills-per-minute N   hard rate limit (default 30)
        --min-age S            never kill pods younger than S seconds (default 0)
        --min-ready N|F        never drop an owner's Ready replicas below N (or fraction F of them)
        --allow-protected      allow kills in kube-system, kube-public, kube-node-lease
        --audit-log FILE       append every kill attempt as a JSON line
        --yes                  skip the one confirmation before the first kill on a real cluster

  Goldpinger
        --goldpinger SVC[:PORT]   Goldpinger service in the namespace (default goldpinger:8080)
        --goldpinger-url URL      or a direct check_all base URL
        --refresh S               poll interval in seconds (default 2, the book's REFRESH_INTERVAL)

  Game
        --autopilot S          fire at a random eligible invader every S seconds
        --seed N               seed for everything random (default: time-based)
        --debug                stack traces and raw errors

  demo-cluster
        --port P               listen on 127.0.0.1:P (default: a free port)
        --write-kubeconfig F   write a kubeconfig for kubectl to F
        --pods N, --slow, --seed N as above

  experiment kill-half
        -n, -l, --context, --kubeconfig, --demo, --dry-run, --evict, safety flags as above
        --fraction F           fraction of the selected pods to kill (default 0.5)
        --timeout S            give up observing after S seconds (default 120)
        --report FILE          write the report: FILE.json or FILE.md
        exit 0 hypothesis held, 1 did not hold, 2 usage, 3 aborted (steady state never reached)

  Keys (in the game)
    ←/→ h/l move · space fire · tab/shift-tab target · enter kill target · [ ] pages
    n namespace · / label filter · a autopilot · d dry-run (only towards safer) · ? help · q quit
`;

export interface ClusterOptions {
	readonly demo: boolean;
	readonly namespace?: string;
	readonly selector: string;
	readonly context?: string;
	readonly kubeconfig?: string;
	readonly debug: boolean;
	readonly seed: number;
}

export interface SafetyOptions {
	readonly dryRun: boolean;
	readonly evict: boolean;
	readonly gracePeriodSeconds?: number;
	readonly maxKillsPerMinute: number;
	readonly minAgeSeconds: number;
	readonly minReady?: number; // ≥ 1: an absolute floor; (0,1): a fraction of the owner's replicas
	readonly allowProtected: boolean;
	readonly auditLog?: string;
	readonly yes: boolean;
}

export interface GoldpingerOptions {
	readonly service: string; // NAME:PORT
	readonly url?: string;
	readonly refreshSeconds: number;
}

export interface DemoOptions {
	readonly slow: boolean;
	readonly extraPods: number;
	readonly goldpingerBin?: string;
}

export interface GameConfig {
	readonly cluster: ClusterOptions;
	readonly safety: SafetyOptions;
	readonly goldpinger: GoldpingerOptions;
	readonly demoCluster: DemoOptions;
	readonly autopilotSeconds?: number;
}

export interface DemoClusterConfig {
	readonly port?: number;
	readonly writeKubeconfig?: string;
	readonly demo: DemoOptions;
	readonly seed: number;
}

export interface ExperimentConfig extends GameConfig {
	readonly experiment: 'kill-half';
	readonly fraction: number;
	readonly timeoutSeconds: number;
	readonly report?: string;
}

export type Command =
	| {readonly command: 'help'}
	| {readonly command: 'version'}
	| {readonly command: 'game'; readonly config: GameConfig}
	| {readonly command: 'demo-cluster'; readonly config: DemoClusterConfig}
	| {readonly command: 'experiment'; readonly config: ExperimentConfig};

const flagSpec = {
	namespace: {type: 'string', shortFlag: 'n'},
	selector: {type: 'string', shortFlag: 'l'},
	context: {type: 'string'},
	kubeconfig: {type: 'string'},
	demo: {type: 'boolean', default: false},
	slow: {type: 'boolean', default: false},
	pods: {type: 'string'},
	goldpingerBin: {type: 'string'},
	dryRun: {type: 'boolean', default: false},
	evict: {type: 'boolean', default: false},
	gracePeriod: {type: 'string'},
	maxKillsPerMinute: {type: 'string'},
	minAge: {type: 'string'},
	minReady: {type: 'string'},
	allowProtected: {type: 'boolean', default: false},
	auditLog: {type: 'string'},
	yes: {type: 'boolean', default: false},
	goldpinger: {type: 'string'},
	goldpingerUrl: {type: 'string'},
	refresh: {type: 'string'},
	autopilot: {type: 'string'},
	seed: {type: 'string'},
	debug: {type: 'boolean', default: false},
	port: {type: 'string'},
	writeKubeconfig: {type: 'string'},
	fraction: {type: 'string'},
	timeout: {type: 'string'},
	report: {type: 'string'},
	help: {type: 'boolean', shortFlag: 'h', default: false},
	version: {type: 'boolean', default: false},
} as const;

// Flags that only mean something for some commands: given elsewhere they are a usage error, not silently ignored.
const onlyFor: Record<string, readonly Command['command'][]> = {
	port: ['demo-cluster'],
	writeKubeconfig: ['demo-cluster'],
	fraction: ['experiment'],
	timeout: ['experiment'],
	report: ['experiment'],
	autopilot: ['game'],
};

const kebab = (name: string): string => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

function knownFlagNames(): Set<string> {
	const names = new Set<string>();
	for (const [name, spec] of Object.entries(flagSpec)) {
		names.add(kebab(name));
		if (spec.type === 'boolean') names.add(`no-${kebab(name)}`);
		if ('shortFlag' in spec) names.add(spec.shortFlag);
	}
	return names;
}

/** meow reports unknown flags on two lines and exits by itself; we want one line and a UsageError. */
function checkUnknownFlags(argv: readonly string[]): void {
	const known = knownFlagNames();
	for (const arg of argv) {
		if (arg === '--') break;
		const match = /^--?([^=]+)/.exec(arg);
		if (!match || /^-\d/.test(arg)) continue;
		const names = arg.startsWith('--') ? [match[1]!] : [...match[1]!];
		for (const name of names) {
			if (!known.has(name)) throw new UsageError(`unknown flag ${arg.startsWith('--') ? '--' : '-'}${name} (see podinvaders --help)`);
		}
	}
}

function number(
	flag: string,
	text: string | undefined,
	{min, max, integer = false}: {min: number; max: number; integer?: boolean},
): number | undefined {
	if (text === undefined) return undefined;
	const value = Number(text);
	if (text.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
		const kind = integer ? 'a whole number' : 'a number';
		throw new UsageError(`--${flag} must be ${kind} from ${min} to ${max}, got "${text}"`);
	}
	return value;
}

function serviceRef(text: string): string {
	const match = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)(?::([0-9]{1,5}|[a-z0-9-]+))?$/.exec(text);
	if (!match) throw new UsageError(`--goldpinger must be SERVICE[:PORT], e.g. goldpinger:8080, got "${text}"`);
	return match[3] ? text : `${text}:8080`;
}

function url(flag: string, text: string): string {
	try {
		const parsed = new URL(text);
		if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme');
		return text.replace(/\/+$/, '');
	} catch {
		throw new UsageError(`--${flag} must be an http(s) URL, got "${text}"`);
	}
}

export function parseCommand(argv: readonly string[], importMeta: ImportMeta): Command {
	checkUnknownFlags(argv);
	let cli;
	try {
		cli = meow(helpText, {
			importMeta,
			argv: [...argv],
			flags: flagSpec,
			autoHelp: false,
			autoVersion: false,
			allowUnknownFlags: true, // checked above, with a one-line message
		});
	} catch (error) {
		// e.g. "The flag --x can only be set once."
		throw new UsageError(error instanceof Error ? error.message.split('\n')[0]! : String(error));
	}
	const flags = cli.flags;
	if (flags.help) return {command: 'help'};
	if (flags.version) return {command: 'version'};

	const [first, second, ...rest] = cli.input;
	let command: Command['command'] = 'game';
	if (first === 'demo-cluster') command = 'demo-cluster';
	else if (first === 'experiment') {
		if (second !== 'kill-half') {
			throw new UsageError(second ? `unknown experiment "${second}" (known: kill-half)` : 'experiment needs a name: podinvaders experiment kill-half');
		}
		command = 'experiment';
	} else if (first !== undefined) {
		throw new UsageError(`unknown command "${first}" (commands: demo-cluster, experiment kill-half; see --help)`);
	}
	const extra = command === 'game' ? [] : command === 'demo-cluster' ? [second, ...rest] : rest;
	const stray = extra.filter((item) => item !== undefined);
	if (stray.length > 0) throw new UsageError(`unexpected argument "${stray[0]}"`);

	for (const [flag, commands] of Object.entries(onlyFor)) {
		if ((flags as Record<string, unknown>)[flag] !== undefined && !commands.includes(command)) {
			throw new UsageError(`--${kebab(flag)} only applies to: ${commands.map((name) => (name === 'game' ? 'the game' : name)).join(', ')}`);
		}
	}

	const seed = number('seed', flags.seed, {min: 0, max: 2 ** 32 - 1, integer: true}) ?? (Date.now() >>> 0);
	const demo: DemoOptions = {
		slow: flags.slow,
		extraPods: number('pods', flags.pods, {min: 0, max: 20000, integer: true}) ?? 0,
		...(flags.goldpingerBin ? {goldpingerBin: flags.goldpingerBin} : {}),
	};

	if (command === 'demo-cluster') {
		const port = number('port', flags.port, {min: 0, max: 65535, integer: true});
		return {
			command,
			config: {
				...(port !== undefined ? {port} : {}),
				...(flags.writeKubeconfig ? {writeKubeconfig: flags.writeKubeconfig} : {}),
				demo,
				seed,
			},
		};
	}

	if (flags.namespace !== undefined) {
		const problem = validateNamespace(flags.namespace);
		if (problem) throw new UsageError(problem);
	}
	const selector = flags.selector ?? '';
	if (selector !== '') {
		const problem = validateLabelSelector(selector);
		if (problem) throw new UsageError(problem);
	}
	if (flags.demo && (flags.context || flags.kubeconfig)) {
		throw new UsageError('--demo runs its own cluster: drop --context/--kubeconfig, or drop --demo');
	}
	if (!flags.demo && (flags.slow || flags.pods !== undefined || flags.goldpingerBin)) {
		throw new UsageError('--slow, --pods and --goldpinger-bin are demo-cluster options: add --demo');
	}
	if (flags.goldpinger && flags.goldpingerUrl) throw new UsageError('use --goldpinger or --goldpinger-url, not both');

	const gracePeriodSeconds = number('grace-period', flags.gracePeriod, {min: 0, max: 86400, integer: true});
	const minReady = number('min-ready', flags.minReady, {min: 0, max: 100000});
	if (minReady !== undefined && minReady >= 1 && !Number.isInteger(minReady)) {
		throw new UsageError(`--min-ready must be a whole number of replicas or a fraction below 1, got "${flags.minReady}"`);
	}
	const auditLog = flags.auditLog;
	if (auditLog !== undefined && auditLog.trim() === '') throw new UsageError('--audit-log needs a file path');

	const base: GameConfig = {
		cluster: {
			demo: flags.demo,
			...(flags.namespace !== undefined ? {namespace: flags.namespace} : {}),
			selector,
			...(flags.context ? {context: flags.context} : {}),
			...(flags.kubeconfig ? {kubeconfig: flags.kubeconfig} : {}),
			debug: flags.debug,
			seed,
		},
		safety: {
			dryRun: flags.dryRun,
			evict: flags.evict,
			...(gracePeriodSeconds !== undefined ? {gracePeriodSeconds} : {}),
			maxKillsPerMinute: number('max-kills-per-minute', flags.maxKillsPerMinute, {min: 1, max: 6000, integer: true}) ?? 30,
			minAgeSeconds: number('min-age', flags.minAge, {min: 0, max: 10 * 365 * 86400}) ?? 0,
			...(minReady !== undefined ? {minReady} : {}),
			allowProtected: flags.allowProtected,
			...(auditLog !== undefined ? {auditLog} : {}),
			yes: flags.yes,
		},
		goldpinger: {
			service: serviceRef(flags.goldpinger ?? 'goldpinger:8080'),
			...(flags.goldpingerUrl ? {url: url('goldpinger-url', flags.goldpingerUrl)} : {}),
			refreshSeconds: number('refresh', flags.refresh, {min: 0.2, max: 3600}) ?? 2,
		},
		demoCluster: demo,
	};
	const autopilotSeconds = number('autopilot', flags.autopilot, {min: 0.1, max: 3600});

	if (command === 'experiment') {
		const report = flags.report;
		if (report !== undefined && !/\.(json|md)$/i.test(report)) {
			throw new UsageError(`--report must end in .json or .md, got "${report}"`);
		}
		return {
			command,
			config: {
				...base,
				experiment: 'kill-half',
				fraction: number('fraction', flags.fraction, {min: 0.01, max: 1}) ?? 0.5,
				timeoutSeconds: number('timeout', flags.timeout, {min: 1, max: 86400}) ?? 120,
				...(report !== undefined ? {report} : {}),
			},
		};
	}
	return {command, config: {...base, ...(autopilotSeconds !== undefined ? {autopilotSeconds} : {})}};
}
