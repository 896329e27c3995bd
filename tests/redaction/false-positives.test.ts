import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import { Redactor } from '../../domain/redaction/redact';
import { luhnCheckDigit } from './corpus';

/**
 * Ordinary ticket content that a detector used to take for personal data, each with the verdict its format's
 * specification gives, written by hand. The node's defaults (e-mail, IBAN, card, phone; regions US, GB, FR, DE).
 */
const redactor = new Redactor();
const cardsOnly = new Redactor({ kinds: ['card'] });
const untouched = (r: Redactor, text: string) => expect(r.redactText(text), text).toEqual({ value: text, counts: {} });

/** A Luhn-valid number of `length` digits starting with `prefix`. */
const pan = (prefix: string, length: number) => {
	const body = (prefix + '31415926535897932384').slice(0, length - 1);
	return body + luhnCheckDigit(body);
};

describe('phone: a national form is written with its trunk prefix', () => {
	// Germany's paging ranges are 0164, 0168 and 0169 (Bundesnetzagentur); without the 0 these digits are order
	// numbers, invoice numbers and millisecond timestamps (1686360871623 = 2023-06-10).
	it('numbers starting 164, 168 or 169 without a trunk 0 stay; the same digits written with 0 or +49 are phones', () => {
		untouched(redactor, 'Order 16435170 has shipped');
		untouched(redactor, 'Invoice 1690412');
		untouched(redactor, 'created 1686360871623, updated 1643784859852');
		expect(redactor.redactText('Pager 0164 35170').value).toBe('Pager [PHONE_1]');
		expect(redactor.redactText('Pager +49 164 35170').value).toBe('Pager [PHONE_1]');
	});

	it('a JSON millisecond timestamp stays a number', () => {
		const ticket = { id: '48213', created_at_ms: 1686360871623, updated: 1643784859852 };
		expect(redactor.redact(ticket)).toEqual({ value: ticket, counts: {} });
	});
});

describe('phone: digits inside identifiers', () => {
	it('a request id, a commit and a digest stay whole', () => {
		untouched(redactor, 'request id 437938fa-0554-459f-9389-8b3da5a0b18f');
		untouched(redactor, 'REQUEST ID 437938FA-0554-459F-9389-8B3DA5A0B18F');
		untouched(redactor, 'commit 63d41e03689840e7d24bfe1ad5558ddb74510d55');
		untouched(redactor, 'sha256 170d0715866b912516950e672d1a3bee0af51600fab7282c895717ba8110f258');
		// Luhn-valid runs in issuer ranges inside digests: Maestro 56 (13 digits), Visa 4 (13 digits).
		untouched(redactor, 'sha256 63d7d7a4bf0611da5d5226482644d9a5682991154469ec1dee3320c1813ac7d4');
		untouched(redactor, 'sha1 0ee4520997272326d6320c4179926dae23d265e9');
	});

	it('no UUID, SHA-1 or SHA-256 of 2,000 samples each is touched', () => {
		const changed: string[] = [];
		for (let i = 0; i < 2_000; i++) {
			const sha256 = createHash('sha256').update(`ticket-${i}`).digest('hex');
			const sha1 = createHash('sha1').update(`ticket-${i}`).digest('hex');
			// RFC 9562 layout 8-4-4-4-12, version 4, variant 10xx.
			const uuid = `${sha256.slice(0, 8)}-${sha256.slice(8, 12)}-4${sha256.slice(13, 16)}-${'89ab'[Number.parseInt(sha256[16], 16) % 4]}${sha256.slice(17, 20)}-${sha256.slice(20, 32)}`;
			for (const id of [uuid, sha1, sha256]) {
				const text = `id ${id} done`;
				if (redactor.redactText(text).value !== text) changed.push(id);
			}
		}
		expect(changed).toEqual([]);
	});

	it('digits glued to letters on both sides are part of a code; glued on one side only, or beside a word, they are still read', () => {
		untouched(redactor, 'part AX0612345678B');
		expect(redactor.redactText('Tel0612345678').value).toBe('Tel[PHONE_1]');
		expect(redactor.redactText('Fax-0612345678').value).toBe('Fax-[PHONE_1]');
		expect(redactor.redactText('Cafe-0612345678').value).toBe('Cafe-[PHONE_1]');
		expect(redactor.redactText('id a1b2c3d4e5f6 call 06 12 34 56 78').value).toBe('id a1b2c3d4e5f6 call [PHONE_1]');
	});

	// UPS prints its sample tracking number in these groups; its check digit (4) is right.
	it('a UPS tracking number as UPS prints it stays whole', () => {
		untouched(redactor, 'Tracking 1Z 999 AA1 01 2345 6784');
		untouched(redactor, 'Tracking 1z 999 aa1 01 2345 6784 (UPS)');
	});
});

