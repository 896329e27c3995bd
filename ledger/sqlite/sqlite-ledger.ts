import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';

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
	RecordedTerms,
	RowsAhead,
	SeriesCell,
	SnapshotRequest,
} from '../model';
import { LedgerUnavailableError } from '../errors';
import { recordCallbackWith } from '../planning/callbacks';
import { receiptMatch, type ReceiptRowRead } from '../sql/receipts';
import { handoffOutcomeOn } from '../planning/handoff-outcome';
import { planOutcomes, type HeadRow, type OutcomeEntry } from '../planning/outcomes';
import { bucketOf, dimensionKey, dimensionOf, planRange, rollUp, toAggregateRow, type RollupCell, type VendorCell } from '../planning/rollup';
import { foldSeries, planSeries, type SeriesRow } from '../planning/series';
import { OUTCOME_COLUMNS, SELECT_RECORD, toRecord, type SqlValue } from '../sql/columns';
import { sampleParams, toQualityCounts } from '../sql/quality';
import { seriesSql } from '../sql/series';
import { readSnapshot, routeBatchWith, type BatchStatements } from '../sql/route-batch';
import { HANDOFF_COLUMNS, SELECT_HANDOFF, handoffValues, toHandoff, toTerms } from '../sql/handoffs';
import { decodeCursor, encodeCursor } from '../sql/cursor';
import { DimensionCache, toDimension, type PendingDimensions } from '../sql/dimensions';
import { VENDOR_ROLLUPS } from '../sql/vendor-rollups';
import { DEFAULT_LOCK_WAIT_MS, SQLITE_BUSY_TIMEOUT_MS, whileBusy } from './busy';
import { sqliteFailure } from './errors';
import { INSERT_ROW_SQL, insertRow } from './insert-row';
import { loadSqlite } from './load';
import { migrateSqlite } from './migrations';
import { applyLedgerSettings } from './settings';
import { sqliteQualitySql } from './quality-sql';
import { rollback } from './rollback';
import { readWindows } from './window-reads';
import { dictionary } from '../../domain/shared/dictionary';

export interface SqliteLedgerOptions {
	/**
	 * How long an operation waits for another process's write lock before failing with "ledger busy" (ms), counted
	 * from the call. The wait is spent between event-loop turns, never inside SQLite.
	 */
	lockWaitMs?: number;
	/** Test hook: stop migrating at this schema version. */
	schemaVersion?: number;
}

/**
 * The embedded ledger: one SQLite file in WAL mode. Each batch is one BEGIN IMMEDIATE transaction
 * (SQLite's single writer lock), so every process that shares the file decides on the counts the
 * previous batch left, and a crash leaves either the whole batch or none of it.
 */
export class SqliteLedger implements Ledger {
	readonly backend = 'sqlite' as const;
	private readonly statements = new Map<string, StatementSync>();
	private readonly dimensions = new DimensionCache();
	/** The open transaction's dimensions (transactions here are exclusive: one at a time). */
	private pending: PendingDimensions | null = null;
	private closed = false;
	private queue: Promise<unknown> = Promise.resolve();

	private constructor(
		private readonly db: DatabaseSync,
		readonly location: string,
		private readonly lockWaitMs: number,
	) {}

