import { describe, expect, it } from 'vitest';

import { loadPolicy } from '../../../domain/policy/compile';
import { EMPTY_START, replayPolicy, simulatePolicies, inCreatedOrder } from '../../../domain/routing/simulate';
import { ticketReader } from '../../../domain/ticket/read';
import { CURRENT_POLICY, DRAFT_POLICY, monthItems } from './simulation-month';

/**
 * Where each ticket of the hand-built month goes, worked out by hand (times UTC; acme: 3 a day, trailing 24 h;
 * globex: 5 a calendar month in Berlin; initech: 1 an hour, trailing; a ticket exactly one hour old has left the hour).
 *
 * Current policy (billing → acme, else initech; German → globex; default team):
 *   B1 B2 B3 → acme (0, 1, 2 in the last day). V1 → team (VIP rule first).
 *   B4 09:30 → acme has 3 today → initech (0 in the last hour), guardrail capacityPerDay acme.
 *   B5 09:40 → acme full, initech took B4 10 min ago → default team, guardrail capacityPerDay acme (the first refusal).
 *   B6 B7 (Oct 2, 25 h later: yesterday's left the day) → acme. G1–G4 → globex (4 of 5 this month).
 *   O1–O3 → team (default). B8 B9 → acme (none in the last day, then 1).
 * Draft (billing → globex, else acme; German → initech; default initech):
 *   B1–B5 → globex (0..4 this month). V1 → team.
 *   B6 B7 → globex has 5 in October → acme, guardrail capacityPerMonth globex.
 *   G1–G4 hourly → initech each time (the previous one is exactly an hour old: out of the hour).
 *   O1 12:00 → initech (G4 at 11:00 is out). O2 12:30 → initech took O1 → team, guardrail capacityPerHour initech.
 *   O3 13:30 → initech (O1 is 90 min old). B8 (00:30 Nov 1 in Berlin) and B9 → globex: a new month.
 */
