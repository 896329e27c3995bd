import { createHash } from 'node:crypto';

import { Client, Pool, type PoolClient, type PoolConfig, type QueryConfig } from 'pg';

import type { Ledger } from '../ledger';
import type {
	AggregateRow,
	BatchPlan,
	CallbackPlanner,
	CallbackReceipt,
	CallbackResult,
	DelegationFilter,
	DelegationPage,
	DelegationRecord,
	HandoffBatch,
	HandoffRecord,
	HandoffResult,
	HandoffView,
	LedgerSnapshot,
	NewDelegation,
	QualityCounts,
	QualitySample,
	RowsAhead,
	SeriesCell,
	SnapshotRequest,
} from '../model';
import { recordCallbackWith } from '../planning/callbacks';
import { receiptMatch, type ReceiptRowRead } from '../sql/receipts';
import { handoffOutcomeOn } from '../planning/handoff-outcome';
import { planOutcomes, type HeadRow, type OutcomeEntry } from '../planning/outcomes';
import { dimensionKey, dimensionOf, planRange, rollUp, toAggregateRow, type RollupCell, type VendorCell } from '../planning/rollup';
import { foldSeries, planSeries, type SeriesRow } from '../planning/series';
import type { EdgeRow, SnapshotReads, VendorHour } from '../planning/snapshot';
import { INSERT_COLUMNS, OUTCOME_COLUMNS, SELECT_RECORD, toRecord, type SqlValue } from '../sql/columns';
import { qualitySql, sampleParams, toQualityCounts } from '../sql/quality';
import { seriesSql } from '../sql/series';
import { GuessMissed, readSnapshot, routeBatchWith, routeGuessedBatch, type GuardedStatements, type BatchWrite, type SnapshotRows } from '../sql/route-batch';
import { decodeCursor, encodeCursor } from '../sql/cursor';
import { HANDOFF_COLUMNS, SELECT_HANDOFF, handoffValues, toHandoff, toTerms } from '../sql/handoffs';
import { DimensionCache, toDimension, type PendingDimensions } from '../sql/dimensions';
import { VENDOR_ROLLUPS } from '../sql/vendor-rollups';
import { connectionBroken, connectionEnded, postgresFailure } from './errors';
import { batchDimensions, columnsFrom, columnsJson, dimensionArrays, headsJson, jsonArray, SENT_COLUMNS, typedColumns } from './json-rows';
import { migratePostgres, quoteSchema } from './migrations';
import { sentTogether } from './together';
import { DEFAULT_POSTGRES_TIMEOUTS, MIGRATION_STATEMENT_MS, poolConfig, type PostgresTimeouts } from './timeouts';
import { dictionary } from '../../domain/shared/dictionary';

export interface PostgresLedgerOptions {
	/** Connection settings (from n8n's Postgres credential). */
	connection: PoolConfig;
	/** Schema holding the ledger tables; created when missing. */
	schema: string;
	/** Limits on connecting, lock waits, statements and idle transactions; unset ones take the defaults. */
	timeouts?: Partial<PostgresTimeouts>;
	/** Test hook: stop migrating at this schema version. */
	schemaVersion?: number;
}

type Row = Record<string, SqlValue>;

/**
 * The PostgreSQL ledger, for several n8n processes (queue mode) or a ledger other tools query. Each batch is one
 * transaction holding a transaction-scoped advisory lock on its scope, so batches of one scope are serialized
 * across every worker while other scopes proceed; rows go in with one multi-row INSERT ... SELECT from one JSON array per
 * column (a column holding one value in every row: that value once). A batch is two round trips on a pipelined
 * connection (see transaction).
 */
export class PostgresLedger implements Ledger {
	readonly backend = 'postgres' as const;
	private dimensions = new DimensionCache();
	private readonly t: (table: string) => string;
	/** Names this schema's prepared statements (a short hash: names are at most 63 characters). */
	private readonly statementTag: string;
	/** Connections a transaction ran on before: only such a one can have been ended while it sat idle in the pool. */
	private readonly used = new WeakSet<PoolClient>();

	private constructor(
		private readonly pool: Pool,
		private readonly schema: string,
		readonly location: string,
		private readonly timeouts: PostgresTimeouts,
	) {
		const s = quoteSchema(schema);
		this.t = (table) => `${s}.${table}`;
		this.statementTag = createHash('sha256').update(schema).digest('hex').slice(0, 16);
	}

	static async open(options: PostgresLedgerOptions): Promise<PostgresLedger> {
		const c = options.connection;
		const location = `${c.host ?? 'localhost'}:${c.port ?? 5432}/${c.database ?? ''}`;
		quoteSchema(options.schema);
		const timeouts = { ...DEFAULT_POSTGRES_TIMEOUTS, ...definedOnly(options.timeouts ?? {}) };
		// Migrating runs once per process, on its own connection, with room for a long backfill.
		const migrator = new Client(poolConfig(c, timeouts, MIGRATION_STATEMENT_MS));
		migrator.on('error', () => undefined);
		try {
			await migrator.connect();
			await migratePostgres(migrator, options.schema, location, options.schemaVersion, timeouts);
		} catch (error) {
			throw postgresFailure(error, location, timeouts);
		} finally {
			await migrator.end().catch(() => undefined);
		}
		// Pipelined: a statement is sent without waiting for the answers to the ones before it (see transaction).
		const pool = new Pool({ ...poolConfig(c, timeouts), pipeline: true });
		// An idle connection dropped by the server must not crash n8n; the next query reports it.
		pool.on('error', () => undefined);
		return new PostgresLedger(pool, options.schema, location, timeouts);
	}

