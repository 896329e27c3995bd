import type { Ledger } from '../../ledger/ledger';
import type { DelegationRecord, HandoffRecord, NewDelegation, OutcomeUpdate, SnapshotRequest } from '../../ledger/model';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** 2026-03-15T10:17:23.456Z: deliberately not on an hour or day boundary. */
export const NOW = Date.UTC(2026, 2, 15, 10, 17, 23, 456);

/** Small deterministic PRNG (mulberry32) so a failing comparison can be replayed. */
export function random(seed: number) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

let counter = 0;

export function decision(overrides: Partial<NewDelegation> = {}): NewDelegation {
	counter++;
	return {
		id: `d-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`,
		scope: 'support',
		ticketId: `T-${counter}`,
		decidedAt: NOW,
		destination: 'acme',
		kind: 'external',
		vendor: 'acme',
		contract: 'capacity',
		reason: 'overflow',
		ruleId: 'peak',
		guardrail: null,
		policyVersion: 'v1',
		channel: 'email',
		language: 'en',
		topic: 'billing',
		priority: 'normal',
		costEstimate: 4.5,
		workflowId: 'wf-1',
		executionId: 'ex-1',
		previousId: null,
		matched: null,
		...overrides,
	};
}

const pick = <T>(rnd: () => number, values: readonly T[]): T => values[Math.floor(rnd() * values.length)];

/** A mixed ledger over ~45 days before NOW (and a few rows after it), across hour, day and month edges. */
export function mixedDecisions(count: number, seed: number, scopes = ['support', 'sales']): NewDelegation[] {
	const rnd = random(seed);
	const rows: NewDelegation[] = [];
	for (let i = 0; i < count; i++) {
		const external = rnd() < 0.6;
		const vendor = external ? pick(rnd, ['acme', 'globex', 'initech', null] as const) : null;
		// Cluster some rows on exact hour and day edges, where off-by-one errors live.
		const edge = rnd();
		let decidedAt = NOW - Math.floor(rnd() * 45 * DAY) + Math.floor(rnd() * 2 * HOUR) - HOUR;
		if (edge < 0.1) decidedAt = Math.floor(decidedAt / HOUR) * HOUR;
		else if (edge < 0.15) decidedAt = Math.floor(decidedAt / DAY) * DAY - 1;
		else if (edge < 0.2) decidedAt = NOW - pick(rnd, [0, 1, HOUR - 1, HOUR, DAY - 1, DAY, 7 * DAY - 1, 7 * DAY]);
		rows.push(
			decision({
				scope: pick(rnd, scopes),
				ticketId: `T-${seed}-${i}`,
				decidedAt,
				kind: external ? 'external' : 'internal',
				destination: vendor ?? (external ? 'unknown' : pick(rnd, ['tier1', 'tier2'])),
				vendor,
				contract: external ? pick(rnd, ['specialist', 'capacity', 'outsourcing'] as const) : null,
				reason: pick(rnd, ['keepInternal', 'specialist', 'outsourcing', 'overflow', 'default']),
				topic: pick(rnd, ['billing', 'api', null, '']),
				channel: pick(rnd, ['email', 'chat', 'phone', null]),
				language: pick(rnd, ['en', 'de', 'fr', null]),
				costEstimate: external ? Math.round(rnd() * 1000) / 100 : 0,
			}),
		);
	}
	return rows;
}

export function request(overrides: Partial<SnapshotRequest> = {}): SnapshotRequest {
	return {
		now: NOW,
		ticketIds: [],
		vendors: ['acme', 'globex', 'initech', 'constructor'],
		internalWindowMs: 2 * HOUR,
		shareWindowMs: 30 * DAY,
		monthStart: Date.UTC(2026, 2, 1),
		...overrides,
	};
}

/** One outcome through the batch call every backend implements. */
export async function recordOne(ledger: Ledger, scope: string, ticketId: string, update: OutcomeUpdate): Promise<DelegationRecord | null> {
	return (await ledger.recordOutcomes(scope, [{ ticketId, update }]))[0];
}

/**
 * Provider Handoff's intent to send each external decision (state `sending`, as it is recorded before the request
 * goes): what a vendor callback needs to find before it may report on a decision still routed.
 */
export async function beginHandOffs(ledger: Ledger, scope: string, rows: readonly NewDelegation[]): Promise<void> {
	const intent = (row: NewDelegation): HandoffRecord => ({
		decisionId: row.id,
		scope,
		ticketId: row.ticketId,
		vendor: row.vendor!,
		idempotencyKey: `key-${row.id}`,
		state: 'sending',
		sends: 1,
		startedAt: row.decidedAt,
		finishedAt: null,
		providerReference: null,
		httpStatus: null,
		errorClass: null,
	});
	const requests = rows.filter((row) => row.kind === 'external').map((row) => ({ decisionId: row.id, plan: () => ({ intent: intent(row), result: null }) }));
	await ledger.writeHandoffs(scope, { results: [], requests });
}
