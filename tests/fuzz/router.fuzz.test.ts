import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { compilePolicy, loadPolicy } from '../../domain/policy/compile';
import { parsePolicy, PolicyError } from '../../domain/policy/parse';
import { decide, emptySnapshot } from '../../domain/routing/decide';
import { TicketReadError, ticketReader } from '../../domain/ticket/read';
import type { Ticket } from '../../domain/ticket/ticket';
import { runWorkflow } from '../harness/workflow';
import byKind from '../workflows/fixtures/router-by-kind.json';
import { payload, seeded, value, type Random } from './random';

const EXAMPLE = JSON.parse(readFileSync(join(__dirname, '..', '..', 'docs', 'example-policy.json'), 'utf8'));
const NOW = Date.UTC(2026, 10, 28, 21, 0); // a Saturday night in the Black Friday peak: every rule kind is live

describe('fuzz: ticket payloads', () => {
	it('reads and routes 5,000 hostile payloads: only a missing id or an id or label the ledger cannot hold fails, every decision is well-formed', () => {
		const r = seeded(20261126);
		const policy = loadPolicy(EXAMPLE);
		const read = ticketReader({ preset: 'generic' });
		const ids = new Set(policy.destinations.map((d) => d.id));
		for (let batch = 0; batch < 50; batch++) {
			const tickets: Ticket[] = [];
			for (let i = 0; i < 100; i++) {
				const p = payload(r, 150);
				try {
					tickets.push(read(p));
				} catch (error) {
					expect(error).toBeInstanceOf(TicketReadError);
					const { field, reason } = error as TicketReadError;
					if (reason === 'missing') expect(field).toBe('id');
					else expect(['id', 'category', 'language', 'channel', 'priority', 'tier', 'region', 'tags']).toContain(field);
				}
			}
			const { delegations, rows } = decide(tickets, policy, emptySnapshot(NOW), { now: NOW });
			expect(delegations).toHaveLength(tickets.length);
			expect(rows.length).toBe(new Set(tickets.map((t) => t.id)).size);
			delegations.forEach((d, i) => {
				expect(d.ticketId).toBe(tickets[i].id);
				expect(ids.has(d.destination)).toBe(true);
				expect(d.kind === 'external').toBe(d.vendor !== null && d.vendorTerms !== null);
				expect(typeof d.decidedAt).toBe('string');
			});
			for (const row of rows) expect(Object.values(row).every((v) => v === null || ['string', 'number'].includes(typeof v))).toBe(true);
			// What reaches the ledger is storable text: no control character (C0, DEL, C1), no lone surrogate, bounded.
			for (const row of rows) {
				for (const text of [row.ticketId, row.topic, row.channel, row.language, row.priority]) {
					if (text === null) continue;
					const codes = [...text].map((c) => c.codePointAt(0)!);
					expect(codes.some((c) => c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xdfff))).toBe(false);
					expect(text.length).toBeLessThanOrEqual(255);
				}
			}
		}
	});
});

/** Mutates one spot of a valid policy into something odd. */
function mutate(r: Random, policy: IDataObject): IDataObject {
	const copy = structuredClone(policy);
	const spots: Array<[IDataObject, string]> = [[copy, r.pick(['scope', 'timezone', 'destinations', 'rules', 'defaultDestination', 'guardrails', 'extra'])]];
	const destinations = copy.destinations as IDataObject[];
	const rules = copy.rules as IDataObject[];
	const d = destinations[r.int(destinations.length)];
	spots.push([d, r.pick(['id', 'kind', 'contract', 'capacityPerHour', 'maxShare', 'paused', 'dataRegions', 'allowedFields', 'costPerTicket', 'bogus'])]);
	const rule = rules[r.int(rules.length)];
	spots.push([rule, r.pick(['id', 'kind', 'when', 'target', 'targets', 'overflow', 'enabled'])]);
	const when = (rule.when ?? {}) as IDataObject;
	spots.push([when, r.pick(['keywords', 'tags', 'tiers', 'timeWindows', 'languages', 'conditions', 'outsideSchedule', 'withinSchedule', 'dueWithinMinutes', 'nope'])]);
	const conditions = (rules.find((x) => (x.when as IDataObject | undefined)?.conditions)?.when as IDataObject | undefined)?.conditions as IDataObject[] | undefined;
	if (conditions?.length) spots.push([conditions[r.int(conditions.length)], r.pick(['path', 'operator', 'value'])]);
	const schedule = (copy.schedules as IDataObject[] | undefined)?.[0];
	if (schedule) spots.push([schedule, r.pick(['id', 'hours', 'holidays', 'publicHolidays', 'extra'])]);
	const [target, key] = r.pick(spots);
	const roll = r.int(4);
	if (roll === 0) delete target[key];
	else if (roll === 1) target[key] = value(r) as never;
	else if (roll === 2) target[key] = r.pick(['acme', 'team', '', '25:00', 'Mars/Olympus', '-1']);
	else target[key] = [value(r), value(r)] as never;
	return copy;
}

