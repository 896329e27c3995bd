import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IDataObject, INodeExecutionData, INodeParameters, IWorkflowBase } from 'n8n-workflow';
import { afterAll, describe, expect, it } from 'vitest';

import { closeLedgers } from '../../nodes/shared/ledger/open';
import { PACKAGE, runWorkflow } from '../harness/workflow';
import { delegationFor } from '../unit/handoff/fixtures';
import byDestination from './fixtures/router-by-destination.json';
import byKind from './fixtures/router-by-kind.json';

/**
 * On Error → Continue (using error output): n8n gives the node one more output, the last, and moves there every item
 * it recognises as failed. An item a package node could not handle must land there, with the input's fields, its
 * `error` and its pairing; the items it handled stay on their outputs.
 */

type WorkflowJson = Pick<IWorkflowBase, 'nodes' | 'connections'>;
const ROUTER = 'Ticket Router';
let scopes = 0;

const folder = mkdtempSync(join(tmpdir(), 'sd-error-output-'));
const corrupt = join(folder, 'corrupt.sqlite');
writeFileSync(corrupt, 'not an SQLite database, a text file that got in the way. '.repeat(100));
const UNAVAILABLE = /^Delegation ledger unavailable: /;

afterAll(async () => {
	await closeLedgers();
});

/** A fixture's router with On Error → Continue (using error output), a scope of its own and its own ledger file. */
function router(fixture: unknown, params: INodeParameters = {}): WorkflowJson {
	const workflow = structuredClone(fixture) as WorkflowJson;
	const node = workflow.nodes.find((n) => n.name === ROUTER)!;
	const policy = JSON.parse(node.parameters.policyJson as string);
	policy.scope = `error-output-${process.pid}-${++scopes}`;
	node.parameters = { ...node.parameters, policyJson: JSON.stringify(policy), ledgerFile: join(folder, `router-${scopes}.sqlite`), ...params };
	node.onError = 'continueErrorOutput';
	return workflow;
}

/** Input → one package node with On Error → Continue (using error output). */
function single(type: string, parameters: INodeParameters): WorkflowJson {
	return {
		nodes: [
			{ id: 'in', name: 'Input', type: 'harness.input', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 'node', name: 'Node', type: `${PACKAGE}.${type}`, typeVersion: 1, position: [200, 0], parameters, onError: 'continueErrorOutput' },
		],
		connections: { Input: { main: [[{ node: 'Node', type: 'main', index: 0 }]] } },
	};
}

const paired = (items: INodeExecutionData[]) => items.map((i) => (i.pairedItem as { item: number }).item);
const routed = (items: INodeExecutionData[]) => items.map((i) => [(i.pairedItem as { item: number }).item, (i.json.delegation as IDataObject).destination]);

describe('On Error → Continue (using error output)', () => {
	it('Ticket Router: a ticket without an id or with a 300-character id leaves on the error output with its fields, error and pairing; the others are routed', async () => {
		const items: IDataObject[] = [
			{ id: 'e-1', subject: 'Chargeback on my card', customer: { region: 'eu' } },
			{ subject: 'no id here', customer: { tier: 'vip' } },
			{ id: 'e-3', subject: 'Where is my parcel?' },
			{ id: 'x'.repeat(300), subject: 'an id longer than the ledger holds' },
		];
		const run = await runWorkflow(router(byKind), { items });
		expect(run.status).toBe('success');
		const [internal, external, errors] = run.outputs(ROUTER);
		expect(run.outputs(ROUTER)).toHaveLength(3);
		// Chargeback is a billing keyword (the fixture sends it to billing-experts, which takes EU customers); the parcel
		// matches no rule and goes to the default, the team.
		expect(routed(internal)).toEqual([[2, 'team']]);
		expect(routed(external)).toEqual([[0, 'billing-experts']]);
		expect(paired(errors)).toEqual([1, 3]);
		expect(errors[0].json).toEqual({ ...items[1], error: 'Item 1: ticket has no id at "id"' });
		expect(errors[1].json).toEqual({ ...items[3], error: 'Item 3: ticket id at "id" is 300 characters long (at most 255)' });
	});

	it('Ticket Router, one output per destination: the failed ticket is on the error output, not on a queue', async () => {
		const run = await runWorkflow(router(byDestination), { items: [{ subject: 'no id here' }, { id: 'd-2', subject: 'Where is my parcel?' }] });
		expect(run.status).toBe('success');
		const outputs = run.outputs(ROUTER);
		// The fixture's five destinations (team first), then the error output.
		expect(outputs.map((items) => items.length)).toEqual([1, 0, 0, 0, 0, 1]);
		expect(routed(outputs[0])).toEqual([[1, 'team']]);
		expect(outputs[5][0]).toMatchObject({ json: { subject: 'no id here', error: 'Item 0: ticket has no id at "id"' }, pairedItem: { item: 0 } });
	});

	it('Ticket Router, ledger unavailable: every ticket on the error output with the reason, the team and vendor outputs empty', async () => {
		const items = [{ id: 'u-1', subject: 'Chargeback' }, { id: 'u-2', subject: 'Hello' }];
		const run = await runWorkflow(router(byKind, { ledgerFile: corrupt }), { items });
		expect(run.status).toBe('success');
		const [internal, external, errors] = run.outputs(ROUTER);
		expect([internal.length, external.length]).toEqual([0, 0]);
		expect(errors.map((i) => [(i.pairedItem as { item: number }).item, i.json.id, UNAVAILABLE.test(String(i.json.error))])).toEqual([
			[0, 'u-1', true],
			[1, 'u-2', true],
		]);
	});

	it('Provider Handoff: an item without a delegation and the items it could not check against the ledger are on the error output, not on Failed', async () => {
		const items: IDataObject[] = [
			{ id: 'H-0', subject: 'no delegation' },
			{ id: 'H-1', subject: 'Refund', delegation: delegationFor('H-1', 'acme') as unknown as IDataObject },
		];
		const run = await runWorkflow(single('providerHandoff', { vendors: 'acme', ledgerFile: corrupt }), {
			items,
			credentials: { supportProviderApi: { baseUrl: 'http://127.0.0.1:9', authentication: 'bearer', token: 't' } },
		});
		expect(run.status).toBe('success');
		const outputs = run.outputs('Node');
		// Delivered, Failed, Pending, then the error output.
		expect(outputs.map((o) => o.length)).toEqual([0, 0, 0, 2]);
		expect(outputs[3].map((i) => [(i.pairedItem as { item: number }).item, i.json.id])).toEqual([
			[0, 'H-0'],
			[1, 'H-1'],
		]);
		expect(outputs[3][0].json.error).toBe('Item 0 cannot be handed off: it has no "delegation" object');
		expect(outputs[3][1].json.error).toMatch(UNAVAILABLE);
	});

	it('Delegation Log: each item it could not read from the ledger is on the error output with its fields', async () => {
		const items = [{ id: 'L-1' }, { id: 'L-2' }];
		const run = await runWorkflow(single('delegationLog', { operation: 'getDecisions', policyScope: 'default', ticketId: '={{ $json.id }}', ledgerFile: corrupt }), { items });
		expect(run.status).toBe('success');
		const [out, errors] = run.outputs('Node');
		expect(out).toEqual([]);
		expect(errors.map((i) => [(i.pairedItem as { item: number }).item, i.json.id, UNAVAILABLE.test(String(i.json.error))])).toEqual([
			[0, 'L-1', true],
			[1, 'L-2', true],
		]);
	});
});
