// Themes as named colour roles: components ask for a role ("ready", "warn"), never for a colour. Three themes:
// dark (default), light, and mono (NO_COLOR, FORCE_COLOR=0): mono keeps bold/dim/inverse, which NO_COLOR
// allows, and every state also differs by glyph, so nothing is lost without colour.

export type InkColor =
	| 'black'
	| 'red'
	| 'green'
	| 'yellow'
	| 'blue'
	| 'magenta'
	| 'cyan'
	| 'white'
	| 'gray'
	| 'redBright'
	| 'greenBright'
	| 'yellowBright'
	| 'blueBright'
	| 'magentaBright'
	| 'cyanBright'
	| 'whiteBright';

export interface RoleStyle {
	readonly color?: InkColor;
	readonly bold?: boolean;
	readonly dim?: boolean;
	readonly inverse?: boolean;
}

export const roles = [
	// invaders (one per Look, plus the fade)
	'ready',
	'not-ready',
	'pending',
	'creating',
	'terminating',
	'faded',
	'failed',
	'done',
	'unhealthy',
	'health-unknown',
	// the battlefield
	'selected',
	'cannon',
	'shot',
	'guided',
	'explosion',
	'warp',
	'poof',
	'deflect',
	'dry-run',
	'label',
	// text
	'text',
	'muted',
	'title',
	'accent',
	'good',
	'bad',
	'warn',
	'fun',
	'border',
	'key',
	// badges
	'armed',
	'safe',
	'spectator',
	'autopilot',
] as const;

export type Role = (typeof roles)[number];

export interface Theme {
	readonly name: 'dark' | 'light' | 'mono';
	readonly color: boolean;
	readonly styles: Readonly<Record<Role, RoleStyle>>;
}

const dark: Record<Role, RoleStyle> = {
	ready: {color: 'green'},
	'not-ready': {color: 'greenBright', dim: true},
	pending: {color: 'yellow'},
	creating: {color: 'yellowBright'},
	terminating: {color: 'gray'},
	faded: {color: 'gray', dim: true},
	failed: {color: 'red', bold: true},
	done: {color: 'blue'},
	unhealthy: {color: 'redBright', bold: true},
	'health-unknown': {color: 'green', dim: true},
	selected: {color: 'cyanBright', bold: true},
	cannon: {color: 'cyanBright', bold: true},
	shot: {color: 'whiteBright', bold: true},
	guided: {color: 'cyanBright', bold: true},
	explosion: {color: 'yellowBright', bold: true},
	warp: {color: 'magentaBright'},
	poof: {color: 'gray'},
	deflect: {color: 'blueBright', bold: true},
	'dry-run': {color: 'cyan'},
	label: {color: 'gray'},
	text: {},
	muted: {color: 'gray'},
	title: {color: 'cyan', bold: true},
	accent: {color: 'cyanBright'},
	good: {color: 'green'},
	bad: {color: 'redBright'},
	warn: {color: 'yellow'},
	fun: {color: 'magentaBright'},
	border: {color: 'gray'},
	key: {color: 'cyanBright', bold: true},
	armed: {color: 'redBright', bold: true, inverse: true},
	safe: {color: 'green', bold: true, inverse: true},
	spectator: {color: 'blueBright', bold: true, inverse: true},
	autopilot: {color: 'magentaBright', bold: true, inverse: true},
};

const light: Record<Role, RoleStyle> = {
	...dark,
	'not-ready': {color: 'green', dim: true},
	creating: {color: 'yellow', bold: true},
	terminating: {color: 'gray'},
	selected: {color: 'blue', bold: true},
	cannon: {color: 'blue', bold: true},
	shot: {color: 'black', bold: true},
	guided: {color: 'blue', bold: true},
	explosion: {color: 'red', bold: true},
	warp: {color: 'magenta'},
	accent: {color: 'blue'},
	title: {color: 'blue', bold: true},
	key: {color: 'blue', bold: true},
	fun: {color: 'magenta'},
	bad: {color: 'red'},
	unhealthy: {color: 'red', bold: true},
};

function monochrome(styles: Record<Role, RoleStyle>): Record<Role, RoleStyle> {
	return Object.fromEntries(
		Object.entries(styles).map(([role, style]) => [
			role,
			{...(style.bold ? {bold: true} : {}), ...(style.dim ? {dim: true} : {}), ...(style.inverse ? {inverse: true} : {})},
		]),
	) as Record<Role, RoleStyle>;
}

export const themes: Readonly<Record<Theme['name'], Theme>> = {
	dark: {name: 'dark', color: true, styles: dark},
	light: {name: 'light', color: true, styles: light},
	mono: {name: 'mono', color: false, styles: {...monochrome(dark), faded: {dim: true}, 'health-unknown': {dim: true}, selected: {bold: true, inverse: true}}},
};

/** NO_COLOR (any non-empty value, no-color.org) and FORCE_COLOR=0 give the mono theme. */
export function pickTheme(env: NodeJS.ProcessEnv = process.env, name?: Theme['name']): Theme {
	if ((env['NO_COLOR'] ?? '') !== '' || env['FORCE_COLOR'] === '0' || env['FORCE_COLOR'] === 'false') return themes.mono;
	return themes[name ?? 'dark'];
}

const sgrColors: Readonly<Record<InkColor, number>> = {
	black: 30,
	red: 31,
	green: 32,
	yellow: 33,
	blue: 34,
	magenta: 35,
	cyan: 36,
	white: 37,
	gray: 90,
	redBright: 91,
	greenBright: 92,
	yellowBright: 93,
	blueBright: 94,
	magentaBright: 95,
	cyanBright: 96,
	whiteBright: 97,
};

/** The escape that starts a run in this style (after a reset), or '' for plain text. 16-colour codes only. */
export function sgr(style: RoleStyle, color: boolean): string {
	const codes: number[] = [];
	if (style.bold) codes.push(1);
	if (style.dim) codes.push(2);
	if (style.inverse) codes.push(7);
	if (color && style.color) codes.push(sgrColors[style.color]);
	return codes.length === 0 ? '' : `\u001b[${codes.join(';')}m`;
}

/** Props for an Ink <Text> in this role. */
export function textProps(theme: Theme, role: Role): {color?: InkColor; bold?: boolean; dimColor?: boolean; inverse?: boolean} {
	const style = theme.styles[role];
	return {
		...(theme.color && style.color ? {color: style.color} : {}),
		...(style.bold ? {bold: true} : {}),
		...(style.dim ? {dimColor: true} : {}),
		...(style.inverse ? {inverse: true} : {}),
	};
}
