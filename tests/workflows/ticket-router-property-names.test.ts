import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IDataObject } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';
import { PACKAGE, runWorkflow } from '../harness/workflow';

const ROUTER = 'Ticket Router';

/** A router on its own embedded ledger file, fed the given tickets. */
async function route(policy: IDataObject, tickets: IDataObject[], ledgerFile: string) {
	const run = await runWorkflow(
		{
			nodes: [
				{ id: 'in', name: 'Input', type: 'harness.input', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: 'router',
					name: ROUTER,
					type: `${PACKAGE}.ticketRouter`,
					typeVersion: 3,
					position: [220, 0],
					parameters: { operation: 'route', policySource: 'json', policyJson: JSON.stringify(policy), fieldPreset: 'generic', outputMode: 'kind', options: {}, ledgerFile },
				},
			],
			connections: { Input: { main: [[{ node: ROUTER, type: 'main', index: 0 }]] } },
		},
		{ items: tickets },
	);
	expect(run.status).toBe('success');
	return run.outputs(ROUTER).flat().map((item): IDataObject => ({ id: item.json.id, ...(item.json.delegation as IDataObject) }));
}

const newLedgerFile = () => join(mkdtempSync(join(tmpdir(), 'sd-property-names-')), 'ledger.sqlite');

describe('ticket and vendor ids that are JavaScript property names', () => {
	it('a ticket "__proto__" or "constructor" routed again finds its recorded decision: one row each in the ledger', async () => {
		const ledgerFile = newLedgerFile();
		const policy = {
			scope: 'names',
			timezone: 'UTC',
			destinations: [
				{ id: 'team', kind: 'internal' },
				{ id: 'acme', kind: 'external', contract: 'specialist', dpa: true, allowedFields: ['id'] },
			],
			rules: [{ id: 'refunds', kind: 'specialist', target: 'acme', when: { keywords: ['refund'] } }],
			defaultDestination: 'team',
		};
		const tickets = [{ id: '__proto__', subject: 'refund' }, { id: 'constructor', subject: 'refund' }];
		const first = await route(policy, tickets, ledgerFile);
		const second = await route(policy, tickets, ledgerFile);
		expect(first.map((d) => [d.id, d.destination, d.ledger])).toEqual([['__proto__', 'acme', 'recorded'], ['constructor', 'acme', 'recorded']]);
		expect(second.map((d) => [d.id, d.ledger, d.decisionId])).toEqual(first.map((d) => [d.id, 'existing', d.decisionId]));
		const ledger = await SqliteLedger.open(ledgerFile);
		try {
			expect((await ledger.list({ scope: 'names' })).rows.map((r) => r.ticketId).sort()).toEqual(['__proto__', 'constructor']);
		} finally {
			await ledger.close();
		}
	});

	it('a vendor "__proto__" with a cap of one ticket an hour takes one, the next execution’s ticket goes to the team', async () => {
		const policy = {
			scope: 'names',
			timezone: 'UTC',
			destinations: [
				{ id: 'team', kind: 'internal' },
				{ id: '__proto__', kind: 'external', contract: 'specialist', capacityPerHour: 1, dpa: true, allowedFields: ['id'] },
			],
			rules: [{ id: 'refunds', kind: 'specialist', target: '__proto__', when: { keywords: ['refund'] } }],
			defaultDestination: 'team',
		};
		const ledgerFile = newLedgerFile();
		const first = await route(policy, [{ id: 'V-1', subject: 'refund' }], ledgerFile);
		const second = await route(policy, [{ id: 'V-2', subject: 'refund' }], ledgerFile);
		expect(first.map((d) => d.destination)).toEqual(['__proto__']);
		expect(second.map((d) => [d.destination, (d.guardrail as IDataObject | null)?.name])).toEqual([['team', 'capacityPerHour']]);
	});
});
