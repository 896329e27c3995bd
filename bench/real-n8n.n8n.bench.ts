import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SqliteLedger } from '../ledger/sqlite/sqlite-ledger';
import { postgresLedger, SHARED_SERVER, type QueueLedger } from '../tests/queue/ledgers';
import { postgresUnavailable } from '../tests/ledger/postgres';
import { N8nHome, packPackage, type N8nServer } from '../tests/real-n8n';
import { BODY_PATHS, COMPARISON_POLICY, comparisonWorkflow, NO_OP, POSTGRES_NODE, postgresInsertWorkflow, routerNode, singleTicketWorkflow, SWITCH_OUTPUTS } from './real-n8n/comparison';
import { latestExecutionId, nodeTime, outputIds, runOrder, waitForExecutions, type N8nDatabase } from './real-n8n/executions';
import { seedLived } from './lived-ledger';
import { histogram, percentile, record } from './record';
import { settleSeededLedgers } from './settle';
import { LEDGER_READ_TABLES, vacuumLikeALivedLedger } from './vacuum';

/**
 * The package in the real n8n 2.41.1 (regular mode, packed and installed as users get it), every figure read from
 * n8n's saved executions (the node's `executionTime`):
 * - one ticket per webhook call: the Ticket Router's time per execution, embedded and PostgreSQL ledgers;
 * - one workflow whose Code node makes the tickets and feeds n8n's Switch (the same rules, an expression per
 *   condition) and the Ticket Router recording them (embedded and PostgreSQL): both must send every ticket to the
 *   same destination; the node times and their ratio are recorded. The routers' first batch of that size in the
 *   process runs just before, without the Switch, and is recorded as cold: a scheduled sweep meets it once per
 *   n8n restart, every later run is warm.
 * BENCH_N8N_TICKETS sets the batch (default 10,000: the Switch then takes minutes); BENCH_N8N_SINGLE the calls.
 */
const RUN_ID = `n${Date.now().toString(36)}`;
const TICKETS = Number(process.env.BENCH_N8N_TICKETS ?? 10_000);
const SINGLE_CALLS = Number(process.env.BENCH_N8N_SINGLE ?? 220);
const WARMUP_CALLS = 20;
const pgReason = postgresUnavailable();
const load = () => loadavg()[0].toFixed(1);
const ROUTERS = { embedded: 'Ticket Router (embedded)', postgres: 'Ticket Router (PostgreSQL)' };
/** A month of decisions in each one-ticket scope, to the comparison policy's vendors. */
const LIVED_ROWS = Number(process.env.BENCH_N8N_LIVED ?? 1_000_000);
const LIVED_VENDORS = { specialist: 'api-guild', outsourcing: 'nihongo', capacity: [['billing-experts', 1]] as Array<[string, number]> };
/** The comparison's third router: the same policy deciding on the embedded ledger's snapshot, writing nothing. */
const DRY_ROUTER = 'Ticket Router (dry run)';

const ids = { cold: `sdb${RUN_ID}cold`, comparison: `sdb${RUN_ID}cmp`, singleEmbedded: `sdb${RUN_ID}one`, singleCapped: `sdb${RUN_ID}onecap`, singlePostgres: `sdb${RUN_ID}onepg`, singlePostgresCapped: `sdb${RUN_ID}onepgcap`, postgresNode: `sdb${RUN_ID}pgnode` };
const paths = {
	cold: `sd-bench-${RUN_ID}/cold`,
	comparison: `sd-bench-${RUN_ID}/compare`,
	singleEmbedded: `sd-bench-${RUN_ID}/one`,
	singleCapped: `sd-bench-${RUN_ID}/one-capped`,
	singlePostgres: `sd-bench-${RUN_ID}/one-pg`,
	singlePostgresCapped: `sd-bench-${RUN_ID}/one-pg-capped`,
	postgresNode: `sd-bench-${RUN_ID}/pg-node`,
};
/** The table n8n's own Postgres node inserts into (the ledger's database, public schema). */
const POSTGRES_NODE_TABLE = 'public.n8n_postgres_node_rows';
/**
 * The comparison's policy has no cap, so its batches read no guardrail window. The same policy with every cap a team
 * sets (hourly, daily and monthly capacity, budget, share), all too high to divert a ticket: its batches read every
 * window, as most teams' do.
 */
