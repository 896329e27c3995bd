import { digitsOf, passesLuhn } from '../checksums';
import { HexTokens } from './codes';
import type { Detector, Found } from './detector';
import { digitGroups, type Groups } from './groups';

/**
 * Payment card numbers (PANs): 13–19 digits whose leading digits fall in an issuer range of ISO/IEC 7812 as the
 * networks publish them, with that network's lengths, passing Luhn. Any one separator between digits (space, dot,
 * dash; the view has made non-breaking spaces and Unicode dashes plain), glued to letters (`VISA4111…`,
 * `card_4111….pdf`). A run of digits holding no card is left alone for the other detectors, and so are digits inside
 * a hex token (a UUID's or a digest's, see codes.ts).
 */
export const card: Detector = {
	kind: 'card',
	label: 'CARD',
	optIn: false,
	readsDigits: true,
	find(text) {
		const found: Found[] = [];
		const hex = new HexTokens(text);
		for (const groups of digitGroups(text, 13)) findCards(groups, found, hex);
		return found;
	},
};

/** The longest card starting at each group boundary, left to right; cards never overlap. */
function findCards({ text, starts, ends }: Groups, found: Found[], hex: HexTokens) {
	let g = 0;
	while (g < starts.length) {
		let best = -1;
		let digits = '';
		for (let e = g; e < ends.length; e++) {
			digits += digitsOf(text.slice(starts[e], ends[e]));
			if (digits.length > 19) break;
			if (digits.length >= 13 && isCardNumber(digits)) best = e;
		}
		if (best === -1) {
			g++;
			continue;
		}
		const value = digitsOf(text.slice(starts[g], ends[best]));
		if (!hex.covers(starts[g], ends[best])) found.push({ start: starts[g], end: ends[best], key: value });
		g = best + 1;
	}
}

/** Issuer ranges and lengths (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro, Mir, RuPay). */
export function isCardNumber(digits: string): boolean {
	return hasCardIssuer(digits) && passesLuhn(digits);
}

/**
 * Whether these digits start in an issuer range and have a length that network issues; Luhn not checked. On its
 * own for a JSON number too large to hold its digits exactly (above 2^53), which no check digit can verify.
 */
export function hasCardIssuer(digits: string): boolean {
	const n = digits.length;
	return n >= 13 && n <= 19 && issuerAccepts(digits, n);
}

function issuerAccepts(d: string, n: number): boolean {
	const p2 = Number(d.slice(0, 2));
	const p4 = Number(d.slice(0, 4));
	switch (d[0]) {
		case '4': // Visa
			return n === 13 || n === 16 || n === 19;
		case '2': // Mastercard 2221–2720, Mir 2200–2204
			return (p4 >= 2221 && p4 <= 2720 && n === 16) || (p4 >= 2200 && p4 <= 2204 && n >= 16);
		case '3':
			if (p2 === 34 || p2 === 37) return n === 15; // Amex
			if (p4 >= 3528 && p4 <= 3589) return n >= 16; // JCB
			return (p2 === 36 || p2 === 38 || p2 === 39 || (p4 >= 3000 && p4 <= 3059) || p4 === 3095) && n >= 14; // Diners
		case '5': // Mastercard 51–55; Maestro 50, 56–58
			return p2 >= 51 && p2 <= 55 ? n === 16 : p2 === 50 || (p2 >= 56 && p2 <= 58);
		case '6':
			// Discover 6011, 644–649, 65: 16–19 (65 is RuPay's too, 16); UnionPay 62 (with Discover's 622126–622925): 16–19.
			if (p4 === 6011 || (p4 >= 6440 && p4 <= 6499) || p2 === 65 || p2 === 62) return n >= 16;
			if (p2 === 60) return n === 16; // RuPay
			// Maestro 6304, 6759, 6761–6763, Maestro UK 676770 and 676774: 12–19 (13 and more read here).
			return p4 === 6304 || p4 === 6759 || (p4 >= 6761 && p4 <= 6763) || d.startsWith('676770') || d.startsWith('676774');
		case '8': // RuPay 81, 82
			return (p2 === 81 || p2 === 82) && n === 16;
		default:
			return false;
	}
}
