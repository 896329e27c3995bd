import type { INodeProperties } from 'n8n-workflow';

import { policyScopeField } from '../shared/ledger/scopes';

export type Operation = 'recordOutcome' | 'getDecisions' | 'list' | 'summarize' | 'listOpen' | 'export';

const show = (...operation: Operation[]) => ({ show: { operation } });

/** The outcome statuses a person or a provider's webhook reports; `routed` is the router's alone. */
const outcomeStatuses = [
	{ name: 'Accepted', value: 'accepted', description: 'The provider took the ticket' },
	{ name: 'Handed Off', value: 'handed_off', description: 'The ticket reached the provider' },
	{ name: 'Rejected', value: 'rejected', description: 'The provider refused the ticket' },
	{ name: 'Resolved', value: 'resolved', description: 'The provider solved the ticket' },
	{ name: 'Returned', value: 'returned', description: 'The ticket came back to the internal team (e.g. recalled)' },
];

const allStatuses = [
	{ name: 'Accepted', value: 'accepted' },
	{ name: 'Hand-Off Failed', value: 'handoff_failed' },
	{ name: 'Handed Off', value: 'handed_off' },
	{ name: 'Rejected', value: 'rejected' },
	{ name: 'Resolved', value: 'resolved' },
	{ name: 'Returned', value: 'returned' },
	{ name: 'Routed', value: 'routed' },
];

const paging: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		displayOptions: show('list', 'listOpen', 'export'),
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		displayOptions: { show: { operation: ['list', 'listOpen', 'export'], returnAll: [false] } },
		description: 'Max number of results to return',
	},
];

export const delegationLogProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: 'recordOutcome',
		options: [
			{ name: 'Export', value: 'export', action: 'Export delegations as a file', description: 'Write matching delegations to a CSV or JSON file' },
			{ name: 'Get Decisions of a Ticket', value: 'getDecisions', action: 'Get the decisions of a ticket', description: 'Every routing decision recorded for one ticket, oldest first' },
			{ name: 'List Delegations', value: 'list', action: 'List delegations', description: 'Recorded decisions, newest first, filtered by vendor, kind, reason, status and time' },
			{ name: 'List Open Delegations of a Vendor', value: 'listOpen', action: 'List open delegations of a vendor', description: 'Tickets a vendor still holds (routed, handed off or accepted): what to recall when re-internalising' },
			{ name: 'Record Outcome', value: 'recordOutcome', action: 'Record the outcome of a delegation', description: 'Update the latest decision of a ticket: handed off, accepted, rejected, resolved or returned' },
			{ name: 'Summarize', value: 'summarize', action: 'Summarize delegations', description: 'Counts, shares and cost per vendor and per reason over a window' },
		],
	},
	{
		displayName: 'Policy Scope Name or ID',
		name: 'policyScope',
		...policyScopeField,
		default: 'default',
		description: 'The policy scope the Ticket Router recorded under. For listing, summarizing and exporting, All Scopes reads every scope. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Ticket ID',
		name: 'ticketId',
		type: 'string',
		default: '={{ $json.delegation.ticketId }}',
		required: true,
		displayOptions: show('recordOutcome', 'getDecisions'),
		description: 'The helpdesk ticket ID the router recorded',
	},
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		default: 'resolved',
		options: outcomeStatuses,
		displayOptions: show('recordOutcome'),
		description: 'Where the delegation stands now',
	},
	{
		displayName: 'Outcome Fields',
		name: 'outcome',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show('recordOutcome'),
		options: [
			{ displayName: 'CSAT', name: 'csat', type: 'number', default: 5, typeOptions: { minValue: 0, numberPrecision: 2 }, description: 'Customer satisfaction score for the ticket, on your helpdesk\'s scale' },
			{ displayName: 'Error Class', name: 'errorClass', type: 'string', default: '', description: 'Why it failed or came back, e.g. timeout or out_of_scope' },
			{ displayName: 'First Response At', name: 'firstResponseAt', type: 'dateTime', default: '' },
			{ displayName: 'Handed Off At', name: 'handedOffAt', type: 'dateTime', default: '' },
			{ displayName: 'Happened At', name: 'at', type: 'dateTime', default: '', description: 'When the status changed; defaults to now for Handed Off and Resolved timestamps' },
			{ displayName: 'Provider Reference', name: 'providerReference', type: 'string', default: '', description: 'The provider\'s own ticket ID' },
			{ displayName: 'Reopened', name: 'reopened', type: 'boolean', default: false, description: 'Whether the customer reopened the ticket' },
			{ displayName: 'Resolved At', name: 'resolvedAt', type: 'dateTime', default: '' },
			{ displayName: 'SLA Met', name: 'slaMet', type: 'boolean', default: true, description: 'Whether the provider met the SLA on this ticket' },
		],
	},
	{
		displayName: 'Vendor',
		name: 'vendor',
		type: 'string',
		default: '',
		required: true,
		displayOptions: show('listOpen'),
		description: 'Vendor ID as in the routing policy',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show('list', 'export'),
		options: [
			{ displayName: 'Decided After', name: 'from', type: 'dateTime', default: '', description: 'Only decisions made at or after this time' },
			{ displayName: 'Decided Before', name: 'to', type: 'dateTime', default: '', description: 'Only decisions made before this time' },
			{
				displayName: 'Kind',
				name: 'kind',
				type: 'options',
				default: 'external',
				options: [
					{ name: 'External (Vendor)', value: 'external' },
					{ name: 'Internal', value: 'internal' },
				],
			},
			{ displayName: 'Reason', name: 'reason', type: 'string', default: '', placeholder: 'overflow', description: 'Rule kind that decided: keepInternal, specialist, outsourcing, overflow, default' },
			{ displayName: 'Status', name: 'status', type: 'multiOptions', default: [], options: allStatuses },
			{ displayName: 'Vendor', name: 'vendor', type: 'string', default: '', description: 'Vendor ID as in the routing policy' },
		],
	},
	...paging,
	{
		displayName: 'Window (Days)',
		name: 'windowDays',
		type: 'number',
		default: 30,
		typeOptions: { minValue: 1 },
		displayOptions: show('summarize'),
		description: 'Summarize the decisions of this many days, ending now',
	},
	{
		displayName: 'Format',
		name: 'format',
		type: 'options',
		default: 'csv',
		options: [
			{ name: 'CSV', value: 'csv' },
			{ name: 'JSON', value: 'json' },
		],
		displayOptions: show('export'),
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		displayOptions: show('export'),
		description: 'Name of the binary field the file goes into',
	},
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '',
		placeholder: 'delegations.csv',
		displayOptions: show('export'),
		description: 'Empty: delegations-YYYY-MM-DD with the extension of the format',
	},
];
