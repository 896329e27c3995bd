import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PollContext } from 'n8n-core';
import type { IDataObject, INode, INodeType, IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';
import { afterAll, describe, expect, it } from 'vitest';

import { assessRisk } from '../../domain/risk/assess';
import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';
import { closeLedgers } from '../../nodes/shared/ledger/open';
import { packageNodeTypes } from '../harness/node-types';
import { PACKAGE } from '../harness/workflow';
import { seedLedger, spread } from '../unit/risk/rows';

const DAY = 86_400_000;
const TYPE = `${PACKAGE}.vendorRiskTrigger`;
const folder = mkdtempSync(join(tmpdir(), 'sd-risk-quality-'));
let files = 0;
const now = Date.now();

/** A ledger of its own per test, and a writer that adds finished acme delegations to it. */
async function ledgerFile() {
	const path = join(folder, `ledger-${++files}.sqlite`);
	const writer = await SqliteLedger.open(path);
	/** acme delegations in the window, resolved with these SLA outcomes (true: met), then `returned` returned ones. */
	const acme = async (slaMet: boolean[], returned = 0) => {
		const rows = spread(slaMet.length + returned, now - 10 * DAY, now - 60_000, { vendor: 'acme' });
		await seedLedger(writer, rows);
		await writer.recordOutcomes('default', [
			...slaMet.map((met, i) => ({ ticketId: rows[i].ticketId, update: { status: 'resolved' as const, slaMet: met, csat: met ? 5 : 2 } })),
			...rows.slice(slaMet.length).map((r) => ({ ticketId: r.ticketId, update: { status: 'returned' as const } })),
		]);
	};
	return { path, writer, acme };
}

const thresholds = { minDelegated: 1000, slaTarget: 60, minQualitySample: 20, maxReturnRate: 10 };
const options = { scope: 'default', now, days: 30, timeZone: 'UTC', wholeDays: false, thresholds: { slaTarget: 0.6, minQualitySample: 20, maxReturnRate: 0.1 } };
const metAfter = (count: number, misses: number) => Array.from({ length: count }, (_, i) => i >= misses);

/** An active workflow holding the trigger, with its own static data, polled through n8n-core's PollContext. */
function activeWorkflow(path: string) {
	const types = packageNodeTypes();
	const node: INode = { id: 'trigger', name: 'Vendor Risk Trigger', type: TYPE, typeVersion: 1, position: [0, 0], parameters: { ledgerFile: path, thresholds } };
	const workflow = new Workflow({
		id: 'quality-watch',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes: { getByName: (t) => types[t], getByNameAndVersion: (t) => types[t] as INodeType, getKnownTypes: () => ({}) },
		staticData: {},
		settings: { timezone: 'UTC' },
	});
	const additionalData = { variables: {}, executionId: undefined } as unknown as IWorkflowExecuteAdditionalData;
	const poll = async () => (types[TYPE] as INodeType).poll!.call(new PollContext(workflow, node, additionalData, 'trigger', 'activate'));
	/** The quality items of one poll (the vendor's SLA-attainment warning, a risk level, comes through as well). */
	const qualityPoll = async () => (await poll())?.[0].filter((item) => item.json.subject === 'quality') ?? [];
	return { qualityPoll, memory: () => workflow.staticData[`node:${node.name}`] as IDataObject | undefined };
}

afterAll(() => closeLedgers());

describe('Vendor Risk quality per vendor, and the trigger on a quality level change', () => {
	it('19 finished delegations: insufficient, and the trigger says nothing', async () => {
		const { path, writer, acme } = await ledgerFile();
		await acme(metAfter(19, 9));
		const report = await assessRisk(writer, options);
		// 10 met of 19: 52.6%, below 60%, but 19 < the minimum sample of 20.
		expect(report.quality).toEqual([
			{ vendor: 'acme', resolved: 19, slaMetRate: 10 / 19, avgCsat: (10 * 5 + 9 * 2) / 19, reopenRate: null, returnRate: 0, level: 'insufficient', reason: null },
		]);
		expect(await activeWorkflow(path).qualityPoll()).toEqual([]);
		await writer.close();
	});

	it('20 finished, 10 met = 50% < 60% → below, emitted once', async () => {
		const { path, writer, acme } = await ledgerFile();
		await acme(metAfter(20, 10));
		const watch = activeWorkflow(path);
		const items = await watch.qualityPoll();
		expect(items.map((i) => [i.json.id, i.json.change, i.json.from, i.json.level])).toEqual([['quality:acme', 'quality', 'ok', 'below']]);
		expect(items[0].json.message).toBe('QUALITY: Vendor "acme" is below its quality limits: SLA met 50.0% over 20 outcomes (minimum 60%).');
		expect(items[0].json.details).toMatchObject({ vendor: 'acme', resolved: 20, slaMetRate: 0.5, level: 'below' });
		expect(watch.memory()).toMatchObject({ quality: { acme: 'below' } });
		expect(await watch.qualityPoll()).toEqual([]);
		await writer.close();
	});

	it('below, then 10 more met: 20 of 30 = 66.7% → back within limits, emitted once', async () => {
		const { path, writer, acme } = await ledgerFile();
		await acme(metAfter(20, 10));
		const watch = activeWorkflow(path);
		expect((await watch.qualityPoll()).map((i) => i.json.level)).toEqual(['below']);
		await acme(metAfter(10, 0));
		const items = await watch.qualityPoll();
		expect(items.map((i) => [i.json.id, i.json.from, i.json.level])).toEqual([['quality:acme', 'below', 'ok']]);
		expect(items[0].json.message).toBe('QUALITY RECOVERED: Vendor "acme" is back within its quality limits.');
		expect(await watch.qualityPoll()).toEqual([]);
		await writer.close();
	});

	it('30 resolved (20 met) and 4 returned: 4 of 34 = 11.8% returned > 10% → below on the return rate', async () => {
		const { path, writer, acme } = await ledgerFile();
		await acme(metAfter(30, 10), 4);
		const report = await assessRisk(writer, options);
		expect(report.quality[0]).toMatchObject({ resolved: 34, returnRate: 4 / 34, slaMetRate: 20 / 30, level: 'below', reason: 'return rate 11.8% over 34 outcomes (maximum 10%)' });
		expect((await activeWorkflow(path).qualityPoll()).map((i) => i.json)).toMatchObject([{ id: 'quality:acme', level: 'below' }]);
		await writer.close();
	});
});
