import type { INodeProperties } from 'n8n-workflow';

import { ledgerProperties } from '../shared/ledger/open';
import { properties as routerProperties } from '../TicketRouter/description';

const EXAMPLE = (billing: string) =>
	JSON.stringify(
		{
			destinations: [
				{ id: 'team', name: 'Support team', kind: 'internal' },
				{ id: 'acme', kind: 'external', contract: 'specialist', capacityPerHour: 50, costPerTicket: 4 },
				{ id: 'globex', kind: 'external', contract: 'specialist', capacityPerHour: 30, costPerTicket: 3 },
			],
			rules: [
				{ id: 'vip', kind: 'keepInternal', when: { tiers: ['vip'] }, target: 'team' },
				{ id: 'billing', kind: 'specialist', when: { keywords: ['chargeback', 'invoice dispute'] }, target: billing },
			],
			defaultDestination: 'team',
		},
		null,
		2,
	);

/** The ticket field mapping is the Ticket Router's own parameters: the simulation reads tickets exactly as it does. */
const ticketFields = routerProperties.filter((p) => p.name === 'fieldPreset' || p.name === 'fieldPaths');

const fromLedger = { startFrom: ['ledger'] };

export const simulationProperties: INodeProperties[] = [
	{
		displayName:
			'Replays the input tickets in created-at order under both policies, with caps, budgets, share limits and overflow counted as the Ticket Router would. Nothing is written.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Current Policy (JSON)',
		name: 'currentPolicy',
		type: 'json',
		default: EXAMPLE('acme'),
		required: true,
		description: 'The policy the Ticket Router runs today, as JSON (the Ticket Router\'s Policy (JSON), or a file read earlier in the workflow)',
	},
	{
		displayName: 'Draft Policy (JSON)',
		name: 'draftPolicy',
		type: 'json',
		default: EXAMPLE('globex'),
		required: true,
		description: 'The policy to try: a new vendor, a new cap, a topic moved elsewhere',
	},
	{
		displayName: 'Start From',
		name: 'startFrom',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Empty', value: 'empty', description: 'No earlier decisions: every cap and budget starts unused' },
			{
				name: 'Ledger',
				value: 'ledger',
				description: 'The ledger\'s decisions before the first ticket count towards caps, budgets and shares; overflow and quality state as recorded',
			},
		],
		default: 'empty',
	},
	{
		displayName: 'Sample Size',
		name: 'sampleSize',
		type: 'number',
		default: 20,
		typeOptions: { minValue: 0 },
		description: 'How many of the tickets that change destination to list (the first ones in created-at order); all are counted',
	},
	...ticketFields,
	...ledgerProperties.map((p) => ({ ...p, displayOptions: { show: { ...p.displayOptions?.show, ...fromLedger } } })),
];

export interface SimulationParameters {
	currentPolicy: unknown;
	draftPolicy: unknown;
	startFrom: 'empty' | 'ledger';
	sampleSize: number;
}
