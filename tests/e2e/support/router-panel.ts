import { chromium, type Browser, type Page } from 'playwright-core';

import { CHROMIUM, CHROMIUM_ARGS } from './editor';

/**
 * Opens a workflow in the real editor (headless Chromium, 1600×1000, signed in with the owner's auth cookie), opens
 * its Ticket Router's parameter panel, and hands the page to `use`; the browser is closed afterwards.
 */
export async function withRouterPanel<T>(baseUrl: string, authToken: string, workflowId: string, use: (page: Page) => Promise<T>): Promise<T> {
	let browser: Browser | undefined;
	try {
		browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
		const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
		await context.addCookies([{ name: 'n8n-auth', value: authToken, url: baseUrl }]);
		const page = await context.newPage();
		// Generous waits: on a shared build machine the editor's bundle alone can take a minute to load.
		page.setDefaultTimeout(180_000);
		await page.goto(`${baseUrl}/workflow/${workflowId}`, { waitUntil: 'load' });
		await page.locator('[data-node-name="Ticket Router"]').first().dblclick();
		await page.locator('[data-test-id="node-parameters"]').first().waitFor();
		await page.waitForLoadState('networkidle');
		return await use(page);
	} finally {
		await browser?.close();
	}
}
