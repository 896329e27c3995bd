import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';
import { N8nHome, packPackage, parseRawOutput, type N8nServer } from '../real-n8n';
import { readPng } from '../unit/report/png-reader';
import { SAMPLE_POLICY, sampleMonth, sampleOutcomes } from '../unit/report/sample';
import { seedLedger } from '../unit/risk/rows';
import { CHROMIUM, CHROMIUM_ARGS } from './support/editor';
import { embeddedLedgerFile } from './support/ledger';
import { loadTemplates, withCredentials } from './support/templates';

/**
 * The risk dashboard template in the real n8n 2.41.1, with the package installed from its npm tarball: the weekly
 * branch's PNG and page, and the page served by the published GET webhook behind Basic Auth, loaded in Chromium.
 */
const home = new N8nHome();
const ID = 'sdRiskDashboard01';
const VIEWERS = { id: 'sdDashboardAuth01', name: 'Dashboard viewers (e2e)' };
const USER = 'ops';
// Fresh per run: never a fixed password in the source.
const PASSWORD = randomBytes(12).toString('hex');
let tarball = '';
let server: N8nServer | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
	tarball = packPackage(home.nodeBinDir);
	home.installTarball(tarball);
	const file = embeddedLedgerFile(home.dir);
	mkdirSync(dirname(file), { recursive: true });
	const ledger = await SqliteLedger.open(file);
	const rows = sampleMonth(Date.now());
	await seedLedger(ledger, rows);
	await ledger.recordOutcomes('support', sampleOutcomes(rows));
	await ledger.close();

	await home.importCredentials([{ ...VIEWERS, type: 'httpBasicAuth', data: { user: USER, password: PASSWORD } }]);
	const template = withCredentials(loadTemplates().get('risk-dashboard.json')!, { httpBasicAuth: VIEWERS }, { 'n8n-nodes-base.webhook': 'httpBasicAuth' });
	// As a user would set it: the policy under Dashboard Options of the page's Vendor Risk node.
	for (const node of template.nodes as unknown as Array<{ name: string; parameters: Record<string, Record<string, unknown>> }>) {
		if (node.name === 'Page report') node.parameters.dashboardOptions = { ...node.parameters.dashboardOptions, policyJson: JSON.stringify(SAMPLE_POLICY) };
	}
	await home.importWorkflows([template]);
});

afterAll(async () => {
	await browser?.close();
	await home.dispose();
	if (tarball) rmSync(dirname(tarball), { recursive: true, force: true });
});

describe('risk dashboard template in real n8n', () => {
	it('Try it: the weekly report carries a PNG chart n8n can show and the page as an HTML file', async () => {
		// `n8n execute` prints the run, then stops its task runner; on this loaded machine it was once ended by a signal
		// after printing a complete run (exit code null). The run it printed is what this test reads.
		const cli = await home.cli(['execute', `--id=${ID}`, '--rawOutput']);
		expect([0, null], cli.stderr).toContain(cli.code);
		const run = parseRawOutput(cli.stdout);
		expect(run.data.resultData.error).toBeUndefined();
		const item = (run.data.resultData.runData['Weekly report'][0].data!.main[0]![0] as unknown as {
			json: { level: string; window: { timeZone: string } };
			binary: Record<string, { mimeType: string; fileName: string; fileExtension?: string; data?: string; id?: string }>;
		});
		expect(['ok', 'warning', 'critical']).toContain(item.json.level);
		expect(item.binary.chart).toMatchObject({ mimeType: 'image/png', fileName: 'vendor-shares.png' });
		expect(item.binary.dashboard).toMatchObject({ mimeType: 'text/html', fileName: 'vendor-risk.html' });
		// The PNG itself: in the run (default binary mode) or in the user folder's binary storage (filesystem mode).
		const chart = item.binary.chart as { data?: string; id?: string };
		const bytes =
			chart.id && /^filesystem(-v2)?:/.test(chart.id)
				? readFileSync(join(home.dir, '.n8n', 'storage', chart.id.replace(/^filesystem(-v2)?:/, '')))
				: Buffer.from(chart.data ?? '', 'base64');
		const png = readPng(bytes);
		expect([png.width, png.height]).toEqual([800, 400]);
	});

	it('GET /webhook/vendor-risk: refused without credentials; with them, the page, which loads nothing else', async () => {
		await home.publish([ID]);
		server = await home.start();
		await server.waitForWebhook('vendor-risk', 'GET');
		const url = `${server.url}/webhook/vendor-risk`;
		const refused = await fetch(url);
		expect([401, 403]).toContain(refused.status);
		expect(await refused.text()).not.toContain('Vendor dependency risk');

		const auth = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
		const response = await fetch(url, { headers: { authorization: auth } });
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/^text\/html/);
		const body = await response.text();
		expect(body).toContain('Vendor dependency risk');
		expect(body).toContain('Caps and budget');
		expect(body).toContain('Europe/Berlin');

		browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
		const context = await browser.newContext({ httpCredentials: { username: USER, password: PASSWORD }, viewport: { width: 1180, height: 900 } });
		const page = await context.newPage();
		const requests: string[] = [];
		const complaints: string[] = [];
		page.on('request', (r) => requests.push(r.url()));
		page.on('console', (m) => {
			if (m.type() === 'error') complaints.push(m.text());
		});
		page.on('pageerror', (e) => complaints.push(e.message));
		await page.goto(url, { waitUntil: 'load' });
		await page.waitForTimeout(300);
		// n8n may wrap a webhook's HTML in a sandboxed frame: read the text of whichever frame holds the page.
		const texts = await Promise.all(page.frames().map((f) => f.evaluate<string>('document.body ? document.body.innerText : ""')));
		expect(texts.join('\n')).toContain('Vendor dependency risk');
		expect(complaints).toEqual([]);
		expect(requests.filter((r) => !r.startsWith(url) && !r.startsWith('about:'))).toEqual([]);
		await context.close();
	});
});
