import { randomUUID } from 'node:crypto';

import type { DelegationRecord, NewDelegation, RecordedTerms } from '../../ledger/model';
import type { CompiledPolicy } from '../policy/compile';
import type { Destination } from '../policy/schema';
import type { Ticket } from '../ticket/ticket';
import type { Choice } from './choose';
import type { Delegation, DelegationReason } from './delegation';
import { explainEarlier, type BatchExplanations } from './explain';
import type { LedgerLabels } from './labels';

/** What every delegation of one batch shares. */
export interface BatchContext {
	policy: CompiledPolicy;
	/** ISO 8601 of the batch's clock. */
	decidedAt: string;
	ledger: Delegation['ledger'];
	newId: () => string;
	explanations: BatchExplanations;
}

/** The Delegation an item carries for a fresh choice; `previous` is the open decision it replaces (re-route). */
export function delegationOf(choice: Choice, ticket: Ticket, previous: DelegationRecord | undefined, batch: BatchContext): Delegation {
	const { destination } = choice;
	const external = destination.kind === 'external';
	return {
		decisionId: batch.newId(),
		ticketId: ticket.id,
		destination: destination.id,
		destinationName: destination.name || destination.id,
		kind: destination.kind,
		vendor: external ? destination.id : null,
		contract: external ? (destination.contract ?? null) : null,
		reason: choice.reason,
		ruleId: choice.rule?.id ?? null,
		ruleName: choice.rule?.name ?? null,
		matched: choice.matched,
		guardrail: choice.guardrail,
		policyVersion: batch.policy.version,
		policyScope: batch.policy.scope,
		decidedAt: batch.decidedAt,
		costEstimate: destination.costPerTicket,
		previousDecisionId: previous?.id ?? null,
		ledger: batch.ledger,
		customerRegion: ticket.region,
		vendorTerms: external ? termsOf(destination) : null,
		overflow: choice.overflow,
		explanation: '',
	};
}

/** The Delegation an item carries for a fresh choice, with its explanation. */
export function explainedDelegation(choice: Choice, ticket: Ticket, previous: DelegationRecord | undefined, batch: BatchContext): Delegation {
	const d = delegationOf(choice, ticket, previous, batch);
	d.explanation = batch.explanations.of(d, choice.rule?.label ?? null);
	return d;
}

/**
 * The ledger row of a decision: the delegation's metadata plus the ticket's labels as ledgerLabels bounds them
 * (the policy's vocabulary or `other`), never its text.
 */
export function rowOf(
	d: Delegation,
	ticket: Ticket,
	decidedAt: number,
	origin: { workflowId: string | null; executionId: string | null },
	labels: LedgerLabels,
	terms: BatchTerms,
): NewDelegation {
	return {
		id: d.decisionId,
		scope: d.policyScope,
		ticketId: d.ticketId,
		decidedAt,
		destination: d.destination,
		kind: d.kind,
		vendor: d.vendor,
		contract: d.contract,
		reason: d.reason,
		ruleId: d.ruleId,
		guardrail: d.guardrail?.name ?? null,
		policyVersion: d.policyVersion,
		channel: labels.channel(ticket.channel),
		language: labels.language(ticket.language),
		topic: labels.topic(ticket.category),
		priority: labels.priority(ticket.priority),
		costEstimate: d.costEstimate,
		workflowId: origin.workflowId,
		executionId: origin.executionId,
		previousId: d.previousDecisionId,
		matched: terms.stored(d.matched),
	};
}

/** The matched terms column holds at most this many characters: terms are dropped from the end to fit. */
export const MATCHED_MAX_CHARS = 1000;

/** Matched terms as the ledger stores them: a JSON array, bounded; null when there are none. */
export function storedTerms(terms: string[]): string | null {
	if (terms.length === 0) return null;
	let kept = terms;
	let text = JSON.stringify(kept);
	while (text.length > MATCHED_MAX_CHARS) {
		kept = kept.slice(0, -1);
		const more = `+${terms.length - kept.length} more`;
		text = JSON.stringify([...kept.map((t) => (t.length > MATCHED_MAX_CHARS / 2 ? `${t.slice(0, MATCHED_MAX_CHARS / 2)}…` : t)), more]);
		if (kept.length === 0) break;
	}
	return text;
}

/** A text as one part of a key: prefixed by its length, so no two lists of parts join into the same key. */
const part = (text: string) => `${text.length}:${text}`;

/**
 * Matched terms as one batch stores them, each text made once: a batch's decisions match on the same few terms
 * (one schedule's, one keyword's), and a JSON text of its own per row was ~60 bytes each that a 100,000-row batch
 * held until the ledger wrote it. Past SHARED_TERMS distinct lists the rest are made per row.
 */
