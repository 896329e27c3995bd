import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { VendorLimits } from './audit';

/**
 * The workflows a queue-mode run publishes, built from tests/queue/fixtures: the intake (Webhook → Split Out →
 * Ticket Router → Merge → Respond to Webhook) and the same workflow without the router, the latency baseline.
 * A request carries `{ tickets: [...] }`; one execution routes them as one batch.
 */

type Json = Record<string, unknown>;
interface WorkflowNode extends Json {
	name: string;
	parameters: Json;
	webhookId?: string;
}
export interface WorkflowJson extends Json {
	id: string;
	nodes: WorkflowNode[];
	connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>;
}

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8'));

export const POLICY = fixture('policy.json') as {
	scope: string;
	destinations: Array<VendorLimits & { id: string; kind: string }>;
	guardrails: { shareWindowDays: number; minVolumeForShareCap: number };
};

/** Ledger parameters of the Ticket Router (spread into its parameters), and the credential it names, if any. */
export interface LedgerChoice {
	parameters: Json;
	credentials?: Record<string, { id: string; name: string }>;
}

function withWebhook(workflow: WorkflowJson, id: string, path: string): WorkflowJson {
	workflow.id = id;
	workflow.name = `${workflow.name} [${path}]`;
	const webhook = workflow.nodes.find((n) => n.name === 'Webhook')!;
	webhook.parameters.path = path;
	webhook.webhookId = `${id}-webhook`;
	return workflow;
}

export function intakeWorkflow(options: { id: string; path: string; scope: string; ledger: LedgerChoice }): WorkflowJson {
	const workflow = withWebhook(fixture('intake.json'), options.id, options.path);
	const router = workflow.nodes.find((n) => n.name === 'Ticket Router')!;
	router.parameters = { ...router.parameters, policyJson: JSON.stringify({ ...POLICY, scope: options.scope }), ...options.ledger.parameters };
	if (options.ledger.credentials) router.credentials = options.ledger.credentials;
	return workflow;
}

/** The intake with the Ticket Router taken out: what the router adds to a webhook execution is the difference. */
export function baselineWorkflow(options: { id: string; path: string }): WorkflowJson {
	const workflow = withWebhook(fixture('intake.json'), options.id, options.path);
	workflow.nodes = workflow.nodes.filter((n) => n.name !== 'Ticket Router');
	delete workflow.connections['Ticket Router'];
	workflow.connections.Tickets = { main: [[{ node: 'Decisions', type: 'main', index: 0 }]] };
	return workflow;
}
