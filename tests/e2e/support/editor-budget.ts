/**
 * The editor budget's policy: 6 destinations (two internal queues; a specialist with cost and hourly cap, an
 * outsourcing provider, two capacity vendors, each with a DPA and allowed fields) and 5 rules (VIP and security kept
 * in-house, billing keywords to the specialist, nights to the provider, peak overflow weighted 3:1), as a version-1
 * and a version-2 Ticket Router store it after Build in Editor. The e2e opens both in the real editor; the unit
 * budget counts the clicks and typed fields that build them.
 */
const vendor = { dpa: true, allowedFields: 'id, subject' };
export const v1Parameters = {
	operation: 'route',
	policySource: 'editor',
	scope: 'editor-budget',
	timezone: 'Europe/Paris',
	defaultDestination: 'team',
	destinations: {
		destination: [
			{ id: 'team', name: 'Support team', kind: 'internal' },
			{ id: 'trust', name: 'Trust & Safety', kind: 'internal' },
			{ id: 'billing-experts', name: 'Billing Experts', ...vendor, kind: 'external', contract: 'specialist', capacityPerHour: 40, costPerTicket: 6.5 },
			{ id: 'nightdesk', name: 'NightDesk', ...vendor, kind: 'external', contract: 'outsourcing' },
			{ id: 'surge-a', name: 'Surge A', ...vendor, kind: 'external', contract: 'capacity', capacityPerHour: 80 },
			{ id: 'surge-b', name: 'Surge B', ...vendor, kind: 'external', contract: 'capacity', capacityPerHour: 30 },
		],
	},
	rules: {
		rule: [
			{ id: 'vip', name: 'VIP stays', kind: 'keepInternal', targets: 'team', tiers: 'vip' },
			{ id: 'security', name: 'Security', kind: 'keepInternal', targets: 'trust', tags: 'security, legal' },
			{ id: 'billing', name: 'Billing', kind: 'specialist', targets: 'billing-experts', keywords: 'refund, chargeback' },
			{ id: 'nights', name: 'Nights', kind: 'outsourcing', targets: 'nightdesk', timeDays: ['mon', 'tue', 'wed', 'thu', 'fri'], timeFrom: '19:00', timeTo: '08:00' },
			{ id: 'peak', name: 'Peak', kind: 'overflow', targets: 'surge-a:3, surge-b:1', capacityPerHour: 120 },
		],
	},
};
export const v2Parameters = {
	operation: 'route',
	policySource: 'editor',
	scope: 'editor-budget',
	destinations: {
		destination: [
			{ name: 'Support team', kind: 'internal' },
			{ name: 'Trust & Safety', kind: 'internal' },
			{ name: 'Billing Experts', ...vendor, kind: 'specialist', capacityPerHour: 40, costPerTicket: 6.5 },
			{ name: 'NightDesk', ...vendor, kind: 'outsourcing' },
			{ name: 'Surge A', ...vendor, kind: 'capacity', capacityPerHour: 80 },
			{ name: 'Surge B', ...vendor, kind: 'capacity', capacityPerHour: 30 },
		],
	},
	rules: {
		rule: [
			{ name: 'VIP stays', target: 'support-team', when: { tiers: 'vip' } },
			{ name: 'Security', target: 'trust-safety', when: { tags: 'security, legal' } },
			{ name: 'Billing', kind: 'specialist', target: 'billing-experts', when: { keywords: 'refund, chargeback' } },
			{ name: 'Nights, weekends, holidays', target: 'nightdesk', when: { outsideSchedule: 'office' } },
			{ name: 'Peak', kind: 'overflow', weightedTargets: { vendor: [{ destination: 'surge-a', weight: 3 }, { destination: 'surge-b', weight: 1 }] }, capacityPerHour: 120 },
		],
	},
	schedules: { schedule: [{ name: 'Office', hours: { interval: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '19:00' }] }, country: 'FR' }] },
};
/**
 * Version 3, queue-centric: each queue and vendor carries its conditions (no rules to add, name, point and kind);
 * the vendors' DPA and allowed fields are set once; capacity vendors share the overflow, its team threshold set once;
 * the schedule's usual week is its own fields. Specialist is the default contract.
 */
export const v3Parameters = {
	operation: 'route',
	policySource: 'editor',
	scope: 'editor-budget',
	queues: {
		queue: [
			{ name: 'Support team', when: { tiers: 'vip' } },
			{ name: 'Trust & Safety', when: { tags: 'security, legal' } },
		],
	},
	vendors: {
		vendor: [
			{ name: 'Billing Experts', costPerTicket: 6.5, capacityPerHour: 40, when: { keywords: 'refund, chargeback' } },
			{ name: 'NightDesk', contract: 'outsourcing', when: { outsideSchedule: 'office' } },
			{ name: 'Surge A', contract: 'capacity', capacityPerHour: 80, weight: 3 },
			{ name: 'Surge B', contract: 'capacity', capacityPerHour: 30 },
		],
	},
	vendorDpa: true,
	vendorAllowedFields: 'id, subject',
	overflowCapacityPerHour: 120,
	schedules: { schedule: [{ name: 'Office', to: '19:00', country: 'FR' }] },
};