describe('fuzz: policies', () => {
	it('rejects 1,500 mutated policies only with PolicyError naming a path, or accepts them whole', () => {
		const r = seeded(7);
		let rejected = 0;
		for (let i = 0; i < 1500; i++) {
			const input = mutate(r, EXAMPLE);
			try {
				const compiled = compilePolicy(parsePolicy(input));
				decide([{ id: 'x', subject: 'refund webhook', body: '', tags: ['vip'], category: null, language: 'ja', channel: null, priority: null, tier: 'vip', region: 'eu', createdAt: null, dueAt: null, source: {} }], compiled, emptySnapshot(NOW), { now: NOW });
			} catch (error) {
				expect(error).toBeInstanceOf(PolicyError);
				for (const issue of (error as PolicyError).issues) expect(issue).toMatch(/^[A-Za-z][\w.[\]]*: \S/);
				rejected++;
			}
		}
		expect(rejected).toBeGreaterThan(300);
	});

	it('compiles and routes with 300 rules', () => {
		const policy = structuredClone(EXAMPLE);
		for (let i = 0; i < 300; i++) {
			policy.rules.unshift({ id: `r${i}`, kind: 'specialist', when: { keywords: [`topic${i}`, `multi word ${i}`], channels: i % 2 ? ['chat'] : undefined }, target: 'api-guild' });
		}
		const compiled = loadPolicy(policy);
		const { delegations } = decide(
			[{ id: '1', subject: 'about multi word 299', body: '', tags: [], category: null, language: null, channel: 'chat', priority: null, tier: null, region: null, createdAt: null, dueAt: null, source: {} }],
			compiled,
			emptySnapshot(NOW),
			{ now: NOW },
		);
		expect(delegations[0]).toMatchObject({ ruleId: 'r299', matched: ['keyword:multi word 299', 'channel:chat'] });
	});
});

/** The two ways a hostile item fails: no id, or an id or label the ledger could not hold (control character, broken Unicode). */
const FAILED_TICKET = /^Item \d+: ticket (has no id at "id"|(id|category|language|channel|priority|tier|region|tags) at "[a-z.]+" contains a (control character \(U\+[0-9A-F]{4}\)|lone surrogate \(U\+D[89A-F][0-9A-F]{2}\), not valid Unicode text) at position \d+)$/;

describe('fuzz: the node', () => {
	const workflow = (continueOnFail: boolean) => {
		const w = structuredClone(byKind) as { nodes: Array<IDataObject & { parameters: IDataObject }>; connections: IDataObject };
		const policy = JSON.parse(w.nodes[1].parameters.policyJson as string);
		policy.scope = `fuzz-${process.pid}-${continueOnFail}`;
		w.nodes[1].parameters.policyJson = JSON.stringify(policy);
		if (continueOnFail) w.nodes[1].onError = 'continueRegularOutput';
		return w as never;
	};

	it('routes 3,000 hostile items in one execution: every item comes out once, paired, with a delegation or its error', async () => {
		const r = seeded(99);
		const items = Array.from({ length: 3000 }, () => payload(r, 1000));
		const run = await runWorkflow(workflow(true), { items: items as IDataObject[] });
		expect(run.status).toBe('success');
		const out = run.outputs('Ticket Router').flat();
		expect(out).toHaveLength(items.length);
		const paired = out.map((i) => (i.pairedItem as { item: number }).item).sort((a, b) => a - b);
		expect(paired).toEqual(items.map((_, i) => i));
		for (const item of out) {
			if (item.json.error !== undefined) expect(item.json.error).toMatch(FAILED_TICKET);
			else expect((item.json.delegation as IDataObject).ticketId).toBeTypeOf('string');
		}
		expect(out.filter((i) => i.json.error !== undefined).length).toBeGreaterThan(100);
	});

	it('without Continue On Fail, stops with a NodeOperationError carrying the item index', async () => {
		const r = seeded(5);
		let failures = 0;
		for (let k = 0; k < 5; k++) {
			const items = Array.from({ length: 200 }, () => payload(r, 100));
			const run = await runWorkflow(workflow(false), { items: items as IDataObject[] });
			const error = run.error('Ticket Router');
			if (run.status === 'success') continue;
			failures++;
			// The run data holds the error n8n-core recorded: the node's NodeOperationError, by name and context.
			expect(error?.name).toBe('NodeOperationError');
			const index = (error as unknown as { context: IDataObject }).context.itemIndex as number;
			expect(error?.message).toMatch(FAILED_TICKET);
			expect(error?.message.startsWith(`Item ${index}: `)).toBe(true);
		}
		expect(failures).toBeGreaterThan(0);
	});
});
