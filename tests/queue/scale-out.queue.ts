import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Ledger } from '../../ledger/ledger';
import { assessRisk } from '../../domain/risk/assess';
import { limitViolations, partialBatches, shareMismatches, stampInversions, ticketCoverage, type AuditRow, type Limits } from './audit';
import { startCluster, type Cluster } from './cluster';
import { postgresLedger, readDecisions, type QueueLedger } from './ledgers';
import { PrivatePostgres } from './private-postgres';
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

const scopes = {
	steady: `queue-${RUN_ID}-steady`,
	crash: `queue-${RUN_ID}-crash`,
	embedded: `queue-${RUN_ID}-embedded`,
	restart: `queue-${RUN_ID}-restart`,
};
const paths = {
	steady: `sd-queue-${RUN_ID}/steady`,
	crash: `sd-queue-${RUN_ID}/crash`,
	embedded: `sd-queue-${RUN_ID}/embedded`,
	baseline: `sd-queue-${RUN_ID}/baseline`,
	restart: `sd-queue-${RUN_ID}/restart`,
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

/** What the load generator reports for a request it did not start before its deadline. */
const NOT_SENT = 'not sent before the deadline';

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
	// The steady and crash runs check limits and idempotency, not timeouts: on this shared 2-core machine (load 20-30
	// while other suites run) 20 executions queued on one scope's lock waited longer than the default 10 s Lock Wait.
	const backend = postgresLedger(RUN_ID, undefined, 'pg', { lockWait: 60, statement: 90 });
	let cluster: Cluster;
	let ledger: Ledger;
	// The restart test's ledger lives in a PostgreSQL cluster of its own (the machine's is shared: never restarted).
	let privatePg: PrivatePostgres;
	let restartable: QueueLedger;

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
		privatePg = await PrivatePostgres.start(join(RUN_DIR, 'private-postgres'));
		restartable = postgresLedger(RUN_ID, privatePg, 'private');
		await restartable.create();
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
				intakeWorkflow({ id: `sdq${RUN_ID}restart`.slice(0, 36), path: paths.restart, scope: scopes.restart, ledger: restartable.choice }),
			],
			credentials: [...backend.credentials, ...restartable.credentials],
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
		await privatePg?.stop();
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

	it(`keeps every ticket recorded exactly once or visibly failed when the ledger's PostgreSQL restarts during a ${TICKETS}-ticket load`, async () => {
		const workflowId = `sdq${RUN_ID}restart`.slice(0, 36);
		const tickets = makeTickets(`R${RUN_ID}`, TICKETS, 29);
		const requests = batches(tickets, 5, 31);
		let restarted: Promise<void> | undefined;
		let settledAtRestart = 0;
		// Fewer in flight than the steady run and a long client timeout: on this shared machine a request may take a
		// while, and a request the client gave up on says nothing about the ledger.
		const first = await send(paths.restart, requests, {
			inFlight: 20,
			requestTimeoutMs: 120_000,
			onSettled: (settled) => {
				if (restarted || settled < requests.length / 3) return;
				settledAtRestart = settled;
				restarted = privatePg.restart();
			},
		});
		await restarted;
		expect(settledAtRestart).toBeGreaterThan(0);

		// Every execution has ended (none is still writing) before the ledger is counted.
		await expect
			.poll(
				() =>
					withDatabase(cluster.n8nDatabase, async (db) => {
						const { rows: open } = await db.query<{ n: string }>(
							`SELECT count(*) AS n FROM execution_entity WHERE "workflowId" = $1 AND status IN ('new', 'running', 'waiting')`,
							[workflowId],
						);
						return Number(open[0].n);
					}),
				{ timeout: 180_000, interval: 1_000 },
			)
			.toBe(0);
		// What n8n shows of each failed execution (its data holds the request's tickets and the error).
		const failedExecutions = await withDatabase(cluster.n8nDatabase, async (db) => {
			const { rows: found } = await db.query<{ data: string }>(
				`SELECT d.data FROM execution_data d JOIN execution_entity e ON e.id = d."executionId"
				 WHERE e."workflowId" = $1 AND e.status IN ('error', 'crashed')`,
				[workflowId],
			);
			return found.map((r) => r.data);
		});

		// Count every ticket: recorded exactly once, or it failed visibly: its request got an error answer, or (the
		// client gave up waiting) n8n holds its execution as failed.
		const rows = await readDecisions(RUN_ID, scopes.restart, privatePg);
		const decisions = new Map<string, number>();
		for (const row of rows) decisions.set(row.ticketId, (decisions.get(row.ticketId) ?? 0) + 1);
		const duplicates = [...decisions].filter(([, n]) => n > 1).map(([t]) => t);
		let recordedOnce = 0;
		let failedVisibly = 0;
		// On a loaded machine the load generator may reach its deadline before sending every request: those tickets
		// never reached n8n, and are counted apart (the test still needs requests sent after the restart).
		const sent = first.results.map((r) => r.error !== NOT_SENT);
		let notSent = 0;
		const silentlyLost: string[] = [];
		first.results.forEach((result, i) => {
			const failedInN8n = () => failedExecutions.some((data) => requests[i].every((t) => data.includes(`"${t.id}"`)));
			for (const ticket of requests[i]) {
				if (!sent[i]) notSent++;
				else if (decisions.get(ticket.id) === 1) recordedOnce++;
				else if ((result.status !== 200 && result.status !== null) || (result.status === null && failedInN8n())) failedVisibly++;
				else silentlyLost.push(`${ticket.id} (request ${i}: ${result.status ?? result.error})`);
			}
			// An answered request's tickets are in the ledger, each once, as the answer says.
			if (result.status === 200) {
				expect(decisionsOf(result).map((d) => [d.ticketId, d.ledger]).sort()).toEqual(requests[i].map((t) => [t.id, 'recorded']).sort());
			}
		});
		console.log(
			`PostgreSQL restarted after ${settledAtRestart} of ${requests.length} requests: ${recordedOnce} tickets recorded once, ` +
				`${failedVisibly} failed visibly, ${silentlyLost.length} silently lost, ${duplicates.length} duplicated, ${notSent} not sent; ` +
				`${first.results.filter((r) => r.status === null).length} requests unanswered by the deadline, ${failedExecutions.length} failed executions`,
		);
		expect(silentlyLost).toEqual([]);
		expect(duplicates).toEqual([]);
		expect(recordedOnce + failedVisibly + notSent).toBe(TICKETS);
		expect(sent.filter(Boolean).length).toBeGreaterThan(settledAtRestart + 20);
		expect(partialBatches(rows, requests.map((r) => r.map((t) => t.id)))).toEqual([]);

		// The restart hit executions, in flight or reaching the ledger while it was down (else this proved nothing), and
		// they failed saying why. (One handed a pooled connection the restart had ended runs again on a new one.)
		expect(failedVisibly).toBeGreaterThan(0);
		const unavailable = `Delegation ledger unavailable: The PostgreSQL delegation ledger at 127.0.0.1:${privatePg.port}/`;
		expect(failedExecutions.filter((data) => data.includes(unavailable)).length).toBeGreaterThan(0);

		// Once the server is back, the helpdesk's retries are answered and every ticket stands once.
		let pending = first.results.flatMap((r, i) => (r.status === 200 || !sent[i] ? [] : [i]));
		for (let round = 0; round < 3 && pending.length > 0; round++) {
			const retry = await send(paths.restart, pending.map((i) => requests[i]), { inFlight: 20, requestTimeoutMs: 120_000 });
			pending = pending.filter((_, k) => retry.results[k].status !== 200);
		}
		expect(pending).toEqual([]);
		const after = await readDecisions(RUN_ID, scopes.restart, privatePg);
		expect(ticketCoverage(after, requests.filter((_, i) => sent[i]).flatMap((r) => r.map((t) => t.id)))).toEqual([]);
		expect(partialBatches(after, requests.map((r) => r.map((t) => t.id)))).toEqual([]);
	});
});
