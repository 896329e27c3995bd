import { afterAll, describe, expect, it } from 'vitest';

import { DETECTOR_KINDS } from '../../domain/redaction/detectors/registry';
import { Redactor } from '../../domain/redaction/redact';
import { CORPUS, ibanRemainder, leaks, luhnCheckDigit, NEGATIVES, type CorpusClass } from './corpus';

/** Every class on, opt-in ones included: the corpus measures each detector; negatives must survive all of them. */
const redactor = new Redactor({ kinds: DETECTOR_KINDS });
const BEFORE = 'Bonjour, voici: ';
const AFTER = ' — thanks!';

const tally = new Map<string, { values: number; found: number; falsePositives: number; negatives: number }>();
const row = (k: string) => tally.get(k) ?? tally.set(k, { values: 0, found: 0, falsePositives: 0, negatives: 0 }).get(k)!;

describe('the corpus itself follows its specifications', () => {
	it('holds at least 300 values across every class, and the negatives', () => {
		expect(CORPUS.length).toBeGreaterThanOrEqual(300);
		const classes = new Set(CORPUS.map((v) => v.class));
		expect([...classes].sort()).toEqual((['card', 'email', 'email_obfuscated', 'fr_nir', 'iban', 'phone', 'uk_nino', 'us_ssn'] satisfies CorpusClass[]).sort());
		expect(NEGATIVES.length).toBeGreaterThanOrEqual(60);
	});

	it('computes check digits as the standards publish them', () => {
		// ISO/IEC 7812 worked example 7992739871 → check digit 3; Visa test PAN 4111 1111 1111 1111.
		expect(luhnCheckDigit('7992739871')).toBe('3');
		expect(luhnCheckDigit('411111111111111')).toBe('1');
		// The registry's own examples pass; one changed digit does not.
		expect(ibanRemainder('GB29NWBK60161331926819')).toBe(1);
		expect(ibanRemainder('DE89370400440532013000')).toBe(1);
		expect(ibanRemainder('DE89370400440532013001')).not.toBe(1);
	});
});

describe('every corpus value is redacted, counted under its class', () => {
	it.each(CORPUS.map((v) => [v.format, v] as const))('%s', (_format, v) => {
		const r = row(v.class);
		r.values++;
		const { value, counts } = redactor.redactText(`${BEFORE}${v.value}${AFTER}`, { region: v.region });
		expect(value.startsWith(BEFORE) && value.endsWith(AFTER), `the prose around ${JSON.stringify(v.value)} is kept: ${value}`).toBe(true);
		const left = value.slice(BEFORE.length, value.length - AFTER.length);
		expect(leaks(v, left), `${JSON.stringify(v.value)} became ${JSON.stringify(left)}`).toBe(false);
		expect(counts[v.class], `counted as ${JSON.stringify(counts)}`).toBeGreaterThanOrEqual(1);
		r.found++;
	});
});

describe('a number written in the digits of any script is the number it writes', () => {
	// Every script's decimal digits the runtime's Unicode data knows (category Nd), by the code point of its zero: each
	// script's digits are ten in a row from 0 (the mathematical digits are five scripts in a row).
	const zeros: number[] = [];
	for (let c = 0x80, start = -1; c <= 0x1ffff; c++) {
		if (!/\p{Nd}/u.test(String.fromCodePoint(c))) start = -1;
		else if (start === -1 || (c - start) % 10 === 0) {
			if (start === -1) start = c;
			zeros.push(c);
		}
	}
	const inScript = (zero: number, s: string) => s.replace(/[0-9]/g, (d) => String.fromCodePoint(zero + Number(d)));

	it('finds the scripts: Arabic-Indic, Devanagari, full-width and mathematical among them', () => {
		expect(zeros).toEqual(expect.arrayContaining([0x0660, 0x06f0, 0x0966, 0xff10, 0x1d7ce, 0x1d7f6]));
	});

	it.each(zeros.map((z) => [`U+${z.toString(16).toUpperCase().padStart(4, '0')}`, z] as const))('%s: a phone and a card in these digits are redacted', (_name, zero) => {
		// The French mobile 06 12 34 56 78 and Visa's test PAN, digit for digit in this script.
		const text = `tel ${inScript(zero, '06 12 34 56 78')}, card ${inScript(zero, '4111 1111 1111 1111')}.`;
		expect(redactor.redactText(text)).toEqual({ value: 'tel [PHONE_1], card [CARD_1].', counts: { phone: 1, card: 1 } });
	});
});

describe('ordinary ticket content survives every detector', () => {
	it.each(NEGATIVES.map((n) => [`${n.kind}: ${n.value}`, n] as const))('%s', (_name, n) => {
		const r = row(`negative: ${n.kind}`);
		r.negatives++;
		const text = `${BEFORE}${n.value}${AFTER}`;
		const { value, counts } = redactor.redactText(text);
		if (value !== text) r.falsePositives++;
		expect({ value, counts }).toEqual({ value: text, counts: {} });
	});
});

afterAll(() => {
	// The figures the README and the closing note quote (recall per class, false positives per kind).
	const lines = [...tally].map(([k, t]) => (t.values ? `${k}: ${t.found}/${t.values} redacted` : `${k}: ${t.falsePositives}/${t.negatives} changed`));
	console.log(`redaction corpus (${CORPUS.length} values, ${NEGATIVES.length} negatives)\n  ${lines.join('\n  ')}`);
});
