import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, expect, it } from 'vitest';

import type { Ledger } from '../ledger/ledger';
import { PostgresLedger } from '../ledger/postgres/postgres-ledger';
import { SqliteLedger } from '../ledger/sqlite/sqlite-ledger';
import type { NewDelegation } from '../ledger/model';
import { assessRisk } from '../domain/risk/assess';
import { computeRiskReport } from '../domain/risk/report';
import { dailyShareSeries } from '../domain/risk/series';
import { riskWindows } from '../domain/risk/window';
import { closeLedgers } from '../nodes/shared/ledger/open';
import { dropSchemas, PG, postgresUnavailable } from '../tests/ledger/postgres';
import { HARNESS_INPUT, PACKAGE, runWorkflow } from '../tests/harness/workflow';
import { medianOf, record } from './record';

const ROWS = 1_000_000;
const VENDORS = ['acme', 'bolt', 'cura', 'dyna', 'eira', 'flux', 'gala', 'hexa'];
/** Skewed like real contracts: one large vendor, a long tail. */
const VENDOR_WEIGHTS = [0.3, 0.2, 0.14, 0.1, 0.09, 0.07, 0.06, 0.04];
const TOPICS = Array.from({ length: 30 }, (_, i) => `topic-${String(i + 1).padStart(2, '0')}`);
const CHANNELS = ['email', 'chat', 'web', 'phone'];
const LANGUAGES = ['en', 'de', 'fr', 'es', 'ja'];
const SCOPE = 'bench';
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
const SHAPE = `${ROWS.toLocaleString('en-US')} decisions over 60 days (the report window and the one before it), ${VENDORS.length} vendors, ${TOPICS.length} topics, 4 channels, 5 languages, 35% internal`;

