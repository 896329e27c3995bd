/**
 * The Switch comparison: one policy of 5 rules and n8n's Switch node with the same rules written as a user would
 * (an expression per condition), fed the same tickets by one Code node. No caps, budgets or shares in the policy, so
 * the router's guardrails never divert and both must send every ticket to the same place.
 */

type Json = Record<string, unknown>;

export const COMPARISON_POLICY = {
	scope: 'replaced-per-run',
	timezone: 'UTC',
	destinations: [
		{ id: 'team', name: 'Support team', kind: 'internal' },
		{ id: 'vip-desk', name: 'VIP desk', kind: 'internal' },
		{ id: 'trust', name: 'Trust & Safety', kind: 'internal' },
		{ id: 'billing-experts', name: 'Billing Experts', kind: 'external', contract: 'specialist', dpa: true, allowedFields: ['id', 'subject', 'body'] },
		{ id: 'api-guild', name: 'API Guild', kind: 'external', contract: 'specialist', dpa: true, allowedFields: ['id', 'subject', 'body'] },
		{ id: 'nihongo', name: 'Nihongo Support', kind: 'external', contract: 'outsourcing', dpa: true, allowedFields: ['id', 'subject', 'body'] },
	],
	rules: [
		{ id: 'vip', name: 'VIP customers', kind: 'keepInternal', when: { tiers: ['vip'] }, target: 'vip-desk' },
		{ id: 'sensitive', name: 'Legal and security', kind: 'keepInternal', when: { tags: ['legal', 'security'] }, target: 'trust' },
		{ id: 'billing', name: 'Billing', kind: 'specialist', when: { keywords: ['refund', 'chargeback', 'invoice', 'charged twice'] }, target: 'billing-experts' },
		{ id: 'api', name: 'API', kind: 'specialist', when: { keywords: ['webhook', 'api key', 'oauth', 'rate limit'] }, target: 'api-guild' },
		{ id: 'japanese', name: 'Japanese', kind: 'outsourcing', when: { languages: ['ja'] }, target: 'nihongo' },
	],
	defaultDestination: 'team',
};

/** The Switch's outputs in order: one per rule (its target), then the fallback (the default destination). */
export const SWITCH_OUTPUTS = [...COMPARISON_POLICY.rules.map((r) => r.target), COMPARISON_POLICY.defaultDestination];

const condition = (leftValue: string, operator: Json, rightValue: unknown = '') => ({ leftValue, rightValue, operator });
const rule = (outputKey: string, combinator: 'and' | 'or', conditions: Json[]) => ({
	outputKey,
	renameOutput: true,
	conditions: {
		options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 },
		conditions: conditions.map((c, i) => ({ id: `${outputKey}-${i}`, ...c })),
		combinator,
	},
});

/** Switch (v3.2) rules equivalent to the policy, as a user writes them in the editor. */
export function switchParameters(): Json {
	const text = '={{ $json.subject + " " + $json.body }}';
	return {
		mode: 'rules',
		rules: {
			values: [
				rule('vip-desk', 'and', [condition('={{ $json.customer.tier }}', { type: 'string', operation: 'equals' }, 'vip')]),
				rule('trust', 'or', [
					condition('={{ $json.tags }}', { type: 'array', operation: 'contains', rightType: 'any' }, 'legal'),
					condition('={{ $json.tags }}', { type: 'array', operation: 'contains', rightType: 'any' }, 'security'),
				]),
				rule('billing-experts', 'and', [condition(text, { type: 'string', operation: 'regex' }, '/\\b(refund|chargeback|invoice|charged twice)\\b/i')]),
				rule('api-guild', 'and', [condition(text, { type: 'string', operation: 'regex' }, '/\\b(webhook|api key|oauth|rate limit)\\b/i')]),
				rule('nihongo', 'and', [condition('={{ $json.language }}', { type: 'string', operation: 'equals' }, 'ja')]),
			],
		},
		options: { fallbackOutput: 'extra', renameFallbackOutput: 'team' },
	};
}

