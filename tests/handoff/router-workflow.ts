import type { IWorkflowBase } from 'n8n-workflow';

import { PACKAGE } from '../harness/workflow';
import fixture from '../workflows/fixtures/handoff-router.json';

/**
 * The router → hand-off template on one ledger file, without the internal queue node (so only the package's nodes
 * run). `acmeConcurrency: 1` makes "after k answers" a precise point for the crash suite.
 */
export function handoffWorkflow(ledgerFile: string, acmeConcurrency?: number): IWorkflowBase {
	const w = structuredClone(fixture) as unknown as IWorkflowBase;
	w.nodes = w.nodes.filter((n) => n.name !== 'Back to Internal Queue');
	delete w.connections['Hand Off to Bolt'];
	for (const node of w.nodes) if (node.type.startsWith(PACKAGE)) node.parameters.ledgerFile = ledgerFile;
	const acme = w.nodes.find((n) => n.name === 'Hand Off to Acme')!;
	if (acmeConcurrency !== undefined) acme.parameters.options = { ...(acme.parameters.options as object), concurrency: acmeConcurrency };
	return w;
}
