import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { ledgerProperties } from '../shared/ledger/open';
import { editorV2Properties } from './editorFields';
import { bothVersions, editorV3Properties } from './editorFieldsV3';

const show = (values: NonNullable<IDisplayOptions['show']>) => ({ displayOptions: { show: values } });
const editor = show({ policySource: ['editor'] });
/** Version 1's editor fields: flat rules, destinations typed by ID (kept for workflows saved with version 1). */
const editorV1 = show({ policySource: ['editor'], '@version': [1] });

const EXAMPLE_POLICY = JSON.stringify(
	{
		destinations: [
			{ id: 'team', name: 'Support team', kind: 'internal' },
			{ id: 'acme', name: 'Acme Billing Experts', kind: 'external', contract: 'specialist', capacityPerHour: 50, costPerTicket: 4 },
		],
		rules: [
			{ id: 'vip', kind: 'keepInternal', when: { tiers: ['vip'] }, target: 'team' },
			{ id: 'billing', kind: 'specialist', when: { keywords: ['chargeback', 'invoice dispute'] }, target: 'acme' },
		],
		defaultDestination: 'team',
	},
	null,
	2,
);

const destinationFields: INodeProperties[] = [
	{ displayName: 'ID', name: 'id', type: 'string', default: '', description: 'Stable identifier used by rules and recorded in the ledger' },
	{ displayName: 'Name', name: 'name', type: 'string', default: '' },
	{
		displayName: 'Kind',
		name: 'kind',
		type: 'options',
		options: [
			{ name: 'Internal Queue', value: 'internal' },
			{ name: 'External Vendor', value: 'external' },
		],
		default: 'internal',
	},
	{
		displayName: 'Contract',
		name: 'contract',
		type: 'options',
		options: [
			{ name: 'Specialist', value: 'specialist', description: 'Topics the team lacks skills for' },
			{ name: 'Capacity', value: 'capacity', description: 'Overflow at peaks' },
			{ name: 'Outsourcing', value: 'outsourcing', description: 'A whole function: a channel, a language, nights' },
		],
		default: 'specialist',
	},
	{ displayName: 'Capacity per Hour', name: 'capacityPerHour', type: 'number', default: 0, description: 'Contract cap; 0 = none' },
	{ displayName: 'Capacity per Day', name: 'capacityPerDay', type: 'number', default: 0, description: 'Contract cap; 0 = none' },
	{ displayName: 'Capacity per Month', name: 'capacityPerMonth', type: 'number', default: 0, description: 'Contract cap; 0 = none' },
	{ displayName: 'Cost per Ticket', name: 'costPerTicket', type: 'number', default: 0, typeOptions: { numberPrecision: 2 } },
	{ displayName: 'Monthly Budget', name: 'monthlyBudget', type: 'number', default: 0, description: 'Stop delegating once cost this month would exceed it; 0 = none' },
	{ displayName: 'Max Share (%)', name: 'maxSharePercent', type: 'number', default: 0, description: "Largest share of delegated tickets this vendor may hold over the share window; 0 = no cap" },
	{ displayName: 'Paused', name: 'paused', type: 'boolean', default: false, description: 'Whether to send no new tickets here (re-internalisation switch)' },
	{ displayName: 'DPA on File', name: 'dpa', type: 'boolean', default: false, description: 'Whether a data processing agreement is signed' },
	{ displayName: 'Data Regions', name: 'dataRegions', type: 'string', default: '', description: 'Customer regions this vendor may receive data from, comma-separated; empty = any' },
	{ displayName: 'Allowed Fields', name: 'allowedFields', type: 'string', default: '', description: 'Ticket field paths the vendor may receive, comma-separated' },
];

