import { describe, expect, it } from 'vitest';

import { compilePath } from '../../../domain/ticket/path';
import { priorityRank } from '../../../domain/ticket/priority';
import { TicketReadError, ticketReader } from '../../../domain/ticket/read';

describe('field paths', () => {
	it('reads nested objects and array indexes, and yields undefined for missing steps', () => {
		const get = compilePath('ticket.custom_fields.1.value');
		expect(get({ ticket: { custom_fields: [{ value: 'a' }, { value: 'b' }] } })).toBe('b');
		expect(get({ ticket: null })).toBeUndefined();
		expect(get('not an object')).toBeUndefined();
		expect(compilePath('')({ a: 1 })).toBeUndefined();
	});
});

describe('ticket reader', () => {
	it('reads a Zendesk ticket with the zendesk preset', () => {
		const read = ticketReader({ preset: 'zendesk' });
		const payload = {
			id: 35436,
			subject: 'Help, my printer is on fire!',
			description: 'The fire is very colorful.',
			tags: ['enterprise', 'other_tag'],
			type: 'incident',
			priority: 'High',
			via: { channel: 'web' },
			created_at: '2026-07-20T22:55:29Z',
			requester: { locale: 'en-US', region: 'EU' },
			organization: { tier: 'VIP' },
		};
		const ticket = read(payload);
		expect(ticket).toEqual({
			id: '35436',
			subject: 'Help, my printer is on fire!',
			body: 'The fire is very colorful.',
			tags: ['enterprise', 'other_tag'],
			category: 'incident',
			language: 'en-us',
			channel: 'web',
			priority: 'high',
			tier: 'vip',
			region: 'eu',
			createdAt: Date.parse('2026-07-20T22:55:29Z'),
			dueAt: null,
			source: payload,
		});
	});

	it("translates Freshdesk's numeric source and priority", () => {
		const ticket = ticketReader({ preset: 'freshdesk' })({ id: 1, subject: 's', description_text: 'b', source: 3, priority: 4, custom_fields: { cf_language: 'fr' } });
		expect(ticket.channel).toBe('phone');
		expect(ticket.priority).toBe('urgent');
		expect(ticket.language).toBe('fr');
	});

	it('lets each path be overridden; empty overrides keep the preset', () => {
		const read = ticketReader({ preset: 'generic', overrides: { subject: 'ticket.title', body: ' ' } });
		const ticket = read({ id: 'A', ticket: { title: 'From override' }, body: 'kept' });
		expect(ticket.subject).toBe('From override');
		expect(ticket.body).toBe('kept');
	});

	it('fails only on a missing id, naming the path', () => {
		const read = ticketReader({ preset: 'generic' });
		for (const payload of [{}, { id: '' }, { id: '   ' }, { id: null }, { id: { nested: 1 } }, null, 'text', { id: Number.NaN }]) {
			expect(() => read(payload)).toThrow(TicketReadError);
		}
		expect(() => read({ subject: 'x' })).toThrow('ticket has no id at "id"');
		expect(read({ id: ' 42 ' }).id).toBe('42');
	});

	it('degrades every other field to null or empty instead of failing', () => {
		const ticket = ticketReader({ preset: 'generic' })({ id: 7, subject: { a: 1 }, body: null, tags: 42, category: '', language: ['en'], createdAt: 'not a date' });
		expect(ticket).toMatchObject({ id: '7', subject: '', body: '', tags: ['42'], category: null, language: null, createdAt: null });
	});

	it('drops tags that are empty or not text-like from a list, keeping the others in order', () => {
		// eslint-disable-next-line no-sparse-arrays
		const ticket = ticketReader({ preset: 'generic' })({ id: 1, tags: [null, ' Billing ', , '', { a: 1 }, 7, 'VIP', undefined] });
		expect(ticket.tags).toEqual(['billing', '7', 'vip']);
		expect(ticketReader({ preset: 'generic' })({ id: 2, tags: ['a', 'B'] }).tags).toEqual(['a', 'b']);
		expect(ticketReader({ preset: 'generic' })({ id: 3 }).tags).toEqual([]);
	});

	it('accepts tags as a comma-separated string and normalises their case', () => {
		const ticket = ticketReader({ preset: 'generic' })({ id: 1, tags: ' Legal, VIP ,,billing' });
		expect(ticket.tags).toEqual(['legal', 'vip', 'billing']);
	});

	it('trims and lower-cases labels, beyond ASCII too', () => {
		const t = ticketReader({ preset: 'generic' })({ id: '1', language: ' FR-CA ', channel: 'E-Mail', customer: { tier: 'ÉLITE', region: 'eu' } });
		expect([t.language, t.channel, t.tier, t.region]).toEqual(['fr-ca', 'e-mail', 'élite', 'eu']);
	});

	it('reads epoch seconds, epoch milliseconds and ISO dates', () => {
		const read = ticketReader({ preset: 'generic' });
		expect(read({ id: 1, createdAt: 1_780_000_000 }).createdAt).toBe(1_780_000_000_000);
		expect(read({ id: 1, createdAt: 1_780_000_000_000 }).createdAt).toBe(1_780_000_000_000);
		expect(read({ id: 1, createdAt: '1780000000' }).createdAt).toBe(1_780_000_000_000);
		expect(read({ id: 1, createdAt: '2026-03-29T01:30:00+01:00' }).createdAt).toBe(Date.UTC(2026, 2, 29, 0, 30));
	});
});

describe('priority rank', () => {
	it('orders urgent above high above normal above low, unknown as normal', () => {
		expect(priorityRank('urgent')).toBeGreaterThan(priorityRank('high'));
		expect(priorityRank('high')).toBeGreaterThan(priorityRank('normal'));
		expect(priorityRank('normal')).toBeGreaterThan(priorityRank('low'));
		expect(priorityRank(null)).toBe(priorityRank('normal'));
		expect(priorityRank('whatever')).toBe(priorityRank('medium'));
	});
});
