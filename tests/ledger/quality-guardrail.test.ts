import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { compilePolicy } from '../../domain/policy/compile';
import { parsePolicy } from '../../domain/policy/parse';
import type { PolicyInput } from '../../domain/policy/schema';
import { decide, snapshotRequest } from '../../domain/routing/decide';
import type { Delegation } from '../../domain/routing/delegation';
import type { Ticket } from '../../domain/ticket/ticket';
import type { Ledger } from '../../ledger/ledger';
import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';
import { MemoryLedger } from '../doubles/memory-ledger';
import { dropSchemas, openPostgres, postgresUnavailable, uniqueSchema } from './postgres';

/** 2031-01-06 09:00 UTC: later than the wall clock, so the ledger stamps each batch with the time given here. */
const START = Date.UTC(2031, 0, 6, 9, 0);
const MINUTE = 60_000;

const POLICY: PolicyInput = {
	scope: 'quality',
	destinations: [
		{ id: 'team', kind: 'internal' },
		{ id: 'acme', kind: 'external', quality: { minSlaMetRate: 0.6, lastResolved: 20, minSample: 20, recoverMargin: 0.05 } },
		{ id: 'globex', kind: 'external' },
	],
	rules: [{ id: 'billing', kind: 'specialist', targets: ['acme', 'globex'] }],
	defaultDestination: 'team',
};

function ticket(id: string): Ticket {
	return { id, subject: '', body: '', tags: [], category: null, language: null, channel: null, priority: null, tier: null, region: null, createdAt: null, dueAt: null, source: { id } };
}

/** Routes one ticket as the Ticket Router does: snapshot, decide and write in one ledger transaction. */
async function route(ledger: Ledger, id: string, now: number): Promise<Delegation> {
	const policy = compilePolicy(parsePolicy(POLICY));
	const tickets = [ticket(id)];
	return ledger.routeBatch(policy.scope, snapshotRequest(policy, tickets, now), (snapshot) => {
		const d = decide(tickets, policy, snapshot, { now: snapshot.now });
		return { rows: d.rows, overflowActive: d.overflowActive, qualityBelow: d.qualityBelow, result: d.delegations[0] };
	});
}

/** The SLA misses: tickets 12 to 20 of the 40 routed to acme first. */
const MISSED = new Set([12, 13, 14, 15, 16, 17, 18, 19, 20]);

/**
 * Worked out by hand. T1..T40 go to acme while it has no finished delegations (no sample: not judged). Their outcomes
 * then arrive in order, and after outcome k a probe ticket is routed. The sample is acme's last 20 finished
 * delegations by decision time: T(k-19)..Tk once k >= 20 (probes stay open, so they never enter it).
 * - k < 20: fewer than 20 outcomes, below the minimum sample → acme.
 * - k = 20: T1..T20 hold the 9 misses → 11/20 = 55% < 60% → diverted to globex (the next target).
 * - k = 21..31: the window still holds all 9 misses (T12 leaves only at k = 32) → 55% → diverted.
 * - k = 32: T13..T32, 8 misses → 12/20 = 60%: at the limit, but recovering needs 60% + 5 points → still diverted.
 * - k = 33: T14..T33, 7 misses → 13/20 = 65% → recovered: acme again through k = 40.
 */
function expectedProbe(k: number): { destination: string; rate: number | null } {
	if (k < 20) return { destination: 'acme', rate: null };
	const misses = [...MISSED].filter((m) => m >= k - 19 && m <= k).length;
	const rate = (20 - misses) / 20;
	return { destination: k <= 32 ? 'globex' : 'acme', rate };
}

async function runSequence(ledger: Ledger) {
	let now = START;
	for (let i = 1; i <= 40; i++) {
		const d = await route(ledger, `T${i}`, (now += MINUTE));
		expect(d.destination, `T${i}`).toBe('acme');
		expect(d.guardrail).toBeNull();
	}
	const seen: Array<{ k: number; destination: string; guardrail: Delegation['guardrail'] }> = [];
	for (let k = 1; k <= 40; k++) {
		await ledger.recordOutcomes('quality', [{ ticketId: `T${k}`, update: { status: 'resolved', slaMet: !MISSED.has(k), at: now } }]);
		const probe = await route(ledger, `P${k}`, (now += MINUTE));
		seen.push({ k, destination: probe.destination, guardrail: probe.guardrail });
	}
	for (const { k, destination, guardrail } of seen) {
		const want = expectedProbe(k);
		expect(destination, `probe after outcome ${k}`).toBe(want.destination);
		if (want.destination === 'globex') {
			expect(guardrail?.name).toBe('quality');
			expect(guardrail?.wanted).toBe('acme');
			const pct = `${(want.rate! * 100).toFixed(1)}%`;
			expect(guardrail?.detail).toContain(`SLA met ${pct} over 20 outcomes (minimum 60%`);
		} else expect(guardrail, `probe after outcome ${k}`).toBeNull();
	}
	// The first diverted and the first recovered probe, as the worked example says.
	expect(seen.find((s) => s.destination === 'globex')?.k).toBe(20);
	expect(seen.find((s) => s.k > 20 && s.destination === 'acme')?.k).toBe(33);
	expect(seen.find((s) => s.k === 32)?.guardrail?.detail).toContain('60.0% over 20 outcomes (minimum 60%; recovers at 65%)');
	// The report's reading of the same sample: acme's last 20 finished after outcome 40 are T21..T40, all met.
	const counts = await ledger.quality('quality', [{ vendor: 'acme', from: 0, to: Number.MAX_SAFE_INTEGER, limit: 20 }]);
	expect(counts.acme).toMatchObject({ closed: 20, slaKnown: 20, slaMet: 20, returned: 0 });
	// Every scope at once (Vendor Risk's All Scopes): this ledger has one; and a vendor without outcomes counts zero.
	const all = await ledger.quality(null, [
		{ vendor: 'acme', from: 0, to: Number.MAX_SAFE_INTEGER, limit: 20 },
		{ vendor: 'globex', from: 0, to: Number.MAX_SAFE_INTEGER, limit: null },
	]);
	expect(all).toEqual({ acme: counts.acme, globex: { closed: 0, returned: 0, slaKnown: 0, slaMet: 0, outcomeKnown: 0, reopened: 0, csatSum: 0, csatCount: 0 } });
}

