import { chromium, type Browser } from 'playwright-core';

import type { N8nRest } from '../../real-n8n';
import { CHROMIUM, CHROMIUM_ARGS } from './editor';

export interface ButtonRun {
	/** What the main button says: "Execute workflow", or "Execute workflow from <trigger>" when another trigger is picked. */
	label: string;
	/** The execution the click started, as n8n's executions list reports it. */
	execution: { id: string; status: string; mode: string };
	/** Canvas nodes that show n8n's green "success" mark after the run. */
	succeeded: string[];
}

interface ExecutionSummary {
	id: string;
	status: string;
	mode: string;
}

/**
 * Opens a workflow in the real editor in headless Chromium as its owner, presses the main Execute workflow button
 * (what a newcomer does first), waits until the execution it started has finished, and saves a screenshot of the
 * canvas with n8n's run marks.
 */
export async function pressExecuteWorkflow(rest: N8nRest, workflowId: string, screenshot: string, timeoutMs = 180_000): Promise<ButtonRun> {
	const executions = async () =>
		await rest.get<{ results: ExecutionSummary[] }>(`/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`);
	const before = new Set((await executions()).results.map((e) => e.id));
	let browser: Browser | undefined;
	try {
		browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
		const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, deviceScaleFactor: 1 });
		await context.addCookies([{ name: 'n8n-auth', value: rest.token, url: rest.baseUrl }]);
		const page = await context.newPage();
		await page.goto(`${rest.baseUrl}/workflow/${workflowId}`, { waitUntil: 'networkidle' });
		await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 60_000 });
		const button = page.locator('[data-test-id="execute-workflow-button"]');
		const label = ((await button.textContent()) ?? '').replace(/\s+/g, ' ').trim();
		await button.click();

		const deadline = Date.now() + timeoutMs;
		let execution: ExecutionSummary | undefined;
		while (Date.now() < deadline) {
			execution = (await executions()).results.find((e) => !before.has(e.id));
			if (execution && !['new', 'running', 'waiting'].includes(execution.status)) break;
			await page.waitForTimeout(500);
		}
		if (!execution) throw new Error(`pressing "${label}" on ${workflowId} started no execution within ${timeoutMs} ms`);

		// Let the canvas draw the finished run, then fit it to the window (the editor's Shift+1).
		await page.waitForTimeout(1_500);
		await page.keyboard.press('Shift+1');
		await page.waitForTimeout(800);
		const succeeded = await page
			.locator('[data-test-id="canvas-node"]')
			.evaluateAll((nodes) =>
				nodes.filter((node) => node.querySelector('[data-test-id="canvas-node-status-success"]')).map((node) => node.getAttribute('data-node-name') ?? ''),
			);
		await page.screenshot({ path: screenshot });
		return { label, execution: { id: execution.id, status: execution.status, mode: execution.mode }, succeeded };
	} finally {
		await browser?.close();
	}
}
