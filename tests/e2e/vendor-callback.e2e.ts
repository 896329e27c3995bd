import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';
import { beginHandOffs, decision, request as snapshotRequest } from '../ledger/fixtures';
import { N8nHome, PACKAGE_NAME, packPackage, REPO_ROOT, type N8nServer } from '../real-n8n';
import { embeddedLedgerFile } from './support/ledger';
import { MockVendor } from './support/vendor';

/**
 * The Vendor Callback trigger as an attacker meets it: the packed package in a real n8n 2.41.1, one published workflow
 * with a trigger per vendor, every hostile callback the issue lists against it. Each refusal is checked against every
 * row of every ledger table before and after; each accepted callback against the row it wrote and the one item it
 * emitted. One n8n server for the whole file.
 */
const home = new N8nHome();
const sink = new MockVendor(); // receives the items the workflow emits after each recorded callback
const SCOPE = 'cb-e2e';
// Fresh per run: the tests sign with what the credentials hold, never with a constant of the source.
const SECRETS = { acme: randomBytes(24).toString('base64url'), globex: randomBytes(24).toString('base64url') };
let server: N8nServer;
let tarball = '';
const ACME_TICKETS = ['A-accept', 'A-resolve', 'A-retry', 'A-multipart', 'A-replay', 'A-backward', 'A-readme', 'A-untouched', 'A-unsent'];

const credential = (vendor: keyof typeof SECRETS) => ({ id: `sdCbCred${vendor}`, name: `${vendor} API (e2e)` });

function callbackWorkflow(sinkUrl: string) {
	const trigger = (vendor: keyof typeof SECRETS, y: number) => ({
		id: randomUUID(),
		name: `Callback from ${vendor}`,
		type: `${PACKAGE_NAME}.vendorCallback`,
		typeVersion: 1,
		position: [0, y],
		webhookId: randomUUID(),
		parameters: { vendor, policyScope: SCOPE, options: {} },
		credentials: { supportProviderApi: credential(vendor) },
	});
	return {
		id: 'sdCallbackE2e001',
		name: 'e2e: vendor callbacks',
		settings: { executionOrder: 'v1' },
		nodes: [
			trigger('acme', 0),
			trigger('globex', 200),
			{
				id: randomUUID(),
				name: 'Tell the test',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [300, 100],
				parameters: { method: 'POST', url: `${sinkUrl}/emitted`, sendBody: true, specifyBody: 'json', jsonBody: '={{ JSON.stringify($json) }}', options: {} },
			},
		],
		connections: {
			'Callback from acme': { main: [[{ node: 'Tell the test', type: 'main', index: 0 }]] },
			'Callback from globex': { main: [[{ node: 'Tell the test', type: 'main', index: 0 }]] },
		},
	};
}

/** Every row of every table of the ledger file, each table's rows sorted: "unchanged" means all of this is equal. */
function ledgerRows(): Record<string, string[]> {
	const db = new DatabaseSync(embeddedLedgerFile(home.dir), { readOnly: true });
	try {
		const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string }>;
		return Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}"`).all().map((row) => JSON.stringify(row)).sort()]));
	} finally {
		db.close();
	}
}

function decisionOf(ticketId: string) {
	const db = new DatabaseSync(embeddedLedgerFile(home.dir), { readOnly: true });
	try {
		return db.prepare(`SELECT status, provider_reference, sla_met, csat, reopened, resolved_at FROM delegations WHERE ticket_id = ? AND head = 1`).get(ticketId);
	} finally {
		db.close();
	}
}

interface Signed {
	timestamp: string;
	signature: string;
	body: string;
}

