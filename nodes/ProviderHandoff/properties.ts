import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_INTERNAL_NOTE_KEYS } from '../../domain/handoff/payload';
import { DEFAULT_PHONE_REGIONS } from '../../domain/redaction/detectors/phone';
import { DEFAULT_KINDS } from '../../domain/redaction/detectors/registry';
import { ledgerProperties } from '../shared/ledger/open';

export const handoffProperties: INodeProperties[] = [
	{
		displayName:
			'Connect the Ticket Router output of one vendor here. Only decisions the ledger holds are sent, and only the fields the policy allows for that vendor, with PII replaced by tokens. Each ticket ends on Delivered, Failed (back to your queue) or Pending (the vendor may have it: never work it internally).',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Vendors',
		name: 'vendors',
		type: 'string',
		default: '',
		placeholder: 'acme-support, nightdesk',
		description:
			'Vendor IDs (as in the policy) this endpoint serves, comma-separated. Tickets delegated to other vendors go to Failed. Empty serves any vendor.',
	},
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		options: [
			{ name: 'POST', value: 'POST' },
			{ name: 'PUT', value: 'PUT' },
			{ name: 'PATCH', value: 'PATCH' },
		],
		default: 'POST',
	},
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: '/tickets',
		description: 'Appended to the credential\'s base URL. {vendor} is replaced by the vendor ID.',
	},
	{
		displayName: 'Reference Field',
		name: 'referenceField',
		type: 'string',
		default: 'id',
		description: 'Dotted path of the vendor\'s ticket reference in its JSON response, e.g. ID or ticket.number',
	},
	{
		displayName: 'Redaction',
		name: 'redaction',
		type: 'collection',
		placeholder: 'Add Redaction Setting',
		default: {},
		options: [
			{
				displayName: 'Detect',
				name: 'kinds',
				type: 'multiOptions',
				options: [
					{ name: 'E-Mail Addresses', value: 'email' },
					{ name: 'E-Mail Addresses Spelled Out (Opt-In)', value: 'email_obfuscated', description: 'Jean dot dupont at gmail dot com, jean(at)gmail(dot)com' },
					{ name: 'French NIR (Opt-In)', value: 'fr_nir', description: 'Numéro de sécurité sociale, key 97 checked' },
					{ name: 'IBANs (Mod-97 Checked)', value: 'iban' },
					{ name: 'Payment Cards (Luhn Checked)', value: 'card' },
					{ name: 'Phone Numbers', value: 'phone' },
					{ name: 'UK National Insurance Numbers (Opt-In)', value: 'uk_nino' },
					{ name: 'US Social Security Numbers (Opt-In)', value: 'us_ssn' },
				],
				default: [...DEFAULT_KINDS],
				description: 'Built-in detectors (see the README\'s redaction table). Each match becomes a token such as [EMAIL_1], the same within a ticket for the same value.',
			},
			{
				displayName: 'Phone Regions',
				name: 'phoneRegions',
				type: 'string',
				default: DEFAULT_PHONE_REGIONS.join(', '),
				placeholder: 'US, GB, FR, DE',
				description:
					'Countries (ISO 3166-1 alpha-2) whose national phone formats are read in every ticket, comma-separated. The ticket\'s own region is added when it names a country. Numbers written with + or 00 are read in any case.',
			},
			{
				displayName: 'Fields to Redact Entirely',
				name: 'fields',
				type: 'string',
				default: '',
				placeholder: 'requester.name, custom_fields.account_number',
				description: 'Dotted paths whose whole value is replaced by a token, comma-separated',
			},
			{
				displayName: 'Patterns',
				name: 'patterns',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				options: [
					{
						displayName: 'Pattern',
						name: 'pattern',
						values: [
							{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'order', description: 'Names the token ([ORDER_1]) and the count' },
							{
								displayName: 'Regular Expression',
								name: 'pattern',
								type: 'string',
								default: '',
								placeholder: 'ORD-\\d{6}',
								description: 'RE2 syntax (linear time: no lookaround, no backreferences). A pattern RE2 refuses stops the node before anything is sent.',
							},
							{ displayName: 'Case Insensitive', name: 'caseInsensitive', type: 'boolean', default: false },
						],
					},
				],
			},
		],
	},
	{
		displayName: 'Internal Notes',
		name: 'internalNotes',
		type: 'collection',
		placeholder: 'Add Internal Notes Setting',
		default: {},
		options: [
			{
				displayName: 'Note Keys',
				name: 'keys',
				type: 'string',
				default: DEFAULT_INTERNAL_NOTE_KEYS.join(', '),
				description: 'Keys removed wherever they appear, even inside an allowed field, comma-separated',
			},
			{
				displayName: 'Drop Private Comments',
				name: 'dropPrivateEntries',
				type: 'boolean',
				default: true,
				description:
					'Whether to drop list entries a helpdesk marks private: Zendesk comments with public: false, Freshdesk conversations with private: true, entries with internal: true',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100 },
				default: 5,
				description: 'Hand-offs in flight at once toward this vendor',
			},
			{
				displayName: 'Max Response Size (Bytes)',
				name: 'maxResponseBytes',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 1048576,
			},
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: 3,
				description: 'Further attempts after network errors, timeouts, 429 and 5xx. Other 4xx answers are never retried.',
			},
			{
				displayName: 'Preview Only',
				name: 'previewOnly',
				type: 'boolean',
				default: false,
				description:
					'Whether to only build each hand-off and return exactly the body and headers the vendor would receive (credentials masked), on Delivered. Nothing is sent and nothing is written to the ledger.',
			},
			{
				displayName: 'Retry Base Delay (Ms)',
				name: 'retryBaseDelayMs',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 500,
				description: 'First wait; doubles each retry, with jitter',
			},
			{
				displayName: 'Retry Max Delay (Ms)',
				name: 'retryMaxDelayMs',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 30000,
				description: 'Longest wait between attempts. A Retry-After above it fails the ticket rather than retrying early.',
			},
			{
				displayName: 'Timeout (Ms)',
				name: 'timeoutMs',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 10000,
				description: 'Total time per attempt: connecting, the first byte and the whole answer. A vendor that trickles its answer is cut off here.',
			},
		],
	},
	...ledgerProperties,
];
