import { Pool, type PoolClient, type PoolConfig } from 'pg';

import { stampedAfterLock } from '../planning/clock';
import type { Ledger } from '../ledger';
import type {
	AggregateRow,
	BatchPlan,
	DelegationFilter,
	DelegationPage,
	DelegationRecord,
	LedgerSnapshot,
	NewDelegation,
	OutcomeUpdate,
	SnapshotRequest,
} from '../model';
import { OPEN_STATUSES } from '../model';
import { planOutcomes, type HeadRow, type OutcomeEntry } from '../planning/outcomes';
import {
	contributionOf,
	dimensionKey,
	dimensionOf,
	planRange,
	rollUp,
	toAggregateRow,
	type RollupCell,
	type VendorHourCell,
} from '../planning/rollup';
import { foldSnapshot, snapshotReads, type EdgeRow, type VendorHour } from '../planning/snapshot';
import { OUTCOME_COLUMNS, SELECT_RECORD, toRecord, type SqlValue } from '../sql/columns';
import { decodeCursor, encodeCursor } from '../sql/cursor';
import { DimensionCache, toDimension } from '../sql/dimensions';
import { postgresFailure } from './errors';
import { migratePostgres, quoteSchema } from './migrations';

export interface PostgresLedgerOptions {
	/** Connection settings (from n8n's Postgres credential). */
	connection: PoolConfig;
	/** Schema holding the ledger tables; created when missing. */
	schema: string;
	/** Test hook: stop migrating at this schema version. */
	schemaVersion?: number;
}

type Row = Record<string, SqlValue>;

/** PostgreSQL types of the lifecycle columns, for the arrays a batch of outcomes is sent as. */
const OUTCOME_TYPES: Record<string, string> = {
	status: 'text',
	handed_off_at: 'bigint',
	provider_reference: 'text',
	first_response_at: 'bigint',
	resolved_at: 'bigint',
	sla_met: 'boolean',
	csat: 'float8',
	reopened: 'boolean',
	error_class: 'text',
};

/**
 * The PostgreSQL ledger, for several n8n processes (queue mode) or a ledger other tools query. Each batch is one
 * transaction holding a transaction-scoped advisory lock on its scope, so batches of one scope are serialized
 * across every worker while other scopes proceed; rows go in with one multi-row INSERT ... SELECT FROM unnest.
 */
export class PostgresLedger implements Ledger {
	readonly backend = 'postgres' as const;
	private readonly dimensions = new DimensionCache();
	private readonly t: (table: string) => string;

	private constructor(
		private readonly pool: Pool,
		private readonly schema: string,
		readonly location: string,
	) {
		const s = quoteSchema(schema);
		this.t = (table) => `${s}.${table}`;
	}

	static async open(options: PostgresLedgerOptions): Promise<PostgresLedger> {
		const c = options.connection;
		const location = `${c.host ?? 'localhost'}:${c.port ?? 5432}/${c.database ?? ''}`;
		quoteSchema(options.schema);
		// allowExitOnIdle: a cached pool must never keep a finishing n8n process (CLI execute, a worker) alive.
		const pool = new Pool({ max: 10, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 30_000, allowExitOnIdle: true, ...c });
		// An idle connection dropped by the server must not crash n8n; the next query reports it.
		pool.on('error', () => undefined);
		try {
			const client = await pool.connect();
			try {
				await migratePostgres(client, options.schema, location, options.schemaVersion);
			} finally {
				client.release();
			}
		} catch (error) {
			await pool.end().catch(() => undefined);
			throw postgresFailure(error, location);
		}
		return new PostgresLedger(pool, options.schema, location);
	}

