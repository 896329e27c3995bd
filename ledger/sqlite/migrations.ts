import type { DatabaseSync } from 'node:sqlite';

import { LedgerUnavailableError } from '../errors';
import { sqliteFailure } from './errors';
import { rollback } from './rollback';
import { dimensionKey } from '../planning/rollup';
import { backfillEightDayGrain } from '../sql/coarse-grains';
import { toDimension } from '../sql/dimensions';

/**
 * Forward-only schema migrations of the embedded ledger. A migration runs once, inside the same
 * BEGIN IMMEDIATE transaction as the schema_version row that records it, so a crash mid-migration
 * leaves the file at the previous version.
 */
export const SQLITE_MIGRATIONS: Array<{ version: number; apply: (db: DatabaseSync) => void }> = [
	{
		version: 1,
		apply: (db) =>
			db.exec(`
				CREATE TABLE delegations (
					seq INTEGER PRIMARY KEY,
					id TEXT NOT NULL UNIQUE,
					scope TEXT NOT NULL,
					ticket_id TEXT NOT NULL,
					decided_at INTEGER NOT NULL,
					destination TEXT NOT NULL,
					kind TEXT NOT NULL,
					vendor TEXT,
					contract TEXT,
					reason TEXT NOT NULL,
					rule_id TEXT,
					guardrail TEXT,
					policy_version TEXT NOT NULL,
					channel TEXT,
					language TEXT,
					topic TEXT,
					priority TEXT,
					cost_estimate REAL NOT NULL DEFAULT 0,
					workflow_id TEXT,
					execution_id TEXT,
					previous_id TEXT,
					status TEXT NOT NULL DEFAULT 'routed',
					handed_off_at INTEGER,
					provider_reference TEXT,
					first_response_at INTEGER,
					resolved_at INTEGER,
					sla_met INTEGER,
					csat REAL,
					reopened INTEGER,
					error_class TEXT,
					-- 1 for the ticket's current decision, NULL once superseded (NULLs never collide in a unique index).
					head INTEGER DEFAULT 1 CHECK (head = 1)
				);
				-- One current decision per ticket and scope (a second can only be written by superseding the first);
				-- the same index finds all decisions of a ticket.
				CREATE UNIQUE INDEX delegations_ticket ON delegations (scope, ticket_id, head);
				CREATE INDEX delegations_time ON delegations (decided_at);
				CREATE INDEX delegations_vendor ON delegations (vendor, decided_at);
				CREATE TABLE overflow_state (
					scope TEXT NOT NULL,
					rule_id TEXT NOT NULL,
					active INTEGER NOT NULL,
					PRIMARY KEY (scope, rule_id)
				) WITHOUT ROWID;
			`),
	},
	{
		version: 2,
		apply: (db) => {
			db.exec(`
				ALTER TABLE delegations ADD COLUMN dimension_id INTEGER;
				CREATE TABLE delegation_dimensions (
					id INTEGER PRIMARY KEY,
					key TEXT NOT NULL UNIQUE,
					kind TEXT NOT NULL,
					vendor TEXT,
					reason TEXT NOT NULL,
					topic TEXT,
					channel TEXT,
					language TEXT
				);
				CREATE TABLE delegation_rollup (
					grain INTEGER NOT NULL,
					bucket INTEGER NOT NULL,
					scope TEXT NOT NULL,
					dimension_id INTEGER NOT NULL,
					count INTEGER NOT NULL,
					cost REAL NOT NULL,
					sla_known INTEGER NOT NULL,
					sla_met INTEGER NOT NULL,
					reopened INTEGER NOT NULL,
					outcome_known INTEGER NOT NULL,
					csat_sum REAL NOT NULL,
					csat_count INTEGER NOT NULL,
					PRIMARY KEY (grain, bucket, scope, dimension_id)
				) WITHOUT ROWID;
				CREATE TABLE delegation_vendor_hours (
					scope TEXT NOT NULL,
					hour INTEGER NOT NULL,
					kind TEXT NOT NULL,
					vendor TEXT NOT NULL,
					count INTEGER NOT NULL,
					cost REAL NOT NULL,
					PRIMARY KEY (scope, hour, kind, vendor)
				) WITHOUT ROWID;
			`);
			backfillRollups(db);
		},
	},
	{
		version: 3,
		apply: (db) => db.exec(backfillEightDayGrain('delegation_rollup')),
	},
	{
		// Each decision keeps the terms it matched, so one read back from the ledger still says why.
		version: 4,
		apply: (db) => db.exec(`ALTER TABLE delegations ADD COLUMN matched TEXT`),
	},
	{
		// Vendor callbacks recorded, so the same callback (same signed bytes, or the same callback id of that vendor)
		// is answered again and never applied twice, across restarts and every process sharing the ledger.
		version: 5,
		apply: (db) =>
			db.exec(`
				CREATE TABLE callback_receipts (
					vendor TEXT NOT NULL,
					receipt_hash TEXT NOT NULL,
					callback_id TEXT,
					scope TEXT NOT NULL,
					ticket_id TEXT NOT NULL,
					decision_id TEXT NOT NULL,
					received_at INTEGER NOT NULL,
					answer_status INTEGER NOT NULL,
					answer TEXT NOT NULL,
					PRIMARY KEY (vendor, receipt_hash)
				) WITHOUT ROWID;
				CREATE UNIQUE INDEX callback_receipts_id ON callback_receipts (vendor, callback_id);
			`),
	},
	{
		// Hand-offs checked against the ledger and sent exactly once: the terms each policy version gave each vendor
		// (what Provider Handoff enforces), and each decision's hand-off (intent before the request, result after).
		version: 6,
		apply: (db) =>
			db.exec(`
				CREATE TABLE decision_terms (
					scope TEXT NOT NULL,
					policy_version TEXT NOT NULL,
					vendor TEXT NOT NULL,
					dpa INTEGER NOT NULL,
					data_regions TEXT NOT NULL,
					allowed_fields TEXT NOT NULL,
					PRIMARY KEY (scope, policy_version, vendor)
				) WITHOUT ROWID;
				CREATE TABLE handoffs (
					decision_id TEXT PRIMARY KEY,
					scope TEXT NOT NULL,
					ticket_id TEXT NOT NULL,
					vendor TEXT NOT NULL,
					idempotency_key TEXT NOT NULL UNIQUE,
					state TEXT NOT NULL,
					sends INTEGER NOT NULL,
					started_at INTEGER NOT NULL,
					finished_at INTEGER,
					provider_reference TEXT,
					http_status INTEGER,
					error_class TEXT
				);
			`),
	},
	{
		// Quality guardrails: each vendor's finished delegations newest first, read from a partial index holding only
		// those (a batch reads N entries, not the vendor's open work) and covering the outcome columns (a window's sample
		// is summed from the index alone); and the below/above state their hysteresis keeps.
		version: 7,
		apply: (db) =>
			db.exec(`
				CREATE INDEX delegations_closed ON delegations (scope, vendor, decided_at, status, sla_met, reopened, csat)
					WHERE status IN ('resolved', 'returned');
				CREATE TABLE quality_state (
					scope TEXT NOT NULL,
					vendor TEXT NOT NULL,
					below INTEGER NOT NULL,
					PRIMARY KEY (scope, vendor)
				) WITHOUT ROWID;
			`),
	},
	{
		// The vendor index keeps only vendors' decisions: internal ones are never looked up by vendor, and a batch no
		// longer adds an index entry for each of them. Measured, 10,000-row inserts with half of them internal, CPU,
		// interleaved: 67–75 → 58–73 ms.
		version: 8,
		apply: (db) =>
			db.exec(`
				DROP INDEX delegations_vendor;
				CREATE INDEX delegations_vendor ON delegations (vendor, decided_at) WHERE vendor IS NOT NULL;
			`),
	},
	{
		// The vendor-hour rollup summed per day too: a snapshot reads a month's window as ~30 day cells per vendor and
		// the hours around them, not ~720 hour cells (a one-ticket batch on a lived ledger read ~4,300 cells).
		version: 9,
		apply: (db) =>
			db.exec(`
				CREATE TABLE delegation_vendor_days (
					scope TEXT NOT NULL,
					day INTEGER NOT NULL,
					kind TEXT NOT NULL,
					vendor TEXT NOT NULL,
					count INTEGER NOT NULL,
					cost REAL NOT NULL,
					PRIMARY KEY (scope, day, kind, vendor)
				) WITHOUT ROWID;
				INSERT INTO delegation_vendor_days
				SELECT scope, (hour / 86400000) * 86400000, kind, vendor, sum(count), sum(cost)
				FROM delegation_vendor_hours GROUP BY 1, 2, 3, 4;
			`),
	},
	{
		// The vendor rollups gain a ten-minute grain, which the hour and day cells are then written from: a window's
		// partial first hour is read as ten-minute cells and at most 20 minutes of rows, not up to an hour of rows.
		// Filled from the decisions (the hour cells are too coarse to split).
		version: 10,
		apply: (db) =>
			db.exec(`
				CREATE TABLE delegation_vendor_tens (
					scope TEXT NOT NULL,
					start INTEGER NOT NULL,
					kind TEXT NOT NULL,
					vendor TEXT NOT NULL,
					count INTEGER NOT NULL,
					cost REAL NOT NULL,
					PRIMARY KEY (scope, start, kind, vendor)
				) WITHOUT ROWID;
				INSERT INTO delegation_vendor_tens
				SELECT scope, (decided_at / 600000) * 600000, kind, coalesce(vendor, ''), count(*), sum(cost_estimate)
				FROM delegations GROUP BY 1, 2, 3, 4;
			`),
	},
	{
		// The time index covers what a snapshot reads of the decisions at its windows' edges (scope, kind, vendor, cost),
		// so that read no longer looks each row up in the table. Measured on a lived ledger (1,000,000 decisions in 30
		// days, every cap set): the windows' read 550–920 -> 410–500 us per batch; a 10,000-decision INSERT ~2 ms more.
		version: 11,
		apply: (db) =>
			db.exec(`
				DROP INDEX delegations_time;
				CREATE INDEX delegations_time ON delegations (decided_at, scope, kind, vendor, cost_estimate);
			`),
	},
	{
		// What each recorded callback reported, so a callback id reused for another event is told apart from a retry.
		// Receipts written before stay without it and are answered as replays, as they were.
		version: 12,
		apply: (db) => db.exec(`ALTER TABLE callback_receipts ADD COLUMN report_hash TEXT`),
	},
];

