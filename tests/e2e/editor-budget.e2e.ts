import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { N8nHome, N8nRest, PACKAGE_NAME, type N8nServer } from '../real-n8n';
import { v1Parameters, v2Parameters, v3Parameters } from './support/editor-budget';
import { withRouterPanel } from './support/router-panel';

/**
 * Build in Editor in the real n8n editor: the same 6-destination, 5-rule policy stored by a version-1, a version-2
 * and a version-3 Ticket Router, opened in headless Chromium. Measures how tall the parameter panel is, checks that
 * the destination dropdowns are filled by the node's loadOptions (names shown for stored IDs), and checks in the real
 * editor the counting rule the click budget's model takes from n8n's source: a new item's nested list of items
 * starts empty, not at its default.
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
	/** What `act` found, when given. */
	acted?: unknown;
}

async function openRouter(workflowId: string, screenshot: string, act?: (page: Page) => Promise<unknown>): Promise<Panel> {
	return withRouterPanel(server.url, rest.token, workflowId, async (page) => {
		const panel = page.locator('[data-test-id="node-parameters"]').first();
		// Let dropdowns load their options from the node (loadOptions) and the panel settle: every dropdown done
		// loading (a busy machine can take longer than the network going quiet).
		await page.waitForFunction(`!Array.from(document.querySelectorAll('input')).some((input) => input.value === 'Loading options...')`);
		await page.waitForTimeout(3_000);
		await page.screenshot({ path: screenshot });
		const measured = await panel.evaluate((element) => ({
			height: element.scrollHeight,
			fields: element.querySelectorAll('[data-test-id="parameter-input-field"], input:not([type="hidden"]), .el-select').length,
			// What the fields show: a dropdown shows the chosen option's name in its input.
			values: Array.from(element.querySelectorAll('input')).map((input) => (input as unknown as { value: string }).value),
			text: (element as unknown as { innerText: string }).innerText,
		}));
		return { ...measured, acted: act ? await act(page) : undefined };
	});
}

beforeAll(async () => {
	home.linkPackage();
	await home.importWorkflows([workflow('sdEditorBudgetV1', 1, v1Parameters), workflow('sdEditorBudgetV2', 2, v2Parameters), workflow('sdEditorBudgetV3', 3, v3Parameters)]);
	// A shared build machine can take minutes to start n8n.
	server = await home.start({ readyTimeoutMs: 300_000 });
	rest = await N8nRest.ownerSession(server.url);
});

afterAll(async () => {
	await home.dispose();
});

/**
 * Clicks *Add Schedule*, reports what the new schedule's Opening Hours list shows, types the schedule's name, and
 * reports the opening hours then.
 */
async function addSchedule(page: Page): Promise<{ before: number; after: number; newHoursText: string; closesAfterName: string }> {
	const schedules = page.locator('[data-test-id="fixed-collection-schedules"]').first();
	const hours = schedules.locator('[data-test-id="fixed-collection-hours"]');
	const before = await hours.count();
	// The schedules' own Add button comes after its items (whose Opening Hours have their own Add buttons).
	await schedules.locator('[data-test-id="fixed-collection-add"]').last().click();
	await page.waitForTimeout(1_000);
	const after = await hours.count();
	const newHoursText = await hours.last().innerText();
	await page.locator(`[data-parameter-path="parameters.schedules.schedule[${before}].name"] input`).first().fill('Weekend');
	await page.waitForTimeout(1_000);
	const closes = page.locator(`[data-parameter-path="parameters.schedules.schedule[${before}].hours.interval[0].to"] input`);
	return { before, after, newHoursText, closesAfterName: (await closes.count()) ? await closes.first().inputValue() : '(no opening hours)' };
}

describe('Build in Editor, versions 1, 2 and 3, in the real editor', () => {
	it('each version shows the same policy in a shorter panel, with destinations picked from lists', async () => {
		// SD_SCREENSHOTS keeps the screenshots (the n8n home is removed after the run).
		const shots = process.env.SD_SCREENSHOTS || home.dir;
		const v1 = await openRouter('sdEditorBudgetV1', join(shots, 'editor-v1.png'));
		const v2 = await openRouter('sdEditorBudgetV2', join(shots, 'editor-v2.png'), addSchedule);
		const v3 = await openRouter('sdEditorBudgetV3', join(shots, 'editor-v3.png'));
		console.log(
			`editor panel: v1 ${v1.height}px, ${v1.fields} fields; v2 ${v2.height}px, ${v2.fields} fields; v3 ${v3.height}px, ${v3.fields} fields (screenshots in ${shots})`,
		);
		// Stored IDs are shown by the names the node's dropdowns load from the policy being edited.
		expect(v2.values).toEqual(expect.arrayContaining(['Billing Experts (billing-experts)', 'Support team (support-team)', 'Surge A (surge-a)', 'Office (office)', 'France (FR)']));
		expect(v3.values).toEqual(expect.arrayContaining(['Office (office)', 'France (FR)']));
		for (const panel of [v2, v3]) expect(panel.text).not.toContain('is not supported');
		// Version 3 shows its queue-centric fields, not version 2's.
		expect(v3.text).toContain('Internal Queues');
		expect(v3.text).toContain('Route Here When');
		expect(v3.text).not.toContain('Add Rule');
		// Per kind: conditions on the 2 queues and the 2 vendors that are not capacity vendors; a weight on the 2 that are.
		const count = (text: string, label: string) => text.split(label).length - 1;
		expect(count(v3.text, 'Route Here When')).toBe(4);
		expect(count(v3.text, 'Overflow Weight')).toBe(2);
		// Measured on n8n 2.41.1 at 1600×1000: version 1 14,326 px, version 2 8,400 px, version 3 5,345 px.
		expect(v3.height).toBeLessThan(v2.height * 0.75);
		expect(v2.height).toBeLessThan(v1.height * 0.65);
		// What the effort model counts, seen in the editor: Add Schedule gives a schedule whose Opening Hours list is
		// empty (n8n starts a new item's nested lists at {}), but typing its name puts the field's default back
		// (Monday–Friday until 18:00), so changing the closing time needs no Add Opening Hours.
		expect(v2.acted).toEqual({ before: 1, after: 2, newHoursText: expect.stringContaining('Currently no items exist'), closesAfterName: '18:00' });
	});
});
