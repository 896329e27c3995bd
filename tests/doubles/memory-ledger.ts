import type { Ledger } from '../../ledger/ledger';
import type { OutcomeEntry } from '../../ledger/planning/outcomes';
import type {
	AggregateRow,
	BatchPlan,
	CallbackPlanner,
	CallbackReceipt,
	CallbackResult,
	DelegationFilter,
	DelegationPage,
	DelegationRecord,
	HandoffBatch,
	HandoffRecord,
	HandoffView,
	LedgerSnapshot,
	NewDelegation,
	QualityCounts,
	QualitySample,
	RecordedTerms,
	RowsAhead,
	SeriesCell,
	SnapshotRequest,
} from '../../ledger/model';
import { CLOSED_STATUSES, OPEN_STATUSES } from '../../ledger/model';
import { stampedAfterLock } from '../../ledger/planning/clock';
import { dimensionKey, dimensionOf } from '../../ledger/planning/rollup';
import { applyOutcome, emptyRecord } from '../../ledger/planning/records';
import { handoffOutcomeOn } from '../../ledger/planning/handoff-outcome';
import { recordCallbackWith, type ReceiptRow } from '../../ledger/planning/callbacks';
import { dictionary } from '../../domain/shared/dictionary';

const HOUR = 3_600_000;
const termsKey = (scope: string, version: string, vendor: string) => `${scope}\0${version}\0${vendor}`;
const DAY = 24 * HOUR;

/**
 * A ledger held in process memory. The reference behaviour for the contract suite, and what a dry run
 * or a unit test routes against. Not durable: never the backend of a production router.
 */
export class MemoryLedger implements Ledger {
	readonly backend = 'memory' as const;
	readonly location = 'memory';
	private rows: DelegationRecord[] = [];
	private overflow = new Map<string, Record<string, boolean>>();
	private qualityState = new Map<string, Record<string, boolean>>();
	private queue: Promise<unknown> = Promise.resolve();
	private latestDecidedAt: number | null = null;
	/** `${scope}\0${policyVersion}\0${vendor}` → terms, first write wins. */
	private terms = new Map<string, RecordedTerms>();
	private handoffs = new Map<string, HandoffRecord>();
	private byId = new Map<string, DelegationRecord>();
	private receipts: ReceiptRow[] = [];

	async routeBatch<T>(
		scope: string,
		request: SnapshotRequest,
		decide: (snapshot: LedgerSnapshot, ahead: RowsAhead) => BatchPlan<T>,
		mayWrite?: Promise<unknown>,
	): Promise<T> {
		await mayWrite;
		// Serialize like the durable backends do, so tests see the same guarantees.
		const run = this.queue.then(() => {
			const ahead: NewDelegation[] = [];
			const plan = decide(this.read(scope, stampedAfterLock(request, this.latestDecidedAt)), (rows) => {
				for (const row of rows) ahead.push(row);
			});
			const rows = [...ahead, ...plan.rows];
			// As the SQL backends: a row of another scope fails the batch before anything is kept.
			for (const row of rows) if (row.scope !== scope) throw new Error(`Decision ${row.id} is for scope "${row.scope}", not the batch's "${scope}"`);
			for (const row of rows) {
				this.keep(emptyRecord(row));
				this.latestDecidedAt = Math.max(this.latestDecidedAt ?? 0, row.decidedAt);
			}
			this.overflow.set(scope, { ...this.overflow.get(scope), ...plan.overflowActive });
			if (plan.qualityBelow) this.qualityState.set(scope, { ...this.qualityState.get(scope), ...plan.qualityBelow });
			for (const t of plan.terms ?? []) {
				const key = termsKey(scope, t.policyVersion, t.vendor);
				if (!this.terms.has(key)) this.terms.set(key, structuredClone(t));
			}
			return plan.result;
		});
		this.queue = run.catch(() => undefined);
		return run;
	}

