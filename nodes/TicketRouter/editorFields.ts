import type { IDisplayOptions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { CONDITION_OPERATORS } from '../../domain/policy/conditions/operators';

/**
 * Build in Editor, from typeVersion 2: each destination and rule shows only the fields of its kind, destinations
 * are chosen from dropdowns of the policy's own destinations, a rule's conditions are added one by one (several
 * time windows, a schedule, conditions on any field), overflow vendors carry their weight beside them, IDs default
 * to the name. Version 3 is queue-centric (editorFieldsV3.ts). Version 1's flat fields stay in description.ts.
 */
const onlyV2 = { displayOptions: { show: { policySource: ['editor'], '@version': [2] } } };
/** Fields versions 2 and 3 share, with the same meaning. */
export const fromV2 = { displayOptions: { show: { policySource: ['editor'], '@version': [{ _cnd: { gte: 2 } }] } } };
export const when = (values: NonNullable<IDisplayOptions['show']>) => ({ displayOptions: { show: values } });
/** A destination's kind says internal queue or vendor, and for a vendor its contract: one choice, not two. */
const external = when({ kind: ['specialist', 'capacity', 'outsourcing', 'external'] });

export const DAYS: INodePropertyOptions[] = [
	{ name: 'Monday', value: 'mon' },
	{ name: 'Tuesday', value: 'tue' },
	{ name: 'Wednesday', value: 'wed' },
	{ name: 'Thursday', value: 'thu' },
	{ name: 'Friday', value: 'fri' },
	{ name: 'Saturday', value: 'sat' },
	{ name: 'Sunday', value: 'sun' },
];
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];

export const idField = (what: string): INodeProperties => ({
	displayName: 'ID',
	name: 'id',
	type: 'string',
	default: '',
	placeholder: 'derived from the name',
	description: `Stable identifier of the ${what}, recorded in the ledger. Empty: the name in lower case with dashes ("Billing Experts" → billing-experts).`,
});

/**
 * A vendor's rarer contract terms and its quality guardrail, one *Add Limit* away: unused, they cost no click.
 * Rates are percentages, as Max Share is (the policy holds fractions).
 */
export const vendorLimitOptions: INodeProperties[] = [
	{ displayName: 'Capacity per Day', name: 'capacityPerDay', type: 'number', default: 100, typeOptions: { minValue: 1 } },
	{ displayName: 'Capacity per Month', name: 'capacityPerMonth', type: 'number', default: 1000, typeOptions: { minValue: 1 }, description: 'Calendar month in the policy time zone' },
	{ displayName: 'Data Regions', name: 'dataRegions', type: 'string', default: '', placeholder: 'eu, uk', description: 'Customer regions this vendor may receive data from, comma-separated' },
	{ displayName: 'Max Share (%)', name: 'maxSharePercent', type: 'number', default: 30, typeOptions: { minValue: 1, maxValue: 100 }, description: 'Largest share of delegated tickets over the share window' },
	{ displayName: 'Monthly Budget', name: 'monthlyBudget', type: 'number', default: 1000, description: 'Stop delegating once cost this month would exceed it' },
	{ displayName: 'Paused', name: 'paused', type: 'boolean', default: true, description: 'Whether to send no new tickets here (re-internalisation switch)' },
	{ displayName: 'Quality: Max Reopen Rate (%)', name: 'maxReopenPercent', type: 'number', default: 15, typeOptions: { minValue: 0, maxValue: 100 }, description: 'Stop sending tickets while more of its finished tickets than this were reopened' },
	{ displayName: 'Quality: Max Return Rate (%)', name: 'maxReturnPercent', type: 'number', default: 10, typeOptions: { minValue: 0, maxValue: 100 }, description: 'Stop sending tickets while it hands back more of its finished tickets than this' },
	{ displayName: 'Quality: Min Average CSAT', name: 'minAvgCsat', type: 'number', default: 4, typeOptions: { minValue: 0, numberPrecision: 2 }, description: 'Stop sending tickets while the mean CSAT of its rated tickets is below this (your helpdesk’s scale)' },
	{ displayName: 'Quality: Min Sample', name: 'qualityMinSample', type: 'number', default: 20, typeOptions: { minValue: 1 }, description: 'A quality limit applies once its figure comes from at least this many outcomes' },
	{ displayName: 'Quality: Min SLA Met Rate (%)', name: 'minSlaMetPercent', type: 'number', default: 80, typeOptions: { minValue: 0, maxValue: 100 }, description: 'Stop sending tickets while fewer of its finished tickets than this met their SLA' },
	{ displayName: 'Quality: Sample of Last Finished', name: 'qualityLastResolved', type: 'number', default: 50, typeOptions: { minValue: 1 }, description: 'Judge quality on its last this many finished tickets (the default sample, 50)' },
	{ displayName: 'Quality: Sample Window (Days)', name: 'qualityWindowDays', type: 'number', default: 30, typeOptions: { minValue: 1, maxValue: 366 }, description: 'Judge quality on the finished tickets decided in the last this many days, instead of the last N' },
];

