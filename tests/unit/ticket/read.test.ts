import { describe, expect, it } from 'vitest';

import { compilePath } from '../../../domain/ticket/path';
import { priorityRank } from '../../../domain/ticket/priority';
import { TicketReadError, ticketReader } from '../../../domain/ticket/read';
import { onServerIn } from '../../harness/server-zone';

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
	it('is compiled once per mapping and reused by later executions; another path or zone gets its own', () => {
		const mapping = { preset: 'generic' as const, overrides: { subject: 'title' }, zone: 'Europe/Berlin' };
		const read = ticketReader(mapping);
		expect(ticketReader({ ...mapping, overrides: { subject: 'title' } })).toBe(read);
		const other = ticketReader({ ...mapping, overrides: { subject: 'headline' } });
		expect(other).not.toBe(read);
		expect(ticketReader({ ...mapping, zone: 'UTC' })).not.toBe(read);
		expect(read({ id: 1, title: 'From title', headline: 'From headline' }).subject).toBe('From title');
		expect(other({ id: 1, title: 'From title', headline: 'From headline' }).subject).toBe('From headline');
	});

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

describe('ticket times: ISO 8601 or epoch, never the server\'s time zone', () => {
	const createdAt = (value: unknown, zone?: string) => ticketReader({ preset: 'generic', zone })({ id: 't', createdAt: value }).createdAt;

	it('reads a time without an offset on the policy\'s wall clock, whatever the server\'s time zone', () => {
		for (const server of ['UTC', 'Asia/Tokyo', 'America/New_York']) {
			onServerIn(server, () => {
				// Paris is UTC+2 in summer (CEST) and UTC+1 in winter (CET).
				expect(createdAt('2026-06-01T11:00:00', 'Europe/Paris')).toBe(Date.UTC(2026, 5, 1, 9, 0));
				expect(createdAt('2026-01-15 08:00', 'Europe/Paris')).toBe(Date.UTC(2026, 0, 15, 7, 0));
				// A date alone is its local midnight.
				expect(createdAt('2026-06-01', 'Europe/Paris')).toBe(Date.UTC(2026, 4, 31, 22, 0));
				// 02:30 on 29 March 2026 does not exist in Paris (02:00 CET → 03:00 CEST): forward by the gap, 03:30 CEST.
				expect(createdAt('2026-03-29T02:30:00', 'Europe/Paris')).toBe(Date.UTC(2026, 2, 29, 1, 30));
				// Tokyo is UTC+9 all year.
				expect(createdAt('2026-06-01T11:00:00.500', 'Asia/Tokyo')).toBe(Date.UTC(2026, 5, 1, 2, 0, 0, 500));
				// Without a zone (a reader outside a policy): UTC, the policy default.
				expect(createdAt('2026-06-01T11:00:00')).toBe(Date.UTC(2026, 5, 1, 11, 0));
			});
		}
	});

	it('reads a time with Z or an offset as that instant, in every ISO 8601 offset form', () => {
		onServerIn('Asia/Tokyo', () => {
			expect(createdAt('2026-06-01T11:00:00Z', 'Europe/Paris')).toBe(Date.UTC(2026, 5, 1, 11, 0));
			expect(createdAt(' 2026-06-01T11:00:00.250+02:00 ', 'UTC')).toBe(Date.UTC(2026, 5, 1, 9, 0, 0, 250));
			expect(createdAt('2026-06-01T11:00:00+0200', 'UTC')).toBe(Date.UTC(2026, 5, 1, 9, 0));
			expect(createdAt('2026-06-01T11:00+02', 'UTC')).toBe(Date.UTC(2026, 5, 1, 9, 0));
			expect(createdAt('2026-06-01T06:30:00-05:30', 'UTC')).toBe(Date.UTC(2026, 5, 1, 12, 0));
			expect(createdAt('2026-06-01 11:00:00.123456Z', 'UTC')).toBe(Date.UTC(2026, 5, 1, 11, 0, 0, 123));
		});
	});

	it('is no time for anything but ISO 8601 and epoch numbers, nor for a date that does not exist: the field degrades to empty', () => {
		const junk: unknown[] = [
			'-1',
			'June 1',
			'ticket 12',
			'urgent 3',
			'01/06/2026',
			'Mon, 01 Jun 2026 11:00:00 GMT',
			'2026-06-01T11:00:00 Europe/Paris',
			'2026-02-30T10:00:00Z',
			'2026-06-01T24:00:00Z',
			'2026-06-01T11:60Z',
			'2026-06-01T11:00:00+24:00',
			'2026-06-01T11:00:00+99:99',
			'',
			'   ',
			true,
			{ at: '2026-06-01T11:00:00Z' },
			['2026-06-01T11:00:00Z'],
		];
		onServerIn('UTC', () => {
			for (const value of junk) expect([value, createdAt(value, 'Europe/Paris')]).toEqual([value, null]);
		});
		// The due time is read the same way.
		expect(ticketReader({ preset: 'generic' })({ id: 't', dueAt: 'urgent 3' }).dueAt).toBeNull();
	});

	it('reads Unix time: seconds below 1e11, milliseconds from 1e11; zero, negative and past the year 9999 are no time', () => {
		expect(createdAt(1_780_000_000)).toBe(1_780_000_000_000);
		expect(createdAt('1780000000')).toBe(1_780_000_000_000);
		expect(createdAt(1_780_000_000_000)).toBe(1_780_000_000_000);
		expect(createdAt(99_999_999_999)).toBe(99_999_999_999_000);
		expect(createdAt(100_000_000_000)).toBe(100_000_000_000);
		expect(createdAt(0)).toBeNull();
		expect(createdAt(-1)).toBeNull();
		expect(createdAt(Number.NaN)).toBeNull();
		// 10000-01-01T00:00:00Z: beyond the four-digit years an ISO time can name.
		expect(createdAt(Date.UTC(9999, 11, 31, 23, 59, 59, 999))).toBe(Date.UTC(9999, 11, 31, 23, 59, 59, 999));
		expect(createdAt(253_402_300_800_000)).toBeNull();
		expect(createdAt(1e20)).toBeNull();
		expect(createdAt('99999999999999999999')).toBeNull();
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