	async routeBatch<T>(
		scope: string,
		request: SnapshotRequest,
		decide: (snapshot: LedgerSnapshot) => BatchPlan<T>,
	): Promise<T> {
		return this.transaction(scope, async (c) => {
			const heads = new Map<string, string>();
			const { rows: latest } = await c.query<{ latest: string | null }>(`SELECT max(decided_at)::text AS latest FROM ${this.t('delegations')}`);
			const stamped = stampedAfterLock(request, latest[0].latest === null ? null : Number(latest[0].latest));
			const plan = decide(await this.read(c, scope, stamped, heads));
			for (const row of plan.rows) {
				if (row.scope !== scope) throw new Error(`Decision ${row.id} is for scope "${row.scope}", not the batch's "${scope}"`);
			}
			await this.insert(c, scope, plan.rows, request.ticketIds, heads);
			await this.saveOverflow(c, scope, plan.overflowActive);
			return plan.result;
		});
	}

	async snapshot(scope: string, request: SnapshotRequest): Promise<LedgerSnapshot> {
		return this.transaction(null, (c) => this.read(c, scope, request));
	}

	async recordOutcomes(scope: string, entries: readonly OutcomeEntry[]): Promise<Array<DelegationRecord | null>> {
		if (entries.length === 0) return [];
		return this.transaction(scope, async (c) => {
			const ticketIds = [...new Set(entries.map((e) => e.ticketId))];
			const { rows } = await c.query<Row>(
				`SELECT dimension_id, ${SELECT_RECORD} FROM ${this.t('delegations')}
				NATURAL JOIN unnest($2::text[]) AS wanted (ticket_id)
				WHERE scope = $1 AND head FOR UPDATE`,
				[scope, ticketIds],
			);
			const heads = new Map<string, HeadRow<string>>();
			for (const r of rows) {
				const record = toRecord(r);
				heads.set(record.ticketId, { key: record.id, dimensionId: Number(r.dimension_id), record });
			}
			const plan = planOutcomes(heads, entries);
			if (plan.writes.length > 0) {
				const column = (f: (typeof OUTCOME_COLUMNS)[number][0]) => plan.writes.map(({ record }) => record[f]);
				await c.query(
					`UPDATE ${this.t('delegations')} d SET ${OUTCOME_COLUMNS.map(([, col]) => `${col} = u.${col}`).join(', ')}
					FROM unnest($1::text[], ${OUTCOME_COLUMNS.map(([, col], i) => `$${i + 2}::${OUTCOME_TYPES[col]}[]`).join(', ')})
						AS u (id, ${OUTCOME_COLUMNS.map(([, col]) => col).join(', ')})
					WHERE d.id = u.id`,
					[plan.writes.map((w) => w.key), ...OUTCOME_COLUMNS.map(([f]) => column(f))],
				);
			}
			const { cells } = rollUp(plan.deltas);
			if (cells.length > 0) await this.upsertCells(c, cells);
			return plan.results;
		});
	}

	async recordOutcome(scope: string, ticketId: string, update: OutcomeUpdate): Promise<DelegationRecord | null> {
		return (await this.recordOutcomes(scope, [{ ticketId, update }]))[0];
	}

	async decisionsOf(scope: string, ticketId: string): Promise<DelegationRecord[]> {
		const { rows } = await this.query<Row>(
			`SELECT ${SELECT_RECORD} FROM ${this.t('delegations')} WHERE scope = $1 AND ticket_id = $2 ORDER BY seq`,
			[scope, ticketId],
		);
		return rows.map(toRecord);
	}

