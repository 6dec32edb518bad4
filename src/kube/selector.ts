// Label selectors as the apiserver parses them (k8s.io/apimachinery labels.Parse): equality-based
// (`a=b`, `a==b`, `a!=b`), set-based (`a in (x,y)`, `a notin (x)`, `a`, `!a`) and `a>1`/`a<1`.
// The CLI validates with it before anything is sent, and PodKiller re-checks a target's labels with it.

export type Operator = 'exists' | 'not-exists' | 'in' | 'not-in' | 'gt' | 'lt';

export interface Requirement {
	readonly key: string;
	readonly operator: Operator;
	readonly values: readonly string[];
}

export class SelectorSyntaxError extends Error {}

const special = new Set(['!', '=', ',', '(', ')', '<', '>']);

function tokenize(text: string): string[] {
	const tokens: string[] = [];
	let index = 0;
	while (index < text.length) {
		const char = text[index]!;
		if (/\s/.test(char)) {
			index++;
		} else if ((char === '!' || char === '=') && text[index + 1] === '=') {
			tokens.push(char + '=');
			index += 2;
		} else if (special.has(char)) {
			tokens.push(char);
			index++;
		} else {
			let end = index;
			while (end < text.length && !special.has(text[end]!) && !/\s/.test(text[end]!)) end++;
			tokens.push(text.slice(index, end));
			index = end;
		}
	}
	return tokens;
}

const isIdentifier = (token: string | undefined): token is string =>
	token !== undefined && !special.has(token) && token !== '!=' && token !== '==';

const namePart = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checkKey(key: string): void {
	const slash = key.indexOf('/');
	const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
	const name = slash >= 0 ? key.slice(slash + 1) : key;
	if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !dnsSubdomain.test(prefix))) {
		throw new SelectorSyntaxError(`"${key}": the prefix before "/" must be a DNS subdomain`);
	}
	if (name.length === 0 || name.length > 63 || !namePart.test(name)) {
		throw new SelectorSyntaxError(
			`"${key}" is not a valid label key (alphanumerics, "-", "_", "." ; at most 63 characters; optional DNS prefix + "/")`,
		);
	}
}

function checkValue(value: string): void {
	if (value.length > 63 || (value !== '' && !namePart.test(value))) {
		throw new SelectorSyntaxError(`"${value}" is not a valid label value (alphanumerics, "-", "_", "."; at most 63 characters)`);
	}
}

/** Parses a selector; throws SelectorSyntaxError with a short reason. The empty selector selects everything. */
export function parseLabelSelector(text: string): Requirement[] {
	const tokens = tokenize(text);
	const requirements: Requirement[] = [];
	let position = 0;
	const peek = () => tokens[position];
	const next = () => tokens[position++];

	while (position < tokens.length) {
		let token = next();
		if (token === '!') {
			const key = next();
			if (!isIdentifier(key)) throw new SelectorSyntaxError('"!" must be followed by a label key');
			checkKey(key);
			requirements.push({key, operator: 'not-exists', values: []});
		} else if (isIdentifier(token)) {
			const key = token;
			checkKey(key);
			const operator = peek();
			if (operator === undefined || operator === ',') {
				requirements.push({key, operator: 'exists', values: []});
			} else if (operator === '=' || operator === '==' || operator === '!=') {
				next();
				const value = isIdentifier(peek()) ? next()! : '';
				checkValue(value);
				requirements.push({key, operator: operator === '!=' ? 'not-in' : 'in', values: [value]});
			} else if (operator === 'in' || operator === 'notin') {
				next();
				if (next() !== '(') throw new SelectorSyntaxError(`"${key} ${operator}" must be followed by "(values)"`);
				const values: string[] = [];
				for (;;) {
					const value = isIdentifier(peek()) ? next()! : '';
					checkValue(value);
					values.push(value);
					const separator = next();
					if (separator === ')') break;
					if (separator !== ',') throw new SelectorSyntaxError(`missing ")" after "${key} ${operator} (${values.join(',')}"`);
				}
				if (values.length === 1 && values[0] === '' && tokens[position - 2] === '(') {
					throw new SelectorSyntaxError(`"${key} ${operator} ()" needs at least one value`);
				}
				requirements.push({key, operator: operator === 'in' ? 'in' : 'not-in', values});
			} else if (operator === '<' || operator === '>') {
				next();
				const value = next();
				if (!isIdentifier(value) || !/^-?\d+$/.test(value)) {
					throw new SelectorSyntaxError(`"${key} ${operator}" must be followed by an integer`);
				}
				requirements.push({key, operator: operator === '>' ? 'gt' : 'lt', values: [value]});
			} else {
				throw new SelectorSyntaxError(`unexpected "${operator}" after "${key}"`);
			}
		} else {
			throw new SelectorSyntaxError(token === ',' ? 'empty requirement (",," or a leading ",")' : `unexpected "${token}"`);
		}
		token = next();
		if (token === undefined) break;
		if (token !== ',') throw new SelectorSyntaxError(`expected "," between requirements, got "${token}"`);
		if (position >= tokens.length) throw new SelectorSyntaxError('trailing ","');
	}
	return requirements;
}

export function matchesRequirements(requirements: readonly Requirement[], labels: Readonly<Record<string, string>>): boolean {
	return requirements.every(({key, operator, values}) => {
		const has = Object.hasOwn(labels, key);
		const value = labels[key];
		switch (operator) {
			case 'exists':
				return has;
			case 'not-exists':
				return !has;
			case 'in':
				return has && values.includes(value!);
			case 'not-in':
				return !has || !values.includes(value!);
			case 'gt':
			case 'lt': {
				if (!has || !/^-?\d+$/.test(value!)) return false;
				const actual = Number(value);
				const bound = Number(values[0]);
				return operator === 'gt' ? actual > bound : actual < bound;
			}
		}
	});
}

/** True when the labels satisfy the selector. A selector that does not parse matches nothing. */
export function matchesLabelSelector(selector: string, labels: Readonly<Record<string, string>>): boolean {
	try {
		return matchesRequirements(parseLabelSelector(selector), labels);
	} catch {
		return false;
	}
}
