import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IDataObject, INodeExecutionData, IWorkflowBase } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { closeLedgers } from '../../nodes/shared/ledger/open';
import { VendorServer } from '../handoff/vendor-server';
import { PACKAGE, runWorkflow } from '../harness/workflow';
import { delegationFor } from '../unit/handoff/fixtures';

/**
 * One behaviour for every ledger node when the ledger cannot be used (README: "When the ledger is unavailable"):
 * the node fails with "Delegation ledger unavailable: …" naming the file, before doing anything it could not record;
 * under On Error → Continue each item goes out on the node's error path with that message and its pairing.
 */

const folder = mkdtempSync(join(tmpdir(), 'sd-unavailable-'));
const corrupt = join(folder, 'ledger.sqlite');
writeFileSync(corrupt, 'not an SQLite database, a text file that got in the way. '.repeat(100));
const UNAVAILABLE = new RegExp(`^Delegation ledger unavailable: .*${corrupt.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`);

let server: VendorServer;
beforeAll(async () => {
	server = await new VendorServer({ secret: 'whsec_unavailable' }).start();
});
afterAll(async () => {
	await closeLedgers();
	await server.stop();
});

/** Input → one package node, on the corrupt ledger file. */
function single(type: string, parameters: IDataObject, continueOnFail: boolean): IWorkflowBase {
	return {
		nodes: [
			{ id: 'in', name: 'Input', type: 'harness.input', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'node',
				name: 'Node',
				type: `${PACKAGE}.${type}`,
				typeVersion: 1,
				position: [200, 0],
				parameters: { ...parameters, ledgerFile: corrupt },
				...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			},
		],
		connections: { Input: { main: [[{ node: 'Node', type: 'main', index: 0 }]] } },
	} as unknown as IWorkflowBase;
}

const credentials = () => ({
	supportProviderApi: { baseUrl: server.url, authentication: 'bearer', token: 't', signingSecret: 'whsec_unavailable' },
});
const errors = (items: INodeExecutionData[]) => items.map((i) => [(i.pairedItem as { item: number }).item, UNAVAILABLE.test(String(i.json.error))]);

const handoffItems: IDataObject[] = ['H-1', 'H-2'].map((id) => ({ id, subject: 'Refund', delegation: delegationFor(id, 'acme') as unknown as IDataObject }));
const NODES: Array<{ name: string; type: string; parameters: IDataObject; items: IDataObject[]; errorOutput: number }> = [
	{ name: 'Provider Handoff', type: 'providerHandoff', parameters: { vendors: 'acme' }, items: handoffItems, errorOutput: 1 },
	{ name: 'Delegation Log', type: 'delegationLog', parameters: { operation: 'getDecisions', policyScope: 'default', ticketId: '={{ $json.id }}' }, items: [{ id: 'L-1' }, { id: 'L-2' }], errorOutput: 0 },
	{ name: 'Vendor Risk', type: 'vendorRisk', parameters: { output: 'report' }, items: [{}], errorOutput: 0 },
];

describe('every ledger node when the ledger is unavailable', () => {
	for (const node of NODES) {
		it(`${node.name}: fails naming the ledger; with Continue On Fail, each item on its error path with the reason, paired`, async () => {
			const failing = await runWorkflow(single(node.type, node.parameters, false), { items: node.items, credentials: credentials() });
			expect(failing.status).toBe('error');
			expect(failing.error('Node')?.message).toMatch(UNAVAILABLE);
			expect((failing.error('Node') as unknown as { description: string }).description).toMatch(/^Ledger: .*ledger\.sqlite\. /);

			const continuing = await runWorkflow(single(node.type, node.parameters, true), { items: node.items, credentials: credentials() });
			expect(continuing.status).toBe('success');
			expect(errors(continuing.output('Node', node.errorOutput))).toEqual(node.items.map((_, i) => [i, true]));
			// Provider Handoff got deliverable tickets in both runs: without a ledger to check and record them, none left.
			if (node.type === 'providerHandoff') expect(server.received).toEqual([]);
		});
	}
});
