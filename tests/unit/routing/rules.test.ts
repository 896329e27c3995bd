import { describe, expect, it } from 'vitest';

import { NOW, policy, route, snapshot, TEAM, ticket } from './fixtures';

const destinations = [
	TEAM,
	{ id: 'trust', kind: 'internal' as const },
	{ id: 'billing', name: 'Billing Experts', kind: 'external' as const, contract: 'specialist' as const, costPerTicket: 6, dpa: true, allowedFields: ['id', 'subject'] },
	{ id: 'nights', kind: 'external' as const, contract: 'outsourcing' as const },
	{ id: 'phones', kind: 'external' as const, contract: 'outsourcing' as const },
	{ id: 'latam', kind: 'external' as const, contract: 'outsourcing' as const },
];
const rules = [
	{ id: 'vip', name: 'VIP stays', kind: 'keepInternal' as const, when: { tiers: ['vip'] }, target: 'team' },
	{ id: 'legal', kind: 'keepInternal' as const, when: { tags: ['legal', 'security'] }, target: 'trust' },
	{ id: 'billing', name: 'Billing', kind: 'specialist' as const, when: { keywords: ['refund', 'invoice dispute'] }, target: 'billing' },
	{ id: 'phone', kind: 'outsourcing' as const, when: { channels: ['phone'] }, target: 'phones' },
	{ id: 'spanish', kind: 'outsourcing' as const, when: { languages: ['es'], regions: ['latam'] }, target: 'latam' },
	{ id: 'night', kind: 'outsourcing' as const, when: { timeWindows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const, from: '20:00', to: '08:00' }] }, target: 'nights' },
];
const compiled = policy({ destinations, rules: rules as never });

describe('rule kinds', () => {
	it('keeps VIP and legal tickets internal, even when a later rule also matches', () => {
		const { delegations } = route(compiled, [
			ticket('1', { tier: 'vip', subject: 'refund please' }),
			ticket('2', { tags: ['billing', 'legal'], subject: 'refund' }),
		]);
		expect(delegations[0]).toMatchObject({ destination: 'team', kind: 'internal', vendor: null, reason: 'keepInternal', ruleId: 'vip', ruleName: 'VIP stays', matched: ['tier:vip'] });
		expect(delegations[1]).toMatchObject({ destination: 'trust', reason: 'keepInternal', ruleId: 'legal', matched: ['tag:legal'] });
	});

	it('sends specialist topics to the specialist with its terms', () => {
		const { delegations } = route(compiled, [ticket('1', { subject: 'Invoice dispute', body: 'and a REFUND', region: 'eu' })]);
		expect(delegations[0]).toMatchObject({
			destination: 'billing',
			destinationName: 'Billing Experts',
			kind: 'external',
			vendor: 'billing',
			contract: 'specialist',
			reason: 'specialist',
			matched: ['keyword:invoice dispute', 'keyword:refund'],
			costEstimate: 6,
			customerRegion: 'eu',
			vendorTerms: { dpa: true, dataRegions: [], allowedFields: ['id', 'subject'] },
			guardrail: null,
			ledger: 'recorded',
			policyVersion: compiled.version,
			policyScope: 'default',
			decidedAt: new Date(NOW).toISOString(),
		});
	});

	it('outsources a channel, a language with a region (all conditions must hold), and nights', () => {
		const { delegations } = route(compiled, [
			ticket('1', { channel: 'phone' }),
			ticket('2', { language: 'es', region: 'latam' }),
			ticket('3', { language: 'es', region: 'eu' }),
		]);
		expect(delegations.map((d) => d.destination)).toEqual(['phones', 'latam', 'team']);
		expect(delegations[1].matched).toEqual(['language:es', 'region:latam']);
		const night = route(compiled, [ticket('4')], snapshot(), { now: Date.UTC(2026, 5, 10, 22, 0) });
		expect(night.delegations[0]).toMatchObject({ destination: 'nights', reason: 'outsourcing', matched: ['time:mon,tue,wed,thu,fri 20:00-08:00'] });
	});

	it('falls to the default destination when no rule matches', () => {
		const { delegations } = route(compiled, [ticket('1', { subject: 'hello' })]);
		expect(delegations[0]).toMatchObject({ destination: 'team', reason: 'default', ruleId: null, ruleName: null, matched: [] });
	});

	it('skips disabled rules', () => {
		const off = policy({ destinations, rules: [{ ...rules[2], enabled: false }] as never });
		expect(route(off, [ticket('1', { subject: 'refund' })]).delegations[0].destination).toBe('team');
	});

	it('writes metadata-only rows with workflow and execution ids', () => {
		const { rows, delegations } = route(compiled, [ticket('1', { subject: 'secret refund text', body: 'card 4111', channel: 'email', language: 'en', category: 'billing', priority: 'high' })], snapshot(), {
			workflowId: 'wf1',
			executionId: 'ex1',
		});
		expect(rows).toEqual([
			{
				id: delegations[0].decisionId,
				scope: 'default',
				ticketId: '1',
				decidedAt: NOW,
				destination: 'billing',
				kind: 'external',
				vendor: 'billing',
				contract: 'specialist',
				reason: 'specialist',
				ruleId: 'billing',
				guardrail: null,
				policyVersion: compiled.version,
				channel: 'email',
				language: 'en',
				// No rule of this policy names the category "billing": the ledger keeps no label the policy did not use.
				topic: 'other',
				priority: 'high',
				costEstimate: 6,
				workflowId: 'wf1',
				executionId: 'ex1',
				previousId: null,
				matched: '["keyword:refund"]',
			},
		]);
		expect(JSON.stringify(rows)).not.toContain('secret');
	});

	it('gives every decision a unique id', () => {
		const { delegations } = route(compiled, Array.from({ length: 1000 }, (_, i) => ticket(String(i))));
		expect(new Set(delegations.map((d) => d.decisionId)).size).toBe(1000);
	});
});

