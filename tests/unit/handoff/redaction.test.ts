import { describe, expect, it } from 'vitest';

import { mod97, passesLuhn } from '../../../domain/redaction/checksums';
import { Redactor } from '../../../domain/redaction/redact';
import { PII_CORPUS, SAFE_CORPUS } from './pii-corpus';

const redactor = new Redactor();
const text = (s: string) => redactor.redactText(s);

describe('checksums', () => {
	it('Luhn accepts real test card numbers and rejects one digit off', () => {
		expect(passesLuhn('4111111111111111')).toBe(true);
		expect(passesLuhn('5500 0000 0000 0004')).toBe(true);
		expect(passesLuhn('4111111111111112')).toBe(false);
		expect(passesLuhn('1234')).toBe(false);
	});

	it('mod 97 of long decimal strings (ISO 7064 MOD 97-10 as IBANs and the French NIR use it)', () => {
		// DE89 3704 0044 0532 0130 00 rearranged: 370400440532013000 + DE(1314) + 89 → remainder 1.
		expect(mod97('370400440532013000131489')).toBe(1);
		expect(mod97('97')).toBe(0);
		expect(mod97('9700000000000000000001')).toBe(1);
	});
});

describe('Redactor on the PII corpus', () => {
	it.each(PII_CORPUS)('$name: no listed value survives, each kind is counted', ({ input, values, counts }) => {
		const { value, counts: got } = text(input);
		for (const v of values) expect(value).not.toContain(v);
		expect(got).toEqual(counts);
	});

	it.each(SAFE_CORPUS)('$name: left exactly as it was', ({ input }) => {
		expect(text(input)).toEqual({ value: input, counts: {} });
	});
});

describe('tokens', () => {
	it('gives the same value the same token within a ticket, whatever its formatting', () => {
		const { value } = redactor.redact({
			subject: 'Refund to Jane@Example.com',
			body: 'Write to jane@example.com or bob@example.org. Card 4111 1111 1111 1111, again 4111-1111-1111-1111.',
		});
		expect(value).toEqual({
			subject: 'Refund to [EMAIL_1]',
			body: 'Write to [EMAIL_1] or [EMAIL_2]. Card [CARD_1], again [CARD_1].',
		});
	});

	it('starts numbering again for the next ticket, so tokens never link two tickets', () => {
		expect(redactor.redact({ b: 'x@y.io' }).value).toEqual({ b: '[EMAIL_1]' });
		expect(redactor.redact({ b: 'z@y.io' }).value).toEqual({ b: '[EMAIL_1]' });
	});

	it('counts occurrences per kind, never values', () => {
		const { counts } = redactor.redact({ a: 'a@b.co a@b.co', b: ['+33 6 12 34 56 78'] });
		expect(counts).toEqual({ email: 2, phone: 1 });
		expect(JSON.stringify(counts)).not.toContain('a@b.co');
	});

	it('walks nested objects and arrays, redacting keys and numbers too; booleans and small numbers stay', () => {
		const { value } = redactor.redact({ n: 4111111111111111, qty: 3, ok: true, list: [{ note: 'mail a@b.co' }], 'a@b.co': 1 });
		expect(value).toEqual({ n: '[CARD_1]', qty: 3, ok: true, list: [{ note: 'mail [EMAIL_1]' }], '[EMAIL_1]': 1 });
	});

	it('redacts a 16–19-digit JSON number above 2^53 in a card issuer range and length as a card: rounded, Luhn cannot check it', () => {
		// JSON.parse rounds these to the nearest double; 15 leading digits would otherwise reach the vendor.
		const ticket = JSON.parse('{"pan":6212345678901234567,"visa":4539148803436467123,"twice":[6212345678901234567],"id":1686360871623000001,"visa17":45391488034364671,"wide":62123456789012345678}');
		const { value, counts } = redactor.redact(ticket);
		// A snowflake id (no issuer prefix), a 4-series number of a length Visa does not issue, and 20 digits stay numbers.
		const rounded = (digits: string) => Number(digits);
		expect(value).toEqual({
			pan: '[CARD_1]',
			visa: '[CARD_2]',
			twice: ['[CARD_1]'],
			id: rounded('1686360871623000001'),
			visa17: rounded('45391488034364671'),
			wide: rounded('62123456789012345678'),
		});
		expect(counts).toEqual({ card: 3 });
	});
});

describe('configuration', () => {
	it('runs only the detectors asked for', () => {
		const emailsOnly = new Redactor({ kinds: ['email'] });
		expect(emailsOnly.redactText('a@b.co +33 6 12 34 56 78').value).toBe('[EMAIL_1] +33 6 12 34 56 78');
	});

	it('applies custom patterns as their own kind', () => {
		const r = new Redactor({ patterns: [{ name: 'order', pattern: 'ORD-\\d{6}' }, { name: 'badge', pattern: 'emp-[a-z]+', caseInsensitive: true }] });
		expect(r.redactText('ORD-123456 and ORD-123456, EMP-jones')).toEqual({
			value: '[ORDER_1] and [ORDER_1], [BADGE_1]',
			counts: { order: 2, badge: 1 },
		});
	});

	it('replaces whole fields by a token whatever they hold', () => {
		const r = new Redactor({ fields: ['requester.name', 'missing.path'] });
		expect(r.redact({ requester: { name: 'Zoë Ångström', tier: 'gold' } })).toEqual({
			value: { requester: { name: '[FIELD_1]', tier: 'gold' } },
			counts: { field: 1 },
		});
	});

	it('rejects a pattern that does not compile or matches the empty string, naming it', () => {
		expect(() => new Redactor({ patterns: [{ name: 'broken', pattern: '(' }] })).toThrow(/"broken" \(\(\) is not a regular expression RE2 accepts/);
		expect(() => new Redactor({ patterns: [{ name: 'empty', pattern: 'x*' }] })).toThrow(/"empty" \(x\*\) matches the empty string/);
	});
});
