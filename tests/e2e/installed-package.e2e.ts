import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { N8nHome, N8nRest, nodeOutput, nodesDir, PACKAGE_NAME, packPackage, REPO_ROOT, type N8nServer } from '../real-n8n';
import { viewWorkflow } from './support/editor';
import { embeddedLedgerFile, readDecisions } from './support/ledger';
import { LEDGER_DATABASE, uniqueSchema, withPostgres } from './support/postgres';
import { loadTemplates, withCredentials } from './support/templates';
import { sampleTicket } from './support/tickets';
import { MockVendor } from './support/vendor';

/**
 * The package as users get it (npm pack → installed into a fresh n8n user folder's .n8n/nodes with runtime
 * dependencies only), in the real n8n 2.41.1: loading, templates, CLI executions, a published webhook under load.
 */
const requireFromRepo = createRequire(join(REPO_ROOT, 'package.json'));
const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
	n8n: { nodes: string[]; credentials: string[] };
	dependencies: Record<string, string>;
};

/** description.name of every node and credential package.json lists, read from the built classes. */
function declared(kind: 'nodes' | 'credentials'): string[] {
	return manifest.n8n[kind].map((file) => {
		const module = requireFromRepo(join(REPO_ROOT, file)) as Record<string, new () => { description?: { name: string }; name?: string }>;
		const Class = module[basename(file).split('.')[0]];
		const instance = new Class();
		return kind === 'nodes' ? instance.description!.name : instance.name!;
	});
}

const home = new N8nHome();
const vendor = new MockVendor();
const templates = loadTemplates();
const VENDOR_CREDENTIAL = { id: 'sdMockVendorCred1', name: 'Mock vendor (e2e)' };
// Fresh per run: what the vendor must receive, never a fixed value in the source.
const VENDOR_API_KEY = randomBytes(12).toString('hex');
// The vendor credential's Signing Secret signs hand-offs to the vendor and the vendor's callbacks to us.
const VENDOR_SIGNING_SECRET = randomBytes(16).toString('hex');
let tarball = '';

beforeAll(async () => {
	await vendor.start();
	tarball = packPackage(home.nodeBinDir);
	home.installTarball(tarball);
});

afterAll(async () => {
	await home.dispose();
	await vendor.stop();
	if (tarball) rmSync(dirname(tarball), { recursive: true, force: true });
});

describe('installed from the npm tarball', () => {
	const installed = () => join(nodesDir(home.dir), 'node_modules', PACKAGE_NAME);

	it('is a real copy with every file package.json names, and runtime dependencies only', () => {
		expect(lstatSync(installed()).isSymbolicLink()).toBe(false);
		for (const file of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
			expect(existsSync(join(installed(), file)), file).toBe(true);
		}
		const modules = readdirSync(join(nodesDir(home.dir), 'node_modules'));
		for (const dependency of Object.keys(manifest.dependencies)) expect(modules).toContain(dependency);
		// n8n provides n8n-workflow; a second copy breaks `instanceof` checks between n8n and our nodes.
		for (const devOnly of ['n8n-workflow', 'n8n-core', 'typescript', 'vitest', '@n8n']) expect(modules).not.toContain(devOnly);
		expect(existsSync(join(installed(), 'nodes')), 'TypeScript sources are not shipped').toBe(false);
	});

	it('n8n export:nodes lists every node of the package under the package name, with its credential', async () => {
		const exported = await home.exportNodes();
		const ours = exported.filter((node) => node.name.startsWith(`${PACKAGE_NAME}.`));
		// n8n adds a `<name>Tool` variant of every node that is usableAsTool (AI agents); compare the nodes themselves.
		const nodes = ours.map((node) => node.name).filter((name) => !(name.endsWith('Tool') && ours.some((n) => `${n.name}Tool` === name)));
		expect(nodes.sort()).toEqual(declared('nodes').map((name) => `${PACKAGE_NAME}.${name}`).sort());
		const credentialsUsed = new Set(ours.flatMap((node) => node.credentials ?? []).map((c) => c.name));
		for (const credential of declared('credentials')) expect([...credentialsUsed]).toContain(credential);
	});
});

