// The side panel's latency heat map: a compact grid of Goldpinger ping times, rows = sources,
// columns = targets (slowest first), p95 per target, the worst pair, and the data's age always shown.
// Rows are composed as strings (one <Text> per line, one colour code per run of same-coloured cells):
// thousands of <Text> elements cost ~100 ms a frame, pre-composed rows a few ms (DESIGN §8).
// Readable without colour: numbers, or a glyph per band, and ✗ / ⧖ (x / T in ASCII) for failures.

import React, {useMemo} from 'react';
import {Box, Text} from 'ink';
import {bandOfMs, buildHeatMap, type HeatBand, type HeatCell, type HeatMapModel} from '../game/heatmap.js';
import type {GoldpingerStatus} from '../model/goldpinger.js';
import {sanitizeLine} from '../model/sanitize.js';

export interface HeatMapProps {
	/** The poller's latest status (kube/goldpinger.ts GoldpingerPoller). */
	readonly status: GoldpingerStatus;
	/** Monotonic ms (performance.now()), the clock of `status.result.receivedAt`. */
	readonly now: number;
	/** The poll period: data older than 3 of these is marked stale. */
	readonly refreshMs: number;
	/** Columns available; no line is wider. */
	readonly width: number;
	/** Lines available; the component never draws more. */
	readonly height: number;
	/** Colour escapes (default true); without them everything is still readable. */
	readonly color?: boolean;
	/** ASCII glyphs only, for terminals or fonts without ▁▃▅█ ✗ ⧖ (default false). */
	readonly ascii?: boolean;
}

/** 16-colour SGR codes per band (bright variants are in every terminal's palette). */
const bandColour: Record<HeatBand, string> = {
	fast: '32', // green
	good: '92', // bright green: Goldpinger ramps green → yellow between 1 and 10 ms
	slow: '33', // yellow
	bad: '31', // red
	timeout: '95', // bright magenta: distinct from a plain "slow" red
	error: '91;1', // bright red, bold
	none: '90', // grey
	self: '90',
};
const glyphs: Record<'unicode' | 'ascii', Record<HeatBand, string>> = {
	unicode: {fast: '▁', good: '▃', slow: '▅', bad: '█', timeout: '⧖', error: '✗', none: '-', self: '╲'},
	ascii: {fast: '.', good: 'o', slow: 'O', bad: '#', timeout: 'T', error: 'x', none: '-', self: '\\'},
};

/** Width of a row label: letter, space, 5-char short name, one marker column. */
const labelWidth = 8;
const numberCell = 4;
const glyphCell = 2;

export function formatAge(ms: number): string {
	if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
	if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
	return `${Math.round(ms / 60_000)} min`;
}

/** A cell's number in 3 columns: <1, 7, 250, 2s. */
function cellNumber(ms: number): string {
	if (ms < 1) return '<1';
	if (ms < 1000) return String(Math.floor(ms));
	return `${Math.min(99, Math.round(ms / 1000))}s`;
}

interface Run {
	readonly text: string;
	readonly colour?: string;
}

/** Joins runs into one string, one SGR code per change of colour, bounded to `width` visible columns. */
function compose(runs: readonly Run[], width: number, color: boolean): string {
	let out = '';
	let visible = 0;
	let open: string | undefined;
	for (const run of runs) {
		if (visible >= width) break;
		const text = [...run.text].slice(0, width - visible).join('');
		visible += [...text].length;
		if (color && run.colour !== open) {
			if (open) out += '\u001b[0m';
			if (run.colour) out += `\u001b[${run.colour}m`;
			open = run.colour;
		}
		out += text;
	}
	if (color && open) out += '\u001b[0m';
	return out;
}

function renderCell(cell: HeatCell, numbers: boolean, glyphSet: Record<HeatBand, string>): string {
	if (!numbers) return ` ${glyphSet[cell.band]}`;
	const inner =
		cell.band === 'none' || cell.band === 'self' || cell.band === 'timeout' || cell.band === 'error'
			? glyphSet[cell.band]
			: cellNumber(cell.ms ?? 0);
	return inner.padStart(numberCell);
}