const destinationFields: INodeProperties[] = [
	{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'Billing Experts GmbH' },
	idField('destination'),
	{
		displayName: 'Kind',
		name: 'kind',
		type: 'options',
		options: [
			{ name: 'Internal Queue', value: 'internal', description: 'Your own team' },
			{ name: 'Specialist Vendor', value: 'specialist', description: 'An outside company for topics the team lacks skills for' },
			{ name: 'Capacity Vendor', value: 'capacity', description: 'An outside company that takes overflow at peaks' },
			{ name: 'Outsourcing Provider', value: 'outsourcing', description: 'An outside company running a whole function: a channel, a language, nights' },
		],
		default: 'internal',
	},
	{ displayName: 'DPA on File', name: 'dpa', type: 'boolean', default: false, description: 'Whether a data processing agreement is signed. Provider Handoff sends nothing to a vendor without one.', ...external },
	{
		displayName: 'Allowed Fields',
		name: 'allowedFields',
		type: 'string',
		default: '',
		placeholder: 'subject, description, priority',
		description: 'Ticket field paths the vendor may receive, comma-separated. Provider Handoff sends nothing to a vendor without any.',
		...external,
	},
	{ displayName: 'Cost per Ticket', name: 'costPerTicket', type: 'number', default: 0, typeOptions: { numberPrecision: 2 }, ...external },
	// The cap almost every vendor contract has stays in sight; the rarer limits are one "Add Limit" away.
	{ displayName: 'Capacity per Hour', name: 'capacityPerHour', type: 'number', default: 0, description: 'Contract cap; 0 = none', ...external },
	{
		displayName: 'Limits',
		name: 'limits',
		type: 'collection',
		placeholder: 'Add Limit',
		default: {},
		description: 'Caps, budget, share and data rules of the contract; none = no limit',
		...external,
		options: [
			...vendorLimitOptions,
		],
	},
];

export const conditionRowFields: INodeProperties[] = [
	{ displayName: 'Field Path', name: 'path', type: 'string', default: '', placeholder: 'intent_confidence', description: 'Dot path in the incoming item, e.g. custom_fields.plan' },
	{
		displayName: 'Operator',
		name: 'operator',
		type: 'options',
		// Options are listed alphabetically by name, as n8n's lint asks.
		options: [...CONDITION_OPERATORS].sort().map((op) => ({ name: operatorName(op), value: op })),
		default: 'equals',
	},
	{
		displayName: 'Value',
		name: 'value',
		type: 'string',
		default: '',
		description: 'Text, a number, or a date (YYYY-MM-DD or ISO 8601). Is One Of: comma-separated. Matches: an RE2 regular expression. Exists / Is Empty: leave empty.',
		displayOptions: { hide: { operator: ['exists', 'notExists', 'isEmpty', 'isNotEmpty'] } },
	},
];

const label = (displayName: string, name: string, placeholder: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	placeholder,
	description: 'Comma-separated; any listed value matches (case-insensitive)',
});

