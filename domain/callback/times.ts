import { isoInstant } from '../time/civil';
import type { DelegationRecord } from '../../ledger/model';
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
 * the vendor signed the report (each give or take the clocks' slack), or a first response after the resolution, as the
 * decision will hold them once this report is recorded (one sent now, one recorded by an earlier callback, or the
 * resolution's `at`). Such a date would sit in the ledger as if it were the vendor's word on a real event.
 */
export function reportedTimeProblem(report: CallbackReport, current: DelegationRecord, clock: CallbackClock): CallbackRefusal | null {
	const { decidedAt } = current;
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
	const firstResponseAt = report.firstResponseAt ?? current.firstResponseAt;
	// The ledger stamps a resolution sent without resolvedAt with its `at` (see applyOutcome).
	const stampedAt = report.status === 'resolved' && current.resolvedAt === null ? report.at : undefined;
	const resolvedAt = report.resolvedAt ?? stampedAt ?? current.resolvedAt;
	if (firstResponseAt !== null && resolvedAt !== null && resolvedAt !== undefined && firstResponseAt > resolvedAt) {
		const field = report.firstResponseAt !== undefined ? 'firstResponseAt' : report.resolvedAt !== undefined ? 'resolvedAt' : 'at';
		return refusal(422, `firstResponseAt ${isoInstant(firstResponseAt)} is after resolvedAt ${isoInstant(resolvedAt)}${field === 'at' ? ' (the resolution\'s at)' : ''}`, field);
	}
	return null;
}