	async list(filter: DelegationFilter): Promise<DelegationPage> {
		const where: string[] = [];
		const params: unknown[] = [];
		const p = (value: unknown) => {
			params.push(value);
			return `$${params.length}`;
		};
		if (filter.scope !== undefined) where.push(`scope = ${p(filter.scope)}`);
		if (filter.vendor !== undefined) where.push(`vendor = ${p(filter.vendor)}`);
		if (filter.kind !== undefined) where.push(`kind = ${p(filter.kind)}`);
		if (filter.reason !== undefined) where.push(`reason = ${p(filter.reason)}`);
		if (filter.status) where.push(`status = ANY(${p(filter.status)}::text[])`);
		if (filter.from !== undefined) where.push(`decided_at >= ${p(filter.from)}`);
		if (filter.to !== undefined) where.push(`decided_at < ${p(filter.to)}`);
		if (filter.cursor) {
			const after = decodeCursor(filter.cursor);
			where.push(`(decided_at, id) < (${p(after.decidedAt)}, ${p(after.id)})`);
		}
		const limit = filter.limit ?? 100;
		const { rows } = await this.query<Row>(
			`SELECT ${SELECT_RECORD} FROM ${this.t('delegations')} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
			ORDER BY decided_at DESC, id DESC LIMIT ${p(limit + 1)}`,
			params,
		);
		const records = rows.map(toRecord);
		const more = records.length > limit;
		if (more) records.length = limit;
		const last = records[records.length - 1];
		return { rows: records, nextCursor: more && last ? encodeCursor(last) : null };
	}

	async aggregate(scope: string | null, from: number, to: number): Promise<AggregateRow[]> {
		const plan = planRange(from, to);
		const params: unknown[] = [];
		const p = (value: unknown) => {
			params.push(value);
			return `$${params.length}`;
		};
		const scoped = () => (scope === null ? '' : `AND scope = ${p(scope)}`);
		const rollup = (grain: number, [a, b]: [number, number]) =>
			`SELECT dimension_id, count, cost, sla_known, sla_met, reopened, outcome_known, csat_sum, csat_count
			FROM ${this.t('delegation_rollup')} WHERE grain = ${grain} AND bucket >= ${p(a)} AND bucket < ${p(b)} ${scoped()}`;
		const raw = ([a, b]: [number, number]) =>
			`SELECT dimension_id, 1, cost_estimate, (sla_met IS NOT NULL)::int, coalesce(sla_met::int, 0),
				coalesce(reopened::int, 0), (reopened IS NOT NULL)::int, coalesce(csat, 0), (csat IS NOT NULL)::int
			FROM ${this.t('delegations')} WHERE decided_at >= ${p(a)} AND decided_at < ${p(b)} ${scoped()}`;
		const parts = [
			...plan.cells.flatMap(({ grain, ranges }) => ranges.map((range) => rollup(grain, range))),
			raw(plan.rows[0]),
			raw(plan.rows[1]),
		];
		const { rows } = await this.query<Record<string, string | number>>(
			`SELECT dimension_id, sum(count) AS count, sum(cost) AS cost, sum(sla_known) AS sla_known, sum(sla_met) AS sla_met,
				sum(reopened) AS reopened, sum(outcome_known) AS outcome_known, sum(csat_sum) AS csat_sum,
				sum(csat_count) AS csat_count
			FROM (${parts.join(' UNION ALL ')}) AS cells (dimension_id, count, cost, sla_known, sla_met, reopened,
				outcome_known, csat_sum, csat_count)
			GROUP BY dimension_id`,
			params,
		);
		await this.loadDimensions(rows.map((r) => Number(r.dimension_id)));
		return rows.map((r) =>
			toAggregateRow(this.dimensions.get(Number(r.dimension_id))!, {
				count: Number(r.count),
				cost: Number(r.cost),
				slaKnown: Number(r.sla_known),
				slaMet: Number(r.sla_met),
				reopened: Number(r.reopened),
				outcomeKnown: Number(r.outcome_known),
				csatSum: Number(r.csat_sum),
				csatCount: Number(r.csat_count),
			}),
		);
	}

	async close(): Promise<void> {
		await this.pool.end().catch(() => undefined);
	}