/**
 * The Code node's JavaScript: `count` tickets from a fixed pseudo-random sequence, ids prefixed with the request's
 * `run` so every execution decides fresh tickets. ASCII text, single spaces: the router's whole-word keywords and
 * the Switch's `\b` regex agree on it by construction.
 */
export function ticketsCode(): string {
	return `
const run = String($input.first().json.body.run);
const count = Number($input.first().json.body.count);
let seed = 20261130;
const r = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (list) => list[Math.floor(r() * list.length)];
const SUBJECTS = ['Cannot log in to my account', 'Question about my last invoice', 'Refund for order', 'Webhook deliveries failing', 'How do I export my data', 'App crashes on startup', 'Chargeback notice received', 'Feature request: dark mode', 'Password reset email never arrives', 'We were charged twice this month', 'OAuth token expired', 'Shipping address change'];
const INSERTS = ['', '', '', '', 'the api key seems wrong', 'I want a refund please', 'we hit the rate limit', 'invoices are missing', 'refunds take too long', 'the webhooks fire twice'];
const FILLER = 'Hello team, I have been using the product for a while and today something unexpected happened. I tried the steps from the help center article and cleared my cache, but the issue is still there. Could you please have a look? ';
const out = [];
for (let n = 0; n < count; n++) {
  out.push({ json: {
    id: run + '-' + n,
    subject: pick(SUBJECTS),
    body: FILLER.slice(0, 80 + Math.floor(r() * 120)) + ' ' + pick(INSERTS),
    tags: r() < 0.05 ? ['security'] : pick([['billing'], ['login'], [], ['mobile', 'ios'], ['legal'], ['export']]),
    language: r() < 0.8 ? 'en' : pick(['de', 'fr', 'ja']),
    channel: pick(['email', 'chat', 'web']),
    priority: pick(['low', 'normal', 'high']),
    customer: { tier: r() < 0.03 ? 'vip' : pick(['free', 'pro', 'business']), region: 'eu' },
  } });
}
return out;`;
}

interface Node extends Json {
	name: string;
}

export function webhookNode(path: string, responseMode: 'onReceived' | 'lastNode'): Node {
	return {
		id: `wh-${path.replace(/\W/g, '-')}`,
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		position: [0, 0],
		webhookId: `wh-${path.replace(/\W/g, '-')}`,
		parameters: { httpMethod: 'POST', path, responseMode, ...(responseMode === 'lastNode' ? { responseData: 'noData' } : {}), options: {} },
	};
}

/** Ticket Router parameters for a policy and a ledger (`ledger` parameters from `LedgerChoice`). */
export function routerNode(name: string, policy: object, ledger: Json, extra: Json = {}, credentials?: Json): Node {
	return {
		id: `router-${name.replace(/\W/g, '-')}`,
		name,
		type: 'n8n-nodes-support-delegation.ticketRouter',
		typeVersion: 2,
		position: [440, 0],
		parameters: { operation: 'route', policySource: 'json', policyJson: JSON.stringify(policy), fieldPreset: 'generic', outputMode: 'destination', options: {}, ...ledger, ...extra },
		...(credentials ? { credentials } : {}),
	};
}

/**
 * Webhook → Code (tickets) → Ticket Router (embedded), Ticket Router (PostgreSQL), a dry-run Ticket Router when given,
 * and the Switch (unless `withSwitch` is false), in that order: n8n runs a node's children top to bottom, and they are
 * placed so. The Switch goes last because its 10,000 × 5 expression evaluations leave the heap full of garbage that the
 * node after it collects on its own time. Run first (until 1fcdcbb), it made the routers' warm times after it slower
 * than their cold ones without it in the same n8n process (200 against 162 ms embedded, 386 against 359 PostgreSQL),
 * and the dry run read 121 ms where the run before read 34; its own ~70 s hardly moves with the routers' garbage.
 * Without the Switch it is the routers' own 10,000-ticket execution: the bench runs it first, so the comparison's
 * routers are measured both cold (that execution) and warm (the comparison).
 */
