import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { CompiledPolicy } from '../../domain/policy/compile';
import { loadPolicy } from '../../domain/policy/compile';
import type { AssessOptions } from '../../domain/risk/assess';
import type { DashboardInput } from '../../domain/report/dashboard';
import { dashboardChart } from '../../domain/report/dashboard';
import { dashboardHtml } from '../../domain/report/html';
import { scenePng } from '../../domain/report/png/scene-png';
import { sceneSvg } from '../../domain/report/svg';
import type { DashboardReads } from '../../domain/report/reads';

const report = { output: ['report'] };
/** Version 1 kept its SVG chart; from 1.1 the chart is a PNG by default (the editor shows it inline). */
const fromV11 = { '@version': [{ _cnd: { gte: 1.1 } }] };

export const dashboardProperties: INodeProperties[] = [
	{
		displayName: 'Chart Format',
		name: 'chartFormat',
		type: 'options',
		default: 'png',
		options: [
			{ name: 'PNG', value: 'png', description: 'An image n8n shows in the binary view and chat tools and e-mail clients show inline' },
			{ name: 'SVG', value: 'svg', description: 'A small vector file, for pages and clients that render SVG' },
		],
		displayOptions: { show: { ...report, chart: [true], ...fromV11 } },
	},
	{
		displayName: 'Attach HTML Dashboard',
		name: 'dashboard',
		type: 'boolean',
		default: false,
		displayOptions: { show: { ...report, ...fromV11 } },
		description: 'Whether to add the report as one self-contained HTML page (inline CSS and SVG, nothing fetched): serve it from a webhook or attach it to an e-mail',
	},
	{
		displayName: 'Put Dashboard In',
		name: 'dashboardOutput',
		type: 'options',
		default: 'binary',
		options: [
			{ name: 'Binary Field', value: 'binary', description: 'An HTML file (text/html) in a binary field' },
			{ name: 'JSON Field', value: 'json', description: 'The HTML text in a JSON field, e.g. for Respond to Webhook with Text' },
		],
		displayOptions: { show: { ...report, dashboard: [true], ...fromV11 } },
	},
	{
		displayName: 'Dashboard Field',
		name: 'dashboardField',
		type: 'string',
		default: 'dashboard',
		displayOptions: { show: { ...report, dashboard: [true], ...fromV11 } },
		description: 'Name of the field the page goes into',
	},
	{
		displayName: 'Dashboard Options',
		name: 'dashboardOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { ...report, ...fromV11 } },
		options: [
			{
				displayName: 'Policy (JSON)',
				name: 'policyJson',
				type: 'json',
				default: '',
				description:
					"The policy the Ticket Router routes with (its JSON). Adds each vendor's caps and budget used this month, counted as the router counts them, and sets the default time zone to the policy's.",
			},
			{
				displayName: 'Title',
				name: 'title',
				type: 'string',
				default: 'Vendor dependency risk',
				description: 'Heading of the page and its browser tab',
			},
		],
	},
];

interface DashboardParams {
	policyJson?: string | IDataObject;
	title?: string;
}

/** The policy given for caps and budget, or null; a NodeOperationError naming the option when it is not valid. */
export function dashboardPolicy(ctx: IExecuteFunctions): CompiledPolicy | null {
	if (ctx.getNode().typeVersion < 1.1 || ctx.getNodeParameter('output', 0) !== 'report') return null;
	const params = ctx.getNodeParameter('dashboardOptions', 0, {}) as DashboardParams;
	const json = params.policyJson;
	if (json === undefined || json === '' || (typeof json === 'object' && Object.keys(json).length === 0)) return null;
	try {
		return loadPolicy(json);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), `Dashboard Options › Policy (JSON) is not a valid policy: ${(error as Error).message}`, { itemIndex: 0 });
	}
}

/** Which parts the parameters ask for: known before any read, so the reads can all start at once. */
export interface DashboardParts {
	chart: boolean;
	dashboard: boolean;
}

export function dashboardParts(ctx: IExecuteFunctions): DashboardParts {
	const v11 = ctx.getNode().typeVersion >= 1.1;
	return {
		chart: ctx.getNodeParameter('chart', 0, false) as boolean,
		dashboard: v11 && (ctx.getNodeParameter('dashboard', 0, false) as boolean),
	};
}

/** Adds the chart (PNG or SVG) and the HTML page the parameters ask for to the report item, from readDashboard's reads. */
export async function attachDashboard(
	ctx: IExecuteFunctions,
	item: INodeExecutionData,
	parts: DashboardParts,
	reads: DashboardReads,
	options: AssessOptions,
): Promise<void> {
	const { chart, dashboard } = parts;
	if ((!chart && !dashboard) || reads.series === null) return;
	const v11 = ctx.getNode().typeVersion >= 1.1;
	const input: DashboardInput = {
		title: '',
		report: reads.report,
		series: reads.series,
		timeZone: options.timeZone,
		scope: options.scope,
		days: options.days,
		generatedAt: options.now,
		quality: reads.report.quality,
		usage: reads.usage,
	};
	const binary: IBinaryKeyData = { ...item.binary };
	if (chart) {
		const format = v11 ? (ctx.getNodeParameter('chartFormat', 0, 'png') as string) : 'svg';
		const field = ctx.getNodeParameter('binaryPropertyName', 0, 'chart') as string;
		const scene = dashboardChart(input);
		binary[field] =
			format === 'png'
				? await ctx.helpers.prepareBinaryData(scenePng(scene), 'vendor-shares.png', 'image/png')
				: await ctx.helpers.prepareBinaryData(Buffer.from(sceneSvg(scene), 'utf8'), 'vendor-shares.svg', 'image/svg+xml');
	}
	if (dashboard) {
		const params = ctx.getNodeParameter('dashboardOptions', 0, {}) as DashboardParams;
		input.title = params.title?.trim() || 'Vendor dependency risk';
		const html = dashboardHtml(input);
		const field = ctx.getNodeParameter('dashboardField', 0, 'dashboard') as string;
		if (ctx.getNodeParameter('dashboardOutput', 0, 'binary') === 'json') item.json[field] = html;
		else binary[field] = await ctx.helpers.prepareBinaryData(Buffer.from(html, 'utf8'), 'vendor-risk.html', 'text/html');
	}
	if (Object.keys(binary).length) item.binary = binary;
}
