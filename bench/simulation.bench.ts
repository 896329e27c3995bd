import { expect, it } from 'vitest';

import { loadPolicy } from '../domain/policy/compile';
import { EMPTY_START, replayPolicy, simulatePolicies } from '../domain/routing/simulate';
import type { Ticket } from '../domain/ticket/ticket';
import { seeded } from '../tests/fuzz/random';
import { medianOf, record } from './record';

const N = 100_000;
const MONTH_START = Date.UTC(2026, 9, 1);
const MONTH = 31 * 86_400_000;

/** A month of tickets (October 2026), created at random times, with the fields the policies below read. */
function month(): Ticket[] {
	const { next: r, pick } = seeded(7);
	const out: Ticket[] = [];
	for (let n = 0; n < N; n++) {
		out.push({
			id: `T-${n}`,
			subject: pick(['Refund for my order', 'Cannot log in', 'Invoice question', 'App crashes', 'Chargeback received', 'Shipping address']),
			body: 'Hello, something happened and I would like some help with it, thanks.',
			tags: r() < 0.03 ? ['vip'] : [],
			category: pick(['billing', 'technical', 'account', 'shipping']),
			language: r() < 0.7 ? 'en' : pick(['de', 'fr', 'es']),
			channel: pick(['email', 'chat', 'web']),
			priority: pick(['low', 'normal', 'high']),
			tier: r() < 0.03 ? 'vip' : 'pro',
			region: pick(['eu', 'us']),
			createdAt: MONTH_START + Math.floor(r() * MONTH),
			dueAt: null,
			source: {},
		});
	}
	return out;
}

const destinations = [
	{ id: 'team', kind: 'internal' },
	{ id: 'acme', kind: 'external', capacityPerHour: 40, capacityPerDay: 600, costPerTicket: 4, monthlyBudget: 50_000 },
	{ id: 'globex', kind: 'external', capacityPerHour: 30, capacityPerMonth: 15_000, costPerTicket: 3, maxShare: 0.5 },
	{ id: 'initech', kind: 'external', capacityPerDay: 400, costPerTicket: 5 },
];
/** The current policy: VIPs in-house, billing to acme, German to globex, overflow above 60 internal tickets an hour. */
const CURRENT = {
	scope: 'bench-current',
	timezone: 'Europe/Berlin',
	destinations,
	rules: [
		{ id: 'vip', kind: 'keepInternal', when: { tiers: ['vip'] }, target: 'team' },
		{ id: 'billing', kind: 'specialist', when: { categories: ['billing'], keywords: ['refund', 'invoice', 'chargeback'] }, targets: ['acme', 'initech'] },
		{ id: 'german', kind: 'outsourcing', when: { languages: ['de'] }, target: 'globex' },
		{ id: 'peak', kind: 'overflow', targets: [{ destination: 'acme', weight: 2 }, 'globex', 'initech'], overflow: { capacityPerHour: 60, onAt: 1, offAt: 0.8 } },
	],
	defaultDestination: 'team',
};
/** The draft: billing to globex first, a lower overflow threshold. */
const DRAFT = {
	...CURRENT,
	scope: 'bench-draft',
	rules: [
		CURRENT.rules[0],
		{ ...CURRENT.rules[1], targets: ['globex', 'acme'] },
		CURRENT.rules[2],
		{ ...CURRENT.rules[3], overflow: { capacityPerHour: 45, onAt: 1, offAt: 0.8 } },
	],
};

it('simulates 100,000 tickets, current and draft policy side by side', async () => {
	const tickets = month();
	const current = loadPolicy(CURRENT);
	const draft = loadPolicy(DRAFT);
	let report!: ReturnType<typeof simulatePolicies>;
	const cpu: number[] = [];
	const both = await medianOf(3, () => {
		const start = performance.now();
		const used = process.cpuUsage();
		report = simulatePolicies({ tickets, current, draft, start: 'empty', currentStart: EMPTY_START, draftStart: EMPTY_START, sampleSize: 20 });
		const spent = process.cpuUsage(used);
		cpu.push((spent.user + spent.system) / 1000);
		return performance.now() - start;
	});
	expect(report.tickets).toBe(N);
	const binding = report.current.guardrails.map((g) => `${g.guardrail} ${g.destination} ${g.tickets}`).join(', ');
	const one = await medianOf(3, () => {
		const start = performance.now();
		replayPolicy(tickets, current, EMPTY_START);
		return performance.now() - start;
	});
	const load = (await import('node:os')).loadavg()[0].toFixed(1);
	record('simulation.replay100k.both', {
		value: both,
		unit: 'ms',
		target: '<= 2000',
		notes: `simulatePolicies: ${N} tickets over a month replayed in created-at order under the current AND the draft policy (4 rules incl. overflow with hysteresis, hourly/daily/monthly caps, a budget, a share cap), figures and diff; current binds: ${binding}; ${report.changes.tickets} tickets move; median of 3; CPU ${cpu.slice(1).sort((a, b) => a - b)[1].toFixed(0)} ms; load average ${load} on 2 cores`,
	});
	record('simulation.replay100k.onePolicy', {
		value: one,
		unit: 'ms',
		target: '<= 2000',
		notes: `replayPolicy alone: the same ${N} tickets under the current policy; median of 3; load average ${load}`,
	});
	console.log(`both ${both.toFixed(0)} ms, one ${one.toFixed(0)} ms; ${binding}; moved ${report.changes.tickets}`);
});
