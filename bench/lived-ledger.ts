import type { Ledger } from '../ledger/ledger';
import type { NewDelegation } from '../ledger/model';
import { DAY, HOUR } from '../ledger/planning/rollup';
import { random } from '../tests/ledger/fixtures';

/**
 * A ledger as a support team's month leaves it: decisions spread evenly over the 30 days before a given instant,
 * skewed the way support traffic is (a few topics and languages dominate), each going where a real policy would send
 * it. Benches measure on it because what a batch costs depends on what its windows hold, not on an empty file.
 */

/** Picks from weighted values. */
export function weighted<T>(rnd: () => number, entries: Array<[T, number]>): T {
	const total = entries.reduce((n, [, w]) => n + w, 0);
	let x = rnd() * total;
	for (const [value, w] of entries) if ((x -= w) < 0) return value;
	return entries[entries.length - 1][0];
}

const TOPICS: Array<[string, number]> = [
	['billing', 30], ['shipping', 22], ['account', 14], ['returns', 10], ['api', 6], ['bug', 5], ['refund', 4],
	['security', 3], ['legal', 2], ['integration', 2], ['feature', 1], ['other', 1],
];
const LANGUAGES: Array<[string, number]> = [['en', 60], ['de', 15], ['fr', 10], ['es', 8], ['it', 4], ['nl', 3]];
const CHANNELS: Array<[string, number]> = [['email', 50], ['chat', 30], ['phone', 15], ['web', 5]];

/** The vendors a lived ledger's decisions went to, by contract. */
export interface LivedVendors {
	specialist: string;
	outsourcing: string;
	/** Capacity vendors taking overflow, weighted. */
	capacity: Array<[string, number]>;
}

export const BENCH_VENDORS: LivedVendors = {
	specialist: 'devexperts',
	outsourcing: 'callcorp',
	capacity: [['surgeforce', 5], ['peakpartners', 3], ['helpfleet', 2]],
};

/** One realistic decision: who gets a ticket follows from why (rule kind), as in a real policy. */
export function realisticDecision(
	rnd: () => number,
	i: number,
	scope: string,
	decidedAt: number,
	label: string,
	vendors: LivedVendors = BENCH_VENDORS,
): NewDelegation {
	const topic = weighted(rnd, TOPICS);
	const language = weighted(rnd, LANGUAGES);
	const channel = weighted(rnd, CHANNELS);
	let reason: string;
	let vendor: string | null = null;
	let contract: NewDelegation['contract'] = null;
	if (topic === 'security' || topic === 'legal') reason = 'keepInternal';
	else if (topic === 'api' || topic === 'integration') [reason, vendor, contract] = ['specialist', vendors.specialist, 'specialist'];
	else if (channel === 'phone' || language === 'it' || language === 'nl') [reason, vendor, contract] = ['outsourcing', vendors.outsourcing, 'outsourcing'];
	else if (rnd() < 0.3) {
		reason = 'overflow';
		vendor = weighted(rnd, vendors.capacity);
		contract = 'capacity';
	} else reason = 'default';
	return {
		id: `${label}-${i}`,
		scope,
		ticketId: `${label}-t${i}`,
		decidedAt,
		destination: vendor ?? weighted(rnd, [['tier1', 6], ['tier2', 3], ['specialists', 1]]),
		kind: vendor ? 'external' : 'internal',
		vendor,
		contract,
		reason,
		ruleId: `rule-${reason}`,
		guardrail: null,
		policyVersion: 'sha256:4f1c2a',
		channel,
		language,
		topic,
		priority: weighted(rnd, [['low', 2], ['normal', 6], ['high', 2]]),
		costEstimate: vendor ? 2 + Math.round(rnd() * 600) / 100 : 0,
		workflowId: 'wf-intake',
		executionId: label,
		previousId: null,
		matched: null,
	};
}

export interface LivedShape {
	/** How many decisions, over the 30 days before `end`. */
	rows: number;
	end: number;
	/** Scopes, weighted. */
	scopes: Array<[string, number]>;
	vendors?: LivedVendors;
	/** Prefix of the seeded decisions' and tickets' ids. */
	label?: string;
}

/** Seeds the decisions through routeBatch, 20,000 per batch (as a sweep writes them); returns the seconds it took. */
export async function seedLived(ledger: Ledger, shape: LivedShape): Promise<number> {
	const rnd = random(2026);
	const batch = 20_000;
	const started = Date.now();
	const request = { now: shape.end, ticketIds: [], vendors: [], internalWindowMs: HOUR, shareWindowMs: DAY, monthStart: shape.end };
	for (let b = 0; b < shape.rows / batch; b++) {
		const byScope = new Map<string, NewDelegation[]>();
		for (let i = 0; i < batch && b * batch + i < shape.rows; i++) {
			const n = b * batch + i;
			const decidedAt = shape.end - 30 * DAY + Math.floor((n / shape.rows) * 30 * DAY) + Math.floor(rnd() * 1000);
			const scope = weighted(rnd, shape.scopes);
			const row = realisticDecision(rnd, n, scope, decidedAt, shape.label ?? 'seed', shape.vendors);
			const rows = byScope.get(scope);
			if (rows) rows.push(row);
			else byScope.set(scope, [row]);
		}
		for (const [scope, rows] of byScope) await ledger.routeBatch(scope, request, () => ({ rows, overflowActive: {}, result: null }));
	}
	return (Date.now() - started) / 1000;
}
