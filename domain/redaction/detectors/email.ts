import type { Detector, Found } from './detector';

/**
 * E-mail addresses (RFC 5321/5322 shapes), found from their '@' outwards rather than by a pattern tried at every
 * position: most ticket text has no '@' at all. Local part: a dot-atom of any characters but whitespace, quotes,
 * brackets and list punctuation (unicode letters included, RFC 6531), or a quoted string ("john doe"@…). Domain:
 * two or more labels, or an address literal ([192.0.2.1], [IPv6:2001:db8::1]). The view has already decoded
 * `&#64;`, `%40` and `＠`.
 */
const STOP = new Set([...' \t\n\r\f\v"<>()[]{},;:\\@/', '«', '»', '“', '”', '‘', '’', '|']);
const isAtomChar = (text: string, i: number) => {
	const c = text[i];
	if (STOP.has(c) || c.trim() === '') return false;
	// An apostrophe belongs to a name (o'brien) only between two letters or digits; otherwise it quotes.
	if (c === "'") return isWordChar(text[i - 1]) && isWordChar(text[i + 1]);
	return true;
};
const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

const MAX_QUOTED = 64;
const ADDRESS_LITERAL = /^\[(?:\d{1,3}(?:\.\d{1,3}){3}|IPv6:[0-9A-Fa-f:.]{2,45})\]/i;

export const email: Detector = {
	kind: 'email',
	label: 'EMAIL',
	optIn: false,
	find(text) {
		const found: Found[] = [];
		let cursor = 0;
		for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', Math.max(at + 1, cursor))) {
			const start = localStart(text, at, cursor);
			const end = domainEnd(text, at);
			if (start < at && end > at + 1) {
				found.push({ start, end, key: text.slice(start, end).toLowerCase() });
				cursor = end;
			}
		}
		return found;
	},
};

function localStart(text: string, at: number, floor: number): number {
	if (text[at - 1] === '"') {
		// A quoted local part: back to the opening quote on the same line, escapes allowed.
		for (let i = at - 2; i >= Math.max(floor, at - 1 - MAX_QUOTED); i--) {
			const c = text[i];
			if (c === '\n' || c === '\r') break;
			if (c === '"' && text[i - 1] !== '\\') return i;
		}
		return at;
	}
	let start = at;
	while (start > floor && isAtomChar(text, start - 1)) start--;
	// Dots cannot start a local part: "...john@x.io" keeps the ellipsis.
	while (start < at && text[start] === '.') start++;
	return start;
}

function domainEnd(text: string, at: number): number {
	if (text[at + 1] === '[') {
		const literal = ADDRESS_LITERAL.exec(text.slice(at + 1, at + 60));
		return literal ? at + 1 + literal[0].length : at;
	}
	let end = at + 1;
	while (end < text.length && isAtomChar(text, end) && text[end] !== "'") end++;
	return at + 1 + domainLength(text.slice(at + 1, end));
}

/** Length of the leading `label(.label)+` of a candidate domain; 0 when there is none (no dot, "a..b"). */
function domainLength(candidate: string): number {
	let length = 0;
	let count = 0;
	for (const label of candidate.split('.')) {
		if (!label) break;
		length += (count ? 1 : 0) + label.length;
		count++;
	}
	return count >= 2 ? length : 0;
}