export function comparisonWorkflow(options: { id: string; path: string; embedded: Node; postgres: Node | null; dryRun?: Node; withSwitch?: boolean }): Json {
	const code: Node = {
		id: 'make-tickets',
		name: 'Make tickets',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [220, 0],
		parameters: { mode: 'runOnceForAllItems', language: 'javaScript', jsCode: ticketsCode() },
	};
	const sw: Node = { id: 'switch', name: 'Switch', type: 'n8n-nodes-base.switch', typeVersion: 3.2, parameters: switchParameters() };
	const targets = [
		options.embedded,
		...(options.postgres ? [options.postgres] : []),
		...(options.dryRun ? [options.dryRun] : []),
		...(options.withSwitch === false ? [] : [sw]),
	].map((node, k): Node => ({ ...node, position: [440, 200 * k] }));
	return {
		id: options.id,
		name: `Bench: ${options.withSwitch === false ? 'Ticket Router alone' : 'Switch vs Ticket Router'} [${options.path}]`,
		nodes: [webhookNode(options.path, 'onReceived'), code, ...targets],
		connections: {
			Webhook: { main: [[{ node: code.name, type: 'main', index: 0 }]] },
			[code.name]: { main: [targets.map((t) => ({ node: t.name, type: 'main', index: 0 }))] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** The No Operation node of the one-ticket workflows: n8n's own time for a node, beside the router's. */
export const NO_OP = 'No Operation';

/**
 * Webhook → No Operation → Ticket Router, answering once the router is done: one ticket per call, read from the
 * request body. The No Operation node passes the item on untouched; its time is what n8n spends on any node of the
 * same execution (hooks, paired items, its own bookkeeping), the floor the router's time sits on.
 */
export function singleTicketWorkflow(options: { id: string; path: string; router: Node }): Json {
	const noOp: Node = { id: 'noop', name: NO_OP, type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} };
	return {
		id: options.id,
		name: `Bench: one ticket per webhook [${options.path}]`,
		nodes: [webhookNode(options.path, 'lastNode'), noOp, { ...options.router, position: [440, 0] }],
		connections: {
			Webhook: { main: [[{ node: NO_OP, type: 'main', index: 0 }]] },
			[NO_OP]: { main: [[{ node: options.router.name, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** The node of `postgresInsertWorkflow` whose time is read. */
export const POSTGRES_NODE = 'Postgres';

/**
 * Webhook → No Operation → n8n's own Postgres node inserting one row (a fixed statement, autocommit), answering once
 * it is done: the least a workflow can do to record something durably in PostgreSQL with n8n's own node and the same
 * credential, read per execution as every node reads it. The reference the router's one-ticket figure is read against.
 */
export function postgresInsertWorkflow(options: { id: string; path: string; table: string; credentials?: Json }): Json {
	const workflow = singleTicketWorkflow({
		id: options.id,
		path: options.path,
		router: {
			id: 'postgres-insert',
			name: POSTGRES_NODE,
			type: 'n8n-nodes-base.postgres',
			typeVersion: 2.6,
			parameters: { operation: 'executeQuery', query: `INSERT INTO ${options.table} (at) VALUES (clock_timestamp())`, options: {} },
			...(options.credentials ? { credentials: options.credentials } : {}),
		},
	});
	return { ...workflow, name: `Bench: n8n's Postgres node, one row per webhook [${options.path}]` };
}

/** Field paths of a ticket sent as the webhook's request body. */
export const BODY_PATHS = {
	fieldPaths: {
		id: 'body.id',
		subject: 'body.subject',
		body: 'body.body',
		tags: 'body.tags',
		language: 'body.language',
		channel: 'body.channel',
		priority: 'body.priority',
		tier: 'body.customer.tier',
		region: 'body.customer.region',
	},
};
