import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';
import { closeLedgers } from '../../nodes/shared/ledger/open';
import { HARNESS_INPUT, PACKAGE, runWorkflow } from '../harness/workflow';
import { seedLedger, spread } from '../unit/risk/rows';

const path = join(mkdtempSync(join(tmpdir(), 'sd-quality-wf-')), 'ledger.sqlite');
const SCOPE = 'quality-wf';
const POLICY = {
	scope: SCOPE,
	destinations: [
		{ id: 'team', kind: 'internal' },
		{ id: 'acme', kind: 'external', quality: { minSlaMetRate: 0.6, lastResolved: 20, minSample: 20 } },
		{ id: 'globex', kind: 'external' },
	],
	rules: [{ id: 'billing', kind: 'specialist', when: { categories: ['billing'] }, targets: ['acme', 'globex'] }],
	defaultDestination: 'team',
};

function single(type: string, name: string, parameters: INodeParameters) {
	return {
		nodes: [
			{ id: '1', name: 'Input', type: HARNESS_INPUT, typeVersion: 1, position: [0, 0] as [number, number], parameters: {} },
			{ id: '2', name, type: `${PACKAGE}.${type}`, typeVersion: 1, position: [200, 0] as [number, number], parameters: { ledgerFile: path, ...parameters } },
		],
		connections: { Input: { main: [[{ node: name, type: 'main' as const, index: 0 }]] } },
	};
}

const route = (id: string) =>
	runWorkflow(single('ticketRouter', 'Ticket Router', { operation: 'route', policySource: 'json', policyJson: JSON.stringify(POLICY), fieldPreset: 'generic', outputMode: 'kind' }), {
		items: [{ id, subject: 'Invoice', category: 'billing' }],
	});

beforeAll(async () => {
	// 20 acme delegations in the last day, finished: 11 met the SLA, 9 missed (55%).
	const writer = await SqliteLedger.open(path);
	const now = Date.now();
	const rows = spread(20, now - 86_400_000, now - 60_000, { scope: SCOPE, vendor: 'acme', destination: 'acme' });
	await seedLedger(writer, rows);
	await writer.recordOutcomes(SCOPE, rows.map((r, i) => ({ ticketId: r.ticketId, update: { status: 'resolved' as const, slaMet: i >= 9 } })));
	await writer.close();
});

afterAll(() => closeLedgers());

describe('quality guardrail through the nodes (WorkflowExecute, embedded ledger)', () => {
	it('the Ticket Router diverts a billing ticket from acme (55% < 60% over its last 20) to globex', async () => {
		const run = await route('Q-1');
		expect(run.status).toBe('success');
		const [item] = run.output('Ticket Router', 1);
		expect((item.json.delegation as IDataObject).destination).toBe('globex');
		// The first batch to judge acme finds it below; later ones (the other test's) also say where it recovers.
		expect((item.json.delegation as IDataObject).guardrail).toEqual({
			name: 'quality',
			wanted: 'acme',
			detail: expect.stringMatching(/^acme quality: SLA met 55\.0% over 20 outcomes \(minimum 60%(; recovers at 65%)?\), last 20 resolved$/),
		});
	});

	it('Vendor Risk reports quality per vendor in the report item', async () => {
		await route('Q-2');
		const run = await runWorkflow(single('vendorRisk', 'Vendor Risk', { output: 'report', policyScope: SCOPE, thresholds: { slaTarget: 60, minQualitySample: 20 } }));
		expect(run.status).toBe('success');
		expect(run.output('Vendor Risk')[0].json.quality).toEqual([
			{ vendor: 'acme', resolved: 20, slaMetRate: 0.55, avgCsat: null, reopenRate: null, returnRate: 0, level: 'below', reason: 'SLA met 55.0% over 20 outcomes (minimum 60%)' },
			// The tickets the router sent: open, so no finished delegation yet.
			{ vendor: 'globex', resolved: 0, slaMetRate: null, avgCsat: null, reopenRate: null, returnRate: null, level: 'insufficient', reason: null },
		]);
	});
});
