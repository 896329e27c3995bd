import type { ContractKind, DestinationKind } from '../../ledger/model';

/** Why a ticket went where it went: the kind of rule that decided it. */
export type DelegationReason =
	| 'keepInternal'
	| 'specialist'
	| 'outsourcing'
	| 'overflow'
	| 'default'
	/** Sweep backlog: kept in-house because it fit the team's capacity. */
	| 'sweepWithinCapacity';

/** A guardrail that overrode what the rule wanted. */
export type GuardrailName =
	| 'paused'
	| 'capacityPerHour'
	| 'capacityPerDay'
	| 'capacityPerMonth'
	| 'monthlyBudget'
	| 'maxShare'
	| 'dataRegion'
	/** The vendor's outcomes (SLA met, CSAT, reopened, returned) are below the policy's quality limits. */
	| 'quality'
	| 'overflowSaturated';

/** The data-protection terms of the vendor, carried so Provider Handoff enforces what the policy says. */
export interface VendorTerms {
	dpa: boolean;
	dataRegions: string[];
	allowedFields: string[];
}

/** The load and threshold that switched an overflow rule on, as read when the ticket was decided. */
export interface OverflowReading {
	load: number;
	/** given: Options → Current Load; internalLastHour: tickets routed internally in the last hour (this batch included). */
	loadSource: 'given' | 'internalLastHour';
	threshold: number;
	basis: 'capacityPerHour' | 'backlogLimit';
	/** onAt while overflow was off, offAt while it was already on (hysteresis). */
	factor: number;
	/** The peak period whose threshold applied, or null for the rule's own. */
	peak: string | null;
	wasActive: boolean;
}

/**
 * What the Ticket Router adds to every item as `delegation`. Downstream nodes (Provider Handoff,
 * Delegation Log, user workflows) read these names: they are the package's public contract.
 */
export interface Delegation {
	decisionId: string;
	ticketId: string;
	destination: string;
	destinationName: string;
	kind: DestinationKind;
	vendor: string | null;
	contract: ContractKind | null;
	reason: DelegationReason;
	ruleId: string | null;
	ruleName: string | null;
	matched: string[];
	guardrail: { name: GuardrailName; wanted: string; detail: string } | null;
	policyVersion: string;
	policyScope: string;
	/** ISO 8601. */
	decidedAt: string;
	costEstimate: number;
	previousDecisionId: string | null;
	/** recorded: written now; existing: an open decision already stood (idempotent); dry-run; unavailable: ledger down and the node was told to route anyway. */
	ledger: 'recorded' | 'existing' | 'dry-run' | 'unavailable';
	/** The customer's region, for the hand-off's data-region gate. */
	customerRegion: string | null;
	/** External destinations only. */
	vendorTerms: VendorTerms | null;
	/** Overflow decisions made now: the load, the threshold and the peak period that applied. */
	overflow: OverflowReading | null;
	/** The decision in one sentence: rule and terms, guardrail, and for an earlier decision its policy version and time. */
	explanation: string;
}
