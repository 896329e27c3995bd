import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Client } from 'pg';
import { afterAll, expect, it } from 'vitest';

import type { Ledger } from '../ledger/ledger';
import type { Dimension } from '../ledger/model';
import { dimensionKey } from '../ledger/planning/rollup';
import { PostgresLedger } from '../ledger/postgres/postgres-ledger';
import { SqliteLedger } from '../ledger/sqlite/sqlite-ledger';
import { loadPolicy } from '../domain/policy/compile';
import { assessRisk } from '../domain/risk/assess';
import { dailyShareSeries } from '../domain/risk/series';
import { dailyBuckets, riskWindows } from '../domain/risk/window';
import { dashboardChart } from '../domain/report/dashboard';
import { dashboardHtml } from '../domain/report/html';
import { scenePng } from '../domain/report/png/scene-png';
import { readDashboard } from '../domain/report/reads';
import { dropSchemas, PG, postgresUnavailable } from '../tests/ledger/postgres';
import { medianOf, record } from './record';
import { LEDGER_READ_TABLES, vacuumLikeALivedLedger } from './vacuum';

const ROWS = 1_000_000;
const SCOPE = 'bench';
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
const VENDORS = ['acme', 'bolt', 'cura', 'dyna', 'eira', 'flux', 'gala', 'hexa'];
const CHANNELS = ['email', 'chat', 'web', 'phone'];
const LANGUAGES = ['en', 'de', 'fr', 'es', 'ja'];
const TOPICS = 30;
const ZONE = 'Europe/Berlin';
const SHAPE = `${ROWS.toLocaleString('en-US')} decisions over 60 days, ${VENDORS.length} vendors (acme ~45% of delegated, every topic served by three), 30 topics, 4 channels, 5 languages, 35% internal, a third with outcomes`;

/**
 * The seed in one INSERT…SELECT per table instead of a million router batches: row i gets its vendor, topic, channel,
 * language and time from arithmetic on i, and its dimension id from the same numbers (v·600 + t·20 + c·5 + l + 1), so
 * the dimension table is written from JavaScript with the ledger's own keys and the rollups are GROUP BYs over the rows.
 * Rows go in in time order, as a ledger that has lived wrote them (decisions as they were made, an hour's and a day's
 * rollup cells during that hour and day): in hash or arithmetic order every rollup read of one bucket would visit a
 * table page per row, a layout no running ledger has.
 */
/** acme (the largest) serves every topic; each topic has two more vendors, as specialist contracts do. */
const vendorIndex = `CASE WHEN i % 20 < 7 THEN 0 WHEN (i * 31) % 100 < 45 THEN 1
	WHEN (i * 31) % 100 < 75 THEN 2 + (i % ${30}) % 7 ELSE 2 + ((i % ${30}) + 3) % 7 END`;
const vendorName = `CASE v ${VENDORS.map((name, k) => `WHEN ${k + 1} THEN '${name}'`).join(' ')} END`;
const pick = (values: string[], index: string) => `CASE ${index} ${values.map((value, k) => `WHEN ${k} THEN '${value}'`).join(' ')} END`;

function rowsSelect(source: string, outcome: { sla: string; reopened: string }): string {
	return `SELECT 'b-' || i, '${SCOPE}', 'T-' || i, ${NOW} - 1 - ((i * 104729) % 5184000) * 1000 - (i % 997),
			coalesce(${vendorName}, 'team'), CASE WHEN v = 0 THEN 'internal' ELSE 'external' END, ${vendorName},
			CASE WHEN v = 0 THEN NULL ELSE 'specialist' END, CASE WHEN v = 0 THEN 'default' ELSE 'specialist' END, 'v1',
			'topic-' || t, ${pick(CHANNELS, 'c')}, ${pick(LANGUAGES, 'l')}, CASE WHEN v = 0 THEN 0 ELSE 4 END,
			CASE WHEN v > 0 AND i % 3 = 0 THEN 'resolved' ELSE 'routed' END,
			CASE WHEN v > 0 AND i % 3 = 0 THEN ${outcome.sla} END, CASE WHEN v > 0 AND i % 3 = 0 THEN 3 + i % 3 END,
			CASE WHEN v > 0 AND i % 3 = 0 THEN ${outcome.reopened} END, v * 600 + t * 20 + c * 5 + l + 1
		FROM (SELECT i, ${vendorIndex} AS v, i % ${TOPICS} AS t, (i / 7) % 4 AS c, (i / 11) % 5 AS l FROM ${source}) s
		ORDER BY 4`;
}

