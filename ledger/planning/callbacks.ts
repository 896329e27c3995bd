import type { CallbackAnswer, CallbackPlan, CallbackReceipt, CallbackResult, DelegationRecord } from '../model';
import type { OutcomeEntry } from './outcomes';

/** A receipt as stored: what was recorded and what the vendor was answered. */
export interface ReceiptRow extends CallbackReceipt {
	scope: string;
	decisionId: string;
	answer: CallbackAnswer;
}

/** The steps of recording a callback, each a statement or two of one backend, all inside one transaction. */
export interface CallbackSteps {
	/** The answer kept with a receipt of this vendor with the same hash or callback id, or null. */
	findReceipt(receipt: CallbackReceipt): Promise<CallbackAnswer | null> | CallbackAnswer | null;
	/** The ticket's current decision in the scope. */
	current(ticketId: string): Promise<DelegationRecord | null> | DelegationRecord | null;
	/** Applies one outcome as recordOutcomes does (rollups included); the decision after it. */
	apply(entry: OutcomeEntry): Promise<DelegationRecord> | DelegationRecord;
	saveReceipt(row: ReceiptRow): Promise<void> | void;
}

/** The one algorithm every backend runs for recordCallback; each backend supplies the steps and the transaction. */
export async function recordCallbackWith(
	steps: CallbackSteps,
	scope: string,
	receipt: CallbackReceipt,
	plan: (current: DelegationRecord | null) => CallbackPlan,
): Promise<CallbackResult> {
	const seen = await steps.findReceipt(receipt);
	if (seen) return { kind: 'replayed', answer: seen };
	const decided = plan(await steps.current(receipt.ticketId));
	if ('refusal' in decided) return { kind: 'refused', answer: decided.refusal };
	const record = await steps.apply({ ticketId: receipt.ticketId, update: decided.update });
	const answer = decided.answer(record);
	await steps.saveReceipt({ ...receipt, scope, decisionId: record.id, answer });
	return { kind: 'recorded', record, answer };
}