describe('templates in real n8n', () => {
	const ids = () => [...templates.values()].map((t) => t.id);
	const credentialOfNode = { [`${PACKAGE_NAME}.providerHandoff`]: 'supportProviderApi', [`${PACKAGE_NAME}.vendorCallback`]: 'supportProviderApi' };

	beforeAll(async () => {
		await home.importCredentials([
			{
				...VENDOR_CREDENTIAL,
				type: 'supportProviderApi',
				data: { baseUrl: vendor.url, authentication: 'apiKey', headerName: 'X-API-Key', apiKey: VENDOR_API_KEY, signingSecret: VENDOR_SIGNING_SECRET },
			},
		]);
		// As a user has them after choosing the vendor credential in the editor.
		await home.importWorkflows(
			[...templates.values()].map((t) => withCredentials(t, { supportProviderApi: VENDOR_CREDENTIAL }, credentialOfNode)),
		);
	});

	it('every template imports and keeps its id', async () => {
		const { stdout } = await home.cliOk(['list:workflow']);
		for (const id of ids()) expect(stdout).toContain(id);
	});

	it('ticket intake: the sample tickets are routed, handed off and recorded', async () => {
		const run = await home.execute('sdTicketIntake001');
		const internal = nodeOutput(run, 'Internal queue').map((item) => [item.id, (item.delegation as { destination: string }).destination]);
		expect(internal).toEqual([
			['T-1003', 'tier1'], // VIP stays in-house even with an invoice dispute
			['T-1004', 'trust'], // account takeover → trust & safety
			['T-1005', 'tier1'], // everyday question, default
		]);
		const delivered = nodeOutput(run, 'Provider Handoff', 0);
		expect(delivered.map((item) => [item.id, (item.delegation as { vendor: string }).vendor])).toEqual([
			['T-1001', 'billingpro'],
			['T-1002', 'voiceline'],
			['T-1006', 'billingpro'],
		]);
		expect(delivered.every((item) => (item.handoff as { status: string }).status === 'delivered')).toBe(true);

		// The vendor got exactly those three, each once, with an idempotency key and no requester e-mail or phone.
		const received = vendor.requests.filter((r) => JSON.stringify(r.body).includes('T-100'));
		expect(received).toHaveLength(3);
		for (const request of received) {
			expect(request.headers['idempotency-key']).toBeTruthy();
			expect(request.headers['x-api-key']).toBe(VENDOR_API_KEY);
			expect(JSON.stringify(request.body)).not.toMatch(/@example\.|\+49 30 1234567/);
		}

		const recorded = readDecisions(embeddedLedgerFile(home.dir)).filter((row) => row.ticketId.startsWith('T-100'));
		expect(recorded.map((row) => [row.ticketId, row.destination, row.reason]).sort()).toEqual([
			['T-1001', 'billingpro', 'specialist'],
			['T-1002', 'voiceline', 'outsourcing'],
			['T-1003', 'tier1', 'keepInternal'],
			['T-1004', 'trust', 'keepInternal'],
			['T-1005', 'tier1', 'default'],
			['T-1006', 'billingpro', 'specialist'],
		]);
	});
});