	async writeHandoffs<T>(scope: string, batch: HandoffBatch<T>): Promise<{ recorded: Array<DelegationRecord | null>; planned: T[] }> {
		const run = this.queue.then(() => {
			// Like a transaction: everything is staged on copies, plans see what came before them, and a plan that throws
			// leaves nothing written.
			const handoffs = new Map(this.handoffs);
			const decisions = new Map<string, DelegationRecord>();
			const recorded = batch.results.map(({ handoff, outcome }) => {
				handoffs.set(handoff.decisionId, { ...handoff });
				const latest = this.latest(scope, handoff.ticketId);
				if (!outcome || latest?.id !== handoff.decisionId) return null;
				const current = decisions.get(latest.id) ?? latest;
				const update = handoffOutcomeOn(current, outcome);
				if (!update) return { ...current };
				const updated = applyOutcome({ ...current }, update);
				decisions.set(latest.id, updated);
				return { ...updated };
			});
			const planned = batch.requests.map(({ decisionId, plan }) => {
				const { intent, result } = plan(this.view(scope, decisionId, handoffs, decisions));
				if (intent) handoffs.set(intent.decisionId, { ...intent });
				return result;
			});
			this.handoffs = handoffs;
			for (const [id, updated] of decisions) Object.assign(this.byId.get(id)!, updated);
			return { recorded, planned };
		});
		this.queue = run.catch(() => undefined);
		return run;
	}

	private view(scope: string, decisionId: string, handoffs: ReadonlyMap<string, HandoffRecord>, staged: ReadonlyMap<string, DelegationRecord>): HandoffView {
		const stored = this.byId.get(decisionId);
		if (!stored || stored.scope !== scope) return { decision: null, current: false, terms: null, handoff: null };
		const decision = staged.get(decisionId) ?? stored;
		const terms = decision.vendor ? this.terms.get(termsKey(scope, decision.policyVersion, decision.vendor)) : undefined;
		const handoff = handoffs.get(decisionId);
		return {
			decision: { ...decision },
			current: this.latest(scope, decision.ticketId)?.id === decisionId,
			terms: terms ? structuredClone(terms) : null,
			handoff: handoff ? { ...handoff } : null,
		};
	}

	/** Test helper: the hand-off row of a decision. */
	handoffOf(decisionId: string): HandoffRecord | undefined {
		const h = this.handoffs.get(decisionId);
		return h && { ...h };
	}

	async snapshot(scope: string, request: SnapshotRequest): Promise<LedgerSnapshot> {
		return this.read(scope, request);
	}

	async recordOutcomes(scope: string, entries: readonly OutcomeEntry[]) {
		return entries.map(({ ticketId, update }) => {
			const latest = this.latest(scope, ticketId);
			if (!latest) return null;
			applyOutcome(latest, update);
			return { ...latest };
		});
	}

	async recordCallback(scope: string, receipt: CallbackReceipt, plan: CallbackPlanner): Promise<CallbackResult> {
		// Serialized like routeBatch; a refusal or a throwing plan leaves rows and receipts untouched.
		const run = this.queue.then(() =>
			recordCallbackWith(
				{
					findReceipt: (r) => {
						const mine = this.receipts.filter((k) => k.vendor === r.vendor);
						const found =
							mine.find((k) => k.receiptHash === r.receiptHash) ?? (r.callbackId === null ? undefined : mine.find((k) => k.callbackId === r.callbackId));
						return found ? { answer: found.answer, receiptHash: found.receiptHash, reportHash: found.reportHash } : null;
					},
					current: (ticketId) => {
						const latest = this.latest(scope, ticketId);
						return latest ? { decision: { ...latest }, handOffBegun: this.handoffs.has(latest.id) } : null;
					},
					apply: ({ update, ticketId }) => ({ ...applyOutcome(this.latest(scope, ticketId)!, update) }),
					saveReceipt: (row) => {
						this.receipts.push(structuredClone(row));
					},
				},
				scope,
				receipt,
				plan,
			),
		);
		this.queue = run.catch(() => undefined);
		return run;
	}

	/** Test helper: every stored callback receipt, oldest first. */
	allReceipts(): ReceiptRow[] {
		return structuredClone(this.receipts);
	}

