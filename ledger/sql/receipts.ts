import type { ReceiptMatch } from '../planning/callbacks';

/** A `callback_receipts` row as both SQL backends read it to recognise a callback. */
export interface ReceiptRowRead {
	answer_status: number;
	answer: string;
	receipt_hash: string;
	report_hash: string | null;
}

export function receiptMatch(row: ReceiptRowRead): ReceiptMatch {
	return {
		answer: { status: Number(row.answer_status), body: JSON.parse(row.answer) },
		receiptHash: row.receipt_hash,
		reportHash: row.report_hash,
	};
}
