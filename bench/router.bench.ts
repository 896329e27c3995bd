import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { IDataObject } from 'n8n-workflow';
import { expect, it } from 'vitest';

import { loadPolicy, matchRule } from '../domain/policy/compile';
import { momentOf } from '../domain/policy/moment';
import { decide, emptySnapshot } from '../domain/routing/decide';
import { ticketReader } from '../domain/ticket/read';
import { INSERT_ROW_SQL, insertRow } from '../ledger/sqlite/insert-row';
import { applyLedgerSettings } from '../ledger/sqlite/settings';
import { SqliteLedger } from '../ledger/sqlite/sqlite-ledger';
import { seeded } from '../tests/fuzz/random';
import { runWorkflow } from '../tests/harness/workflow';
import { collectGarbage, medianOf, record } from './record';
import { routerWorkflow } from '../tests/harness/router-workflow';

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
	return routerWorkflow({ policyJson: JSON.stringify(policy), outputMode: 'kind', options: { dryRun } }, { typeVersion: 1 });
}

let runNo = 0;
const cpuTimes: number[] = [];
/** One execution; a fresh scope per run changes the policy text, so the policy is compiled inside the measured run. */
async function routerTime(dryRun: boolean): Promise<number> {
	const scope = `bench-${process.pid}-${++runNo}`;
	const items = tickets(scope);
	collectGarbage();
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
	const office = scheduleState();
	record('router.route10k.nodeTime', {
		value: dry,
		unit: 'ms',
		target: '<= 100',
		dryRun: true,
		label: 'Ticket Router, 10,000 tickets in WorkflowExecute, node time (policy compile included)',
		notes: `Ticket Router node executionTime for ${N} tickets (dry run: decide on a ledger snapshot, nothing written), policy compile included; ${shape}; ${office}; the bench's own garbage (its ticket generation) collected before each run; median of 5`,
	});
	record('router.route10k.workflowCpu', {
		value: cpu,
		unit: 'ms',
		dryRun: true,
		label: 'Ticket Router, 10,000 tickets: CPU time of the whole execution',
		notes: `CPU time (user+system, every thread) of the whole dry-run workflow execution for ${N} tickets, median of 5: unlike wall time it does not grow when other processes compete for the cores; ${office}`,
	});
	const recorded = await medianOf(3, () => routerTime(false));
	record('router.route10k.nodeTimeRecorded', {
		value: recorded,
		unit: 'ms',
		label: 'Ticket Router, 10,000 tickets decided and recorded (embedded ledger), node time',
		notes: `Same, recording every decision in the embedded ledger (a fresh file per bench run, growing by ${N} rows a run); median of 3; ${office}`,
	});
});

it('the decision core alone, without n8n or a ledger', async () => {
	const items = tickets('core');
	const cpu: number[] = [];
	const wall = await medianOf(5, () => {
		collectGarbage();
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
		dryRun: true,
		label: 'The same decisions in plain TypeScript, no n8n, no ledger (compile + read + decide)',
		notes: `compile + read fields + decide for ${N} tickets in plain TypeScript (no WorkflowExecute, empty ledger snapshot); the earlier runs' garbage collected before each run; median of 5; CPU ${cpu.slice(1).sort((a, b) => a - b)[2].toFixed(1)} ms`,
	});
});

it('recording alone: the embedded ledger\'s own INSERT of the same 10,000 decisions, and COMMIT', async () => {
	const folder = mkdtempSync(join(tmpdir(), 'sd-recording-floor-'));
	const file = join(folder, 'ledger.sqlite');
	// The schema, WAL mode and settings the ledger gives its file; then only its row INSERT and the COMMIT are timed.
	await (await SqliteLedger.open(file)).close();
	const db = new DatabaseSync(file);
	applyLedgerSettings(db);
	const insert = db.prepare(INSERT_ROW_SQL);
	const items = tickets('recording');
	const read = ticketReader({ preset: 'generic' });
	try {
		const floor = await medianOf(5, () => {
			// A scope per run: the same tickets are new decisions there. Decided outside the timing.
			const policy = loadPolicy({ ...POLICY, scope: `recording-${++runNo}` });
			const { rows } = decide(items.map(read), policy, emptySnapshot(Date.now()), { now: Date.now() });
			expect(rows).toHaveLength(N);
			const start = performance.now();
			db.exec('BEGIN IMMEDIATE');
			for (const row of rows) insertRow(insert, row, true, 1);
			db.exec('COMMIT');
			return performance.now() - start;
		});
		record('router.route10k.recordingFloor', {
			value: floor,
			unit: 'ms',
			label: "Floor of recording: the embedded ledger's own INSERT of the same 10,000 decisions, and COMMIT (nothing else)",
			notes: `The router's ${N} rows for the same tickets and policy (decided beforehand), written with the embedded ledger's prepared row INSERT into its table and indexes, in one transaction with its settings (synchronous=FULL, WAL), to a file that grows by ${N} rows a run; no snapshot, dimensions, rollups or output items: what any recorded run of this ledger pays on top of deciding; median of 5`,
		});
	} finally {
		db.close();
		rmSync(folder, { recursive: true, force: true });
	}
});

it("the router's own matching in a plain loop: the floor", async () => {
	const items = tickets('floor');
	const policy = loadPolicy({ ...POLICY, scope: 'floor' });
	const read = ticketReader({ preset: 'generic' });
	const moment = momentOf(Date.now(), policy.timezone, policy.schedules);
	// Only the matching: read the fields, find the keywords, first matching rule wins. No guardrails, no overflow
	// load, no delegation objects, no n8n, no ledger: what no router that matches like this one can go below.
	const loop = () => {
		const start = performance.now();
		let matched = 0;
		for (const item of items) {
			const ticket = read(item);
			const hits = policy.keywords.match(ticket.subject, ticket.body);
			const due = policy.usesDueTime ? policy.sla.dueAt(ticket) : null;
			for (const rule of policy.rules) {
				if (matchRule(rule, ticket, hits, moment, due) !== null) {
					matched++;
					break;
				}
			}
		}
		expect(matched).toBeGreaterThan(0);
		return performance.now() - start;
	};
	record('router.route10k.matchingFloor', {
		value: await medianOf(5, loop),
		unit: 'ms',
		label: "Floor: the router's own matching in a plain loop (read + keywords + first matching rule)",
		notes: `The same ${N} tickets and policy: the router's field reader, keyword matcher and rule matching, first match wins, in a plain loop (no guardrails, no delegations, no n8n, no ledger); median of 5; ${scheduleState()}`,
	});
});

it('substring matching in a plain loop, for reference', async () => {
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
	record('router.route10k.substringLoop', {
		value: await medianOf(5, loop),
		unit: 'ms',
		label: 'Reference: lower-case + substring keywords in a plain loop (not the router\'s matching: no whole words, no folding, no conditions or schedules)',
		notes: `Plain JS over the same ${N} tickets: lower-case + substring keywords, tiers, tags, languages, first match wins; ignores field conditions and schedules; median of 5`,
	});
});

/** Whether the policy's office-hours schedule was open when measured: it decides which rules tickets reach. */
function scheduleState(): string {
	const policy = loadPolicy({ ...POLICY, scope: 'schedule-probe' });
	const moment = momentOf(Date.now(), policy.timezone, policy.schedules);
	return [...policy.schedules.keys()].map((id) => `schedule ${id} ${moment.schedule(id).open ? 'open' : 'closed'} (${moment.schedule(id).why})`).join(', ');
}
