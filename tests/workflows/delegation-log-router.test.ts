import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IWorkflowBase } from 'n8n-workflow';
import { afterAll, describe, expect, it } from 'vitest';

import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';
import { closeLedgers } from '../../nodes/shared/ledger/open';
import { HARNESS_INPUT, PACKAGE, runWorkflow } from '../harness/workflow';
import { seedLedger, spread } from '../unit/risk/rows';
import fixture from './fixtures/log-router-outcome.json';

const DAY = 86_400_000;
const folder = mkdtempSync(join(tmpdir(), 'sd-router-log-'));

/** The fixture with every ledger node pointed at one file. */
function routerToLog(ledgerFile: string): IWorkflowBase {
	const workflow = structuredClone(fixture) as unknown as IWorkflowBase;
	for (const node of workflow.nodes) if (node.type.startsWith(PACKAGE)) node.parameters.ledgerFile = ledgerFile;
	return workflow;
}

const ticket = (id: string, subject: string) => ({ id, subject, body: '', tags: [], language: 'en', channel: 'email' });

afterAll(closeLedgers);

describe('Ticket Router → Delegation Log', () => {
	it('the router records its decisions and the log records the hand-off of the external ones', async () => {
		const ledgerFile = join(folder, 'handoff.sqlite');
		const run = await runWorkflow(routerToLog(ledgerFile), {
			items: [ticket('T-100', 'Refund for a double invoice'), ticket('T-101', 'Webhook retries'), ticket('T-102', 'Password reset')],
		});
		expect(run.status).toBe('success');
		expect(run.output('Ticket Router', 0).map((i) => i.json.id)).toEqual(['T-102']);
		const recorded = run.output('Record Hand-off').map((i) => i.json);
		expect(recorded.map((r) => [r.ticketId, r.vendor, r.status, r.providerReference, r.scope])).toEqual([
			['T-100', 'acme', 'handed_off', 'ACME-T-100', 'support'],
			['T-101', 'bolt', 'handed_off', 'BOLT-T-101', 'support'],
		]);
		expect(run.output('Record Hand-off').map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);

		const ledger = await SqliteLedger.open(ledgerFile);
		try {
			expect((await ledger.decisionsOf('support', 'T-100'))[0]).toMatchObject({ status: 'handed_off', handedOffAt: expect.any(Number) });
			expect((await ledger.decisionsOf('support', 'T-102'))[0]).toMatchObject({ kind: 'internal', status: 'routed' });
		} finally {
			await ledger.close();
		}
	});

	it('one definition of share: the vendor the report shows above 50% is the one the router stops at its 50% cap', async () => {
		const ledgerFile = join(folder, 'share.sqlite');
		// 20 delegated tickets in the window: the policy's minimum volume for the cap, so the cap bites.
		const seed = await SqliteLedger.open(ledgerFile);
		const from = Date.now() - 20 * DAY;
		await seedLedger(seed, [
			...spread(12, from, Date.now() - 60_000, { scope: 'support', vendor: 'acme', reason: 'specialist' }),
			...spread(8, from, Date.now() - 60_000, { scope: 'support', vendor: 'bolt', reason: 'specialist' }),
		]);
		await seed.close();

		const report = await runWorkflow(
			{
				nodes: [
					{ id: '1', name: 'Input', type: HARNESS_INPUT, typeVersion: 1, position: [0, 0], parameters: {} },
					{
						id: '2',
						name: 'Vendor Risk',
						type: `${PACKAGE}.vendorRisk`,
						typeVersion: 1,
						position: [200, 0],
						parameters: { output: 'alerts', policyScope: 'support', ledgerFile, thresholds: { shareWarning: 50, shareCritical: 90, minDelegated: 0 } },
					},
				],
				connections: { Input: { main: [[{ node: 'Vendor Risk', type: 'main', index: 0 }]] } },
			},
		);
		const flagged = report.output('Vendor Risk').filter((i) => i.json.subject === 'vendor').map((i) => i.json.name);
		expect(flagged).toEqual(['acme']);

		const routed = await runWorkflow(routerToLog(ledgerFile), {
			items: [ticket('T-200', 'Refund please'), ticket('T-201', 'Webhook signature')],
		});
		const delegations = routed.output('Ticket Router', 1).map((i) => i.json.delegation as { ticketId: string; vendor: string; guardrail: { name: string; wanted: string } | null });
		// The billing rule wanted acme; the share cap stopped exactly acme and sent it to the next target.
		expect(delegations[0]).toMatchObject({ ticketId: 'T-200', vendor: 'bolt', guardrail: { name: 'maxShare', wanted: 'acme' } });
		// bolt, which the report does not flag, is not stopped.
		expect(delegations[1]).toMatchObject({ ticketId: 'T-201', vendor: 'bolt', guardrail: null });
	});
});