function rng(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * Deterministic decisions in chunks. Each topic is served by two or three vendors, as specialist contracts are;
 * acme, the largest, serves two thirds of the topics, so the report has something to flag.
 */
function* decisions(chunk: number): Generator<NewDelegation[]> {
	const r = rng(7);
	const servedBy = TOPICS.map((_, t) => {
		const others = [1 + (t % 7), 1 + ((t + 3) % 7)].slice(0, 1 + (t % 2));
		return t < 20 ? [0, ...others] : [...others, 1 + ((t + 5) % 7)];
	});
	const weighted = (choices: number[]) => {
		const total = choices.reduce((s, v) => s + VENDOR_WEIGHTS[v], 0);
		let x = r() * total;
		for (const v of choices) if ((x -= VENDOR_WEIGHTS[v]) < 0) return v;
		return choices[choices.length - 1];
	};
	let rows: NewDelegation[] = [];
	for (let i = 0; i < ROWS; i++) {
		const topic = Math.floor(r() * TOPICS.length);
		const external = r() >= 0.35;
		const vendor = external ? VENDORS[weighted(servedBy[topic])] : null;
		rows.push({
			id: `b-${i}`,
			scope: SCOPE,
			ticketId: `T-${i}`,
			decidedAt: NOW - 1 - Math.floor(r() * 60 * DAY),
			destination: vendor ?? 'team',
			kind: external ? 'external' : 'internal',
			vendor,
			contract: external ? 'specialist' : null,
			reason: external ? 'specialist' : 'default',
			ruleId: external ? `rule-${topic}` : null,
			guardrail: null,
			policyVersion: 'v1',
			channel: CHANNELS[Math.floor(r() * CHANNELS.length)],
			language: LANGUAGES[Math.floor(r() * LANGUAGES.length)],
			topic: TOPICS[topic],
			priority: 'normal',
			costEstimate: external ? 4 : 0,
			workflowId: null,
			executionId: null,
			previousId: null,
			matched: null,
		});
		if (rows.length === chunk) {
			yield rows;
			rows = [];
		}
	}
	if (rows.length) yield rows;
}

/** Rows the ledger already holds in the bench scope (a kept ledger from an earlier run is reused when full). */
async function rowsIn(ledger: Ledger): Promise<number> {
	const rows = await ledger.aggregate(SCOPE, 0, Number.MAX_SAFE_INTEGER);
	return rows.reduce((sum, row) => sum + row.count, 0);
}

async function fill(ledger: Ledger, chunk: number, backend: string) {
	const held = await rowsIn(ledger);
	if (held === ROWS) return;
	if (held !== 0) throw new Error(`The kept ${backend} bench ledger holds ${held} rows, not ${ROWS}: delete it and run again`);
	const start = performance.now();
	const request = { now: NOW, ticketIds: [], vendors: [], internalWindowMs: 0, shareWindowMs: 0, monthStart: 0 };
	for (const rows of decisions(chunk)) {
		await ledger.routeBatch(SCOPE, request, () => ({ rows, overflowActive: {}, result: undefined }));
	}
	console.log(`risk bench: wrote ${ROWS} rows into the ${backend} ledger in ${Math.round(performance.now() - start)} ms`);
}

const options = { scope: SCOPE, now: NOW, days: 30, timeZone: 'UTC', wholeDays: false };

/** Records a figure and prints it too: the table at the end shows only what this run's results file still holds. */
function publish(name: string, result: Parameters<typeof record>[1]) {
	record(name, result);
	console.log(`risk bench: ${name} = ${result.value.toFixed(2)} ${result.unit}`);
}

async function measure(label: string, ledger: Ledger, backend: string) {
	const report = await assessRisk(ledger, options);
	expect(report.totals.tickets).toBeGreaterThan(ROWS * 0.49);
	expect(report.totals.tickets + report.previousTotals.tickets).toBe(ROWS);
	expect(report.vendors).toHaveLength(VENDORS.length);
	expect(report.alerts.length).toBeGreaterThan(0);

	const full = await medianOf(5, async () => {
		const start = performance.now();
		await assessRisk(ledger, options);
		return performance.now() - start;
	});
	publish(`risk.report1m.${label}`, {
		value: full,
		unit: 'ms',
		target: '<= 100',
		notes: `Vendor risk report on the ${backend} ledger: two aggregate calls (window + previous window, read from 8-day, day and hour rollups + edge rows) + the pure core; ${SHAPE}; median of 5; load average ${loadavg()[0].toFixed(1)}`,
	});

	const windows = riskWindows(options);
	const [current, previous] = await Promise.all([
		ledger.aggregate(SCOPE, windows.reads.current.from, windows.reads.current.to),
		ledger.aggregate(SCOPE, windows.reads.previous.from, windows.reads.previous.to),
	]);
	const core = await medianOf(5, () => {
		const start = performance.now();
		computeRiskReport({ current, previous, window: windows.current, previousWindow: windows.previous });
		return performance.now() - start;
	});
	publish(`risk.report1m.${label}.coreOnly`, {
		value: core,
		unit: 'ms',
		notes: `The pure risk core alone over the ${current.length + previous.length} aggregate groups those calls return (${backend})`,
	});

	const chart = await medianOf(3, async () => {
		const start = performance.now();
		await dailyShareSeries(ledger, SCOPE, windows.current, 'UTC');
		return performance.now() - start;
	});
	publish(`risk.chartSeries1m.${label}`, {
		value: chart,
		unit: 'ms',
		notes: `Daily share series for the chart: one Ledger.series read for 30 days (${backend}); median of 3`,
	});
}

/**
 * Filling a million rows through the real write path takes minutes, more than the whole bench may take: both ledgers
 * (a file in the temp folder, a PostgreSQL schema) are kept and later runs reuse them, as the ledger bench does.
 * RISK_BENCH_FRESH=1 fills throwaway ones instead.
 */
const keep = process.env.RISK_BENCH_FRESH !== '1';
const folder = keep ? tmpdir() : mkdtempSync(join(tmpdir(), 'sd-risk-bench-'));
const schema = keep ? 'sd_bench_risk_1m' : `sd_bench_risk_${process.pid}`;
const pgDown = postgresUnavailable();
afterAll(async () => {
	await closeLedgers();
	if (keep) return;
	rmSync(folder, { recursive: true, force: true });
	if (pgDown === null) await dropSchemas([schema]);
});

it('risk report over a 1,000,000-row embedded (SQLite) ledger', async () => {
	const ledger = await SqliteLedger.open(join(folder, 'sd-risk-bench-1m.sqlite'));
	try {
		await fill(ledger, 50_000, 'SQLite');
		await measure('sqlite', ledger, 'embedded SQLite');
	} finally {
		await ledger.close();
	}
});

it.skipIf(pgDown !== null)('risk report over a 1,000,000-row PostgreSQL ledger', async () => {
	const ledger = await PostgresLedger.open({ connection: PG, schema });
	try {
		await fill(ledger, 50_000, 'PostgreSQL');
		// Autovacuum would analyze a million fresh rows within minutes; without statistics the planner expects one
		// row and sorts 60,000 rollup rows on disk (about 3x slower). Measure what a running system sees.
		const client = new Client(PG);
		await client.connect();
		await client.query(`ANALYZE "${schema}".delegation_rollup, "${schema}".delegations`).finally(() => client.end());
		await measure('postgres', ledger, 'PostgreSQL');
	} finally {
		await ledger.close();
	}
});

it('Delegation Log records 1,000 outcomes in one execution (embedded ledger)', async () => {
	const file = join(mkdtempSync(join(tmpdir(), 'sd-log-bench-')), 'log.sqlite');
	const ledger = await SqliteLedger.open(file);
	// A warm-up and 3 timed runs, each on 1,000 decisions of its own: every timed outcome is fresh (the ticket was
	// routed, not yet resolved), so each run really writes its outcomes and moves the rollups.
	const RUNS = 4;
	const rows = [...decisions(1000 * RUNS)][0].map((row) => ({ ...row, decidedAt: Date.now() - 60_000 }));
	await ledger.routeBatch(SCOPE, { now: Date.now(), ticketIds: [], vendors: [], internalWindowMs: 0, shareWindowMs: 0, monthStart: 0 }, () => ({
		rows,
		overflowActive: {},
		result: undefined,
	}));
	const workflow = {
		nodes: [
			{ id: '1', name: 'Input', type: HARNESS_INPUT, typeVersion: 1, position: [0, 0] as [number, number], parameters: {} },
			{
				id: '2',
				name: 'Log',
				type: `${PACKAGE}.delegationLog`,
				typeVersion: 1,
				position: [200, 0] as [number, number],
				parameters: { operation: 'recordOutcome', policyScope: SCOPE, ticketId: '={{ $json.id }}', status: 'resolved', outcome: { slaMet: true, csat: 5 }, ledgerFile: file },
			},
		],
		connections: { Input: { main: [[{ node: 'Log', type: 'main' as const, index: 0 }]] } },
	};
	const resolvedCount = async () => (await ledger.aggregate(SCOPE, 0, Number.MAX_SAFE_INTEGER)).reduce((n, g) => n + g.slaKnown, 0);
	let run = 0;
	const time = await medianOf(RUNS - 1, async () => {
		const items = rows.slice(run * 1000, ++run * 1000).map((row) => ({ id: row.ticketId }));
		const before = await resolvedCount();
		const result = await runWorkflow(workflow, { items });
		expect(result.output('Log')).toHaveLength(1000);
		// Every outcome of this run was new: the rollups now count 1,000 more known SLA outcomes.
		expect((await resolvedCount()) - before).toBe(1000);
		return result.run.data.resultData.runData.Log[0].executionTime;
	});
	await ledger.close();
	publish('log.recordOutcome1k.nodeTime', {
		value: time,
		unit: 'ms',
		label: 'Delegation Log: record 1,000 fresh outcomes (embedded ledger), node time',
		notes: 'Delegation Log Record Outcome node executionTime for 1,000 items, each a ticket routed and not yet resolved (a fresh set per run, checked: the rollups gain 1,000 known SLA outcomes per run), all outcomes in one recordOutcomes transaction, embedded SQLite; median of 3 after a warm-up on its own tickets',
	});
});
