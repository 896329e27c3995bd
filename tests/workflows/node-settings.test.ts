import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ExecuteContext } from 'n8n-core';
import type { IDataObject, INodeParameters, IWorkflowBase } from 'n8n-workflow';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { runWorkflow } from '../harness/workflow';
import byKind from './fixtures/router-by-kind.json';

type WorkflowJson = Pick<IWorkflowBase, 'nodes' | 'connections'>;
const ROUTER = 'Ticket Router';
const folder = mkdtempSync(join(tmpdir(), 'node-settings-'));

/** A policy sending "refund" tickets to a vendor, in a scope of its own. */
function policy(scope: string, vendor = 'acme') {
	return {
		scope: `${scope}-${process.pid}`,
		destinations: [
			{ id: 'team', kind: 'internal' },
			{ id: vendor, kind: 'external', contract: 'specialist', dpa: true },
		],
		rules: [{ id: 'billing', kind: 'specialist', when: { keywords: ['refund'] }, target: vendor }],
		defaultDestination: 'team',
	};
}

function router(parameters: INodeParameters): WorkflowJson {
	const workflow = structuredClone(byKind) as unknown as WorkflowJson;
	const node = workflow.nodes.find((n) => n.name === ROUTER)!;
	node.parameters = { ...node.parameters, ...parameters };
	return workflow;
}

/**
 * The names the router asked n8n to resolve during the run. An execute context's getNodeParameter is a function of
 * its own that calls the shared `_getNodeParameter`, watched here.
 */
function askedOfN8n() {
	const spy = vi.spyOn(ExecuteContext.prototype as unknown as { _getNodeParameter: (name: string) => unknown }, '_getNodeParameter');
	return () => spy.mock.calls.map(([name]) => name);
}

afterEach(() => {
	vi.restoreAllMocks();
});

describe('the Ticket Router reads its settings once per execution', () => {
	it('takes settings without expressions as saved, without asking n8n to resolve each one', async () => {
		const asked = askedOfN8n();
		const ledgerFile = join(folder, 'plain.sqlite');
		const run = await runWorkflow(router({ policyJson: JSON.stringify(policy('plain')), ledger: 'embedded', ledgerFile, options: { reroute: false } }), {
			items: [{ id: 'p1', subject: 'refund please' }, { id: 'p2', subject: 'hello' }],
		});
		expect(run.status).toBe('success');
		expect(run.output(ROUTER, 1).map((i) => (i.json.delegation as IDataObject).destination)).toEqual(['acme']);
		expect(run.output(ROUTER, 0).map((i) => i.json.id)).toEqual(['p2']);
		expect(asked()).toEqual([]);
	});

	it('resolves a setting holding an expression anywhere (the policy, a field path, the ledger file) for the first item', async () => {
		const asked = askedOfN8n();
		const run = await runWorkflow(
			router({
				policyJson: '={{ JSON.stringify($json.policy) }}',
				ledger: 'embedded',
				ledgerFile: `={{ ${JSON.stringify(folder)} + "/" + $json.ledgerName }}`,
				fieldPaths: { subject: '={{ "ticket" + ".title" }}' },
			}),
			{
				items: [
					{ id: 'e1', ticket: { title: 'refund please' }, policy: policy('expression', 'billing-co'), ledgerName: 'from-expression.sqlite' },
					// Settings are never per item: the second item's own policy and ledger are not read.
					{ id: 'e2', ticket: { title: 'refund again' }, policy: policy('other', 'elsewhere'), ledgerName: 'other.sqlite' },
				],
			},
		);
		expect(run.status).toBe('success');
		const delegations = run.output(ROUTER, 1).map((i) => i.json.delegation as IDataObject);
		expect(delegations.map((d) => [d.ticketId, d.destination, d.policyScope])).toEqual([
			['e1', 'billing-co', `expression-${process.pid}`],
			['e2', 'billing-co', `expression-${process.pid}`],
		]);
		expect(asked().sort()).toEqual(['fieldPaths', 'ledgerFile', 'policyJson']);
		// The ledger file the expression named holds both decisions.
		const check = await runWorkflow(router({ policyJson: JSON.stringify(policy('expression', 'billing-co')), ledger: 'embedded', ledgerFile: join(folder, 'from-expression.sqlite') }), {
			items: [{ id: 'e1', subject: 'refund please' }],
		});
		expect((check.output(ROUTER, 1)[0].json.delegation as IDataObject).ledger).toBe('existing');
	});

	it('fails as n8n does when a setting\'s expression fails: the setting named, nothing recorded', async () => {
		const ledgerFile = join(folder, 'failing.sqlite');
		const run = await runWorkflow(router({ policyJson: JSON.stringify(policy('failing')), ledger: 'embedded', ledgerFile, options: { currentLoad: '={{ $("No Such Node").item.json.load }}' } }), {
			items: [{ id: 'f1', subject: 'refund' }],
		});
		expect(run.status).toBe('error');
		expect((run.error(ROUTER) as Error & { context?: { parameter?: string } }).context?.parameter).toBe('options');
		const again = await runWorkflow(router({ policyJson: JSON.stringify(policy('failing')), ledger: 'embedded', ledgerFile }), { items: [{ id: 'f1', subject: 'refund' }] });
		expect((again.output(ROUTER, 1)[0].json.delegation as IDataObject).ledger).toBe('recorded');
	});
});