const CAPPED_POLICY = {
	...COMPARISON_POLICY,
	destinations: COMPARISON_POLICY.destinations.map((d) =>
		d.kind === 'external' ? { ...d, capacityPerHour: 1e6, capacityPerDay: 1e7, capacityPerMonth: 1e8, costPerTicket: 1, monthlyBudget: 1e9, maxShare: 1 } : d,
	),
};

describe('real n8n 2.41.1', () => {
	const home = new N8nHome();
	const db: N8nDatabase = { sqlite: join(home.n8nFolder, 'database.sqlite') };
	const pg: QueueLedger | null = pgReason === null ? postgresLedger(RUN_ID, undefined, 'bench') : null;
	const embedded = { ledger: 'embedded', ledgerFile: join(home.dir, 'bench-ledger.sqlite') };
	let server: N8nServer;

	beforeAll(async () => {
		const tarball = packPackage(home.nodeBinDir);
		try {
			home.installTarball(tarball);
		} finally {
			rmSync(dirname(tarball), { recursive: true, force: true });
		}
		if (pg) {
			await pg.create();
			await home.importCredentials(pg.credentials);
		}
		const policy = (scope: string) => ({ ...COMPARISON_POLICY, scope: `${scope}-${RUN_ID}` });
		await seedSingleTicketLedgers([policy('one').scope, policy('one-capped').scope], [policy('one-pg').scope, policy('one-pg-capped').scope]);
		const routers = (scope: string) => ({
			embedded: routerNode(ROUTERS.embedded, policy(scope), embedded),
			postgres: pg ? routerNode(ROUTERS.postgres, policy(scope), pg.choice.parameters, {}, pg.choice.credentials) : null,
		});
		const workflows = [
			comparisonWorkflow({ id: ids.cold, path: paths.cold, ...routers('cold'), withSwitch: false }),
			comparisonWorkflow({
				id: ids.comparison,
				path: paths.comparison,
				...routers('compare'),
				dryRun: routerNode(DRY_ROUTER, policy('compare-dry'), { ...embedded, options: { dryRun: true } }),
			}),
			singleTicketWorkflow({ id: ids.singleEmbedded, path: paths.singleEmbedded, router: routerNode('Ticket Router', policy('one'), embedded, BODY_PATHS) }),
			singleTicketWorkflow({
				id: ids.singleCapped,
				path: paths.singleCapped,
				router: routerNode('Ticket Router', { ...CAPPED_POLICY, scope: policy('one-capped').scope }, embedded, BODY_PATHS),
			}),
			...(pg
				? [
						singleTicketWorkflow({ id: ids.singlePostgres, path: paths.singlePostgres, router: routerNode('Ticket Router', policy('one-pg'), pg.choice.parameters, BODY_PATHS, pg.choice.credentials) }),
						singleTicketWorkflow({
							id: ids.singlePostgresCapped,
							path: paths.singlePostgresCapped,
							router: routerNode('Ticket Router', { ...CAPPED_POLICY, scope: policy('one-pg-capped').scope }, pg.choice.parameters, BODY_PATHS, pg.choice.credentials),
						}),
						postgresInsertWorkflow({ id: ids.postgresNode, path: paths.postgresNode, table: POSTGRES_NODE_TABLE, credentials: pg.choice.credentials }),
					]
				: []),
		];
		await home.importWorkflows(workflows);
		await home.publish(workflows.map((w) => String(w.id)));
		server = await home.start({ readyTimeoutMs: 240_000 });
		const postgresOnly = new Set([paths.singlePostgres, paths.singlePostgresCapped, paths.postgresNode]);
		for (const path of Object.values(paths).filter((p) => pg || !postgresOnly.has(p))) await server.waitForWebhook(path);
	});

	/**
	 * The one-ticket scopes hold a month of decisions before n8n starts, as a team's ledger does (what a one-ticket batch
	 * reads grows with what its windows hold): 1,000,000 in each, as in the ledger bench, to the policy's vendors. The
	 * other scopes of the same ledgers are the comparison's, which then records into a lived ledger's file and tables too.
	 */
	async function seedSingleTicketLedgers(embeddedScopes: string[], postgresScopes: string[]) {
		const shape = (scope: string) => ({ rows: LIVED_ROWS, end: Date.now(), scopes: [[scope, 1]] as Array<[string, number]>, vendors: LIVED_VENDORS, label: scope });
		const sqlite = await SqliteLedger.open(embedded.ledgerFile);
		try {
			for (const scope of embeddedScopes) console.log(`seeded ${LIVED_ROWS} decisions into the embedded ledger in ${(await seedLived(sqlite, shape(scope))).toFixed(1)} s`);
		} finally {
			await sqlite.close();
		}
		if (!pg) {
			await settleSeededLedgers(embedded.ledgerFile);
			return;
		}
		const ledger = await pg.open();
		try {
			for (const scope of postgresScopes) console.log(`seeded ${LIVED_ROWS} decisions into the PostgreSQL ledger in ${(await seedLived(ledger, shape(scope))).toFixed(1)} s`);
		} finally {
			await ledger.close();
		}
		const { database } = pg.credentials[0].data as { database: string };
		await SHARED_SERVER.withDatabase(database, async (client) => {
			await vacuumLikeALivedLedger(client, LEDGER_READ_TABLES.map((t) => `${pg.choice.parameters.ledgerSchema}.${t}`));
			await client.query(`CREATE TABLE ${POSTGRES_NODE_TABLE} (at timestamptz NOT NULL)`);
		});
		await settleSeededLedgers(embedded.ledgerFile, () => SHARED_SERVER.withDatabase(database, (client) => client.query('CHECKPOINT')));
	}

	afterAll(async () => {
		await home.dispose();
		await pg?.remove();
	});

	const post = async (path: string, body: unknown) => {
		const started = performance.now();
		const response = await fetch(`${server.url}/webhook/${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(60_000),
		});
		await response.text();
		expect(response.status).toBe(200);
		return performance.now() - started;
	};

	const ticket = (n: number, label: string) => ({
		id: `${RUN_ID}-${label}-${n}`,
		subject: n % 3 === 0 ? 'Refund for order' : 'Cannot log in to my account',
		body: 'Hello team, something unexpected happened today. Could you please have a look?',
		tags: n % 20 === 0 ? ['security'] : ['login'],
		language: 'en',
		channel: 'email',
		priority: 'normal',
		customer: { tier: 'pro', region: 'eu' },
	});

	/** What each one-ticket figure runs: its ledger, and its policy's caps (which decide the windows a batch reads). */
	const SINGLE = {
		embedded: { ledger: 'embedded', policy: 'the comparison policy, no cap: no guardrail window read' },
		embeddedCapped: { ledger: 'embedded', policy: 'the comparison policy with caps on every vendor (none reached): every guardrail window read' },
		postgres: { ledger: 'postgres', policy: 'the comparison policy, no cap: no guardrail window read' },
		postgresCapped: { ledger: 'postgres', policy: 'the comparison policy with caps on every vendor (none reached): every guardrail window read' },
	} as const;

	/** SINGLE_CALLS sequential webhook calls of one fresh ticket each, after WARMUP_CALLS: `node`'s times and n8n's own. */
	async function oneTicketCalls(label: string, workflowId: string, path: string, node: string) {
		for (let n = 0; n < WARMUP_CALLS; n++) await post(path, ticket(n, `warm-${label}`));
		const after = await latestExecutionId(db, workflowId);
		const client: number[] = [];
		for (let n = 0; n < SINGLE_CALLS; n++) client.push(await post(path, ticket(n, label)));
		const executions = await waitForExecutions(db, workflowId, after, SINGLE_CALLS, 60_000);
		expect(executions.every((e) => e.status === 'success')).toBe(true);
		return { client, times: executions.map((e) => nodeTime(e, node)), noOp: executions.map((e) => nodeTime(e, NO_OP)) };
	}

	async function singleTicket(label: keyof typeof SINGLE, workflowId: string, path: string, target: number) {
		const { ledger, policy } = SINGLE[label];
		const { client, times, noOp } = await oneTicketCalls(label, workflowId, path, 'Ticket Router');
		const p50 = percentile(times, 50);
		const p99 = percentile(times, 99);
		const floor = `n8n's own time for a node in the same executions (the No Operation node before the router): p50 ${percentile(noOp, 50)} ms, p99 ${percentile(noOp, 99)} ms (${histogram(noOp)})`;
		const how = `Ticket Router executionTime read from n8n's saved executions, ${SINGLE_CALLS} sequential webhook calls of one fresh ticket each (recorded) after ${WARMUP_CALLS} warm-up calls, in a scope holding ${LIVED_ROWS.toLocaleString('en')} decisions of the 30 days before (bench/lived-ledger.ts); ${policy}; n8n 2.41.1 regular mode; n8n times nodes in whole ms (node times: ${histogram(times)}); ${floor}; client round trip p50 ${percentile(client, 50).toFixed(1)} ms, p99 ${percentile(client, 99).toFixed(1)} ms; load average ${load()}`;
		const what = `One ticket per webhook, ${ledger} ledger${label.endsWith('Capped') ? ', policy with caps' : ''}`;
		record(`n8n.single.${label}.routerP50`, { value: p50, unit: 'ms', target: `<= ${target}`, label: `${what}: router node time p50`, notes: how });
		record(`n8n.single.${label}.routerP99`, { value: p99, unit: 'ms', target: `<= ${3 * Math.max(p50, 1)}`, label: `${what}: router node time p99 (target 3× p50)`, notes: how });
		record(`n8n.single.${label}.noOpP50`, {
			value: percentile(noOp, 50),
			unit: 'ms',
			label: `${what}: n8n's own node time p50 (a No Operation node in the same executions, for reference)`,
			notes: `${floor}; what n8n spends on any node it runs (lifecycle hooks, events, paired items), which the router's figure includes too`,
		});
	}

	it('one ticket per webhook execution, embedded ledger', async () => {
		await singleTicket('embedded', ids.singleEmbedded, paths.singleEmbedded, 2);
	});

	it('one ticket per webhook execution, embedded ledger, policy with caps', async () => {
		await singleTicket('embeddedCapped', ids.singleCapped, paths.singleCapped, 2);
	});

	it.skipIf(pgReason !== null)('one ticket per webhook execution, PostgreSQL ledger', async () => {
		await singleTicket('postgres', ids.singlePostgres, paths.singlePostgres, 4);
	});

	it.skipIf(pgReason !== null)('one ticket per webhook execution, PostgreSQL ledger, policy with caps', async () => {
		await singleTicket('postgresCapped', ids.singlePostgresCapped, paths.singlePostgresCapped, 4);
	});

	it.skipIf(pgReason !== null)("for reference: n8n's own Postgres node inserting one row per webhook execution", async () => {
		const { client, times, noOp } = await oneTicketCalls('postgres-node', ids.postgresNode, paths.postgresNode, POSTGRES_NODE);
		const notes = `n8n's Postgres node (n8n-nodes-base.postgres 2.6, Execute Query: one fixed INSERT of one row, autocommit) with the router's PostgreSQL credential, on the same server, its executionTime read from n8n's saved executions; ${SINGLE_CALLS} sequential webhook calls after ${WARMUP_CALLS} warm-up calls, Webhook → No Operation → Postgres as the router's one-ticket workflow; n8n 2.41.1 regular mode; node times: ${histogram(times)}; No Operation node p50 ${percentile(noOp, 50)} ms; client round trip p50 ${percentile(client, 50).toFixed(1)} ms, p99 ${percentile(client, 99).toFixed(1)} ms; load average ${load()}: what n8n's own node takes to read the credential and make one row durable, the least any node recording to PostgreSQL does per execution`;
		const what = "n8n's own Postgres node inserting one row per webhook (reference for the PostgreSQL one-ticket figure)";
		record('n8n.single.postgresNode.insertP50', { value: percentile(times, 50), unit: 'ms', label: `${what}: node time p50`, notes });
		record('n8n.single.postgresNode.insertP99', { value: percentile(times, 99), unit: 'ms', label: `${what}: node time p99`, notes });
	});

	/** The router's first execution of this size in the n8n process: JIT-compiled for one ticket at a time so far. */
	let cold: { embedded: number; postgres: number | null } | null = null;

	it(`Ticket Router alone on ${TICKETS.toLocaleString('en')} tickets: the first such execution of the n8n process (cold)`, async () => {
		const after = await latestExecutionId(db, ids.cold);
		await post(paths.cold, { run: `${RUN_ID}-cold`, count: TICKETS });
		const [execution] = await waitForExecutions(db, ids.cold, after, 1, 300_000);
		expect(execution.status).toBe('success');
		for (const router of Object.values(ROUTERS).filter((r) => pg || r !== ROUTERS.postgres)) {
			expect(outputIds(execution, router).flat()).toHaveLength(TICKETS);
		}
		cold = { embedded: nodeTime(execution, ROUTERS.embedded), postgres: pg ? nodeTime(execution, ROUTERS.postgres) : null };
		const how = `the first ${TICKETS.toLocaleString('en')}-ticket execution of this n8n 2.41.1 process (after the one-ticket runs): a Code node makes the comparison's tickets and feeds the Ticket Router alone, recording every decision (a scope of its own); node executionTime from n8n's saved execution; load average ${load()}`;
		record('n8n.compare.routerRecordedEmbedded.cold', { value: cold.embedded, unit: 'ms', label: `Ticket Router, ${TICKETS.toLocaleString('en')} tickets decided and recorded, embedded ledger, first execution of that size (cold)`, notes: how });
		if (cold.postgres !== null) {
			record('n8n.compare.routerRecordedPostgres.cold', { value: cold.postgres, unit: 'ms', label: `Ticket Router, ${TICKETS.toLocaleString('en')} tickets decided and recorded, PostgreSQL ledger, first execution of that size (cold)`, notes: how });
		}
	});

	it(`Switch and Ticket Router on the same ${TICKETS.toLocaleString('en')} tickets in one execution`, async () => {
		const after = await latestExecutionId(db, ids.comparison);
		await post(paths.comparison, { run: `${RUN_ID}-cmp`, count: TICKETS });
		const [execution] = await waitForExecutions(db, ids.comparison, after, 1, 900_000);
		expect(execution.status).toBe('success');
		// Each node on its own time: the Switch last (see comparisonWorkflow).
		const order = runOrder(execution);
		expect(order.at(-1)).toBe('Switch');

		// Same tickets, same destinations: the Switch's outputs are the rules' targets then the fallback; the router's
		// (one output per destination) follow the policy's destinations.
		const bySwitch = new Map<string, string>();
		outputIds(execution, 'Switch').forEach((list, k) => list.forEach((id) => bySwitch.set(id, SWITCH_OUTPUTS[k])));
		expect(bySwitch.size).toBe(TICKETS);
		for (const router of [...Object.values(ROUTERS).filter((r) => pg || r !== ROUTERS.postgres), DRY_ROUTER]) {
			const byRouter = new Map<string, string>();
			outputIds(execution, router).forEach((list, k) => list.forEach((id) => byRouter.set(id, COMPARISON_POLICY.destinations[k].id)));
			expect(byRouter.size).toBe(TICKETS);
			const differ = [...bySwitch].filter(([id, destination]) => byRouter.get(id) !== destination);
			expect(differ.slice(0, 5)).toEqual([]);
			const decisions = execution.runData[router][0].data!.main.flatMap((items) => items ?? []);
			expect(decisions.every((i) => (i.json.delegation as { ledger: string }).ledger === (router === DRY_ROUTER ? 'dry-run' : 'recorded'))).toBe(true);
		}
		const spread = SWITCH_OUTPUTS.map((d) => `${d} ${[...bySwitch.values()].filter((x) => x === d).length}`).join(', ');

		const switchMs = nodeTime(execution, 'Switch');
		const embeddedMs = nodeTime(execution, ROUTERS.embedded);
		const warmth = cold
			? `the router's second ${TICKETS.toLocaleString('en')}-ticket execution in this n8n process (the first is recorded as cold)`
			: `the router's first ${TICKETS.toLocaleString('en')}-ticket execution in this n8n process (cold: the cold run was skipped)`;
		const setup = `one execution in n8n 2.41.1 (regular mode): a Code node makes ${TICKETS.toLocaleString('en')} tickets and feeds n8n's Switch (5 rules, an expression per condition, as a user writes them) and the Ticket Router (the same 5 rules as a policy, recording every decision in a fresh scope of ledgers whose one-ticket scopes hold ${LIVED_ROWS.toLocaleString('en')} decisions each); both sent every ticket to the same destination (${spread}); n8n ran ${order.slice(2).join(', ')} in that order (the Switch last, so no router collects its garbage); ${warmth}; node executionTime from n8n's saved execution; load average ${load()}`;
		record('n8n.compare.switchNodeTime', { value: switchMs, unit: 'ms', label: `n8n Switch node, ${TICKETS.toLocaleString('en')} tickets, 5 rules`, notes: setup });
		record('n8n.compare.routerRecordedEmbedded', { value: embeddedMs, unit: 'ms', label: `Ticket Router, same ${TICKETS.toLocaleString('en')} tickets decided and recorded, embedded ledger`, notes: setup });
		record('n8n.compare.ratioEmbedded', { value: switchMs / Math.max(embeddedMs, 1), unit: '×', target: '>= 1000', label: 'Switch time ÷ Ticket Router time (embedded, recorded), same run', notes: setup });
		if (pg) {
			const pgMs = nodeTime(execution, ROUTERS.postgres);
			record('n8n.compare.routerRecordedPostgres', {
				value: pgMs,
				unit: 'ms',
				target: TICKETS === 10_000 ? '<= 250' : undefined,
				label: `Ticket Router, same ${TICKETS.toLocaleString('en')} tickets decided and recorded, PostgreSQL ledger`,
				notes: setup,
			});
			record('n8n.compare.ratioPostgres', { value: switchMs / Math.max(pgMs, 1), unit: '×', label: 'Switch time ÷ Ticket Router time (PostgreSQL, recorded), same run', notes: setup });
		}
		// What recording costs, seen from the ratio: the same decisions on the same tickets, nothing written, in the same run.
		const dryMs = nodeTime(execution, DRY_ROUTER);
		const dryNotes = `${setup}; a third Ticket Router, after the other two, decides the same tickets on the embedded ledger's snapshot (a scope of its own) and writes nothing (dry run)`;
		record('n8n.compare.routerDryRun', { value: dryMs, unit: 'ms', dryRun: true, label: `Ticket Router, same ${TICKETS.toLocaleString('en')} tickets decided, nothing written (dry run)`, notes: dryNotes });
		record('n8n.compare.ratioDryRun', { value: switchMs / Math.max(dryMs, 1), unit: '×', dryRun: true, label: 'Switch time ÷ Ticket Router time (dry run), same run', notes: dryNotes });
		if (cold) {
			record('n8n.compare.ratioEmbedded.cold', {
				value: switchMs / Math.max(cold.embedded, 1),
				unit: '×',
				label: "Switch time ÷ the router's cold execution (embedded, recorded; the Switch from the comparison run)",
				notes: `The Switch's ${switchMs} ms in the comparison execution ÷ the router's ${cold.embedded} ms in the first ${TICKETS.toLocaleString('en')}-ticket execution of the same n8n process (same tickets made by the same Code node, another scope); load average ${load()}`,
			});
		}
	});
});
