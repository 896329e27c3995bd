import { describe, expect, it } from 'vitest';

import { policy, route, snapshot, TEAM, ticket } from './fixtures';

const minute = 60_000;
const at = (hhmm: string, day = '2026-06-10') => Date.parse(`${day}T${hhmm}:00Z`);
const NOW = at('12:00');

const destinations = [TEAM, { id: 'surge', kind: 'external' as const, contract: 'capacity' as const, capacityPerHour: 2, dpa: true, allowedFields: ['id'] }];
const sla = { targetMinutes: { urgent: 60, high: 240, normal: 1440, low: 2880 }, teamTicketsPerHour: 4 };

// Due times, worked out by hand (created + target for the priority, or the helpdesk's own):
// A low, created 11:00 → 12 June 11:00 · B urgent, created 11:30 → 12:30 · C helpdesk due 12:20 · D high, created
// 09:00 → 13:00 · E urgent, created 10:00 → 11:00 (overdue) · F normal, no dates → none · G high, created 10:00 → 14:00.
const backlog = [
	ticket('A', { priority: 'low', createdAt: at('11:00') }),
	ticket('B', { priority: 'urgent', createdAt: at('11:30') }),
	ticket('C', { priority: 'normal', createdAt: at('09:00'), dueAt: at('12:20') }),
	ticket('D', { priority: 'high', createdAt: at('09:00') }),
	ticket('E', { priority: 'urgent', createdAt: at('10:00') }),
	ticket('F', { priority: 'normal' }),
	ticket('G', { priority: 'high', createdAt: at('10:00') }),
];

describe('SLA-aware backlog sweep', () => {
	const p = policy({ destinations, sla, rules: [{ id: 'peak', kind: 'overflow', targets: ['surge'], overflow: { capacityPerHour: 1000 } }] } as never);

	it('keeps the tickets the team can still meet, most urgent first, and delegates the rest most urgent first', () => {
		// Order by due time: E 11:00, C 12:20, B 12:30, D 13:00, G 14:00, A (12 June), F (none). At 4 tickets an hour
		// the k-th ticket kept is reached at 12:00 + 15k min. E: reached 12:15 > 11:00 → delegated; C 12:15 ≤ 12:20,
		// B 12:30 ≤ 12:30, D 12:45 ≤ 13:00 → kept (capacity 3 is then full); G, A, F → delegated.
		// The vendor takes 2 an hour: E and G (the most urgent delegated) get it, A and F stay with the team.
		const { delegations, rows } = route(p, backlog, snapshot({ now: NOW }), { now: NOW, sweepCapacity: 3 });
		const outcome = Object.fromEntries(delegations.map((d) => [d.ticketId, `${d.destination}/${d.reason}${d.guardrail ? `/${d.guardrail.name}` : ''}`]));
		expect(outcome).toEqual({
			C: 'team/sweepWithinCapacity',
			B: 'team/sweepWithinCapacity',
			D: 'team/sweepWithinCapacity',
			E: 'surge/overflow',
			G: 'surge/overflow',
			A: 'team/overflow/overflowSaturated',
			F: 'team/overflow/overflowSaturated',
		});
		// Decided (and recorded) most urgent first; the items keep their input order.
		expect(rows.map((r) => r.ticketId)).toEqual(['E', 'C', 'B', 'D', 'G', 'A', 'F']);
		expect(delegations.map((d) => d.ticketId)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G']);
		const byId = Object.fromEntries(delegations.map((d) => [d.ticketId, d]));
		expect(byId.E.matched[0]).toBe('sweep:SLA due 2026-06-10T11:00:00.000Z, the team would reach it at 2026-06-10T12:15:00.000Z');
		expect(byId.G.matched[0]).toBe('sweep:past internal capacity (3)');
	});

	it('without a pace, keeps any ticket not yet due; an overdue one is delegated', () => {
		const noPace = policy({ destinations, sla: { targetMinutes: sla.targetMinutes }, rules: [{ id: 'peak', kind: 'overflow', targets: ['surge'], overflow: { capacityPerHour: 1000 } }] } as never);
		const { delegations } = route(noPace, backlog, snapshot({ now: NOW }), { now: NOW, sweepCapacity: 3 });
		// Due order E, C, B, D…: E is past due → delegated; C, B, D fit the capacity of 3.
		expect(delegations.filter((d) => d.reason === 'sweepWithinCapacity').map((d) => d.ticketId)).toEqual(['B', 'C', 'D']);
		expect(delegations.find((d) => d.ticketId === 'E')?.matched[0]).toBe('sweep:SLA due 2026-06-10T11:00:00.000Z, already past');
	});

	it('"due within N minutes" routes by the SLA due time, overdue included, and never without one', () => {
		const urgent = policy({
			destinations,
			sla,
			rules: [{ id: 'about-to-breach', kind: 'overflow', targets: ['surge'], when: { dueWithinMinutes: 30 }, overflow: { capacityPerHour: 1 } }],
		} as never);
		// Overflow on (load 5 ≥ 1) so only the condition decides. Due in: C 20 min, B 30 min, E −60 min → match;
		// D 60 min, G 120 min, A two days, F none → no match.
		const { delegations } = route(urgent, backlog, snapshot({ now: NOW, internalInWindow: 5 }), { now: NOW });
		expect(delegations.filter((d) => d.ruleId === 'about-to-breach').map((d) => d.ticketId)).toEqual(['B', 'C', 'E']);
		expect(delegations.find((d) => d.ticketId === 'B')?.matched[0]).toBe('sla:due within 30 min');
	});

	it('uses the target of the priority’s urgency level for labels the policy does not list', () => {
		const p1 = policy({ destinations, sla: { targetMinutes: { urgent: 60, normal: 480 } }, rules: [{ id: 'soon', kind: 'specialist', when: { dueWithinMinutes: 90 }, target: 'surge' }] } as never);
		const routed = route(p1, [ticket('p1', { priority: 'p1', createdAt: NOW - 10 * minute }), ticket('x', { priority: 'whatever', createdAt: NOW - 400 * minute })], snapshot({ now: NOW }), { now: NOW });
		// p1 ranks as urgent: due 10 min ago + 60 = in 50 min → match; "whatever" ranks as normal: due in 80 min → match.
		expect(routed.delegations.map((d) => d.destination)).toEqual(['surge', 'surge']);
	});

	it("a label of the policy's own (p0) keeps its target and does not take over normal's", () => {
		const p0 = policy({ destinations, sla: { targetMinutes: { p0: 15, urgent: 60, normal: 1440 } }, rules: [{ id: 'soon', kind: 'specialist', when: { dueWithinMinutes: 30 }, target: 'surge' }] } as never);
		const created = NOW - 5 * minute;
		const tickets = [ticket('none', { createdAt: created }), ticket('medium', { priority: 'medium', createdAt: created }), ticket('p0', { priority: 'p0', createdAt: created })];
		// No priority and "medium" (normal level): due in 1440 − 5 min → not within 30 → the default, the team.
		// p0: its own 15 minutes → due in 10 min → the vendor.
		const routed = route(p0, tickets, snapshot({ now: NOW }), { now: NOW });
		expect(routed.delegations.map((d) => [d.ticketId, d.destination])).toEqual([
			['none', 'team'],
			['medium', 'team'],
			['p0', 'surge'],
		]);
	});
});