	async decisionsOf(scope: string, ticketId: string) {
		return this.rows.filter((r) => r.scope === scope && r.ticketId === ticketId).map((r) => ({ ...r }));
	}

	async list(filter: DelegationFilter): Promise<DelegationPage> {
		const offset = filter.cursor ? Number(filter.cursor) : 0;
		const limit = filter.limit ?? 100;
		const matching = this.rows
			.filter(
				(r) =>
					(!filter.scope || r.scope === filter.scope) &&
					(!filter.vendor || r.vendor === filter.vendor) &&
					(!filter.kind || r.kind === filter.kind) &&
					(!filter.reason || r.reason === filter.reason) &&
					(!filter.status || filter.status.includes(r.status)) &&
					(filter.from === undefined || r.decidedAt >= filter.from) &&
					(filter.to === undefined || r.decidedAt < filter.to),
			)
			.sort((a, b) => b.decidedAt - a.decidedAt || (a.id < b.id ? 1 : -1));
		const rows = matching.slice(offset, offset + limit).map((r) => ({ ...r }));
		return { rows, nextCursor: offset + limit < matching.length ? String(offset + limit) : null };
	}

	async aggregate(scope: string | null, from: number, to: number): Promise<AggregateRow[]> {
		const groups = new Map<string, AggregateRow>();
		for (const r of this.rows) {
			if ((scope !== null && r.scope !== scope) || r.decidedAt < from || r.decidedAt >= to) continue;
			// The group key and shape are shared with the rollups; the sums below are this reference's own.
			const key = dimensionKey(r);
			let g = groups.get(key);
			if (!g) {
				g = {
					...dimensionOf(r),
					count: 0,
					cost: 0,
					slaKnown: 0,
					slaMet: 0,
					reopened: 0,
					outcomeKnown: 0,
					csatSum: 0,
					csatCount: 0,
				};
				groups.set(key, g);
			}
			g.count++;
			g.cost += r.costEstimate;
			if (r.slaMet !== null) {
				g.slaKnown++;
				if (r.slaMet) g.slaMet++;
			}
			if (r.reopened !== null) {
				g.outcomeKnown++;
				if (r.reopened) g.reopened++;
			}
			if (r.csat !== null) {
				g.csatSum += r.csat;
				g.csatCount++;
			}
		}
		return [...groups.values()];
	}

	/** The reference reading of a quality sample: finished rows decided in [from, to), newest first, at most limit. */
	async quality(scope: string | null, samples: readonly QualitySample[]): Promise<Record<string, QualityCounts>> {
		return this.qualityOf(scope, samples);
	}

	private qualityOf(scope: string | null, samples: readonly QualitySample[]): Record<string, QualityCounts> {
		const out = dictionary<QualityCounts>();
		for (const { vendor, from, to, limit } of samples) {
			// Rows are kept in insertion order, so walking backwards is newest first among equal decision times.
			const sample = this.rows
				.map((r, seq) => ({ r, seq }))
				.filter(({ r }) => (scope === null || r.scope === scope) && r.vendor === vendor && CLOSED_STATUSES.includes(r.status) && r.decidedAt >= from && r.decidedAt < to)
				.sort((a, b) => b.r.decidedAt - a.r.decidedAt || b.seq - a.seq)
				.slice(0, limit ?? Infinity)
				.map(({ r }) => r);
			const c: QualityCounts = { closed: 0, returned: 0, slaKnown: 0, slaMet: 0, outcomeKnown: 0, reopened: 0, csatSum: 0, csatCount: 0 };
			for (const r of sample) {
				c.closed++;
				if (r.status === 'returned') c.returned++;
				if (r.slaMet !== null) {
					c.slaKnown++;
					if (r.slaMet) c.slaMet++;
				}
				if (r.reopened !== null) {
					c.outcomeKnown++;
					if (r.reopened) c.reopened++;
				}
				if (r.csat !== null) {
					c.csatSum += r.csat;
					c.csatCount++;
				}
			}
			out[vendor] = c;
		}
		return out;
	}

