import { describe, expect, it } from 'vitest';

import { Redactor } from '../../domain/redaction/redact';

const redactor = new Redactor();
const digitsLeft = (s: string) => s.replace(/\[[A-Z_]+_\d+\]/g, '').replace(/\D/g, '');

describe('phone numbers in runs of digits', () => {
	it('finds every number of a long list, whatever separates them', () => {
		// 500 French mobiles 06 00 00 00 00 … 06 00 00 04 99 (ARCEP: 06 + 8 digits), four list styles.
		const numbers = Array.from({ length: 500 }, (_, i) => `06 00 00 ${String(Math.floor(i / 100)).padStart(2, '0')} ${String(i % 100).padStart(2, '0')}`);
		// One per line, one per cell of a pasted row, double-spaced: the view joins a short whitespace run inside a value,
		// never between two numbers this long.
		for (const glue of [' / ', ', ', ' or ', ' ; ', '\n', '\r\n', '\t', '  ', ' \n']) {
			const { value, counts } = redactor.redactText(numbers.join(glue));
			expect(digitsLeft(value), glue).toBe('');
			expect(counts.phone, glue).toBe(500);
		}
	});

	it('finds a number beside a stray group of digits', () => {
		for (const text of ['qty 2 06 12 34 56 78', 'ref 0 0161 496 0123', '+41 44 668 18 00 0', 'A1 020 7946 0958', '(212) 555-0147 4111-1111-1111-1111']) {
			const { value } = redactor.redactText(text);
			expect(value, text).not.toMatch(/0147|56 78|496 0123|668 18|7946/);
		}
	});

	it('finds a number written with "/" between every group, and leaves a date written with slashes alone', () => {
		// Ofcom's drama range (020 7946 0xxx), Swiss (+41 44 …), Berlin (030) and a French mobile (06), as people type them.
		for (const phone of ['+44/20/7946/0958', '+41/44/668/18/00', '0049/30/12345678', '06/12/34/56/78', '+33 6/12/34/56/78']) {
			const { value, counts } = redactor.redactText(`Please call me back on ${phone} today`);
			expect(value, phone).toBe('Please call me back on [PHONE_1] today');
			expect(counts.phone, phone).toBe(1);
		}
		for (const date of ['03/15/2024 10:30', '15/03/2024 1030', '2024/03/15 12:00']) {
			expect(redactor.redactText(`Ordered on ${date} and still waiting`).value, date).toBe(`Ordered on ${date} and still waiting`);
		}
	});

	it('reads a 100,000-digit run (a data blob) in bounded slices and finds no number inside it', () => {
		// A multiplicative sequence mod 10, not periodic within the run: no chunk is read twice from the cache.
		let x = 7;
		const blob = Array.from({ length: 100_000 }, () => ((x = (x * 48271) % 2147483647), x % 10)).join('');
		// One unbroken run of digits has no edges inside it where a number could start or end.
		expect(redactor.redactText(`data:${blob}`)).toEqual({ value: `data:${blob}`, counts: {} });
	});
});
