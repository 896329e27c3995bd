import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';
import { closeLedgers } from '../../nodes/shared/ledger/open';
import { HARNESS_INPUT, PACKAGE, runWorkflow } from '../harness/workflow';
import { seedLedger, spread } from '../unit/risk/rows';

const DAY = 86_400_000;
const folder = mkdtempSync(join(tmpdir(), 'sd-vendor-risk-'));
let files = 0;

/** A fresh embedded ledger file seeded through the ledger's real write path. */
async function ledgerWith(rows: Parameters<typeof seedLedger>[1]): Promise<string> {
	const path = join(folder, `risk-${++files}.sqlite`);
	const ledger = await SqliteLedger.open(path);
	await seedLedger(ledger, rows);
	await ledger.close();
	return path;
}

function riskWorkflow(parameters: INodeParameters, node: Partial<INode> = {}) {
	return {
		nodes: [
			{ id: '1', name: 'Input', type: HARNESS_INPUT, typeVersion: 1, position: [0, 0] as [number, number], parameters: {} },
			{
				id: '2',
				name: 'Vendor Risk',
				type: `${PACKAGE}.vendorRisk`,
				typeVersion: 1,
				position: [200, 0] as [number, number],
				parameters,
				...node,
			},
		],
		connections: { Input: { main: [[{ node: 'Vendor Risk', type: 'main' as const, index: 0 }]] } },
	};
}

const now = Date.now();
const current = (count: number, vendor: string | null, extra: object = {}) =>
	spread(count, now - 29 * DAY, now - 60_000, { vendor, ...extra });
const previous = (count: number, vendor: string | null) => spread(count, now - 59 * DAY, now - 31 * DAY, { vendor });

let concentrated: string;

beforeAll(async () => {
	// acme grew from 25% to 55% of delegated work; billing is acme's alone.
	concentrated = await ledgerWith([
		...current(55, 'acme', { topic: 'billing' }),
		...current(25, 'bolt', { topic: 'api' }),
		...current(20, 'cura', { topic: 'api' }),
		...current(100, null, { topic: 'api' }),
		...previous(25, 'acme'),
		...previous(45, 'bolt'),
		...previous(30, 'cura'),
	]);
});

afterAll(closeLedgers);