	async routeBatch<T>(
		scope: string,
		request: SnapshotRequest,
		decide: (snapshot: LedgerSnapshot, ahead: RowsAhead) => BatchPlan<T>,
		mayWrite?: Promise<unknown>,
	): Promise<T> {
		// Awaited only after the snapshot's round trip: a rejection meanwhile is the batch's failure, not an unhandled one.
		mayWrite?.then(
			() => allowed.add(mayWrite),
			() => undefined,
		);
		try {
			if (request.ticketsOnly === true && request.ticketIds.length <= GUESSED_TICKETS) {
				const guessed = await this.transaction(scope, (c, tx) => routeGuessedBatch(this.statements(c, tx), scope, request, decide, mayWrite)).then(
					(result) => ({ result }),
					// A ticket seen before, or a later decision on the ledger: decided again on what the ledger holds.
					(error: unknown) => (error instanceof GuessMissed ? null : Promise.reject(error)),
				);
				if (guessed) return guessed.result;
			}
			return await this.transaction(scope, (c, tx) => routeBatchWith(this.statements(c, tx), scope, request, decide, mayWrite));
		} catch (error) {
			// The rows take their dimension's fields from its row (see write): a dimension row deleted under this process's
			// cache fails the batch on a NOT NULL column. The cache is dropped, so the next batch looks its dimensions up
			// again and creates the missing ones.
			const { code, table } = error as { code?: string; table?: string };
			if (code === '23502' && table === 'delegations') this.dimensions = new DimensionCache();
			throw postgresFailure(error, this.location, this.timeouts);
		}
	}

	async snapshot(scope: string, request: SnapshotRequest): Promise<LedgerSnapshot> {
		return this.transaction(null, async (c, tx) => (await readSnapshot(this.statements(c, tx), scope, request)).snapshot);
	}

	async recordOutcomes(scope: string, entries: readonly OutcomeEntry[]): Promise<Array<DelegationRecord | null>> {
		if (entries.length === 0) return [];
		return this.transaction(scope, (c) => this.applyOutcomes(c, scope, entries));
	}

