import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { importDemo } from '../../scripts/demo/setup';
import { startDemoVendor, type DemoVendor } from '../../scripts/demo/vendor';
import { freePort, N8nHome, N8nRest, REPO_ROOT, type N8nServer } from '../real-n8n';
import { pressExecuteWorkflow, type ButtonRun } from './support/execute-button';
import { embeddedLedgerFile, readDecisions } from './support/ledger';
import { loadTemplates, TEMPLATE_DIR } from './support/templates';

/**
 * A newcomer's first click. A fresh n8n user folder gets exactly what `npm run dev` gives it (the package linked in,
 * the demo vendor, the demo credentials and the templates, through the same `importDemo`); then, for every template,
 * headless Chromium opens it in the editor and presses the main Execute workflow button. Nothing here creates a
 * credential or edits a template.
 */
const home = new N8nHome();
const templates = loadTemplates();
const screenshotOf = (file: string) => join(REPO_ROOT, 'docs', `newcomer-${basename(file, '.json')}.png`);

let vendor: DemoVendor;
let server: N8nServer;
let rest: N8nRest;
const runs = new Map<string, ButtonRun>();

beforeAll(async () => {
	home.linkPackage();
	const secret = randomBytes(24).toString('hex');
	vendor = await startDemoVendor({ secret });
	await importDemo({
		n8n: home.bin,
		env: home.env({ N8N_RUNNERS_BROKER_PORT: String(await freePort()) }),
		vendorUrl: vendor.url,
		secret,
		templates: TEMPLATE_DIR,
	});
	server = await home.start();
	rest = await N8nRest.ownerSession(server.url);
});

afterAll(async () => {
	await home.dispose();
	await vendor?.close();
});

const decisions = () => readDecisions(embeddedLedgerFile(home.dir));

describe('every template, from the main Execute workflow button on a fresh user folder', () => {
	// Alphabetical, as the files sort: the vendor risk report then reads what intake and sweep recorded.
	describe.each([...templates.entries()].map(([file, json]) => ({ file, json })))('$file', ({ file, json }) => {
		it('starts from its Manual Trigger and ends green', async () => {
			const run = await pressExecuteWorkflow(rest, json.id, screenshotOf(file));
			runs.set(file, run);
			const manual = json.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger')!;
			// "Execute workflow from <trigger>" would mean the editor picked another trigger (a webhook would wait).
			expect(run.label).toBe('Execute workflow');
			expect(run.execution).toMatchObject({ status: 'success', mode: 'manual' });
			expect(run.succeeded).toContain(manual.name);
			for (const node of json.nodes.filter((n) => n.disabled)) expect(run.succeeded, `${node.name} ships disabled`).not.toContain(node.name);
			expect(existsSync(screenshotOf(file))).toBe(true);
		});
	});
});

describe('what the first clicks did', () => {
	const ran = (file: string) => {
		if (!runs.has(file)) throw new Error(`${file} was not run from its button above (run the whole file)`);
	};

	it('ticket intake: each vendor got its tickets at its own endpoint, signed with its demo credential', () => {
		ran('ticket-intake.json');
		// From the template's policy: chargeback and "refund dispute" → BillingPro; the phone call → VoiceLine; VIP,
		// account takeover and the how-to question stay in-house. The demo vendor answers 401 to a bad signature, so
		// an accepted hand-off proves the credential's secret.
		const accepted = vendor.accepted.filter((a) => a.ticketId.startsWith('T-'));
		expect(accepted.map((a) => [a.vendor, a.ticketId]).sort()).toEqual([
			['billingpro', 'T-1001'],
			['billingpro', 'T-1006'],
			['voiceline', 'T-1002'],
		]);
		const rows = decisions().filter((row) => row.ticketId.startsWith('T-'));
		expect(rows.map((row) => [row.ticketId, row.destination]).sort()).toEqual([
			['T-1001', 'billingpro'],
			['T-1002', 'voiceline'],
			['T-1003', 'tier1'],
			['T-1004', 'trust'],
			['T-1005', 'tier1'],
			['T-1006', 'billingpro'],
		]);
		expect(runs.get('ticket-intake.json')!.succeeded).toEqual(expect.arrayContaining(['Hand off to BillingPro', 'Hand off to VoiceLine', 'Internal queue']));
	});

	it('overflow sweep: the overflow reached the capacity vendor', () => {
		ran('overflow-sweep.json');
		const accepted = vendor.accepted.filter((a) => a.ticketId.startsWith('B-'));
		expect(accepted.every((a) => a.vendor === 'peakforce')).toBe(true);
		expect(accepted.map((a) => a.ticketId).sort()).toEqual(['B-2002', 'B-2005', 'B-2006', 'B-2009', 'B-2011', 'B-2012']);
		expect(decisions().filter((row) => row.ticketId.startsWith('B-'))).toHaveLength(12);
	});

	it('AI triage: the demo model labelled the samples and the router routed on the labels', () => {
		ran('ai-triage.json');
		// The stand-in's keywords on the sample texts: a double charge → refund, "locked out" → account access,
		// "fails with error 500" → bug, "call me back" → nothing it knows, so low confidence and the team decides.
		const rows = decisions().filter((row) => row.ticketId.startsWith('AI-'));
		expect(rows.map((row) => [row.ticketId, row.destination, row.ruleId]).sort()).toEqual([
			['AI-3001', 'billing-experts', 'refunds'],
			['AI-3002', 'trust', 'account-access'],
			['AI-3003', 'bug-squad', 'bugs'],
			['AI-3004', 'team', 'unsure'],
		]);
	});

	it('vendor risk report and Zendesk routing: the report ran on the ledger, the Zendesk samples were routed', () => {
		ran('vendor-risk-report.json');
		ran('zendesk-routing.json');
		expect(runs.get('vendor-risk-report.json')!.succeeded).toContain('Vendor Risk');
		const zendesk = decisions().filter((row) => /^4821\d$/.test(row.ticketId));
		expect(zendesk.map((row) => [row.ticketId, row.destination]).sort()).toEqual([
			['48211', 'billingpro'],
			['48212', 'voiceline'],
			['48213', 'tier1'],
		]);
	});
});