/** Version 2 introduced the rollups: rows written by version 1 are counted into them here. */
function backfillRollups(db: DatabaseSync) {
	const insert = db.prepare(
		`INSERT INTO delegation_dimensions (key, kind, vendor, reason, topic, channel, language) VALUES (?, ?, ?, ?, ?, ?, ?)`,
	);
	const distinct = db
		.prepare(`SELECT DISTINCT kind, vendor, reason, topic, channel, language FROM delegations`)
		.all();
	for (const row of distinct) {
		const d = toDimension(row);
		insert.run(dimensionKey(d), d.kind, d.vendor, d.reason, d.topic, d.channel, d.language);
	}
	db.exec(`
		UPDATE delegations SET dimension_id = (
			SELECT d.id FROM delegation_dimensions d
			WHERE d.kind IS delegations.kind AND d.vendor IS delegations.vendor AND d.reason IS delegations.reason
				AND d.topic IS delegations.topic AND d.channel IS delegations.channel AND d.language IS delegations.language
		);
		INSERT INTO delegation_rollup
		SELECT g.grain, (decided_at / g.grain) * g.grain, scope, dimension_id, count(*), sum(cost_estimate),
			count(sla_met), coalesce(sum(sla_met), 0), coalesce(sum(reopened), 0), count(reopened),
			coalesce(sum(csat), 0), count(csat)
		FROM delegations, (SELECT 3600000 AS grain UNION ALL SELECT 86400000) g
		GROUP BY 1, 2, 3, 4;
		INSERT INTO delegation_vendor_hours
		SELECT scope, (decided_at / 3600000) * 3600000, kind, coalesce(vendor, ''), count(*), sum(cost_estimate)
		FROM delegations GROUP BY 1, 2, 3, 4;
	`);
}

export const SQLITE_SCHEMA_VERSION = SQLITE_MIGRATIONS[SQLITE_MIGRATIONS.length - 1].version;

/** Brings the file to the latest schema (creating it when new). Throws when the file is from a newer package. */
export function migrateSqlite(db: DatabaseSync, path: string, upTo = SQLITE_SCHEMA_VERSION) {
	db.exec('BEGIN IMMEDIATE');
	try {
		db.exec(`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`);
		const current = Number(
			(db.prepare('SELECT coalesce(max(version), 0) AS v FROM schema_version').get() as { v: number }).v,
		);
		if (current > SQLITE_SCHEMA_VERSION) {
			throw new LedgerUnavailableError(
				`The delegation ledger file ${path} has schema version ${current}, newer than this package understands ` +
					`(${SQLITE_SCHEMA_VERSION}). Update n8n-nodes-support-delegation; migrations are forward-only.`,
				path,
			);
		}
		const record = db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)');
		for (const m of SQLITE_MIGRATIONS) {
			if (m.version <= current || m.version > upTo) continue;
			m.apply(db);
			record.run(m.version, Date.now());
		}
		db.exec('COMMIT');
	} catch (error) {
		rollback(db);
		throw sqliteFailure(error, path);
	}
}
