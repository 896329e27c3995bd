import { Session } from 'node:inspector/promises';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

import { applyLedgerSettings } from '../ledger/sqlite/settings';
import { closeLedgers } from '../nodes/shared/ledger/open';
import { dropSchemas, PG, postgresUnavailable, uniqueSchema } from '../tests/ledger/postgres';
import { runWorkflow } from '../tests/harness/workflow';
import { COMPARISON_POLICY } from './real-n8n/comparison';
import { percentile, record } from './record';
import { routerWorkflow } from '../tests/harness/router-workflow';

/**
 * One ticket per execution, in process (n8n-core's WorkflowExecute, no HTTP): the Ticket Router's node time per
 * execution with every decision recorded, embedded and PostgreSQL, against a ledger already holding the earlier
 * executions' decisions. The same figure as the real-n8n benchmark without n8n's server around it, at a finer
 * resolution (performance.now() around the execution; n8n's own executionTime is in whole ms).
 * BENCH_PROFILE=file writes a CPU profile of the timed executions.
 */
const CALLS = Number(process.env.BENCH_SINGLE_CALLS ?? 1000);
const WARMUP = 100;
const pgReason = postgresUnavailable();
const folder = mkdtempSync(join(tmpdir(), 'sd-single-bench-'));
const schemas: string[] = [];

afterAll(async () => {
	await closeLedgers();
	await dropSchemas(schemas);
	rmSync(folder, { recursive: true, force: true });
});

function workflow(ledger: Record<string, unknown>, scope: string) {
	return routerWorkflow(
		{ policyJson: JSON.stringify({ ...COMPARISON_POLICY, scope }), outputMode: 'destination', options: {}, ...ledger },
		ledger.ledger === 'postgres' ? { credentials: { postgres: { id: 'pg', name: 'pg' } } } : {},
	);
}

async function measure(label: 'embedded' | 'postgres', ledger: Record<string, unknown>) {
	const scope = `single-${label}-${process.pid}`;
	const wf = workflow(ledger, scope);
	const credentials = { postgres: { host: String(PG.host), port: Number(PG.port), database: String(PG.database), user: String(PG.user), password: typeof PG.password === 'string' ? PG.password : '', ssl: 'disable' } };
	const once = async (n: number) => {
		const items = [{ id: `${scope}-${n}`, subject: n % 3 ? 'Cannot log in' : 'Refund for order', body: 'Hello team, please have a look.', tags: ['login'], language: 'en', customer: { tier: 'pro', region: 'eu' } }];
		const started = performance.now();
		const result = await runWorkflow(wf, { items, credentials, mode: 'webhook' });
		const wall = performance.now() - started;
		expect(result.status).toBe('success');
		const delegation = result.outputs('Ticket Router').flat()[0].json.delegation as { ledger: string };
		expect(delegation.ledger).toBe('recorded');
		return { node: result.run.data.resultData.runData['Ticket Router'][0].executionTime, wall };
	};
	for (let n = 0; n < WARMUP; n++) await once(-1 - n);
	const profile = process.env.BENCH_PROFILE ? new Session() : null;
	if (profile) {
		profile.connect();
		await profile.post('Profiler.enable');
		await profile.post('Profiler.start');
	}
	const wall: number[] = [];
	const node: number[] = [];
	for (let n = 0; n < CALLS; n++) {
		const t = await once(n);
		wall.push(t.wall);
		node.push(t.node);
	}
	if (profile) writeFileSync(`${process.env.BENCH_PROFILE}.${label}.cpuprofile`, JSON.stringify((await profile.post('Profiler.stop')).profile));
	const how = `${CALLS} sequential executions of one fresh ticket each through WorkflowExecute (in process, no HTTP), every decision recorded, after ${WARMUP} warm-up executions; 5-rule policy; node executionTime p50 ${percentile(node, 50)} ms / p99 ${percentile(node, 99)} ms (whole ms); the figure is the whole in-process execution (performance.now())`;
	record(`single.${label}.executionP50`, { value: percentile(wall, 50), unit: 'ms', label: `One ticket per execution in process, ${label} ledger: p50`, notes: how });
	record(`single.${label}.executionP99`, { value: percentile(wall, 99), unit: 'ms', label: `One ticket per execution in process, ${label} ledger: p99`, notes: how });
}

/**
 * What no recorded execution can go below on this machine: one row made durable, nothing else, timed the same way
 * (sequential, after warm-up, p50/p99). A one-ticket execution waits for one such commit.
 */
async function durableCommit(label: 'embedded' | 'postgres', commitOne: (n: number) => Promise<void> | void, how: string) {
	for (let n = 0; n < WARMUP; n++) await commitOne(-1 - n);
	const times: number[] = [];
	for (let n = 0; n < CALLS; n++) {
		const started = performance.now();
		await commitOne(n);
		times.push(performance.now() - started);
	}
	const notes = `${how}; ${CALLS} sequential commits after ${WARMUP} warm-up ones: the part of every recorded one-ticket execution that is the storage's, not the package's`;
	const what = label === 'embedded' ? 'one row committed to an embedded ledger file (its settings: WAL, synchronous=FULL)' : 'one row committed on the PostgreSQL server in one round trip';
	record(`single.${label}.durableCommitP50`, { value: percentile(times, 50), unit: 'ms', label: `Floor: ${what}, p50`, notes });
	record(`single.${label}.durableCommitP99`, { value: percentile(times, 99), unit: 'ms', label: `Floor: ${what}, p99`, notes });
}

describe('one ticket per execution, in process', () => {
	it('embedded ledger', async () => {
		await measure('embedded', { ledger: 'embedded', ledgerFile: join(folder, 'ledger.sqlite') });
	});

	it('floor: one row committed to an embedded ledger file', async () => {
		const db = new DatabaseSync(join(folder, 'floor.sqlite'));
		try {
			db.exec('PRAGMA journal_mode = WAL');
			applyLedgerSettings(db);
			db.exec('CREATE TABLE floor (id TEXT NOT NULL)');
			const insert = db.prepare('INSERT INTO floor (id) VALUES (?)');
			await durableCommit(
				'embedded',
				(n) => {
					db.exec('BEGIN IMMEDIATE');
					insert.run(`floor-${n}`);
					db.exec('COMMIT');
				},
				'BEGIN IMMEDIATE, a one-column INSERT and COMMIT on a file in the ledger folder with the ledger’s connection settings (WAL, synchronous=FULL: an fsync of the WAL per commit)',
			);
		} finally {
			db.close();
		}
	});

	it.skipIf(pgReason !== null)('floor: one row committed on PostgreSQL', async () => {
		const schema = uniqueSchema('single_floor');
		schemas.push(schema);
		const client = new Client(PG);
		await client.connect();
		try {
			await client.query(`CREATE SCHEMA "${schema}"; CREATE TABLE "${schema}".floor (id text NOT NULL)`);
			await durableCommit(
				'postgres',
				async (n) => {
					await client.query(`BEGIN; INSERT INTO "${schema}".floor (id) VALUES ('floor-${n}'); COMMIT`);
				},
				'BEGIN, a one-column INSERT into a logged table and COMMIT sent as one message on an open connection (one round trip; the server’s WAL flush at COMMIT, synchronous_commit as the server has it)',
			);
		} finally {
			await client.end();
		}
	});

	it.skipIf(pgReason !== null)('PostgreSQL ledger', async () => {
		const schema = uniqueSchema('single_bench');
		schemas.push(schema);
		await measure('postgres', { ledger: 'postgres', ledgerSchema: schema });
	});
});
