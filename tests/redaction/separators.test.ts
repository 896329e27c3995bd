import { describe, expect, it } from 'vitest';

import { Redactor } from '../../domain/redaction/redact';

const redactor = new Redactor();

/**
 * Unicode's space separators (Zs) and dash punctuation (Pd) outside U+2000–U+206F and the full-width forms, and the
 * invisible characters a text may carry (Unicode 16 character database), each between the groups of a Visa test card
 * and of the IBAN of the ISO 13616 example (DE89 3704 0044 0532 0130 00).
 */
const SEPARATORS: Array<[string, string]> = [
	['U+1680 OGHAM SPACE MARK', '\u1680'],
	['U+058A ARMENIAN HYPHEN', '\u058a'],
	['U+05BE HEBREW PUNCTUATION MAQAF', '\u05be'],
	['U+1400 CANADIAN SYLLABICS HYPHEN', '\u1400'],
	['U+1806 MONGOLIAN TODO SOFT HYPHEN', '\u1806'],
	['U+2E17 DOUBLE OBLIQUE HYPHEN', '\u2e17'],
	['U+2E3A TWO-EM DASH', '\u2e3a'],
	['U+2E40 DOUBLE HYPHEN', '\u2e40'],
	['U+301C WAVE DASH', '\u301c'],
	['U+3030 WAVY DASH', '\u3030'],
	['U+30A0 KATAKANA-HIRAGANA DOUBLE HYPHEN', '\u30a0'],
	['U+FE31 PRESENTATION FORM FOR VERTICAL EM DASH', '\ufe31'],
	['U+FE58 SMALL EM DASH', '\ufe58'],
	['U+FE63 SMALL HYPHEN-MINUS', '\ufe63'],
	['U+061C ARABIC LETTER MARK', '\u061c'],
	['U+180E MONGOLIAN VOWEL SEPARATOR', '\u180e'],
	['U+FE0F VARIATION SELECTOR-16', '\ufe0f'],
];

describe('a card or an IBAN split by any Unicode space, dash or invisible character', () => {
	it.each(SEPARATORS)('%s', (_, c) => {
		const card = redactor.redactText(`card 4111${c}1111${c}1111${c}1111 thanks`);
		expect(card.value).toBe('card [CARD_1] thanks');
		const iban = redactor.redactText(`IBAN DE89${c}3704${c}0044${c}0532${c}0130${c}00 please`);
		expect(iban.value).toBe('IBAN [IBAN_1] please');
	});
});
