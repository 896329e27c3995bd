import type { PolicyInput } from '../../../domain/policy/schema';

/**
 * A hand-built month for the policy simulation (October 2026, policy time zone Europe/Berlin, so the month ends at
 * 2026-10-31T23:00Z). Every expected figure in the tests is worked out by hand from this list; see simulate.test.ts.
 */
const at = (iso: string) => iso;
export const MONTH_TICKETS = [
	{ id: 'B1', category: 'billing', createdAt: at('2026-10-01T09:00:00Z') },
	{ id: 'V1', category: 'billing', tier: 'vip', createdAt: at('2026-10-01T09:05:00Z') },
	{ id: 'B2', category: 'billing', createdAt: at('2026-10-01T09:10:00Z') },
	{ id: 'B3', category: 'billing', createdAt: at('2026-10-01T09:20:00Z') },
	{ id: 'B4', category: 'billing', createdAt: at('2026-10-01T09:30:00Z') },
	{ id: 'B5', category: 'billing', createdAt: at('2026-10-01T09:40:00Z') },
	{ id: 'B6', category: 'billing', createdAt: at('2026-10-02T10:00:00Z') },
	{ id: 'B7', category: 'billing', createdAt: at('2026-10-02T10:10:00Z') },
	{ id: 'G1', category: 'technical', language: 'de', createdAt: at('2026-10-03T08:00:00Z') },
	{ id: 'G2', category: 'technical', language: 'de', createdAt: at('2026-10-03T09:00:00Z') },
	{ id: 'G3', category: 'technical', language: 'de', createdAt: at('2026-10-03T10:00:00Z') },
	{ id: 'G4', category: 'technical', language: 'de', createdAt: at('2026-10-03T11:00:00Z') },
	{ id: 'O1', category: 'technical', language: 'en', createdAt: at('2026-10-05T12:00:00Z') },
	{ id: 'O2', category: 'technical', language: 'en', createdAt: at('2026-10-05T12:30:00Z') },
	{ id: 'O3', category: 'technical', language: 'en', createdAt: at('2026-10-05T13:30:00Z') },
	// 00:30 on November 1st in Berlin: a new month for monthly caps.
	{ id: 'B8', category: 'billing', createdAt: at('2026-10-31T23:30:00Z') },
	{ id: 'B9', category: 'billing', createdAt: at('2026-11-01T00:30:00Z') },
];

const destinations: PolicyInput['destinations'] = [
	{ id: 'team', kind: 'internal' },
	{ id: 'acme', kind: 'external', capacityPerDay: 3, costPerTicket: 10 },
	{ id: 'globex', kind: 'external', capacityPerMonth: 5, costPerTicket: 6 },
	{ id: 'initech', kind: 'external', capacityPerHour: 1, costPerTicket: 8 },
];

export const CURRENT_POLICY: PolicyInput = {
	scope: 'sim-month',
	timezone: 'Europe/Berlin',
	destinations,
	rules: [
		{ id: 'vip', kind: 'keepInternal', when: { tiers: ['vip'] }, target: 'team' },
		{ id: 'billing', kind: 'specialist', when: { categories: ['billing'] }, targets: ['acme', 'initech'] },
		{ id: 'german', kind: 'outsourcing', when: { languages: ['de'] }, target: 'globex' },
	],
	defaultDestination: 'team',
};

/** Billing to globex first, German to initech, and everything else to initech by default. */
export const DRAFT_POLICY: PolicyInput = {
	...CURRENT_POLICY,
	rules: [
		{ id: 'vip', kind: 'keepInternal', when: { tiers: ['vip'] }, target: 'team' },
		{ id: 'billing', kind: 'specialist', when: { categories: ['billing'] }, targets: ['globex', 'acme'] },
		{ id: 'german', kind: 'outsourcing', when: { languages: ['de'] }, target: 'initech' },
	],
	defaultDestination: 'initech',
};

/** As a helpdesk export item (the generic field preset: customer.tier, createdAt). */
export function monthItems() {
	return MONTH_TICKETS.map((t) => ({ id: t.id, subject: '', body: '', category: t.category, language: t.language ?? 'en', customer: { tier: t.tier ?? 'pro' }, createdAt: t.createdAt }));
}