const COLUMNS = `id, scope, ticket_id, decided_at, destination, kind, vendor, contract, reason, policy_version, topic, channel,
	language, cost_estimate, status, sla_met, csat, reopened, dimension_id`;

function dimensions(): Array<{ id: number; d: Dimension }> {
	const all: Array<{ id: number; d: Dimension }> = [];
	for (let v = 0; v <= VENDORS.length; v++)
		for (let t = 0; t < TOPICS; t++)
			for (let c = 0; c < CHANNELS.length; c++)
				for (let l = 0; l < LANGUAGES.length; l++) {
					all.push({
						id: v * 600 + t * 20 + c * 5 + l + 1,
						d: {
							kind: v === 0 ? 'internal' : 'external',
							vendor: v === 0 ? null : VENDORS[v - 1],
							reason: v === 0 ? 'default' : 'specialist',
							topic: `topic-${t}`,
							channel: CHANNELS[c],
							language: LANGUAGES[l],
						},
					});
				}
	return all;
}

const GRAINS = [3_600_000, DAY, 8 * DAY];
const rollups = (table: (name: string) => string, int: (column: string) => string) => [
	`INSERT INTO ${table('delegation_rollup')} (grain, bucket, scope, dimension_id, count, cost, sla_known, sla_met, reopened,
		outcome_known, csat_sum, csat_count)
	SELECT g.grain, (decided_at / g.grain) * g.grain, scope, dimension_id, count(*), sum(cost_estimate), count(sla_met),
		coalesce(sum(${int('sla_met')}), 0), coalesce(sum(${int('reopened')}), 0), count(reopened), coalesce(sum(csat), 0), count(csat)
	FROM ${table('delegations')}, (${GRAINS.map((g) => `SELECT ${g} AS grain`).join(' UNION ALL ')}) g
	GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
	`INSERT INTO ${table('delegation_vendor_hours')} (scope, hour, kind, vendor, count, cost)
	SELECT scope, (decided_at / 3600000) * 3600000, kind, coalesce(vendor, ''), count(*), sum(cost_estimate)
	FROM ${table('delegations')} GROUP BY 1, 2, 3, 4 ORDER BY 2`,
];

async function seedSqlite(file: string) {
	await (await SqliteLedger.open(file)).close();
	const db = new DatabaseSync(file);
	const start = performance.now();
	db.exec('BEGIN');
	const insert = db.prepare(`INSERT INTO delegation_dimensions (id, key, kind, vendor, reason, topic, channel, language) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
	for (const { id, d } of dimensions()) insert.run(id, dimensionKey(d), d.kind, d.vendor, d.reason, d.topic, d.channel, d.language);
	db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS})
		INSERT INTO delegations (${COLUMNS}) ${rowsSelect('n', { sla: '(i % 10 <> 0)', reopened: '(i % 13 = 0)' })}`);
	for (const sql of rollups((name) => name, (column) => column)) db.exec(sql);
	db.exec('COMMIT');
	db.exec('ANALYZE');
	db.close();
	console.log(`dashboard bench: seeded ${ROWS} rows into SQLite in ${Math.round(performance.now() - start)} ms`);
}

async function seedPostgres(schema: string) {
	await (await PostgresLedger.open({ connection: PG, schema })).close();
	const client = new Client(PG);
	await client.connect();
	const start = performance.now();
	try {
		const t = (name: string) => `"${schema}".${name}`;
		const dims = dimensions();
		await client.query('BEGIN');
		await client.query(
			`INSERT INTO ${t('delegation_dimensions')} (id, key, kind, vendor, reason, topic, channel, language) OVERRIDING SYSTEM VALUE
			SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])`,
			[
				dims.map((x) => x.id),
				dims.map((x) => dimensionKey(x.d)),
				dims.map((x) => x.d.kind),
				dims.map((x) => x.d.vendor),
				dims.map((x) => x.d.reason),
				dims.map((x) => x.d.topic),
				dims.map((x) => x.d.channel),
				dims.map((x) => x.d.language),
			],
		);
		await client.query(
			`INSERT INTO ${t('delegations')} (${COLUMNS}) ${rowsSelect(`generate_series(1::bigint, ${ROWS}::bigint) AS g (i)`, { sla: '(i % 10 <> 0)', reopened: '(i % 13 = 0)' })}`,
		);
		for (const sql of rollups(t, (column) => `${column}::int`)) await client.query(sql);
		await client.query('COMMIT');
		await vacuumLikeALivedLedger(client, LEDGER_READ_TABLES.map(t));
	} finally {
		await client.end();
	}
	console.log(`dashboard bench: seeded ${ROWS} rows into PostgreSQL in ${Math.round(performance.now() - start)} ms`);
}

const options = { scope: SCOPE, now: NOW, days: 30, timeZone: ZONE, wholeDays: false };
const policy = loadPolicy({
	scope: SCOPE,
	timezone: ZONE,
	defaultDestination: 'team',
	destinations: [
		{ id: 'team', kind: 'internal' },
		...VENDORS.map((id) => ({ id, kind: 'external', costPerTicket: 4, capacityPerDay: 2000, capacityPerMonth: 40_000, monthlyBudget: 150_000, maxShare: 0.5 })),
	],
});

function publish(name: string, result: Parameters<typeof record>[1]) {
	record(name, result);
	console.log(`dashboard bench: ${name} = ${result.value.toFixed(2)} ${result.unit}`);
}

/** The dashboard's reads, as the Vendor Risk node makes them (chart and page with caps): readDashboard. */
const dashboardData = (ledger: Ledger) => readDashboard(ledger, options, { series: true, usagePolicy: policy });

async function measure(label: string, ledger: Ledger, backend: string) {
	const { report, series, usage } = await dashboardData(ledger);
	expect(report.totals.tickets + report.previousTotals.tickets).toBe(ROWS);
	expect(report.vendors).toHaveLength(VENDORS.length);
	// The series counts exactly what the report counts: every delegated ticket of the window, in one of its days.
	const seriesTotal = series!.vendors.reduce((sum, v) => sum + v.tickets.reduce((a, b) => a + b, 0), 0);
	expect(seriesTotal).toBe(report.totals.delegated);
	expect(series!.days).toHaveLength(31);
	expect(usage!.vendors).toHaveLength(VENDORS.length);

	const window = riskWindows(options).current;
	const seriesTime = await medianOf(5, async () => {
		const start = performance.now();
		await dailyShareSeries(ledger, SCOPE, window, ZONE);
		return performance.now() - start;
	});
	publish(`dashboard.series1m.${label}`, {
		value: seriesTime,
		unit: 'ms',
		target: '<= 50',
		notes: `Daily vendor series for the chart, 30 days in ${ZONE} (31 local-day buckets, rolling edges): ONE Ledger.series read (hourly vendor cells + edge rows) on ${backend}; ${SHAPE}; median of 5; load average ${loadavg()[0].toFixed(1)} on 2 shared cores`,
	});

	// For the record: what the chart cost before, one aggregate call per local day.
	const days = dailyBuckets(window, ZONE);
	const perDay = await medianOf(3, async () => {
		const start = performance.now();
		await Promise.all(days.map((d) => ledger.aggregate(SCOPE, d.from, d.to)));
		return performance.now() - start;
	});
	publish(`dashboard.series1m.${label}.perDayLoopBefore`, {
		value: perDay,
		unit: 'ms',
		notes: `The replaced way: ${days.length} Ledger.aggregate calls, one per local day (${backend}); median of 3`,
	});

	const data = await medianOf(5, async () => {
		const start = performance.now();
		await dashboardData(ledger);
		return performance.now() - start;
	});
	publish(`dashboard.data1m.${label}`, {
		value: data,
		unit: 'ms',
		target: '<= 100',
		notes: `Everything the dashboard reads on ${backend}, as the node reads it (readDashboard: the risk report's 2 aggregates then its quality read, side by side with the daily series (1 read) and the caps snapshot (the router's)); ${SHAPE}; median of 5; load average ${loadavg()[0].toFixed(1)}`,
	});

	// Where the data time goes: the risk report's two aggregates are most of it (see risk.report1m.* in risk.bench.ts).
	const reportOnly = await medianOf(5, async () => {
		const start = performance.now();
		await assessRisk(ledger, options);
		return performance.now() - start;
	});
	publish(`dashboard.data1m.${label}.reportOnly`, {
		value: reportOnly,
		unit: 'ms',
		notes: `Of dashboard.data1m: the risk report alone (assessRisk: two Ledger.aggregate calls side by side, then the vendors' quality read, + the pure core) on ${backend}; median of 5; load average ${loadavg()[0].toFixed(1)}`,
	});

	const render = await medianOf(5, async () => {
		const start = performance.now();
		const input = { title: 'Bench', report, series: series!, timeZone: ZONE, scope: SCOPE, days: 30, generatedAt: NOW, usage };
		dashboardHtml(input);
		scenePng(dashboardChart(input));
		return performance.now() - start;
	});
	publish(`dashboard.render.${label}`, {
		value: render,
		unit: 'ms',
		notes: 'Pure rendering of that data: the HTML page (inline SVG chart) and the 800×400 PNG (rasterise + deflate); median of 5',
	});
}

