import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { assessRisk } from '../../domain/risk/assess';
import { dailyShareSeries } from '../../domain/risk/series';
import { snapshotRequest } from '../../domain/routing/decide';
import { loadPolicy } from '../../domain/policy/compile';
import type { DashboardInput } from '../../domain/report/dashboard';
import { dashboardHtml } from '../../domain/report/html';
import { capUsage } from '../../domain/report/usage';
import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';
import { closeLedgers } from '../../nodes/shared/ledger/open';
import { MemoryLedger } from '../doubles/memory-ledger';
import { HARNESS_INPUT, PACKAGE, runWorkflow } from '../harness/workflow';
import { seedLedger } from '../unit/risk/rows';
import { SAMPLE_POLICY, SAMPLE_QUALITY, sampleMonth, sampleOutcomes } from '../unit/report/sample';
import { readPng } from '../unit/report/png-reader';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`\n\u26a0  SKIPPING the dashboard page in Chromium: ${CHROMIUM} is missing (apt-get install -y chromium)\n`);
const SCREENSHOT = join(__dirname, '..', '..', 'docs', 'screenshot-risk-dashboard.png');
const DAY = 86_400_000;
/** 2026-11-26 10:00 in Berlin: a fixed moment, so the page and its screenshot are the same on every run. */
const NOW = Date.UTC(2026, 10, 26, 9, 0, 0);

async function sampleDashboard(overrides: Partial<DashboardInput> = {}, rows = sampleMonth(NOW)): Promise<string> {
	const ledger = new MemoryLedger();
	ledger.seed(rows);
	await ledger.recordOutcomes('support', sampleOutcomes(rows));
	const options = { scope: 'support', now: NOW, days: 30, timeZone: 'Europe/Berlin', wholeDays: false };
	const report = await assessRisk(ledger, options);
	const policy = loadPolicy(SAMPLE_POLICY);
	const request = snapshotRequest(policy, [], NOW);
	return dashboardHtml({
		title: 'Vendor dependency risk',
		report,
		series: await dailyShareSeries(ledger, 'support', report.window, 'Europe/Berlin'),
		timeZone: 'Europe/Berlin',
		scope: 'support',
		days: 30,
		generatedAt: NOW,
		quality: SAMPLE_QUALITY,
		usage: { monthStart: request.monthStart, vendors: capUsage(policy.destinations, await ledger.snapshot('support', request), 30) },
		...overrides,
	});
}

interface PageVisit {
	requests: string[];
	consoleErrors: string[];
	dialogs: string[];
	overflowX: boolean;
	text: string;
}

