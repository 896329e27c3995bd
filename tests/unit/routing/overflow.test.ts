import { describe, expect, it } from 'vitest';

import { policy, route, snapshot, TEAM, ticket } from './fixtures';

const overflowPolicy = (overflow: Record<string, unknown>, surge: Record<string, unknown> = {}, flex: Record<string, unknown> = {}) =>
	policy({
		destinations: [TEAM, { id: 'surge', kind: 'external', contract: 'capacity', ...surge }, { id: 'flex', kind: 'external', contract: 'capacity', ...flex }],
		rules: [
			{ id: 'vip', kind: 'keepInternal', when: { tiers: ['vip'] }, target: 'team' },
			{ id: 'peak', kind: 'overflow', targets: [{ destination: 'surge', weight: 3 }, { destination: 'flex', weight: 1 }], overflow: overflow as never },
		],
	});
const many = (n: number, prefix = 't') => Array.from({ length: n }, (_, i) => ticket(`${prefix}${i}`));

describe('peak overflow', () => {
	const p = overflowPolicy({ capacityPerHour: 10, onAt: 1, offAt: 0.8 });

	it('switches on once the internal load reaches capacity, counting this batch', () => {
		const { delegations, overflowActive } = route(p, many(4), snapshot({ internalInWindow: 8 }));
		expect(delegations.map((d) => d.kind)).toEqual(['internal', 'internal', 'external', 'external']);
		expect(delegations[0]).toMatchObject({ reason: 'default' });
		expect(delegations[2]).toMatchObject({ reason: 'overflow', ruleId: 'peak', contract: 'capacity' });
		expect(overflowActive).toEqual({ peak: true });
	});

	it('counts tickets kept internal by other rules as load', () => {
		const { delegations } = route(p, [ticket('v', { tier: 'vip' }), ticket('x')], snapshot({ internalInWindow: 9 }));
		expect(delegations.map((d) => d.reason)).toEqual(['keepInternal', 'overflow']);
	});

	it('stays on until load falls below the off threshold (hysteresis)', () => {
		const on = { overflowActive: { peak: true } };
		expect(route(p, many(1), snapshot({ ...on, internalInWindow: 8 })).delegations[0].kind).toBe('external');
		const off = route(p, many(1), snapshot({ ...on, internalInWindow: 7 }));
		expect(off.delegations[0].kind).toBe('internal');
		expect(off.overflowActive).toEqual({ peak: false });
		// Without the previous state, load 9 is below the on threshold.
		expect(route(p, many(1), snapshot({ internalInWindow: 9 })).delegations[0].kind).toBe('internal');
	});

	it('does not flap across batches hovering around the threshold', () => {
		let active: Record<string, boolean> = {};
		const kinds: string[] = [];
		for (const load of [9, 10, 9, 8, 9, 7, 9, 10]) {
			const result = route(p, many(1, `l${load}-`), snapshot({ internalInWindow: load, overflowActive: active }));
			active = result.overflowActive;
			kinds.push(result.delegations[0].kind);
		}
		expect(kinds).toEqual(['internal', 'external', 'external', 'external', 'external', 'internal', 'internal', 'external']);
	});

	it('uses a given current load (e.g. a backlog count) against the backlog limit', () => {
		const backlog = overflowPolicy({ backlogLimit: 40, capacityPerHour: 10 });
		expect(route(backlog, many(1), snapshot({ internalInWindow: 100 }), { load: 39 }).delegations[0].kind).toBe('internal');
		expect(route(backlog, many(1), snapshot(), { load: 40 }).delegations[0].kind).toBe('external');
	});

	it('uses the threshold of the peak period covering today', () => {
		const peaks = overflowPolicy({
			capacityPerHour: 100,
			peakPeriods: [{ name: 'Summer sale', from: '2026-06-08', to: '2026-06-12', capacityPerHour: 5 }],
		});
		expect(route(peaks, many(1), snapshot({ internalInWindow: 5 })).delegations[0].kind).toBe('external');
		const after = route(peaks, many(1), snapshot({ internalInWindow: 5 }), { now: Date.UTC(2026, 5, 13, 12) });
		expect(after.delegations[0].kind).toBe('internal');
	});

	it('splits between vendors by weight, deterministically', () => {
		const tickets = many(10_000);
		const first = route(p, tickets, snapshot({ overflowActive: { peak: true }, internalInWindow: 50 }));
		const surge = first.delegations.filter((d) => d.destination === 'surge').length;
		expect(surge / 10_000).toBeGreaterThan(0.73);
		expect(surge / 10_000).toBeLessThan(0.77);
		const second = route(p, tickets, snapshot({ overflowActive: { peak: true }, internalInWindow: 50 }));
		expect(second.delegations.map((d) => d.destination)).toEqual(first.delegations.map((d) => d.destination));
	});

	it('moves to the other vendor when the chosen one is at capacity', () => {
		const capped = overflowPolicy({ capacityPerHour: 1 }, { capacityPerHour: 2 });
		const { delegations } = route(capped, many(20), snapshot({ overflowActive: { peak: true }, internalInWindow: 5 }));
		expect(delegations.filter((d) => d.destination === 'surge')).toHaveLength(2);
		expect(delegations.filter((d) => d.destination === 'flex')).toHaveLength(18);
		expect(delegations.every((d) => d.guardrail === null)).toBe(true);
	});

	it('keeps the ticket internal and says so when every overflow vendor is saturated', () => {
		const saturated = overflowPolicy({ capacityPerHour: 1 }, { paused: true }, { capacityPerHour: 1 });
		const { delegations } = route(saturated, many(2), snapshot({ overflowActive: { peak: true }, internalInWindow: 5 }));
		expect(delegations[0].destination).toBe('flex');
		expect(delegations[1]).toMatchObject({
			destination: 'team',
			kind: 'internal',
			reason: 'overflow',
			guardrail: { name: 'overflowSaturated' },
		});
		// Listed in the order this ticket tried them.
		expect(delegations[1].guardrail?.detail).toMatch(/^every overflow vendor is unavailable: (surge \(paused\), flex \(capacityPerHour\)|flex \(capacityPerHour\), surge \(paused\))$/);
	});
});