describe('the other templates in real n8n', () => {
	const decisions = () => readDecisions(embeddedLedgerFile(home.dir));

	it('overflow sweep: the team keeps the most urgent and oldest within capacity, the rest goes to the capacity vendor', async () => {
		const run = await home.execute('sdOverflowSweep01');
		const reasonOf = (item: Record<string, unknown>) => [item.id, (item.delegation as { reason: string }).reason];
		// Capacity 5: both urgent, both high, then the oldest normal one; the VIP customer's ticket stays by rule.
		expect(nodeOutput(run, 'Team keeps these').map(reasonOf).sort()).toEqual([
			['B-2001', 'sweepWithinCapacity'],
			['B-2003', 'sweepWithinCapacity'],
			['B-2004', 'sweepWithinCapacity'],
			['B-2007', 'sweepWithinCapacity'],
			['B-2008', 'keepInternal'],
			['B-2010', 'sweepWithinCapacity'],
		]);
		const delegated = nodeOutput(run, 'Provider Handoff', 0);
		expect(delegated.map((item) => item.id).sort()).toEqual(['B-2002', 'B-2005', 'B-2006', 'B-2009', 'B-2011', 'B-2012']);
		for (const item of delegated) {
			expect(item.delegation).toMatchObject({ vendor: 'peakforce', reason: 'overflow' });
			expect((item.handoff as { status: string }).status).toBe('delivered');
		}
		const rows = decisions().filter((row) => row.ticketId.startsWith('B-'));
		expect(rows).toHaveLength(12);
		expect(rows.filter((row) => row.vendor === 'peakforce').map((row) => row.ticketId).sort()).toEqual(delegated.map((item) => item.id).sort());
	});

	it('vendor callback: the manual path runs headless and lists no outcome before the vendor reported one', async () => {
		// Intake handed T-1001 and T-1006 to billingpro: handed off, not yet accepted or resolved by the vendor.
		const run = await home.execute('sdVendorCallback01');
		expect(run.status).toBe('success');
		expect(nodeOutput(run, 'Outcomes from billingpro')).toEqual([]);
	});

	it('weekly vendor risk: the report covers every vendor the ledger holds, with shares that add up', async () => {
		const run = await home.execute('sdVendorRiskWeekly');
		const [report] = nodeOutput(run, 'Vendor Risk');
		const vendors = report.vendors as Array<{ vendor: string; tickets: number; shareOfDelegated: number }>;
		// Recount from the ledger file: delegated tickets per vendor in the policy scope (latest decision per ticket).
		const latest = new Map(decisions().filter((row) => row.scope === 'support').map((row) => [row.ticketId, row]));
		const recount = new Map<string, number>();
		for (const row of latest.values()) if (row.vendor) recount.set(row.vendor, (recount.get(row.vendor) ?? 0) + 1);
		expect(Object.fromEntries(vendors.map((v) => [v.vendor, v.tickets]))).toEqual(Object.fromEntries(recount));
		expect(vendors.reduce((sum, v) => sum + v.shareOfDelegated, 0)).toBeCloseTo(1, 6);
		expect(['ok', 'warning', 'critical']).toContain(report.level);
		const branch = report.level === 'critical' ? 'Alert the support lead' : 'Nothing to escalate';
		expect(nodeOutput(run, branch)).toHaveLength(1);
	});

	it('Zendesk routing: Zendesk-shaped tickets get the group of their destination', async () => {
		const run = await home.execute('sdZendeskRouting01');
		const routed = nodeOutput(run, 'Group per destination').map((item) => [
			(item.delegation as { ticketId: string }).ticketId,
			(item.delegation as { destination: string }).destination,
			item.zendeskGroupId,
		]);
		expect(routed.sort()).toEqual([
			['48211', 'billingpro', 360002222222],
			['48212', 'voiceline', 360003333333],
			['48213', 'tier1', 360001111111],
		]);
	});
});