	async series(scope: string | null, bounds: readonly number[]): Promise<SeriesCell[]> {
		for (let i = 1; i < bounds.length; i++) {
			if (!(bounds[i] > bounds[i - 1])) throw new RangeError(`series bounds must ascend: bounds[${i}] = ${bounds[i]} after ${bounds[i - 1]}`);
		}
		// The plain reading of the contract: every row, placed in the range it falls in.
		const cells = new Map<string, SeriesCell>();
		for (const r of this.rows) {
			if (scope !== null && r.scope !== scope) continue;
			const bucket = bounds.findIndex((from, i) => i + 1 < bounds.length && r.decidedAt >= from && r.decidedAt < bounds[i + 1]);
			if (bucket < 0) continue;
			const key = `${bucket}|${r.kind}|${r.vendor ?? ''}`;
			const cell = cells.get(key) ?? { bucket, kind: r.kind, vendor: r.vendor, count: 0, cost: 0 };
			cell.count++;
			cell.cost += r.costEstimate;
			cells.set(key, cell);
		}
		return [...cells.values()];
	}

	async scopes() {
		return [...new Set(this.rows.map((r) => r.scope))].sort();
	}

	async close() {}

	/** Test helper: every stored row, in insertion order. */
	all(): DelegationRecord[] {
		return this.rows.map((r) => ({ ...r }));
	}

	/** Test helper: seed rows as if earlier batches had written them. */
	seed(rows: NewDelegation[]) {
		for (const row of rows) {
			this.keep(emptyRecord(row));
			this.latestDecidedAt = Math.max(this.latestDecidedAt ?? 0, row.decidedAt);
		}
	}

	private keep(record: DelegationRecord) {
		this.rows.push(record);
		this.byId.set(record.id, record);
	}

	private latest(scope: string, ticketId: string) {
		for (let i = this.rows.length - 1; i >= 0; i--) {
			const r = this.rows[i];
			if (r.scope === scope && r.ticketId === ticketId) return r;
		}
		return undefined;
	}

	private read(scope: string, request: SnapshotRequest): LedgerSnapshot {
		const { now } = request;
		const snapshot: LedgerSnapshot = {
			now,
			internalInWindow: 0,
			delegatedInShareWindow: 0,
			vendors: dictionary(),
			overflowActive: { ...this.overflow.get(scope) },
			open: dictionary(),
			qualityBelow: { ...this.qualityState.get(scope) },
		};
		if (request.quality?.length) snapshot.quality = this.qualityOf(scope, request.quality);
		for (const v of request.vendors) {
			snapshot.vendors[v] = { lastHour: 0, lastDay: 0, thisMonth: 0, costThisMonth: 0, inShareWindow: 0 };
		}
		for (const r of request.counts === false ? [] : this.rows) {
			// Decisions stamped after `now` count too: a batch that committed while this one waited for the lock,
			// or another worker whose clock runs ahead, is inside every trailing window. Skipping them lets caps overshoot.
			if (r.scope !== scope) continue;
			const age = now - r.decidedAt;
			if (r.kind === 'internal') {
				if (age < request.internalWindowMs) snapshot.internalInWindow++;
				continue;
			}
			if (age < request.shareWindowMs) snapshot.delegatedInShareWindow++;
			const counts = r.vendor ? snapshot.vendors[r.vendor] : undefined;
			if (!counts) continue;
			if (age < HOUR) counts.lastHour++;
			if (age < DAY) counts.lastDay++;
			if (age < request.shareWindowMs) counts.inShareWindow++;
			if (r.decidedAt >= request.monthStart) {
				counts.thisMonth++;
				counts.costThisMonth += r.costEstimate;
			}
		}
		const wanted = new Set(request.ticketIds);
		for (const r of this.rows) {
			if (r.scope === scope && wanted.has(r.ticketId)) {
				// Later rows supersede earlier ones: a re-route links to and replaces the previous decision.
				if (OPEN_STATUSES.includes(r.status)) snapshot.open[r.ticketId] = { ...r };
				else delete snapshot.open[r.ticketId];
			}
		}
		return snapshot;
	}
}
