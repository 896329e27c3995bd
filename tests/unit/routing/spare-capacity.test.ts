import { describe, expect, it } from 'vitest';

import { policy, route, snapshot, TEAM, ticket, vendorCounts } from './fixtures';

const vendor = (id: string, limits: object) => ({ id, kind: 'external' as const, contract: 'capacity' as const, dpa: true, allowedFields: ['id'], ...limits });

describe('spare-capacity spreading', () => {
	// Room left, worked out by hand from the caps and the ledger's counts:
	// a: min(hour 10 − 4, day 50 − 48) = 2 · b: hour 5 − 1 = 4 · c: budget ⌊(100 − 79) / 7⌋ = 3.
	const p = policy({
		destinations: [TEAM, vendor('a', { capacityPerHour: 10, capacityPerDay: 50 }), vendor('b', { capacityPerHour: 5 }), vendor('c', { monthlyBudget: 100, costPerTicket: 7 })],
		rules: [{ id: 'spread', kind: 'specialist', strategy: 'spareCapacity', when: { tags: ['spread'] }, targets: ['a', 'b', 'c'] }],
	} as never);
	const counts = snapshot({
		vendors: {
			a: vendorCounts({ lastHour: 4, lastDay: 48, thisMonth: 48 }),
			b: vendorCounts({ lastHour: 1, lastDay: 1, thisMonth: 1 }),
			c: vendorCounts({ lastHour: 0, lastDay: 3, thisMonth: 11, costThisMonth: 79 }),
		},
	});

	it('sends each ticket to the vendor with the most room left; equal room goes to the one that took fewer in the last hour', () => {
		const tickets = Array.from({ length: 10 }, (_, i) => ticket(`t${i + 1}`, { tags: ['spread'] }));
		const { delegations } = route(p, tickets, counts);
		// room (a, b, c) and last hour before each ticket → choice:
		// t1 (2,4,3) → b · t2 (2,3,3) tie b/c, last hour b 2 c 0 → c · t3 (2,3,2) → b · t4 (2,2,2) last hour a 4 b 3 c 1 → c
		// t5 (2,2,1) tie a/b, last hour a 4 b 3 → b · t6 (2,1,1) → a · t7 (1,1,1) last hour a 5 b 4 c 2 → c
		// t8 (1,1,0) a 5 b 4 → b · t9 (1,0,0) → a · t10 (0,0,0): every cap refuses → the default, team.
		expect(delegations.map((d) => d.destination)).toEqual(['b', 'c', 'b', 'c', 'b', 'a', 'c', 'b', 'a', 'team']);
		const counted = (id: string) => delegations.filter((d) => d.destination === id).length;
		expect([counted('a'), counted('b'), counted('c')]).toEqual([2, 4, 3]);
		expect(delegations[9].guardrail).toEqual({ name: 'monthlyBudget', wanted: 'c', detail: 'c has cost 100 this month; one more ticket (7) exceeds its budget of 100' });
	});

	it('gives a vendor without caps unlimited room, and the policy lint says so', () => {
		const mixed = policy({
			destinations: [TEAM, vendor('a', { capacityPerHour: 10 }), vendor('free', {})],
			rules: [{ id: 'spread', kind: 'specialist', strategy: 'spareCapacity', targets: ['a', 'free'] }],
		} as never);
		expect(route(mixed, [ticket('1'), ticket('2')]).delegations.map((d) => d.destination)).toEqual(['free', 'free']);
		expect(mixed.warnings.map((w) => w.code)).toContain('uncappedSpareCapacity');
	});

	it('also spreads overflow, where weights stay the default strategy', () => {
		const overflow = policy({
			destinations: [TEAM, vendor('a', { capacityPerHour: 3 }), vendor('b', { capacityPerHour: 1 })],
			rules: [{ id: 'peak', kind: 'overflow', strategy: 'spareCapacity', targets: [{ destination: 'a', weight: 1 }, { destination: 'b', weight: 100 }], overflow: { capacityPerHour: 1 } }],
		} as never);
		// Overflow on (load 5 ≥ 1); weights play no part. Room (a, b): (3,1) → a · (2,1) → a · (1,1) tie, last hour
		// a 2 b 0 → b · (1,0) → a · (0,0) → every vendor refuses: the team keeps it.
		const { delegations } = route(overflow, [ticket('1'), ticket('2'), ticket('3'), ticket('4'), ticket('5')], snapshot({ internalInWindow: 5 }));
		expect(delegations.map((d) => d.destination)).toEqual(['a', 'a', 'b', 'a', 'team']);
		expect(delegations[4].guardrail?.name).toBe('overflowSaturated');
	});
});
