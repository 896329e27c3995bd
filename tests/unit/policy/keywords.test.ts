import { describe, expect, it } from 'vitest';

import { KeywordMatcher } from '../../../domain/policy/keywords';

const found = (keywords: string[], subject: string, body = '') => new KeywordMatcher([keywords]).match(subject, body).get(0) ?? [];

describe('keyword matching', () => {
	it('ignores case and accents, both ways', () => {
		expect(found(['Rückerstattung'], 'Bitte RUCKERSTATTUNG')).toEqual(['Rückerstattung']);
		expect(found(['remboursement'], 'Demande de rembóursement')).toEqual(['remboursement']);
		expect(found(['facture'], 'FACTURÉ deux fois')).toEqual(['facture']);
		expect(found(['café'], 'Le CAFE est froid')).toEqual(['café']);
		expect(found(['strasse'], 'Hauptstraße 1')).toEqual([]);
		expect(found(['straße'], 'Hauptstrasse 1 / Straße')).toEqual(['straße']);
	});

	it('matches whole words only', () => {
		expect(found(['refund'], 'refunds are slow')).toEqual([]);
		expect(found(['refund'], 'prerefund')).toEqual([]);
		expect(found(['refund'], 'need a refund.')).toEqual(['refund']);
		expect(found(['api'], 'rapid api-key')).toEqual(['api']);
		// An identifier is one word, in ASCII and in any other script alike.
		expect(found(['api', 'api key'], 'set API_KEY now')).toEqual([]);
		expect(found(['api'], 'set API_KEY, é')).toEqual([]);
		expect(found(['api_key'], 'set API_KEY now')).toEqual(['api_key']);
	});

	it('matches phrases across any separators but not across words', () => {
		expect(found(['invoice dispute'], 'An Invoice   Dispute!')).toEqual(['invoice dispute']);
		expect(found(['invoice dispute'], 'invoice-dispute')).toEqual(['invoice dispute']);
		expect(found(['invoice dispute'], 'invoice is a dispute')).toEqual([]);
		expect(found(['invoice dispute'], 'invoice disputes')).toEqual([]);
		expect(found(['invoice dispute'], 'an invoice')).toEqual([]);
		expect(found(['401 unauthorized'], 'got HTTP 401 Unauthorized')).toEqual(['401 unauthorized']);
	});

	it('reads subject and body', () => {
		expect(found(['chargeback'], 'Hello', 'We got a chargeback notice')).toEqual(['chargeback']);
	});

	it('handles non-Latin scripts: Cyrillic, Greek, Arabic as words; CJK and Thai as substrings', () => {
		expect(found(['возврат'], 'Прошу ВОЗВРАТ денег')).toEqual(['возврат']);
		expect(found(['возврат'], 'возвраты')).toEqual([]);
		expect(found(['επιστροφή'], 'Θέλω ΕΠΙΣΤΡΟΦΗ χρημάτων')).toEqual(['επιστροφή']);
		expect(found(['استرداد'], 'أريد استرداد المبلغ')).toEqual(['استرداد']);
		expect(found(['返金'], '注文の返金をお願いします')).toEqual(['返金']);
		expect(found(['退款'], '我想要退款')).toEqual(['退款']);
		expect(found(['คืนเงิน'], 'ขอคืนเงินด้วยครับ')).toEqual(['คืนเงิน']);
		expect(found(['환불'], '환불 요청합니다')).toEqual(['환불']);
	});

	it('survives emoji, full-width letters and mixed scripts', () => {
		expect(found(['refund'], '🔥🔥 ＲＥＦＵＮＤ 🔥')).toEqual(['refund']);
		expect(found(['refund'], 'refund😀')).toEqual(['refund']);
		expect(found(['refund'], '😀'.repeat(1000))).toEqual([]);
	});

	it('groups hits by rule and reports each keyword once', () => {
		const matcher = new KeywordMatcher([['refund', 'chargeback'], ['webhook'], []]);
		const hits = matcher.match('refund refund webhook', 'REFUND and chargeback');
		expect(hits.get(0)).toEqual(['refund', 'chargeback']);
		expect(hits.get(1)).toEqual(['webhook']);
		expect(hits.has(2)).toBe(false);
		expect(matcher.match('nothing here', '').size).toBe(0);
	});

	it('agrees between the ASCII fast path and the Unicode path', () => {
		const keywords = ['data breach', 'refund', 'api key', 'vat'];
		const matcher = new KeywordMatcher([keywords]);
		const texts = ['Data-Breach and API KEY, vat!', 'no refunds', 'an api  key', 'VAT', 'api_key', 'REFUND_2 refund2 refund'];
		for (const text of texts) {
			const ascii = matcher.match(text, '').get(0) ?? [];
			const unicode = matcher.match(`${text} é`, '').get(0) ?? [];
			expect(unicode).toEqual(ascii);
		}
	});

	it('reads millions of letters without a space, in any script, without overflowing, and finds the keyword after them', () => {
		// 3,000,000 letters in one run: more than the regular expression engine could hold a token of (the batch failed
		// with "Maximum call stack size exceeded" from about 2.5 million).
		const run = 3_000_000;
		const keywords = ['refund', '返金', 'возврат', 'คืนเงิน', 'استرداد', 'החזר'];
		const cases: Array<[string, string, string[]]> = [
			['注'.repeat(run) + '返金', '', ['返金']],
			['', 'я'.repeat(run) + ' возврат', ['возврат']],
			['ก'.repeat(run) + 'คืนเงิน', '', ['คืนเงิน']],
			['', 'ب'.repeat(run) + ' استرداد', ['استرداد']],
			['ש'.repeat(run) + ' החזר', '', ['החזר']],
			['x'.repeat(run) + 'é refund', '', ['refund']],
			['я'.repeat(run), '注'.repeat(run), []],
		];
		for (const [subject, body, expected] of cases) expect(found(keywords, subject, body)).toEqual(expected);
	}, 120_000);

	it('scans a 1 MB body', () => {
		const body = 'lorem ipsum dolor sit amet '.repeat(40_000) + 'chargeback';
		expect(found(['chargeback'], '', body)).toEqual(['chargeback']);
	});
});
