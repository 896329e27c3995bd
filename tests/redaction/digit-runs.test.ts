import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { DETECTOR_KINDS, DETECTORS } from '../../domain/redaction/detectors/registry';
import { digitGroups } from '../../domain/redaction/detectors/groups';
import { ibanStarts } from '../../domain/redaction/detectors/iban';
import { longRuns } from '../../domain/redaction/detectors/phone';
import { carryDigitRuns, digitRunsOf } from '../../domain/redaction/digit-runs';
import { Redactor } from '../../domain/redaction/redact';
import { viewOf } from '../../domain/redaction/view';

/**
 * The detectors that read numbers (IBAN, card, phone) look only around the runs of digits found once per text: by
 * the view's scan, or cut where a detector's findings were masked. These tests hold each shortcut to the full scan
 * it replaces, on generated text built from the characters the shortcuts look at, and check by hand that values
 * hidden behind those characters are still redacted.
 */

/** The full scans, written out again here: the patterns each detector used to run over the whole text. */
const PHONE_RUN = /\+?\(?\d(?:\)?[ ./-]?\(?\d|\))*/g;
const GROUP_RUN = /\d+(?:[ .\-/]\d+)*/g;
const IBAN_START = /[A-Za-z]{2}[ .-]?\d{2}/y;

const runsOf = (text: string) => [...text.matchAll(/[0-9]+/g)].map((m) => [m.index, m.index + m[0].length]);
const digitCount = (s: string) => s.replace(/[^0-9]/g, '').length;
const MASK = '\u2063';

/**
 * Text made of what the shortcuts read: digits, every separator and bracket a run may hold, letters (IBAN country
 * codes among them), the view's disguises (`&#64;`, `%20`, `。` before a digit or not, full-width and Arabic-Indic
 * digits, a soft hyphen, two spaces, a line break), characters of the scripts whose blocks the view's scan checks
 * for digits, the mask.
 */
const piece = fc.constantFrom(
	...'0123456789'.split(''),
	'12',
	'2024',
	'4111',
	' ',
	'.',
	'-',
	'/',
	'(',
	')',
	'+',
	',',
	'a',
	'Z',
	'FR',
	'de',
	'GB',
	'x',
	'@',
	'&#64;',
	'&#32;',
	'%20',
	'%4',
	'&',
	'<b>',
	'<',
	'\u3002',
	'\u3002a',
	'\uff10',
	'\u0661',
	'\u0627',
	'\u00ad',
	'  ',
	'\n',
	'\u6ce8',
	'\ud835\udfce',
	MASK,
	// Whole numbers and their starts, so that long runs come up often.
	'+33 6 12 34 56 78',
	'+44 ',
	'(212) 555',
	'0612345678',
	'4111 1111 1111 1111',
	'DE89 3704 0044 0532 0130 00',
);
const textArb = fc.array(piece, { maxLength: 60 }).map((parts) => parts.join(''));
const RUNS = { numRuns: 3000 };

describe('the runs of digits the number detectors share', () => {
	it('are the runs of ASCII digits of the text, from the view scan or scanned on their own', () => {
		fc.assert(
			fc.property(textArb, (text) => {
				const view = viewOf(text);
				// The view's scan remembers the runs of a text it leaves as it is; any other text is scanned when asked.
				expect(runsOf(view.text)).toEqual(zip(digitRunsOf(view.text)));
				expect(runsOf(text)).toEqual(zip(digitRunsOf(text)));
			}),
			RUNS,
		);
	});

	it('of a masked text are the runs of the text cut where the mask lies', () => {
		const spanArb = fc.tuple(fc.nat(80), fc.nat(12)).map(([start, length]) => ({ start, end: start + 1 + length }));
		fc.assert(
			fc.property(textArb, fc.array(spanArb, { maxLength: 4 }), (raw, rawSpans) => {
				const text = raw.length ? raw : '0';
				const spans = rawSpans.map(({ start, end }) => ({ start: start % text.length, end: Math.min(end, text.length) })).filter((s) => s.end > s.start);
				let masked = '';
				for (let i = 0; i < text.length; i++) masked += spans.some((s) => s.start <= i && i < s.end) ? MASK : text[i];
				digitRunsOf(text);
				carryDigitRuns(text, masked, spans);
				expect(zip(digitRunsOf(masked))).toEqual(runsOf(masked));
			}),
			RUNS,
		);
	});
});

