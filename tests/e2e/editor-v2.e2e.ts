import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { N8nHome, N8nRest, PACKAGE_NAME, type N8nServer } from '../real-n8n';
import { CHROMIUM, CHROMIUM_ARGS } from './support/editor';
import { v1Parameters, v2Parameters } from './support/editor-budget';

/**
 * Build in Editor in the real n8n editor: the same 6-destination, 5-rule policy stored by a version-1 and a
 * version-2 Ticket Router, opened in headless Chromium. Measures how tall the parameter panel is and checks that
 * version 2's destination dropdowns are filled by the node's loadOptions (names shown for stored IDs).
 */
const home = new N8nHome();
let server: N8nServer;
let rest: N8nRest;

function workflow(id: string, typeVersion: number, parameters: object) {
	return {
		id,
		name: `Editor budget v${typeVersion}`,
		nodes: [
			{ id: `${id}-t`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: `${id}-r`, name: 'Ticket Router', type: `${PACKAGE_NAME}.ticketRouter`, typeVersion, position: [240, 0], parameters },
		],
		connections: { Start: { main: [[{ node: 'Ticket Router', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		active: false,
		pinData: {},
	};
}

interface Panel {
	/** Height of the whole parameter panel content, px. */
	height: number;
	/** Parameter fields shown (inputs and dropdowns). */
	fields: number;
	values: string[];
	text: string;
}

async function openRouter(workflowId: string, screenshot: string): Promise<Panel> {
	let browser: Browser | undefined;
	try {
		browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
		const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
		await context.addCookies([{ name: 'n8n-auth', value: rest.token, url: server.url }]);
		const page = await context.newPage();
		// Generous waits: on a shared build machine the editor's bundle alone can take a minute to load.
		page.setDefaultTimeout(180_000);
		await page.goto(`${server.url}/workflow/${workflowId}`, { waitUntil: 'load' });
		await page.locator('[data-node-name="Ticket Router"]').first().dblclick();
		const panel = page.locator('[data-test-id="node-parameters"]').first();
		await panel.waitFor();
		// Let dropdowns load their options from the node (loadOptions) and the panel settle.
		await page.waitForLoadState('networkidle');
		await page.waitForTimeout(3_000);
		await page.screenshot({ path: screenshot });
		return await panel.evaluate((element) => ({
			height: element.scrollHeight,
			fields: element.querySelectorAll('[data-test-id="parameter-input-field"], input:not([type="hidden"]), .el-select').length,
			// What the fields show: a dropdown shows the chosen option's name in its input.
			values: Array.from(element.querySelectorAll('input')).map((input) => (input as unknown as { value: string }).value),
			text: (element as unknown as { innerText: string }).innerText,
		}));
	} finally {
		await browser?.close();
	}
}

beforeAll(async () => {
	home.linkPackage();
	await home.importWorkflows([workflow('sdEditorBudgetV1', 1, v1Parameters), workflow('sdEditorBudgetV2', 2, v2Parameters)]);
	// A shared build machine can take minutes to start n8n.
	server = await home.start({ readyTimeoutMs: 300_000 });
	rest = await N8nRest.ownerSession(server.url);
});

afterAll(async () => {
	await home.dispose();
});

describe('Build in Editor, version 1 and 2, in the real editor', () => {
	it('version 2 shows the same policy in a much shorter panel, with destinations picked from lists', async () => {
		const v1 = await openRouter('sdEditorBudgetV1', join(home.dir, 'editor-v1.png'));
		const v2 = await openRouter('sdEditorBudgetV2', join(home.dir, 'editor-v2.png'));
		console.log(`editor panel: v1 ${v1.height}px, ${v1.fields} fields; v2 ${v2.height}px, ${v2.fields} fields (screenshots in ${home.dir})`);
		// Stored IDs are shown by the names the node's dropdowns load from the policy being edited.
		expect(v2.values).toEqual(expect.arrayContaining(['Billing Experts (billing-experts)', 'Support team (support-team)', 'Surge A (surge-a)', 'Office (office)', 'France (FR)']));
		expect(v2.text).not.toContain('is not supported');
		// Measured on n8n 2.41.1 at 1600×1000: version 1 14,222 px, version 2 8,296 px (42% shorter).
		expect(v2.height).toBeLessThan(v1.height * 0.65);
	});
});
