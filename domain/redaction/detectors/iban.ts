import { getCountrySpecifications } from 'ibantools';

import { isAsciiAlnum } from '../chars';
import { mod97 } from '../checksums';
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

const COUNTRIES = new Map<string, Country>();
for (const [code, spec] of Object.entries(getCountrySpecifications())) {
	if (spec.chars) COUNTRIES.set(code, { length: spec.chars, bban: spec.bban_regexp ? new RegExp(spec.bban_regexp) : null });
}

const START = /[A-Za-z]{2}[ .-]?\d{2}/g;
const isSeparator = (c: number) => c === 32 || c === 46 || c === 45;

export const iban: Detector = {
	kind: 'iban',
	label: 'IBAN',
	optIn: false,
	find(text) {
		const found: Found[] = [];
		START.lastIndex = 0;
		for (let m = START.exec(text); m; m = START.exec(text)) {
			const country = COUNTRIES.get(m[0].slice(0, 2).toUpperCase());
			const taken = country ? take(text, m.index, country.length) : null;
			if (!country || !taken || !valid(taken.iban, country)) {
				// Overlapping starts ("XFR76…"): try again from the next character.
				START.lastIndex = m.index + 1;
				continue;
			}
			found.push({ start: m.index, end: taken.end, key: taken.iban });
			START.lastIndex = taken.end;
		}
		return found;
	},
};

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
