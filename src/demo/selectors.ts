// Label and field selectors in the apiserver's syntax: `app=x,tier!=db,env in (a,b),!canary,key`, and
// metav1.LabelSelector objects (matchLabels + matchExpressions) used by Deployments, ReplicaSets and PDBs.
import {badRequest} from './errors.js';
import {asArray, asObject, asString, isObject, type Json} from './util.js';

export type Requirement =
	| {readonly key: string; readonly op: 'exists' | 'notexists'}
	| {readonly key: string; readonly op: 'in' | 'notin'; readonly values: readonly string[]}
	| {readonly key: string; readonly op: 'gt' | 'lt'; readonly value: number};

export type Selector = readonly Requirement[];

/** Splits on commas that are not inside parentheses. */
function splitTopLevel(text: string): string[] {
	const parts: string[] = [];
	let depth = 0;
	let current = '';
	for (const char of text) {
		if (char === '(') depth++;
		if (char === ')') depth--;
		if (char === ',' && depth === 0) {
			parts.push(current);
			current = '';
		} else current += char;
	}
	parts.push(current);
	return parts.map((part) => part.trim()).filter((part) => part.length > 0);
}

const keyPattern = /^([a-z0-9A-Z]([-a-z0-9A-Z.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const valuePattern = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?)?$/;

function checkKey(key: string, whole: string): string {
	if (!keyPattern.test(key) || key.length > 316) throw badRequest(`unable to parse requirement: invalid label key "${key}" in "${whole}"`);
	return key;
}
function checkValue(value: string, whole: string): string {
	if (!valuePattern.test(value) || value.length > 63) throw badRequest(`unable to parse requirement: invalid label value: "${value}" in "${whole}"`);
	return value;
}

export function parseLabelSelector(text: string | undefined | null): Selector {
	if (!text) return [];
	return splitTopLevel(text).map((part): Requirement => {
		const set = /^(!?)\s*([^\s!=<>(),]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
		if (set) {
			if (set[1]) throw badRequest(`unable to parse requirement: "${part}"`);
			const values = set[4]!.split(',').map((v) => checkValue(v.trim(), part));
			return {key: checkKey(set[2]!, part), op: set[3] as 'in' | 'notin', values};
		}
		const comparison = /^([^\s!=<>]+)\s*(==|=|!=|<|>)\s*(.*)$/.exec(part);
		if (comparison) {
			const key = checkKey(comparison[1]!, part);
			const op = comparison[2]!;
			const value = comparison[3]!.trim();
			if (op === '<' || op === '>') {
				const number = Number(value);
				if (!Number.isInteger(number)) throw badRequest(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`);
				return {key, op: op === '>' ? 'gt' : 'lt', value: number};
			}
			return {key, op: op === '!=' ? 'notin' : 'in', values: [checkValue(value, part)]};
		}
		const exists = /^(!?)\s*([^\s!=<>(),]+)$/.exec(part);
		if (exists) return {key: checkKey(exists[2]!, part), op: exists[1] ? 'notexists' : 'exists'};
		throw badRequest(`unable to parse requirement: found '${part}', expected: !, identifier, or 'end of string'`);
	});
}

export function matchesLabels(selector: Selector, labels: Readonly<Record<string, string>> | undefined): boolean {
	const own = labels ?? {};
	return selector.every((req) => {
		const has = Object.prototype.hasOwnProperty.call(own, req.key);
		const value = own[req.key];
		switch (req.op) {
			case 'exists':
				return has;
			case 'notexists':
				return !has;
			case 'in':
				return has && req.values.includes(value!);
			case 'notin':
				return !has || !req.values.includes(value!);
			case 'gt':
			case 'lt': {
				const number = Number(value);
				if (!has || !Number.isInteger(number)) return false;
				return req.op === 'gt' ? number > req.value : number < req.value;
			}
		}
	});
}

/** metav1.LabelSelector → requirements. An empty selector matches everything; a missing one (null) nothing. */
export function selectorFromObject(value: unknown): Selector | null {
	if (!isObject(value)) return null;
	const reqs: Requirement[] = [];
	for (const [key, val] of Object.entries(asObject(value['matchLabels']))) {
		if (typeof val === 'string') reqs.push({key, op: 'in', values: [val]});
	}
	for (const expr of asArray(value['matchExpressions']).map(asObject)) {
		const key = asString(expr['key']) ?? '';
		const values = asArray(expr['values']).filter((v): v is string => typeof v === 'string');
		switch (asString(expr['operator'])) {
			case 'In':
				reqs.push({key, op: 'in', values});
				break;
			case 'NotIn':
				reqs.push({key, op: 'notin', values});
				break;
			case 'Exists':
				reqs.push({key, op: 'exists'});
				break;
			case 'DoesNotExist':
				reqs.push({key, op: 'notexists'});
				break;
		}
	}
	return reqs;
}

/** Service-style selector: a plain map; empty or missing selects nothing. */
export function selectorFromMap(value: unknown): Selector | null {
	const entries = Object.entries(asObject(value)).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
	if (entries.length === 0) return null;
	return entries.map(([key, val]) => ({key, op: 'in', values: [val]}));
}

export function formatSelector(selector: Selector): string {
	return selector
		.map((req) => {
			switch (req.op) {
				case 'exists':
					return req.key;
				case 'notexists':
					return `!${req.key}`;
				case 'in':
					return req.values.length === 1 ? `${req.key}=${req.values[0]}` : `${req.key} in (${req.values.join(',')})`;
				case 'notin':
					return req.values.length === 1 ? `${req.key}!=${req.values[0]}` : `${req.key} notin (${req.values.join(',')})`;
				case 'gt':
					return `${req.key}>${req.value}`;
				case 'lt':
					return `${req.key}<${req.value}`;
			}
		})
		.join(',');
}

export interface FieldRequirement {
	readonly path: readonly string[];
	readonly equal: boolean;
	readonly value: string;
}

/** `metadata.name=x,status.phase!=Running`: equality on dotted paths (`\,` and `\=` escape). */
export function parseFieldSelector(text: string | undefined | null): FieldRequirement[] {
	if (!text) return [];
	const parts: string[] = [];
	let current = '';
	for (let i = 0; i < text.length; i++) {
		const char = text[i]!;
		if (char === '\\' && i + 1 < text.length) {
			current += char + text[++i];
		} else if (char === ',') {
			parts.push(current);
			current = '';
		} else current += char;
	}
	parts.push(current);
	return parts
		.filter((part) => part.trim().length > 0)
		.map((part) => {
			const match = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/s.exec(part.trim());
			if (!match) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
			const value = match[3]!.replace(/\\(.)/g, '$1');
			return {path: match[1]!.trim().split('.'), equal: match[2] !== '!=', value};
		});
}

export function matchesFields(requirements: readonly FieldRequirement[], object: Json): boolean {
	return requirements.every((req) => {
		let cursor: unknown = object;
		for (const key of req.path) cursor = isObject(cursor) ? cursor[key] : undefined;
		const actual = cursor === undefined || cursor === null ? '' : typeof cursor === 'object' ? JSON.stringify(cursor) : String(cursor);
		return (actual === req.value) === req.equal;
	});
}