	/** Opens (creating when new) and migrates the file; waits for another process's lock as every operation does. */
	static async open(path: string, options: SqliteLedgerOptions = {}): Promise<SqliteLedger> {
		const { DatabaseSync } = loadSqlite(path);
		const lockWaitMs = options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS;
		const started = Date.now();
		const deadline = started + lockWaitMs;
		let db: DatabaseSync | undefined;
		try {
			mkdirSync(dirname(path), { recursive: true });
			const opened = new DatabaseSync(path);
			db = opened;
			opened.exec(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
			await whileBusy(() => opened.exec('PRAGMA journal_mode = WAL'), deadline, path, started);
			applyLedgerSettings(opened);
			await whileBusy(() => migrateSqlite(opened, path, options.schemaVersion), deadline, path, started);
			return new SqliteLedger(opened, path, lockWaitMs);
		} catch (error) {
			db?.close();
			throw sqliteFailure(error, path);
		}
	}

	async routeBatch<T>(
		scope: string,
		request: SnapshotRequest,
		decide: (snapshot: LedgerSnapshot, ahead: RowsAhead) => BatchPlan<T>,
		mayWrite?: Promise<unknown>,
	): Promise<T> {
		// Waited for outside the transaction: an embedded ledger's lock is the whole file's.
		await mayWrite;
		return this.transaction(() => routeBatchWith(this.batch, scope, request, decide));
	}

	async snapshot(scope: string, request: SnapshotRequest): Promise<LedgerSnapshot> {
		return this.transaction(async () => (await readSnapshot(this.batch, scope, request)).snapshot, 'BEGIN');
	}

	async recordOutcomes(scope: string, entries: readonly OutcomeEntry[]): Promise<Array<DelegationRecord | null>> {
		if (entries.length === 0) return [];
		return this.transaction(() => this.applyOutcomes(scope, entries));
	}

	async recordCallback(scope: string, receipt: CallbackReceipt, plan: CallbackPlanner): Promise<CallbackResult> {
		return this.transaction(() =>
			recordCallbackWith(
				{
					findReceipt: (r) => {
						const row = this.stmt(
							`SELECT answer_status, answer, receipt_hash, report_hash FROM callback_receipts
							WHERE vendor = ? AND (receipt_hash = ? OR callback_id = ?) ORDER BY receipt_hash = ? DESC LIMIT 1`,
						).get(r.vendor, r.receiptHash, r.callbackId, r.receiptHash) as ReceiptRowRead | undefined;
						return row ? receiptMatch(row) : null;
					},
					current: (ticketId) => {
						const row = this.stmt(
							`SELECT ${SELECT_RECORD}, EXISTS (SELECT 1 FROM handoffs h WHERE h.decision_id = delegations.id) AS hand_off_begun
							FROM delegations WHERE scope = ? AND ticket_id = ? AND head = 1`,
						).get(scope, ticketId) as Record<string, SqlValue> | undefined;
						return row ? { decision: toRecord(row), handOffBegun: row.hand_off_begun === 1 } : null;
					},
					apply: (entry) => this.applyOutcomes(scope, [entry])[0]!,
					saveReceipt: (r) => {
						this.stmt(
							`INSERT INTO callback_receipts (vendor, receipt_hash, callback_id, report_hash, scope, ticket_id, decision_id, received_at,
								answer_status, answer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
						).run(r.vendor, r.receiptHash, r.callbackId, r.reportHash, r.scope, r.ticketId, r.decisionId, r.receivedAt, r.answer.status, JSON.stringify(r.answer.body));
					},
				},
				scope,
				receipt,
				plan,
			),
		);
	}

	/** Outcomes on the current decisions of their tickets, inside the caller's transaction. */
	private applyOutcomes(scope: string, entries: readonly OutcomeEntry[]): Array<DelegationRecord | null> {
		const heads = new Map<string, HeadRow<number>>();
		const ticketIds = [...new Set(entries.map((e) => e.ticketId))];
		const rows = this.stmt(
			`SELECT seq, dimension_id, ${SELECT_RECORD} FROM delegations WHERE scope = ? AND head = 1
			AND ticket_id IN (SELECT value FROM json_each(?))`,
		).all(scope, JSON.stringify(ticketIds)) as Array<Record<string, SqlValue>>;
		for (const r of rows) {
			const record = toRecord(r);
			heads.set(record.ticketId, { key: Number(r.seq), dimensionId: Number(r.dimension_id), record });
		}
		const plan = planOutcomes(heads, entries);
		this.updateOutcomes(plan.writes);
		this.upsertCells(rollUp(plan.deltas).cells);
		return plan.results;
	}

	async writeHandoffs<T>(scope: string, batch: HandoffBatch<T>): Promise<{ recorded: Array<DelegationRecord | null>; planned: T[] }> {
		if (batch.results.length === 0 && batch.requests.length === 0) return { recorded: [], planned: [] };
		return this.transaction(() => {
			const recorded = batch.results.map(({ handoff, outcome }) => this.finishOne(scope, handoff, outcome));
			const planned = batch.requests.map(({ decisionId, plan }) => {
				const { intent, result } = plan(this.handoffView(scope, decisionId));
				if (intent) this.saveHandoff(intent);
				return result;
			});
			return { recorded, planned };
		});
	}

	async decisionsOf(scope: string, ticketId: string): Promise<DelegationRecord[]> {
		return this.guard(() =>
			this.stmt(`SELECT ${SELECT_RECORD} FROM delegations WHERE scope = ? AND ticket_id = ? ORDER BY seq`)
				.all(scope, ticketId)
				.map((r) => toRecord(r as Record<string, SqlValue>)),
		);
	}

	async list(filter: DelegationFilter): Promise<DelegationPage> {
		const where: string[] = [];
		const params: Array<string | number> = [];
		const eq = (column: string, value: string | undefined) => {
			if (value === undefined) return;
			where.push(`${column} = ?`);
			params.push(value);
		};
		// `+scope`: never walk the ticket index for a scope (it would sort the whole scope); time or vendor order serves.
		eq('+scope', filter.scope);
		eq('vendor', filter.vendor);
		eq('kind', filter.kind);
		eq('reason', filter.reason);
		if (filter.status) {
			where.push(`status IN (SELECT value FROM json_each(?))`);
			params.push(JSON.stringify(filter.status));
		}
		if (filter.from !== undefined) {
			where.push('decided_at >= ?');
			params.push(filter.from);
		}
		if (filter.to !== undefined) {
			where.push('decided_at < ?');
			params.push(filter.to);
		}
		if (filter.cursor) {
			const after = decodeCursor(filter.cursor);
			where.push('(decided_at < ? OR (decided_at = ? AND id < ?))');
			params.push(after.decidedAt, after.decidedAt, after.id);
		}
		const limit = filter.limit ?? 100;
		const sql =
			`SELECT ${SELECT_RECORD} FROM delegations ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ` +
			`ORDER BY decided_at DESC, id DESC LIMIT ?`;
		return this.guard(() => {
			const rows = this.stmt(sql)
				.all(...params, limit + 1)
				.map((r) => toRecord(r as Record<string, SqlValue>));
			const more = rows.length > limit;
			if (more) rows.length = limit;
			const last = rows[rows.length - 1];
			return { rows, nextCursor: more && last ? encodeCursor(last) : null };
		});
	}

	async quality(scope: string | null, samples: readonly QualitySample[]): Promise<Record<string, QualityCounts>> {
		return this.guard(() => this.qualityCounts(scope, samples));
	}

	private qualityCounts(scope: string | null, samples: readonly QualitySample[]): Record<string, QualityCounts> {
		const counts = dictionary<QualityCounts>();
		for (const sample of samples) {
			const statement = this.stmt(sqliteQualitySql(scope !== null, sample.limit !== null));
			counts[sample.vendor] = toQualityCounts(statement.get(...sampleParams(sample, scope)) as Record<string, SqlValue>);
		}
		return counts;
	}

	async scopes(): Promise<string[]> {
		// The vendor-hours rollup has a row per scope and hour: its primary key starts with the scope.
		// Sorted here, not by the database, so every backend orders alike whatever its collation.
		return this.guard(() => this.stmt(`SELECT DISTINCT scope FROM delegation_vendor_hours`).all().map((r) => String((r as { scope: string }).scope)).sort());
	}

	async series(scope: string | null, bounds: readonly number[]): Promise<SeriesCell[]> {
		const plan = planSeries(bounds);
		if (bounds.length < 2) return [];
		const params: Array<string | number> = [];
		const bind = (value: unknown) => {
			params.push(value as string | number);
			return '?';
		};
		const sql = seriesSql(plan, scope, bind, (name) => name, 'INDEXED BY delegations_time');
		return this.guard(() => foldSeries(this.stmt(sql).all(...params) as unknown as SeriesRow[]));
	}

	async aggregate(scope: string | null, from: number, to: number): Promise<AggregateRow[]> {
		const plan = planRange(from, to);
		const scoped = scope === null ? '' : 'AND scope = ?';
		const rollup = (grain: number) =>
			`SELECT dimension_id, count, cost, sla_known, sla_met, reopened, outcome_known, csat_sum, csat_count
			FROM delegation_rollup WHERE grain = ${grain} AND bucket >= ? AND bucket < ? ${scoped}`;
		const rows = `SELECT dimension_id, 1, cost_estimate, sla_met IS NOT NULL, coalesce(sla_met, 0), coalesce(reopened, 0),
				reopened IS NOT NULL, coalesce(csat, 0), csat IS NOT NULL
			FROM delegations INDEXED BY delegations_time WHERE decided_at >= ? AND decided_at < ? ${scoped}`;
		const parts = [...plan.cells.flatMap(({ grain }) => [rollup(grain), rollup(grain)]), rows, rows];
		const sql = `SELECT dimension_id, sum(count) AS count, sum(cost) AS cost, sum(sla_known) AS sla_known,
				sum(sla_met) AS sla_met, sum(reopened) AS reopened, sum(outcome_known) AS outcome_known,
				sum(csat_sum) AS csat_sum, sum(csat_count) AS csat_count
			FROM (${parts.join(' UNION ALL ')})
			GROUP BY dimension_id`;
		const ranges = [...plan.cells.flatMap((c) => c.ranges), ...plan.rows];
		const params = ranges.flatMap(([a, b]) => (scope === null ? [a, b] : [a, b, scope]));
		return this.guard(() => {
			const groups = this.stmt(sql).all(...params) as Array<Record<string, number>>;
			this.loadDimensions(groups.map((g) => g.dimension_id));
			return groups.map((g) =>
				toAggregateRow(this.dimensions.get(g.dimension_id)!, {
					count: g.count,
					cost: g.cost,
					slaKnown: g.sla_known,
					slaMet: g.sla_met,
					reopened: g.reopened,
					outcomeKnown: g.outcome_known,
					csatSum: g.csat_sum,
					csatCount: g.csat_count,
				}),
			);
		});
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		this.db.close();
	}

	/** The batch steps in SQLite statements (each one call: the transaction is on this process's only connection). */
	private readonly batch: BatchStatements<number> = {
		snapshotRows: (scope, reads, ticketIds, withLatest) => {
			// Summed per band (see SnapshotReads), as PostgreSQL does: a lived ledger's month is thousands of vendor-hour
			// cells and its window edges a thousand rows or more, each a JavaScript object when returned one by one.
			const { vendorHours, edgeRows } = readWindows((sql) => this.stmt(sql), scope, reads);
			const overflowActive = dictionary<boolean>();
			for (const r of this.stmt('SELECT rule_id, active FROM overflow_state WHERE scope = ?').all(scope)) {
				overflowActive[String(r.rule_id)] = r.active === 1;
			}
			const heads =
				ticketIds.length === 0
					? []
					: this.stmt(
							`SELECT seq, ${SELECT_RECORD} FROM delegations WHERE scope = ? AND head = 1
							AND ticket_id IN (SELECT value FROM json_each(?))`,
						)
							.all(scope, JSON.stringify(ticketIds))
							.map((r) => ({ key: Number(r.seq), record: toRecord(r as Record<string, SqlValue>) }));
			const qualityBelow = dictionary<boolean>();
			for (const r of this.stmt('SELECT vendor, below FROM quality_state WHERE scope = ?').all(scope)) {
				qualityBelow[String(r.vendor)] = r.below === 1;
			}
			if (!withLatest) return { vendorHours, edgeRows, overflowActive, heads, qualityBelow };
			const { latest } = this.stmt('SELECT max(decided_at) AS latest FROM delegations').get() as { latest: number | bigint | null };
			return { vendorHours, edgeRows, overflowActive, heads, qualityBelow, latestDecidedAt: latest === null ? null : Number(latest) };
		},
		quality: (scope, samples) => this.qualityCounts(scope, samples),
		dimensionIds: (rows) => this.dimensionIds(rows),
		write: (batch) => {
			if (batch.supersededHeads.length > 0) {
				this.stmt(`UPDATE delegations SET head = NULL WHERE seq IN (SELECT value FROM json_each(?))`).run(
					JSON.stringify(batch.supersededHeads),
				);
			}
			if (batch.supersededTickets.length > 0) {
				this.stmt(
					`UPDATE delegations SET head = NULL WHERE scope = ? AND head = 1 AND ticket_id IN (SELECT value FROM json_each(?))`,
				).run(batch.scope, JSON.stringify(batch.supersededTickets));
			}
			this.insert(batch.rows, batch.isHead, batch.dimensionIds);
			this.upsertCells(batch.cells);
			this.upsertVendorCells(batch.vendorCells);
			this.saveOverflow(batch.scope, batch.overflowActive);
			if (batch.qualityBelow) this.saveQuality(batch.scope, batch.qualityBelow);
			this.saveTerms(batch.scope, batch.terms);
		},
	};

	/**
	 * One prepared single-row INSERT run per row, inside the batch's transaction. Measured on node:sqlite (Node 24,
	 * 10,000 rows): about a fifth less CPU than multi-row INSERTs of up to 1,365 rows (32,766 parameters), whose
	 * statements also held megabytes each in the statement cache, and about five times less than one INSERT reading
	 * the rows from a JSON parameter (json_each).
	 */
	private insert(rows: readonly NewDelegation[], isHead: readonly boolean[], dimensionIds: readonly number[]) {
		if (rows.length === 0) return;
		const insert = this.stmt(INSERT_ROW_SQL);
		for (let i = 0; i < rows.length; i++) insertRow(insert, rows[i], isHead[i], dimensionIds[i]);
	}

	private updateOutcomes(writes: ReadonlyArray<{ key: number; record: DelegationRecord }>) {
		if (writes.length === 0) return;
		// One statement for the whole batch: the new values travel as one JSON array of [seq, ...outcome columns].
		const values = writes.map(({ key, record }) => [key, ...OUTCOME_COLUMNS.map(({ field }) => sqlValue(record[field]))]);
		this.stmt(
			`UPDATE delegations SET ${OUTCOME_COLUMNS.map(({ column }, i) => `${column} = json_extract(u.value, '$[${i + 1}]')`).join(', ')}
			FROM json_each(?) AS u WHERE delegations.seq = json_extract(u.value, '$[0]')`,
		).run(JSON.stringify(values));
	}

	private finishOne(scope: string, handoff: HandoffRecord, outcome: HandoffResult['outcome']): DelegationRecord | null {
		this.saveHandoff(handoff);
		if (!outcome) return null;
		const row = this.stmt(
			`SELECT seq, dimension_id, ${SELECT_RECORD} FROM delegations WHERE scope = ? AND ticket_id = ? AND head = 1`,
		).get(scope, handoff.ticketId) as Record<string, SqlValue> | undefined;
		if (!row || row.id !== handoff.decisionId) return null;
		const record = toRecord(row);
		const update = handoffOutcomeOn(record, outcome);
		if (!update) return record;
		const heads = new Map([[handoff.ticketId, { key: Number(row.seq), dimensionId: Number(row.dimension_id), record }]]);
		const { results, writes, deltas } = planOutcomes(heads, [{ ticketId: handoff.ticketId, update }]);
		this.updateOutcomes(writes);
		this.upsertCells(rollUp(deltas).cells);
		return results[0];
	}

	private handoffView(scope: string, decisionId: string): HandoffView {
		const row = this.stmt(`SELECT head, ${SELECT_RECORD} FROM delegations WHERE id = ? AND scope = ?`).get(decisionId, scope) as
			| Record<string, SqlValue>
			| undefined;
		if (!row) return { decision: null, current: false, terms: null, handoff: null };
		const decision = toRecord(row);
		const terms = decision.vendor
			? toTerms(
					this.stmt(`SELECT * FROM decision_terms WHERE scope = ? AND policy_version = ? AND vendor = ?`).get(
						scope,
						decision.policyVersion,
						decision.vendor,
					) as Record<string, SqlValue> | undefined,
				)
			: null;
		const handoff = this.stmt(`SELECT ${SELECT_HANDOFF} FROM handoffs WHERE decision_id = ?`).get(decisionId) as
			| Record<string, SqlValue>
			| undefined;
		return { decision, current: row.head === 1, terms, handoff: handoff ? toHandoff(handoff) : null };
	}

	private saveHandoff(h: HandoffRecord) {
		const columns = HANDOFF_COLUMNS.map((c) => c.column);
		this.stmt(
			`INSERT INTO handoffs (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
			ON CONFLICT (decision_id) DO UPDATE SET ${columns.slice(1).map((c) => `${c} = excluded.${c}`).join(', ')}`,
		).run(...handoffValues(h));
	}

	private saveTerms(scope: string, terms: readonly RecordedTerms[]) {
		const insert = this.stmt(
			`INSERT INTO decision_terms (scope, policy_version, vendor, dpa, data_regions, allowed_fields) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (scope, policy_version, vendor) DO NOTHING`,
		);
		for (const t of terms) insert.run(scope, t.policyVersion, t.vendor, t.dpa ? 1 : 0, JSON.stringify(t.dataRegions), JSON.stringify(t.allowedFields));
	}

	private upsertCells(cells: RollupCell[]) {
		if (cells.length === 0) return;
		// One statement for all cells (they travel as one JSON array): a batch touches thousands of cells, and a call
		// per cell costs more than the upsert itself. `WHERE true` lets SQLite parse ON CONFLICT after a SELECT.
		const fields = ['grain', 'bucket', 'scope', 'dimension_id', 'count', 'cost', 'sla_known', 'sla_met', 'reopened', 'outcome_known', 'csat_sum', 'csat_count'];
		this.stmt(
			`INSERT INTO delegation_rollup (${fields.join(', ')})
			SELECT ${fields.map((_, i) => `value ->> ${i}`).join(', ')} FROM json_each(?) WHERE true
			ON CONFLICT (grain, bucket, scope, dimension_id) DO UPDATE SET
				count = count + excluded.count, cost = cost + excluded.cost, sla_known = sla_known + excluded.sla_known,
				sla_met = sla_met + excluded.sla_met, reopened = reopened + excluded.reopened,
				outcome_known = outcome_known + excluded.outcome_known, csat_sum = csat_sum + excluded.csat_sum,
				csat_count = csat_count + excluded.csat_count`,
		).run(
			JSON.stringify(
				cells.map((c) => [c.grain, c.bucket, c.scope, c.dimensionId, c.count, c.cost, c.slaKnown, c.slaMet, c.reopened, c.outcomeKnown, c.csatSum, c.csatCount]),
			),
		);
	}

	/** The batch's ten-minute vendor cells, into each vendor rollup at its grain. */
	private upsertVendorCells(cells: VendorCell[]) {
		for (const { table, start, grain } of VENDOR_ROLLUPS) {
			const upsert = this.stmt(
				`INSERT INTO ${table} (scope, ${start}, kind, vendor, count, cost) VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (scope, ${start}, kind, vendor) DO UPDATE SET count = count + excluded.count, cost = cost + excluded.cost`,
			);
			for (const c of cells) upsert.run(c.scope, bucketOf(c.start, grain), c.kind, c.vendor, c.count, c.cost);
		}
	}

	private saveOverflow(scope: string, state: Record<string, boolean>) {
		const upsert = this.stmt(
			`INSERT INTO overflow_state (scope, rule_id, active) VALUES (?, ?, ?)
			ON CONFLICT (scope, rule_id) DO UPDATE SET active = excluded.active`,
		);
		for (const [ruleId, active] of Object.entries(state)) upsert.run(scope, ruleId, active ? 1 : 0);
	}

	private saveQuality(scope: string, state: Record<string, boolean>) {
		const upsert = this.stmt(
			`INSERT INTO quality_state (scope, vendor, below) VALUES (?, ?, ?)
			ON CONFLICT (scope, vendor) DO UPDATE SET below = excluded.below`,
		);
		for (const [vendor, below] of Object.entries(state)) upsert.run(scope, vendor, below ? 1 : 0);
	}

	/** Dimension ids of the rows, creating the dimensions first seen in this batch. */
	private dimensionIds(rows: readonly NewDelegation[]): number[] {
		// One cache lookup per row, by the row's own dimension fields; only the rows whose dimension is new to the cache
		// (a batch's first of each, on a fresh process) are looked at again, and only their dimensions copied out.
		const ids = rows.map((r) => this.dimensions.idOf(r));
		const unknown = rows.filter((_, i) => ids[i] === undefined);
		if (unknown.length === 0) return ids as number[];
		const insert = this.stmt(
			`INSERT INTO delegation_dimensions (key, kind, vendor, reason, topic, channel, language) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET key = excluded.key RETURNING id`,
		);
		const pending = this.pending!;
		for (const d of this.dimensions.missing(unknown).map(dimensionOf)) {
			const { id } = insert.get(dimensionKey(d), d.kind, d.vendor, d.reason, d.topic, d.channel, d.language) as { id: number };
			pending.learn(id, d);
		}
		return rows.map((r, i) => ids[i] ?? pending.idOf(r)!);
	}

	private loadDimensions(ids: number[]) {
		const unknown = ids.filter((id) => this.dimensions.get(id) === undefined);
		if (unknown.length === 0) return;
		const rows = this.stmt(
			`SELECT id, kind, vendor, reason, topic, channel, language FROM delegation_dimensions
			WHERE id IN (SELECT value FROM json_each(?))`,
		).all(JSON.stringify(unknown));
		for (const r of rows) this.dimensions.remember(Number(r.id), toDimension(r));
	}

	private stmt(sql: string): StatementSync {
		let s = this.statements.get(sql);
		if (!s) {
			s = this.db.prepare(sql);
			this.statements.set(sql, s);
		}
		return s;
	}

	/**
	 * One operation at a time on this process's connection: a batch awaits between its steps, and another
	 * execution's batch or read must not run inside its transaction meanwhile.
	 */
	private exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
		const run = this.queue.then(fn);
		this.queue = run.catch(() => undefined);
		return run;
	}

	/** A read outside any transaction (each statement sees the latest commit); retried while the file is busy. */
	private guard<T>(fn: () => T): Promise<T> {
		const called = Date.now();
		return this.exclusive(async () => {
			this.assertOpen();
			try {
				return await whileBusy(fn, called + this.lockWaitMs, this.location, called);
			} catch (error) {
				throw sqliteFailure(error, this.location);
			}
		});
	}

	private assertOpen() {
		if (this.closed) throw new LedgerUnavailableError(`The delegation ledger ${this.location} is closed`, this.location);
	}

	/**
	 * BEGIN IMMEDIATE takes the write lock before reading, so the counts read are the counts written against.
	 * A plain BEGIN (read-only use) pins one WAL snapshot for all the reads of a dry run. Waiting for the lock
	 * counts from the call, so executions queued behind each other in this process share one Lock Wait.
	 */
	private transaction<T>(fn: () => T | Promise<T>, begin = 'BEGIN IMMEDIATE'): Promise<T> {
		const called = Date.now();
		return this.exclusive(async () => {
			this.assertOpen();
			try {
				await whileBusy(() => this.db.exec(begin), called + this.lockWaitMs, this.location, called);
			} catch (error) {
				throw sqliteFailure(error, this.location);
			}
			const pending = this.dimensions.pending();
			this.pending = pending;
			try {
				const result = await fn();
				// In WAL mode a COMMIT finds the file busy only in rare cases (a reader mid-recovery); the transaction
				// then stays open and the COMMIT can be tried again, with a Lock Wait of its own.
				const committing = Date.now();
				await whileBusy(() => this.db.exec('COMMIT'), committing + this.lockWaitMs, this.location, committing);
				pending.committed();
				return result;
			} catch (error) {
				rollback(this.db);
				throw sqliteFailure(error, this.location);
			} finally {
				this.pending = null;
			}
		});
	}
}

function sqlValue(v: unknown): Exclude<SqlValue, boolean> {
	if (v === undefined || v === null) return null;
	if (typeof v === 'boolean') return v ? 1 : 0;
	return v as Exclude<SqlValue, boolean>;
}

