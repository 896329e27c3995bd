import type { DelegationRecord, NewDelegation, OutcomeUpdate } from '../model';

/** A freshly routed decision: lifecycle fields empty, status `routed`. */
export function emptyRecord(row: NewDelegation): DelegationRecord {
	return {
		...row,
		status: 'routed',
		handedOffAt: null,
		providerReference: null,
		firstResponseAt: null,
		resolvedAt: null,
		slaMet: null,
		csat: null,
		reopened: null,
		errorClass: null,
	};
}

/** Applies an outcome in place; fields the update leaves out keep what they had. */
export function applyOutcome(record: DelegationRecord, update: OutcomeUpdate): DelegationRecord {
	record.status = update.status;
	if (update.handedOffAt !== undefined) record.handedOffAt = update.handedOffAt;
	else if (update.status === 'handed_off' && record.handedOffAt === null) record.handedOffAt = update.at ?? Date.now();
	if (update.providerReference !== undefined) record.providerReference = update.providerReference;
	if (update.firstResponseAt !== undefined) record.firstResponseAt = update.firstResponseAt;
	if (update.resolvedAt !== undefined) record.resolvedAt = update.resolvedAt;
	else if (update.status === 'resolved' && record.resolvedAt === null) record.resolvedAt = update.at ?? Date.now();
	if (update.slaMet !== undefined) record.slaMet = update.slaMet;
	if (update.csat !== undefined) record.csat = update.csat;
	if (update.reopened !== undefined) record.reopened = update.reopened;
	if (update.errorClass !== undefined) record.errorClass = update.errorClass;
	return record;
}
