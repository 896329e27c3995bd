import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { ICredentialDataDecryptedObject, IDataObject, INodeCredentials, IWorkflowBase } from 'n8n-workflow';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DETECTOR_KINDS } from '../../domain/redaction/detectors/registry';
import { closeLedgers } from '../../nodes/shared/ledger/open';
import { VendorServer } from '../handoff/vendor-server';
import { HARNESS_INPUT, PACKAGE, runWorkflow } from '../harness/workflow';
import { PG, dropSchemas, postgresUnavailable, uniqueSchema } from '../ledger/postgres';
import { asciiDigits, CORPUS, identity, squash, type CorpusValue } from './corpus';

/**
 * The whole corpus through the real nodes: Ticket Router (records each decision in the ledger) → Provider Handoff
 * (every class on) → a vendor on 127.0.0.1. Then every request the vendor received (body and each header) and every
 * cell of every table of both ledgers are searched for every corpus value.
 */
const FIELDS = ['id', 'subject', 'body', 'comments', 'attachments', 'custom_fields', 'category', 'channel', 'priority', 'language', 'tags', 'requester'];

const policy = {
	scope: 'pii',
	destinations: [
		{ id: 'team', name: 'Support team', kind: 'internal' },
		{ id: 'acme', name: 'Acme', kind: 'external', contract: 'specialist', dpa: true, dataRegions: [], allowedFields: FIELDS },
	],
	rules: [{ id: 'refunds', kind: 'specialist', when: { keywords: ['refund'] }, target: 'acme' }],
	defaultDestination: 'team',
};

function workflow(ledger: IDataObject, credentials: INodeCredentials = {}, handoffOptions: IDataObject = {}): Pick<IWorkflowBase, 'nodes' | 'connections'> {
	return {
		nodes: [
			{ id: 'in', name: 'Input', type: HARNESS_INPUT, typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'router',
				name: 'Ticket Router',
				type: `${PACKAGE}.ticketRouter`,
				typeVersion: 1,
				position: [200, 0],
				parameters: { operation: 'route', policySource: 'json', policyJson: JSON.stringify(policy), fieldPreset: 'generic', outputMode: 'kind', options: {}, ...ledger },
				credentials,
			},
			{
				id: 'handoff',
				name: 'Provider Handoff',
				type: `${PACKAGE}.providerHandoff`,
				typeVersion: 1,
				position: [400, 0],
				parameters: { vendors: 'acme', redaction: { kinds: [...DETECTOR_KINDS] }, options: { concurrency: 4, timeoutMs: 5_000, maxRetries: 0, ...handoffOptions }, ...ledger },
				credentials: { supportProviderApi: { id: 'c', name: 'Acme' }, ...credentials },
			},
		],
		connections: {
			Input: { main: [[{ node: 'Ticket Router', type: 'main', index: 0 }]] },
			'Ticket Router': { main: [[], [{ node: 'Provider Handoff', type: 'main', index: 0 }]] },
		},
	};
}

