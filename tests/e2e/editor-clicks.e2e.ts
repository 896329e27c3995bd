import type { INode, INodeParameters } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { TicketRouter } from '../../nodes/TicketRouter/TicketRouter.node';
import { N8nHome, N8nRest, PACKAGE_NAME, type N8nServer } from '../real-n8n';
import { v1Parameters, v2Parameters, v3Parameters } from './support/editor-budget';
import { withRouterPanel } from './support/router-panel';

/**
 * The click budget measured, not modelled: the budget policy is built by hand in the real n8n 2.41.1 editor, in
 * versions 3, 2 and 1
 * (headless Chromium), every click and every typed field counted as it is made, then the saved workflow is checked to
 * hold the same parameters the unit budget counts. Keyboard shortcuts (Ctrl+A to replace a field's text) are not
 * clicks; Playwright scrolls a long dropdown (the countries) to the option, which a person does by scrolling or by
 * typing a filter: that effort is not counted, in any version.
 */
const home = new N8nHome();
let server: N8nServer;
let rest: N8nRest;
const WORKFLOW = 'sdEditorClicks';
const WORKFLOW_V2 = 'sdEditorClicksV2';
const WORKFLOW_V1 = 'sdEditorClicksV1';

/** A workflow whose Ticket Router of this version has only Operation and Policy Source chosen. */
function emptyRouter(id: string, typeVersion: number) {
	return {
		id,
		name: `Editor clicks v${typeVersion}`,
		nodes: [
			{ id: `${id}-t`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			// Operation and Policy Source are chosen before the budget starts (as in every version's count).
			{ id: `${id}-r`, name: 'Ticket Router', type: `${PACKAGE_NAME}.ticketRouter`, typeVersion, position: [240, 0], parameters: { operation: 'route', policySource: 'editor' } },
		],
		connections: { Start: { main: [[{ node: 'Ticket Router', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		active: false,
		pinData: {},
	};
}

beforeAll(async () => {
	home.linkPackage();
	await home.importWorkflows([emptyRouter(WORKFLOW, 3), emptyRouter(WORKFLOW_V2, 2), emptyRouter(WORKFLOW_V1, 1)]);
	server = await home.start({ readyTimeoutMs: 300_000 });
	rest = await N8nRest.ownerSession(server.url);
});

afterAll(async () => {
	await home.dispose();
});

/** A person at the editor: each click and each typed field counted. */
class Hands {
	clicks = 0;
	fields = 0;
	constructor(private readonly page: Page) {}

	async click(target: Locator) {
		await target.click();
		this.clicks++;
	}

	/** Focus a field (a click) and type its value, replacing what it shows. */
	async fill(path: string, text: string) {
		await this.click(this.field(path));
		await this.page.keyboard.press('ControlOrMeta+a');
		await this.page.keyboard.type(text);
		this.fields++;
	}

	/** Open a dropdown (a click) and pick an option (a click). */
	async choose(opener: Locator, option: string) {
		await this.click(opener);
		// An option's name comes first; its description, when it has one, follows it in the same item.
		const named = new RegExp(`^\\s*${option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
		await this.click(this.page.locator('.el-select-dropdown__item:visible').filter({ hasText: named }).first());
	}

	field(path: string): Locator {
		return this.page.locator(`[data-parameter-path="parameters.${path}"]`).locator('input, textarea, .el-switch').first();
	}

	/** A list's own Add button (after its items, whose nested lists have theirs). */
	add(list: string): Locator {
		return this.page.locator(`[data-test-id="fixed-collection-${list}"]`).first().locator('[data-test-id="fixed-collection-add"]').last();
	}

	/** The Add Condition dropdown of the n-th queue or vendor that shows one. */
	addCondition(list: string, n: number): Locator {
		return this.page.locator(`[data-test-id="fixed-collection-${list}"]`).first().locator('[placeholder="Add Condition"]').nth(n);
	}
}

async function buildV3(page: Page): Promise<Hands> {
	const hands = new Hands(page);
	// Internal queues, each with its condition.
	await hands.click(hands.add('queues'));
	await hands.fill('queues.queue[0].name', 'Support team');
	await hands.choose(hands.addCondition('queues', 0), 'Customer Tiers');
	await hands.fill('queues.queue[0].when.tiers', 'vip');
	await hands.click(hands.add('queues'));
	await hands.fill('queues.queue[1].name', 'Trust & Safety');
	await hands.choose(hands.addCondition('queues', 1), 'Tags');
	await hands.fill('queues.queue[1].when.tags', 'security, legal');
	// The schedule first: NightDesk's condition picks it from the list.
	await hands.click(hands.add('schedules'));
	await hands.fill('schedules.schedule[0].name', 'Office');
	await hands.fill('schedules.schedule[0].to', '19:00');
	await hands.choose(hands.field('schedules.schedule[0].country'), 'France (FR)');
	// Vendors: a specialist (the default contract), an outsourcing provider, two capacity vendors.
	await hands.click(hands.add('vendors'));
	await hands.fill('vendors.vendor[0].name', 'Billing Experts');
	await hands.fill('vendors.vendor[0].costPerTicket', '6.5');
	await hands.fill('vendors.vendor[0].capacityPerHour', '40');
	await hands.choose(hands.addCondition('vendors', 0), 'Keywords');
	await hands.fill('vendors.vendor[0].when.keywords', 'refund, chargeback');
	await hands.click(hands.add('vendors'));
	await hands.fill('vendors.vendor[1].name', 'NightDesk');
	await hands.choose(hands.field('vendors.vendor[1].contract'), 'Outsourcing');
	await hands.choose(hands.addCondition('vendors', 1), 'Outside Schedule Name or ID');
	await hands.choose(hands.field('vendors.vendor[1].when.outsideSchedule'), 'Office (office)');
	await hands.click(hands.add('vendors'));
	await hands.fill('vendors.vendor[2].name', 'Surge A');
	await hands.choose(hands.field('vendors.vendor[2].contract'), 'Capacity (Overflow)');
	await hands.fill('vendors.vendor[2].capacityPerHour', '80');
	await hands.fill('vendors.vendor[2].weight', '3');
	await hands.click(hands.add('vendors'));
	await hands.fill('vendors.vendor[3].name', 'Surge B');
	await hands.choose(hands.field('vendors.vendor[3].contract'), 'Capacity (Overflow)');
	await hands.fill('vendors.vendor[3].capacityPerHour', '30');
	// Set once for every vendor, and the overflow's threshold.
	await hands.click(hands.field('vendorDpa'));
	await hands.fill('vendorAllowedFields', 'id, subject');
	await hands.fill('overflowCapacityPerHour', '120');
	await hands.fill('scope', 'editor-budget');
	return hands;
}

async function buildV1(page: Page): Promise<Hands> {
	const hands = new Hands(page);
	const destinations: Array<[string, string, string | null, Array<[string, string]>]> = [
		['team', 'Support team', null, []],
		['trust', 'Trust & Safety', null, []],
		['billing-experts', 'Billing Experts', 'Specialist', [['capacityPerHour', '40'], ['costPerTicket', '6.5']]],
		['nightdesk', 'NightDesk', 'Outsourcing', []],
		['surge-a', 'Surge A', 'Capacity', [['capacityPerHour', '80']]],
		['surge-b', 'Surge B', 'Capacity', [['capacityPerHour', '30']]],
	];
	for (const [i, [id, name, contract, numbers]] of destinations.entries()) {
		const at = `destinations.destination[${i}]`;
		await hands.click(hands.add('destinations'));
		await hands.fill(`${at}.id`, id);
		await hands.fill(`${at}.name`, name);
		if (contract === null) continue;
		await hands.choose(hands.field(`${at}.kind`), 'External Vendor');
		// Specialist is version 1's default contract.
		if (contract !== 'Specialist') await hands.choose(hands.field(`${at}.contract`), contract);
		for (const [field, value] of numbers) await hands.fill(`${at}.${field}`, value);
		await hands.click(hands.field(`${at}.dpa`));
		await hands.fill(`${at}.allowedFields`, 'id, subject');
	}
	const rules: Array<[string, string, string | null, string, Array<[string, string]>]> = [
		['vip', 'VIP stays', 'Keep Internal', 'team', [['tiers', 'vip']]],
		['security', 'Security', 'Keep Internal', 'trust', [['tags', 'security, legal']]],
		['billing', 'Billing', null, 'billing-experts', [['keywords', 'refund, chargeback']]],
		['nights', 'Nights', 'Function Outsourcing', 'nightdesk', [['timeFrom', '19:00'], ['timeTo', '08:00']]],
		['peak', 'Peak', 'Peak-Load Overflow', 'surge-a:3, surge-b:1', [['capacityPerHour', '120']]],
	];
	for (const [i, [id, name, kind, targets, values]] of rules.entries()) {
		const at = `rules.rule[${i}]`;
		await hands.click(hands.add('rules'));
		await hands.fill(`${at}.id`, id);
		await hands.fill(`${at}.name`, name);
		// Specialist Topic is version 1's default kind.
		if (kind) await hands.choose(hands.field(`${at}.kind`), kind);
		await hands.fill(`${at}.targets`, targets);
		for (const [field, value] of values) await hands.fill(`${at}.${field}`, value);
		if (id === 'nights') {
			// A multi-select: open it, tick Monday to Friday, close it by clicking beside it.
			await hands.click(hands.field(`${at}.timeDays`));
			for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) {
				await hands.click(page.locator('.el-select-dropdown__item:visible').filter({ hasText: new RegExp(`^\\s*${day}`) }).first());
			}
			await hands.click(page.locator('[data-parameter-path="parameters.rules.rule[3].timeFrom"]').first());
		}
	}
	await hands.fill('defaultDestination', 'team');
	await hands.fill('scope', 'editor-budget');
	await hands.fill('timezone', 'Europe/Paris');
	return hands;
}

async function buildV2(page: Page): Promise<Hands> {
	const hands = new Hands(page);
	const destinations: Array<[string, string | null, Array<[string, string]>]> = [
		['Support team', null, []],
		['Trust & Safety', null, []],
		['Billing Experts', 'Specialist Vendor', [['capacityPerHour', '40'], ['costPerTicket', '6.5']]],
		['NightDesk', 'Outsourcing Provider', []],
		['Surge A', 'Capacity Vendor', [['capacityPerHour', '80']]],
		['Surge B', 'Capacity Vendor', [['capacityPerHour', '30']]],
	];
	for (const [i, [name, kind, numbers]] of destinations.entries()) {
		const at = `destinations.destination[${i}]`;
		await hands.click(hands.add('destinations'));
		await hands.fill(`${at}.name`, name);
		if (kind === null) continue;
		await hands.choose(hands.field(`${at}.kind`), kind);
		await hands.click(hands.field(`${at}.dpa`));
		await hands.fill(`${at}.allowedFields`, 'id, subject');
		for (const [field, value] of numbers) await hands.fill(`${at}.${field}`, value);
	}
	await hands.click(hands.add('schedules'));
	// Typing the name makes n8n fill in the schedule's default opening hours (Monday–Friday 08:00–18:00).
	await hands.fill('schedules.schedule[0].name', 'Office');
	await hands.fill('schedules.schedule[0].hours.interval[0].to', '19:00');
	await hands.choose(hands.field('schedules.schedule[0].country'), 'France (FR)');
	const rules: Array<[string, string | null, string, string, string]> = [
		['VIP stays', null, 'Support team (support-team)', 'Customer Tiers', 'vip'],
		['Security', null, 'Trust & Safety (trust-safety)', 'Tags', 'security, legal'],
		['Billing', 'Specialist Topic', 'Billing Experts (billing-experts)', 'Keywords', 'refund, chargeback'],
		['Nights, weekends, holidays', null, 'NightDesk (nightdesk)', 'Outside Schedule Name or ID', 'Office (office)'],
	];
	for (const [i, [name, kind, target, condition, value]] of rules.entries()) {
		const at = `rules.rule[${i}]`;
		await hands.click(hands.add('rules'));
		await hands.fill(`${at}.name`, name);
		if (kind) await hands.choose(hands.field(`${at}.kind`), kind);
		await hands.choose(hands.field(`${at}.target`), target);
		await hands.choose(hands.addCondition('rules', i), condition);
		if (condition.startsWith('Outside')) await hands.choose(hands.field(`${at}.when.outsideSchedule`), value);
		else await hands.fill(`${at}.when.${condition === 'Customer Tiers' ? 'tiers' : condition.toLowerCase()}`, value);
	}
	await hands.click(hands.add('rules'));
	await hands.fill('rules.rule[4].name', 'Peak');
	await hands.choose(hands.field('rules.rule[4].kind'), 'Peak-Load Overflow');
	await hands.click(hands.add('weightedTargets'));
	await hands.choose(hands.field('rules.rule[4].weightedTargets.vendor[0].destination'), 'Surge A (surge-a)');
	await hands.fill('rules.rule[4].weightedTargets.vendor[0].weight', '3');
	await hands.click(hands.add('weightedTargets'));
	await hands.choose(hands.field('rules.rule[4].weightedTargets.vendor[1].destination'), 'Surge B (surge-b)');
	await hands.fill('rules.rule[4].capacityPerHour', '120');
	await hands.fill('scope', 'editor-budget');
	return hands;
}

/**
 * Parameters as n8n saves them (defaults dropped), without the empty collections the editor writes for sections left
 * untouched (`limits: {}`, `sla: {}`): two ways of writing the same values compare equal.
 */
function saved(parameters: INodeParameters, typeVersion: number): unknown {
	const description = new TicketRouter().description;
	const node = { name: 'Ticket Router', typeVersion, type: description.name, parameters } as unknown as INode;
	return withoutEmpty(NodeHelpers.getNodeParameters(description.properties, parameters, false, false, node, description));
}

function withoutEmpty(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(withoutEmpty);
	if (value === null || typeof value !== 'object') return value;
	const out: Record<string, unknown> = {};
	for (const [key, v] of Object.entries(value)) {
		const kept = withoutEmpty(v);
		if (kept !== null && typeof kept === 'object' && !Array.isArray(kept) && Object.keys(kept).length === 0) continue;
		out[key] = kept;
	}
	return out;
}

/** Opens the workflow's Ticket Router, builds the policy by hand, saves, and returns the count and what n8n stored. */
async function buildInEditor(workflowId: string, build: (page: Page) => Promise<Hands>): Promise<{ hands: Hands; parameters: INodeParameters }> {
	return withRouterPanel(server.url, rest.token, workflowId, async (page) => {
		page.setDefaultTimeout(60_000);
		const hands = await build(page);

		// Close the panel and save (not part of the budget), then read what n8n stored.
		await page.locator('[data-test-id="ndv-close-button"]').first().click();
		await page.keyboard.press('ControlOrMeta+s');
		for (let i = 0; i < 30; i++) {
			await page.waitForTimeout(1_000);
			const stored = await rest.get<{ data?: { nodes: INode[] }; nodes?: INode[] }>(`/workflows/${workflowId}`);
			const router = (stored.data ?? stored).nodes!.find((n) => n.name === 'Ticket Router')!;
			if (router.parameters.scope === 'editor-budget') return { hands, parameters: router.parameters };
		}
		throw new Error(`${workflowId} was not saved`);
	});
}

describe('Build in Editor, the budget policy built by hand in the real editor', () => {
	it('version 3: 45 clicks and 19 typed fields, as counted', async () => {
		const { hands, parameters } = await buildInEditor(WORKFLOW, buildV3);
		console.log(`editor budget, version 3, built in n8n 2.41.1: ${hands.clicks} clicks, ${hands.fields} typed fields`);
		expect(saved(parameters, 3)).toEqual(saved(v3Parameters as unknown as INodeParameters, 3));
		// The model's count (tests/unit/editor/budget.test.ts): 45 clicks, 19 typed fields.
		expect({ clicks: hands.clicks, fields: hands.fields }).toEqual({ clicks: 45, fields: 19 });
	});

	it('version 2: 81 clicks and 27 typed fields, as counted', async () => {
		const { hands, parameters } = await buildInEditor(WORKFLOW_V2, buildV2);
		console.log(`editor budget, version 2, built in n8n 2.41.1: ${hands.clicks} clicks, ${hands.fields} typed fields`);
		expect(saved(parameters, 2)).toEqual(saved(v2Parameters as unknown as INodeParameters, 2));
		expect({ clicks: hands.clicks, fields: hands.fields }).toEqual({ clicks: 81, fields: 27 });
	});

	it('version 1: 88 clicks and 44 typed fields, as counted', async () => {
		const { hands, parameters } = await buildInEditor(WORKFLOW_V1, buildV1);
		console.log(`editor budget, version 1, built in n8n 2.41.1: ${hands.clicks} clicks, ${hands.fields} typed fields`);
		expect(saved(parameters, 1)).toEqual(saved(v1Parameters as unknown as INodeParameters, 1));
		expect({ clicks: hands.clicks, fields: hands.fields }).toEqual({ clicks: 88, fields: 44 });
	});
});