describe('card: the issuer ranges and lengths of the 6 series', () => {
	it('a row of prices whose digits pass Luhn is not a card', () => {
		// 640.57 727.66 445 → 6405772766445: 13 digits, Luhn-valid, but 640 belongs to no network.
		expect(luhnCheckDigit('640577276644')).toBe('5');
		untouched(redactor, 'Prices: 640.57 727.66 445.71');
	});

	it('Luhn-valid numbers outside Discover, UnionPay, Maestro and RuPay ranges, or of a length their network does not issue, stay', () => {
		const outside = [
			pan('61', 16),
			pan('6300', 16),
			pan('640', 16),
			pan('643', 16),
			pan('66', 16),
			pan('6760', 16),
			pan('68', 16),
			pan('69', 16),
			pan('6011', 13), // Discover 16–19
			pan('644', 15),
			pan('65', 13),
			pan('62', 15), // UnionPay 16–19
			pan('60', 19), // RuPay 16
		];
		for (const n of outside) untouched(cardsOnly, `card ${n}`);
		const inside: Array<[network: string, number: string]> = [
			['Discover 6011, 16', pan('6011', 16)],
			['Discover 6011, 19', pan('6011', 19)],
			['Discover 644, 16', pan('644', 16)],
			['Discover 649, 17', pan('649', 17)],
			['Discover 65, 16', pan('65', 16)],
			['UnionPay 62, 16', pan('62', 16)],
			['UnionPay 62, 19', pan('62', 19)],
			['Maestro 6304, 13', pan('6304', 13)],
			['Maestro 6759, 16', pan('6759', 16)],
			['Maestro 6761, 19', pan('6761', 19)],
			['Maestro 6763, 15', pan('6763', 15)],
			['Maestro UK 676770, 18', pan('676770', 18)],
			['RuPay 60, 16', pan('6070', 16)],
		];
		for (const [network, n] of inside) expect(cardsOnly.redactText(`card ${n}`).value, network).toBe('card [CARD_1]');
	});
});

describe('e-mail: an address ends where a URL or a sentence goes on', () => {
	it('keeps the other parameters of a query string', () => {
		expect(redactor.redactText('see https://shop.example/orders?email=john@example.com&order=48213 thanks').value).toBe(
			'see https://shop.example/orders?email=[EMAIL_1]&order=48213 thanks',
		);
		expect(redactor.redactText('https://shop.example/account?tab=2&user=ann.lee@example.org#billing').value).toBe('https://shop.example/account?tab=2&user=[EMAIL_1]#billing');
		expect(redactor.redactText('<a href="/orders?email=john@example.com&amp;order=48213">').value).toBe('<a href="/orders?email=[EMAIL_1]&amp;order=48213">');
		expect(redactor.redactText('mailto:help@shop.example?subject=Refund').value).toBe('mailto:[EMAIL_1]?subject=Refund');
	});

	it('the domain stops at a character no domain holds; a local part keeps "=" unless a query parameter ends there', () => {
		expect(redactor.redactText('Write to ann@example.org!').value).toBe('Write to [EMAIL_1]!');
		expect(redactor.redactText('ann@example.org=primary').value).toBe('[EMAIL_1]=primary');
		// VERP and SRS addresses carry "=" in their local part (RFC 5322 atext): all of it is the address.
		expect(redactor.redactText('bounce: list-bounces+ann=example.org@lists.example.net').value).toBe('bounce: [EMAIL_1]');
		expect(redactor.redactText('from SRS0=HHH=TT=example.org=ann@forwarder.example').value).toBe('from [EMAIL_1]');
	});
});
