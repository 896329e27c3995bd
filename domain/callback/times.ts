import { isoInstant } from '../time/civil';
import type { CallbackReport } from './judge';
import { refusal, type CallbackRefusal } from './refusal';

/** When the vendor signed the callback (epoch ms), and how far its clock and ours may differ (the signature window). */
export interface CallbackClock {
	signedAt: number;
	slackMs: number;
}

const REPORTED_TIMES = ['at', 'firstResponseAt', 'resolvedAt'] as const;

/**
 * The first reported time that cannot be true, as a refusal naming its field: before the ticket was delegated or after
 * the vendor signed the report (each give or take the clocks' slack), or a first response after the resolution sent
 * with it. Such a date would sit in the ledger as if it were the vendor's word on a real event.
 */
export function reportedTimeProblem(report: CallbackReport, decidedAt: number, clock: CallbackClock): CallbackRefusal | null {
	for (const field of REPORTED_TIMES) {
		const at = report[field];
		if (at === undefined) continue;
		if (at < decidedAt - clock.slackMs) {
			return refusal(422, `${field} ${isoInstant(at)} is before the ticket was delegated to you (${isoInstant(decidedAt)})`, field);
		}
		if (at > clock.signedAt + clock.slackMs) {
			return refusal(422, `${field} ${isoInstant(at)} is after this callback was signed (${isoInstant(clock.signedAt)}): report times that have passed`, field);
		}
	}
	const { firstResponseAt, resolvedAt } = report;
	if (firstResponseAt !== undefined && resolvedAt !== undefined && firstResponseAt > resolvedAt) {
		return refusal(422, `firstResponseAt ${isoInstant(firstResponseAt)} is after resolvedAt ${isoInstant(resolvedAt)}`, 'firstResponseAt');
	}
	return null;
}
