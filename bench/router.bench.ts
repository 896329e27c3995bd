import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject } from 'n8n-workflow';
import { expect, it } from 'vitest';

import { loadPolicy } from '../domain/policy/compile';
import { decide, emptySnapshot } from '../domain/routing/decide';
import { ticketReader } from '../domain/ticket/read';
import { seeded } from '../tests/fuzz/random';
import { HARNESS_INPUT, runWorkflow } from '../tests/harness/workflow';
import { medianOf, record } from './record';

const POLICY = JSON.parse(readFileSync(join(__dirname, '..', 'docs', 'example-policy.json'), 'utf8'));
const N = 10_000;

const SUBJECTS = [
	'Cannot log in to my account',
	'Question about my last invoice',
	'Refund for order #{n}',
	'Webhook deliveries failing since yesterday',
	'How do I export my data?',
	'App crashes on startup',
	'Chargeback notice received',
	'Feature request: dark mode',
	'Password reset email never arrives',
	'Rückerstattung für Bestellung {n}',
	'Problème de facture',
	'注文のキャンセルについて',
	'Shipping address change',
	'We were charged twice this month',
	'OAuth token expired error in integration',
];
const FILLER =
	'Hello team, I have been using the product for a while and today something unexpected happened. I tried the steps from the help center article and cleared my cache, but the issue is still there. Could you please have a look and tell me what to do next? Thanks a lot for your help and have a nice day. ';
const INTENTS = ['refund', 'bug', 'other', 'billing_question', 'account_access', 'refund', 'other'];
const INSERTS = ['', '', '', '', 'the api key seems wrong', 'I want a refund', 'this looks like phishing', 'rate limit reached', 'VAT number missing', 'ich möchte eine Rückerstattung', 'GDPR request attached'];

function tickets(prefix: string): IDataObject[] {
	const { next: r, pick } = seeded(42);
	const out: IDataObject[] = [];
	for (let n = 0; n < N; n++) {
		const lang = r() < 0.7 ? 'en' : pick(['de', 'fr', 'es', 'ja']);
		out.push({
			id: `${prefix}-${n}`,
			subject: pick(SUBJECTS).replace('{n}', String(1000 + n)),
			body: FILLER.slice(0, 200 + Math.floor(r() * 120)) + pick(INSERTS) + ' ' + FILLER.slice(0, Math.floor(r() * 200)),
			tags: r() < 0.05 ? ['security'] : pick([['billing'], ['login'], [], ['mobile', 'ios'], ['export']]),
			category: pick(['billing', 'technical', 'account', 'shipping', null]),
			language: lang,
			channel: pick(['email', 'chat', 'web', 'phone']),
			priority: pick(['low', 'normal', 'normal', 'high', 'urgent']),
			customer: { tier: r() < 0.03 ? 'vip' : pick(['free', 'pro', 'business']), region: pick(['eu', 'eu', 'uk', 'us']) },
			createdAt: new Date(Date.UTC(2026, 10, 20) + Math.floor(r() * 86_400_000 * 5)).toISOString(),
			// An upstream AI classifier's labels, for the policy's field conditions (derived from n, so the random
			// sequence, and every other field, stays the one earlier runs measured).
			intent: INTENTS[n % INTENTS.length],
			intent_confidence: (n % 100) / 100,
		});
	}
	// Through JSON, as a webhook or helpdesk node delivers them (flat strings, not concatenation ropes).
	return JSON.parse(JSON.stringify(out));
}

function workflow(policy: object, dryRun: boolean) {
	return {
		nodes: [
			{ id: 'in', name: 'Input', type: HARNESS_INPUT, typeVersion: 1, position: [0, 0] as [number, number], parameters: {} },
			{
				id: 'router',
				name: 'Ticket Router',
				type: 'n8n-nodes-support-delegation.ticketRouter',
				typeVersion: 1,
				position: [200, 0] as [number, number],
				parameters: { operation: 'route', policySource: 'json', policyJson: JSON.stringify(policy), fieldPreset: 'generic', outputMode: 'kind', options: { dryRun } },
			},
		],
		connections: { Input: { main: [[{ node: 'Ticket Router', type: 'main' as const, index: 0 }]] } },
	};
}

let runNo = 0;
const cpuTimes: number[] = [];
/** One execution; a fresh scope per run changes the policy text, so the policy is compiled inside the measured run. */
async function routerTime(dryRun: boolean): Promise<number> {
	const scope = `bench-${process.pid}-${++runNo}`;
	const items = tickets(scope);
	const cpu = process.cpuUsage();
	const result = await runWorkflow(workflow({ ...POLICY, scope }, dryRun), { items });
	const used = process.cpuUsage(cpu);
	cpuTimes.push((used.user + used.system) / 1000);
	expect(result.status).toBe('success');
	const routed = result.outputs('Ticket Router').reduce((sum, out) => sum + out.length, 0);
	expect(routed).toBe(N);
	return result.run.data.resultData.runData['Ticket Router'][0].executionTime;
}