/** 12 corpus values per ticket, in every place a helpdesk puts text: subject, body, comments (one marked private as a string), attachment names, custom-field keys and numbers, labels, tags. */
function tickets(prefix: string): { items: IDataObject[]; values: CorpusValue[] } {
	const items: IDataObject[] = [];
	const values: CorpusValue[] = [];
	// One customer region per ticket: values from national formats outside the default regions go with theirs.
	const byRegion = new Map<string, CorpusValue[]>();
	for (const v of CORPUS) byRegion.set(v.region ?? 'FR', [...(byRegion.get(v.region ?? 'FR') ?? []), v]);
	let n = 0;
	for (const [region, list] of byRegion) {
		for (let i = 0; i < list.length; i += 12) {
			const chunk = list.slice(i, i + 12);
			const v = chunk.map((c) => c.value);
			const at = (k: number) => v[k % v.length];
			// Labels hold no control characters (the router refuses them): a value wrapped over lines goes there unwrapped.
			const label = (k: number) => at(k).replace(/[\t\n\r]+/g, ' ');
			// Cards and phones are read from bare digits, so they may come as JSON numbers (ids need their separators or label).
			const sixth = chunk[6 % chunk.length];
			const digitsOnly = ['card', 'phone'].includes(sixth.class) && /^\d{7,15}$/.test(at(6).replace(/ /g, '')) ? Number(at(6).replace(/ /g, '')) : at(6);
			items.push({
				id: `${prefix}-${n++}`,
				subject: `Refund request ${at(0)}`,
				body: `Hello, ${at(1)}\nsecond line: ${at(2)}, thanks`,
				comments: [
					{ body: `public: ${at(3)}`, public: true },
					{ body: `agent only ${at(4)}`, public: 'false' },
				],
				attachments: [{ file_name: `scan ${at(5)}.pdf`, size: 1234 }],
				custom_fields: { [at(7)]: digitsOnly, nested: [[{ v: at(8) }]] },
				category: label(9),
				channel: label(10),
				priority: label(11),
				language: label(9),
				tags: ['refund', label(10)],
				customer: { tier: 'pro', region },
			});
			values.push(...list.slice(i, i + 12));
		}
	}
	return { items, values };
}


/** The corpus values found in any of these texts (each searched on its own, so digits of two cells never join). */
function leaked(values: CorpusValue[], texts: string[]): string[] {
	// Tokens' own numbers ([EMAIL_1] … [EMAIL_10]) would spell 12345678910 once joined: they are no customer data.
	const plain = texts.map((t) => t.replace(/\[[A-Z_]+_\d+\]/g, ' '));
	const digits = plain.map((t) => asciiDigits(t).replace(/\D/g, ''));
	const letters = plain.map(squash);
	return values.filter((v) => {
		const id = identity(v);
		return (/^\d+$/.test(id) ? digits : letters).some((t) => t.includes(id));
	}).map((v) => `${v.format}: ${JSON.stringify(v.value)} in ${JSON.stringify(plain.find((t, i) => (/^\d+$/.test(identity(v)) ? digits[i] : letters[i]).includes(identity(v))))}`);
}

let server: VendorServer;
const folder = mkdtempSync(join(tmpdir(), 'sd-redaction-'));
const credentialsFor = (extra: Record<string, ICredentialDataDecryptedObject> = {}) => ({
	supportProviderApi: { baseUrl: server.url, authentication: 'bearer', token: 't', signingSecret: 'whsec_pii' },
	...extra,
});

beforeAll(async () => {
	server = await new VendorServer({ secret: 'whsec_pii' }).start();
});
afterAll(async () => {
	await closeLedgers();
	await server.stop();
});

/** Vendor's view of these tickets: every body and every header value. */
function vendorTexts(prefix: string): string[] {
	const requests = server.received.filter((r) => JSON.stringify(r.headers).length && r.body.includes(`"${prefix}-`));
	return requests.flatMap((r) => [r.body, r.path, ...Object.values(r.headers).flat().map(String)]);
}

async function route(prefix: string, ledger: IDataObject, credentials: INodeCredentials, extra: Record<string, ICredentialDataDecryptedObject>) {
	const { items, values } = tickets(prefix);
	const run = await runWorkflow(workflow(ledger, credentials), { items, credentials: credentialsFor(extra) });
	expect(run.error()).toBeUndefined();
	const delivered = run.output('Provider Handoff', 0);
	expect(delivered.map((i) => i.json.id)).toEqual(items.map((i) => i.id));
	return { values, delivered };
}

