import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { assessRisk } from '../../domain/risk/assess';
import { reportMessage } from '../../domain/risk/message';
import { ledgerCredentials, ledgerProperties, openLedger } from '../shared/ledger/open';
import { policyScopes } from '../shared/ledger/scopes';
import { attachDashboard, dashboardParts, dashboardPolicy, dashboardProperties } from './dashboard';
import { readDashboard } from '../../domain/report/reads';
import { alertJson, reportJson } from './items';
import { failedItem, toNodeError } from '../shared/node-error';
import { readRiskOptions, riskProperties } from './properties';

export class VendorRisk implements INodeType {
	methods = { loadOptions: { policyScopes } };

	description: INodeTypeDescription = {
		displayName: 'Vendor Risk',
		name: 'vendorRisk',
		icon: { light: 'file:vendorRisk.svg', dark: 'file:vendorRisk.dark.svg' },
		group: ['transform'],
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{ $parameter["output"] === "report" ? "Report" : "Alerts" }}',
		description: 'Flags over-dependence on outside vendors: shares, concentration (CR1, HHI, effective vendors) and topics with no substitute',
		defaults: { name: 'Vendor Risk' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: ledgerCredentials,
		properties: [
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				noDataExpression: true,
				default: 'alerts',
				options: [
					{
						name: 'One Item per Alert',
						value: 'alerts',
						description: 'Each flagged vendor, topic or concentration as an item with a readable message; nothing when all is ok',
					},
					{
						name: 'One Report Item',
						value: 'report',
						description: 'The whole report: every vendor, concentration, coverage and alerts, with a summary message',
					},
				],
			},
			{
				displayName: 'Attach Share Chart',
				name: 'chart',
				type: 'boolean',
				default: false,
				displayOptions: { show: { output: ['report'] } },
				description: 'Whether to attach a chart of vendor shares per day over the window (bars of the current shares until there are two days of history), for e-mail and chat',
			},
			{
				displayName: 'Put Chart in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'chart',
				displayOptions: { show: { output: ['report'], chart: [true] } },
				description: 'Name of the binary field the chart goes into',
			},
			...dashboardProperties,
			...riskProperties,
			...ledgerProperties,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// A report, not a per-item transform: parameters are read once and the report is computed once.
		const pairedItem = { item: 0 };
		try {
			return [await report.call(this, pairedItem)];
		} catch (caught) {
			const error = toNodeError(this.getNode(), caught, 0, 'No report was made.');
			if (this.continueOnFail()) return [[failedItem(this, {}, error, pairedItem.item)]];
			throw error;
		}
	}
}

/** Reads the ledger's two windows and shapes the report as the Output parameter asks. */
async function report(this: IExecuteFunctions, pairedItem: { item: number }): Promise<INodeExecutionData[]> {
	let options;
	const policy = dashboardPolicy(this);
	try {
		// An empty Time Zone is the policy's when one is given (the zone its months and schedules run in), else the
		// workflow's (Workflow Settings, else the instance's).
		const defaultZone = policy?.timezone ?? this.getTimezone();
		options = readRiskOptions((name, fallback) => this.getNodeParameter(name, 0, fallback), Date.now(), defaultZone);
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message, { itemIndex: 0 });
	}
	const output = this.getNodeParameter('output', 0) as 'alerts' | 'report';
	const ledger = await openLedger(this);
	if (output === 'alerts') {
		const report = await assessRisk(ledger, options);
		return report.alerts.map((alert) => ({ json: alertJson(report, alert, options), pairedItem }));
	}
	const parts = dashboardParts(this);
	const reads = await readDashboard(ledger, options, {
		series: parts.chart || parts.dashboard,
		usagePolicy: parts.dashboard ? policy : null,
	});
	const item: INodeExecutionData = {
		json: reportJson(reads.report, options, reportMessage(reads.report, options.timeZone)),
		pairedItem,
	};
	await attachDashboard(this, item, parts, reads, options);
	return [item];
}