	async recordCallback(scope: string, receipt: CallbackReceipt, plan: CallbackPlanner): Promise<CallbackResult> {
		return this.transaction(scope, (c) =>
			recordCallbackWith(
				{
					findReceipt: async (r) => {
						// Receipts of one vendor may come through scopes other than this one's lock: the unique keys stop a second writer.
						const { rows } = await c.query<ReceiptRowRead>(
							`SELECT answer_status, answer, receipt_hash, report_hash FROM ${this.t('callback_receipts')}
							WHERE vendor = $1 AND (receipt_hash = $2 OR callback_id = $3) ORDER BY receipt_hash = $2 DESC LIMIT 1`,
							[r.vendor, r.receiptHash, r.callbackId],
						);
						return rows[0] ? receiptMatch(rows[0]) : null;
					},
					current: async (ticketId) => {
						const { rows } = await c.query<Row & { hand_off_begun: boolean }>(
							`SELECT ${SELECT_RECORD}, EXISTS (SELECT 1 FROM ${this.t('handoffs')} h WHERE h.decision_id = d.id) AS hand_off_begun
							FROM ${this.t('delegations')} d WHERE scope = $1 AND ticket_id = $2 AND head FOR UPDATE OF d`,
							[scope, ticketId],
						);
						return rows[0] ? { decision: toRecord(rows[0]), handOffBegun: rows[0].hand_off_begun } : null;
					},
					apply: async (entry) => (await this.applyOutcomes(c, scope, [entry]))[0]!,
					saveReceipt: async (r) => {
						await c.query(
							`INSERT INTO ${this.t('callback_receipts')} (vendor, receipt_hash, callback_id, report_hash, scope, ticket_id, decision_id,
								received_at, answer_status, answer) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
							[r.vendor, r.receiptHash, r.callbackId, r.reportHash, r.scope, r.ticketId, r.decisionId, r.receivedAt, r.answer.status, JSON.stringify(r.answer.body)],
						);
					},
				},
				scope,
				receipt,
				plan,
			),
		);
	}

	/** Outcomes on the current decisions of their tickets, inside the caller's transaction (rows locked while read). */
	private async applyOutcomes(c: PoolClient, scope: string, entries: readonly OutcomeEntry[]): Promise<Array<DelegationRecord | null>> {
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
		await this.updateOutcomes(c, plan.writes);
		const { cells } = rollUp(plan.deltas);
		if (cells.length > 0) await this.upsertCells(c, cells);
		return plan.results;
	}

	async writeHandoffs<T>(scope: string, batch: HandoffBatch<T>): Promise<{ recorded: Array<DelegationRecord | null>; planned: T[] }> {
		if (batch.results.length === 0 && batch.requests.length === 0) return { recorded: [], planned: [] };
		return this.transaction(scope, async (c) => {
			const recorded: Array<DelegationRecord | null> = [];
			for (const { handoff, outcome } of batch.results) recorded.push(await this.finishOne(c, scope, handoff, outcome));
			const planned: T[] = [];
			for (const { decisionId, plan } of batch.requests) {
				const { intent, result } = plan(await this.handoffView(c, scope, decisionId));
				if (intent) await this.saveHandoff(c, intent);
				planned.push(result);
			}
			return { recorded, planned };
		});
	}

	private async finishOne(c: PoolClient, scope: string, handoff: HandoffRecord, outcome: HandoffResult['outcome']): Promise<DelegationRecord | null> {
		await this.saveHandoff(c, handoff);
		if (!outcome) return null;
		const { rows } = await c.query<Row>(
			`SELECT dimension_id, ${SELECT_RECORD} FROM ${this.t('delegations')} WHERE scope = $1 AND ticket_id = $2 AND head FOR UPDATE`,
			[scope, handoff.ticketId],
		);
		if (rows.length === 0 || rows[0].id !== handoff.decisionId) return null;
		const record = toRecord(rows[0]);
		const update = handoffOutcomeOn(record, outcome);
		if (!update) return record;
		const heads = new Map([[handoff.ticketId, { key: record.id, dimensionId: Number(rows[0].dimension_id), record }]]);
		const plan = planOutcomes(heads, [{ ticketId: handoff.ticketId, update }]);
		await this.updateOutcomes(c, plan.writes);
		const { cells } = rollUp(plan.deltas);
		if (cells.length > 0) await this.upsertCells(c, cells);
		return plan.results[0];
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

	async quality(scope: string | null, samples: readonly QualitySample[]): Promise<Record<string, QualityCounts>> {
		if (samples.length === 0) return {};
		return this.transaction(null, (c) => this.qualityCounts(c, scope, samples));
	}

	private async qualityCounts(c: PoolClient, scope: string | null, samples: readonly QualitySample[]): Promise<Record<string, QualityCounts>> {
		// All samples sent at once: the pipelined connection answers them in one round trip.
		const read = await Promise.all(
			samples.map((sample) =>
				c.query<Row>(qualitySql(this.t('delegations'), scope !== null, sample.limit !== null, (i) => `$${i + 1}`), sampleParams(sample, scope)),
			),
		);
		const counts = dictionary<QualityCounts>();
		samples.forEach((sample, i) => (counts[sample.vendor] = toQualityCounts(read[i].rows[0])));
		return counts;
	}

	async scopes(): Promise<string[]> {
		// The vendor-hours rollup has a row per scope and hour: its primary key starts with the scope.
		// Sorted here, not by the database, so every backend orders alike whatever its collation.
		const { rows } = await this.query<{ scope: string }>(`SELECT DISTINCT scope FROM ${this.t('delegation_vendor_hours')}`, []);
		return rows.map((r) => r.scope).sort();
	}

	async series(scope: string | null, bounds: readonly number[]): Promise<SeriesCell[]> {
		const plan = planSeries(bounds);
		if (bounds.length < 2) return [];
		const params: unknown[] = [];
		const p = (value: unknown) => {
			params.push(value);
			return `$${params.length}`;
		};
		const sql = seriesSql(plan, scope, p, (name) => this.t(name), '');
		const { rows } = await this.query<Row>(sql, params);
		return foldSeries(rows as unknown as SeriesRow[]);
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

	/**
	 * The batch steps in PostgreSQL statements on the transaction's client. The connection pipelines, so a batch takes
	 * two round trips: BEGIN, the scope's lock and the snapshot go out together, and so do the writes and COMMIT. When
	 * the write must wait to be allowed (the credential is still being read), the writes go out first and only COMMIT
	 * waits: what is left once it is allowed is COMMIT's round trip. A batch decided on its tickets alone is checked
	 * instead of read (`guard`, see routeGuessedBatch): its writes go out with BEGIN, one round trip.
	 */
	private statements(c: PoolClient, tx: Transaction): GuardedStatements<string> {
		return {
			snapshotRows: (scope, reads, ticketIds, withLatest) => this.snapshotRows(c, scope, reads, ticketIds, withLatest),
			quality: (scope, samples) => this.qualityCounts(c, scope, samples),
			dimensionIds: (rows) => this.dimensionIds(c, tx, rows),
			sendAhead: (rows, supersededHeads) => this.sendAhead(c, tx, rows, supersededHeads),
			guard: (scope, ticketIds, now) => this.guard(c, tx, scope, ticketIds, now),
			write: (batch, mayCommit) => this.write(c, tx, batch, mayCommit),
		};
	}

	/**
	 * Everything a snapshot reads, in one statement (one round trip, prepared once per connection): the vendor-hour
	 * rollups, the rows at the windows' edges, the overflow states, the requested tickets' current decisions and, when
	 * asked, the latest decision time. Sub-results come back as JSON so one row carries them all.
	 */
	private async snapshotRows(
		c: PoolClient,
		scope: string,
		reads: SnapshotReads,
		ticketIds: readonly string[],
		withLatest: boolean,
	): Promise<SnapshotRows<string>> {
		const statement: QueryConfig = {
			name: this.prepared('snapshot'),
			text: `SELECT
				CASE WHEN $6 THEN (SELECT max(decided_at)::text FROM ${this.t('delegations')}) END AS latest,
				-- Day cells where a band holds whole days, hour cells around them (see SnapshotReads), summed per band: a few
				-- dozen sums instead of one per hour and vendor of the windows.
				(SELECT coalesce(json_agg(json_build_array(hour, kind, vendor, count, cost)), '[]') FROM (
					SELECT ($2::bigint[])[width_bucket(c.start, $2::bigint[])] AS hour, kind, vendor, sum(count) AS count, sum(cost) AS cost
					FROM (
						SELECT h.hour AS start, kind, vendor, count, cost FROM ${this.t('delegation_vendor_hours')} h
						JOIN unnest($3::bigint[], $9::bigint[]) AS r (a, b) ON h.hour >= r.a AND h.hour < r.b WHERE h.scope = $1
						UNION ALL
						SELECT d.day, kind, vendor, count, cost FROM ${this.t('delegation_vendor_days')} d
						JOIN unnest($10::bigint[], $11::bigint[]) AS r (a, b) ON d.day >= r.a AND d.day < r.b WHERE d.scope = $1
					) AS c
					GROUP BY 1, 2, 3) AS banded) AS hours,
				-- The windows' partial first hours: rows near each window's start, ten-minute cells for the rest.
				(SELECT coalesce(json_agg(json_build_array(decided_at, kind, vendor, cost, count)), '[]') FROM (
					SELECT ($8::bigint[])[width_bucket(e.at, $8::bigint[])] AS decided_at, kind, vendor, sum(cost) AS cost, sum(count) AS count
					FROM (
						-- Each range's rows through the time index, whatever the planner estimates: joined to the ranges
						-- as a plain join, a custom plan read the whole table in parallel (50-90 ms on 200,000 rows).
						SELECT d.at, d.kind, d.vendor, d.cost, 1 AS count FROM unnest($4::bigint[], $5::bigint[]) AS r (a, b)
						CROSS JOIN LATERAL (SELECT decided_at AS at, kind, vendor, cost_estimate AS cost FROM ${this.t('delegations')}
							WHERE scope = $1 AND decided_at >= r.a AND decided_at < r.b OFFSET 0) AS d
						UNION ALL
						SELECT t.start, kind, nullif(vendor, ''), cost, count FROM ${this.t('delegation_vendor_tens')} t
						JOIN unnest($12::bigint[], $13::bigint[]) AS r (a, b) ON t.start >= r.a AND t.start < r.b WHERE t.scope = $1
					) AS e
					GROUP BY 1, 2, 3) AS banded) AS edges,
				(SELECT coalesce(json_object_agg(rule_id, active), '{}') FROM ${this.t('overflow_state')} WHERE scope = $1) AS overflow,
				(SELECT coalesce(json_object_agg(vendor, below), '{}') FROM ${this.t('quality_state')} WHERE scope = $1) AS quality,
				-- Each requested ticket's head through the ticket index, whatever the planner estimates: as a join on the id
				-- list, a young ledger's plan hashed every head of the scope (0.15 ms per 100 heads, per batch), and with
				-- thousands of ids \`= ANY(array)\` read the whole table.
				(SELECT coalesce(json_agg(h), '[]') FROM (SELECT d.* FROM json_array_elements_text($7::json) AS requested (ticket_id)
					CROSS JOIN LATERAL (SELECT ${SELECT_RECORD} FROM ${this.t('delegations')}
						WHERE scope = $1 AND ticket_id = requested.ticket_id AND head OFFSET 0) AS d) AS h) AS heads`,
			values: [
				scope,
				reads.hourBounds,
				reads.hourRanges.map((r) => r[0]),
				reads.rowRanges.map((r) => r[0]),
				reads.rowRanges.map((r) => r[1]),
				withLatest,
				jsonArray(ticketIds),
				reads.edgeBounds,
				reads.hourRanges.map((r) => r[1]),
				reads.dayRanges.map((r) => r[0]),
				reads.dayRanges.map((r) => r[1]),
				reads.tenRanges.map((r) => r[0]),
				reads.tenRanges.map((r) => r[1]),
			],
		};
		const pinned = ticketIds.length <= GENERIC_PLAN_TICKETS;
		// The plan setting goes with the snapshot, in the same write; a failure of it fails the snapshot, which reports it.
		if (pinned) c.query(GENERIC_PLAN).catch(() => undefined);
		const reading = c.query<{
			latest: string | null;
			hours: unknown[][];
			edges: unknown[][];
			overflow: Record<string, boolean>;
			quality: Record<string, boolean>;
			heads: Row[];
		}>(statement);
		if (pinned) c.query(CHOSEN_PLAN).catch(() => undefined);
		const [r] = (await reading).rows;
		return {
			vendorHours: r.hours.map(([hour, kind, vendor, count, cost]) => ({
				hour: Number(hour),
				kind: kind as VendorHour['kind'],
				vendor: String(vendor),
				count: Number(count),
				cost: Number(cost),
			})),
			edgeRows: r.edges.map(([decidedAt, kind, vendor, cost, count]) => ({
				decidedAt: Number(decidedAt),
				kind: kind as EdgeRow['kind'],
				vendor: vendor === null ? null : String(vendor),
				costEstimate: Number(cost),
				count: Number(count),
			})),
			overflowActive: { ...r.overflow },
			qualityBelow: { ...r.quality },
			heads: r.heads.map((h) => {
				const record = toRecord(h);
				return { key: record.id, record };
			}),
			...(withLatest ? { latestDecidedAt: r.latest === null ? null : Number(r.latest) } : {}),
		};
	}

	/**
	 * The check of a batch decided on a guess (routeGuessedBatch), sent behind the lock and ahead of the write; the write
	 * awaits it. It fails when one of the tickets has a decision in the scope or the ledger holds a decision later than
	 * `now`, as PostgreSQL fails a cast: that aborts the transaction, so the write behind it and COMMIT change nothing.
	 * The failing value is read from a row, never a constant the planner could fold (and raise on) before running it.
	 */
	private guard(c: PoolClient, tx: Transaction, scope: string, ticketIds: readonly string[], now: number) {
		const checked = c
			.query({
				name: this.prepared('guard'),
				text: `SELECT (${GUESS_MISSED} || missed.reason)::int FROM (
					SELECT 'ticket ' || d.ticket_id AS reason FROM json_array_elements_text($2::json) AS requested (ticket_id)
					CROSS JOIN LATERAL (SELECT ticket_id FROM ${this.t('delegations')}
						WHERE scope = $1 AND ticket_id = requested.ticket_id AND head OFFSET 0) AS d
					UNION ALL
					SELECT 'decision at ' || latest FROM (SELECT max(decided_at) AS latest FROM ${this.t('delegations')}) AS l WHERE latest > $3
				) AS missed LIMIT 1`,
				values: [scope, jsonArray(ticketIds), now],
			})
			.catch((error: unknown) => {
				const message = error instanceof Error ? error.message : '';
				const at = message.indexOf(GUESS_MISSED_TEXT);
				if ((error as { code?: string }).code === '22P02' && at >= 0) throw new GuessMissed(message.slice(at + GUESS_MISSED_TEXT.length).replace(/"$/, ''));
				throw error;
			});
		// Awaited by the write; until then (or when the batch fails first) a failure must not count as unhandled.
		checked.catch(() => undefined);
		tx.ahead.push(checked);
	}

	/**
	 * Rows sent while the rest of the batch is being decided: the server stores them meanwhile, on its own core, and the
	 * write carries only what is left. Only rows whose dimensions this process knows go (a new dimension's id is a round
	 * trip away); their answers are awaited with the write's. The heads they supersede stop being heads first.
	 */
	private sendAhead(c: PoolClient, tx: Transaction, rows: readonly NewDelegation[], supersededHeads: string[]): number[] | null {
		const ids = new Array<number>(rows.length);
		for (let i = 0; i < rows.length; i++) {
			const id = this.dimensions.idOf(rows[i]) ?? tx.dimensions.idOf(rows[i]);
			if (id === undefined) return null;
			ids[i] = id;
		}
		const values: unknown[] = [];
		const { dimensions, insert } = this.rowsSql(rows, new Array<boolean>(rows.length).fill(true), ids, (value) => `$${values.push(value)}`);
		const statement = { name: this.prepared('ahead'), text: `WITH dimensions AS MATERIALIZED (${dimensions}) ${insert}`, values };
		const sending = sentTogether(c, () => [
			...(supersededHeads.length > 0 ? [this.supersedeHeads(c, supersededHeads)] : []),
			c.query(statement),
		]);
		for (const pending of sending) {
			// Awaited by the write; until then (or when the batch fails first) a failure must not count as unhandled.
			pending.catch(() => undefined);
			tx.ahead.push(pending);
		}
		return ids;
	}

	private supersedeHeads(c: PoolClient, ids: readonly string[]) {
		return c.query(`UPDATE ${this.t('delegations')} d SET head = NULL FROM unnest($1::text[]) AS s (id) WHERE d.id = s.id`, [ids]);
	}

	/**
	 * The batch's writes. Superseding earlier heads (re-routes) goes first, on its own; then the rows, both rollups, the
	 * overflow and quality states and the vendor terms in one statement of data-modifying CTEs (one round trip,
	 * prepared once per connection).
	 */
	private async write(c: PoolClient, tx: Transaction, batch: BatchWrite<string>, mayCommit?: Promise<unknown>) {
		const statement = this.writeStatement(batch);
		// Sent one after the other without waiting (the connection pipelines), in one write, COMMIT last: one round trip.
		// The server runs them in order; after a failed one the rest fail too and COMMIT only rolls back. Uncommitted, the
		// rows are seen by no one else: if `mayCommit` rejects, the transaction's ROLLBACK goes out behind them. Allowed
		// already (the credential was read while the snapshot was on its way), COMMIT goes with them.
		const commitNow = mayCommit === undefined || allowed.has(mayCommit);
		const sent = sentTogether(c, () => {
			const sending: Array<Promise<unknown>> = [];
			if (batch.supersededHeads.length > 0) sending.push(this.supersedeHeads(c, batch.supersededHeads));
			if (batch.supersededTickets.length > 0) {
				sending.push(
					c.query(
						`UPDATE ${this.t('delegations')} d SET head = NULL FROM unnest($2::text[]) AS t (ticket_id)
						WHERE d.scope = $1 AND d.head AND d.ticket_id = t.ticket_id`,
						[batch.scope, batch.supersededTickets],
					),
				);
			}
			sending.push(c.query(statement));
			if (commitNow) sending.push((tx.committed = c.query('COMMIT')));
			return sending;
		});
		if (!commitNow) {
			// A statement that failed already (a guess that missed) fails the batch now, not once the credential is read:
			// the batch is then decided again while the read goes on. firstFailure handles every statement's failure from
			// here on, so none counts as unhandled while COMMIT waits (or when the credential moved and it never goes).
			await Promise.race([mayCommit!, firstFailure([...tx.ahead, ...sent])]);
			sent.push((tx.committed = c.query('COMMIT')));
		}
		await inOrder([...tx.ahead, ...sent]);
	}

	/** The statement writing the batch's rows, rollups, states and terms, with its values. */
	private writeStatement(batch: BatchWrite<string>): QueryConfig {
		const vendor = <K extends keyof VendorCell>(k: K) => batch.vendorCells.map((x) => x[k]);
		const overflow = Object.entries(batch.overflowActive);
		const quality = Object.entries(batch.qualityBelow ?? {});
		const terms = batch.terms;
		const values: unknown[] = [];
		/** The next parameter, with its value. */
		const p = (value: unknown) => `$${values.push(value)}`;
		const scope = p(batch.scope);
		const rows = this.rowsSql(batch.rows, batch.isHead, batch.dimensionIds, p);
		// The batch's ten-minute vendor cells, read by the three vendor rollups (hours and days sum them).
		const vendorCells = `unnest(${p(vendor('start'))}::bigint[], ${p(vendor('kind'))}::text[], ${p(vendor('vendor'))}::text[],
			${p(vendor('count'))}::bigint[], ${p(vendor('cost'))}::float8[]) AS c (start, kind, vendor, count, cost)`;
		const vendorRollups = VENDOR_ROLLUPS.map(
			({ table, start, grain }) => `${start}s AS (
				INSERT INTO ${this.t(table)} AS t (scope, ${start}, kind, vendor, count, cost)
				SELECT ${scope}, (c.start / ${grain}) * ${grain}, c.kind, c.vendor, sum(c.count), sum(c.cost) FROM ${vendorCells} GROUP BY 2, 3, 4
				ON CONFLICT (scope, ${start}, kind, vendor) DO UPDATE SET count = t.count + excluded.count, cost = t.cost + excluded.cost
			)`,
		);
		return {
			name: this.prepared('write'),
			text: `WITH dimensions AS MATERIALIZED (
				${rows.dimensions}
			), inserted AS (
				${rows.insert}
			), cells AS (
				${this.upsertCellsSql(cellColumns(batch.cells).map(p))}
			), ${vendorRollups.join(', ')}, overflow AS (
				INSERT INTO ${this.t('overflow_state')} (scope, rule_id, active)
				SELECT ${scope}, * FROM unnest(${p(overflow.map(([k]) => k))}::text[], ${p(overflow.map(([, v]) => v))}::bool[])
				ON CONFLICT (scope, rule_id) DO UPDATE SET active = excluded.active
			), quality AS (
				-- Absent quality state: the batch leaves it as it was (no rows).
				INSERT INTO ${this.t('quality_state')} (scope, vendor, below)
				SELECT ${scope}, * FROM unnest(${p(quality.map(([k]) => k))}::text[], ${p(quality.map(([, v]) => v))}::bool[])
				ON CONFLICT (scope, vendor) DO UPDATE SET below = excluded.below
			), terms AS (
				-- Terms already recorded for (scope, policy version, vendor) are left as they are.
				INSERT INTO ${this.t('decision_terms')} (scope, policy_version, vendor, dpa, data_regions, allowed_fields)
				SELECT ${scope}, * FROM unnest(${p(terms.map((t) => t.policyVersion))}::text[], ${p(terms.map((t) => t.vendor))}::text[],
					${p(terms.map((t) => t.dpa))}::bool[], ${p(terms.map((t) => JSON.stringify(t.dataRegions)))}::text[],
					${p(terms.map((t) => JSON.stringify(t.allowedFields)))}::text[])
				ON CONFLICT (scope, policy_version, vendor) DO NOTHING
			)
			SELECT 1`,
			values,
		};
	}

	/**
	 * The INSERT of `rows`, reading their dimensions' fields from `d`, the one row of arrays `dimensions` selects (a CTE
	 * named `dimensions` before it), with its parameters added through `p`.
	 */
	private rowsSql(
		rows: readonly NewDelegation[],
		isHead: readonly boolean[],
		dimensionIds: readonly number[],
		p: (value: unknown) => string,
	): { dimensions: string; insert: string } {
		const columns = columnsJson(rows);
		const heads = headsJson(isHead);
		const found = batchDimensions(dimensionIds);
		const sentColumns = SENT_COLUMNS.map(({ column }) => column).join(', ');
		const dimensions = dimensionArrays(this.t('delegation_dimensions'), p(found.ids));
		const insert = `INSERT INTO ${this.t('delegations')} (${INSERT_COLUMNS.join(', ')})
				SELECT ${typedColumns(columns.map(({ same }) => p(same)))}, 'routed', coalesce(r.head, ${p(heads.same)})::bool, d.id[r.dimension::int]
				FROM ROWS FROM (${columnsFrom([...columns.map(({ json }) => json), heads.json, found.positions].map(p))})
					WITH ORDINALITY AS r (${sentColumns}, head, dimension, n)
				CROSS JOIN dimensions d
				ORDER BY r.n`;
		return { dimensions, insert };
	}

	private async updateOutcomes(c: PoolClient, writes: ReadonlyArray<{ key: string; record: DelegationRecord }>) {
		if (writes.length === 0) return;
		await c.query(
			`UPDATE ${this.t('delegations')} d SET ${OUTCOME_COLUMNS.map(({ column }) => `${column} = u.${column}`).join(', ')}
			FROM unnest($1::text[], ${OUTCOME_COLUMNS.map(({ type }, i) => `$${i + 2}::${type}[]`).join(', ')})
				AS u (id, ${OUTCOME_COLUMNS.map(({ column }) => column).join(', ')})
			WHERE d.id = u.id`,
			[writes.map((w) => w.key), ...OUTCOME_COLUMNS.map(({ field }) => writes.map(({ record }) => record[field]))],
		);
	}

	private async handoffView(c: PoolClient, scope: string, decisionId: string): Promise<HandoffView> {
		const { rows } = await c.query<Row>(
			`SELECT head, ${SELECT_RECORD} FROM ${this.t('delegations')} WHERE id = $1 AND scope = $2`,
			[decisionId, scope],
		);
		if (rows.length === 0) return { decision: null, current: false, terms: null, handoff: null };
		const decision = toRecord(rows[0]);
		let terms = null;
		if (decision.vendor) {
			const found = await c.query<Row>(
				`SELECT * FROM ${this.t('decision_terms')} WHERE scope = $1 AND policy_version = $2 AND vendor = $3`,
				[scope, decision.policyVersion, decision.vendor],
			);
			terms = toTerms(found.rows[0]);
		}
		const handoff = await c.query<Row>(`SELECT ${SELECT_HANDOFF} FROM ${this.t('handoffs')} WHERE decision_id = $1`, [decisionId]);
		return { decision, current: rows[0].head === true, terms, handoff: handoff.rows[0] ? toHandoff(handoff.rows[0]) : null };
	}

	private async saveHandoff(c: PoolClient, h: HandoffRecord) {
		const columns = HANDOFF_COLUMNS.map((col) => col.column);
		await c.query(
			`INSERT INTO ${this.t('handoffs')} (${columns.join(', ')})
			VALUES (${HANDOFF_COLUMNS.map(({ type }, i) => `$${i + 1}::${type}`).join(', ')})
			ON CONFLICT (decision_id) DO UPDATE SET ${columns.slice(1).map((col) => `${col} = excluded.${col}`).join(', ')}`,
			handoffValues(h),
		);
	}

	private async upsertCells(c: PoolClient, cells: RollupCell[]) {
		const values = cellColumns(cells);
		await c.query({ name: this.prepared('cells'), text: this.upsertCellsSql(values.map((_, i) => `$${i + 1}`)), values });
	}

	/** The rollup upsert of the 12 cell column arrays `params` name (as `cellColumns` orders them). */
	private upsertCellsSql(params: readonly string[]): string {
		const p = (i: number) => params[i];
		return `INSERT INTO ${this.t('delegation_rollup')} AS t (grain, bucket, scope, dimension_id, count, cost, sla_known, sla_met,
				reopened, outcome_known, csat_sum, csat_count)
			SELECT * FROM unnest(${p(0)}::bigint[], ${p(1)}::bigint[], ${p(2)}::text[], ${p(3)}::int[], ${p(4)}::bigint[], ${p(5)}::float8[],
				${p(6)}::bigint[], ${p(7)}::bigint[], ${p(8)}::bigint[], ${p(9)}::bigint[], ${p(10)}::float8[], ${p(11)}::bigint[])
			ON CONFLICT (grain, bucket, scope, dimension_id) DO UPDATE SET
				count = t.count + excluded.count, cost = t.cost + excluded.cost, sla_known = t.sla_known + excluded.sla_known,
				sla_met = t.sla_met + excluded.sla_met, reopened = t.reopened + excluded.reopened,
				outcome_known = t.outcome_known + excluded.outcome_known, csat_sum = t.csat_sum + excluded.csat_sum,
				csat_count = t.csat_count + excluded.csat_count`;
	}

	/** A statement name for this schema, so pg parses and plans it once per connection (names are per connection). */
	private prepared(kind: string): string {
		return `sd_${kind}_${this.statementTag}`;
	}

	/**
	 * The rows' dimension ids: at once when this process knows them all (the write then leaves with what was sent before
	 * it, see routeGuessedBatch), else after the new ones are created.
	 */
	private dimensionIds(c: PoolClient, tx: Transaction, rows: readonly NewDelegation[]): number[] | Promise<number[]> {
		// As in the SQLite ledger: one cache lookup per row by its own fields; only the dimensions new to the cache are
		// copied out.
		const ids = rows.map((r) => this.dimensions.idOf(r));
		const unknown = rows.filter((_, i) => ids[i] === undefined);
		return unknown.length === 0 ? (ids as number[]) : this.createDimensions(c, tx, rows, ids, unknown);
	}

	/** Creates the dimensions first seen in this batch (in key order: no lock cycles), then gives every row's id. */
	private async createDimensions(
		c: PoolClient,
		tx: Transaction,
		rows: readonly NewDelegation[],
		ids: ReadonlyArray<number | undefined>,
		unknown: NewDelegation[],
	): Promise<number[]> {
		const missing = this.dimensions.missing(unknown).map(dimensionOf);
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
		for (const r of found) tx.dimensions.learn(Number(r.id), toDimension(r));
		return rows.map((r, i) => ids[i] ?? tx.dimensions.idOf(r)!);
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
			// pool.query listens for the connection's errors and drops a connection that failed.
			return await this.pool.query<R & import('pg').QueryResultRow>(sql, params);
		} catch (error) {
			throw postgresFailure(error, this.location, this.timeouts);
		}
	}

	/**
	 * One transaction; with a scope, first the scope's advisory lock, so the snapshot read next is the state
	 * every other writer of that scope left and will see. Every limit is the connection's (set when it was opened):
	 * lock_timeout bounds the wait for the scope's lock, statement_timeout each statement, and the client gives up on
	 * a server that stops answering. A connection in doubt is never rolled back over or reused: it is destroyed.
	 * The pool's connections pipeline: BEGIN and the lock are not waited for, `fn`'s first statement goes out behind
	 * them (the server still runs it only once the lock is granted).
	 */
	private transaction<T>(scope: string | null, fn: (c: PoolClient, tx: Transaction) => Promise<T>): Promise<T> {
		return this.transactionOn(scope, fn, () => this.transactionOn(scope, fn, null));
	}

	/**
	 * `again` runs the transaction once more when a pooled connection the server ended while it sat idle (a restart,
	 * idle_session_timeout, an administrator), handed out before the client read the server's notice, failed at BEGIN:
	 * nothing of the transaction ran, so it runs on another connection instead of failing the execution.
	 */
	private async transactionOn<T>(
		scope: string | null,
		fn: (c: PoolClient, tx: Transaction) => Promise<T>,
		again: (() => Promise<T>) | null,
	): Promise<T> {
		let client: PoolClient;
		try {
			client = await this.pool.connect();
		} catch (error) {
			throw postgresFailure(error, this.location, this.timeouts);
		}
		const reused = this.used.has(client);
		this.used.add(client);
		let broken = false;
		// A checked-out connection has no listener of the pool's: without this one, a connection cut mid-batch
		// would raise an uncaught 'error' and take the n8n process down.
		const onError = () => {
			broken = true;
		};
		client.on('error', onError);
		// READ COMMITTED on purpose: every statement after the lock sees what the previous holder committed
		// (REPEATABLE READ would pin the snapshot before the lock was granted). Read-only snapshots pin theirs.
		const tx: Transaction = { committed: null, dimensions: this.dimensions.pending(), ahead: [] };
		// BEGIN (with the lock) and the statement `fn` sends first leave in one write.
		const [begun, running] = sentTogether(client, () => {
			const begin = scope === null ? client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY') : this.beginLocked(client, scope);
			// Awaited below; until then its failure must not count as unhandled.
			begin.catch(() => undefined);
			return [begin, (async () => fn(client, tx))()] as const;
		});
		try {
			const result = await running;
			await begun;
			await (tx.committed ?? client.query('COMMIT'));
			tx.dimensions.committed();
			return result;
		} catch (failure) {
			// When BEGIN or the lock failed, every statement behind it failed for that reason: report the first cause.
			const beginFailure = await begun.then(
				() => null,
				(cause: unknown) => cause,
			);
			const error = beginFailure ?? failure;
			if (broken || connectionBroken(error)) broken = true;
			else await client.query('ROLLBACK').catch(() => (broken = true));
			// Not awaited: `finally` releases the ended connection at once.
			if (again && reused && beginFailure !== null && connectionEnded(beginFailure)) return again();
			throw postgresFailure(error, this.location, this.timeouts);
		} finally {
			client.removeListener('error', onError);
			// release(true) ends the connection (a hung one is destroyed) and the pool opens a fresh one when needed.
			client.release(broken);
		}
	}

	/**
	 * BEGIN and the scope's advisory lock in one message (two statements of one simple query; the key is a
	 * literal escaped by the driver). Waits at most Lock Wait: lock_timeout covers advisory locks too.
	 */
	private async beginLocked(client: PoolClient, scope: string) {
		const key = client.escapeLiteral(`support-delegation:${this.schema}:${scope}`);
		try {
			await client.query(`BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
		} catch (error) {
			throw postgresFailure(error, this.location, this.timeouts, scope);
		}
	}
}

/**
 * The `mayWrite` promises seen resolved, from routeBatch's call on: a batch whose write finds its own here sends
 * COMMIT with the write, in the same round trip (awaiting the promise there would send COMMIT after the write left).
 */
const allowed = new WeakSet<Promise<unknown>>();

/**
 * A snapshot of a few tickets runs its statement's generic plan, made once per connection; every other statement,
 * and a larger snapshot, keeps the plan PostgreSQL chooses. With windows to read (a policy with caps), PostgreSQL's
 * choice for the snapshot was a custom plan made at every bind: 0.6–0.9 ms of a one-ticket batch on a 1,000,000-row
 * ledger, against 0.2 ms with the generic plan. For 10,000 tickets the custom plans were the faster ones.
 * Pinned for the snapshot statement alone (SET LOCAL before it, back to the default after it, all in its write): set
 * for the whole transaction, the write statement too was planned generically, and the next 10,000-ticket batch in
 * real n8n took 387–458 ms where it took 241 ms.
 */
export const GENERIC_PLAN_TICKETS = 50;

/**
 * Batches of at most this many tickets whose decisions depend on nothing but their tickets' own (SnapshotRequest.
 * ticketsOnly) are decided before the snapshot and checked with the write: one round trip instead of two. Intake is
 * mostly one ticket per execution; a large batch has many more chances to hold a ticket seen before, and its rows go
 * ahead of the write while it is decided, which the check would hold back.
 */
const GUESSED_TICKETS = 50;
const GUESS_MISSED_TEXT = 'support-delegation: decided on a guess: ';
const GUESS_MISSED = `'${GUESS_MISSED_TEXT}'`;
const GENERIC_PLAN = 'SET LOCAL plan_cache_mode = force_generic_plan';
const CHOSEN_PLAN = 'SET LOCAL plan_cache_mode TO DEFAULT';

/** A transaction's state its statements share. */
interface Transaction {
	/** A COMMIT already sent behind the last write. */
	committed: Promise<unknown> | null;
	/** Dimensions this transaction created or first saw (transactions here run concurrently: one set each). */
	dimensions: PendingDimensions;
	/** The statements of rows sent ahead of the write (see sendAhead). */
	ahead: Array<Promise<unknown>>;
}

/**
 * Awaits statements sent on one connection, in the order sent. After a failed statement the server fails the rest for
 * that reason (the transaction is aborted), so the first failure in that order is the cause to report, whichever
 * answer the client happened to settle first.
 */
async function inOrder(sent: ReadonlyArray<Promise<unknown>>): Promise<void> {
	for (const pending of sent) pending.catch(() => undefined);
	for (const pending of sent) await pending;
}

/** Rejects as inOrder does as soon as one of `sent` has failed; never settles while none has. */
function firstFailure(sent: ReadonlyArray<Promise<unknown>>): Promise<never> {
	return new Promise((_, reject) => {
		for (const pending of sent) pending.catch(() => inOrder(sent).catch(reject));
	});
}

/** The rollup cells as the upsert's 12 column arrays. */
function cellColumns(cells: readonly RollupCell[]): unknown[][] {
	const col = <K extends keyof RollupCell>(k: K) => cells.map((cell) => cell[k]);
	return [
		col('grain'), col('bucket'), col('scope'), col('dimensionId'), col('count'), col('cost'), col('slaKnown'),
		col('slaMet'), col('reopened'), col('outcomeKnown'), col('csatSum'), col('csatCount'),
	];
}

/** Drops keys set to undefined, so they do not hide the defaults they leave unset. */
function definedOnly<T extends object>(value: Partial<T>): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}
