import type { INodeProperties } from 'n8n-workflow';

import { conditionOptions, DAYS, idField, overflowSettingOptions, scheduleFields, schedulesField, shared, vendorLimitOptions, when } from './editorFields';

/**
 * Build in Editor, from typeVersion 3: queue-centric, as helpdesks' custom queues are. Each internal queue and each
 * vendor carries the conditions that route tickets to it, so there is no separate rule to add, name, point at a
 * destination and give a kind: the rule's kind is the destination's (keep internal for a queue, the vendor's
 * contract otherwise). Capacity vendors share one overflow, whose team threshold is set once. The data-sharing
 * terms most vendors share (DPA, allowed fields) are set once for all vendors, with a per-vendor override. A
 * schedule's usual week (Monday–Friday, 08:00–18:00) is its first fields, not a list to add to.
 */
/** A collection's options in alphabetical order, as n8n lists them. */
const sorted = (options: INodeProperties[]) => [...options].sort((a, b) => a.displayName.localeCompare(b.displayName));

const v3 = { '@version': [{ _cnd: { gte: 3 } }] };
const editorV3 = { displayOptions: { show: { policySource: ['editor'], ...v3 } } };

const routeHereWhen = (target: string): INodeProperties => ({
	displayName: 'Route Here When',
	name: 'when',
	type: 'collection',
	placeholder: 'Add Condition',
	default: {},
	description: `Tickets meeting all these conditions go to this ${target}. Checked in list order, internal queues before vendors (keep-internal wins); none: only the default destination or a fallback sends tickets here.`,
	options: conditionOptions,
});

const nameField = (placeholder: string): INodeProperties => ({ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder });

const queueFields: INodeProperties[] = [nameField('Trust & Safety'), idField('queue'), routeHereWhen('queue')];

const notCapacity = { displayOptions: { hide: { contract: ['capacity'] } } };

/** Per-vendor exceptions to the policy-wide data-sharing terms, and the vendors to try when this one is over a limit. */
const vendorOnlyOptions: INodeProperties[] = [
	{
		displayName: 'Allowed Fields (This Vendor)',
		name: 'allowedFields',
		type: 'string',
		default: '',
		placeholder: 'subject, priority',
		description: 'Ticket field paths this vendor may receive, comma-separated, instead of the policy’s Vendors’ Allowed Fields',
	},
	{
		displayName: 'DPA on File (This Vendor)',
		name: 'dpa',
		type: 'boolean',
		default: false,
		description: 'Whether this vendor has a signed data processing agreement, instead of the policy’s Vendors’ DPA on File',
	},
	{
		displayName: 'If Over a Limit, Try Names or IDs',
		name: 'thenTry',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'vendors', loadOptionsDependsOn: ['vendors'] },
		default: [],
		description: 'Vendors to try, in order, when a cap, budget, share, pause or region stops this one (else the default destination). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		...notCapacity,
	},
];

const vendorFields: INodeProperties[] = [
	nameField('Billing Experts GmbH'),
	idField('vendor'),
	{
		displayName: 'Contract',
		name: 'contract',
		type: 'options',
		options: [
			{ name: 'Specialist', value: 'specialist', description: 'Topics the team lacks skills for: tickets meeting its conditions' },
			{ name: 'Capacity (Overflow)', value: 'capacity', description: 'Takes a share of the tickets while the team is over its capacity' },
			{ name: 'Outsourcing', value: 'outsourcing', description: 'A whole function: a channel, a language, nights and weekends' },
		],
		default: 'specialist',
	},
	{ ...routeHereWhen('vendor'), ...notCapacity },
	{
		displayName: 'Overflow Weight',
		name: 'weight',
		type: 'number',
		default: 1,
		typeOptions: { minValue: 0.01 },
		description: 'Its share of the overflow relative to the other capacity vendors (3 and 1: three tickets in four)',
		...when({ contract: ['capacity'] }),
	},
	{ displayName: 'Cost per Ticket', name: 'costPerTicket', type: 'number', default: 0, typeOptions: { numberPrecision: 2 } },
	{ displayName: 'Capacity per Hour', name: 'capacityPerHour', type: 'number', default: 0, description: 'Contract cap; 0 = none' },
	{
		displayName: 'Limits',
		name: 'limits',
		type: 'collection',
		placeholder: 'Add Limit',
		default: {},
		description: 'Caps, budget, share, data rules, quality limits and exceptions of the contract; none = no limit',
		options: sorted([...vendorLimitOptions, ...vendorOnlyOptions]),
	},
];