/**
 * Window sample: acme's finished delegations decided in the last 2 days. Returns count as finished; reopened and
 * CSAT have their own denominators. Hand-computed: 4 finished (1 returned) → return rate 25% > 20% → diverted.
 */
async function runWindow(ledger: Ledger) {
	const policy: PolicyInput = {
		...POLICY,
		scope: 'window',
		destinations: [
			{ id: 'team', kind: 'internal' },
			{ id: 'acme', kind: 'external', quality: { maxReturnRate: 0.2, windowDays: 2, minSample: 4 } },
			{ id: 'globex', kind: 'external' },
		],
	};
	const compiled = compilePolicy(parsePolicy(policy));
	const routeAt = (id: string, now: number) =>
		ledger.routeBatch('window', snapshotRequest(compiled, [ticket(id)], now), (snapshot) => {
			const d = decide([ticket(id)], compiled, snapshot, { now: snapshot.now });
			return { rows: d.rows, overflowActive: d.overflowActive, qualityBelow: d.qualityBelow, result: d.delegations[0] };
		});
	const day = 24 * 60 * MINUTE;
	// W0 is decided 3 days before the others: outside the 2-day window later on.
	await routeAt('W0', START);
	for (let i = 1; i <= 4; i++) await routeAt(`W${i}`, START + 3 * day + i * MINUTE);
	await ledger.recordOutcomes('window', [
		{ ticketId: 'W0', update: { status: 'resolved' } },
		{ ticketId: 'W1', update: { status: 'resolved' } },
		{ ticketId: 'W2', update: { status: 'resolved' } },
		{ ticketId: 'W3', update: { status: 'returned' } },
	]);
	// In the window: W1, W2, W3 finished (W0 is 3 days old): 3 < minimum sample 4 → not judged.
	expect((await routeAt('X1', START + 3 * day + 10 * MINUTE)).destination).toBe('acme');
	await ledger.recordOutcomes('window', [{ ticketId: 'W4', update: { status: 'resolved' } }]);
	// W1..W4: 1 returned of 4 = 25% > 20% → diverted.
	const diverted = await routeAt('X2', START + 3 * day + 11 * MINUTE);
	expect(diverted.destination).toBe('globex');
	expect(diverted.guardrail).toMatchObject({ name: 'quality', wanted: 'acme' });
	expect(diverted.guardrail?.detail).toContain('return rate 25.0% over 4 outcomes (maximum 20%)');
	expect(diverted.guardrail?.detail).toContain('decided in the last 2 days');
}

const backends: Array<[string, () => Promise<Ledger>]> = [['memory', async () => new MemoryLedger()]];
const dir = mkdtempSync(join(tmpdir(), 'sd-quality-'));
backends.push(['sqlite', () => SqliteLedger.open(join(dir, `q-${Math.random().toString(36).slice(2)}.db`))]);
const schemas: string[] = [];
const pgUnavailable = postgresUnavailable();
if (pgUnavailable === null) {
	backends.push([
		'postgres',
		() => {
			const schema = uniqueSchema('quality');
			schemas.push(schema);
			return openPostgres(schema);
		},
	]);
}

afterAll(async () => {
	rmSync(dir, { recursive: true, force: true });
	if (schemas.length) await dropSchemas(schemas);
});

describe.each(backends)('quality guardrail on the %s ledger', (_name, open) => {
	const withLedger = (run: (ledger: Ledger) => Promise<void>) => async () => {
		const ledger = await open();
		try {
			await run(ledger);
		} finally {
			await ledger.close();
		}
	};
	it('diverts at the 20th outcome (55% < 60%), holds at 60% (hysteresis) and recovers at 65%', withLedger(runSequence));
	it('judges a rolling window by decision time, with the minimum sample per figure', withLedger(runWindow));
});
