import { describe, expect, it } from 'vitest';

import { policy, route, snapshot, TEAM, ticket, vendorCounts } from './fixtures';

const specialist = (fields: Record<string, unknown> = {}) =>
	policy({
		destinations: [
			TEAM,
			{ id: 'acme', kind: 'external', contract: 'specialist', costPerTicket: 10, ...fields },
			{ id: 'backup', kind: 'external', contract: 'specialist' },
		],
		rules: [{ id: 'api', kind: 'specialist', when: { keywords: ['webhook'] }, target: 'acme' }],
	});
const webhook = (id: string, fields = {}) => ticket(id, { subject: 'webhook broken', ...fields });
const batch = (n: number) => Array.from({ length: n }, (_, i) => webhook(`t${i}`));

describe('guardrails', () => {
	it('stops a vendor at its hourly cap, counting the ledger and this batch', () => {
		const p = specialist({ capacityPerHour: 5 });
		const { delegations, rows } = route(p, batch(4), snapshot({ vendors: { acme: vendorCounts({ lastHour: 3 }) } }));
		expect(delegations.map((d) => d.destination)).toEqual(['acme', 'acme', 'team', 'team']);
		expect(delegations[2]).toMatchObject({
			kind: 'internal',
			reason: 'specialist',
			ruleId: 'api',
			guardrail: { name: 'capacityPerHour', wanted: 'acme', detail: 'acme took 5 tickets in the last hour (cap 5)' },
		});
		expect(rows[2].guardrail).toBe('capacityPerHour');
	});

	it('applies day and month caps', () => {
		expect(route(specialist({ capacityPerDay: 2 }), batch(3)).delegations[2].guardrail?.name).toBe('capacityPerDay');
		const month = route(specialist({ capacityPerMonth: 100 }), batch(1), snapshot({ vendors: { acme: vendorCounts({ thisMonth: 100 }) } }));
		expect(month.delegations[0].guardrail?.name).toBe('capacityPerMonth');
	});

	it('stops at the monthly budget from cost per ticket', () => {
		const p = specialist({ monthlyBudget: 1000 });
		const { delegations } = route(p, batch(3), snapshot({ vendors: { acme: vendorCounts({ costThisMonth: 980 }) } }));
		expect(delegations.map((d) => d.destination)).toEqual(['acme', 'acme', 'team']);
		expect(delegations[2].guardrail).toMatchObject({ name: 'monthlyBudget', wanted: 'acme' });
	});

	it('caps a vendor share with the shared share definition, above the minimum volume only', () => {
		const p = specialist({ maxShare: 0.3 });
		// 29 of 100 delegated: one more makes 30/101 (29.7%), the next 31/102 (30.4%) is over.
		const over = route(p, batch(2), snapshot({ delegatedInShareWindow: 100, vendors: { acme: vendorCounts({ inShareWindow: 29 }) } }));
		expect(over.delegations.map((d) => d.destination)).toEqual(['acme', 'team']);
		expect(over.delegations[1].guardrail).toMatchObject({ name: 'maxShare', detail: 'acme would hold 30.39% of delegated tickets over 30 days (cap 30%)' });
		// A quiet window: below minVolumeForShareCap (20) the cap does not bite.
		const quiet = route(p, batch(5), snapshot({ delegatedInShareWindow: 3, vendors: { acme: vendorCounts({ inShareWindow: 3 }) } }));
		expect(quiet.delegations.every((d) => d.destination === 'acme')).toBe(true);
	});

	it('sends nothing to a paused vendor: the next target takes it, else the default, else the team', () => {
		const targets = policy({
			destinations: [TEAM, { id: 'acme', kind: 'external', paused: true }, { id: 'backup', kind: 'external' }],
			rules: [{ id: 'api', kind: 'specialist', when: { keywords: ['webhook'] }, targets: ['acme', 'backup'] }],
		});
		expect(route(targets, [webhook('1')]).delegations[0]).toMatchObject({
			destination: 'backup',
			guardrail: { name: 'paused', wanted: 'acme', detail: 'acme is paused' },
		});
		const toDefault = policy({
			destinations: [TEAM, { id: 'acme', kind: 'external', paused: true }, { id: 'general', kind: 'external', contract: 'outsourcing' }],
			rules: [{ id: 'api', kind: 'specialist', when: { keywords: ['webhook'] }, target: 'acme' }],
			defaultDestination: 'general',
		});
		expect(route(toDefault, [webhook('1')]).delegations[0]).toMatchObject({ destination: 'general', reason: 'specialist', guardrail: { name: 'paused' } });
		expect(route(specialist({ paused: true }), [webhook('1')]).delegations[0]).toMatchObject({ destination: 'team', kind: 'internal', guardrail: { name: 'paused' } });
	});

	it("keeps customer data inside a vendor's data regions; an unknown region is not assumed to fit", () => {
		const p = specialist({ dataRegions: ['eu', 'uk'] });
		const { delegations } = route(p, [webhook('1', { region: 'eu' }), webhook('2', { region: 'us' }), webhook('3')]);
		expect(delegations.map((d) => d.destination)).toEqual(['acme', 'team', 'team']);
		expect(delegations[1].guardrail).toMatchObject({ name: 'dataRegion', detail: 'customer region "us" is not among acme\'s data regions (eu, uk)' });
		expect(delegations[2].guardrail?.detail).toBe('customer region unknown; acme may only receive data from eu, uk');
	});

	it('diverts an external default destination too', () => {
		const p = policy({ destinations: [TEAM, { id: 'general', kind: 'external', capacityPerHour: 1 }], defaultDestination: 'general' });
		const { delegations } = route(p, [ticket('1'), ticket('2')]);
		expect(delegations.map((d) => d.destination)).toEqual(['general', 'team']);
		expect(delegations[1]).toMatchObject({ reason: 'default', guardrail: { name: 'capacityPerHour', wanted: 'general' } });
	});

	it('without a ledger, skips count-based caps but still honours pause and data regions', () => {
		const p = specialist({ capacityPerHour: 1, maxShare: 0.1 });
		const { delegations } = route(p, batch(3), snapshot(), { ledgerAvailable: false });
		expect(delegations.map((d) => [d.destination, d.ledger])).toEqual([
			['acme', 'unavailable'],
			['acme', 'unavailable'],
			['acme', 'unavailable'],
		]);
		const paused = route(specialist({ paused: true }), batch(1), snapshot(), { ledgerAvailable: false });
		expect(paused.delegations[0].guardrail?.name).toBe('paused');
	});
});