describe("ledger on PostgreSQL through n8n's built-in Postgres credential", () => {
	const schema = uniqueSchema();
	const CREDENTIAL = { id: 'sdLedgerPostgres1', name: 'Ledger database (e2e)' };
	const ledger = { ledger: 'postgres', ledgerSchema: schema };
	const credentials = { postgres: CREDENTIAL };
	const node = (name: string, type: string, position: number, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
		id: `pg-${name.toLowerCase().replace(/\W+/g, '-')}`,
		name,
		type,
		typeVersion: 1,
		position: [position * 220, 0],
		parameters,
		...extra,
	});
	const tickets = [
		{ id: 'PG-1', subject: 'Chargeback on my card', body: 'I see a chargeback I did not ask for.', channel: 'email', customer: { tier: 'standard', region: 'eu' } },
		{ id: 'PG-2', subject: 'Where is my parcel?', body: 'Tracking has not moved for a week.', channel: 'email', customer: { tier: 'standard', region: 'eu' } },
		{ id: 'PG-3', subject: 'Chargeback question', body: 'Chargeback on invoice 7.', channel: 'email', customer: { tier: 'vip', region: 'us' } },
	];
	const policy = {
		scope: 'pg-e2e',
		destinations: [
			{ id: 'team', kind: 'internal' },
			{ id: 'acme', kind: 'external', contract: 'specialist', dpa: true },
		],
		rules: [
			{ id: 'vip', kind: 'keepInternal', when: { tiers: ['vip'] }, target: 'team' },
			{ id: 'billing', kind: 'specialist', when: { keywords: ['chargeback'] }, target: 'acme' },
		],
		defaultDestination: 'team',
	};
	const route = {
		id: 'sdPgLedgerRoute01',
		name: 'e2e: route on the PostgreSQL ledger',
		settings: { executionOrder: 'v1' },
		nodes: [
			node('Start', 'n8n-nodes-base.manualTrigger', 0, {}),
			node('Tickets', 'n8n-nodes-base.code', 1, { jsCode: `return ${JSON.stringify(tickets)}.map((json) => ({ json }));` }, { typeVersion: 2 }),
			node('Ticket Router', `${PACKAGE_NAME}.ticketRouter`, 2, { policySource: 'json', policyJson: JSON.stringify(policy), ...ledger }, { credentials }),
		],
		connections: {
			Start: { main: [[{ node: 'Tickets', type: 'main', index: 0 }]] },
			Tickets: { main: [[{ node: 'Ticket Router', type: 'main', index: 0 }]] },
		},
	};
	const read = {
		id: 'sdPgLedgerRead001',
		name: 'e2e: read the PostgreSQL ledger',
		settings: { executionOrder: 'v1' },
		nodes: [
			node('Start', 'n8n-nodes-base.manualTrigger', 0, {}),
			node('Delegation Log', `${PACKAGE_NAME}.delegationLog`, 1, { operation: 'list', policyScope: 'pg-e2e', returnAll: true, ...ledger }, { credentials }),
		],
		connections: { Start: { main: [[{ node: 'Delegation Log', type: 'main', index: 0 }]] } },
	};

	beforeAll(async () => {
		await home.importCredentials([{ ...CREDENTIAL, type: 'postgres', data: { ...LEDGER_DATABASE, ssl: 'disable', allowUnauthorizedCerts: false, sshTunnel: false } }]);
		await home.importWorkflows([route, read]);
	});

	afterAll(async () => {
		await withPostgres((client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
	});

	it('the Ticket Router records its decisions in PostgreSQL with the credential n8n decrypts for it', async () => {
		const run = await home.execute(route.id);
		expect(nodeOutput(run, 'Ticket Router', 0).map((item) => item.id)).toEqual(['PG-2', 'PG-3']);
		expect(nodeOutput(run, 'Ticket Router', 1).map((item) => item.id)).toEqual(['PG-1']);
		const rows = await withPostgres(async (client) =>
			(await client.query(`SELECT ticket_id, destination, reason FROM ${schema}.delegations ORDER BY ticket_id`)).rows,
		);
		expect(rows).toEqual([
			{ ticket_id: 'PG-1', destination: 'acme', reason: 'specialist' },
			{ ticket_id: 'PG-2', destination: 'team', reason: 'default' },
			{ ticket_id: 'PG-3', destination: 'team', reason: 'keepInternal' },
		]);
	});

	it('the Delegation Log reads them back through the same credential', async () => {
		const run = await home.execute(read.id);
		const listed = nodeOutput(run, 'Delegation Log').map((item) => item.ticketId ?? (item.delegation as { ticketId?: string } | undefined)?.ticketId);
		expect(listed.sort()).toEqual(['PG-1', 'PG-2', 'PG-3']);
	});
});

describe('published intake webhook under load', () => {
	let server: N8nServer;
	const TICKETS = 200;

	beforeAll(async () => {
		await home.publish(['sdTicketIntake001', 'sdVendorCallback01']);
		server = await home.start();
		await server.waitForWebhook('support-delegation/intake');
		await server.waitForWebhook('support-delegation/vendor-callback/billingpro');
	});

	it(`${TICKETS} webhook tickets → ${TICKETS} responses with decisions, and exactly ${TICKETS} decisions in the ledger`, async () => {
		const tickets = Array.from({ length: TICKETS }, (_, i) => sampleTicket(i, 'W'));
		const responses: Array<{ status: number; body: Record<string, unknown> }> = [];
		const started = Date.now();
		let next = 0;
		// 8 in flight, like a helpdesk's webhook dispatcher.
		await Promise.all(
			Array.from({ length: 8 }, async () => {
				while (next < tickets.length) {
					const ticket = tickets[next++];
					const response = await fetch(`${server.url}/webhook/support-delegation/intake`, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify(ticket),
					});
					responses.push({ status: response.status, body: (await response.json()) as Record<string, unknown> });
				}
			}),
		);
		const seconds = (Date.now() - started) / 1000;
		console.log(`${TICKETS} webhook tickets in ${seconds.toFixed(1)} s (${(TICKETS / seconds).toFixed(1)}/s, 8 in flight)`);

		const failures = responses.filter((r) => r.status !== 200);
		expect(failures.slice(0, 3), `${failures.length} of ${TICKETS} failed`).toEqual([]);
		expect(responses.map((r) => r.body.ticketId).sort()).toEqual(tickets.map((t) => t.id).sort());
		for (const { body } of responses) {
			expect(typeof body.destination).toBe('string');
			expect(['keepInternal', 'specialist', 'outsourcing', 'overflow', 'default']).toContain(body.reason);
		}
		// VIP tickets always stay in-house; EU phone tickets go to the phone vendor (its contract covers EU data only).
		for (const ticket of tickets) {
			const body = responses.find((r) => r.body.ticketId === ticket.id)!.body;
			if (ticket.customer.tier === 'vip') expect(body.destination, ticket.id).toBe('tier1');
			else if (ticket.channel === 'phone' && ticket.customer.region === 'eu') expect(body.vendor, ticket.id).toBe('voiceline');
		}

		const rows = readDecisions(embeddedLedgerFile(home.dir)).filter((row) => row.ticketId.startsWith('W-'));
		expect(rows).toHaveLength(TICKETS);
		expect(new Set(rows.map((row) => row.ticketId)).size).toBe(TICKETS);
		// What each caller was told is what the ledger holds.
		const told = new Map(responses.map((r) => [r.body.ticketId, r.body.decisionId]));
		for (const row of rows) expect(told.get(row.ticketId), row.ticketId).toBe(row.id);
	});

	it('vendor callback template: a signed outcome is recorded, a tampered one gets 401 (the full attack suite: vendor-callback.e2e.ts)', async () => {
		const url = `${server.url}/webhook/support-delegation/vendor-callback/billingpro`;
		const body = JSON.stringify({ ticketId: 'T-1006', status: 'resolved', providerReference: 'BP-5521', slaMet: true, csat: 4.8 });
		const timestamp = String(Math.floor(Date.now() / 1000));
		const signature = 'sha256=' + createHmac('sha256', VENDOR_SIGNING_SECRET).update(`${timestamp}.${body}`).digest('hex');
		const send = (payload: string) =>
			fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-callback-timestamp': timestamp, 'x-callback-signature': signature },
				body: payload,
			});
		const latest = () => readDecisions(embeddedLedgerFile(home.dir)).filter((row) => row.ticketId === 'T-1006').at(-1)!;

		const tampered = await send(body.replace('4.8', '1'));
		expect(tampered.status).toBe(401);
		expect(latest().status).not.toBe('resolved');

		const signed = await send(body);
		expect(signed.status).toBe(200);
		expect(await signed.json()).toMatchObject({ recorded: true, ticketId: 'T-1006', status: 'resolved', csat: 4.8, slaMet: true });
		expect(latest().status).toBe('resolved');
	});

	it('serves the package credential type to the editor', async () => {
		const rest = await N8nRest.ownerSession(server.url);
		const response = await fetch(`${server.url}/types/credentials.json`, { headers: { cookie: rest.cookie } });
		const types = (await response.json()) as Array<{ name: string }>;
		for (const credential of declared('credentials')) expect(types.map((t) => t.name)).toContain(credential);
	});

	it('the editor loads the AI triage template: n8n knows its extractor, our router at version 2, every icon loads', async () => {
		const rest = await N8nRest.ownerSession(server.url);
		const screenshot = join(home.dir, 'ai-triage.png');
		const view = await viewWorkflow(server.url, rest.token, 'sdAiTriage0001', screenshot);
		const expected = templates.get('ai-triage.json')!.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote');
		expect(view.unknownNodeTexts).toEqual([]);
		expect(view.failedIcons).toEqual([]);
		expect(view.nodes.map((node) => node.name).sort()).toEqual(expected.map((node) => node.name).sort());
		for (const node of view.nodes) expect(node.notInstalled, `${node.name} is marked not installed`).toBe(false);
		expect(existsSync(screenshot)).toBe(true);
	});

	it('the editor draws every node of the intake template with its icon (nothing unknown or missing)', async () => {
		const rest = await N8nRest.ownerSession(server.url);
		const view = await viewWorkflow(server.url, rest.token, 'sdTicketIntake001', join(REPO_ROOT, 'docs', 'screenshot-intake.png'));
		const expected = templates.get('ticket-intake.json')!.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote');
		expect(view.unknownNodeTexts).toEqual([]);
		expect(view.failedIcons).toEqual([]);
		expect(view.nodes.map((node) => node.name).sort()).toEqual(expected.map((node) => node.name).sort());
		for (const node of view.nodes) {
			expect(node.notInstalled, `${node.name} is marked not installed`).toBe(false);
			expect(['image', 'svg'], `${node.name} shows no icon`).toContain(node.icon);
			if (node.type.startsWith(`${PACKAGE_NAME}.`)) {
				expect(node.iconSrc, node.name).toContain(`/icons/${PACKAGE_NAME}/`);
				expect(node.iconLoaded, `${node.name}: ${node.iconSrc} did not load`).toBe(true);
			}
		}
	});
});