describe('matched terms', () => {
	it('names every condition that held, in rule order: keywords as written, tags, labels', () => {
		const both = policy({
			destinations,
			rules: [{ id: 'both', kind: 'keepInternal', when: { keywords: ['Refund', 'chargeback'], tags: ['billing', 'legal'], tiers: ['gold'], channels: ['email'] }, target: 'team' }] as never,
		});
		const { delegations } = route(both, [ticket('1', { subject: 'chargeback and refund', tags: ['legal', 'billing'], tier: 'gold', channel: 'email' })]);
		// Keywords in the order the text holds them, tags in the ticket's order, then the label conditions in their
		// fixed order (categories, languages, channels, priorities, tiers, regions).
		expect(delegations[0].matched).toEqual(['keyword:chargeback', 'keyword:Refund', 'tag:legal', 'tag:billing', 'channel:email', 'tier:gold']);
	});

	it('gives each decision its own list: changing one item\'s terms leaves the others\' alone', () => {
		const { delegations } = route(compiled, [ticket('1', { tier: 'vip' }), ticket('2', { tier: 'vip' }), ticket('3', { subject: 'refund' }), ticket('4', { subject: 'refund' })]);
		delegations[0].matched.push('changed downstream');
		delegations[2].matched.length = 0;
		expect(delegations[1].matched).toEqual(['tier:vip']);
		expect(delegations[3].matched).toEqual(['keyword:refund']);
	});
});

describe('idempotency', () => {
	const first = route(compiled, [ticket('T1', { subject: 'refund' })]);
	const record = { ...first.rows[0], status: 'routed' as const, handedOffAt: null, providerReference: null, firstResponseAt: null, resolvedAt: null, slaMet: null, csat: null, reopened: null, errorClass: null };

	it('returns the open decision instead of deciding again', () => {
		const again = route(compiled, [ticket('T1', { subject: 'now a VIP', tier: 'vip' })], snapshot({ open: { T1: record } }));
		expect(again.rows).toEqual([]);
		expect(again.delegations[0]).toMatchObject({ decisionId: record.id, destination: 'billing', ledger: 'existing', ruleName: 'Billing', vendorTerms: { dpa: true } });
	});

	it('re-routes when asked, linking the new row to the previous decision', () => {
		const again = route(compiled, [ticket('T1', { tier: 'vip' })], snapshot({ open: { T1: record } }), { reroute: true });
		expect(again.rows).toHaveLength(1);
		expect(again.rows[0]).toMatchObject({ destination: 'team', previousId: record.id });
		expect(again.delegations[0]).toMatchObject({ previousDecisionId: record.id, ledger: 'recorded' });
	});

	it('decides duplicated ids in one batch once; later copies get the same decision', () => {
		const { delegations, rows } = route(compiled, [ticket('D', { subject: 'refund' }), ticket('E'), ticket('D', { tier: 'vip' })]);
		expect(rows.map((r) => r.ticketId)).toEqual(['D', 'E']);
		expect(delegations[2]).toEqual(delegations[0]);
		expect(delegations[2]).not.toBe(delegations[0]);
	});

	it('marks dry runs', () => {
		expect(route(compiled, [ticket('1')], snapshot(), { dryRun: true }).delegations[0].ledger).toBe('dry-run');
	});
});
