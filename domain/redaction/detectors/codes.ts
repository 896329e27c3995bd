import { isAsciiAlnum, isAsciiLetter } from '../chars';
import { upsCheckDigitOk } from '../checksums';

/**
 * Identifiers whose digits are neither phone numbers nor card numbers, for the detectors that read runs of digits.
 *
 * A hex token is a whole word (no letter or digit on either side) of hex digits and dashes, holding 24 hex digits or
 * more and a group (between dashes) that mixes letters and digits: UUIDs (`437938fa-0554-459f-9389-8b3da5a0b18f`),
 * MongoDB ObjectIds (24), MD5/SHA-1/SHA-256 digests (32/40/64), W3C trace ids. Words such as `Cafe-0612345678`
 * or a brand glued to a card (`CB4970…`) are not: too short, or no group mixing letters and digits.
 */
export class HexTokens {
	private token = { start: -1, end: -1, hex: false };

	constructor(private readonly text: string) {}

	/** Whether text[start, end), digits and dashes, lies inside one hex token. Each token is measured once: linear. */
	covers(start: number, end: number): boolean {
		const { text } = this;
		for (let i = start; i < end; i++) if (!isHexOrDash(text.charCodeAt(i))) return false;
		if (start < this.token.start || start >= this.token.end) {
			let from = start;
			while (from > 0 && isHexOrDash(text.charCodeAt(from - 1))) from--;
			let to = end;
			while (to < text.length && isHexOrDash(text.charCodeAt(to))) to++;
			// Nothing but the run's own digits and dashes: no letter, no hex token.
			this.token = { start: from, end: to, hex: (from < start || to > end) && isHexToken(text, from, to) };
		}
		return this.token.hex && end <= this.token.end;
	}
}

const MIN_HEX_DIGITS = 24;

function isHexToken(text: string, from: number, to: number): boolean {
	if (isWordChar(text[from - 1]) || isWordChar(text[to])) return false;
	const token = text.slice(from, to);
	return token.replace(/-/g, '').length >= MIN_HEX_DIGITS && token.split('-').some((group) => /[a-f]/i.test(group) && /\d/.test(group));
}

const isHexOrDash = (c: number) => (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) || c === 45;
/** A letter of any script; ASCII decided without a pattern. */
export function isLetter(c: string | undefined): boolean {
	if (c === undefined) return false;
	const code = c.charCodeAt(0);
	return code < 128 ? isAsciiLetter(code) : LETTER.test(c);
}
function isWordChar(c: string | undefined): boolean {
	if (c === undefined) return false;
	const code = c.charCodeAt(0);
	return code < 128 ? isAsciiAlnum(code) : WORD.test(c);
}
const LETTER = /\p{L}/u;
const WORD = /[\p{L}\p{N}]/u;

// `1Z`, then 16 letters or digits with at most one space before each: the shipper (6), the service (2), the package
// (7) and the check digit. A run of digits inside it starts at most 2 + 2 × 16 characters after the `1`.
const UPS = /1Z((?: ?[0-9A-Z]){16})(?![0-9A-Z])/iy;
const UPS_REACH = 34;

/**
 * Whether text[start, end) lies inside a UPS tracking number (`1Z 999 AA1 01 2345 6784` as UPS prints it, or
 * `1Z999AA10123456784`) whose check digit is right. A run going on past the number is not inside it.
 */
export function inUpsNumber(text: string, start: number, end: number): boolean {
	for (let at = start - 2; at >= Math.max(0, start - UPS_REACH); at--) {
		if (text.charCodeAt(at) !== 49 || (text.charCodeAt(at + 1) | 32) !== 122 || isWordChar(text[at - 1])) continue;
		UPS.lastIndex = at;
		const m = UPS.exec(text);
		if (m && end <= at + m[0].length && upsCheckDigitOk(m[1].replace(/ /g, ''))) return true;
	}
	return false;
}
