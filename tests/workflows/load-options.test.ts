import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { LoadOptionsContext } from 'n8n-core';
import type { INode, INodeParameters, IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { DelegationLog } from '../../nodes/DelegationLog/DelegationLog.node';
import { TicketRouter } from '../../nodes/TicketRouter/TicketRouter.node';
import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';
import { decision, request } from '../ledger/fixtures';

/** The context n8n builds for a dropdown: the node alone, with the parameters the editor currently holds. */
function loadContext(nodeType: object, type: string, parameters: INodeParameters, path: string) {
	const node: INode = { id: 'n1', name: 'Node', type, typeVersion: 2, position: [0, 0], parameters };
	const nodeTypes = { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: nodeTypes as never });
	const additionalData = { currentNodeParameters: parameters } as unknown as IWorkflowExecuteAdditionalData;
	return new LoadOptionsContext(workflow, node, additionalData, path);
}

const router = new TicketRouter();
const editorParameters: INodeParameters = {
	policySource: 'editor',
	destinations: {
		destination: [
			{ name: 'Support team', kind: 'internal' },
			{ id: 'trust', name: 'Trust & Safety', kind: 'internal' },
			{ name: 'Billing Experts', kind: 'external' },
			{ name: 'Surge', kind: 'external' },
			{ kind: 'external' },
		],
	},
	rules: { rule: [{ name: 'VIP', kind: 'keepInternal' }, { name: 'Billing', kind: 'specialist' }, { name: 'Automatic', kind: '' }] },
	schedules: { schedule: [{ name: 'Office hours' }] },
};

describe('Ticket Router dropdowns', () => {
	const options = (method: keyof typeof router.methods.loadOptions, parameters: INodeParameters, path: string) =>
		router.methods.loadOptions[method].call(loadContext(router, 'n8n-nodes-support-delegation.ticketRouter', parameters, path));

	it('offers a rule the destinations of its kind, by name with the ID they will have', async () => {
		const internal = await options('ruleTargets', editorParameters, 'parameters.rules.rule[0].target');
		expect(internal.map((o) => [o.name, o.value])).toEqual([
			['Support team (support-team)', 'support-team'],
			['Trust & Safety (trust)', 'trust'],
		]);
		const external = await options('ruleTargets', editorParameters, 'parameters.rules.rule[1].target');
		expect(external.map((o) => o.value)).toEqual(['billing-experts', 'surge']);
		// A rule whose kind comes from its destination may send anywhere; the list says which is which.
		const any = await options('ruleTargets', editorParameters, 'parameters.rules.rule[2].target');
		expect(any.map((o) => [o.value, o.description])).toEqual([
			['support-team', 'Internal queue'],
			['trust', 'Internal queue'],
			['billing-experts', 'External vendor'],
			['surge', 'External vendor'],
		]);
		expect((await options('allDestinations', editorParameters, 'parameters.defaultDestination')).map((o) => o.value)).toEqual([
			'support-team',
			'trust',
			'billing-experts',
			'surge',
		]);
		expect((await options('schedules', editorParameters, 'parameters.rules.rule[0].when.outsideSchedule')).map((o) => o.value)).toEqual(['', 'office-hours']);
	});

	it('reads a literal JSON policy too, and nothing from an expression or broken JSON', async () => {
		const json = (policyJson: string) => ({ policySource: 'json', policyJson });
		const literal = JSON.stringify({ destinations: [{ id: 'team', kind: 'internal' }, { id: 'acme', name: 'Acme', kind: 'external' }], schedules: [{ id: 'office' }] });
		expect((await options('vendors', json(literal), 'parameters.x')).map((o) => [o.name, o.value])).toEqual([['Acme (acme)', 'acme']]);
		expect((await options('schedules', json(literal), 'parameters.x')).map((o) => o.value)).toEqual(['', 'office']);
		expect(await options('vendors', json('={{ $json.policy }}'), 'parameters.x')).toEqual([]);
		expect(await options('vendors', json('{ "destinations": ['), 'parameters.x')).toEqual([]);
	});

	it('lists the countries whose public holidays it knows', async () => {
		const countries = await options('countries', editorParameters, 'parameters.schedules.schedule[0].country');
		expect(countries.map((o) => o.value)).toEqual(expect.arrayContaining(['', 'FR', 'DE', 'US', 'JP']));
		expect(countries.find((o) => o.value === 'FR')?.name).toBe('France (FR)');
	});
});

describe('Policy Scope lists of the ledger nodes', () => {
	it('offer the scopes the ledger has recorded, with default and All Scopes, from the node’s own ledger settings', async () => {
		const file = join(mkdtempSync(join(tmpdir(), 'sd-scopes-')), 'ledger.sqlite');
		const ledger = await SqliteLedger.open(file);
		await ledger.routeBatch('support-eu', request(), () => ({ rows: [decision({ scope: 'support-eu', ticketId: 'S1' })], overflowActive: {}, result: null }));
		await ledger.close();
		const log = new DelegationLog();
		const scopes = await log.methods.loadOptions.policyScopes.call(loadContext(log, 'n8n-nodes-support-delegation.delegationLog', { ledger: 'embedded', ledgerFile: file }, 'parameters.policyScope'));
		expect(scopes.map((o) => o.value)).toEqual(['', 'default', 'support-eu']);
		// A ledger that cannot be opened still offers the fixed entries.
		const missing = await log.methods.loadOptions.policyScopes.call(
			loadContext(log, 'n8n-nodes-support-delegation.delegationLog', { ledger: 'embedded', ledgerFile: join(file, 'not-a-dir', 'x.sqlite') }, 'parameters.policyScope'),
		);
		expect(missing.map((o) => o.value)).toEqual(['', 'default']);
	});
});
