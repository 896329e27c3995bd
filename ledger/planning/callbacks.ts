import type { CallbackAnswer, CallbackPlanner, CallbackReceipt, CallbackResult, CallbackTarget, DelegationRecord } from '../model';
import type { OutcomeEntry } from './outcomes';

/** A receipt as stored: what was recorded and what the vendor was answered. */
export interface ReceiptRow extends CallbackReceipt {
	scope: string;
	decisionId: string;
	answer: CallbackAnswer;
}

/** A receipt of the same vendor found for a callback: by its signed bytes or by its callback id. */
export interface ReceiptMatch {
	answer: CallbackAnswer;
	receiptHash: string;
	/** Null on receipts written before schema version 12 (SQLite) / 11 (PostgreSQL). */
	reportHash: string | null;
}

/** The steps of recording a callback, each a statement or two of one backend, all inside one transaction. */
export interface CallbackSteps {
	/** A receipt of this vendor with the same signed bytes (preferred) or the same callback id, or null. */
	findReceipt(receipt: CallbackReceipt): Promise<ReceiptMatch | null> | ReceiptMatch | null;
	/** The ticket's current decision in the scope, and whether Provider Handoff began sending it. */
	current(ticketId: string): Promise<CallbackTarget | null> | CallbackTarget | null;
	/** Applies one outcome as recordOutcomes does (rollups included); the decision after it. */
	apply(entry: OutcomeEntry): Promise<DelegationRecord> | DelegationRecord;
	saveReceipt(row: ReceiptRow): Promise<void> | void;
}

/** The one algorithm every backend runs for recordCallback; each backend supplies the steps and the transaction. */
export async function recordCallbackWith(
	steps: CallbackSteps,
	scope: string,
	receipt: CallbackReceipt,
	plan: CallbackPlanner,
): Promise<CallbackResult> {
	const seen = await steps.findReceipt(receipt);
	if (seen) {
		// Found by its id alone, reporting something else: another event under a reused id, not a retry of the first.
		const reused = seen.receiptHash !== receipt.receiptHash && seen.reportHash !== null && seen.reportHash !== receipt.reportHash;
		return reused ? { kind: 'idReused' } : { kind: 'replayed', answer: seen.answer };
	}
	const decided = plan(await steps.current(receipt.ticketId));
	if ('refusal' in decided) return { kind: 'refused', answer: decided.refusal };
	const record = await steps.apply({ ticketId: receipt.ticketId, update: decided.update });
	const answer = decided.answer(record);
	await steps.saveReceipt({ ...receipt, scope, decisionId: record.id, answer });
	return { kind: 'recorded', record, answer };
}