	/** Also fills `heads` (ticket id → id of its current decision, open or not) for the requested tickets. */
	private async read(
		c: PoolClient,
		scope: string,
		request: SnapshotRequest,
		heads = new Map<string, string>(),
	): Promise<LedgerSnapshot> {
		const reads = snapshotReads(request);
		const hours = await c.query<Row>(
			`SELECT hour, kind, vendor, count, cost FROM ${this.t('delegation_vendor_hours')}
			WHERE scope = $1 AND hour >= $2 AND hour <= $3`,
			[scope, reads.fromHour, reads.toHour],
		);
		const vendorHours: VendorHour[] = hours.rows.map((r) => ({
			hour: Number(r.hour),
			kind: r.kind as VendorHour['kind'],
			vendor: String(r.vendor),
			count: Number(r.count),
			cost: Number(r.cost),
		}));
		const edgeRows: EdgeRow[] = [];
		if (reads.rowRanges.length > 0) {
			const edges = await c.query<Row>(
				`SELECT decided_at, kind, vendor, cost_estimate FROM ${this.t('delegations')} d
				JOIN unnest($2::bigint[], $3::bigint[]) AS r (a, b) ON d.decided_at >= r.a AND d.decided_at < r.b
				WHERE d.scope = $1`,
				[scope, reads.rowRanges.map((r) => r[0]), reads.rowRanges.map((r) => r[1])],
			);
			for (const r of edges.rows) {
				edgeRows.push({
					decidedAt: Number(r.decided_at),
					kind: r.kind as EdgeRow['kind'],
					vendor: r.vendor === null ? null : String(r.vendor),
					costEstimate: Number(r.cost_estimate),
				});
			}
		}
		const overflowActive: Record<string, boolean> = {};
		const overflow = await c.query<{ rule_id: string; active: boolean }>(
			`SELECT rule_id, active FROM ${this.t('overflow_state')} WHERE scope = $1`,
			[scope],
		);
		for (const r of overflow.rows) overflowActive[r.rule_id] = r.active;
		const open: Record<string, DelegationRecord> = {};
		if (request.ticketIds.length > 0) {
			const { rows } = await c.query<Row>(
				// A join on unnest, not `= ANY(array)`: with thousands of ids the planner would pick a sequential scan.
				`SELECT ${SELECT_RECORD} FROM ${this.t('delegations')}
				NATURAL JOIN unnest($2::text[]) AS requested (ticket_id)
				WHERE scope = $1 AND head`,
				[scope, request.ticketIds],
			);
			for (const r of rows) {
				const record = toRecord(r);
				heads.set(record.ticketId, record.id);
				if (OPEN_STATUSES.includes(record.status)) open[record.ticketId] = record;
			}
		}
		return foldSnapshot(request, vendorHours, edgeRows, overflowActive, open);
	}

