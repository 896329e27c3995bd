import { describe, expect, it } from 'vitest';

import type { DelegationRecord } from '../../../ledger/model';
import { BatchExplanations, SHARED_SENTENCES } from '../../../domain/routing/explain';
import { BatchTerms, MATCHED_MAX_CHARS, SHARED_TERMS, readTerms, storedTerms } from '../../../domain/routing/records';
import { NOW, policy, route, snapshot, TEAM, ticket } from './fixtures';

const surge = { id: 'surge', kind: 'external' as const, contract: 'capacity' as const, dpa: true, allowedFields: ['id'] };
const office = { id: 'office', hours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '18:00' }] };
const overflow = policy({
	destinations: [TEAM, surge],
	schedules: [office],
	rules: [
		{
			id: 'peak',
			name: 'Peak overflow',
			kind: 'overflow',
			targets: ['surge'],
			overflow: { capacityPerHour: 10, peakPeriods: [{ name: 'After hours', outsideSchedule: 'office', capacityPerHour: 4 }] },
		},
	],
} as never);

describe('every decision explains itself', () => {
	it('an overflow decision carries the load, the threshold and the peak period that applied', () => {
		// Wednesday 12:00 UTC, office open: the rule's own threshold, 12 tickets in the last hour ≥ 1 × 10.
		const day = route(overflow, [ticket('d1')], snapshot({ internalInWindow: 12 }));
		expect(day.delegations[0]).toMatchObject({
			destination: 'surge',
			matched: ['overflow:load 12 >= 10 (1 x capacityPerHour 10)'],
			overflow: { load: 12, loadSource: 'internalLastHour', threshold: 10, basis: 'capacityPerHour', factor: 1, peak: null, wasActive: false },
			explanation: 'Rule 1 "Peak overflow" (overflow) matched on overflow:load 12 >= 10 (1 x capacityPerHour 10) → surge.',
		});
		// 5 tickets: below 10 in office hours (no overflow), above the after-hours peak's 4 at 20:00.
		expect(route(overflow, [ticket('d2')], snapshot({ internalInWindow: 5 })).delegations[0].destination).toBe('team');
		const night = route(overflow, [ticket('n1')], snapshot({ internalInWindow: 5 }), { now: Date.UTC(2026, 5, 10, 20, 0) });
		expect(night.delegations[0]).toMatchObject({ destination: 'surge', matched: ['overflow:load 5 >= 4 (1 x capacityPerHour 4, peak "After hours")'], overflow: { peak: 'After hours', threshold: 4 } });
		// Already on: it stays on down to offAt (0.8) × 10 = 8, and says so.
		const staying = route(overflow, [ticket('s1')], snapshot({ internalInWindow: 8, overflowActive: { peak: true } }));
		expect(staying.delegations[0].matched).toEqual(['overflow:load 8 >= 8 (0.8 x capacityPerHour 10, staying on)']);
		// A given load (Options → Current Load) is compared with the backlog limit when there is one.
		expect(route(overflow, [ticket('g1')], snapshot(), { load: 11 }).delegations[0].overflow).toMatchObject({ load: 11, loadSource: 'given', basis: 'capacityPerHour' });
	});

	it('a decision returned from the ledger keeps its original why and says it is an earlier one, under which policy', () => {
		const record: DelegationRecord = {
			id: 'dec-1',
			scope: 'default',
			ticketId: 'old-1',
			decidedAt: NOW - 3_600_000,
			destination: 'surge',
			kind: 'external',
			vendor: 'surge',
			contract: 'capacity',
			reason: 'overflow',
			ruleId: 'peak',
			guardrail: null,
			policyVersion: 'aaaaaaaaaaaa',
			channel: null,
			language: null,
			topic: null,
			priority: null,
			costEstimate: 0,
			workflowId: null,
			executionId: null,
			previousId: null,
			matched: storedTerms(['overflow:load 30 >= 10 (1 x capacityPerHour 10)']),
			status: 'routed',
			handedOffAt: null,
			providerReference: null,
			firstResponseAt: null,
			resolvedAt: null,
			slaMet: null,
			csat: null,
			reopened: null,
			errorClass: null,
		};
		const { delegations, rows } = route(overflow, [ticket('old-1')], snapshot({ open: { 'old-1': record } }));
		expect(rows).toEqual([]);
		expect(delegations[0]).toMatchObject({
			ledger: 'existing',
			policyVersion: 'aaaaaaaaaaaa',
			decidedAt: new Date(NOW - 3_600_000).toISOString(),
			ruleId: 'peak',
			matched: ['overflow:load 30 >= 10 (1 x capacityPerHour 10)'],
		});
		expect(delegations[0].explanation).toBe(
			`Earlier decision of ${new Date(NOW - 3_600_000).toISOString()} under policy version aaaaaaaaaaaa, not the current ${overflow.version}: ` +
				'Rule "Peak overflow" (overflow) matched on overflow:load 30 >= 10 (1 x capacityPerHour 10) → surge. ' +
				'It stands while the ticket is open; set Options → Re-Route to decide again.',
		);
	});

	it('explains defaults and guardrail diversions', () => {
		const capped = policy({
			destinations: [TEAM, { ...surge, id: 'acme', capacityPerHour: 1 }],
			rules: [{ id: 'billing', name: 'Billing', kind: 'specialist', when: { keywords: ['refund'] }, target: 'acme' }],
		} as never);
		const { delegations } = route(capped, [ticket('1', { subject: 'refund' }), ticket('2', { subject: 'refund' }), ticket('3', { subject: 'hello' })]);
		expect(delegations.map((d) => d.explanation)).toEqual([
			'Rule 1 "Billing" (specialist) matched on keyword:refund → acme.',
			'Rule 1 "Billing" (specialist) matched on keyword:refund → acme. Guardrail capacityPerHour: acme took 1 tickets in the last hour (cap 1); went to team.',
			'No rule matched → default destination team.',
		]);
	});

	it('tickets decided alike in one batch read the same sentence; what differs (terms, counts, rules) is said per ticket', () => {
		const capped = policy({
			destinations: [TEAM, { ...surge, id: 'acme', capacityPerHour: 2 }],
			rules: [
				{ id: 'billing', name: 'Billing', kind: 'specialist', when: { keywords: ['refund', 'invoice'] }, target: 'acme' },
				{ id: 'vip', name: 'VIP', kind: 'keepInternal', when: { tiers: ['vip'] }, target: 'team' },
			],
		} as never);
		const { delegations } = route(capped, [
			ticket('1', { subject: 'refund' }),
			ticket('2', { subject: 'hello' }),
			ticket('3', { subject: 'invoice' }),
			ticket('4', { subject: 'refund' }),
			ticket('5', { subject: 'refund and invoice' }),
			ticket('6', { subject: 'hello' }),
			ticket('7', { tier: 'vip' }),
		]);
		expect(delegations.map((d) => d.explanation)).toEqual([
			'Rule 1 "Billing" (specialist) matched on keyword:refund → acme.',
			'No rule matched → default destination team.',
			'Rule 1 "Billing" (specialist) matched on keyword:invoice → acme.',
			// acme's hourly cap of 2 is reached by tickets 1 and 3.
			'Rule 1 "Billing" (specialist) matched on keyword:refund → acme. Guardrail capacityPerHour: acme took 2 tickets in the last hour (cap 2); went to team.',
			'Rule 1 "Billing" (specialist) matched on keyword:refund; keyword:invoice → acme. Guardrail capacityPerHour: acme took 2 tickets in the last hour (cap 2); went to team.',
			'No rule matched → default destination team.',
			'Rule 2 "VIP" (keepInternal) matched on tier:vip → team.',
		]);
	});

	it('shares a batch\'s sentences without mixing up decisions that differ in any part, past its limit too', () => {
		const batch = new BatchExplanations();
		const why = (over: object) => ({ destination: 'acme', reason: 'specialist' as const, ruleId: 'billing', ruleName: 'Billing', matched: ['keyword:refund'], guardrail: null, ...over });
		const label = 'Rule 1 "Billing"';
		const capped = { name: 'capacityPerHour' as const, wanted: 'acme', detail: 'acme took 2 tickets in the last hour (cap 2)' };
		const cases: Array<[object, string]> = [
			[{}, 'Rule 1 "Billing" (specialist) matched on keyword:refund → acme.'],
			[{ matched: [] }, 'Rule 1 "Billing" (specialist) matched → acme.'],
			// One empty term still says " on ".
			[{ matched: [''] }, 'Rule 1 "Billing" (specialist) matched on  → acme.'],
			[{ matched: ['keyword:refund', 'tag:vip'] }, 'Rule 1 "Billing" (specialist) matched on keyword:refund; tag:vip → acme.'],
			[{ destination: 'team', guardrail: capped }, 'Rule 1 "Billing" (specialist) matched on keyword:refund → acme. Guardrail capacityPerHour: acme took 2 tickets in the last hour (cap 2); went to team.'],
			[{ destination: 'team', guardrail: { ...capped, detail: 'acme took 3 tickets in the last hour (cap 3)' } }, 'Rule 1 "Billing" (specialist) matched on keyword:refund → acme. Guardrail capacityPerHour: acme took 3 tickets in the last hour (cap 3); went to team.'],
			[{ destination: 'team' }, 'Rule 1 "Billing" (specialist) matched on keyword:refund → team.'],
			// The same guardrail over another wanted vendor, and another reason of the same rule.
			[{ destination: 'team', guardrail: { ...capped, wanted: 'beta' } }, 'Rule 1 "Billing" (specialist) matched on keyword:refund → beta. Guardrail capacityPerHour: acme took 2 tickets in the last hour (cap 2); went to team.'],
			[{ reason: 'overflow' }, 'Rule 1 "Billing" (overflow) matched on keyword:refund → acme.'],
			[{ reason: 'default', ruleId: null, ruleName: null, matched: [], destination: 'team' }, 'No rule matched → default destination team.'],
			[{ reason: 'sweepWithinCapacity', ruleId: null, ruleName: null, matched: [], destination: 'team' }, "Kept by the team within the sweep's internal capacity → team."],
		];
		// Twice over, so the second round reads every sentence back from what the first made.
		for (let round = 0; round < 2; round++) {
			for (const [over, sentence] of cases) {
				const d = why(over) as Parameters<BatchExplanations['of']>[0];
				expect(batch.of(d, d.ruleId === null ? null : label)).toBe(sentence);
			}
		}
		// Past the limit sentences are still made, each its own.
		for (let i = 0; i < SHARED_SENTENCES + 10; i++) {
			expect(batch.of(why({ matched: [`keyword:term${i}`] }) as Parameters<BatchExplanations['of']>[0], label)).toBe(`Rule 1 "Billing" (specialist) matched on keyword:term${i} → acme.`);
		}
		expect(batch.of(why({}) as Parameters<BatchExplanations['of']>[0], label)).toBe('Rule 1 "Billing" (specialist) matched on keyword:refund → acme.');
	});

	it('past its limit a batch still says each sentence whole: a saturated overflow\'s load, diversions, defaults and sweeps', () => {
		const batch = new BatchExplanations();
		const label = 'Rule 9 "Peak overflow"';
		const saturated = { name: 'overflowSaturated' as const, wanted: 'surge-a', detail: 'every overflow vendor is unavailable: surge-a (capacityPerHour)' };
		// A saturated overflow says a new load every ticket: every sentence differs in its terms only.
		for (let load = 100; load < 100 + SHARED_SENTENCES + 3; load++) {
			const d = { destination: 'team', reason: 'overflow' as const, ruleId: 'peak', ruleName: 'Peak overflow', matched: [`overflow:load ${load} >= 96`], guardrail: saturated };
			expect(batch.of(d, label)).toBe(
				`Rule 9 "Peak overflow" (overflow) matched on overflow:load ${load} >= 96 → surge-a. Guardrail overflowSaturated: every overflow vendor is unavailable: surge-a (capacityPerHour); went to team.`,
			);
		}
		const d = { destination: 'team', reason: 'overflow' as const, ruleId: 'peak', ruleName: 'Peak overflow', matched: ['keyword:sale', 'overflow:load 7 >= 6'], guardrail: null };
		expect(batch.of(d, label)).toBe('Rule 9 "Peak overflow" (overflow) matched on keyword:sale; overflow:load 7 >= 6 → team.');
		expect(batch.of({ ...d, matched: [] }, label)).toBe('Rule 9 "Peak overflow" (overflow) matched → team.');
		// The same rule and destination under another guardrail, and another rule's head.
		expect(batch.of({ ...d, matched: ['x'], guardrail: { ...saturated, name: 'maxShare', detail: 'surge-a has 40% (max 35%)' } }, label)).toBe(
			'Rule 9 "Peak overflow" (overflow) matched on x → surge-a. Guardrail maxShare: surge-a has 40% (max 35%); went to team.',
		);
		expect(batch.of({ ...d, ruleId: 'vip', ruleName: 'VIP', reason: 'keepInternal', matched: ['tier:vip'] }, 'Rule 1 "VIP"')).toBe('Rule 1 "VIP" (keepInternal) matched on tier:vip → team.');
		expect(batch.of({ ...d, reason: 'default', ruleId: null, ruleName: null, matched: [], guardrail: { name: 'dataRegion', wanted: 'acme', detail: 'acme serves eu, not us' } }, null)).toBe(
			'No rule matched → default destination acme. Guardrail dataRegion: acme serves eu, not us; went to team.',
		);
		expect(batch.of({ ...d, reason: 'sweepWithinCapacity', ruleId: null, ruleName: null, matched: [] }, null)).toBe("Kept by the team within the sweep's internal capacity → team.");
	});

	it('stores a batch\'s matched terms once per distinct list: lists whose terms join alike stay apart', () => {
		const terms = new BatchTerms();
		expect(terms.stored([])).toBeNull();
		expect(terms.stored(['keyword:refund'])).toBe('["keyword:refund"]');
		expect(terms.stored(['ab', 'c'])).toBe('["ab","c"]');
		expect(terms.stored(['a', 'bc'])).toBe('["a","bc"]');
		expect(terms.stored(['a\u0000b', 'c'])).toBe('["a\\u0000b","c"]');
		expect(terms.stored(['a', 'b\u0000c'])).toBe('["a","b\\u0000c"]');
		expect(terms.stored(['abc'])).toBe('["abc"]');
		expect(terms.stored(['ab', 'c'])).toBe('["ab","c"]');
		for (let i = 0; i < SHARED_TERMS + 10; i++) expect(terms.stored([`t${i}`])).toBe(`["t${i}"]`);
		expect(terms.stored(['keyword:refund'])).toBe('["keyword:refund"]');
	});

	it('stores matched terms bounded: a JSON array of at most 1,000 characters, the tail counted', () => {
		expect(storedTerms([])).toBeNull();
		expect(readTerms(storedTerms(['keyword:返金', 'tag:"vip"']))).toEqual(['keyword:返金', 'tag:"vip"']);
		const many = Array.from({ length: 100 }, (_, i) => `keyword:term-number-${i}`);
		const stored = storedTerms(many)!;
		expect(stored.length).toBeLessThanOrEqual(MATCHED_MAX_CHARS);
		const back = readTerms(stored);
		// Each term is 22–23 characters plus quotes and a comma: about 38 fit with the "+N more" marker.
		expect(back.slice(0, 3)).toEqual(['keyword:term-number-0', 'keyword:term-number-1', 'keyword:term-number-2']);
		expect(back[back.length - 1]).toBe(`+${100 - (back.length - 1)} more`);
		expect(back.length).toBeGreaterThan(30);
		expect(readTerms('not json')).toEqual([]);
		expect(readTerms('{"a":1}')).toEqual([]);
	});
});