describe('each number detector reads what its full scan read', () => {
	it('phone: the runs of seven digits or more, as a scan with its run pattern finds them', () => {
		fc.assert(
			fc.property(textArb, (text) => {
				const full = [...text.matchAll(PHONE_RUN)].filter((m) => digitCount(m[0]) >= 7).map((m) => [m.index, m[0]]);
				const fast = [...longRuns(text)].map((m) => [m.index, m[0]]);
				expect(fast).toEqual(full);
			}),
			RUNS,
		);
	});

	it('card: the groups of digits of every run holding 13 digits or more (and 3, 7)', () => {
		for (const min of [3, 7, 13]) {
			fc.assert(
				fc.property(textArb, (text) => {
					const full = [...text.matchAll(GROUP_RUN)]
						.filter((m) => digitCount(m[0]) >= min)
						.map((m) => ({ starts: [...m[0].matchAll(/[0-9]+/g)].map((g) => m.index + g.index), ends: [...m[0].matchAll(/[0-9]+/g)].map((g) => m.index + g.index + g[0].length) }));
					expect([...digitGroups(text, min)].map(({ starts, ends }) => ({ starts, ends }))).toEqual(full);
				}),
				RUNS,
			);
		}
	});

	it('IBAN: every offset where two letters, a separator or none, and two digits start', () => {
		fc.assert(
			fc.property(textArb, (text) => {
				const full: number[] = [];
				for (let at = 0; at < text.length; at++) {
					IBAN_START.lastIndex = at;
					if (IBAN_START.test(text)) full.push(at);
				}
				expect(ibanStarts(text)).toEqual(full);
			}),
			RUNS,
		);
	});
});

describe('detectors that read digits are not called on a text without one', () => {
	it('each of them finds nothing in such a text anyway', () => {
		const noDigits = fc.array(fc.constantFrom('SSN', 'social security', 'QQ', 'FR', 'de', ' ', '-', '.', '(', ')', '+', '@', 'example.com', 'at', 'dot', 'x', '\u00e9', '\u6ce8'), { maxLength: 40 });
		const context = { phoneRegions: ['US', 'GB', 'FR', 'DE'], ownRegion: 'FR' };
		for (const detector of DETECTORS.filter((d) => d.readsDigits)) {
			fc.assert(
				fc.property(noDigits, (parts) => {
					expect(detector.find(parts.join(''), context), detector.kind).toEqual([]);
				}),
				{ numRuns: 500 },
			);
		}
	});

	it('the other classes and custom patterns still read it', () => {
		const redactor = new Redactor({ patterns: [{ name: 'order', pattern: 'ORD-[A-Z]+' }] });
		expect(redactor.redactText('ref ORD-ABC from john@example.com').value).toBe('ref [ORDER_1] from [EMAIL_1]');
		expect(new Redactor({ kinds: DETECTOR_KINDS }).redactText('jean at example dot com').value).toBe('[EMAIL_1]');
	});
});

describe('values hidden behind the characters the shortcuts look at are still redacted', () => {
	const redactor = new Redactor();
	const all = new Redactor({ kinds: DETECTOR_KINDS });
	const cases: Array<[string, string]> = [
		// Ideographic full stops between the groups: `。` before a digit is read as a dot; before a letter too.
		['call 06。12。34。56。78 today', 'call [PHONE_1] today'],
		['mail john@example。com now', 'mail [EMAIL_1] now'],
		// Two spaces inside a value: one space to the view.
		['card 4111 1111  1111 1111', 'card [CARD_1]'],
		// Character references and percent-encoding between the digits.
		['tel&#58; 06&#32;12&#32;34&#32;56&#32;78', 'tel&#58; [PHONE_1]'],
		['iban=FR76%203000%206000%200112%203456%207890%20189', 'iban=[IBAN_1]'],
		['card 4111&shy;1111&shy;1111&shy;1111.', 'card [CARD_1].'],
		// Full-width and Arabic-Indic digits.
		['\uff10\uff16 \uff11\uff12 \uff13\uff14 \uff15\uff16 \uff17\uff18', '[PHONE_1]'],
		['\u0660\u0666\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668', '[PHONE_1]'],
		// Phones split by spaces, dots, brackets; cards by dashes; IBANs in groups or glued to a word.
		['06 12 34 56 78 / 06.98.76.54.32 / (212) 555-0147', '[PHONE_1] / [PHONE_2] / [PHONE_3]'],
		['4111-1111-1111-1111 and 5500 0000 0000 0004', '[CARD_1] and [CARD_2]'],
		['IBAN FR76 3000 6000 0112 3456 7890 189.', 'IBAN [IBAN_1].'],
		['refDE89370400440532013000 end', 'ref[IBAN_1] end'],
		// One class's finding masked, with digits of its own, before the next class reads: the runs after it still count.
		['mail john.1234567@example.com, tel 06 12 34 56 78, card 4111 1111 1111 1111, iban DE89 3704 0044 0532 0130 00', 'mail [EMAIL_1], tel [PHONE_1], card [CARD_1], iban [IBAN_1]'],
		['4111111111111111@example.com 0612345678', '[EMAIL_1] [PHONE_1]'],
		// An IBAN runs exactly its country's length: the digits after it stay.
		['DE89370400440532013000123', '[IBAN_1]123'],
		// Short numbers of the prose all around a phone number.
		['version 2.41.1, order 12345 of 2024-03-15, room 404, +44 20 7946 0958, 3 items', 'version 2.41.1, order 12345 of 2024-03-15, room 404, [PHONE_1], 3 items'],
	];
	for (const [text, expected] of cases) {
		it(text, () => expect(redactor.redactText(text).value).toBe(expected));
	}

	it('an e-mail address written out in words (opt-in class)', () => {
		expect(all.redactText('write to jean dot dupont at gmail dot com').value).toBe('write to [EMAIL_1]');
	});
});

function zip({ starts, ends }: { starts: number[]; ends: number[] }): number[][] {
	return starts.map((s, i) => [s, ends[i]]);
}
