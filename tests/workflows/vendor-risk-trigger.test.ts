import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PollContext } from 'n8n-core';
import type { IDataObject, INode, INodeType, IWorkflowExecuteAdditionalData, WorkflowExecuteMode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';
import { afterAll, describe, expect, it } from 'vitest';

import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';
import { closeLedgers } from '../../nodes/shared/ledger/open';
import { packageNodeTypes } from '../harness/node-types';
import { PACKAGE } from '../harness/workflow';
import { seedLedger, spread } from '../unit/risk/rows';

const DAY = 86_400_000;
const TYPE = `${PACKAGE}.vendorRiskTrigger`;
const folder = mkdtempSync(join(tmpdir(), 'sd-risk-trigger-'));
const now = Date.now();
const writers: SqliteLedger[] = [];
let ledgers = 0;

/**
 * A ledger of its own per test, seeded with delegated tickets per vendor over the last 20 days, so each test
 * tells its whole story and none depends on what an earlier one left behind.
 */
async function ledgerWith(counts: Record<string, number>) {
	const path = join(folder, `ledger-${++ledgers}.sqlite`);
	const writer = await SqliteLedger.open(path);
	writers.push(writer);
	const delegate = (count: number, vendor: string) => seedLedger(writer, spread(count, now - 20 * DAY, now - 60_000, { vendor }));
	for (const [vendor, count] of Object.entries(counts)) await delegate(count, vendor);
	return { path, delegate };
}

/** An active workflow holding the trigger, with its own static data, as n8n keeps it between polls. */
function activeWorkflow(path: string) {
	const types = packageNodeTypes();
	const node: INode = {
		id: 'trigger',
		name: 'Vendor Risk Trigger',
		type: TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { ledgerFile: path, thresholds: { minDelegated: 0 } },
	};
	const workflow = new Workflow({
		id: 'risk-watch',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes: {
			getByName: (type) => types[type],
			getByNameAndVersion: (type) => types[type] as INodeType,
			getKnownTypes: () => ({}),
		},
		staticData: {},
		settings: { timezone: 'Europe/Berlin' },
	});
	const additionalData = { variables: {}, executionId: undefined } as unknown as IWorkflowExecuteAdditionalData;
	/** One poll through n8n-core's real PollContext, the way the active-workflow manager calls it. */
	const poll = async (mode: WorkflowExecuteMode = 'trigger') => {
		const context = new PollContext(workflow, node, additionalData, mode, mode === 'manual' ? 'manual' : 'activate');
		return (types[TYPE] as INodeType).poll!.call(context);
	};
	const memory = () => workflow.staticData[`node:${node.name}`] as IDataObject | undefined;
	return { poll, memory };
}

const changes = (result: Awaited<ReturnType<ReturnType<typeof activeWorkflow>['poll']>>) =>
	result?.[0].map((item) => [item.json.id, item.json.change, item.json.from, item.json.level]) ?? null;

/** acme 40 of 100 delegated tickets: above the 30% warning line, below critical. */
const ACME_WARNING = { acme: 40, bolt: 30, cura: 20, dyna: 10 };

afterAll(async () => {
	for (const writer of writers) await writer.close();
	await closeLedgers();
});

describe('Vendor Risk Trigger (polling, real PollContext)', () => {
	it('a manual test emits the current state and leaves the remembered levels alone', async () => {
		const watch = activeWorkflow((await ledgerWith(ACME_WARNING)).path);
		const result = await watch.poll('manual');
		expect(changes(result)).toEqual([['vendor:acme', 'escalated', 'ok', 'warning']]);
		expect(result![0][0].json.message).toBe('WARNING: Vendor "acme": handles 40.0% of delegated tickets (warning above 30%).');
		expect(result![0][0].json.window).toMatchObject({ timeZone: 'Europe/Berlin', days: 30 });
		expect(watch.memory()?.levels).toBeUndefined();
	});

	it('first poll emits the vendor entering warning; the same state on the next poll emits nothing', async () => {
		const watch = activeWorkflow((await ledgerWith(ACME_WARNING)).path);
		expect(changes(await watch.poll())).toEqual([['vendor:acme', 'escalated', 'ok', 'warning']]);
		expect(watch.memory()).toEqual({ levels: { 'vendor:acme': 'warning' } });
		expect(await watch.poll()).toBeNull();
		expect(await watch.poll()).toBeNull();
	});

	it('emits again when the vendor climbs to critical, once', async () => {
		const ledger = await ledgerWith(ACME_WARNING);
		const watch = activeWorkflow(ledger.path);
		expect(changes(await watch.poll())).toEqual([['vendor:acme', 'escalated', 'ok', 'warning']]);
		await ledger.delegate(60, 'acme');
		const result = await watch.poll();
		expect(changes(result)).toEqual([['vendor:acme', 'escalated', 'warning', 'critical']]);
		// 100 of 160 delegated tickets.
		expect(result![0][0].json.details).toMatchObject({ vendor: 'acme', tickets: 100, shareOfDelegated: 0.625 });
		expect(await watch.poll()).toBeNull();
	});

	it('emits a recovery when the share falls back below the lines, then stays quiet', async () => {
		const ledger = await ledgerWith({ acme: 100, bolt: 30, cura: 20, dyna: 10 });
		const watch = activeWorkflow(ledger.path);
		expect(changes(await watch.poll())).toEqual([['vendor:acme', 'escalated', 'ok', 'critical']]);
		await ledger.delegate(70, 'bolt');
		await ledger.delegate(80, 'cura');
		await ledger.delegate(90, 'dyna');
		// Every vendor now at 100 of 400: 25%.
		const result = await watch.poll();
		expect(changes(result)).toEqual([['vendor:acme', 'recovered', 'critical', 'ok']]);
		expect(result![0][0].json.message).toBe('RECOVERED: Vendor "acme" is back to ok (was critical).');
		expect(watch.memory()).toEqual({ levels: {} });
		expect(await watch.poll()).toBeNull();
	});

	it('a manual test with nothing flagged still shows one item saying so', async () => {
		const watch = activeWorkflow((await ledgerWith({ acme: 25, bolt: 25, cura: 25, dyna: 25 })).path);
		const result = await watch.poll('manual');
		expect(result![0]).toHaveLength(1);
		expect(result![0][0].json).toMatchObject({ change: 'none', level: 'ok' });
	});

	it('a second workflow watching the same ledger keeps its own memory', async () => {
		const { path } = await ledgerWith(ACME_WARNING);
		const first = activeWorkflow(path);
		expect(changes(await first.poll())).toEqual([['vendor:acme', 'escalated', 'ok', 'warning']]);
		const other = activeWorkflow(path);
		// The other workflow has not told anyone yet: it does, once; the first stays quiet.
		expect(changes(await other.poll())).toEqual([['vendor:acme', 'escalated', 'ok', 'warning']]);
		expect(other.memory()).toEqual({ levels: { 'vendor:acme': 'warning' } });
		expect(await first.poll()).toBeNull();
		expect(await other.poll()).toBeNull();
	});
});
