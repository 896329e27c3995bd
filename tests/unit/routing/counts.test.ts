import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { loadPolicy } from '../../../domain/policy/compile';
import { batchRequest, decide, snapshotRequest, type DecideOptions } from '../../../domain/routing/decide';
import type { Ticket } from '../../../domain/ticket/ticket';
import type { LedgerSnapshot } from '../../../ledger/model';
import { seeded, type Random } from '../../fuzz/random';
import { ticket } from './fixtures';

/**
 * A batch whose policy decides on no count reads no window from the ledger (SnapshotRequest.counts = false): its
 * snapshot's counts are all 0. That is safe only if such a policy's decisions never depend on the counts, so every
 * reader of them must make CompiledPolicy.usesCounts true. Here the example policy loses each count-reading feature
 * in turn, and its decisions on random ledgers are compared with its decisions on the zeroed snapshot the ledger
 * then hands back.
 */
const EXAMPLE = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'docs', 'example-policy.json'), 'utf8'));

const CAPS = ['capacityPerHour', 'capacityPerDay', 'capacityPerMonth', 'monthlyBudget', 'maxShare'] as const;
/** What can make a decision depend on the counts: each cap of a vendor, an overflow rule, a spare-capacity rule. */
const FEATURES = [...CAPS, 'overflow', 'spareCapacity'] as const;
type Feature = (typeof FEATURES)[number];

/** The example policy with only `keep` of the count-reading features, and several targets on other rules. */
function policyWith(keep: ReadonlySet<Feature>) {
	const raw = structuredClone(EXAMPLE);
	for (const d of raw.destinations) for (const cap of CAPS) if (!keep.has(cap)) delete d[cap];
	raw.rules = raw.rules.filter((r: { kind: string }) => r.kind !== 'overflow' || keep.has('overflow'));
	const rule = (id: string) => raw.rules.find((r: { id: string }) => r.id === id);
	// Several targets in order, and weighted, decide on no count; spare capacity does (the fewest recent tickets).
	Object.assign(rule('api'), { target: undefined, targets: [{ destination: 'surge-a' }, { destination: 'api-guild' }], strategy: keep.has('spareCapacity') ? 'spareCapacity' : 'inOrder' });
	Object.assign(rule('japanese'), { target: undefined, targets: [{ destination: 'nihongo-support' }, { destination: 'nightdesk', weight: 2 }], strategy: 'weighted' });
	return loadPolicy({ ...raw, scope: 'counts' });
}

const SUBJECTS = ['Refund please', 'Invoice wrong, charged twice', 'API key rejected', 'Webhook failing', 'Chargeback received', 'Where is my parcel', 'Lawsuit notice'];

function tickets(r: Random, n: number): Ticket[] {
	return Array.from({ length: n }, (_, i) =>
		ticket(`t-${i}`, {
			subject: r.pick(SUBJECTS),
			body: r.pick(['', 'Please have a look at the integration.', 'Our refund never arrived.']),
			language: r.pick(['en', 'en', 'de', 'ja']),
			tier: r.pick(['free', 'pro', 'vip', null]),
			tags: r.pick([[], ['legal'], ['billing']]),
			region: r.pick(['eu', 'uk', 'us', null]),
			priority: r.pick(['low', 'normal', 'urgent']),
		}),
	);
}

/** A ledger's counts, large enough that every cap of the example policy is sometimes reached. */
function countedSnapshot(r: Random, now: number, vendors: readonly string[]): LedgerSnapshot {
	const int = (max: number) => Math.floor(r.next() * max);
	const snapshot: LedgerSnapshot = { now, internalInWindow: int(400), delegatedInShareWindow: 0, vendors: {}, overflowActive: { peak: r.next() < 0.5 }, open: {} };
	for (const v of vendors) {
		const counts = { lastHour: int(150), lastDay: int(600), thisMonth: int(9000), costThisMonth: int(30000), inShareWindow: int(3000) };
		snapshot.vendors[v] = counts;
		snapshot.delegatedInShareWindow += counts.inShareWindow;
	}
	snapshot.delegatedInShareWindow += int(2000);
	return snapshot;
}

/** What the ledger hands back for the same request without counts. */
function zeroed(snapshot: LedgerSnapshot): LedgerSnapshot {
	const vendors = Object.fromEntries(Object.keys(snapshot.vendors).map((v) => [v, { lastHour: 0, lastDay: 0, thisMonth: 0, costThisMonth: 0, inShareWindow: 0 }]));
	return { ...snapshot, internalInWindow: 0, delegatedInShareWindow: 0, vendors };
}

/** Everything a batch decides, with ids that do not depend on the run. */
function decided(batch: Ticket[], policy: ReturnType<typeof policyWith>, snapshot: LedgerSnapshot, options: Omit<DecideOptions, 'newId'>) {
	let n = 0;
	const { delegations, rows, overflowActive } = decide(batch, policy, snapshot, { ...options, newId: () => `id-${n++}` });
	return JSON.stringify({ delegations, rows, overflowActive });
}

