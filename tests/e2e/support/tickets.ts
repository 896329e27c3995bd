/**
 * Realistic helpdesk tickets in the Ticket Router's Generic layout, deterministic per index so a failing run can be
 * replayed: a mix of billing disputes, phone calls, VIP and security cases, and everyday how-to questions, in several
 * languages and regions, with PII in the text the way real tickets have it.
 */
const KINDS = [
	{ subject: 'Chargeback on invoice INV-{n}', body: 'My bank reports a chargeback; I was double charged for order {n}. Call me at +49 151 2345{n}.', category: 'billing', channel: 'email', tags: ['billing'] },
	{ subject: 'Please call me back about my delivery', body: 'Parcel {n} never arrived. Reach me on +33 6 12 34 {n}.', category: 'delivery', channel: 'phone', tags: ['shipping'] },
	{ subject: 'Cannot find the CSV export', body: 'Where is the export button in the reports dashboard? (account {n})', category: 'product', channel: 'email', tags: ['how-to'] },
	{ subject: 'Suspicious login, possible account takeover', body: 'Someone changed my e-mail to attacker{n}@example.net. Security incident?', category: 'security', channel: 'chat', tags: ['account'] },
	{ subject: 'Password reset link expired', body: 'The reset e-mail to user{n}@example.com expired before I clicked it.', category: 'account', channel: 'email', tags: ['login'] },
	{ subject: 'Invoice dispute for the annual plan', body: 'We dispute invoice {n}: the contract price is lower. IBAN DE89 3704 0044 0532 0130 00.', category: 'billing', channel: 'email', tags: ['billing'] },
	{ subject: 'Integration webhook returns 500', body: 'Our integration {n} gets HTTP 500 from your API since this morning.', category: 'technical', channel: 'portal', tags: ['api'] },
] as const;
const LANGUAGES = ['en', 'de', 'fr', 'es', 'en', 'en'];
const REGIONS = ['eu', 'us', 'eu', 'apac'];
const PRIORITIES = ['low', 'normal', 'normal', 'high', 'urgent'];

export interface SampleTicket {
	id: string;
	subject: string;
	body: string;
	tags: string[];
	category: string;
	language: string;
	channel: string;
	priority: string;
	customer: { tier: string; region: string };
	requester: { email: string };
	createdAt: string;
}

export function sampleTicket(index: number, prefix = 'W'): SampleTicket {
	const kind = KINDS[index % KINDS.length];
	const n = String(1000 + index);
	const fill = (text: string) => text.replaceAll('{n}', n);
	return {
		id: `${prefix}-${String(index + 1).padStart(4, '0')}`,
		subject: fill(kind.subject),
		body: fill(kind.body),
		tags: [...kind.tags],
		category: kind.category,
		language: LANGUAGES[index % LANGUAGES.length],
		channel: kind.channel,
		priority: PRIORITIES[index % PRIORITIES.length],
		customer: { tier: index % 11 === 0 ? 'vip' : 'standard', region: REGIONS[index % REGIONS.length] },
		requester: { email: `customer${n}@example.com` },
		createdAt: new Date(Date.UTC(2026, 10, 26, 8, 0, 0) + index * 60_000).toISOString(),
	};
}
