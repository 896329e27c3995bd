import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Ledger } from '../../ledger/ledger';
import { assessRisk } from '../../domain/risk/assess';
import { limitViolations, partialBatches, shareMismatches, stampInversions, ticketCoverage, type AuditRow, type Limits } from './audit';
import { startCluster, type Cluster } from './cluster';
import { postgresLedger, readDecisions } from './ledgers';
import { drive, type LoadResult } from './load';
import { withDatabase } from './services';
import { batches, makeTickets, type QueueTicket } from './tickets';
import { baselineWorkflow, intakeWorkflow, POLICY } from './workflows';

/**
 * The guarantees of the Ticket Router where they are hardest to keep: n8n queue mode, main taking webhooks, two
 * workers deciding at the same time against one ledger. Run by `npm run test:queue` (scripts/queue.sh).
 */

const RUN_ID = process.env.SD_QUEUE_RUN_ID ?? String(Date.now());
const RUN_DIR = process.env.SD_QUEUE_RUN_DIR ?? mkdtempSync(join(tmpdir(), 'sd-queue-'));
const TICKETS = 2_000;
const IN_FLIGHT = 50;

const scopes = { steady: `queue-${RUN_ID}-steady`, crash: `queue-${RUN_ID}-crash`, embedded: `queue-${RUN_ID}-embedded` };
const paths = {
	steady: `sd-queue-${RUN_ID}/steady`,
	crash: `sd-queue-${RUN_ID}/crash`,
	embedded: `sd-queue-${RUN_ID}/embedded`,
	baseline: `sd-queue-${RUN_ID}/baseline`,
};

const limits: Limits = {
	vendors: Object.fromEntries(POLICY.destinations.filter((d) => d.kind === 'external').map((d) => [d.id, d])),
	shareWindowMs: POLICY.guardrails.shareWindowDays * 86_400_000,
	minVolumeForShareCap: POLICY.guardrails.minVolumeForShareCap,
};

interface ResponseDecision {
	ticketId: string;
	destination: string | null;
	ledger: string | null;
}

function decisionsOf(result: LoadResult): ResponseDecision[] {
	return (result.body as { decisions?: ResponseDecision[] } | null)?.decisions ?? [];
}

function describeFailures(results: LoadResult[]): string[] {
	return results
		.map((r, i) => (r.status === 200 ? null : `request ${i}: ${r.status ?? r.error} ${JSON.stringify(r.body)?.slice(0, 200)}`))
		.filter((line): line is string => line !== null);
}

/**
 * Limits replayed in decidedAt order; on failure the message says whether commit order holds (a stamping problem).
 * Soft: the test still runs its other checks and fails at the end.
 */
function expectLimitsHeld(rows: AuditRow[]) {
	const inversions = stampInversions(rows);
	const diagnosis =
		`replayed in commit order: ${JSON.stringify(limitViolations(rows, limits, 'commit'))}; ` +
		`${inversions.count} rows stamped before a row committed ahead of them (up to ${inversions.maxLagMs} ms earlier)`;
	expect.soft(limitViolations(rows, limits), diagnosis).toEqual([]);
	// The ledger stamps a batch under its scope's lock, so time order is commit order.
	expect.soft(inversions.count, diagnosis).toBe(0);
}

function countOf(rows: AuditRow[], vendor: string) {
	return rows.filter((r) => r.vendor === vendor).length;
}

