import type { Ledger } from '../ledger/ledger';
import { OutcomeRejectedError, recordOutcomesByScope, type ScopedOutcome } from '../ledger/outcome-writer';
import type { DelegationStatus } from '../ledger/model';
import type { Delegation } from '../domain/routing/delegation';
import type { Refusal } from '../domain/handoff/gate';
import { checkTerms } from '../domain/handoff/gate';
import type { InternalNoteRules } from '../domain/handoff/payload';
import { vendorBody } from '../domain/handoff/body';
import { mapWithConcurrency } from './pool';
import type { Redactor, RedactionCounts } from '../domain/redaction/redact';
import { idempotencyKey } from './signing';
import type { DeliveryErrorClass, DeliveryResult } from './transport';

/** One ticket to hand off: the item's JSON and the router's delegation on it. */
export interface HandoffJob {
	ticket: Record<string, unknown>;
	delegation: Delegation;
}

export interface HandoffSettings {
	/** Vendors this endpoint serves; empty serves any. */
	vendors: readonly string[];
	notes: InternalNoteRules;
	redactor: Redactor;
	concurrency: number;
	now?: () => number;
}

/** Where the sending happens; the node passes a VendorTransport, tests may pass anything with this shape. */
export interface Sender {
	deliver(vendor: string, body: string, key: string): Promise<DeliveryResult>;
}

/** The ledger as the node could open it: null with the reason when it is down. */
export type LedgerAccess = { ledger: Ledger; error: null } | { ledger: null; error: string };

type OutcomeWrite = { status: 'handed_off'; providerReference: string; handedOffAt: number } | { status: 'handoff_failed'; errorClass: string };

/** recorded: outcome written; not_found: the ledger has no decision for this ticket; unavailable: could not read or write. */
export type LedgerWrite = 'recorded' | 'not_found' | 'unavailable' | 'not_written';

export type HandoffErrorClass = DeliveryErrorClass | Refusal | 'refused_vendor' | 'refused_dry_run';

interface Common {
	vendor: string;
	idempotencyKey: string;
	/** Counts per kind of what was replaced before sending; null when nothing was built. */
	redactions: RedactionCounts | null;
	attempts: number;
	httpStatus: number | null;
	ledger: LedgerWrite;
	ledgerError?: string;
}

export type HandoffOutcome =
	| (Common & {
			status: 'delivered';
			/** vendor: sent now; ledger: already handed off earlier, not sent again. */
			source: 'vendor' | 'ledger';
			providerReference: string;
			handedOffAt: string;
	  })
	| (Common & {
			status: 'failed';
			errorClass: HandoffErrorClass;
			message: string;
			vendorMessage: string | null;
	  });

/** A decision in one of these has reached the vendor: sending again would only ask it to deduplicate. */
const HANDED_OFF: readonly DelegationStatus[] = ['handed_off', 'accepted', 'resolved'];

/**
 * Hands a batch of tickets to one vendor endpoint with bounded concurrency. Every job ends delivered or
 * failed, never thrown away; the ledger gets handed_off or handoff_failed for each ticket it knows.
 */
