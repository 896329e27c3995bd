import type { NewDelegation } from '../../../ledger/model';
import type { OutcomeEntry } from '../../../ledger/planning/outcomes';
import type { QualityRow } from '../../../domain/report/dashboard';
import { delegation } from '../risk/rows';

const DAY = 86_400_000;

/**
 * A month a support team could have had: acme's share grows from about a third to over half, bolt shrinks, cura is
 * steady, dyna starts on day 20, and four in ten tickets stay internal; the 30 days before were evenly spread.
 * Deterministic, so the screenshot is stable.
 */
export function sampleMonth(now: number, scope = 'support'): NewDelegation[] {
	const rows: NewDelegation[] = [];
	for (let day = 59; day >= 0; day--) {
		const t = (29 - day) / 29;
		const perVendor: Record<string, number> =
			day >= 30
				? { acme: 12, bolt: 14, cura: 10, dyna: 0 }
				: {
						acme: Math.round(14 + 16 * t),
						bolt: Math.round(14 - 6 * t),
						cura: 9 + (day % 3),
						dyna: day <= 9 ? 4 : 0,
					};
		const start = now - (day + 1) * DAY;
		for (const [vendor, n] of Object.entries(perVendor)) {
			for (let i = 0; i < n; i++) {
				rows.push(
					delegation({
						scope,
						vendor,
						destination: vendor,
						decidedAt: start + Math.floor(((i + 0.5) * DAY) / n),
						topic: vendor === 'acme' && i % 2 === 0 ? 'billing' : 'api',
						costEstimate: vendor === 'acme' ? 6 : vendor === 'bolt' ? 4.5 : 5,
					}),
				);
			}
		}
		for (let i = 0; i < 40; i++) rows.push(delegation({ scope, vendor: null, decidedAt: start + Math.floor(((i + 0.25) * DAY) / 40), topic: 'api' }));
	}
	return rows;
}

/** Outcomes for every third delegation: bolt misses its SLA on every other ticket, the others on one in ten. */
export function sampleOutcomes(rows: readonly NewDelegation[]): OutcomeEntry[] {
	return rows
		.filter((r, i) => r.vendor !== null && i % 3 === 0)
		.map((r, i) => ({
			ticketId: r.ticketId,
			update: {
				status: 'resolved' as const,
				slaMet: r.vendor === 'bolt' ? i % 2 === 0 : i % 10 !== 0,
				csat: r.vendor === 'bolt' ? 3 + (i % 2) : 4 + (i % 2),
				reopened: i % 13 === 0,
			},
		}));
}

/** What the quality guardrails would report for these vendors: hand-built, the page only shows it. */
export const SAMPLE_QUALITY: QualityRow[] = [
	{ vendor: 'acme', resolved: 412, slaMetRate: 0.912, avgCsat: 4.31, reopenRate: 0.041, returnRate: 0.012, level: 'ok' },
	{ vendor: 'bolt', resolved: 198, slaMetRate: 0.545, avgCsat: 3.62, reopenRate: 0.121, returnRate: 0.035, level: 'below' },
	{ vendor: 'cura', resolved: 240, slaMetRate: 0.875, avgCsat: 4.05, reopenRate: null, returnRate: 0, level: 'ok' },
	{ vendor: 'dyna', resolved: 6, slaMetRate: 1, avgCsat: null, reopenRate: null, returnRate: null, level: 'insufficient' },
];

/** A policy with caps and budgets on the sample's vendors, in Berlin time. */
export const SAMPLE_POLICY = {
	scope: 'support',
	timezone: 'Europe/Berlin',
	defaultDestination: 'tier1',
	destinations: [
		{ id: 'tier1', kind: 'internal' },
		{ id: 'acme', kind: 'external', contract: 'capacity', capacityPerDay: 40, capacityPerMonth: 900, costPerTicket: 6, monthlyBudget: 5000, maxShare: 0.6 },
		{ id: 'bolt', kind: 'external', contract: 'specialist', capacityPerHour: 5, costPerTicket: 4.5, monthlyBudget: 1500 },
		{ id: 'cura', kind: 'external', contract: 'outsourcing', capacityPerMonth: 400, costPerTicket: 5 },
		{ id: 'dyna', kind: 'external', contract: 'capacity', costPerTicket: 5, paused: true },
	],
	rules: [],
};