export class BatchTerms {
	private readonly one = new Map<string, string | null>();
	private readonly several = new Map<string, string | null>();

	stored(terms: string[]): string | null {
		if (terms.length === 0) return null;
		// One term (the usual case) is its own key; lists go by their terms each prefixed by its length, in a map of their own.
		const one = terms.length === 1;
		const texts = one ? this.one : this.several;
		const key = one ? terms[0] : terms.map(part).join('');
		const known = texts.get(key);
		if (known !== undefined) return known;
		const text = storedTerms(terms);
		if (texts.size < SHARED_TERMS) texts.set(key, text);
		return text;
	}
}

/** How many distinct term lists a batch shares at most. */
export const SHARED_TERMS = 4096;

/** The stored matched terms back as a list; anything unreadable (a hand-edited row) reads as none. */
export function readTerms(stored: string | null): string[] {
	if (!stored) return [];
	try {
		const parsed: unknown = JSON.parse(stored);
		return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === 'string') : [];
	} catch {
		return [];
	}
}

/** An open decision already stands for this ticket: report it as recorded, under the policy that made it. */
export function fromRecord(record: DelegationRecord, ticket: Ticket, policy: CompiledPolicy): Delegation {
	const index = policy.destinationIndex.get(record.destination);
	const destination = index === undefined ? undefined : policy.destinations[index];
	const rule = policy.rules.find((r) => r.id === record.ruleId);
	const external = record.kind === 'external';
	const d: Delegation = {
		decisionId: record.id,
		ticketId: record.ticketId,
		destination: record.destination,
		destinationName: destination?.name || record.destination,
		kind: record.kind,
		vendor: record.vendor,
		contract: record.contract,
		reason: record.reason as DelegationReason,
		ruleId: record.ruleId,
		ruleName: rule?.name ?? record.ruleId,
		matched: readTerms(record.matched),
		guardrail: null,
		policyVersion: record.policyVersion,
		policyScope: record.scope,
		decidedAt: new Date(record.decidedAt).toISOString(),
		costEstimate: record.costEstimate,
		previousDecisionId: record.previousId,
		ledger: 'existing',
		customerRegion: ticket.region,
		// The current policy's terms are that decision's only if it was made under the current version; otherwise they
		// are the ones recorded with it in the ledger, which Provider Handoff reads itself.
		vendorTerms: external && destination && record.policyVersion === policy.version ? termsOf(destination) : null,
		overflow: null,
		explanation: '',
	};
	d.explanation = explainEarlier(d, policy.version) + (record.guardrail ? ` The guardrail ${record.guardrail} diverted it.` : '');
	return d;
}

function termsOf(destination: Destination): NonNullable<Delegation['vendorTerms']> {
	return { dpa: destination.dpa, dataRegions: destination.dataRegions, allowedFields: destination.allowedFields };
}

/**
 * The terms of the vendors a batch's rows delegate to, recorded with the batch: Provider Handoff enforces these, read
 * back by the decision's policy version, never the copy an item carries. One entry per vendor, not per row.
 */
export function recordedTerms(policy: CompiledPolicy, vendors: ReadonlySet<string>): RecordedTerms[] {
	const out: RecordedTerms[] = [];
	for (const vendor of vendors) {
		const index = policy.destinationIndex.get(vendor);
		const destination = index === undefined ? undefined : policy.destinations[index];
		if (destination?.kind === 'external') out.push({ policyVersion: policy.version, vendor, ...termsOf(destination) });
	}
	return out;
}

/**
 * Decision ids for one batch: a random UUID v4 whose last 12 hex digits count up. Unique across batches
 * (the 74 random bits left are fresh per batch) at the cost of one UUID per batch instead of per ticket.
 */
export function batchIds(): () => string {
	// The count kept as the id's own last 12 hex characters, counted up in place: each id is then one flat 36-character
	// string (56 bytes) and nothing else, where a count formatted and joined per id left ~200 bytes of garbage behind.
	const id = Buffer.from(`${randomUUID().slice(0, 24)}000000000000`, 'latin1');
	let first = true;
	return () => {
		if (!first) countUp(id);
		first = false;
		return id.toString('latin1');
	};
}

const ZERO = 0x30;
const NINE = 0x39;
const A = 0x61;
const F = 0x66;

/** Adds one to the lower-case hex number the id ends with (its last 12 characters: a batch never reaches 16^12). */
function countUp(id: Buffer) {
	for (let i = id.length - 1; ; i--) {
		const digit = id[i];
		if (digit === NINE) {
			id[i] = A;
			return;
		}
		if (digit !== F) {
			id[i] = digit + 1;
			return;
		}
		id[i] = ZERO;
	}
}
