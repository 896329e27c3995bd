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
