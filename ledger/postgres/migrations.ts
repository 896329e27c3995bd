import type { ClientBase } from 'pg';

import { LedgerUnavailableError } from '../errors';
import { connectionBroken, postgresFailure } from './errors';
import type { PostgresTimeouts } from './timeouts';
import { dimensionKey } from '../planning/rollup';
import { backfillEightDayGrain } from '../sql/coarse-grains';
import { toDimension } from '../sql/dimensions';

/** Schema names are interpolated into DDL, so only plain identifiers are accepted. */
export function quoteSchema(schema: string): string {
	if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
		throw new Error(`Invalid PostgreSQL schema name "${schema}": use letters, digits and underscores`);
	}
	return `"${schema}"`;
}

/**
 * Forward-only migrations of the PostgreSQL ledger, each applied in one transaction with the schema_version row
 * that records it (PostgreSQL DDL is transactional), under an advisory lock so that n8n workers starting together
 * migrate once.
 */
export const POSTGRES_MIGRATIONS: Array<{ version: number; apply: (c: ClientBase, s: string) => Promise<void> }> = [
	{
		version: 1,
		apply: async (c, s) => {
			await c.query(`
				CREATE TABLE ${s}.delegations (
					-- Insertion order (a ticket's history); not indexed, so it costs nothing per insert.
					seq bigint GENERATED ALWAYS AS IDENTITY,
					id text COLLATE "C" PRIMARY KEY,
					scope text NOT NULL,
					ticket_id text NOT NULL,
					decided_at bigint NOT NULL,
					destination text NOT NULL,
					kind text NOT NULL,
					vendor text,
					contract text,
					reason text NOT NULL,
					rule_id text,
					guardrail text,
					policy_version text NOT NULL,
					channel text,
					language text,
					topic text,
					priority text,
					cost_estimate double precision NOT NULL DEFAULT 0,
					workflow_id text,
					execution_id text,
					previous_id text,
					status text NOT NULL DEFAULT 'routed',
					handed_off_at bigint,
					provider_reference text,
					first_response_at bigint,
					resolved_at bigint,
					sla_met boolean,
					csat double precision,
					reopened boolean,
					error_class text,
					-- true for the ticket's current decision, NULL once superseded (NULLs never collide in a unique index).
					head boolean DEFAULT true CHECK (head)
				);
				-- One current decision per ticket and scope (a second can only be written by superseding the first);
				-- the same index finds all decisions of a ticket.
				CREATE UNIQUE INDEX delegations_ticket ON ${s}.delegations (scope, ticket_id, head);
				CREATE INDEX delegations_time ON ${s}.delegations (decided_at);
				CREATE INDEX delegations_vendor ON ${s}.delegations (vendor, decided_at);
				CREATE TABLE ${s}.overflow_state (
					scope text NOT NULL,
					rule_id text NOT NULL,
					active boolean NOT NULL,
					PRIMARY KEY (scope, rule_id)
				);
			`);
		},
	},
	{
		version: 2,
		apply: async (c, s) => {
			await c.query(`
				ALTER TABLE ${s}.delegations ADD COLUMN dimension_id integer;
				CREATE TABLE ${s}.delegation_dimensions (
					id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
					key text NOT NULL UNIQUE,
					kind text NOT NULL,
					vendor text,
					reason text NOT NULL,
					topic text,
					channel text,
					language text
				);
				CREATE TABLE ${s}.delegation_rollup (
					grain bigint NOT NULL,
					bucket bigint NOT NULL,
					scope text NOT NULL,
					dimension_id integer NOT NULL,
					count bigint NOT NULL,
					cost double precision NOT NULL,
					sla_known bigint NOT NULL,
					sla_met bigint NOT NULL,
					reopened bigint NOT NULL,
					outcome_known bigint NOT NULL,
					csat_sum double precision NOT NULL,
					csat_count bigint NOT NULL,
					PRIMARY KEY (grain, bucket, scope, dimension_id)
				);
				CREATE TABLE ${s}.delegation_vendor_hours (
					scope text NOT NULL,
					hour bigint NOT NULL,
					kind text NOT NULL,
					vendor text NOT NULL,
					count bigint NOT NULL,
					cost double precision NOT NULL,
					PRIMARY KEY (scope, hour, kind, vendor)
				);
			`);
			const { rows } = await c.query(
				`SELECT DISTINCT kind, vendor, reason, topic, channel, language FROM ${s}.delegations`,
			);
			for (const row of rows) {
				const d = toDimension(row);
				await c.query(
					`INSERT INTO ${s}.delegation_dimensions (key, kind, vendor, reason, topic, channel, language)
					VALUES ($1, $2, $3, $4, $5, $6, $7)`,
					[dimensionKey(d), d.kind, d.vendor, d.reason, d.topic, d.channel, d.language],
				);
			}
			await c.query(`
				UPDATE ${s}.delegations r SET dimension_id = d.id FROM ${s}.delegation_dimensions d
				WHERE d.kind = r.kind AND d.vendor IS NOT DISTINCT FROM r.vendor AND d.reason = r.reason
					AND d.topic IS NOT DISTINCT FROM r.topic AND d.channel IS NOT DISTINCT FROM r.channel
					AND d.language IS NOT DISTINCT FROM r.language;
				INSERT INTO ${s}.delegation_rollup
				SELECT g.grain, (decided_at / g.grain) * g.grain, scope, dimension_id, count(*), sum(cost_estimate),
					count(sla_met), count(*) FILTER (WHERE sla_met), count(*) FILTER (WHERE reopened), count(reopened),
					coalesce(sum(csat), 0), count(csat)
				FROM ${s}.delegations, (VALUES (3600000::bigint), (86400000::bigint)) g (grain)
				GROUP BY 1, 2, 3, 4;
				INSERT INTO ${s}.delegation_vendor_hours
				SELECT scope, (decided_at / 3600000) * 3600000, kind, coalesce(vendor, ''), count(*), sum(cost_estimate)
				FROM ${s}.delegations GROUP BY 1, 2, 3, 4;
			`);
		},
	},
	{
		version: 3,
		apply: async (c, s) => {
			await c.query(backfillEightDayGrain(`${s}.delegation_rollup`));
		},
	},
	{
		// Each decision keeps the terms it matched, so one read back from the ledger still says why.
		version: 4,
		apply: async (c, s) => {
			await c.query(`ALTER TABLE ${s}.delegations ADD COLUMN matched text`);
		},
	},
	{
		// Vendor callbacks recorded, so the same callback (same signed bytes, or the same callback id of that vendor)
		// is answered again and never applied twice, across restarts and every worker sharing the ledger.
		version: 5,
		apply: async (c, s) => {
			await c.query(`
				CREATE TABLE ${s}.callback_receipts (
					vendor text NOT NULL,
					receipt_hash text NOT NULL,
					callback_id text,
					scope text NOT NULL,
					ticket_id text NOT NULL,
					decision_id text NOT NULL,
					received_at bigint NOT NULL,
					answer_status integer NOT NULL,
					answer text NOT NULL,
					PRIMARY KEY (vendor, receipt_hash)
				);
				CREATE UNIQUE INDEX callback_receipts_id ON ${s}.callback_receipts (vendor, callback_id);
			`);
		},
	},
	{
		// Hand-offs checked against the ledger and sent exactly once: the terms each policy version gave each vendor
		// (what Provider Handoff enforces), and each decision's hand-off (intent before the request, result after).
		version: 6,
		apply: async (c, s) => {
			await c.query(`
				CREATE TABLE ${s}.decision_terms (
					scope text NOT NULL,
					policy_version text NOT NULL,
					vendor text NOT NULL,
					dpa boolean NOT NULL,
					data_regions text NOT NULL,
					allowed_fields text NOT NULL,
					PRIMARY KEY (scope, policy_version, vendor)
				);
				CREATE TABLE ${s}.handoffs (
					decision_id text COLLATE "C" PRIMARY KEY,
					scope text NOT NULL,
					ticket_id text NOT NULL,
					vendor text NOT NULL,
					idempotency_key text NOT NULL UNIQUE,
					state text NOT NULL,
					sends bigint NOT NULL,
					started_at bigint NOT NULL,
					finished_at bigint,
					provider_reference text,
					http_status bigint,
					error_class text
				);
			`);
		},
	},
	{
		// Quality guardrails: each vendor's finished delegations newest first, read from a partial index holding only
		// those (a batch reads N entries, not the vendor's open work) and covering the outcome columns (a window's sample
		// is summed from the index alone); and the below/above state their hysteresis keeps.
		version: 7,
		apply: async (c, s) => {
			await c.query(`
				CREATE INDEX delegations_closed ON ${s}.delegations (scope, vendor, decided_at, seq)
					INCLUDE (status, sla_met, reopened, csat) WHERE status IN ('resolved', 'returned');
				CREATE TABLE ${s}.quality_state (
					scope text NOT NULL,
					vendor text NOT NULL,
					below boolean NOT NULL,
					PRIMARY KEY (scope, vendor)
				);
			`);
		},
	},
	{
		// The text the insert-heavy indexes hold compares byte by byte (COLLATE "C", as the id already did): under the
		// database's locale every comparison in the ticket and vendor indexes went through strcoll. The ledger only ever
		// compares these for equality, which byte order decides exactly as any deterministic locale does, and sorts them
		// in code. The vendor index keeps only vendors' decisions: internal ones are never looked up by vendor. A
		// collation change rewrites no rows; the indexes on these columns are rebuilt (about 4 s for 1,000,000 rows).
		// Measured on 10,000-row inserts, interleaved, server time: 115 → 99 ms (collation), → 91 ms (partial index).
		version: 8,
		apply: async (c, s) => {
			await c.query(`
				ALTER TABLE ${s}.delegations
					ALTER COLUMN scope TYPE text COLLATE "C",
					ALTER COLUMN ticket_id TYPE text COLLATE "C",
					ALTER COLUMN vendor TYPE text COLLATE "C";
				DROP INDEX ${s}.delegations_vendor;
				CREATE INDEX delegations_vendor ON ${s}.delegations (vendor, decided_at) WHERE vendor IS NOT NULL;
			`);
		},
	},
	{
		// The vendor-hour rollup summed per day too: a snapshot reads a month's window as ~30 day cells per vendor and
		// the hours around them, not ~720 hour cells.
		version: 9,
		apply: async (c, s) => {
			await c.query(`
				CREATE TABLE ${s}.delegation_vendor_days (
					scope text NOT NULL,
					day bigint NOT NULL,
					kind text NOT NULL,
					vendor text NOT NULL,
					count bigint NOT NULL,
					cost double precision NOT NULL,
					PRIMARY KEY (scope, day, kind, vendor)
				);
				INSERT INTO ${s}.delegation_vendor_days
				SELECT scope, (hour / 86400000) * 86400000, kind, vendor, sum(count), sum(cost)
				FROM ${s}.delegation_vendor_hours GROUP BY 1, 2, 3, 4;
			`);
		},
	},
	{
		// The vendor rollups gain a ten-minute grain, which the hour and day cells are then written from: a window's
		// partial first hour is read as ten-minute cells and at most 20 minutes of rows, not up to an hour of rows.
		// Filled from the decisions (the hour cells are too coarse to split).
		version: 10,
		apply: async (c, s) => {
			await c.query(`
				CREATE TABLE ${s}.delegation_vendor_tens (
					scope text NOT NULL,
					start bigint NOT NULL,
					kind text NOT NULL,
					vendor text NOT NULL,
					count bigint NOT NULL,
					cost double precision NOT NULL,
					PRIMARY KEY (scope, start, kind, vendor)
				);
				INSERT INTO ${s}.delegation_vendor_tens
				SELECT scope, (decided_at / 600000) * 600000, kind, coalesce(vendor, ''), count(*), sum(cost_estimate)
				FROM ${s}.delegations GROUP BY 1, 2, 3, 4;
			`);
		},
	},
	{
		// What each recorded callback reported, so a callback id reused for another event is told apart from a retry.
		// Receipts written before stay without it and are answered as replays, as they were.
		version: 11,
		apply: async (c, s) => {
			await c.query(`ALTER TABLE ${s}.callback_receipts ADD COLUMN report_hash text`);
		},
	},
];