it('routes 10,000 tickets inside WorkflowExecute', async () => {
	const keywords = POLICY.rules.reduce((n: number, r: { when?: { keywords?: string[] } }) => n + (r.when?.keywords?.length ?? 0), 0);
	const conditions = POLICY.rules.reduce((n: number, r: { when?: { conditions?: unknown[] } }) => n + (r.when?.conditions?.length ?? 0), 0);
	const schedules = POLICY.rules.filter((r: { when?: { outsideSchedule?: string; withinSchedule?: string } }) => r.when?.outsideSchedule || r.when?.withinSchedule).length;
	const shape = `${POLICY.rules.length} rules, ${keywords} keywords, ${conditions} field conditions, ${schedules} schedule condition (public holidays), ${POLICY.destinations.length} destinations`;
	const dry = await medianOf(5, () => routerTime(true));
	const cpu = cpuTimes.slice(1).sort((a, b) => a - b)[2];
	record('router.route10k.nodeTime', {
		value: dry,
		unit: 'ms',
		target: '<= 100',
		notes: `Ticket Router node executionTime for ${N} tickets (dry run: decide on a ledger snapshot, nothing written), policy compile included; ${shape}; median of 5`,
	});
	record('router.route10k.workflowCpu', {
		value: cpu,
		unit: 'ms',
		notes: `CPU time (user+system) of the whole dry-run workflow execution for ${N} tickets, median of 5: unlike wall time it does not grow when other processes compete for the cores`,
	});
	const recorded = await medianOf(3, () => routerTime(false));
	record('router.route10k.nodeTimeRecorded', {
		value: recorded,
		unit: 'ms',
		notes: `Same, recording every decision through openLedger() (whatever backend it returns in this tree); median of 3`,
	});
});

it('the decision core alone, without n8n or a ledger', async () => {
	const items = tickets('core');
	const cpu: number[] = [];
	const wall = await medianOf(5, () => {
		const start = performance.now();
		const used = process.cpuUsage();
		const policy = loadPolicy({ ...POLICY, scope: `core-${++runNo}` });
		const read = ticketReader({ preset: 'generic' });
		const { delegations } = decide(items.map(read), policy, emptySnapshot(Date.now()), { now: Date.now() });
		expect(delegations).toHaveLength(N);
		const spent = process.cpuUsage(used);
		cpu.push((spent.user + spent.system) / 1000);
		return performance.now() - start;
	});
	record('router.route10k.coreOnly', {
		value: wall,
		unit: 'ms',
		notes: `compile + read fields + decide for ${N} tickets in plain TypeScript (no WorkflowExecute, empty ledger snapshot); median of 5; CPU ${cpu.slice(1).sort((a, b) => a - b)[2].toFixed(1)} ms`,
	});
});

it('plain-JS reference loop over the same tickets', async () => {
	const items = tickets('ref');
	const rules = POLICY.rules.map((r: { id: string; when?: { keywords?: string[]; tiers?: string[]; tags?: string[]; languages?: string[] } }) => ({
		id: r.id,
		keywords: (r.when?.keywords ?? []).map((k) => k.toLowerCase()),
		tiers: r.when?.tiers ?? [],
		tags: r.when?.tags ?? [],
		languages: r.when?.languages ?? [],
	}));
	const loop = () => {
		const start = performance.now();
		const out: string[] = [];
		for (const t of items) {
			const text = `${t.subject} ${t.body}`.toLowerCase();
			const tier = (t.customer as IDataObject).tier as string;
			let chosen = 'team';
			for (const r of rules) {
				if (
					(r.keywords.length && r.keywords.some((k: string) => text.includes(k))) ||
					(r.tiers.length && r.tiers.includes(tier)) ||
					(r.tags.length && (t.tags as string[]).some((g) => r.tags.includes(g))) ||
					(r.languages.length && r.languages.includes(t.language as string))
				) {
					chosen = r.id;
					break;
				}
			}
			out.push(chosen);
		}
		expect(out.length).toBe(N);
		return performance.now() - start;
	};
	record('router.route10k.plainJsFloor', {
		value: await medianOf(5, loop),
		unit: 'ms',
		notes: `Plain JS over the same ${N} tickets: lower-case + substring keywords, first match wins, no n8n, no ledger (the physical floor)`,
	});
});
