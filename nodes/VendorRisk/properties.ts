import type { INodeProperties } from 'n8n-workflow';

import { policyScopeField } from '../shared/ledger/scopes';

import type { AssessOptions } from '../../domain/risk/assess';
import { RiskSettingError } from '../../domain/risk/errors';
import type { RiskLevel, RiskThresholds } from '../../domain/risk/thresholds';
import { DEFAULT_THRESHOLDS } from '../../domain/risk/thresholds';
import { assertTimeZone } from '../../domain/risk/window';

const pct = (fraction: number) => Math.round(fraction * 1000) / 10;

/**
 * Parameters the Vendor Risk node and its trigger share: what to read and where the lines are.
 * Defaults are literals for the editor; a unit test holds them equal to DEFAULT_THRESHOLDS.
 */
export const riskProperties: INodeProperties[] = [
	{
		displayName: 'Policy Scope Name or ID',
		name: 'policyScope',
		...policyScopeField,
		default: 'default',
		description: 'The policy scope the Ticket Router recorded under; All Scopes assesses every scope in the ledger together. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Window (Days)',
		name: 'windowDays',
		type: 'number',
		default: 30,
		typeOptions: { minValue: 1 },
		description: 'Length of the rolling window; the report compares it with the window of the same length just before it',
	},
	{
		displayName: 'Thresholds',
		name: 'thresholds',
		type: 'collection',
		placeholder: 'Add Threshold',
		default: {},
		options: [
			{
				displayName: 'Effective Vendors Warning Below',
				name: 'minEffectiveVendors',
				type: 'number',
				default: 2,
				typeOptions: { minValue: 0, numberPrecision: 2 },
				description: 'Warn when delegated work is spread over fewer effective vendors (10,000 / HHI) than this',
			},
			{
				displayName: 'Minimum CSAT',
				name: 'minCsat',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0, numberPrecision: 2 },
				description: 'Warn when a vendor\'s average CSAT is below this. 0 turns the check off.',
			},
			{
				displayName: 'Minimum Delegated Tickets',
				name: 'minDelegated',
				type: 'number',
				default: 10,
				typeOptions: { minValue: 0 },
				description: 'Below this many delegated tickets in the window, shares and concentration are reported but not flagged',
			},
			{
				displayName: 'Minimum Topic Tickets',
				name: 'minTopicTickets',
				type: 'number',
				default: 5,
				typeOptions: { minValue: 0 },
				description: 'A topic, channel or language with fewer delegated tickets is listed but not flagged as having no substitute',
			},
			{
				displayName: 'No Substitute Level',
				name: 'noSubstituteLevel',
				type: 'options',
				default: 'warning',
				options: [
					{ name: 'Critical', value: 'critical' },
					{ name: 'Not Flagged', value: 'ok' },
					{ name: 'Warning', value: 'warning' },
				],
				description: 'Level of a topic, channel or language that one vendor carries alone, with no internal handling',
			},
			{
				displayName: 'Quality Minimum Sample',
				name: 'minQualitySample',
				type: 'number',
				default: 20,
				typeOptions: { minValue: 1 },
				description: 'A vendor\'s quality figure (SLA met, CSAT, reopen or return rate) is judged only once it comes from at least this many finished delegations',
			},
			{
				displayName: 'Reopen Rate Warning Above (%)',
				name: 'maxReopenRate',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0, maxValue: 100, numberPrecision: 1 },
				description: 'Warn when more than this percentage of a vendor\'s tickets with a known outcome were reopened. 0 turns the check off.',
			},
			{
				displayName: 'Return Rate Quality Limit (%)',
				name: 'maxReturnRate',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0, maxValue: 100, numberPrecision: 1 },
				description: 'A vendor returning more than this percentage of its finished delegations is below quality. 0 turns the check off.',
			},
			{
				displayName: 'Share Critical Above (%)',
				name: 'shareCritical',
				type: 'number',
				default: 50,
				typeOptions: { minValue: 0, maxValue: 100, numberPrecision: 1 },
				description: 'A vendor handling more than this percentage of delegated tickets is critical',
			},
			{
				displayName: 'Share Warning Above (%)',
				name: 'shareWarning',
				type: 'number',
				default: 30,
				typeOptions: { minValue: 0, maxValue: 100, numberPrecision: 1 },
				description: 'A vendor handling more than this percentage of delegated tickets is a warning (procurement rule of thumb: 30%)',
			},
			{
				displayName: 'SLA Attainment Target (%)',
				name: 'slaTarget',
				type: 'number',
				default: 90,
				typeOptions: { minValue: 0, maxValue: 100, numberPrecision: 1 },
				description: 'Warn when a vendor met its SLA on a smaller percentage of tickets with a known SLA outcome',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'windowOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Time Zone',
				name: 'timeZone',
				type: 'string',
				default: '',
				placeholder: 'Europe/Berlin',
				description: 'IANA time zone for whole days, daily chart buckets and dates in messages. Empty: the policy\'s time zone when Vendor Risk is given one (Dashboard Options), else the workflow\'s (Workflow Settings, else the instance\'s).',
			},
			{
				displayName: 'Whole Days',
				name: 'wholeDays',
				type: 'boolean',
				default: false,
				description: 'Whether the window ends at the start of today in the time zone (complete days, for weekly reports) instead of now',
			},
		],
	},
];

