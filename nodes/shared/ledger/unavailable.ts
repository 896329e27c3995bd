import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { failedItem, isLedgerUnavailable, toNodeError } from '../node-error';

/**
 * The one behaviour of every ledger node when the ledger cannot be used (a file locked past Lock Wait, a corrupt
 * file, PostgreSQL down or past a timeout): the node fails with "Delegation ledger unavailable: …" before it does
 * anything it could not record. Under Continue On Fail (On Error → Continue) each item it could not handle goes out
 * instead, carrying that message in `error`, paired with its input item, on the node's error path: the error output
 * under On Error → Continue (using error output) (see failedItem).
 * Returns those items, or throws; any other error is thrown as the node error it is.
 */
export function ledgerUnavailableItems(
	ctx: IExecuteFunctions,
	caught: unknown,
	items: INodeExecutionData[],
	indexes: readonly number[],
	consequence: string,
): INodeExecutionData[] {
	const failure = toNodeError(ctx.getNode(), caught, undefined, consequence);
	if (!isLedgerUnavailable(caught) || !ctx.continueOnFail()) throw failure;
	return indexes.map((i) => failedItem(ctx, items[i].json, failure, i));
}

/** Sorts failed items back into input order, when failures of several kinds were collected separately. */
export const byInputItem = (a: INodeExecutionData, b: INodeExecutionData) =>
	(a.pairedItem as { item: number }).item - (b.pairedItem as { item: number }).item;