/** DASHBOARD_BENCH_KEEP=1 keeps the seeded ledgers (a temp file, a schema) for the next run. */
const keep = process.env.DASHBOARD_BENCH_KEEP === '1';
const folder = keep ? tmpdir() : mkdtempSync(join(tmpdir(), 'sd-dashboard-bench-'));
const schema = keep ? 'sd_bench_dashboard_1m' : `sd_bench_dashboard_${process.pid}`;
const pgDown = postgresUnavailable();
afterAll(async () => {
	if (keep) return;
	rmSync(folder, { recursive: true, force: true });
	if (pgDown === null) await dropSchemas([schema]);
});

/** Whether a kept ledger from an earlier run holds the whole seed. */
async function reusable(open: () => Promise<Ledger>): Promise<boolean> {
	const ledger = await open();
	try {
		return (await ledger.aggregate(SCOPE, 0, Number.MAX_SAFE_INTEGER)).reduce((sum, row) => sum + row.count, 0) === ROWS;
	} finally {
		await ledger.close();
	}
}

it('dashboard over a 1,000,000-row embedded (SQLite) ledger', async () => {
	const file = join(folder, 'sd-dashboard-bench-1m.sqlite');
	if (!(keep && (await reusable(() => SqliteLedger.open(file))))) {
		rmSync(file, { force: true });
		await seedSqlite(file);
	}
	const ledger = await SqliteLedger.open(file);
	try {
		await measure('sqlite', ledger, 'embedded SQLite');
	} finally {
		await ledger.close();
	}
});

it.skipIf(pgDown !== null)('dashboard over a 1,000,000-row PostgreSQL ledger', async () => {
	if (!(keep && (await reusable(() => PostgresLedger.open({ connection: PG, schema }))))) {
		await dropSchemas([schema]);
		await seedPostgres(schema);
	} else {
		const client = new Client(PG);
		await client.connect();
		const t = (name: string) => `"${schema}".${name}`;
		await vacuumLikeALivedLedger(client, LEDGER_READ_TABLES.map(t)).finally(() => client.end());
	}
	const ledger = await PostgresLedger.open({ connection: PG, schema });
	try {
		await measure('postgres', ledger, 'PostgreSQL');
	} finally {
		await ledger.close();
	}
});
