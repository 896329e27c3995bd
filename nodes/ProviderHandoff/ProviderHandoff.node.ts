import type { IDataObject, IExecuteFunctions, INodeCredentialDescription, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import type { Ledger } from '../../ledger/ledger';
import type { HandoffJob, HandoffOutcome, ItemDelegation } from '../../vendor-boundary/handoff';
import { firstMismatch, handOff } from '../../vendor-boundary/handoff';
import { Redactor } from '../../domain/redaction/redact';
import { VendorTransport } from '../../vendor-boundary/transport';
import { ledgerCredentials, openLedger } from '../shared/ledger/open';
import { byInputItem, ledgerUnavailableItems } from '../shared/ledger/unavailable';
import { failedItem } from '../shared/node-error';
import { handoffProperties } from './properties';
import { readSettings, type NodeSettings } from './settings';
import { previewHandoff } from '../../vendor-boundary/preview';

/** The vendor's API, and the PostgreSQL ledger's credential when that ledger is chosen. */
const CREDENTIALS: INodeCredentialDescription[] = [{ name: 'supportProviderApi', required: true }, ...ledgerCredentials];

/**
 * Deliberately not `usableAsTool` (n8n's type has no `false`, so the property is left out): a hand-off sends customer
 * data out of the company and exists only as a ledger decision the router made. A tool call's arguments are whatever
 * the model writes; the node would refuse them anyway, and the tool picker should not offer it.
 */
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool
export class ProviderHandoff implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Provider Handoff',
		name: 'providerHandoff',
		icon: { light: 'file:providerHandoff.svg', dark: 'file:providerHandoff.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["vendors"] || "any vendor"}}',
		description: 'Hand the Ticket Router\'s recorded delegations to a vendor API exactly once, with PII redacted and failures routed back',
		defaults: { name: 'Provider Handoff' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Delivered', 'Failed', 'Pending'],
		credentials: CREDENTIALS,
		properties: handoffProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const delivered: INodeExecutionData[] = [];
		const failed: INodeExecutionData[] = [];
		const pending: INodeExecutionData[] = [];

		const jobs: HandoffJob[] = [];
		const jobItems: number[] = [];
		for (let i = 0; i < items.length; i++) {
			const read = readDelegation(items[i].json.delegation);
			if (typeof read !== 'string') {
				jobs.push({ ticket: items[i].json, delegation: read });
				jobItems.push(i);
				continue;
			}
			const error = new NodeOperationError(this.getNode(), `Item ${i} cannot be handed off: ${read}`, {
				itemIndex: i,
				description: 'Provider Handoff expects items from the Ticket Router\'s external outputs, which carry a delegation object.',
			});
			if (!this.continueOnFail()) throw error;
			failed.push(failedItem(this, items[i].json, error, i));
		}
		if (!jobs.length) return [delivered, failed, pending];

		if ((this.getNodeParameter('options', 0, {}) as IDataObject).previewOnly === true) {
			const settings = await readSettings(this);
			return [...previewItems(items, jobs, jobItems, settings, compileRedactor(this, settings), [delivered, failed]), pending];
		}

		// Without the ledger a hand-off can be neither checked nor recorded: nothing is sent (see ledgerUnavailableItems).
		let ledger: Ledger;
		try {
			ledger = await openLedger(this);
		} catch (error) {
			const unsent = ledgerUnavailableItems(this, error, items, jobItems, 'Nothing was sent to a vendor.');
			return [delivered, [...failed, ...unsent].sort(byInputItem), pending];
		}

		const settings = await readSettings(this);
		const redactor = compileRedactor(this, settings);
		if (!this.continueOnFail()) {
			// An edited or invented delegation stops the node before any ticket of the batch leaves.
			const found = await firstMismatch(jobs, ledger).catch(() => null);
			if (found) {
				const i = jobItems[found.index];
				throw new NodeOperationError(this.getNode(), `Item ${i} cannot be handed off: ${found.mismatch.message}`, {
					itemIndex: i,
					description: `Field "${found.mismatch.field}" disagrees with the ledger. Nothing was sent for any item.`,
				});
			}
		}
		const transport = new VendorTransport(settings.endpoint, settings.transport);
		let outcomes: HandoffOutcome[];
		try {
			outcomes = await handOff(jobs, { vendors: settings.vendors, notes: settings.notes, redactor, concurrency: settings.transport.concurrency }, transport, ledger);
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
			if (outcome.status === 'pending') {
				// The vendor may be working it: never back to the internal queue; the next run asks again with the same key.
				pending.push({ json, pairedItem: { item: i } });
				return;
			}
			// The designed path for a refused or undeliverable ticket: Failed, back to the internal queue.
			const error = outcome.field
				? new NodeOperationError(this.getNode(), `Item ${i} cannot be handed off: ${outcome.message}`, { itemIndex: i, description: `Field "${outcome.field}"` })
				: new NodeApiError(
						this.getNode(),
						{ message: outcome.vendorMessage ?? outcome.message, errorClass: outcome.errorClass },
						{ message: outcome.message, description: outcome.vendorMessage ?? undefined, httpCode: outcome.httpStatus === null ? undefined : String(outcome.httpStatus), itemIndex: i },
					);
			const httpCode = error instanceof NodeApiError ? error.httpCode : null;
			json.handoff = { ...(json.handoff as IDataObject), error: { message: error.message, description: error.description ?? null, httpCode } };
			failed.push({ json, pairedItem: { item: i } });
		});
		return [delivered, failed, pending];
	}
}

/** Validates the custom patterns and phone regions: one that cannot be used stops the node, naming it, before anything is sent. */
function compileRedactor(ctx: IExecuteFunctions, settings: NodeSettings): Redactor {
	try {
		return new Redactor(settings.redaction);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message);
	}
}

/** Preview Only: each ticket's would-be request on Delivered (or its refusal on Failed); nothing sent, the ledger untouched. */
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

/** The delegation an item carries, or what is wrong with its shape (whether the ledger holds it is checked later). */
function readDelegation(value: unknown): ItemDelegation | string {
	if (!value || typeof value !== 'object' || Array.isArray(value)) return 'it has no "delegation" object';
	const d = value as Record<string, unknown>;
	if (typeof d.vendor !== 'string' || !d.vendor) return '"delegation.vendor" is empty: the ticket was not delegated to an external vendor';
	if (typeof d.ticketId !== 'string' || !d.ticketId) return '"delegation.ticketId" is missing';
	if (typeof d.policyScope !== 'string') return '"delegation.policyScope" is missing';
	if (typeof d.decisionId !== 'string' || !d.decisionId) return '"delegation.decisionId" is missing: only decisions the Ticket Router recorded can be handed off';
	return {
		decisionId: d.decisionId,
		ticketId: d.ticketId,
		vendor: d.vendor,
		policyScope: d.policyScope,
		policyVersion: d.policyVersion,
		vendorTerms: d.vendorTerms,
		customerRegion: typeof d.customerRegion === 'string' ? d.customerRegion : null,
		ledger: d.ledger,
	};
}