describe('Ticket Router on n8n queue mode: main + 2 workers, Redis, PostgreSQL', () => {
	const backend = postgresLedger(RUN_ID);
	let cluster: Cluster;
	let ledger: Ledger;

	const send = async (path: string, requests: QueueTicket[][], extra: Partial<Parameters<typeof drive>[1]> = {}) =>
		await drive(
			requests.map((tickets) => ({ url: cluster.webhookUrl(path), body: { tickets } })),
			{ inFlight: IN_FLIGHT, requestTimeoutMs: 60_000, deadlineMs: 420_000, ...extra },
		);

	const auditRows = async (scope: string) => await readDecisions(RUN_ID, scope);

	beforeAll(async () => {
		mkdirSync(RUN_DIR, { recursive: true });
		await backend.create();
		const ledgerChoice = backend.choice;
		cluster = await startCluster({
			dir: join(RUN_DIR, 'cluster'),
			runId: RUN_ID,
			workers: 2,
			workflows: [
				intakeWorkflow({ id: `sdq${RUN_ID}steady`.slice(0, 36), path: paths.steady, scope: scopes.steady, ledger: ledgerChoice }),
				intakeWorkflow({ id: `sdq${RUN_ID}crash`.slice(0, 36), path: paths.crash, scope: scopes.crash, ledger: ledgerChoice }),
				intakeWorkflow({
					id: `sdq${RUN_ID}embedded`.slice(0, 36),
					path: paths.embedded,
					scope: scopes.embedded,
					ledger: { parameters: { ledger: 'embedded' } },
				}),
				baselineWorkflow({ id: `sdq${RUN_ID}base`.slice(0, 36), path: paths.baseline }),
			],
			credentials: backend.credentials,
			env: backend.env,
		});
		// Main answers readiness before it has registered every published webhook; the baseline writes nothing.
		const deadline = Date.now() + 60_000;
		for (;;) {
			const probe = await send(paths.baseline, [[makeTickets('probe', 1)[0]]], { inFlight: 1, requestTimeoutMs: 10_000 });
			if (probe.results[0].status === 200) break;
			if (Date.now() > deadline) throw new Error(`webhooks not live: ${describeFailures(probe.results).join('\n')}`);
			await new Promise((r) => setTimeout(r, 500));
		}
		ledger = await backend.open();
	});

	afterAll(async () => {
		await ledger?.close();
		await cluster?.stop();
		await backend.remove();
	});

	it('refuses the embedded ledger in queue mode with an error that says why, and writes no file', async () => {
		const run = await send(paths.embedded, [makeTickets(`E${RUN_ID}`, 1)]);
		expect(run.results[0].status).not.toBe(200);
		const failures = await withDatabase(cluster.n8nDatabase, async (db) => {
			const { rows } = await db.query<{ n: string }>(
				`SELECT count(*) AS n FROM execution_data d JOIN execution_entity e ON e.id = d."executionId"
				 WHERE e."workflowId" = $1 AND e.status = 'error' AND d.data LIKE '%SUPPORT_DELEGATION_SINGLE_HOST=true%'`,
				[`sdq${RUN_ID}embedded`.slice(0, 36)],
			);
			return Number(rows[0].n);
		});
		expect(failures).toBe(1);
		expect(existsSync(join(RUN_DIR, 'cluster', '.n8n', 'support-delegation'))).toBe(false);
	});

	it(`routes ${TICKETS} webhook tickets, ${IN_FLIGHT} requests in flight, with exactly one decision each and no limit broken at any point`, async () => {
		const tickets = makeTickets(`S${RUN_ID}`, TICKETS, 7);
		const requests = batches(tickets, 5, 17);
		const run = await send(paths.steady, requests);

		expect(describeFailures(run.results)).toEqual([]);
		run.results.forEach((result, i) => {
			const answered = decisionsOf(result);
			expect(answered.map((d) => d.ticketId).sort()).toEqual(requests[i].map((t) => t.id).sort());
			expect(new Set(answered.map((d) => d.ledger))).toEqual(new Set(['recorded']));
		});

		const rows = await auditRows(scopes.steady);
		expect(rows).toHaveLength(TICKETS);
		expect(ticketCoverage(rows, tickets.map((t) => t.id))).toEqual([]);
		expectLimitsHeld(rows);
		expect(partialBatches(rows, requests.map((r) => r.map((t) => t.id)))).toEqual([]);

		// The limits bit (otherwise the replay proves nothing): the capped vendors were filled exactly to their limits.
		const billing = tickets.filter((t) => t.category === 'billing').length;
		const german = tickets.filter((t) => t.language === 'de').length;
		expect(countOf(rows, 'billing-pro')).toBe(Math.min(120, billing));
		expect(countOf(rows, 'dach-desk')).toBe(Math.min(900 / 4, german));
		const delegated = rows.filter((r) => r.kind === 'external').length;
		expect(countOf(rows, 'voice-co') / delegated).toBeGreaterThan(0.4);

		// Shares as the Vendor Risk report computes them from the ledger equal a recount of the rows.
		const report = await assessRisk(ledger, { scope: scopes.steady, now: Date.now() + 1, days: 30, timeZone: 'UTC', wholeDays: false });
		expect(report.totals.tickets).toBe(TICKETS);
		const reported = Object.fromEntries(report.vendors.map((v) => [v.vendor, v.shareOfDelegated]));
		expect(shareMismatches(reported, rows)).toEqual([]);
	});

	it('keeps every batch whole and every retry idempotent when a worker is killed with SIGKILL mid-run', async () => {
		const tickets = makeTickets(`C${RUN_ID}`, TICKETS, 13);
		const requests = batches(tickets, 5);
		let crashed: Promise<void> | undefined;
		const first = await send(paths.crash, requests, {
			requestTimeoutMs: 45_000,
			onSettled: (settled) => {
				if (!crashed && settled >= requests.length / 3) crashed = cluster.crashWorker(1);
			},
		});
		await crashed;
		let pending = first.results.flatMap((r, i) => (r.status === 200 ? [] : [i]));
		// The kill hit executions in flight; otherwise this scenario proved nothing.
		expect(pending.length).toBeGreaterThan(0);

		// The helpdesk retries what failed, with the same tickets, until every request is answered.
		for (let round = 0; round < 3 && pending.length > 0; round++) {
			const retry = await send(paths.crash, pending.map((i) => requests[i]));
			pending = pending.filter((_, k) => retry.results[k].status !== 200);
		}
		expect(pending).toEqual([]);

		const rows = await auditRows(scopes.crash);
		expect(ticketCoverage(rows, tickets.map((t) => t.id))).toEqual([]);
		expect(partialBatches(rows, requests.map((r) => r.map((t) => t.id)))).toEqual([]);
		expectLimitsHeld(rows);

		// Sending everything again, grouped differently, adds nothing: each ticket's open decision comes back as it stands.
		const again = await send(paths.crash, batches(tickets, 20, 19));
		expect(describeFailures(again.results)).toEqual([]);
		const ledgerStates = new Set(again.results.flatMap((r) => decisionsOf(r).map((d) => d.ledger)));
		expect([...ledgerStates]).toEqual(['existing']);
		expect(await auditRows(scopes.crash)).toHaveLength(TICKETS);
	});
});
