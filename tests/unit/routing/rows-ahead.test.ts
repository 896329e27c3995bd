import { describe, expect, it } from 'vitest';

import type { NewDelegation } from '../../../ledger/model';
import { NOW, TEAM, policy, route, snapshot, ticket } from './fixtures';

/**
 * A recorded batch hands its rows to the ledger in groups while it is still deciding (rowsAhead): a group is final
 * when handed over, whatever the batch decides after it, and the groups and the rest are the batch's rows in order.
 */
describe('rows handed ahead while deciding', () => {
	// One vendor taking 3 tickets an hour, and the team behind it: tickets 0–2 go to acme, 3–6 to the team (the cap).
	const capped = policy({ destinations: [TEAM, { id: 'acme', kind: 'external', capacityPerHour: 3 }], defaultDestination: 'acme' });
	const tickets = Array.from({ length: 7 }, (_, i) => ticket(`t${i}`));
	const ids = () => {
		let n = 0;
		return () => `row-${n++}`;
	};

	it('hands over every `every` decisions, in order, each group final; the decision keeps the rest', () => {
		const groups: NewDelegation[][] = [];
		const decision = route(capped, tickets, snapshot(), { newId: ids(), rowsAhead: { every: 3, send: (rows) => groups.push(rows) } });
		const summary = (rows: NewDelegation[]) => rows.map((r) => [r.id, r.ticketId, r.destination, r.guardrail]);
		expect(groups.map(summary)).toEqual([
			[['row-0', 't0', 'acme', null], ['row-1', 't1', 'acme', null], ['row-2', 't2', 'acme', null]],
			[['row-3', 't3', 'team', 'capacityPerHour'], ['row-4', 't4', 'team', 'capacityPerHour'], ['row-5', 't5', 'team', 'capacityPerHour']],
		]);
		expect(summary(decision.rows)).toEqual([['row-6', 't6', 'team', 'capacityPerHour']]);
		// Every row is stamped with the batch's time, as without groups.
		expect([...groups.flat(), ...decision.rows].every((r) => r.decidedAt === NOW)).toBe(true);
		expect(decision.delegations.map((d) => d.destination)).toEqual(['acme', 'acme', 'acme', 'team', 'team', 'team', 'team']);
	});

	it('a batch of exactly whole groups leaves no rows of its own; a smaller one hands nothing over', () => {
		const groups: NewDelegation[][] = [];
		expect(route(capped, tickets.slice(0, 6), snapshot(), { rowsAhead: { every: 3, send: (rows) => groups.push(rows) } }).rows).toEqual([]);
		expect(groups.map((g) => g.map((r) => r.ticketId))).toEqual([['t0', 't1', 't2'], ['t3', 't4', 't5']]);
		const none: NewDelegation[][] = [];
		expect(route(capped, tickets.slice(0, 2), snapshot(), { rowsAhead: { every: 3, send: (rows) => none.push(rows) } }).rows.map((r) => r.ticketId)).toEqual(['t0', 't1']);
		expect(none).toEqual([]);
	});

	it('a dry run hands nothing over and records nothing', () => {
		const groups: NewDelegation[][] = [];
		const decision = route(capped, tickets, snapshot(), { dryRun: true, rowsAhead: { every: 1, send: (rows) => groups.push(rows) } });
		expect(groups).toEqual([]);
		expect(decision.rows).toEqual([]);
	});

	it('a ticket twice in the batch is decided once: its copy makes no row', () => {
		const groups: NewDelegation[][] = [];
		const twice = [ticket('a'), ticket('b'), ticket('a'), ticket('c')];
		const decision = route(capped, twice, snapshot(), { rowsAhead: { every: 2, send: (rows) => groups.push(rows) } });
		expect(groups.map((g) => g.map((r) => r.ticketId))).toEqual([['a', 'b']]);
		expect(decision.rows.map((r) => r.ticketId)).toEqual(['c']);
		expect(decision.delegations[2].decisionId).toBe(decision.delegations[0].decisionId);
	});
});