	private async insert(
		c: PoolClient,
		scope: string,
		rows: NewDelegation[],
		requested: string[],
		heads: Map<string, string>,
	) {
		if (rows.length === 0) return;
		const dimensionIds = await this.dimensionIds(c, rows);
		// A new decision supersedes the ticket's previous one (re-route); within a batch the last one wins.
		// The snapshot already found the current decisions of the requested tickets; look up only the others.
		const known = new Set(requested);
		const superseded = [...new Set(rows.filter((r) => heads.has(r.ticketId)).map((r) => heads.get(r.ticketId)!))];
		if (superseded.length > 0) {
			await c.query(
				`UPDATE ${this.t('delegations')} d SET head = NULL FROM unnest($1::text[]) AS s (id) WHERE d.id = s.id`,
				[superseded],
			);
		}
		const unknown = [...new Set(rows.filter((r) => !known.has(r.ticketId)).map((r) => r.ticketId))];
		if (unknown.length > 0) {
			await c.query(
				`UPDATE ${this.t('delegations')} d SET head = NULL FROM unnest($2::text[]) AS t (ticket_id)
				WHERE d.scope = $1 AND d.head AND d.ticket_id = t.ticket_id`,
				[scope, unknown],
			);
		}
		const lastOf = new Map<string, number>();
		rows.forEach((r, i) => lastOf.set(r.ticketId, i));
		const column = <K extends keyof NewDelegation>(k: K) => rows.map((r) => r[k]);
		await c.query(
			`INSERT INTO ${this.t('delegations')} (id, scope, ticket_id, decided_at, destination, kind, vendor, contract, reason,
				rule_id, guardrail, policy_version, channel, language, topic, priority, cost_estimate, workflow_id, execution_id,
				previous_id, head, dimension_id)
			SELECT id, scope, ticket_id, decided_at, destination, kind, vendor, contract, reason, rule_id, guardrail,
				policy_version, channel, language, topic, priority, cost_estimate, workflow_id, execution_id, previous_id, head,
				dimension_id
			FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[],
				$9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[],
				$17::float8[], $18::text[], $19::text[], $20::text[], $21::bool[], $22::int[])
				WITH ORDINALITY AS r (id, scope, ticket_id, decided_at, destination, kind, vendor, contract, reason, rule_id,
					guardrail, policy_version, channel, language, topic, priority, cost_estimate, workflow_id, execution_id,
					previous_id, head, dimension_id, n)
			ORDER BY n`,
			[
				column('id'), column('scope'), column('ticketId'), column('decidedAt'), column('destination'), column('kind'),
				column('vendor'), column('contract'), column('reason'), column('ruleId'), column('guardrail'),
				column('policyVersion'), column('channel'), column('language'), column('topic'), column('priority'),
				column('costEstimate'), column('workflowId'), column('executionId'), column('previousId'),
				rows.map((r, i) => (lastOf.get(r.ticketId) === i ? true : null)),
				dimensionIds,
			],
		);
		const { cells, vendorHours } = rollUp(
			rows.map((r, i) => ({
				scope: r.scope,
				decidedAt: r.decidedAt,
				kind: r.kind,
				vendor: r.vendor,
				dimensionId: dimensionIds[i],
				contribution: contributionOf({ costEstimate: r.costEstimate, slaMet: null, reopened: null, csat: null }),
			})),
		);
		await this.upsertCells(c, cells);
		await this.upsertVendorHours(c, vendorHours);
	}

	private async upsertCells(c: PoolClient, cells: RollupCell[]) {
		const col = <K extends keyof RollupCell>(k: K) => cells.map((cell) => cell[k]);
		await c.query(
			`INSERT INTO ${this.t('delegation_rollup')} AS t (grain, bucket, scope, dimension_id, count, cost, sla_known, sla_met,
				reopened, outcome_known, csat_sum, csat_count)
			SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::int[], $5::bigint[], $6::float8[], $7::bigint[],
				$8::bigint[], $9::bigint[], $10::bigint[], $11::float8[], $12::bigint[])
			ON CONFLICT (grain, bucket, scope, dimension_id) DO UPDATE SET
				count = t.count + excluded.count, cost = t.cost + excluded.cost, sla_known = t.sla_known + excluded.sla_known,
				sla_met = t.sla_met + excluded.sla_met, reopened = t.reopened + excluded.reopened,
				outcome_known = t.outcome_known + excluded.outcome_known, csat_sum = t.csat_sum + excluded.csat_sum,
				csat_count = t.csat_count + excluded.csat_count`,
			[
				col('grain'), col('bucket'), col('scope'), col('dimensionId'), col('count'), col('cost'), col('slaKnown'),
				col('slaMet'), col('reopened'), col('outcomeKnown'), col('csatSum'), col('csatCount'),
			],
		);
	}

	private async upsertVendorHours(c: PoolClient, cells: VendorHourCell[]) {
		const col = <K extends keyof VendorHourCell>(k: K) => cells.map((cell) => cell[k]);
		await c.query(
			`INSERT INTO ${this.t('delegation_vendor_hours')} AS t (scope, hour, kind, vendor, count, cost)
			SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::float8[])
			ON CONFLICT (scope, hour, kind, vendor) DO UPDATE SET count = t.count + excluded.count, cost = t.cost + excluded.cost`,
			[col('scope'), col('hour'), col('kind'), col('vendor'), col('count'), col('cost')],
		);
	}