describe('the corpus through Ticket Router → Provider Handoff → vendor, on both ledgers', () => {
	it('SQLite: nothing of any corpus value in the vendor’s requests or in any ledger cell', async () => {
		const file = join(folder, 'ledger.sqlite');
		const { values, delivered } = await route('S', { ledgerFile: file }, {}, {});
		expect(values.length).toBe(CORPUS.length);
		expect(leaked(values, vendorTexts('S'))).toEqual([]);
		// The private comment (public: "false") never left; the public one did, redacted.
		const sent = server.received.filter((r) => r.body.includes('"S-0"')).map((r) => JSON.parse(r.body) as { ticket: { comments: unknown[] } });
		expect(sent[0].ticket.comments).toHaveLength(1);
		expect(Object.keys((delivered[0].json.handoff as IDataObject).redactions as IDataObject).length).toBeGreaterThan(0);

		const db = new DatabaseSync(file, { readOnly: true });
		try {
			const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
			const cells = tables.flatMap(({ name }) => (db.prepare(`SELECT * FROM "${name}"`).all() as Array<Record<string, unknown>>).flatMap((row) => Object.values(row).map(String)));
			expect(cells.length).toBeGreaterThan(0);
			expect(leaked(values, cells)).toEqual([]);
			// Labels outside the policy's vocabulary are stored as "other".
			const topics = db.prepare('SELECT DISTINCT topic, channel, priority FROM delegations').all() as Array<Record<string, string>>;
			expect(topics).toEqual([{ topic: 'other', channel: 'other', priority: 'other' }]);
		} finally {
			db.close();
		}
	});

	const unavailable = postgresUnavailable();
	it.skipIf(unavailable !== null)('PostgreSQL (own schema): nothing of any corpus value in the vendor’s requests or in any ledger cell', async () => {
		const schema = uniqueSchema('redaction');
		const postgres: ICredentialDataDecryptedObject = { host: String(PG.host), port: Number(PG.port), database: String(PG.database), user: String(PG.user), password: '', ssl: 'disable', allowUnauthorizedCerts: false, sshTunnel: false };
		try {
			const { values } = await route('P', { ledger: 'postgres', ledgerSchema: schema }, { postgres: { id: 'pg', name: 'Ledger' } }, { postgres });
			expect(leaked(values, vendorTexts('P'))).toEqual([]);
			await closeLedgers();
			const client = new Client(PG);
			await client.connect();
			try {
				const tables = await client.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema]);
				const cells: string[] = [];
				for (const { table_name } of tables.rows) {
					const rows = await client.query(`SELECT * FROM "${schema}"."${table_name}"`);
					for (const row of rows.rows) cells.push(...Object.values(row as object).map((v) => (v instanceof Date ? v.toISOString() : String(v))));
				}
				expect(cells.length).toBeGreaterThan(0);
				expect(leaked(values, cells)).toEqual([]);
			} finally {
				await client.end();
			}
		} finally {
			await dropSchemas([schema]);
		}
	});

	it('Preview Only returns the body and headers a vendor would get, sends nothing and writes no outcome', async () => {
		const file = join(folder, 'preview.sqlite');
		const { items } = tickets('V');
		const before = server.received.length;
		const run = await runWorkflow(workflow({ ledgerFile: file }, {}, { previewOnly: true }), { items: items.slice(0, 3), credentials: credentialsFor() });
		expect(run.error()).toBeUndefined();
		expect(server.received.length).toBe(before);
		const previews = run.output('Provider Handoff', 0).map((i) => i.json.handoff as { status: string; body: string; headers: Record<string, string>; redactions: IDataObject });
		expect(previews.map((p) => p.status)).toEqual(['preview', 'preview', 'preview']);
		expect(previews[0].headers).toMatchObject({ Authorization: '(from the credential)', 'Content-Type': 'application/json', 'Idempotency-Key': expect.stringMatching(/^[0-9a-f]{64}$/) });
		expect(JSON.parse(previews[0].body).ticket.subject).toMatch(/^Refund request \[[A-Z]+_1\]$/);
		const db = new DatabaseSync(file, { readOnly: true });
		try {
			// The router recorded its decisions; the preview wrote no hand-off outcome on them.
			expect(db.prepare("SELECT DISTINCT status FROM delegations WHERE ticket_id LIKE 'V-%'").all()).toEqual([{ status: 'routed' }]);
		} finally {
			db.close();
		}
	});
});
