import type { INode } from 'n8n-workflow';
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
