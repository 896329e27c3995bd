import type { SampleTicket } from '../e2e/support/tickets';
import { random } from '../ledger/fixtures';

/**
 * Realistic helpdesk tickets in the generic field layout (id, subject, body, tags, category, language, channel,
 * priority, customer.tier, customer.region, createdAt). Deterministic for a given run id, so a failing run can be
 * replayed ticket for ticket.
 */
export type QueueTicket = Omit<SampleTicket, 'requester'>;

interface Template {
	weight: number;
	category: string;
	subjects: string[];
	body: string;
	tags: string[];
	channel?: string;
	language?: string;
	tier?: string;
}

/** The mix a mid-size SaaS helpdesk sees: billing and phone traffic heavy enough that the vendor caps bind. */
const TEMPLATES: Template[] = [
	{
		weight: 30,
		category: 'billing',
		subjects: ['Charged twice for the March invoice', 'Refund for cancelled annual plan', 'Invoice shows the wrong VAT number', 'Chargeback notice from my bank'],
		body: 'Hello, our finance team found a billing discrepancy on the last invoice. Please check and correct it.',
		tags: ['billing', 'invoice'],
	},
	{
		weight: 25,
		category: 'question',
		channel: 'phone',
		subjects: ['Callback requested: cannot log in', 'Voicemail: export not finishing', 'Phone call about seat upgrade'],
		body: 'Customer called the support line; transcript attached by the phone system.',
		tags: ['voice'],
	},
	{
		weight: 15,
		category: 'question',
		language: 'de',
		subjects: ['Passwort zurücksetzen funktioniert nicht', 'Frage zur Datenexport-Funktion', 'Rechnung auf Deutsch benötigt'],
		body: 'Guten Tag, ich habe eine Frage zu meinem Konto. Vielen Dank für Ihre Hilfe.',
		tags: ['dach'],
	},
	{
		weight: 5,
		category: 'incident',
		tier: 'enterprise',
		subjects: ['Possible account takeover, suspicious logins', 'Security questionnaire for our audit'],
		body: 'We noticed logins from an unknown country on an admin account. Please investigate urgently.',
		tags: ['security'],
	},
	{
		weight: 25,
		category: 'question',
		subjects: ['How do I add a teammate?', 'Dark mode on mobile?', 'Export to CSV misses a column', 'Webhook retries explained?'],
		body: 'Hi team, quick question about how a feature works. Thanks!',
		tags: ['how-to'],
	},
];

const CHANNELS = ['email', 'chat', 'web'];
const LANGUAGES = ['en', 'en', 'en', 'fr', 'es'];
const PRIORITIES = ['low', 'normal', 'normal', 'high', 'urgent'];
const TIERS = ['free', 'pro', 'pro', 'business'];
const REGIONS = ['eu', 'eu', 'us', 'uk'];

export function makeTickets(prefix: string, count: number, seed = 7): QueueTicket[] {
	const next = random(seed);
	const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)];
	const total = TEMPLATES.reduce((sum, t) => sum + t.weight, 0);
	const created = Date.parse('2026-11-26T09:00:00Z');
	return Array.from({ length: count }, (_, n) => {
		let roll = next() * total;
		const template = TEMPLATES.find((t) => (roll -= t.weight) < 0) ?? TEMPLATES[TEMPLATES.length - 1];
		return {
			id: `${prefix}-${String(n + 1).padStart(5, '0')}`,
			subject: pick(template.subjects),
			body: template.body,
			tags: template.tags,
			category: template.category,
			language: template.language ?? pick(LANGUAGES),
			channel: template.channel ?? pick(CHANNELS),
			priority: pick(PRIORITIES),
			customer: { tier: template.tier ?? pick(TIERS), region: pick(REGIONS) },
			createdAt: new Date(created + n * 1_000).toISOString(),
		};
	});
}

/** Groups tickets into webhook requests of 1..maxSize tickets (a helpdesk flushing its outbox). */
export function batches<T>(tickets: T[], maxSize: number, seed = 11): T[][] {
	const next = random(seed);
	const out: T[][] = [];
	for (let i = 0; i < tickets.length; ) {
		const size = 1 + Math.floor(next() * maxSize);
		out.push(tickets.slice(i, i + size));
		i += size;
	}
	return out;
}