export const POSTGRES_SCHEMA_VERSION = POSTGRES_MIGRATIONS[POSTGRES_MIGRATIONS.length - 1].version;

export async function migratePostgres(
	client: ClientBase,
	schema: string,
	location: string,
	upTo = POSTGRES_SCHEMA_VERSION,
	timeouts?: PostgresTimeouts,
) {
	const s = quoteSchema(schema);
	await client.query('BEGIN');
	try {
		await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`support-delegation:migrate:${schema}`]);
		await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
		await client.query(
			`CREATE TABLE IF NOT EXISTS ${s}.schema_version (version integer PRIMARY KEY, applied_at bigint NOT NULL)`,
		);
		const { rows } = await client.query(`SELECT coalesce(max(version), 0) AS v FROM ${s}.schema_version`);
		const current = Number(rows[0].v);
		if (current > POSTGRES_SCHEMA_VERSION) {
			throw new LedgerUnavailableError(
				`The PostgreSQL delegation ledger at ${location} (schema ${schema}) has schema version ${current}, newer than ` +
					`this package understands (${POSTGRES_SCHEMA_VERSION}). Update n8n-nodes-support-delegation; migrations are forward-only.`,
				location,
			);
		}
		for (const m of POSTGRES_MIGRATIONS) {
			if (m.version <= current || m.version > upTo) continue;
			await m.apply(client, s);
			await client.query(`INSERT INTO ${s}.schema_version (version, applied_at) VALUES ($1, $2)`, [m.version, Date.now()]);
		}
		await client.query('COMMIT');
	} catch (error) {
		// A connection that was cut or stopped answering is not asked to roll back: the server does so when it goes.
		if (!connectionBroken(error)) await client.query('ROLLBACK').catch(() => undefined);
		throw postgresFailure(error, location, timeouts);
	}
}
