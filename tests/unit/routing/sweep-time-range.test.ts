import { describe, expect, it } from 'vitest';

import { compileSla } from '../../../domain/policy/sla';
import { sweepPlan } from '../../../domain/routing/sweep';
import { NOW, policy, route, snapshot, TEAM, ticket } from './fixtures';

const minute = 60_000;
/** The last instant a JavaScript Date can hold: 8.64e15 ms after 1970, in September of the year 275760. */
const LAST = '+275760-09-13T00:00:00.000Z';

// The schema refuses a pace below 0.01 tickets an hour; these build the SLA without it, as a policy that slipped past
// it (or a later change to it) would, to show the sweep itself never throws on a time a Date cannot hold.
// At 1e-12 tickets an hour, each ticket takes 6e13 minutes = 3.6e18 ms: far past the last Date (8.64e15 ms).
const crawling = compileSla({ targetMinutes: { normal: 60 }, teamTicketsPerHour: 1e-12 });

describe('sweep with a time past the range of a Date', () => {
	it('delegates the tickets the team cannot reach and says so, with the time capped at the last date', () => {
		// Due: a created 10 min ago + 60 = NOW + 50 min; b created 20 min ago + 60 = NOW + 40 min → order b, a.
		const tickets = [ticket('a', { createdAt: NOW - 10 * minute }), ticket('b', { createdAt: NOW - 20 * minute })];
		const plan = sweepPlan(tickets, 5, crawling, NOW);
		expect(plan.order).toEqual([1, 0]);
		expect([...plan.kept]).toEqual([]);
		expect(plan.notes.get(1)).toBe(`sweep:SLA due 2026-06-10T12:40:00.000Z, the team would reach it after ${LAST}`);
		expect(plan.notes.get(0)).toBe(`sweep:SLA due 2026-06-10T12:50:00.000Z, the team would reach it after ${LAST}`);
	});

	it('a due time past the last date is capped too', () => {
		// 1e12 minutes = 6e16 ms after creation: past the last Date; the team, 3.6e18 ms away, is later still.
		const sla = compileSla({ targetMinutes: { normal: 1e12 }, teamTicketsPerHour: 1e-12 });
		const plan = sweepPlan([ticket('far', { createdAt: NOW })], 1, sla, NOW);
		expect(plan.notes.get(0)).toBe(`sweep:SLA due after ${LAST}, the team would reach it after ${LAST}`);
	});

	it('routes the whole batch instead of failing it', () => {
		const vendor = { id: 'surge', kind: 'external' as const, contract: 'capacity' as const, dpa: true, allowedFields: ['id'] };
		const base = policy({ destinations: [TEAM, vendor], rules: [{ id: 'peak', kind: 'overflow', targets: ['surge'], overflow: { capacityPerHour: 1000 } }] });
		const p = { ...base, sla: crawling, usesDueTime: true };
		const tickets = [ticket('a', { createdAt: NOW - 10 * minute }), ticket('b', { createdAt: NOW - 20 * minute })];
		const { delegations } = route(p, tickets, snapshot({ now: NOW }), { now: NOW, sweepCapacity: 5 });
		expect(delegations.map((d) => [d.ticketId, d.destination, d.matched[0]])).toEqual([
			['a', 'surge', `sweep:SLA due 2026-06-10T12:50:00.000Z, the team would reach it after ${LAST}`],
			['b', 'surge', `sweep:SLA due 2026-06-10T12:40:00.000Z, the team would reach it after ${LAST}`],
		]);
	});
});
