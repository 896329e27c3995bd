import { isAsciiAlnum } from '../chars';
import type { Detector, Found } from './detector';

/**
 * E-mail addresses (RFC 5321/5322 shapes), found from their '@' outwards rather than by a pattern tried at every
 * position: most ticket text has no '@' at all. Local part: a dot-atom of any characters but whitespace, quotes,
 * brackets and list punctuation (unicode letters included, RFC 6531), or a quoted string ("john doe"@…); in a query
 * string (`?email=john@…`, `&to=john@…`) it starts after the parameter's `=`, while `=` elsewhere stays part of it
 * (VERP and SRS addresses: `list-bounces+ann=example.org@lists.example.net`). Domain: two or more labels of letters,
 * digits and hyphens (unicode letters included, RFC 5890), so `?`, `&`, `#`, `!`, `=` end it; or an address
 * literal ([192.0.2.1], [IPv6:2001:db8::1]). The view has already decoded `&#64;`, `%40`, `&amp;` and `＠`.
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
	start = afterQueryParameter(text, start, at);
	// Dots cannot start a local part: "...john@x.io" keeps the ellipsis.
	while (start < at && text[start] === '.') start++;
	return start;
}

/**
 * Where a local part starts when `?name=` or `&name=` comes before it (the address is a query parameter's value):
 * after the last such `=`. Otherwise `start` itself: `=`, `&` and `?` are characters a local part may hold.
 */
function afterQueryParameter(text: string, start: number, at: number): number {
	let from = start;
	let delimiter = -1;
	for (let i = start; i < at; i++) {
		const c = text[i];
		if (c === '?' || c === '&') delimiter = i;
		else if (c === '=' && delimiter !== -1 && i > delimiter + 1) {
			from = i + 1;
			delimiter = -1;
		}
	}
	return from;
}

function domainEnd(text: string, at: number): number {
	if (text[at + 1] === '[') {
		const literal = ADDRESS_LITERAL.exec(text.slice(at + 1, at + 60));
		return literal ? at + 1 + literal[0].length : at;
	}
	let end = at + 1;
	while (end < text.length && isDomainChar(text[end])) end++;
	return at + 1 + domainLength(text.slice(at + 1, end));
}

/**
 * Letters (any script, astral ones as their surrogate halves), marks, digits, hyphens and the dots between labels;
 * `_` as DNS names carry it. ASCII is decided without a pattern: it is nearly every character read here.
 */
function isDomainChar(c: string): boolean {
	const code = c.charCodeAt(0);
	if (code < 128) return isAsciiAlnum(code) || code === 45 || code === 46 || code === 95;
	return (code >= 0xd800 && code <= 0xdfff) || NON_ASCII_DOMAIN.test(c);
}
const NON_ASCII_DOMAIN = /[\p{L}\p{M}\p{N}]/u;

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