interface ThresholdParams {
	shareWarning?: number;
	shareCritical?: number;
	minEffectiveVendors?: number;
	minDelegated?: number;
	slaTarget?: number;
	maxReopenRate?: number;
	minCsat?: number;
	noSubstituteLevel?: RiskLevel;
	minTopicTickets?: number;
	maxReturnRate?: number;
	minQualitySample?: number;
}

/** Reads a parameter once per execution; execute and poll contexts spell getNodeParameter differently. */
export type ParameterReader = (name: string, fallback: unknown) => unknown;

/**
 * The assessment the parameters ask for. Throws a RiskSettingError naming the parameter when one is
 * unusable; the node turns it into a NodeOperationError.
 */
export function readRiskOptions(param: ParameterReader, now: number, workflowTimeZone: string): AssessOptions {
	const scope = String(param('policyScope', 'default')).trim();
	const days = Number(param('windowDays', 30));
	if (!Number.isFinite(days) || days < 1) throw new RiskSettingError(`Window (Days) must be at least 1, got ${days}`);
	const t = param('thresholds', {}) as ThresholdParams;
	const o = param('windowOptions', {}) as { timeZone?: string; wholeDays?: boolean };
	const timeZone = o.timeZone?.trim() || workflowTimeZone || 'UTC';
	assertTimeZone(timeZone);

	const thresholds: Partial<RiskThresholds> = {};
	if (t.shareWarning !== undefined) thresholds.shareWarning = t.shareWarning / 100;
	if (t.shareCritical !== undefined) thresholds.shareCritical = t.shareCritical / 100;
	if (t.slaTarget !== undefined) thresholds.slaTarget = t.slaTarget / 100;
	if (t.minEffectiveVendors !== undefined) thresholds.minEffectiveVendors = t.minEffectiveVendors;
	if (t.minDelegated !== undefined) thresholds.minDelegated = t.minDelegated;
	if (t.minTopicTickets !== undefined) thresholds.minTopicTickets = t.minTopicTickets;
	if (t.noSubstituteLevel !== undefined) thresholds.noSubstituteLevel = t.noSubstituteLevel;
	if (t.maxReopenRate) thresholds.maxReopenRate = t.maxReopenRate / 100;
	if (t.minCsat) thresholds.minCsat = t.minCsat;
	if (t.maxReturnRate) thresholds.maxReturnRate = t.maxReturnRate / 100;
	if (t.minQualitySample !== undefined) thresholds.minQualitySample = t.minQualitySample;
	const warning = thresholds.shareWarning ?? DEFAULT_THRESHOLDS.shareWarning;
	const critical = thresholds.shareCritical ?? DEFAULT_THRESHOLDS.shareCritical;
	if (critical < warning) {
		throw new RiskSettingError(`Share Critical Above (${pct(critical)}%) must not be below Share Warning Above (${pct(warning)}%)`);
	}

	return { scope: scope === '' ? null : scope, now, days, timeZone, wholeDays: o.wholeDays === true, thresholds };
}