	private async saveOverflow(c: PoolClient, scope: string, state: Record<string, boolean>) {
		const entries = Object.entries(state);
		if (entries.length === 0) return;
		await c.query(
			`INSERT INTO ${this.t('overflow_state')} (scope, rule_id, active)
			SELECT $1, * FROM unnest($2::text[], $3::bool[])
			ON CONFLICT (scope, rule_id) DO UPDATE SET active = excluded.active`,
			[scope, entries.map(([k]) => k), entries.map(([, v]) => v)],
		);
	}

	/** Dimension ids of the rows, creating the dimensions first seen in this batch (in key order: no lock cycles). */
	private async dimensionIds(c: PoolClient, rows: NewDelegation[]): Promise<number[]> {
		const dims = rows.map(dimensionOf);
		const missing = this.dimensions.missing(dims);
		if (missing.length > 0) {
			const keys = missing.map(dimensionKey);
			const order = keys.map((_, i) => i).sort((a, b) => (keys[a] < keys[b] ? -1 : 1));
			const col = (f: (i: number) => unknown) => order.map(f);
			await c.query(
				`INSERT INTO ${this.t('delegation_dimensions')} (key, kind, vendor, reason, topic, channel, language)
				SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
				ON CONFLICT (key) DO NOTHING`,
				[
					col((i) => keys[i]),
					col((i) => missing[i].kind),
					col((i) => missing[i].vendor),
					col((i) => missing[i].reason),
					col((i) => missing[i].topic),
					col((i) => missing[i].channel),
					col((i) => missing[i].language),
				],
			);
			const { rows: found } = await c.query(
				`SELECT id, kind, vendor, reason, topic, channel, language FROM ${this.t('delegation_dimensions')}
				WHERE key = ANY($1::text[])`,
				[keys],
			);
			for (const r of found) this.dimensions.remember(Number(r.id), toDimension(r));
		}
		return dims.map((d) => this.dimensions.idOf(d)!);
	}

	private async loadDimensions(ids: number[]) {
		const unknown = ids.filter((id) => this.dimensions.get(id) === undefined);
		if (unknown.length === 0) return;
		const { rows } = await this.query<Record<string, unknown>>(
			`SELECT id, kind, vendor, reason, topic, channel, language FROM ${this.t('delegation_dimensions')}
			WHERE id = ANY($1::int[])`,
			[unknown],
		);
		for (const r of rows) this.dimensions.remember(Number(r.id), toDimension(r));
	}

	private async query<R extends object>(sql: string, params: unknown[]) {
		try {
			return await this.pool.query<R & import('pg').QueryResultRow>(sql, params);
		} catch (error) {
			throw postgresFailure(error, this.location);
		}
	}

	/**
	 * One transaction; with a scope, first the scope's advisory lock, so the snapshot read next is the state
	 * every other writer of that scope left and will see.
	 */
	private async transaction<T>(scope: string | null, fn: (c: PoolClient) => Promise<T>): Promise<T> {
		let client: PoolClient;
		try {
			client = await this.pool.connect();
		} catch (error) {
			throw postgresFailure(error, this.location);
		}
		let broken = false;
		try {
			// READ COMMITTED on purpose: every statement after the lock sees what the previous holder committed
			// (REPEATABLE READ would pin the snapshot before the lock was granted). Read-only snapshots pin theirs.
			await client.query(
				scope === null ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN ISOLATION LEVEL READ COMMITTED',
			);
			if (scope !== null) {
				await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
					`support-delegation:${this.schema}:${scope}`,
				]);
			}
			const result = await fn(client);
			await client.query('COMMIT');
			return result;
		} catch (error) {
			await client.query('ROLLBACK').catch(() => {
				broken = true;
			});
			const failure = postgresFailure(error, this.location);
			if (failure !== error) broken = true;
			throw failure;
		} finally {
			client.release(broken);
		}
	}
}
