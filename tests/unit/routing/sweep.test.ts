import { describe, expect, it } from 'vitest';

import { compileSla } from '../../../domain/policy/sla';
import { sweepPlan } from '../../../domain/routing/sweep';
import { policy, route, snapshot, TEAM, ticket } from './fixtures';

const hour = 3_600_000;
const T0 = Date.UTC(2026, 5, 10, 8);

describe('sweep ordering', () => {
	it('without SLA data keeps the most urgent first, then the oldest, up to capacity', () => {
		const tickets = [
			ticket('low-old', { priority: 'low', createdAt: T0 - 10 * hour }),
			ticket('high-new', { priority: 'high', createdAt: T0 }),
			ticket('urgent', { priority: 'urgent', createdAt: T0 + hour }),
			ticket('high-old', { priority: 'high', createdAt: T0 - hour }),
			ticket('normal-undated', { priority: 'normal' }),
			ticket('normal-old', { createdAt: T0 - 5 * hour }),
		];
		const order = (capacity: number) => [...sweepPlan(tickets, capacity, compileSla(undefined), T0).kept].map((i) => tickets[i].id);
		expect(order(3)).toEqual(['urgent', 'high-old', 'high-new']);
		expect(order(5)).toEqual(['urgent', 'high-old', 'high-new', 'normal-old', 'normal-undated']);
		expect(order(0)).toEqual([]);
		expect(order(100)).toHaveLength(6);
	});
});

describe('sweep backlog', () => {
	const p = policy({
		destinations: [TEAM, { id: 'trust', kind: 'internal' }, { id: 'surge', kind: 'external', contract: 'capacity' }, { id: 'acme', kind: 'external', contract: 'specialist' }],
		rules: [
			{ id: 'legal', kind: 'keepInternal', when: { tags: ['legal'] }, target: 'trust' },
			{ id: 'api', kind: 'specialist', when: { keywords: ['webhook'] }, target: 'acme' },
			{ id: 'peak', kind: 'overflow', targets: ['surge'], overflow: { capacityPerHour: 1000 } },
		],
	});

	it('keeps what fits, delegates the rest by the policy; keep-internal rules still win', () => {
		const backlog = [
			ticket('a', { priority: 'urgent', subject: 'webhook down' }),
			ticket('b', { priority: 'low', createdAt: T0 }),
			ticket('c', { priority: 'low', tags: ['legal'] }),
			ticket('d', { priority: 'high', createdAt: T0 }),
			ticket('e', { priority: 'low', subject: 'webhook question', createdAt: T0 + hour }),
			ticket('f', { priority: 'low', createdAt: T0 + 2 * hour }),
		];
		const { delegations } = route(p, backlog, snapshot(), { sweepCapacity: 2 });
		const byId = Object.fromEntries(delegations.map((d) => [d.ticketId, [d.destination, d.reason]]));
		expect(byId).toEqual({
			a: ['team', 'sweepWithinCapacity'],
			d: ['team', 'sweepWithinCapacity'],
			c: ['trust', 'keepInternal'],
			e: ['acme', 'specialist'],
			b: ['surge', 'overflow'],
			f: ['surge', 'overflow'],
		});
		// Kept tickets say so; a delegated one says why the team did not keep it before the rule's own terms.
		const explained = Object.fromEntries(delegations.map((d) => [d.ticketId, d.explanation]));
		expect(explained.a).toBe("Kept by the team within the sweep's internal capacity → team.");
		expect(explained.d).toBe(explained.a);
		expect(explained.c).toBe('Rule 1 "legal" (keepInternal) matched on sweep:past internal capacity (2); tag:legal → trust.');
		expect(explained.e).toBe('Rule 2 "api" (specialist) matched on sweep:past internal capacity (2); keyword:webhook → acme.');
		expect(explained.b).toBe('Rule 3 "peak" (overflow) matched on sweep:past internal capacity (2) → surge.');
	});

	it('applies keep-internal rules to kept tickets too', () => {
		const { delegations } = route(p, [ticket('x', { priority: 'urgent', tags: ['legal'] })], snapshot(), { sweepCapacity: 5 });
		expect(delegations[0]).toMatchObject({ destination: 'trust', reason: 'keepInternal' });
	});
});
