import { digitsOf, passesLuhn } from '../checksums';
import type { Detector, Found } from './detector';
import { digitGroups, type Groups } from './groups';

/**
 * Payment card numbers (PANs): 13–19 digits whose leading digits fall in an issuer range of ISO/IEC 7812 as the
 * networks publish them, with that network's lengths, passing Luhn. Any one separator between digits (space, dot,
 * dash; the view has made non-breaking spaces and Unicode dashes plain), glued to letters (`VISA4111…`,
 * `card_4111….pdf`). A run of digits holding no card is left alone for the other detectors.
 */
export const card: Detector = {
	kind: 'card',
	label: 'CARD',
	optIn: false,
	find(text) {
		const found: Found[] = [];
		for (const groups of digitGroups(text, 13)) findCards(groups, found);
		return found;
	},
};

/** The longest card starting at each group boundary, left to right; cards never overlap. */
function findCards({ text, starts, ends }: Groups, found: Found[]) {
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
		found.push({ start: starts[g], end: ends[best], key: value });
		g = best + 1;
	}
}

/** Issuer ranges and lengths (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro, Mir, RuPay). */
export function isCardNumber(digits: string): boolean {
	const n = digits.length;
	if (n < 13 || n > 19 || !issuerAccepts(digits, n)) return false;
	return passesLuhn(digits);
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
		case '6': // Discover, UnionPay (62), Maestro (6x), RuPay (60, 65)
			return true;
		case '8': // RuPay 81, 82
			return (p2 === 81 || p2 === 82) && n === 16;
		default:
			return false;
	}
}