const hours = (name: 'from' | 'to', displayName: string, value: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: value,
	placeholder: value,
	description: name === 'to' ? 'Within the same day; "24:00" for midnight' : 'HH:MM in the policy time zone',
});

/** The usual week is the schedule's own fields; other days' hours are added below it. */
const scheduleFieldsV3: INodeProperties[] = [
	...scheduleFields.filter((f) => f.name === 'name' || f.name === 'id'),
	{ displayName: 'Open Days', name: 'days', type: 'multiOptions', options: DAYS, default: ['mon', 'tue', 'wed', 'thu', 'fri'] },
	hours('from', 'Opens', '08:00'),
	hours('to', 'Closes', '18:00'),
	{
		displayName: 'More Opening Hours',
		name: 'moreHours',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Opening Hours',
		description: 'Other days or hours, e.g. Saturday 10:00–14:00',
		options: [{ name: 'interval', displayName: 'Hours', values: [{ displayName: 'Days', name: 'days', type: 'multiOptions', options: DAYS, default: ['sat'] }, hours('from', 'From', '10:00'), hours('to', 'To', '14:00')] }],
	},
	...scheduleFields.filter((f) => ['country', 'region', 'holidays'].includes(f.name)),
];

export const editorV3Properties: INodeProperties[] = [
	{
		displayName: 'Internal Queues',
		name: 'queues',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		placeholder: 'Add Internal Queue',
		description: 'Your own teams. A queue with conditions keeps the tickets meeting them in-house (VIP, legal, security).',
		options: [{ name: 'queue', displayName: 'Internal Queue', values: queueFields }],
		...editorV3,
	},
	{
		displayName: 'Vendors',
		name: 'vendors',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		placeholder: 'Add Vendor',
		description: 'Outside companies. Specialist and outsourcing vendors take the tickets meeting their conditions; capacity vendors share the overflow.',
		options: [{ name: 'vendor', displayName: 'Vendor', values: vendorFields }],
		...editorV3,
	},
	{
		displayName: 'Vendors’ DPA on File',
		name: 'vendorDpa',
		type: 'boolean',
		default: false,
		description: 'Whether the vendors have a signed data processing agreement (Provider Handoff sends nothing to a vendor without one). A vendor’s Limits › DPA on File (This Vendor) overrides it.',
		...editorV3,
	},
	{
		displayName: 'Vendors’ Allowed Fields',
		name: 'vendorAllowedFields',
		type: 'string',
		default: '',
		placeholder: 'subject, description, priority',
		description: 'Ticket field paths the vendors may receive, comma-separated (Provider Handoff sends nothing to a vendor without any). A vendor’s Limits › Allowed Fields (This Vendor) overrides it.',
		...editorV3,
	},
	{
		displayName: 'Overflow: Team Capacity per Hour',
		name: 'overflowCapacityPerHour',
		type: 'number',
		default: 0,
		description: 'Capacity vendors take tickets once the team was sent this many in the last hour; 0 = use Overflow Settings › Backlog Limit',
		...editorV3,
	},
	{
		displayName: 'Overflow Settings',
		name: 'overflow',
		type: 'collection',
		placeholder: 'Add Overflow Setting',
		default: {},
		...editorV3,
		options: sorted([
			{ displayName: 'Backlog Limit', name: 'backlogLimit', type: 'number', default: 100, typeOptions: { minValue: 1 }, description: 'Overflow when Options → Current Load reaches this' },
			...overflowSettingOptions,
			{
				displayName: 'Spread',
				name: 'strategy',
				type: 'options',
				options: [
					{ name: 'By Weight', value: 'weighted', description: 'The same vendor for the same ticket on every run' },
					{ name: 'By Spare Capacity', value: 'spareCapacity', description: 'The vendor with the most room left under its caps' },
				],
				default: 'spareCapacity',
			},
		]),
	},
	shared.defaultDestination,
	schedulesField(scheduleFieldsV3, editorV3),
	shared.scope,
	shared.timezone,
	shared.sla,
];

/**
 * Both versions' fields in one list for the node description, each version's in its own panel order: the fields they
 * share are the anchors, each version's own fields stay before the shared field that follows them.
 */
export function bothVersions(v2: INodeProperties[], v3: INodeProperties[]): INodeProperties[] {
	const out: INodeProperties[] = [];
	let next = 0;
	for (const field of v3) {
		const at = v2.indexOf(field);
		if (at >= 0) {
			out.push(...v2.slice(next, at + 1));
			next = at + 1;
		} else {
			out.push(field);
		}
	}
	return [...out, ...v2.slice(next)];
}
