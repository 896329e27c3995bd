import { describe, expect, it } from 'vitest';

import { parsePolicy, PolicyError } from '../../../domain/policy/parse';
import { policy, route, snapshot, TEAM, ticket } from '../routing/fixtures';

const destinations = [TEAM, { id: 'nightdesk', kind: 'external' as const, contract: 'outsourcing' as const, dpa: true, allowedFields: ['id'] }];
const office = {
	id: 'office',
	name: 'Office hours',
	hours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '19:00' }],
	holidays: [{ date: '2026-12-24', name: 'Company day' }, { from: '2026-12-28', to: '2026-12-31', name: 'Year-end closure' }, '2026-08-14'],
	publicHolidays: { country: 'FR' },
};
const afterHours = policy({
	timezone: 'Europe/Paris',
	destinations,
	schedules: [office],
	rules: [{ id: 'after-hours', kind: 'outsourcing', when: { outsideSchedule: 'office' }, target: 'nightdesk' }],
} as never);

/** Where a ticket decided at this instant goes, and the schedule term that explains it. */
function at(iso: string) {
	const d = route(afterHours, [ticket('t')], snapshot(), { now: Date.parse(iso) }).delegations[0];
	return { destination: d.destination, matched: d.matched };
}

describe('business-hours schedules', () => {
	it('sends Monday 03:00 after a weekend to the night vendor (the weekly-window trap does not exist here)', () => {
		// Monday 2026-06-15 03:00 in Paris (CEST, UTC+2) is 01:00Z.
		expect(at('2026-06-15T01:00:00Z')).toEqual({ destination: 'nightdesk', matched: ['schedule:outside office (closed: mon 03:00)'] });
		// The README's former weekly windows: weekday nights 19:00–08:00 belong to the day they start, the weekend
		// window ends at Sunday midnight, so Monday 03:00 matched neither and stayed with the team.
		const weekly = policy({
			timezone: 'Europe/Paris',
			destinations,
			rules: [
				{
					id: 'nights-weekends',
					kind: 'outsourcing',
					when: {
						timeWindows: [
							{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '19:00', to: '08:00' },
							{ days: ['sat', 'sun'], from: '00:00', to: '24:00' },
						],
					},
					target: 'nightdesk',
				},
			],
		} as never);
		expect(route(weekly, [ticket('t')], snapshot(), { now: Date.parse('2026-06-15T01:00:00Z') }).delegations[0].destination).toBe('team');
	});

	it('is open in business hours and closed in the evening and at weekends', () => {
		expect(at('2026-06-15T06:00:00Z').destination).toBe('team'); // Mon 08:00 CEST: opens
		expect(at('2026-06-15T05:59:00Z').matched).toEqual(['schedule:outside office (closed: mon 07:59)']);
		expect(at('2026-06-15T16:59:00Z').destination).toBe('team'); // Mon 18:59
		expect(at('2026-06-15T17:00:00Z').matched).toEqual(['schedule:outside office (closed: mon 19:00)']);
		expect(at('2026-06-13T10:00:00Z').matched).toEqual(['schedule:outside office (closed: sat 12:00)']);
	});

	it('follows the wall clock across both DST changes', () => {
		// Spring forward on Sunday 2026-03-29: Friday before, 08:00 CET is 07:00Z; Monday after, 08:00 CEST is 06:00Z.
		expect(at('2026-03-27T06:59:00Z').destination).toBe('nightdesk');
		expect(at('2026-03-27T07:00:00Z').destination).toBe('team');
		expect(at('2026-03-30T05:59:00Z').destination).toBe('nightdesk');
		expect(at('2026-03-30T06:00:00Z').destination).toBe('team');
		// Fall back on Sunday 2026-10-25: Friday before, 19:00 CEST is 17:00Z; Monday after, 08:00 CET is 07:00Z.
		expect(at('2026-10-23T16:59:00Z').destination).toBe('team');
		expect(at('2026-10-23T17:00:00Z').destination).toBe('nightdesk');
		expect(at('2026-10-26T06:59:00Z').destination).toBe('nightdesk');
		expect(at('2026-10-26T07:00:00Z').destination).toBe('team');
	});

	it('is closed on French public holidays: Bastille Day and Whit Monday (Easter 2026 is 5 April, so 25 May)', () => {
		const bastille = at('2026-07-14T08:00:00Z'); // Tuesday 10:00 CEST
		expect(bastille.destination).toBe('nightdesk');
		expect(bastille.matched[0]).toMatch(/^schedule:outside office \(closed: public holiday ".+"\)$/);
		expect(at('2026-05-25T08:00:00Z').matched[0]).toMatch(/public holiday/);
		expect(at('2026-05-26T08:00:00Z').destination).toBe('team'); // the Tuesday after is a working day
		expect(at('2026-05-24T08:00:00Z').matched).toEqual(['schedule:outside office (closed: sun 10:00)']);
	});

	it('is closed on company holidays: a date, a named date and a range', () => {
		expect(at('2026-12-24T09:00:00Z').matched).toEqual(['schedule:outside office (closed: holiday "Company day")']);
		expect(at('2026-08-14T08:00:00Z').matched).toEqual(['schedule:outside office (closed: holiday 2026-08-14)']);
		expect(at('2026-12-30T09:00:00Z').matched).toEqual(['schedule:outside office (closed: holiday "Year-end closure")']);
		expect(at('2027-01-04T09:00:00Z').destination).toBe('team'); // Monday after New Year
	});

	it('knows regional holidays: Epiphany (6 January) closes Bavaria, not Berlin', () => {
		const region = (code: string) =>
			policy({
				timezone: 'Europe/Berlin',
				destinations,
				schedules: [{ id: 'office', hours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '18:00' }], publicHolidays: { country: 'DE', region: code } }],
				rules: [{ id: 'closed', kind: 'outsourcing', when: { outsideSchedule: 'office' }, target: 'nightdesk' }],
			} as never);
		const tuesdayJan6 = Date.parse('2026-01-06T10:00:00Z'); // 11:00 in Germany
		expect(route(region('BY'), [ticket('t')], snapshot(), { now: tuesdayJan6 }).delegations[0].destination).toBe('nightdesk');
		expect(route(region('BE'), [ticket('t')], snapshot(), { now: tuesdayJan6 }).delegations[0].destination).toBe('team');
	});

	it('"within" a schedule matches while it is open', () => {
		const within = policy({
			timezone: 'Europe/Paris',
			destinations,
			schedules: [office],
			rules: [{ id: 'daytime', kind: 'outsourcing', when: { withinSchedule: 'office', channels: ['phone'] }, target: 'nightdesk' }],
		} as never);
		const decide = (iso: string) => route(within, [ticket('t', { channel: 'phone' })], snapshot(), { now: Date.parse(iso) }).delegations[0];
		expect(decide('2026-06-16T08:00:00Z')).toMatchObject({ destination: 'nightdesk', matched: ['channel:phone', 'schedule:within office (open mon,tue,wed,thu,fri 08:00-19:00)'] });
		expect(decide('2026-06-16T20:00:00Z').destination).toBe('team');
	});
});