export const conditionOptions: INodeProperties[] = [
	label('Categories', 'categories', 'billing, refund'),
	label('Channels', 'channels', 'phone, chat'),
	label('Customer Regions', 'regions', 'eu, latam'),
	label('Customer Tiers', 'tiers', 'vip, enterprise'),
	{ displayName: 'Due Within (Minutes)', name: 'dueWithinMinutes', type: 'number', default: 60, description: 'The ticket’s SLA falls due within this many minutes (overdue included)' },
	{
		displayName: 'Field Conditions',
		name: 'fields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Field Condition',
		description: 'Conditions on any field of the item, e.g. an AI classifier’s intent and confidence; all must hold',
		options: [{ name: 'condition', displayName: 'Condition', values: conditionRowFields }],
	},
	{ displayName: 'Keywords', name: 'keywords', type: 'string', default: '', placeholder: 'refund, chargeback', description: 'Words or phrases in subject or body, comma-separated (case- and accent-insensitive)' },
	label('Languages', 'languages', 'ja, ko'),
	{
		displayName: 'Outside Schedule Name or ID',
		name: 'outsideSchedule',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'schedules', loadOptionsDependsOn: ['schedules'] },
		default: '',
		description: 'Holds while the schedule is closed: nights, weekends, holidays. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	label('Priorities', 'priorities', 'urgent, high'),
	label('Tags', 'tags', 'legal, security'),
	{
		displayName: 'Time Windows',
		name: 'timeWindows',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Time Window',
		description: 'Weekly windows in the policy time zone; a window ending before it starts wraps past midnight and belongs to the day it starts. For business hours with holidays, use a schedule.',
		options: [
			{
				name: 'window',
				displayName: 'Window',
				values: [
					{ displayName: 'Days', name: 'days', type: 'multiOptions', options: DAYS, default: ['mon', 'tue', 'wed', 'thu', 'fri'] },
					{ displayName: 'From', name: 'from', type: 'string', default: '19:00', placeholder: '19:00' },
					{ displayName: 'To', name: 'to', type: 'string', default: '08:00', placeholder: '08:00' },
				],
			},
		],
	},
	{
		displayName: 'Within Schedule Name or ID',
		name: 'withinSchedule',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'schedules', loadOptionsDependsOn: ['schedules'] },
		default: '',
		description: 'Holds while the schedule is open (business hours, not a holiday). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
];

/** On/off hysteresis and peak periods of an overflow rule (version 3: of the policy's overflow). */
export const overflowSettingOptions: INodeProperties[] = [
	{ displayName: 'On At', name: 'onAt', type: 'number', default: 1, typeOptions: { numberPrecision: 2 }, description: 'Fraction of the threshold at which overflow starts' },
	{ displayName: 'Off At', name: 'offAt', type: 'number', default: 0.8, typeOptions: { numberPrecision: 2 }, description: 'Fraction of the threshold below which overflow stops' },
	{
		displayName: 'Peak Periods',
		name: 'peakPeriods',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Peak Period',
		options: [
			{
				name: 'period',
				displayName: 'Period',
				values: [
					{ displayName: 'Backlog Limit', name: 'backlogLimit', type: 'number', default: 0 },
					{ displayName: 'Capacity per Hour', name: 'capacityPerHour', type: 'number', default: 0 },
					{ displayName: 'From', name: 'from', type: 'string', default: '', placeholder: '2026-11-27', description: 'First day (YYYY-MM-DD); empty with a schedule' },
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{
						displayName: 'Outside Schedule Name or ID',
						name: 'outsideSchedule',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'schedules' },
						default: '',
						description: 'In force while this schedule is closed. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{ displayName: 'To', name: 'to', type: 'string', default: '', placeholder: '2026-11-30' },
					{
						displayName: 'Within Schedule Name or ID',
						name: 'withinSchedule',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'schedules' },
						default: '',
						description: 'In force while this schedule is open. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
				],
			},
		],
	},
];

const overflowOnly = when({ kind: ['overflow'] });
const notOverflow = { displayOptions: { hide: { kind: ['overflow'] } } };

