import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

import { runWorkflow } from '../tests/harness/workflow';
import { record } from './record';
import { routerWorkflow } from '../tests/harness/router-workflow';

/**
 * Peak memory of one 100,000-ticket batch through the Ticket Router node (WorkflowExecute, every decision recorded
 * in the embedded ledger). Vitest runs each bench file in a process of its own (pool: forks), so the peak resident
 * set (getrusage's maxrss) belongs to this file alone. The figure is that peak after the batch minus the resident set
 * just before it (input items built, collected): an upper bound of what the batch added.
 */
const N = 100_000;
const POLICY = JSON.parse(readFileSync(join(__dirname, '..', 'docs', 'example-policy.json'), 'utf8'));
const MB = 1024 * 1024;

it(`peak memory of a ${N.toLocaleString('en')}-ticket batch through the node`, async () => {
	const items = Array.from({ length: N }, (_, n) => ({
		id: `mem-${process.pid}-${n}`,
		subject: n % 5 === 0 ? 'Refund for order' : 'Cannot log in to my account',
		body: `Hello team, ticket number ${n}: something unexpected happened today. Could you please have a look and tell me what to do next?`,
		tags: n % 20 === 0 ? ['security'] : ['login'],
		language: n % 10 === 0 ? 'ja' : 'en',
		channel: 'email',
		priority: 'normal',
		customer: { tier: n % 50 === 0 ? 'vip' : 'pro', region: 'eu' },
		createdAt: new Date(Date.UTC(2026, 10, 20) + n * 1000).toISOString(),
	}));
	const gc = (globalThis as { gc?: () => void }).gc;
	gc?.();
	const before = process.memoryUsage().rss;
	const peakBefore = process.resourceUsage().maxRSS * 1024;
	const started = performance.now();
	const result = await runWorkflow(routerWorkflow({ policyJson: JSON.stringify({ ...POLICY, scope: `mem-${process.pid}` }), outputMode: 'kind', options: {} }, { typeVersion: 1 }), { items });
	const ms = performance.now() - started;
	expect(result.status).toBe('success');
	expect(result.outputs('Ticket Router').reduce((n, out) => n + out.length, 0)).toBe(N);
	const peakAfter = process.resourceUsage().maxRSS * 1024;
	record('memory.route100k.peakRssGrowth', {
		value: (peakAfter - before) / MB,
		unit: 'MB',
		target: '<= 300',
		label: `Peak memory added by a ${N.toLocaleString('en')}-ticket batch through the Ticket Router (recorded, embedded ledger)`,
		notes: `Peak resident set (maxrss) of this bench's own process after the batch minus its resident set just before it (${(before / MB).toFixed(0)} MB with the input items built${gc ? ', after a GC' : ''}; peak before the batch ${(peakBefore / MB).toFixed(0)} MB): an upper bound of the growth. ${N.toLocaleString('en')} tickets decided and recorded in one execution in ${(ms / 1000).toFixed(1)} s; example policy`,
	});
});
