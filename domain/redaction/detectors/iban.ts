import { getCountrySpecifications } from 'ibantools';

import { isAsciiAlnum, isAsciiLetter } from '../chars';
import { mod97 } from '../checksums';
import { digitRunsOf } from '../digit-runs';
import type { Detector, Found } from './detector';

/**
 * IBANs (ISO 13616): a country code, two check digits and the country's BBAN, exactly as long as that country's IBAN
 * (ibantools' registry: FR 27, DE 22, GB 22…), its BBAN in the registry's format, and mod-97 = 1. Any case, any
 * single separator between characters (the paper format's groups of four, a French RIB's 5-5-11-2, dots, dashes),
 * glued to letters or inside a file name: because the length is the country's, the IBAN's end is known exactly.
 * National check keys inside the BBAN are not required: a value that passes mod-97 is redacted either way.
 */
interface Country {
	length: number;
	bban: RegExp | null;
}

/**
 * Countries by their two letters, upper-cased, as (first − A) × 26 + (second − A): the lookup is made for every
 * word followed by a number in the prose ("Order 12345"), so it reads two character codes and builds no string.
 */
const COUNTRIES: Array<Country | undefined> = new Array(26 * 26);
for (const [code, spec] of Object.entries(getCountrySpecifications())) {
	if (spec.chars && /^[A-Z]{2}$/.test(code)) {
		COUNTRIES[(code.charCodeAt(0) - 65) * 26 + (code.charCodeAt(1) - 65)] = { length: spec.chars, bban: spec.bban_regexp ? new RegExp(spec.bban_regexp) : null };
	}
}
/** The country whose code is the two ASCII letters at `i`, any case. */
const countryAt = (text: string, i: number) => COUNTRIES[((text.charCodeAt(i) & ~0x20) - 65) * 26 + ((text.charCodeAt(i + 1) & ~0x20) - 65)];

const isSeparator = (c: number) => c === 32 || c === 46 || c === 45;

export const iban: Detector = {
	kind: 'iban',
	label: 'IBAN',
	optIn: false,
	readsDigits: true,
	find(text) {
		const found: Found[] = [];
		// Where the next IBAN may start: after the last one, or past a start that was none.
		let from = 0;
		for (const at of ibanStarts(text)) if (at >= from) from = read(text, at, found);
		return found;
	},
};

/**
 * Where `[A-Za-z]{2}[ .-]?\d{2}` matches, in text order, as a scan of the text with it would find them (each one,
 * overlapping ones too). Its two digits are the first two of a run of digits (a digit before them would stand where
 * it wants a letter or a separator), so it starts two characters before such a run, or three with a separator:
 * only those are looked at.
 */
export function ibanStarts(text: string): number[] {
	const starts: number[] = [];
	const runs = digitRunsOf(text);
	for (let r = 0; r < runs.starts.length; r++) {
		const q = runs.starts[r];
		if (runs.ends[r] - q < 2 || q < 2) continue;
		// The character before the digits is a separator or a letter, never both: one start per run at most.
		const before = text.charCodeAt(q - 1);
		if (isAsciiLetter(before)) {
			if (isAsciiLetter(text.charCodeAt(q - 2))) starts.push(q - 2);
		} else if (q >= 3 && isSeparator(before) && isAsciiLetter(text.charCodeAt(q - 2)) && isAsciiLetter(text.charCodeAt(q - 3))) {
			starts.push(q - 3);
		}
	}
	return starts;
}

/** Reads an IBAN starting at `at` into `found`; where the next one may start. */
function read(text: string, at: number, found: Found[]): number {
	const country = countryAt(text, at);
	const taken = country ? take(text, at, country.length) : null;
	// Overlapping starts ("XFR76…"): try again from the next character.
	if (!country || !taken || !valid(taken.iban, country)) return at + 1;
	found.push({ start: at, end: taken.end, key: taken.iban });
	return taken.end;
}

/** `length` letters and digits from `start`, allowing one separator between two of them; upper-cased. */
function take(text: string, start: number, length: number): { iban: string; end: number } | null {
	let out = '';
	let i = start;
	while (out.length < length && i < text.length) {
		const c = text.charCodeAt(i);
		if (isAsciiAlnum(c)) out += text[i++];
		else if (isSeparator(c) && out.length > 0 && i + 1 < text.length && isAsciiAlnum(text.charCodeAt(i + 1))) i++;
		else break;
	}
	return out.length === length ? { iban: out.toUpperCase(), end: i } : null;
}

function valid(iban: string, country: Country): boolean {
	if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false;
	if (country.bban && !country.bban.test(iban.slice(4))) return false;
	// Letters become 10..35, the country code and check digits go to the end, the number mod 97 must be 1.
	const rearranged = iban.slice(4) + iban.slice(0, 4);
	let digits = '';
	for (const ch of rearranged) digits += /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
	return mod97(digits) === 1;
}