const ruleFields: INodeProperties[] = [
	{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'Billing disputes to the specialist' },
	idField('rule'),
	{
		displayName: 'Kind',
		name: 'kind',
		type: 'options',
		options: [
			{ name: 'From the Destination', value: '', description: 'Keep internal for an internal queue, else the vendor’s contract (a specialist topic or function outsourcing)' },
			{ name: 'Function Outsourcing', value: 'outsourcing', description: 'A channel, a language, nights and weekends' },
			{ name: 'Keep Internal', value: 'keepInternal', description: 'VIP, legal, security, confidential' },
			{ name: 'Peak-Load Overflow', value: 'overflow' },
			{ name: 'Specialist Topic', value: 'specialist' },
		],
		default: '',
	},
	{
		displayName: 'Send To Name or ID',
		name: 'target',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'ruleTargets', loadOptionsDependsOn: ['destinations', '&kind'] },
		default: '',
		description: 'Internal queues for keep-internal rules, vendors for specialist and outsourcing rules, any destination when the kind comes from it. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		...notOverflow,
	},
	{
		displayName: 'Then Try Names or IDs',
		name: 'moreTargets',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'ruleTargets', loadOptionsDependsOn: ['destinations', '&kind'] },
		default: [],
		description: 'When the first destination may not take the ticket (cap, budget, pause, region). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		...notOverflow,
	},
	{
		displayName: 'Vendors',
		name: 'weightedTargets',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Vendor',
		...overflowOnly,
		options: [
			{
				name: 'vendor',
				displayName: 'Vendor',
				values: [
					{
						displayName: 'Vendor Name or ID',
						name: 'destination',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'vendors', loadOptionsDependsOn: ['destinations'] },
						default: '',
						description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
					{ displayName: 'Weight', name: 'weight', type: 'number', default: 1, typeOptions: { minValue: 0.01 }, description: 'Share of the overflow relative to the other vendors (weighted strategy)' },
				],
			},
		],
	},
	{
		displayName: 'Strategy',
		name: 'strategy',
		type: 'options',
		options: [
			{ name: 'Default', value: '', description: 'Weighted for overflow rules, in order for the others' },
			{ name: 'In Order', value: 'inOrder', description: 'The first destination the guardrails allow' },
			{ name: 'Spare Capacity', value: 'spareCapacity', description: 'The vendor with the most room left under its caps' },
			{ name: 'Weighted', value: 'weighted', description: 'By weight, the same vendor for the same ticket on every run' },
		],
		default: '',
	},
	{
		displayName: 'Conditions',
		name: 'when',
		type: 'collection',
		placeholder: 'Add Condition',
		default: {},
		description: 'All conditions must hold; none = every ticket (for overflow: whenever overflow is on)',
		options: conditionOptions,
	},
	{ displayName: 'Team Capacity per Hour', name: 'capacityPerHour', type: 'number', default: 0, description: 'Overflow when tickets routed internally in the last hour reach this; 0 = use the backlog limit', ...overflowOnly },
	{ displayName: 'Backlog Limit', name: 'backlogLimit', type: 'number', default: 0, description: 'Overflow when Options → Current Load reaches this; 0 = none', ...overflowOnly },
	{
		displayName: 'Overflow Settings',
		name: 'overflowSettings',
		type: 'collection',
		placeholder: 'Add Setting',
		default: {},
		...overflowOnly,
		options: overflowSettingOptions,
	},
];

export const scheduleFields: INodeProperties[] = [
	{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'Office hours' },
	idField('schedule'),
	{
		displayName: 'Opening Hours',
		name: 'hours',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: { interval: [{ days: WEEKDAYS, from: '08:00', to: '18:00' }] },
		placeholder: 'Add Opening Hours',
		options: [
			{
				name: 'interval',
				displayName: 'Hours',
				values: [
					{ displayName: 'Days', name: 'days', type: 'multiOptions', options: DAYS, default: ['mon', 'tue', 'wed', 'thu', 'fri'] },
					{ displayName: 'From', name: 'from', type: 'string', default: '08:00' },
					{ displayName: 'To', name: 'to', type: 'string', default: '18:00', description: 'Within the same day; "24:00" for midnight' },
				],
			},
		],
	},
	{
		displayName: 'Public Holidays of Name or ID',
		name: 'country',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'countries' },
		default: '',
		description: 'Closed on this country’s public holidays. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{ displayName: 'Region', name: 'region', type: 'string', default: '', placeholder: 'BY', description: 'Region code for regional holidays (e.g. BY for Bavaria); empty = national holidays only' },
	{ displayName: 'Company Holidays', name: 'holidays', type: 'string', default: '', placeholder: '2026-12-24, 2026-12-31', description: 'Dates (YYYY-MM-DD) the schedule is closed, comma-separated' },
];