/** Serves one page from a local server and loads it in Chromium, recording every request and console complaint. */
async function visit(browser: Browser, html: string, screenshot?: string): Promise<PageVisit> {
	const server: Server = createServer((req, res) => {
		res.writeHead(req.url === '/' ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
		res.end(req.url === '/' ? html : 'not found');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
	const context = await browser.newContext({ viewport: { width: 1180, height: 900 }, deviceScaleFactor: 1 });
	try {
		const page = await context.newPage();
		const visit: PageVisit = { requests: [], consoleErrors: [], dialogs: [], overflowX: false, text: '' };
		page.on('request', (r) => visit.requests.push(r.url()));
		page.on('console', (m) => {
			if (m.type() === 'error' || m.type() === 'warning') visit.consoleErrors.push(m.text());
		});
		page.on('pageerror', (error) => visit.consoleErrors.push(error.message));
		page.on('dialog', async (d) => {
			visit.dialogs.push(d.message());
			await d.dismiss();
		});
		await page.goto(url, { waitUntil: 'load' });
		await page.waitForTimeout(200);
		// Strings, not functions: this file is compiled without the DOM library.
		visit.overflowX = await page.evaluate<boolean>('document.documentElement.scrollWidth > window.innerWidth');
		visit.text = await page.evaluate<string>('document.body.innerText');
		if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
		return visit;
	} finally {
		await context.close();
		await new Promise((resolve) => server.close(resolve));
	}
}

describe.skipIf(!hasChromium)('Vendor Risk dashboard page in headless Chromium', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('renders with no console errors and no request but its own; the screenshot goes into docs/ on request', async () => {
		const html = await sampleDashboard();
		// Set SD_UPDATE_SCREENSHOTS=1 to refresh docs/; otherwise the screenshot is taken into a temp folder.
		const temp = mkdtempSync(join(tmpdir(), 'sd-dashboard-'));
		const shot = process.env.SD_UPDATE_SCREENSHOTS === '1' ? SCREENSHOT : join(temp, 'page.png');
		const page = await visit(browser, html, shot);
		expect(page.consoleErrors).toEqual([]);
		expect(page.requests).toHaveLength(1);
		expect(page.requests[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
		expect(page.overflowX).toBe(false);
		// The sample's figures as people read them: acme's last ten days hold 27–30 of 57–61 delegated a day.
		expect(page.text).toContain('Vendor dependency risk');
		expect(page.text).toMatch(/scope support · 2026-10-27 10:00 → 2026-11-26 10:00 Europe\/Berlin/);
		expect(page.text).toContain('Quality');
		expect(page.text).toContain('Caps and budget');
		expect(page.text).toMatch(/bolt\s+198\s+198\s+54\.5%\s+0\.545/);
		expect(readPng(readFileSync(shot)).width).toBe(1180);
		rmSync(temp, { recursive: true, force: true });
	});

	it('shows a hostile vendor name as text: nothing runs, nothing is fetched', async () => {
		const hostile = `<img src="http://198.51.100.7/x.png" onerror="alert(1)"></style><script>alert(2)</script>`;
		const rows = sampleMonth(NOW).map((r) => (r.vendor === 'dyna' ? { ...r, vendor: hostile, destination: 'dyna' } : r));
		const page = await visit(browser, await sampleDashboard({ quality: [{ ...SAMPLE_QUALITY[0], vendor: hostile }] }, rows));
		expect(page.dialogs).toEqual([]);
		expect(page.consoleErrors).toEqual([]);
		expect(page.requests).toHaveLength(1);
		expect(page.text).toContain('<script>alert(2)</script>');
	});

	it('day one: a page for a ledger with one day of decisions and no quality or policy', async () => {
		const rows = sampleMonth(NOW).filter((r) => r.decidedAt >= NOW - DAY);
		const page = await visit(browser, await sampleDashboard({ quality: undefined, usage: undefined }, rows));
		expect(page.consoleErrors).toEqual([]);
		expect(page.requests).toHaveLength(1);
		expect(page.text).not.toContain('Quality');
		expect(page.text).not.toContain('Caps and budget');
	});
});

describe('Vendor Risk node: PNG chart and HTML dashboard in a workflow', () => {
	const folder = mkdtempSync(join(tmpdir(), 'sd-risk-dashboard-'));
	let file: string;
	beforeAll(async () => {
		file = join(folder, 'ledger.sqlite');
		const ledger = await SqliteLedger.open(file);
		await seedLedger(ledger, sampleMonth(Date.now()));
		await ledger.close();
	});
	afterAll(async () => {
		await closeLedgers();
		rmSync(folder, { recursive: true, force: true });
	});

	const workflow = (parameters: INodeParameters, typeVersion = 1.1) => ({
		nodes: [
			{ id: '1', name: 'Input', type: HARNESS_INPUT, typeVersion: 1, position: [0, 0] as [number, number], parameters: {} },
			{ id: '2', name: 'Vendor Risk', type: `${PACKAGE}.vendorRisk`, typeVersion, position: [200, 0] as [number, number], parameters },
		],
		connections: { Input: { main: [[{ node: 'Vendor Risk', type: 'main' as const, index: 0 }]] } },
		// A workflow zone that is neither the policy's nor n8n's default (America/New_York).
		settings: { timezone: 'Asia/Kolkata' },
	});

	it('attaches a PNG chart and the page as binaries, in the policy’s time zone', async () => {
		const run = await runWorkflow(
			workflow({
				output: 'report',
				policyScope: 'support',
				chart: true,
				dashboard: true,
				dashboardOptions: { policyJson: JSON.stringify(SAMPLE_POLICY), title: 'Support vendors' },
				ledgerFile: file,
			}),
		);
		expect(run.status).toBe('success');
		const [item] = run.output('Vendor Risk');
		expect(item.pairedItem).toEqual({ item: 0 });
		expect((item.json.window as IDataObject).timeZone).toBe('Europe/Berlin');
		// fileType 'image' is n8n's own classification of the MIME type: what its binary view shows inline.
		expect(item.binary!.chart).toMatchObject({ mimeType: 'image/png', fileName: 'vendor-shares.png', fileExtension: 'png', fileType: 'image' });
		const png = readPng(Buffer.from(item.binary!.chart.data, 'base64'));
		expect([png.width, png.height]).toEqual([800, 400]);
		expect(item.binary!.dashboard).toMatchObject({ mimeType: 'text/html', fileName: 'vendor-risk.html' });
		const html = Buffer.from(item.binary!.dashboard.data, 'base64').toString('utf8');
		expect(html).toContain('<title>Support vendors</title>');
		expect(html).toContain('Caps and budget');
		expect(html).toContain('Europe/Berlin');
	});

	it('puts the page in a JSON field when asked, and fails naming the option for a broken policy', async () => {
		const run = await runWorkflow(workflow({ output: 'report', policyScope: 'support', dashboard: true, dashboardOutput: 'json', dashboardField: 'html', ledgerFile: file }));
		const [item] = run.output('Vendor Risk');
		expect(String(item.json.html)).toMatch(/^<!DOCTYPE html>/);
		expect(item.binary).toBeUndefined();
		expect(String(item.json.html)).not.toContain('Caps and budget');
		// Without a policy the report runs in the workflow's zone.
		expect((item.json.window as IDataObject).timeZone).toBe('Asia/Kolkata');
		expect(String(item.json.html)).toContain('Asia/Kolkata');

		const broken = await runWorkflow(workflow({ output: 'report', dashboard: true, dashboardOptions: { policyJson: '{"destinations": 3' }, ledgerFile: file }));
		expect(broken.status).toBe('error');
		expect(broken.error('Vendor Risk')?.message).toMatch(/^Dashboard Options › Policy \(JSON\) is not a valid policy: /);
	});

	it('version 1 keeps its SVG chart and has no dashboard', async () => {
		const run = await runWorkflow(workflow({ output: 'report', policyScope: 'support', chart: true, dashboard: true, ledgerFile: file }, 1));
		const [item] = run.output('Vendor Risk');
		expect(Object.keys(item.binary!)).toEqual(['chart']);
		expect(item.binary!.chart).toMatchObject({ mimeType: 'image/svg+xml', fileName: 'vendor-shares.svg' });
	});
});