describe('schedule validation', () => {
	const issues = (input: object) => {
		try {
			parsePolicy({ destinations, defaultDestination: 'team', ...input });
			return [];
		} catch (error) {
			expect(error).toBeInstanceOf(PolicyError);
			return (error as PolicyError).issues;
		}
	};

	it('names the exact path of each problem', () => {
		expect(
			issues({
				schedules: [
					{ id: 'office', hours: [{ days: ['mon'], from: '19:00', to: '08:00' }], publicHolidays: { country: 'XX' } },
					{ id: 'office', hours: [{ days: ['mon'], from: '08:00', to: '18:00' }], holidays: [{ from: '2026-12-31', to: '2026-12-24' }], publicHolidays: { country: 'DE', region: 'ZZ' } },
				],
				rules: [
					{ id: 'a', kind: 'outsourcing', when: { outsideSchedule: 'offise' }, target: 'nightdesk' },
					{ id: 'b', kind: 'outsourcing', when: { withinSchedule: 'office', outsideSchedule: 'office' }, target: 'nightdesk' },
				],
			}),
		).toEqual([
			'schedules[0].publicHolidays.country: unknown country "XX" (use an ISO 3166-1 code, e.g. "FR", "DE", "US")',
			expect.stringMatching(/^schedules\[1\]\.publicHolidays\.region: unknown region "ZZ" of DE \(regions: .*BY.*\)$/),
			'schedules[0].hours[0].to: must be after "from" (19:00): opening hours stay within one day; for a night shift add the hours after midnight as the next day\'s',
			'schedules[1].id: duplicate schedule id "office"',
			'schedules[1].holidays[0].to: ends before it starts (2026-12-31)',
			'rules[0].when.outsideSchedule: unknown schedule "offise" (schedules: office)',
			'rules[1].when.outsideSchedule: can never hold together with withinSchedule "office"',
		]);
		expect(issues({ schedules: [{ id: 'x', hours: [] }] })).toEqual([expect.stringMatching(/^schedules\[0\]\.hours: needs opening hours/)]);
	});
});
