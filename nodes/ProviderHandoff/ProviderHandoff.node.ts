import type { IDataObject, IExecuteFunctions, INodeCredentialDescription, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import type { Ledger } from '../../ledger/ledger';
import type { HandoffJob, HandoffOutcome } from '../../vendor-boundary/handoff';
import { handOff } from '../../vendor-boundary/handoff';
import { Redactor } from '../../domain/redaction/redact';
import { VendorTransport } from '../../vendor-boundary/transport';
import type { Delegation } from '../../domain/routing/delegation';
import { ledgerCredentials, openLedger } from '../shared/ledger/open';
import { byInputItem, ledgerUnavailableItems } from '../shared/ledger/unavailable';
import { handoffProperties } from './properties';
import { readSettings, type NodeSettings } from './settings';
import { previewHandoff } from '../../vendor-boundary/preview';

/** The vendor's API, and the PostgreSQL ledger's credential when that ledger is chosen. */
const CREDENTIALS: INodeCredentialDescription[] = [{ name: 'supportProviderApi', required: true }, ...ledgerCredentials];

export class ProviderHandoff implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Provider Handoff',
		name: 'providerHandoff',
		icon: { light: 'file:providerHandoff.svg', dark: 'file:providerHandoff.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["vendors"] || "any vendor"}}',
		description: 'Hand delegated tickets to a vendor API exactly once, with PII redacted and failures routed back',
		defaults: { name: 'Provider Handoff' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Delivered', 'Failed'],
		credentials: CREDENTIALS,
		properties: handoffProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const delivered: INodeExecutionData[] = [];
		const failed: INodeExecutionData[] = [];

		const jobs: HandoffJob[] = [];
		const jobItems: number[] = [];
		for (let i = 0; i < items.length; i++) {
			const problem = invalidDelegation(items[i].json.delegation);
			if (!problem) {
				jobs.push({ ticket: items[i].json, delegation: items[i].json.delegation as unknown as Delegation });
				jobItems.push(i);
				continue;
			}
			const error = new NodeOperationError(this.getNode(), `Item ${i} cannot be handed off: ${problem}`, {
				itemIndex: i,
				description: 'Provider Handoff expects items from the Ticket Router\'s external outputs, which carry a delegation object.',
			});
			if (!this.continueOnFail()) throw error;
			failed.push({ json: { ...items[i].json, error: error.message }, pairedItem: { item: i } });
		}
		if (!jobs.length) return [delivered, failed];

		if ((this.getNodeParameter('options', 0, {}) as IDataObject).previewOnly === true) {
			const settings = await readSettings(this);
			return previewItems(items, jobs, jobItems, settings, compileRedactor(this, settings), [delivered, failed]);
		}

		// Without the ledger a hand-off can be neither checked nor recorded: nothing is sent (see ledgerUnavailableItems).
		let ledger: Ledger;
		try {
			ledger = await openLedger(this);
		} catch (error) {
			const unsent = ledgerUnavailableItems(this, error, items, jobItems, 'Nothing was sent to a vendor.');
			return [delivered, [...failed, ...unsent].sort(byInputItem)];
		}

		const settings = await readSettings(this);
		const redactor = compileRedactor(this, settings);
		const transport = new VendorTransport(settings.endpoint, settings.transport);
		let outcomes: HandoffOutcome[];
		try {
			outcomes = await handOff(jobs, { vendors: settings.vendors, notes: settings.notes, redactor, concurrency: settings.transport.concurrency }, transport, { ledger, error: null });
		} finally {
			transport.close();
		}

		outcomes.forEach((outcome, j) => {
			const i = jobItems[j];
			const json: IDataObject = { ...items[i].json, handoff: outcome as unknown as IDataObject };
			if (outcome.status === 'delivered') {
				delivered.push({ json, pairedItem: { item: i } });
				return;
			}
			// The designed path for a refused or undeliverable ticket: Failed, back to the internal queue.
			const error = new NodeApiError(
				this.getNode(),
				{ message: outcome.vendorMessage ?? outcome.message, errorClass: outcome.errorClass },
				{ message: outcome.message, description: outcome.vendorMessage ?? undefined, httpCode: outcome.httpStatus === null ? undefined : String(outcome.httpStatus), itemIndex: i },
			);
			json.handoff = { ...json.handoff as IDataObject, error: { message: error.message, description: error.description ?? null, httpCode: error.httpCode } };
			failed.push({ json, pairedItem: { item: i } });
		});
		return [delivered, failed];
	}
}

/** Validates the custom patterns: one RE2 refuses stops the node, naming it, before anything is sent. */
function compileRedactor(ctx: IExecuteFunctions, settings: NodeSettings): Redactor {
	try {
		return new Redactor(settings.redaction);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message);
	}
}

/** Preview Only: each ticket's would-be request on Delivered (or its refusal on Failed); nothing sent or written. */
function previewItems(
	items: INodeExecutionData[],
	jobs: HandoffJob[],
	jobItems: number[],
	settings: NodeSettings,
	redactor: Redactor,
	[delivered, failed]: INodeExecutionData[][],
): INodeExecutionData[][] {
	const transport = new VendorTransport(settings.endpoint, settings.transport);
	try {
		previewHandoff(jobs, { vendors: settings.vendors, notes: settings.notes, redactor }, settings.endpoint, (v) => transport.pathFor(v)).forEach((preview, j) => {
			const i = jobItems[j];
			const json: IDataObject = { ...items[i].json, handoff: preview as unknown as IDataObject };
			(preview.status === 'preview' ? delivered : failed).push({ json, pairedItem: { item: i } });
		});
	} finally {
		transport.close();
	}
	return [delivered, failed.sort(byInputItem)];
}

function invalidDelegation(value: unknown): string | null {
	if (!value || typeof value !== 'object') return 'it has no "delegation" object';
	const d = value as Record<string, unknown>;
	if (typeof d.vendor !== 'string' || !d.vendor) return '"delegation.vendor" is empty: the ticket was not delegated to an external vendor';
	if (typeof d.ticketId !== 'string' || !d.ticketId) return '"delegation.ticketId" is missing';
	if (typeof d.policyScope !== 'string') return '"delegation.policyScope" is missing';
	return null;
}