const v2Destinations: INodeProperties = {
	displayName: 'Destinations',
	name: 'destinations',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true },
	default: {},
	placeholder: 'Add Destination',
	options: [{ name: 'destination', displayName: 'Destination', values: destinationFields }],
	...onlyV2,
};

const v2Rules: INodeProperties = {
	displayName: 'Rules',
	name: 'rules',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true },
	default: {},
	placeholder: 'Add Rule',
	description: 'Checked in order; the first matching rule decides',
	options: [{ name: 'rule', displayName: 'Rule', values: ruleFields }],
	...onlyV2,
};

/** The Schedules list of a version: its schedule fields, shown for that version. */
export const schedulesField = (values: INodeProperties[], shown: { displayOptions: IDisplayOptions }): INodeProperties => ({
	displayName: 'Schedules',
	name: 'schedules',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	default: {},
	placeholder: 'Add Schedule',
	description: 'Business hours with holidays, for conditions ("within" / "outside" a schedule) and peak periods',
	options: [{ name: 'schedule', displayName: 'Schedule', values }],
	...shown,
});

const v2Schedules = schedulesField(scheduleFields, onlyV2);

/** Fields versions 2 and 3 share, with the same meaning: where unmatched tickets go, the scope, the time zone, SLA. */
export const shared: Record<'defaultDestination' | 'scope' | 'timezone' | 'sla', INodeProperties> = {
	defaultDestination: {
		displayName: 'Default Destination Name or ID',
		name: 'defaultDestination',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'allDestinations', loadOptionsDependsOn: ['destinations', 'queues', 'vendors'] },
		default: '',
		description: 'Where tickets no rule matches go; empty: the first internal queue. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		...fromV2,
	},
	scope: { displayName: 'Scope', name: 'scope', type: 'string', default: 'default', description: 'Ledger partition and idempotency scope; the other nodes offer it in their Policy Scope list once recorded', ...fromV2 },
	timezone: { displayName: 'Time Zone', name: 'timezone', type: 'string', default: '', placeholder: 'Europe/Paris', description: 'IANA time zone for schedules, time windows, peak periods and monthly caps. Empty: the workflow’s time zone.', ...fromV2 },
	sla: {
		displayName: 'SLA',
		name: 'sla',
		type: 'collection',
		placeholder: 'Add SLA Setting',
		default: {},
		description: 'Due times for tickets the helpdesk sends without one, and the team’s pace for backlog sweeps',
		...fromV2,
		options: [
			{ displayName: 'High (Minutes)', name: 'high', type: 'number', default: 240 },
			{ displayName: 'Low (Minutes)', name: 'low', type: 'number', default: 2880 },
			{ displayName: 'Normal (Minutes)', name: 'normal', type: 'number', default: 1440 },
			{ displayName: 'Team Tickets per Hour', name: 'teamTicketsPerHour', type: 'number', default: 10, description: 'How many tickets the team finishes per hour: a sweep keeps a ticket only if the team reaches it before it falls due' },
			{ displayName: 'Urgent (Minutes)', name: 'urgent', type: 'number', default: 60 },
		],
	},
};

/** Version 2's Build in Editor fields, in panel order. */
export const editorV2Properties: INodeProperties[] = [v2Destinations, v2Rules, shared.defaultDestination, v2Schedules, shared.scope, shared.timezone, shared.sla];

function operatorName(op: string): string {
	const spaced = op.replace(/([A-Z])/g, ' $1');
	return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