/** A Saturday night in the Black Friday peak (nights rule and overflow live), and a Wednesday in office hours. */
const MOMENTS = [Date.UTC(2026, 10, 28, 21, 0), Date.UTC(2026, 5, 10, 12, 0)];

/** Every run of one policy against one random ledger: both moments, with and without a given load or a sweep. */
function runs(r: Random) {
	const now = r.pick(MOMENTS);
	const options: Omit<DecideOptions, 'newId'> = { now, load: r.next() < 0.3 ? Math.floor(r.next() * 300) : null };
	if (r.next() < 0.2) options.sweepCapacity = Math.floor(r.next() * 10);
	return { now, options, batch: tickets(r, 40) };
}

describe('policies that decide on no count', () => {
	it('need the counts exactly when they have a vendor cap or budget, an overflow rule or a spare-capacity rule', () => {
		expect(policyWith(new Set()).usesCounts).toBe(false);
		for (const feature of FEATURES) expect(policyWith(new Set([feature])).usesCounts, feature).toBe(true);
		// The router's request then asks for no window; the other nodes' requests (reports, simulation) still do.
		const none = policyWith(new Set());
		expect(batchRequest(none, [], MOMENTS[0]).counts).toBe(false);
		expect(snapshotRequest(none, [], MOMENTS[0]).counts).toBeUndefined();
		expect(batchRequest(policyWith(new Set(['maxShare'])), [], MOMENTS[0]).counts).toBeUndefined();
	});

	it('decide alike on any ledger and on the zeroed snapshot a request without counts reads, over 400 random batches', () => {
		const r = seeded(20261201);
		const policy = policyWith(new Set());
		for (let k = 0; k < 400; k++) {
			const { now, options, batch } = runs(r);
			const snapshot = countedSnapshot(r, now, policy.externalIds);
			expect(decided(batch, policy, zeroed(snapshot), options), `batch ${k}`).toBe(decided(batch, policy, snapshot, options));
		}
	});

	it('while each count-reading feature alone does change decisions on some ledgers (so the comparison above can fail)', () => {
		const r = seeded(7);
		for (const feature of FEATURES) {
			const policy = policyWith(new Set([feature]));
			let differed = 0;
			for (let k = 0; k < 200 && differed === 0; k++) {
				const { now, options, batch } = runs(r);
				const snapshot = countedSnapshot(r, now, policy.externalIds);
				if (decided(batch, policy, zeroed(snapshot), options) !== decided(batch, policy, snapshot, options)) differed++;
			}
			expect(differed, feature).toBeGreaterThan(0);
		}
	});
});

describe('policies that decide on their tickets alone', () => {
	it('are those with no count and no quality guardrail: their batch may be decided before the ledger is read', () => {
		const none = policyWith(new Set());
		expect(batchRequest(none, [], MOMENTS[0]).ticketsOnly).toBe(true);
		for (const feature of FEATURES) expect(batchRequest(policyWith(new Set([feature])), [], MOMENTS[0]).ticketsOnly, feature).toBeUndefined();
		// A quality guardrail reads the vendor's outcomes and its state: no guess then, though it reads no count.
		const guarded = structuredClone(EXAMPLE);
		for (const d of guarded.destinations) for (const cap of CAPS) delete d[cap];
		guarded.rules = guarded.rules.filter((r: { kind: string }) => r.kind !== 'overflow');
		guarded.destinations.find((d: { kind: string }) => d.kind === 'external').quality = { minSlaMetRate: 0.8 };
		const quality = loadPolicy({ ...guarded, scope: 'quality' });
		expect(quality.usesCounts).toBe(false);
		expect(batchRequest(quality, [], MOMENTS[0]).ticketsOnly).toBeUndefined();
		// The other nodes' requests (reports, simulation) read the ledger as always.
		expect(snapshotRequest(none, [], MOMENTS[0]).ticketsOnly).toBeUndefined();
	});

	it('decide alike on the guess (nothing recorded) and on any ledger holding none of their tickets, whatever its overflow and quality states, over 400 random batches', () => {
		const r = seeded(20261203);
		const policy = policyWith(new Set());
		for (let k = 0; k < 400; k++) {
			const { now, options, batch } = runs(r);
			const lived = zeroed(countedSnapshot(r, now, policy.externalIds));
			lived.overflowActive = { peak: r.next() < 0.5, nights: r.next() < 0.5 };
			lived.qualityBelow = Object.fromEntries(policy.externalIds.map((v) => [v, r.next() < 0.5]));
			const guess: LedgerSnapshot = { ...zeroed(countedSnapshot(r, now, policy.externalIds)), overflowActive: {}, qualityBelow: {}, open: {} };
			expect(decided(batch, policy, guess, options), `batch ${k}`).toBe(decided(batch, policy, lived, options));
		}
	});
});
