// Strings from the cluster (pod names, Goldpinger replies, error bodies) are untrusted: before anything
// draws them, strip ANSI/OSC/DCS escape sequences and every other control character, and bound the length.

// CSI (ESC [ … final), OSC (ESC ] … BEL or ST), DCS/SOS/PM/APC (ESC P|X|^|_ … ST), other two-byte ESC sequences,
// and the 8-bit C1 forms of CSI (0x9b) and OSC (0x9d).
const escapeSequences =
	/\u001b\[[0-?]*[ -/]*[@-~]|\u009b[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u009d[^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[PX^_][^\u001b]*(?:\u001b\\)?|\u001b[ -~]?/g;
// C0 controls (keeping none: newlines and tabs would break a one-line cell), DEL, C1 controls,
// and the bidi overrides that can make text display in a misleading order.
const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function sanitize(text: unknown, maxLength = 200): string {
	const value = typeof text === 'string' ? text : text === undefined || text === null ? '' : String(text);
	const clean = value.replace(escapeSequences, '').replace(controlCharacters, ' ');
	return clean.length > maxLength ? `${clean.slice(0, maxLength - 1)}…` : clean;
}

/** One line: whitespace runs collapsed, trimmed, bounded. */
export function sanitizeLine(text: unknown, maxLength = 200): string {
	return sanitize(text, Number.MAX_SAFE_INTEGER).replace(/\s+/g, ' ').trim().slice(0, maxLength);
}