const ruleFields: INodeProperties[] = [
	{ displayName: 'ID', name: 'id', type: 'string', default: '' },
	{ displayName: 'Name', name: 'name', type: 'string', default: '' },
	{
		displayName: 'Kind',
		name: 'kind',
		type: 'options',
		options: [
			{ name: 'Keep Internal', value: 'keepInternal', description: 'VIP, legal, security, confidential' },
			{ name: 'Specialist Topic', value: 'specialist' },
			{ name: 'Function Outsourcing', value: 'outsourcing', description: 'A channel, a language, a time window' },
			{ name: 'Peak-Load Overflow', value: 'overflow' },
		],
		default: 'specialist',
	},
	{ displayName: 'Targets', name: 'targets', type: 'string', default: '', description: 'Destination IDs in order of preference, comma-separated; overflow weights as "ID:weight"' },
	{ displayName: 'Keywords', name: 'keywords', type: 'string', default: '', description: 'Words or phrases in subject or body, comma-separated (case- and accent-insensitive)' },
	{ displayName: 'Tags', name: 'tags', type: 'string', default: '' },
	{ displayName: 'Categories', name: 'categories', type: 'string', default: '' },
	{ displayName: 'Languages', name: 'languages', type: 'string', default: '' },
	{ displayName: 'Channels', name: 'channels', type: 'string', default: '' },
	{ displayName: 'Priorities', name: 'priorities', type: 'string', default: '' },
	{ displayName: 'Customer Tiers', name: 'tiers', type: 'string', default: '' },
	{ displayName: 'Customer Regions', name: 'regions', type: 'string', default: '' },
	{
		displayName: 'Time Window Days',
		name: 'timeDays',
		type: 'multiOptions',
		options: [
			{ name: 'Friday', value: 'fri' },
			{ name: 'Monday', value: 'mon' },
			{ name: 'Saturday', value: 'sat' },
			{ name: 'Sunday', value: 'sun' },
			{ name: 'Thursday', value: 'thu' },
			{ name: 'Tuesday', value: 'tue' },
			{ name: 'Wednesday', value: 'wed' },
		],
		default: [],
	},
	{ displayName: 'Time Window From', name: 'timeFrom', type: 'string', default: '', placeholder: '18:00', description: 'HH:MM in the policy time zone' },
	{ displayName: 'Time Window To', name: 'timeTo', type: 'string', default: '', placeholder: '08:00', description: 'HH:MM; earlier than From wraps past midnight' },
	{ displayName: 'Overflow: Team Capacity per Hour', name: 'capacityPerHour', type: 'number', default: 0 },
	{ displayName: 'Overflow: Backlog Limit', name: 'backlogLimit', type: 'number', default: 0 },
	{ displayName: 'Overflow: On At', name: 'onAt', type: 'number', default: 1, typeOptions: { numberPrecision: 2 }, description: 'Fraction of capacity at which overflow starts' },
	{ displayName: 'Overflow: Off At', name: 'offAt', type: 'number', default: 0.8, typeOptions: { numberPrecision: 2 }, description: 'Fraction of capacity below which overflow stops' },
	{
		displayName: 'Overflow: Peak Periods',
		name: 'peakPeriods',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		options: [
			{
				name: 'period',
				displayName: 'Period',
				values: [
					{
						displayName: 'Backlog Limit',
						name: 'backlogLimit',
						type: 'number',
						default: 0
					},
					{
						displayName: 'Capacity per Hour',
						name: 'capacityPerHour',
						type: 'number',
						default: 0
					},
					{
						displayName: 'From',
						name: 'from',
						type: 'string',
						default: '',
						placeholder: '2026-11-27',
					},
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
					},
					{
						displayName: 'To',
						name: 'to',
						type: 'string',
						default: '',
						placeholder: '2026-11-30',
					},
				],
			},
		],
	},
];

const fieldPathOption = (name: string, displayName: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	description: `Path of the ${displayName.toLowerCase()} in the item, dot notation`,
});