/** What a vendor sends: the HMAC-SHA256 of "<timestamp>.<body>" under its secret (node:crypto, not the package). */
function sign(vendor: keyof typeof SECRETS, fields: unknown, { timestamp = Math.floor(Date.now() / 1000), secret = SECRETS[vendor] } = {}): Signed {
	const body = typeof fields === 'string' ? fields : JSON.stringify(fields);
	return { timestamp: String(timestamp), signature: 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex'), body };
}

const urlOf = (vendor: string) => `${server.url}/webhook/support-delegation/vendor-callback/${vendor}`;

async function post(vendor: string, signed: Signed, { contentType = 'application/json', headers = {} as Record<string, string>, body = signed.body as string | Uint8Array } = {}) {
	const response = await fetch(urlOf(vendor), {
		method: 'POST',
		headers: { 'content-type': contentType, 'x-callback-timestamp': signed.timestamp, 'x-callback-signature': signed.signature, ...headers },
		body,
	});
	const text = await response.text();
	let json: Record<string, unknown> = {};
	try {
		json = JSON.parse(text);
	} catch {
		json = { text };
	}
	return { status: response.status, json, replayed: response.headers.get('x-callback-replayed') };
}

const emitted = () => sink.requests.filter((r) => r.path === '/emitted').map((r) => r.body);
let recordedSoFar = 0;

/**
 * A recorded callback's workflow runs after the answer: wait for its one item (so later counts start from a settled
 * state) and return it.
 */
async function itemArrives(): Promise<Record<string, unknown>> {
	recordedSoFar++;
	await expect.poll(() => emitted().length, { timeout: 30_000 }).toBe(recordedSoFar);
	return emitted()[recordedSoFar - 1];
}

/** The attack is refused with `status` (and the field when given) and not one row of the ledger changes. */
async function refused<A extends { status: number; json: Record<string, unknown> }>(attempt: () => Promise<A>, status: number | '4xx', field?: string) {
	const before = ledgerRows();
	const emittedBefore = emitted().length;
	const answer = await attempt();
	// What the attacker was told, in the log: the report lists each attack with its answer.
	console.log(`  ${answer.status} ${JSON.stringify(answer.json).slice(0, 200)}`);
	if (status === '4xx') expect(Math.floor(answer.status / 100), JSON.stringify(answer.json)).toBe(4);
	else expect(answer.status, JSON.stringify(answer.json)).toBe(status);
	if (field !== undefined) expect(answer.json).toMatchObject({ field, error: expect.any(String) });
	expect(ledgerRows()).toEqual(before);
	expect(emitted().length).toBe(emittedBefore);
	return answer;
}

beforeAll(async () => {
	await sink.start();
	tarball = packPackage(home.nodeBinDir);
	home.installTarball(tarball);
	// The tickets the router delegated earlier, written by the package's own ledger code into the file n8n will use.
	const seed = await SqliteLedger.open(embeddedLedgerFile(home.dir));
	const external = (ticketId: string, vendor: string) => decision({ scope: SCOPE, ticketId, vendor, destination: vendor, kind: 'external' });
	// Each test has its own acme tickets (A-*), so none leans on another's callbacks; G-1 and I-1 are never acme's.
	const rows = [
		...ACME_TICKETS.map((ticketId) => external(ticketId, 'acme')),
		external('G-1', 'globex'),
		decision({ scope: SCOPE, ticketId: 'I-1', vendor: null, destination: 'tier1', kind: 'internal', contract: null, reason: 'keepInternal' }),
	];
	await seed.routeBatch(SCOPE, snapshotRequest(), () => ({ rows, overflowActive: {}, result: null }));
	// Provider Handoff began sending each (a vendor reports only on tickets it was sent), except A-unsent.
	await beginHandOffs(seed, SCOPE, rows.filter((row) => row.ticketId !== 'A-unsent'));
	await seed.close();

	await home.importCredentials(
		(['acme', 'globex'] as const).map((vendor) => ({
			...credential(vendor),
			type: 'supportProviderApi',
			data: { baseUrl: `https://${vendor}.example`, authentication: 'none', signingSecret: SECRETS[vendor] },
		})),
	);
	const workflow = callbackWorkflow(sink.url);
	await home.importWorkflows([workflow]);
	await home.publish([workflow.id]);
	server = await home.start();
	await server.waitForWebhook('support-delegation/vendor-callback/acme');
	await server.waitForWebhook('support-delegation/vendor-callback/globex');
});

afterAll(async () => {
	await home.dispose();
	await sink.stop();
	if (tarball) rmSync(dirname(tarball), { recursive: true, force: true });
});

describe('Vendor Callback in real n8n: callbacks the vendor signed are recorded once', () => {
	it('records a signed "accepted", answers 200 with the recorded state, and emits one item', async () => {
		const before = ledgerRows();
		const answer = await post('acme', sign('acme', { ticketId: 'A-accept', status: 'accepted', providerReference: 'AC-1' }));
		expect(answer.status, JSON.stringify(answer.json)).toBe(200);
		expect(answer.json).toMatchObject({ recorded: true, ticketId: 'A-accept', status: 'accepted', providerReference: 'AC-1', csat: null, slaMet: null });
		expect(decisionOf('A-accept')).toEqual({ status: 'accepted', provider_reference: 'AC-1', sla_met: null, csat: null, reopened: null, resolved_at: null });
		expect(ledgerRows().callback_receipts.length).toBe(before.callback_receipts.length + 1);
		const item = await itemArrives();
		expect(item).toMatchObject({ ticketId: 'A-accept', status: 'accepted', vendor: 'acme', callback: { vendor: 'acme', callbackId: null } });
	});

	it('records a resolution with what was sent and nothing made up (no CSAT 0, no "SLA met" by default)', async () => {
		const answer = await post('acme', sign('acme', { ticketId: 'A-resolve', status: 'resolved', csat: 4.5, slaMet: false, resolvedAt: '2026-11-30T09:30:00+01:00' }));
		expect(answer.status, JSON.stringify(answer.json)).toBe(200);
		expect(await itemArrives()).toMatchObject({ ticketId: 'A-resolve', status: 'resolved', csat: 4.5, slaMet: false, reopened: null });
		expect(decisionOf('A-resolve')).toEqual({ status: 'resolved', provider_reference: null, sla_met: 0, csat: 4.5, reopened: null, resolved_at: Date.UTC(2026, 10, 30, 8, 30) });
	});

	it('answers a vendor’s retry with the same callback id (new timestamp, new signature) with the first answer, refuses another report under that id, writing nothing', async () => {
		const first = await post('acme', sign('acme', { ticketId: 'A-retry', status: 'accepted', callbackId: 'evt-retry' }));
		expect(first.status).toBe(200);
		await itemArrives();
		const later = Math.floor(Date.now() / 1000) + 5;
		// The same event laid out anew (key order, spacing): a retry.
		const retry = await refused(() => post('acme', sign('acme', { callbackId: 'evt-retry', status: 'accepted', ticketId: 'A-retry' }, { timestamp: later })), 200);
		expect(retry.json).toEqual(first.json);
		expect(retry.replayed).toBe('true');
		// Another report under the same id is no retry: refused, and the first report stands.
		const reused = await refused(() => post('acme', sign('acme', { ticketId: 'A-retry', status: 'accepted', callbackId: 'evt-retry', providerReference: 'late' }, { timestamp: later })), 409, 'callbackId');
		expect(reused.json.error).toMatch(/callbackId "evt-retry" was recorded before with another report/);
	});

	it('the README’s curl + openssl example, run as written (secret, URL and ticket swapped in), is recorded', async () => {
		const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
		const section = readme.slice(readme.indexOf('<!-- section:callback -->'), readme.indexOf('<!-- /section:callback -->'));
		const script = /```sh\n([\s\S]*?)```/.exec(section)![1]
			.replace(/^SECRET=.*$/m, 'SECRET="$E2E_SECRET"')
			.replace(/^URL=.*$/m, 'URL="$E2E_URL"')
			.replace(/"ticketId":"T-1001"/, '"ticketId":"A-readme"');
		const out = execFileSync('bash', ['-euo', 'pipefail', '-c', script], {
			encoding: 'utf8',
			env: { ...process.env, E2E_SECRET: SECRETS.acme, E2E_URL: urlOf('acme') },
		});
		expect(JSON.parse(out)).toMatchObject({ recorded: true, ticketId: 'A-readme', status: 'resolved', csat: 4.5, slaMet: true });
		expect(await itemArrives()).toMatchObject({ ticketId: 'A-readme', status: 'resolved' });
	});
});

describe('Vendor Callback in real n8n: hostile callbacks are refused and the ledger stays as it was', () => {
	it('multipart upload of a captured signed callback next to fields of the attacker’s choice → 415', async () => {
		// acme's genuine callback, as an eavesdropper or a logging proxy keeps it.
		const captured = sign('acme', { ticketId: 'A-multipart', status: 'accepted' });
		expect((await post('acme', captured)).status).toBe(200);
		await itemArrives();
		const form = new FormData();
		form.append('ticketId', 'G-1');
		form.append('status', 'rejected');
		form.append('providerReference', 'pwned');
		form.append('data', new Blob([captured.body], { type: 'application/json' }), 'callback.json');
		await refused(async () => {
			const response = await fetch(urlOf('acme'), {
				method: 'POST',
				headers: { 'x-callback-timestamp': captured.timestamp, 'x-callback-signature': captured.signature },
				body: form,
			});
			return { status: response.status, json: (await response.json()) as Record<string, unknown> };
		}, 415, 'Content-Type');
		expect(decisionOf('G-1')).toMatchObject({ status: 'routed', provider_reference: null });
	});

	it('replay of a captured "accepted" after a later "resolved" → the first answer again, the ticket stays resolved', async () => {
		const captured = sign('acme', { ticketId: 'A-replay', status: 'accepted' });
		const first = await post('acme', captured);
		expect(first.status).toBe(200);
		await itemArrives();
		expect((await post('acme', sign('acme', { ticketId: 'A-replay', status: 'resolved', csat: 5, slaMet: true }))).status).toBe(200);
		await itemArrives();
		const replay = await refused(() => post('acme', captured), 200);
		expect(replay.json).toEqual(first.json);
		expect(replay.replayed).toBe('true');
		expect(decisionOf('A-replay')).toMatchObject({ status: 'resolved', csat: 5, sla_met: 1 });
	});

	it('stale timestamp (more than 300 s old), future timestamp, no timestamp → 401 naming X-Callback-Timestamp', async () => {
		const now = Math.floor(Date.now() / 1000);
		await refused(() => post('acme', sign('acme', { ticketId: 'A-untouched', status: 'resolved' }, { timestamp: now - 400 })), 401, 'X-Callback-Timestamp');
		await refused(() => post('acme', sign('acme', { ticketId: 'A-untouched', status: 'resolved' }, { timestamp: now + 400 })), 401, 'X-Callback-Timestamp');
		await refused(() => post('acme', { ...sign('acme', { ticketId: 'A-untouched', status: 'resolved' }), timestamp: '' }), 401, 'X-Callback-Timestamp');
	});

	it('the wrong vendor’s secret, a tampered body, or no signature → 401 naming X-Callback-Signature', async () => {
		await refused(() => post('acme', sign('acme', { ticketId: 'A-untouched', status: 'resolved' }, { secret: SECRETS.globex })), 401, 'X-Callback-Signature');
		const signed = sign('acme', { ticketId: 'A-untouched', status: 'resolved', csat: 5 });
		await refused(() => post('acme', { ...signed, body: signed.body.replace('5', '1') }), 401, 'X-Callback-Signature');
		await refused(() => post('acme', { ...signed, signature: '' }), 401, 'X-Callback-Signature');
	});

	it('a ticket of another vendor (either way), an internal ticket, an unknown ticket → the same 404 naming ticketId', async () => {
		const answers = [
			await refused(() => post('acme', sign('acme', { ticketId: 'G-1', status: 'rejected', providerReference: 'pwned' })), 404, 'ticketId'),
			await refused(() => post('globex', sign('globex', { ticketId: 'A-untouched', status: 'resolved' })), 404, 'ticketId'),
			await refused(() => post('acme', sign('acme', { ticketId: 'I-1', status: 'resolved' })), 404, 'ticketId'),
			await refused(() => post('acme', sign('acme', { ticketId: 'A-404', status: 'resolved' })), 404, 'ticketId'),
		];
		// Nothing in the answer tells a ticket that exists from one that does not.
		expect(answers.map((a) => String(a.json.error).replace(/"[^"]*"/g, '…'))).toEqual(Array(4).fill('no delegation of ticket … to vendor … is recorded in this policy scope'));
	});

	it('unknown status and a backward transition → 422 and 409 naming status; a ticket not sent to the vendor yet → 409 naming ticketId', async () => {
		await refused(() => post('acme', sign('acme', { ticketId: 'A-unsent', status: 'resolved', csat: 5 })), 409, 'ticketId');
		await refused(() => post('acme', sign('acme', { ticketId: 'A-untouched', status: 'pwned' })), 422, 'status');
		await refused(() => post('acme', sign('acme', { ticketId: 'A-untouched', status: 'handed_off' })), 422, 'status');
		expect((await post('acme', sign('acme', { ticketId: 'A-backward', status: 'resolved' }))).status).toBe(200);
		await itemArrives();
		// A fresh, correctly signed "accepted" after "resolved" is still refused.
		const back = await refused(() => post('acme', sign('acme', { ticketId: 'A-backward', status: 'accepted' })), 409, 'status');
		expect(back.json.error).toMatch(/cannot follow "resolved"/);
	});

	it('missing and extra fields, and values out of range → 422 naming the field', async () => {
		await refused(() => post('acme', sign('acme', { ticketId: 'A-untouched' })), 422, 'status');
		await refused(() => post('acme', sign('acme', { status: 'resolved' })), 422, 'ticketId');
		await refused(() => post('acme', sign('acme', { ticketId: 'A-untouched', status: 'resolved', vendor: 'globex' })), 422, 'vendor');
		await refused(() => post('acme', sign('acme', { ticketId: 'A-untouched', status: 'resolved', csat: 11 })), 422, 'csat');
		await refused(() => post('acme', sign('acme', { ticketId: 'A-untouched', status: 'returned', csat: 5 })), 422, 'csat');
		await refused(() => post('acme', sign('acme', { ticketId: 'A-untouched', status: 'resolved', slaMet: 'yes' })), 422, 'slaMet');
		await refused(() => post('acme', sign('acme', { ticketId: 'A-untouched', status: 'resolved', resolvedAt: 'yesterday' })), 422, 'resolvedAt');
		// An offset no clock has, a date before the delegation (the seeded decisions are of 2026-03-15), one after signing.
		await refused(() => post('acme', sign('acme', { ticketId: 'A-untouched', status: 'resolved', resolvedAt: '2026-11-30T14:05:00+99:99' })), 422, 'resolvedAt');
		await refused(() => post('acme', sign('acme', { ticketId: 'A-untouched', status: 'resolved', firstResponseAt: '2026-03-01T00:00:00Z' })), 422, 'firstResponseAt');
		await refused(() => post('acme', sign('acme', { ticketId: 'A-untouched', status: 'resolved', at: '2999-01-01T00:00:00Z' })), 422, 'at');
	});

	it('wrong content type (text/plain, form, XML) or a compressed body → 415, even correctly signed', async () => {
		const signed = sign('acme', { ticketId: 'A-untouched', status: 'resolved' });
		await refused(() => post('acme', signed, { contentType: 'text/plain' }), 415, 'Content-Type');
		await refused(() => post('acme', sign('acme', 'ticketId=A-untouched&status=resolved'), { contentType: 'application/x-www-form-urlencoded' }), 415, 'Content-Type');
		await refused(() => post('acme', sign('acme', '<callback><ticketId>A-untouched</ticketId></callback>'), { contentType: 'application/xml' }), 415, 'Content-Type');
		await refused(() => post('acme', signed, { headers: { 'content-encoding': 'gzip' }, body: gzipSync(signed.body) }), 415, 'Content-Encoding');
	});

	it('a 1 MB body → 413, before its signature or fields are looked at', async () => {
		const big = sign('acme', { ticketId: 'A-untouched', status: 'resolved', providerReference: 'x'.repeat(1 << 20) });
		await refused(() => post('acme', big), 413, 'body');
	});

	it('a body that is not JSON under application/json → refused by n8n or the node, nothing written', async () => {
		await refused(() => post('acme', sign('acme', '{"ticketId":"A-untouched",')), '4xx');
	});

	it('no item beyond one per recorded callback ever reaches the workflow, and the untouched ticket is as routed', async () => {
		// Give a stray execution time to arrive before counting.
		await new Promise((resolve) => setTimeout(resolve, 2_000));
		expect(emitted()).toHaveLength(recordedSoFar);
		expect(decisionOf('A-untouched')).toEqual({ status: 'routed', provider_reference: null, sla_met: null, csat: null, reopened: null, resolved_at: null });
	});
});