describe('Vendor Risk node (in-process workflow)', () => {
	it('one item per alert: acme critical with its growth, billing with no substitute', async () => {
		const run = await runWorkflow(riskWorkflow({ output: 'alerts', ledgerFile: concentrated }));
		expect(run.status).toBe('success');
		const alerts = run.output('Vendor Risk').map((i) => i.json);
		expect(alerts.map((a) => [a.id, a.level])).toEqual([
			['vendor:acme', 'critical'],
			['topic:billing', 'warning'],
		]);
		expect(alerts[0].message).toBe(
			'CRITICAL: Vendor "acme": handles 55.0% of delegated tickets (critical above 50%), up 30.0 points on the previous window.',
		);
		expect(alerts[0].details).toMatchObject({ vendor: 'acme', tickets: 55, shareOfDelegated: 0.55, shareOfAll: 0.275, previousShare: 0.25 });
		expect(alerts[1].message).toContain('no substitute: acme carries all 55 delegated tickets');
		expect(alerts[0].window).toMatchObject({ days: 30, scope: 'default', timeZone: expect.any(String) });
		for (const item of run.output('Vendor Risk')) expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('one report item: every metric, a summary message and an SVG chart in binary data', async () => {
		const run = await runWorkflow(riskWorkflow({ output: 'report', chart: true, ledgerFile: concentrated, windowOptions: { timeZone: 'Europe/Berlin' } }));
		expect(run.status).toBe('success');
		const [item] = run.output('Vendor Risk');
		const report = item.json as IDataObject & { vendors: IDataObject[]; concentration: IDataObject; totals: IDataObject };
		expect(report.level).toBe('critical');
		expect(report.totals).toEqual({
			tickets: 200,
			internal: 100,
			delegated: 100,
			delegatedCost: 0,
			text: { tickets: '200', internal: '100', delegated: '100', delegatedShare: '50.0%', delegatedCost: '0.00' },
		});
		// Figures for people beside the raw ones: 55 of 100 delegated, 55 of 200 tickets, 25% → 55% is +30 points.
		expect(report.vendors[0].text).toMatchObject({ shareOfDelegated: '55.0%', shareOfAll: '27.5%', previousShare: '25.0%', change: '+30.0 pts', slaAttainment: 'n/a' });
		expect((report.concentration as IDataObject).text).toEqual({ cr1: 'acme 55.0%', cr2: '80.0%', hhi: '4,050', previousHhi: expect.any(String), effectiveVendors: '2.47' });
		expect(report.vendors.map((v) => [v.vendor, v.shareOfDelegated])).toEqual([
			['acme', 0.55],
			['bolt', 0.25],
			['cura', 0.2],
		]);
		expect(report.concentration).toMatchObject({ cr1: { vendor: 'acme', share: 0.55 }, cr2: 0.8 });
		expect(report.concentration.hhi).toBeCloseTo(4050, 6);
		expect(report.concentration.effectiveVendors).toBeCloseTo(2.47, 2);
		expect(String(report.message)).toMatch(/^Vendor dependency risk \d{4}-\d\d-\d\d \d\d:\d\d → .* Europe\/Berlin: CRITICAL/);
		expect(String(report.message)).toContain('Largest vendor acme 55.0%, two largest 80.0%, 2.47 effective vendors, HHI 4,050');
		const chart = item.binary!.chart;
		expect(chart).toMatchObject({ mimeType: 'image/svg+xml', fileName: 'vendor-shares.svg' });
		const svg = Buffer.from(chart.data, 'base64').toString('utf8');
		expect(svg).toContain('<svg');
		// Version 1 keeps its SVG; the legend gives each vendor's share of the window.
		expect(svg).toMatch(/>acme<\/text>\n<text [^>]*>55\.0%<\/text>/);
		expect(svg).toContain('critical 50%');
	});

	it('thresholds from the node: a 60% warning line leaves acme at warning, no-substitute off', async () => {
		const run = await runWorkflow(
			riskWorkflow({
				output: 'alerts',
				ledgerFile: concentrated,
				thresholds: { shareWarning: 50, shareCritical: 60, noSubstituteLevel: 'ok' },
			}),
		);
		expect(run.output('Vendor Risk').map((i) => [i.json.id, i.json.level])).toEqual([['vendor:acme', 'warning']]);
	});

	it('a balanced ledger emits no alert items', async () => {
		const balanced = await ledgerWith([...current(25, 'acme'), ...current(25, 'bolt'), ...current(25, 'cura'), ...current(25, 'dyna')]);
		const run = await runWorkflow(riskWorkflow({ output: 'alerts', ledgerFile: balanced }));
		expect(run.status).toBe('success');
		expect(run.output('Vendor Risk')).toEqual([]);
	});

	it('an empty ledger reports ok with no vendors', async () => {
		const empty = await ledgerWith([]);
		const run = await runWorkflow(riskWorkflow({ output: 'report', ledgerFile: empty }));
		expect(run.output('Vendor Risk')[0].json).toMatchObject({ level: 'ok', vendors: [], alerts: [] });
		expect(String(run.output('Vendor Risk')[0].json.message)).toContain('No alerts.');
	});

	it('an unknown time zone fails the node with a message naming it, or becomes an error item under Continue On Fail', async () => {
		const params = { output: 'report', ledgerFile: concentrated, windowOptions: { timeZone: 'Mars/Olympus' } };
		const failed = await runWorkflow(riskWorkflow(params));
		expect(failed.status).toBe('error');
		expect(failed.error('Vendor Risk')?.message).toContain('Unknown time zone "Mars/Olympus"');
		const continued = await runWorkflow(riskWorkflow(params, { onError: 'continueRegularOutput' }));
		expect(continued.status).toBe('success');
		expect(continued.output('Vendor Risk')).toEqual([
			{ json: { error: expect.stringContaining('Mars/Olympus') }, pairedItem: { item: 0 } },
		]);
	});
});