export const properties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Route Tickets', value: 'route', action: 'Route tickets', description: 'Decide internal queue or vendor for each incoming ticket' },
			{
				name: 'Sweep Backlog',
				value: 'sweep',
				action: 'Sweep backlog',
				description: 'Keep the most urgent and oldest waiting tickets within capacity and delegate the rest',
			},
		],
		default: 'route',
	},
	{
		displayName: 'Internal Capacity',
		name: 'sweepCapacity',
		type: 'number',
		default: 50,
		required: true,
		description: 'How many of the waiting tickets the team keeps (evaluated once per execution)',
		...show({ operation: ['sweep'] }),
	},
	{
		displayName: 'Policy Source',
		name: 'policySource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Build in Editor', value: 'editor' },
			{ name: 'JSON', value: 'json', description: 'Paste a policy to version it and share it across workflows' },
		],
		default: 'json',
	},
	{ displayName: 'Policy (JSON)', name: 'policyJson', type: 'json', default: EXAMPLE_POLICY, ...show({ policySource: ['json'] }) },
	{
		displayName: 'Destinations',
		name: 'destinations',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		options: [{ name: 'destination', displayName: 'Destination', values: destinationFields }],
		...editorV1,
	},
	{
		displayName: 'Rules',
		name: 'rules',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		placeholder: 'Add Rule',
		description: 'Checked in order; the first matching rule decides',
		options: [{ name: 'rule', displayName: 'Rule', values: ruleFields }],
		...editorV1,
	},
	{ displayName: 'Default Destination', name: 'defaultDestination', type: 'string', default: '', description: 'ID of the destination for tickets no rule matches', ...editorV1 },
	{ displayName: 'Scope', name: 'scope', type: 'string', default: 'default', description: 'Ledger partition and idempotency scope', ...editorV1 },
	{ displayName: 'Time Zone', name: 'timezone', type: 'string', default: 'UTC', description: 'IANA time zone for time windows, peak periods and monthly caps', ...editorV1 },
	...bothVersions(editorV2Properties, editorV3Properties),
	{
		displayName: 'Guardrails',
		name: 'guardrails',
		type: 'collection',
		placeholder: 'Add Setting',
		default: {},
		options: [
			{ displayName: 'Share Window (Days)', name: 'shareWindowDays', type: 'number', default: 30 },
			{ displayName: 'Min Volume for Share Cap', name: 'minVolumeForShareCap', type: 'number', default: 20, description: 'Below this many delegated tickets in the window the share cap does not apply' },
		],
		...editor,
	},
	{
		displayName: 'Ticket Fields',
		name: 'fieldPreset',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Zendesk', value: 'zendesk' },
			{ name: 'Freshdesk', value: 'freshdesk' },
			{ name: 'Generic', value: 'generic', description: 'ID, subject, body, tags, category, language, channel, priority, customer.tier, customer.region, createdAt' },
		],
		default: 'generic',
	},
	{
		displayName: 'Field Paths',
		name: 'fieldPaths',
		type: 'collection',
		placeholder: 'Override Field Path',
		default: {},
		options: [
			fieldPathOption('body', 'Body'),
			fieldPathOption('category', 'Category'),
			fieldPathOption('channel', 'Channel'),
			fieldPathOption('createdAt', 'Created At'),
			fieldPathOption('tier', 'Customer Tier'),
			fieldPathOption('region', 'Customer Region'),
			fieldPathOption('id', 'ID'),
			fieldPathOption('language', 'Language'),
			fieldPathOption('priority', 'Priority'),
			fieldPathOption('dueAt', 'SLA Due At'),
			fieldPathOption('subject', 'Subject'),
			fieldPathOption('tags', 'Tags'),
		],
	},
	{
		displayName: 'Outputs',
		name: 'outputMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Internal and External', value: 'kind' },
			{ name: 'One per Destination', value: 'destination', description: 'In policy order; needs a literal policy, not an expression' },
		],
		default: 'kind',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Current Load',
				name: 'currentLoad',
				type: 'number',
				default: 0,
				description: 'Load for peak overflow, e.g. a backlog count fetched earlier (evaluated once). Unset: counted from tickets routed internally in the last hour.',
			},
			{ displayName: 'Dry Run', name: 'dryRun', type: 'boolean', default: false, description: 'Whether to decide without recording anything' },
			{
				displayName: 'If Ledger Unavailable',
				name: 'ledgerUnavailable',
				type: 'options',
				options: [
					{ name: 'Fail', value: 'fail' },
					{ name: 'Route Without Guardrails', value: 'route', description: 'Items are marked ledger: "unavailable"; caps, budgets and shares are not checked' },
				],
				default: 'fail',
			},
			{ displayName: 'Re-Route', name: 'reroute', type: 'boolean', default: false, description: 'Whether to decide again tickets that already have an open decision' },
		],
	},
	...ledgerProperties,
];
