import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startCluster, type Cluster } from '../tests/queue/cluster';
import { postgresLedger } from '../tests/queue/ledgers';
import { drive } from '../tests/queue/load';
import { PG } from '../tests/queue/services';
import { makeTickets } from '../tests/queue/tickets';
import { baselineWorkflow, intakeWorkflow } from '../tests/queue/workflows';
import { latestExecutionId, nodeTime, waitForExecutions, type N8nDatabase } from './real-n8n/executions';
import { percentile, record } from './record';

/**
 * n8n queue mode (main + workers, Redis, PostgreSQL for n8n and for the ledger) with the real package installed:
 * webhook tickets per second with 2 workers and with 1, and what the Ticket Router adds to one webhook execution
 * (the intake workflow against the same workflow without the router, requests alternating, one at a time).
 * Needs PostgreSQL and Redis on 127.0.0.1 and the pinned n8n (scripts/ensure-n8n.sh); the package is packed (which
 * builds it) and installed into the run's user folder, as in `npm run test:queue`.
 */
const RUN_ID = `b${Date.now()}`;
const THROUGHPUT_TICKETS = 500;
const IN_FLIGHT = 50;
const LATENCY_PAIRS = 150;

const paths = { router: `sd-bench-${RUN_ID}/router`, baseline: `sd-bench-${RUN_ID}/baseline` };

describe('queue mode', () => {
	const dir = mkdtempSync(join(tmpdir(), 'sd-queue-bench-'));
	const ledger = postgresLedger(RUN_ID);
	let cluster: Cluster;
	let batch = 0;
	const tickets = (n: number) => makeTickets(`B${RUN_ID}-${batch++}`, n, batch);
	const send = async (path: string, list: ReturnType<typeof makeTickets>, inFlight: number) =>
		await drive(
			list.map((t) => ({ url: cluster.webhookUrl(path), body: { tickets: [t] } })),
			{ inFlight, requestTimeoutMs: 60_000, deadlineMs: 300_000 },
		);
	const load = () => `load average ${loadavg()[0].toFixed(1)} when measured`;
	const routerWorkflowId = `sdq${RUN_ID}router`;
	const n8nDb = (): N8nDatabase => ({ postgres: { host: PG.host, port: PG.port, user: PG.user, database: cluster.n8nDatabase } });

	beforeAll(async () => {
		await ledger.create();
		cluster = await startCluster({
			dir,
			runId: RUN_ID,
			workers: 2,
			workflows: [
				intakeWorkflow({ id: routerWorkflowId, path: paths.router, scope: `bench-${RUN_ID}`, ledger: ledger.choice }),
				baselineWorkflow({ id: `sdq${RUN_ID}base`, path: paths.baseline }),
			],
			credentials: ledger.credentials,
			env: ledger.env,
		});
		// Warm-up: webhooks registered, ledger schema migrated, pools and JIT warm on both workers.
		for (const path of [paths.baseline, paths.router]) {
			const run = await send(path, tickets(60), 10);
			expect(run.results.filter((r) => r.status !== 200)).toEqual([]);
		}
	});

	afterAll(async () => {
		await cluster?.stop();
		await ledger.remove();
		rmSync(dir, { recursive: true, force: true });
	});

	it('router latency per webhook execution (p50, p99)', async () => {
		const withRouter: number[] = [];
		const without: number[] = [];
		const added: number[] = [];
		const after = await latestExecutionId(n8nDb(), routerWorkflowId);
		// Alternating, one request at a time: both see the same machine load, and queueing does not count. The added
		// latency is measured per pair (router request minus the baseline request next to it), and its percentiles
		// are taken over those pairs: not a difference of two separately sorted percentiles.
		for (let i = 0; i < LATENCY_PAIRS; i++) {
			const [a, b] = tickets(2);
			const base = await send(paths.baseline, [a], 1);
			const routed = await send(paths.router, [b], 1);
			expect([base.results[0].status, routed.results[0].status]).toEqual([200, 200]);
			without.push(base.results[0].ms);
			withRouter.push(routed.results[0].ms);
			added.push(routed.results[0].ms - base.results[0].ms);
		}
		const executions = await waitForExecutions(n8nDb(), routerWorkflowId, after, LATENCY_PAIRS, 60_000);
		const nodeTimes = executions.map((e) => nodeTime(e, 'Ticket Router'));
		for (const p of [50, 99]) {
			record(`queue.router_added_latency_p${p}_ms`, {
				value: percentile(added, p),
				unit: 'ms',
				label: `Queue mode: client latency the router adds per webhook, p${p} of per-pair differences`,
				notes:
					`Webhook → Split Out → Ticket Router (PostgreSQL ledger) → Merge → Respond, ${LATENCY_PAIRS} alternating sequential pairs ` +
					`(the same workflow without the router, then with it): p${p} of the ${LATENCY_PAIRS} per-pair differences ` +
					`(with router p${p} ${percentile(withRouter, p).toFixed(1)} ms, without ${percentile(without, p).toFixed(1)} ms); ` +
					`n8n queue mode, 2 workers; ${load()}`,
			});
			record(`queue.router_node_time_p${p}_ms`, {
				value: percentile(nodeTimes, p),
				unit: 'ms',
				label: `Queue mode: Ticket Router node time per one-ticket webhook execution, p${p}`,
				notes: `Ticket Router executionTime read from n8n's saved executions (n8n's PostgreSQL database) of the same ${LATENCY_PAIRS} router requests, PostgreSQL ledger, worker concurrency 10; n8n times nodes in whole ms; ${load()}`,
			});
		}
	});

	it('webhook tickets per second with 2 workers and with 1', async () => {
		const two = await send(paths.router, tickets(THROUGHPUT_TICKETS), IN_FLIGHT);
		expect(two.results.filter((r) => r.status !== 200)).toEqual([]);
		const load2 = load();
		await cluster.stopWorker(1);
		const one = await send(paths.router, tickets(THROUGHPUT_TICKETS), IN_FLIGHT);
		expect(one.results.filter((r) => r.status !== 200)).toEqual([]);

		const perSecond = (wallMs: number) => THROUGHPUT_TICKETS / (wallMs / 1000);
		const setup = `${THROUGHPUT_TICKETS} webhook requests of one ticket, ${IN_FLIGHT} in flight, each answered after the Ticket Router recorded its decision in PostgreSQL; worker concurrency 10`;
		record('queue.webhook_tickets_per_s_2_workers', { value: perSecond(two.wallMs), unit: 'tickets/s', notes: `${setup}; ${load2}` });
		record('queue.webhook_tickets_per_s_1_worker', { value: perSecond(one.wallMs), unit: 'tickets/s', notes: `${setup}; ${load()}` });
		record('queue.scaling_ratio_2_vs_1_workers', {
			value: perSecond(two.wallMs) / perSecond(one.wallMs),
			unit: '×',
			notes:
				'tickets/s with 2 workers ÷ with 1, same run, one policy scope. On a 2-core machine main, both workers, their ' +
				'task runners, PostgreSQL, Redis and the load generator share the CPU, so a second worker adds little capacity; ' +
				'how long a one-ticket batch holds the scope lock is measured by the ledger bench (ledger.postgres.lockHold1.*)',
		});
	});
});