export async function handOff(jobs: readonly HandoffJob[], settings: HandoffSettings, sender: Sender, access: LedgerAccess): Promise<HandoffOutcome[]> {
	const now = settings.now ?? Date.now;
	const served = new Set(settings.vendors.map((v) => v.toLowerCase()));
	// The same ticket twice in one batch (a duplicated item) goes out once; both items get that answer.
	const sends = new Map<string, Promise<DeliveryResult>>();
	const done = await mapWithConcurrency(jobs, settings.concurrency, async ({ ticket, delegation }): Promise<Done> => {
		const vendor = delegation.vendor ?? '';
		const key = idempotencyKey(delegation.policyScope, delegation.ticketId, vendor);
		const base: Common = { vendor, idempotencyKey: key, redactions: null, attempts: 0, httpStatus: null, ledger: 'not_written' };

		if (served.size > 0 && !served.has(vendor.toLowerCase())) {
			// A wiring mistake, not an outcome of the hand-off: the ledger is left alone.
			const message = `This node serves ${[...served].join(', ')}, not vendor "${vendor}": connect the router's output for "${vendor}" to that vendor's Provider Handoff node`;
			return { outcome: refused(base, 'refused_vendor', message), write: null };
		}
		if (delegation.ledger === 'dry-run') {
			// A dry run promises no side effects, and its decision is in no ledger: nothing leaves, nothing is written.
			const message = `Ticket "${delegation.ticketId}" was routed in a dry run: it is not handed to vendor "${vendor}". Turn off Dry Run on the Ticket Router to deliver it`;
			return { outcome: refused(base, 'refused_dry_run', message), write: null };
		}
		const verdict = checkTerms(delegation);
		if (verdict) {
			return { outcome: refused(base, verdict.refusal, verdict.message), write: { status: 'handoff_failed', errorClass: verdict.refusal } };
		}

		const earlier = await handedOffEarlier(access, delegation, vendor);
		if (earlier.reference !== null) {
			const outcome: HandoffOutcome = { ...base, status: 'delivered', source: 'ledger', providerReference: earlier.reference, handedOffAt: earlier.at, ledger: 'recorded' };
			return { outcome, write: null };
		}

		const { body, redactions: counts } = vendorBody(ticket, delegation, delegation.vendorTerms!.allowedFields, settings.notes, settings.redactor);
		let sending = sends.get(key);
		if (!sending) {
			sending = sender.deliver(vendor, body, key);
			sends.set(key, sending);
		}
		const result = await sending;
		const common = { ...base, redactions: counts, attempts: result.attempts, httpStatus: result.httpStatus, ...(earlier.error ? { ledger: 'unavailable' as const, ledgerError: earlier.error } : {}) };
		if (result.ok) {
			const at = now();
			return {
				outcome: { ...common, status: 'delivered', source: 'vendor', providerReference: result.providerReference, handedOffAt: new Date(at).toISOString() },
				write: { status: 'handed_off', providerReference: result.providerReference, handedOffAt: at },
			};
		}
		return {
			outcome: { ...common, status: 'failed', errorClass: result.errorClass, message: result.message, vendorMessage: result.vendorMessage },
			write: { status: 'handoff_failed', errorClass: result.errorClass },
		};
	});
	// Outcomes are written after the batch: a crash before this point leaves tickets `routed`, and a re-run
	// sends them again under the same Idempotency-Key, which the vendor answers with the first reference.
	const written = await recordOutcomes(
		access,
		done.map((d, i) => (d.write ? { ticketId: jobs[i].delegation.ticketId, scope: jobs[i].delegation.policyScope, update: d.write } : null)),
	);
	return done.map((d, i) => (written[i] ? withLedger(d.outcome, written[i]!) : d.outcome));
}

interface Done {
	outcome: HandoffOutcome;
	write: OutcomeWrite | null;
}

type Written = { ledger: LedgerWrite; error?: string };

async function recordOutcomes(access: LedgerAccess, writes: Array<ScopedOutcome | null>): Promise<Array<Written | null>> {
	const { ledger } = access;
	if (!ledger) return writes.map((w) => (w ? { ledger: 'unavailable', error: access.error! } : null));
	const written = await recordOutcomesByScope(ledger, writes);
	return written.map((w) => {
		if (!w) return null;
		if (w.error) return { ledger: w.error instanceof OutcomeRejectedError ? 'not_written' : 'unavailable', error: w.error.message };
		return { ledger: w.record ? 'recorded' : 'not_found' };
	});
}

function refused(base: Common, errorClass: HandoffErrorClass, message: string): HandoffOutcome {
	return { ...base, status: 'failed', errorClass, message, vendorMessage: null };
}

function withLedger<T extends HandoffOutcome>(outcome: T, write: { ledger: LedgerWrite; error?: string }): T {
	if (outcome.ledger === 'unavailable') return outcome;
	return { ...outcome, ledger: write.ledger, ...(write.error ? { ledgerError: write.error } : {}) };
}

async function handedOffEarlier(access: LedgerAccess, delegation: Delegation, vendor: string): Promise<{ reference: string | null; at: string; error?: string }> {
	if (!access.ledger) return { reference: null, at: '', error: access.error };
	try {
		const decisions = await access.ledger.decisionsOf(delegation.policyScope, delegation.ticketId);
		for (let i = decisions.length - 1; i >= 0; i--) {
			const d = decisions[i];
			if (d.vendor !== vendor) continue;
			if (HANDED_OFF.includes(d.status) && d.providerReference) {
				return { reference: d.providerReference, at: new Date(d.handedOffAt ?? d.decidedAt).toISOString() };
			}
			break;
		}
		return { reference: null, at: '' };
	} catch (error) {
		// The Idempotency-Key still protects the vendor from a duplicate; say the ledger could not be read.
		return { reference: null, at: '', error: (error as Error).message };
	}
}
