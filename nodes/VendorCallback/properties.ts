import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_CALLBACK_LIMITS, type CallbackLimits } from '../../vendor-boundary/callback/verify';
import { ledgerProperties } from '../shared/ledger/open';
import { policyScopeField } from '../shared/ledger/scopes';

/** The URL path below /webhook/: one per vendor, so each vendor's node (and credential) has its own endpoint. */
export const CALLBACK_PATH_PREFIX = 'support-delegation/vendor-callback/';

/** The option defaults are literals (n8n's lint wants them so); a unit test keeps them equal to DEFAULT_CALLBACK_LIMITS. */
export const vendorCallbackProperties: INodeProperties[] = [
	{
		displayName:
			'One node per vendor: the vendor POSTs JSON to <code>/webhook/support-delegation/vendor-callback/&lt;vendor ID&gt;</code>, signed with the Signing Secret of the credential below. See the README for the contract to give the vendor.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Vendor ID',
		name: 'vendor',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'billingpro',
		description:
			'The vendor as the policy names it (its destination ID). Only tickets whose open decision is with this vendor accept its callbacks. Letters, digits, ".", "_", "-" and "~" (it ends the URL).',
	},
	{
		displayName: 'Policy Scope Name or ID',
		name: 'policyScope',
		...policyScopeField,
		default: 'default',
		description:
			'The policy scope the Ticket Router recorded the tickets under. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'CSAT Scale Top',
				name: 'csatMax',
				type: 'number',
				typeOptions: { minValue: 1, numberPrecision: 2 },
				default: 5,
				description: 'Highest CSAT the vendor may report; the scale runs from 0 to this (5 for a 1–5 star survey, 10, or 100 for a percentage)',
			},
			{
				displayName: 'Max Body Size (Bytes)',
				name: 'maxBodyBytes',
				type: 'number',
				typeOptions: { minValue: 256 },
				default: 65536,
				description: 'Larger callbacks are refused with 413 before anything else is read. An outcome needs well under 1 KB.',
			},
			{
				displayName: 'Timestamp Tolerance (Seconds)',
				name: 'toleranceSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 300,
				description: 'How far the signed X-Callback-Timestamp may be from this server’s clock, either way; older or later callbacks are refused with 401',
			},
		],
	},
	...ledgerProperties,
];

/** The limits the node's options set, each falling back to its default. */
export function readLimits(options: Partial<Record<keyof CallbackLimits, unknown>>): CallbackLimits {
	const number = (key: keyof CallbackLimits) => {
		const value = Number(options[key]);
		return Number.isFinite(value) && value > 0 ? value : DEFAULT_CALLBACK_LIMITS[key];
	};
	return { toleranceSeconds: number('toleranceSeconds'), maxBodyBytes: number('maxBodyBytes'), csatMax: number('csatMax') };
}
