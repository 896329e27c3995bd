import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium by default; SD_CHROMIUM names another Chromium-based browser (CI uses GitHub's Google Chrome). */
export const CHROMIUM = process.env.SD_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
];

export interface CanvasNode {
	name: string;
	type: string;
	/** image: an icon file (community nodes), svg: an inline icon, placeholder: the "?" n8n draws for an unknown type. */
	icon: 'image' | 'svg' | 'placeholder' | 'none';
	iconSrc: string | null;
	/** The image icon was fetched and decoded. */
	iconLoaded: boolean;
	/** n8n marks the node "not installed" (its type is not loaded). */
	notInstalled: boolean;
}

export interface EditorView {
	/** Nodes drawn on the canvas (sticky notes excluded), with the icon each shows. */
	nodes: CanvasNode[];
	/** Icon requests that failed or answered an HTTP error. */
	failedIcons: string[];
	/** Texts n8n shows for a node type it does not know. */
	unknownNodeTexts: string[];
}

/**
 * Opens a workflow in the real n8n editor in headless Chromium, signed in with the owner's auth cookie, and reports
 * what the canvas shows. Saves a screenshot of the whole canvas when `screenshot` is given.
 */
export async function viewWorkflow(baseUrl: string, authToken: string, workflowId: string, screenshot?: string): Promise<EditorView> {
	let browser: Browser | undefined;
	try {
		browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
		const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, deviceScaleFactor: 1 });
		await context.addCookies([{ name: 'n8n-auth', value: authToken, url: baseUrl }]);
		const page = await context.newPage();
		const failedIcons: string[] = [];
		const isIcon = (url: string) => /\/icons\/|\.svg(\?|$)/.test(url);
		page.on('response', (response) => {
			if (isIcon(response.url()) && response.status() >= 400) failedIcons.push(`${response.status()} ${response.url()}`);
		});
		page.on('requestfailed', (request) => {
			if (isIcon(request.url())) failedIcons.push(`failed ${request.url()}`);
		});

		await page.goto(`${baseUrl}/workflow/${workflowId}`, { waitUntil: 'networkidle' });
		await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 60_000 });
		// Zoom to fit (the editor's Shift+1), then let icons and edges settle.
		await page.keyboard.press('Shift+1');
		await page.waitForLoadState('networkidle');
		await page.waitForTimeout(1_000);
		// A published workflow opens n8n's "Production Checklist" popover over the canvas, a moment after load.
		const checklistClose = page.locator('[data-test-id="suggested-actions-close"]');
		if (await checklistClose.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false)) {
			await checklistClose.click();
			await checklistClose.waitFor({ state: 'hidden', timeout: 5_000 });
		}

		const nodes = await page.locator('[data-test-id="canvas-node"]').evaluateAll((elements) =>
			elements.map((element): CanvasNode => {
				const icon = element.querySelector('.n8n-node-icon');
				const img = icon?.querySelector('img') ?? null;
				const kind = img ? 'image' : icon?.querySelector('[class*="nodeIconPlaceholder"]') ? 'placeholder' : icon?.querySelector('svg') ? 'svg' : 'none';
				return {
					name: element.getAttribute('data-node-name') ?? '',
					type: element.getAttribute('data-node-type') ?? '',
					icon: kind,
					iconSrc: img?.getAttribute('src') ?? null,
					iconLoaded: !!img && img.complete && img.naturalWidth > 0,
					notInstalled: !!element.querySelector('[data-test-id="node-not-installed"]'),
				};
			}),
		);
		const body = (await page.locator('body').textContent()) ?? '';
		const unknownNodeTexts = ['Install this node', 'not currently installed', 'node is not installed'].filter((text) => body.includes(text));
		if (screenshot) await page.screenshot({ path: screenshot });
		return { nodes, failedIcons, unknownNodeTexts };
	} finally {
		await browser?.close();
	}
}
