import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { LedgerUnavailableError } from '../../ledger/errors';

/** By class or by name: a ledger error that crossed a copy of this package still counts. */
export function isLedgerUnavailable(error: unknown): error is LedgerUnavailableError {
	return error instanceof LedgerUnavailableError || (error instanceof Error && error.name === 'LedgerUnavailableError');
}

/**
 * Any failure as the NodeOperationError n8n shows: kept as is when it already is one. A ledger that cannot be used
 * reads the same in every node: "Delegation ledger unavailable: …" naming the file or host:port, and what the node
 * did not do (`consequence`, e.g. "Nothing was routed.").
 */
export function toNodeError(node: INode, caught: unknown, itemIndex?: number, consequence?: string): NodeOperationError {
	if (caught instanceof NodeOperationError) return caught;
	if (isLedgerUnavailable(caught)) {
		return new NodeOperationError(node, `Delegation ledger unavailable: ${caught.message}`, {
			itemIndex,
			description: [`Ledger: ${caught.location}.`, consequence].filter(Boolean).join(' '),
		});
	}
	return new NodeOperationError(node, caught as Error, { itemIndex });
}

/**
 * An item that failed alone under Continue On Fail, paired with its input item, as n8n-core
 * (WorkflowExecute.handleNodeErrorOutput and normalizeNodeErrors, n8n 2.41) treats it:
 * - On Error → Continue (using error output): the item must be recognisable as an error, and n8n recognises an item
 *   carrying `item.error` or one whose json holds only `error` (and `message`, `details`). Its json is only `error`
 *   here: n8n moves it to the error output and puts its input item's JSON back under it, so the error output carries
 *   the ticket and `error`. Not `item.error`: n8n replaces the json of any item carrying one by `{ error }` alone, and
 *   the ticket would be lost.
 * - On Error → Continue: the item stays on the output the node puts it on (the router's Internal output: the team
 *   handles it), with its own JSON and `error`, for the same reason without `item.error`.
 */
export function failedItem(ctx: IExecuteFunctions, json: IDataObject, failure: Error, itemIndex: number): INodeExecutionData {
	const pairedItem = { item: itemIndex };
	if (ctx.getNode().onError === 'continueErrorOutput') return { json: { error: failure.message }, pairedItem };
	return { json: { ...json, error: failure.message }, pairedItem };
}