const CURRENT: Record<string, [string, string | null]> = {
	B1: ['acme', null], V1: ['team', null], B2: ['acme', null], B3: ['acme', null],
	B4: ['initech', 'capacityPerDay acme'], B5: ['team', 'capacityPerDay acme'], B6: ['acme', null], B7: ['acme', null],
	G1: ['globex', null], G2: ['globex', null], G3: ['globex', null], G4: ['globex', null],
	O1: ['team', null], O2: ['team', null], O3: ['team', null], B8: ['acme', null], B9: ['acme', null],
};
const DRAFT: Record<string, [string, string | null]> = {
	B1: ['globex', null], V1: ['team', null], B2: ['globex', null], B3: ['globex', null], B4: ['globex', null], B5: ['globex', null],
	B6: ['acme', 'capacityPerMonth globex'], B7: ['acme', 'capacityPerMonth globex'],
	G1: ['initech', null], G2: ['initech', null], G3: ['initech', null], G4: ['initech', null],
	O1: ['initech', null], O2: ['team', 'capacityPerHour initech'], O3: ['initech', null], B8: ['globex', null], B9: ['globex', null],
};
const PRICE: Record<string, number> = { team: 0, acme: 10, globex: 6, initech: 8 };
const ORDER = ['B1', 'V1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'G1', 'G2', 'G3', 'G4', 'O1', 'O2', 'O3', 'B8', 'B9'];

/** The figures a table implies: counted here, from the table, with the textbook formulas. */
function expected(table: Record<string, [string, string | null]>) {
	const count: Record<string, number> = { team: 0, acme: 0, globex: 0, initech: 0 };
	const binding: Record<string, number> = {};
	for (const [destination, guardrail] of Object.values(table)) {
		count[destination]++;
		if (guardrail) binding[guardrail] = (binding[guardrail] ?? 0) + 1;
	}
	const total = 17;
	const delegated = total - count.team;
	const vendors = ['acme', 'globex', 'initech'];
	const hhi = vendors.reduce((s, v) => s + ((100 * count[v]) / delegated) ** 2, 0);
	return { count, total, delegated, hhi, cost: vendors.reduce((s, v) => s + count[v] * PRICE[v], 0), binding };
}

const read = ticketReader({ preset: 'generic' });
// Reversed: the replay must put them back in created-at order itself.
const tickets = monthItems().reverse().map(read);
const current = loadPolicy(CURRENT_POLICY);
const draft = loadPolicy(DRAFT_POLICY);

describe('policy simulation over a hand-built month', () => {
	it('replays in created-at order and decides each ticket as worked out by hand', () => {
		const ordered = inCreatedOrder(tickets);
		expect(ordered.map((t) => t.id)).toEqual(ORDER);
		for (const [policy, table] of [[current, CURRENT], [draft, DRAFT]] as const) {
			const decisions = replayPolicy(ordered, policy, EMPTY_START);
			const got = Object.fromEntries(ordered.map((t, i) => [t.id, [decisions[i].destination, decisions[i].guardrail ? `${decisions[i].guardrail!.name} ${decisions[i].guardrail!.wanted}` : null]]));
			expect(got).toEqual(table);
		}
	});

	const report = simulatePolicies({ tickets, current, draft, start: 'empty', currentStart: EMPTY_START, draftStart: EMPTY_START, sampleSize: 100 });

	it.each([
		['current', CURRENT],
		['draft', DRAFT],
	] as const)('%s policy: counts, shares, HHI, effective vendors, cost and binding caps', (side, table) => {
		const want = expected(table);
		const figures = report[side];
		expect(figures.tickets).toBe(17);
		expect(figures.delegated).toBe(want.delegated);
		expect(figures.internal).toBe(want.count.team);
		for (const d of figures.destinations) {
			expect(d.tickets, d.destination).toBe(want.count[d.destination]);
			expect(d.share).toBeCloseTo(want.count[d.destination] / 17, 12);
			expect(d.cost).toBe(want.count[d.destination] * PRICE[d.destination]);
			if (d.kind === 'external') expect(d.shareOfDelegated).toBeCloseTo(want.count[d.destination] / want.delegated, 12);
			else expect(d.shareOfDelegated).toBeNull();
		}
		expect(figures.concentration.hhi).toBeCloseTo(want.hhi, 9);
		expect(figures.concentration.effectiveVendors).toBeCloseTo(10_000 / want.hhi, 9);
		expect(figures.cost.total).toBe(want.cost);
		expect(Object.fromEntries(figures.guardrails.map((g) => [`${g.guardrail} ${g.destination}`, g.tickets]))).toEqual(want.binding);
	});

	it('the hand figures themselves: current 7/4/1 of 12 delegated, draft 2/7/6 of 15', () => {
		// Current: acme 7, globex 4, initech 1 → HHI = (100/12)² × (49 + 16 + 1) = 4,583.3; CR1 acme 58.3%.
		expect(report.current.concentration.hhi).toBeCloseTo((10_000 / 144) * 66, 9);
		expect(report.current.concentration.cr1).toEqual({ vendor: 'acme', share: 7 / 12 });
		expect(report.current.concentration.cr2).toBeCloseTo(11 / 12, 12);
		expect(report.current.cost).toEqual({ total: 102, byVendor: { acme: 70, globex: 24, initech: 8 } });
		// Draft: acme 2, globex 7, initech 6 → HHI = (100/15)² × (4 + 49 + 36) = 3,955.6; effective vendors 2.53.
		expect(report.draft.concentration.hhi).toBeCloseTo((10_000 / 225) * 89, 9);
		expect(report.draft.concentration.effectiveVendors).toBeCloseTo(225 / 89, 9);
		expect(report.draft.concentration.cr1).toEqual({ vendor: 'globex', share: 7 / 15 });
		expect(report.draft.cost).toEqual({ total: 110, byVendor: { acme: 20, globex: 42, initech: 48 } });
	});

	it('lists exactly the tickets that move, in created-at order, and counts each move', () => {
		const moved = ORDER.filter((id) => CURRENT[id][0] !== DRAFT[id][0]);
		expect(moved).toEqual(['B1', 'B2', 'B3', 'B4', 'B5', 'G1', 'G2', 'G3', 'G4', 'O1', 'O3', 'B8', 'B9']);
		expect(report.changes.tickets).toBe(moved.length);
		expect(report.changes.share).toBeCloseTo(13 / 17, 12);
		expect(report.changes.sample.map((m) => [m.ticketId, m.current.destination, m.draft.destination])).toEqual(moved.map((id) => [id, CURRENT[id][0], DRAFT[id][0]]));
		expect(report.changes.moves).toEqual([
			{ from: 'acme', to: 'globex', tickets: 5 },
			{ from: 'globex', to: 'initech', tickets: 4 },
			{ from: 'team', to: 'initech', tickets: 2 },
			{ from: 'initech', to: 'globex', tickets: 1 },
			{ from: 'team', to: 'globex', tickets: 1 },
		]);
		expect(report.period).toEqual({ from: '2026-10-01T09:00:00.000Z', to: '2026-11-01T00:30:00.000Z' });
	});

	it('a sample size caps the list, not the count', () => {
		const small = simulatePolicies({ tickets, current, draft, start: 'empty', currentStart: EMPTY_START, draftStart: EMPTY_START, sampleSize: 2 });
		expect(small.changes.sample.map((m) => m.ticketId)).toEqual(['B1', 'B2']);
		expect(small.changes.tickets).toBe(13);
	});

	it('a starting history counts: three acme decisions 21 hours before B1 fill its day', () => {
		const at = Date.UTC(2026, 8, 30, 12, 0);
		const history = [0, 1, 2].map((k) => ({ at: at + k, kind: 'external' as const, vendor: 'acme', cost: 10 }));
		const decisions = replayPolicy(inCreatedOrder(tickets), current, { history, overflowActive: {} });
		// B1: acme has 3 in the last day → initech; B2–B5: acme full, initech took B1 within the hour → team;
		// B6 (Oct 2): the history is 46 h old → acme. History in September does not count toward October.
		expect(decisions.slice(0, 8).map((d) => d.destination)).toEqual(['initech', 'team', 'team', 'team', 'team', 'team', 'acme', 'acme']);
	});
});

describe('overflow replayed from created-at times', () => {
	const overflow = loadPolicy({
		scope: 'sim-overflow',
		destinations: [
			{ id: 'team', kind: 'internal' },
			{ id: 'acme', kind: 'external' },
		],
		rules: [{ id: 'peak', kind: 'overflow', target: 'acme', overflow: { capacityPerHour: 4, onAt: 1, offAt: 0.5 } }],
		defaultDestination: 'team',
	});
	const at = (minute: number) => ({ ...read({ id: `M${minute}`, createdAt: Date.UTC(2026, 9, 1, 8, 0) + minute * 60_000 }) });

	it('switches on at 4 internal tickets in the last hour and off below 2, with hysteresis', () => {
		// Load = internal tickets in the trailing hour (the ticket itself not yet counted). Overflow turns on at
		// load >= 4 and, once on, stays on while load >= 2 (offAt 0.5 × 4).
		// Minutes 0,1,2,3: load 0,1,2,3 → team. Minute 4: load 4 → on → acme. Minute 5: load still 4 → acme.
		// Minute 61: tickets of minutes 0 and 1 have left the hour → load 2 → stays on (>= 2) → acme.
		// Minute 63: minutes 2 and 3 have left → load 0 → off → team. Minute 64: load 1 → team.
		const minutes = [0, 1, 2, 3, 4, 5, 61, 63, 64];
		const decisions = replayPolicy(inCreatedOrder(minutes.map(at)), overflow, EMPTY_START);
		expect(decisions.map((d) => d.destination)).toEqual(['team', 'team', 'team', 'team', 'acme', 'acme', 'acme', 'team', 'team']);
	});
});