/** The lines of the heat map, as strings (with SGR codes when `color`). Exported for tests and the bench. */
export function heatMapLines(props: HeatMapProps): string[] {
	const {status, now, refreshMs, color = true, ascii = false} = props;
	const width = Math.max(10, Math.floor(props.width));
	const height = Math.max(1, Math.floor(props.height));
	const glyphSet = glyphs[ascii ? 'ascii' : 'unicode'];
	const line = (text: string, colour?: string): string => compose([{text, ...(colour ? {colour} : {})}], width, color);
	const lines: string[] = [];

	const result = status.result;
	const message = status.message ? sanitizeLine(status.message, 300) : undefined;
	if (status.state === 'off' || !result) {
		const head =
			status.state === 'off'
				? `Goldpinger off${message ? `: ${message}` : ''}`
				: status.state === 'waiting'
					? `Goldpinger: waiting for ${sanitizeLine(status.source, 60)}…`
					: `Goldpinger: ${message ?? 'no data'}`;
		for (let start = 0; start < head.length && lines.length < height; start += width) {
			lines.push(line(head.slice(start, start + width), status.state === 'error' ? bandColour.error : bandColour.none));
		}
		return lines;
	}

	// Budget: header + column letters + p95 + worst, one line for "… not shown" when something is left
	// out, then rows; a legend when there is room.
	const cellsWidth = width - labelWidth;
	const targetCount = new Set(result.sources.flatMap((source) => source.pings.map((ping) => ping.target))).size;
	const numbers = targetCount * numberCell <= cellsWidth;
	const maxColumns = Math.max(0, Math.floor(cellsWidth / (numbers ? numberCell : glyphCell)));
	let maxRows = Math.max(0, height - 4);
	if (targetCount > maxColumns || result.sources.length > maxRows) maxRows = Math.max(0, maxRows - 1);
	const model: HeatMapModel = buildHeatMap(result, {now, refreshMs, maxColumns, maxRows});

	const age = formatAge(model.ageMs ?? 0);
	const stale = model.stale || status.state === 'stale';
	const dot = ascii ? '-' : '·';
	lines.push(
		compose(
			stale
				? [{text: `Latency ms ${dot} `}, {text: `${ascii ? '!' : '⚠'} stale ${age}`, colour: bandColour.slow}]
				: [{text: `Latency ms ${dot} ${age} ago`}],
			width,
			color,
		),
	);
	if (height === 1) return lines;

	const cellWidth = numbers ? numberCell : glyphCell;
	const header = ' '.repeat(labelWidth) + model.columns.map((column) => column.letter.padStart(cellWidth)).join('');
	lines.push(line(header, bandColour.none));

	for (const row of model.rows) {
		if (lines.length >= height) break;
		const label = `${row.source.letter} ${row.source.short.padEnd(5)}`;
		if (!row.ok) {
			lines.push(
				compose(
					[
						{text: label},
						{text: ` ${glyphSet.error} `, colour: bandColour.error},
						{text: `unreachable${row.error ? `: ${row.error}` : ''}`, colour: bandColour.none},
					],
					width,
					color,
				),
			);
			continue;
		}
		const runs: Run[] = [{text: `${label} `}];
		for (const cell of row.cells) runs.push({text: renderCell(cell, numbers, glyphSet), colour: bandColour[cell.band]});
		lines.push(compose(runs, width, color));
	}

	if (lines.length < height) {
		const runs: Run[] = [{text: 'p95'.padEnd(labelWidth)}];
		for (const column of model.columns) {
			const band: HeatBand =
				column.p95 === undefined ? (column.failures > 0 ? 'error' : 'none') : column.failures > 0 ? 'error' : bandOfMs(column.p95);
			const text = numbers
				? (column.p95 === undefined ? glyphSet[band] : cellNumber(column.p95)).padStart(numberCell)
				: ` ${glyphSet[band]}`;
			runs.push({text, colour: bandColour[band]});
		}
		lines.push(compose(runs, width, color));
	}

	if (lines.length < height && (model.hiddenColumns > 0 || model.hiddenRows > 0)) {
		const parts = [
			model.hiddenColumns > 0 ? `${model.hiddenColumns} faster` : '',
			model.hiddenRows > 0 ? `${model.hiddenRows} rows` : '',
		].filter(Boolean);
		lines.push(line(`hidden: ${parts.join(', ')}`, bandColour.none));
	}

	if (lines.length < height && model.worst) {
		const {source, target, cell} = model.worst;
		const what =
			cell.band === 'timeout'
				? `${glyphSet.timeout} timeout ${cellNumber(cell.ms ?? 0)} ms`
				: cell.band === 'error'
					? `${glyphSet.error} ${cell.error ?? 'error'}`
					: `${cellNumber(cell.ms ?? 0)} ms`;
		lines.push(
			compose(
				[{text: `worst ${shortOf(model, source)}${ascii ? '->' : '→'}${shortOf(model, target)} `}, {text: what, colour: bandColour[cell.band]}],
				width,
				color,
			),
		);
	}

	if (lines.length < height) {
		const legend: Run[] = numbers
			? [
					{text: '<1', colour: bandColour.fast},
					{text: ' <10', colour: bandColour.good},
					{text: ' <100', colour: bandColour.slow},
					{text: ' ≥100', colour: bandColour.bad},
					{text: ` ${glyphSet.error}err`, colour: bandColour.error},
					{text: ` ${glyphSet.timeout}t/o`, colour: bandColour.timeout},
				]
			: (['fast', 'good', 'slow', 'bad', 'error', 'timeout'] as const).map((band, index) => ({
					text: `${index === 0 ? '' : ' '}${glyphSet[band]}${legendWords[band]}`,
					colour: bandColour[band],
				}));
		if (ascii) legend.forEach((run, index) => (legend[index] = {...run, text: run.text.replace('≥', '>=')}));
		lines.push(compose(legend, width, color));
	}
	return lines.slice(0, height);
}

const legendWords: Record<'fast' | 'good' | 'slow' | 'bad' | 'error' | 'timeout', string> = {
	fast: '<1',
	good: '<10',
	slow: '<100',
	bad: '100+',
	error: 'err',
	timeout: 't/o',
};

function shortOf(model: HeatMapModel, name: string): string {
	const pod = [...model.columns, ...model.rows.map((row) => row.source)].find((candidate) => candidate.name === name);
	return pod ? pod.short : name.slice(-5);
}

/** The heat map for the side panel: at most `height` lines of at most `width` columns. */
export function HeatMap(props: HeatMapProps): React.JSX.Element {
	const {status, now, refreshMs, width, height, color, ascii} = props;
	const lines = useMemo(
		() => heatMapLines({status, now, refreshMs, width, height, ...(color !== undefined ? {color} : {}), ...(ascii !== undefined ? {ascii} : {})}),
		[status, now, refreshMs, width, height, color, ascii],
	);
	return (
		<Box flexDirection="column" width={Math.max(10, Math.floor(width))}>
			{lines.map((text, index) => (
				<Text key={index} wrap="truncate">
					{text}
				</Text>
			))}
		</Box>
	);
}
