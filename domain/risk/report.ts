import type { AggregateRow, QualityCounts } from '../../ledger/model';
import { concentrationRatio, effectiveVendors, herfindahl } from './concentration';
import { percent, percentLine, points, thousands } from './format';
import { vendorQuality, type VendorQuality } from './quality';
import { shareOf, vendorShares } from './share';
import type { HhiBand, RiskLevel, RiskThresholds } from './thresholds';
import { DEFAULT_THRESHOLDS, HHI_BANDS, hhiBand, levelRank, maxLevel } from './thresholds';
import type { Interval } from './window';
import { dictionary } from '../shared/dictionary';

/** External rows without a vendor id still count: they went outside, someone carries them. */
export const UNKNOWN_VENDOR = '(unknown vendor)';

export interface VendorRisk {
	vendor: string;
	tickets: number;
	cost: number;
	/** Fraction of delegated tickets: the one definition the router's max-share cap uses. */
	shareOfDelegated: number;
	/** Fraction of all tickets, internal included. */
	shareOfAll: number;
	/** Fraction of delegated cost. */
	shareOfCost: number;
	previousTickets: number;
	/** Share of delegated tickets in the previous window; null when nothing was delegated then. */
	previousShare: number | null;
	/** shareOfDelegated − previousShare, as a fraction (0.05 = 5 points); null without a previous window. */
	change: number | null;
	/** Served in the previous window, none in this one. */
	disappeared: boolean;
	/** Fraction of tickets with a known SLA outcome that met it; null when none is known. */
	slaAttainment: number | null;
	slaKnown: number;
	/** Fraction of tickets with a known outcome that were reopened; null when none is known. */
	reopenRate: number | null;
	averageCsat: number | null;
	csatCount: number;
	level: RiskLevel;
	reasons: string[];
}

export interface Concentration {
	vendors: number;
	/** Largest vendor and its share of delegated tickets. */
	cr1: { vendor: string; share: number } | null;
	/** Combined share of the two largest vendors. */
	cr2: number;
	/** Σ (share %)², 0..10,000. */
	hhi: number;
	effectiveVendors: number | null;
	previousHhi: number;
	/** US merger guidelines' reading of this HHI: context, not the flag. */
	bands: { us2010: HhiBand; us2023: HhiBand };
	level: RiskLevel;
	reasons: string[];
}

export type CoverageDimension = 'topic' | 'channel' | 'language';

/** Who serves one topic or function (a channel, a language): the single points of failure. */
export interface CoverageRisk {
	dimension: CoverageDimension;
	key: string;
	delegated: number;
	/** Tickets of this topic or function the internal team handled in the window. */
	internal: number;
	vendors: Array<{ vendor: string; tickets: number; share: number }>;
	/** One vendor carries all of it and nobody else, internal team included, handled any. */
	noSubstitute: boolean;
	level: RiskLevel;
	reasons: string[];
}

export type AlertSubject = 'vendor' | 'concentration' | CoverageDimension;

/** One flagged subject, phrased for a Slack or e-mail message. */
export interface RiskAlert {
	/** Stable id across reports, e.g. `vendor:acme`, `topic:billing`, `concentration`. */
	id: string;
	subject: AlertSubject;
	name: string;
	level: RiskLevel;
	reasons: string[];
	message: string;
}

export interface RiskTotals {
	tickets: number;
	internal: number;
	delegated: number;
	delegatedCost: number;
}

export interface RiskReport {
	window: Interval;
	previousWindow: Interval;
	totals: RiskTotals;
	previousTotals: RiskTotals;
	vendors: VendorRisk[];
	concentration: Concentration;
	coverage: CoverageRisk[];
	level: RiskLevel;
	/** Every subject above ok, worst first. */
	alerts: RiskAlert[];
	thresholds: RiskThresholds;
	/**
	 * Quality per vendor from its finished delegations decided in the window, judged against slaTarget, minCsat,
	 * maxReopenRate and maxReturnRate once a figure has minQualitySample outcomes.
	 */
	quality: VendorQuality[];
}

interface VendorSums {
	tickets: number;
	cost: number;
	slaKnown: number;
	slaMet: number;
	outcomeKnown: number;
	reopened: number;
	csatSum: number;
	csatCount: number;
}

function vendorOf(row: AggregateRow): string {
	return row.vendor ?? UNKNOWN_VENDOR;
}

function sumByVendor(rows: readonly AggregateRow[]): Map<string, VendorSums> {
	const sums = new Map<string, VendorSums>();
	for (const row of rows) {
		if (row.kind !== 'external') continue;
		const vendor = vendorOf(row);
		let s = sums.get(vendor);
		if (!s) {
			s = { tickets: 0, cost: 0, slaKnown: 0, slaMet: 0, outcomeKnown: 0, reopened: 0, csatSum: 0, csatCount: 0 };
			sums.set(vendor, s);
		}
		s.tickets += row.count;
		s.cost += row.cost;
		s.slaKnown += row.slaKnown;
		s.slaMet += row.slaMet;
		s.outcomeKnown += row.outcomeKnown;
		s.reopened += row.reopened;
		s.csatSum += row.csatSum;
		s.csatCount += row.csatCount;
	}
	return sums;
}

function totalsOf(rows: readonly AggregateRow[]): RiskTotals {
	const totals: RiskTotals = { tickets: 0, internal: 0, delegated: 0, delegatedCost: 0 };
	for (const row of rows) {
		totals.tickets += row.count;
		if (row.kind === 'external') {
			totals.delegated += row.count;
			totals.delegatedCost += row.cost;
		} else totals.internal += row.count;
	}
	return totals;
}

function ticketCounts(sums: Map<string, VendorSums>): Record<string, number> {
	const counts = dictionary<number>();
	for (const [vendor, s] of sums) counts[vendor] = s.tickets;
	return counts;
}

function vendorRisks(
	current: Map<string, VendorSums>,
	previous: Map<string, VendorSums>,
	totals: RiskTotals,
	previousTotals: RiskTotals,
	t: RiskThresholds,
): VendorRisk[] {
	const shares = vendorShares(ticketCounts(current));
	const previousShares = vendorShares(ticketCounts(previous));
	const names = new Set([...current.keys(), ...previous.keys()]);
	const risks: VendorRisk[] = [];
	for (const vendor of names) {
		const s = current.get(vendor);
		const tickets = s?.tickets ?? 0;
		const share = shares[vendor] ?? 0;
		const previousShare = previousTotals.delegated > 0 ? (previousShares[vendor] ?? 0) : null;
		const risk: VendorRisk = {
			vendor,
			tickets,
			cost: s?.cost ?? 0,
			shareOfDelegated: share,
			shareOfAll: shareOf(tickets, totals.tickets),
			shareOfCost: shareOf(s?.cost ?? 0, totals.delegatedCost),
			previousTickets: previous.get(vendor)?.tickets ?? 0,
			previousShare,
			change: previousShare === null ? null : share - previousShare,
			disappeared: tickets === 0,
			slaAttainment: s && s.slaKnown > 0 ? s.slaMet / s.slaKnown : null,
			slaKnown: s?.slaKnown ?? 0,
			reopenRate: s && s.outcomeKnown > 0 ? s.reopened / s.outcomeKnown : null,
			averageCsat: s && s.csatCount > 0 ? s.csatSum / s.csatCount : null,
			csatCount: s?.csatCount ?? 0,
			level: 'ok',
			reasons: [],
		};
		judgeVendor(risk, totals.delegated, t);
		risks.push(risk);
	}
	return risks.sort((a, b) => b.tickets - a.tickets || b.previousTickets - a.previousTickets || (a.vendor < b.vendor ? -1 : 1));
}

function raise(target: { level: RiskLevel; reasons: string[] }, level: RiskLevel, reason: string) {
	if (levelRank(level) > levelRank(target.level)) target.level = level;
	target.reasons.push(reason);
}

function judgeVendor(v: VendorRisk, delegated: number, t: RiskThresholds) {
	const trend = v.change === null ? '' : `, ${points(v.change)} on the previous window`;
	if (delegated >= t.minDelegated && v.tickets > 0) {
		if (v.shareOfDelegated > t.shareCritical) {
			raise(v, 'critical', `handles ${percent(v.shareOfDelegated)} of delegated tickets (critical above ${percentLine(t.shareCritical)})${trend}`);
		} else if (v.shareOfDelegated > t.shareWarning) {
			raise(v, 'warning', `handles ${percent(v.shareOfDelegated)} of delegated tickets (warning above ${percentLine(t.shareWarning)})${trend}`);
		}
	}
	if (v.slaAttainment !== null && v.slaAttainment < t.slaTarget) {
		raise(v, 'warning', `met the SLA on ${percent(v.slaAttainment)} of ${v.slaKnown} tickets (target ${percentLine(t.slaTarget)})`);
	}
	if (t.maxReopenRate !== null && v.reopenRate !== null && v.reopenRate > t.maxReopenRate) {
		raise(v, 'warning', `reopen rate ${percent(v.reopenRate)} (warning above ${percentLine(t.maxReopenRate)})`);
	}
	if (t.minCsat !== null && v.averageCsat !== null && v.averageCsat < t.minCsat) {
		raise(v, 'warning', `average CSAT ${v.averageCsat.toFixed(2)} over ${v.csatCount} ratings (warning below ${t.minCsat})`);
	}
}

function concentrationOf(
	vendors: readonly VendorRisk[],
	previous: Map<string, VendorSums>,
	delegated: number,
	t: RiskThresholds,
): Concentration {
	const active = vendors.filter((v) => v.tickets > 0);
	const shares = active.map((v) => v.shareOfDelegated);
	const hhi = herfindahl(shares);
	const effective = effectiveVendors(hhi);
	const largest = active[0];
	const concentration: Concentration = {
		vendors: active.length,
		cr1: largest ? { vendor: largest.vendor, share: largest.shareOfDelegated } : null,
		cr2: concentrationRatio(shares, 2),
		hhi,
		effectiveVendors: effective,
		previousHhi: herfindahl(Object.values(vendorShares(ticketCounts(previous)))),
		bands: { us2010: hhiBand(hhi, HHI_BANDS.us2010), us2023: hhiBand(hhi, HHI_BANDS.us2023) },
		level: 'ok',
		reasons: [],
	};
	if (effective !== null && delegated >= t.minDelegated && effective < t.minEffectiveVendors) {
		const context =
			`HHI ${thousands(hhi)} (2010 US guidelines: ${concentration.bands.us2010}, ` +
			`2023: ${concentration.bands.us2023})`;
		raise(
			concentration,
			'warning',
			`${effective.toFixed(2)} effective vendors (warning below ${t.minEffectiveVendors}); ${context}`,
		);
	}
	return concentration;
}

function coverageOf(current: readonly AggregateRow[], t: RiskThresholds): CoverageRisk[] {
	const dimensions: CoverageDimension[] = ['topic', 'channel', 'language'];
	const cells = new Map<string, { dimension: CoverageDimension; key: string; internal: number; vendors: Map<string, number> }>();
	for (const row of current) {
		for (const dimension of dimensions) {
			const key = row[dimension];
			if (key === null || key === '') continue;
			const id = `${dimension}\u0000${key}`;
			let cell = cells.get(id);
			if (!cell) {
				cell = { dimension, key, internal: 0, vendors: new Map() };
				cells.set(id, cell);
			}
			if (row.kind === 'external') {
				const vendor = vendorOf(row);
				cell.vendors.set(vendor, (cell.vendors.get(vendor) ?? 0) + row.count);
			} else cell.internal += row.count;
		}
	}
	const coverage: CoverageRisk[] = [];
	for (const cell of cells.values()) {
		if (cell.vendors.size === 0) continue;
		const counts = Object.fromEntries(cell.vendors);
		const shares = vendorShares(counts);
		const delegated = [...cell.vendors.values()].reduce((a, b) => a + b, 0);
		const risk: CoverageRisk = {
			dimension: cell.dimension,
			key: cell.key,
			delegated,
			internal: cell.internal,
			vendors: [...cell.vendors]
				.map(([vendor, tickets]) => ({ vendor, tickets, share: shares[vendor] }))
				.sort((a, b) => b.tickets - a.tickets || (a.vendor < b.vendor ? -1 : 1)),
			noSubstitute: cell.vendors.size === 1 && cell.internal === 0,
			level: 'ok',
			reasons: [],
		};
		if (risk.noSubstitute && delegated >= t.minTopicTickets && t.noSubstituteLevel !== 'ok') {
			raise(
				risk,
				t.noSubstituteLevel,
				`no substitute: ${risk.vendors[0].vendor} carries all ${delegated} delegated tickets and the internal team handled none`,
			);
		}
		coverage.push(risk);
	}
	return coverage.sort(
		(a, b) =>
			levelRank(b.level) - levelRank(a.level) ||
			dimensions.indexOf(a.dimension) - dimensions.indexOf(b.dimension) ||
			b.delegated - a.delegated ||
			(a.key < b.key ? -1 : 1),
	);
}

const SUBJECT_LABEL: Record<AlertSubject, string> = {
	vendor: 'Vendor',
	concentration: 'Vendor concentration',
	topic: 'Topic',
	channel: 'Channel',
	language: 'Language',
};

function alertOf(subject: AlertSubject, key: string | null, flagged: { level: RiskLevel; reasons: string[] }): RiskAlert {
	const name = key ?? 'all vendors';
	const title = key === null ? SUBJECT_LABEL[subject] : `${SUBJECT_LABEL[subject]} "${key}"`;
	return {
		id: key === null ? subject : `${subject}:${key}`,
		subject,
		name,
		level: flagged.level,
		reasons: [...flagged.reasons],
		message: `${flagged.level.toUpperCase()}: ${title}: ${flagged.reasons.join('; ')}.`,
	};
}

/**
 * The dependency-risk report of one window against the window before it.
 * Pure: the caller reads both windows' aggregates from the ledger.
 */
export function computeRiskReport(input: {
	current: readonly AggregateRow[];
	previous: readonly AggregateRow[];
	window: Interval;
	previousWindow: Interval;
	thresholds?: Partial<RiskThresholds>;
	/** Outcome counts per vendor of the window's finished delegations (Ledger.quality); absent: no quality section. */
	quality?: Record<string, QualityCounts>;
}): RiskReport {
	const thresholds = { ...DEFAULT_THRESHOLDS, ...input.thresholds };
	const totals = totalsOf(input.current);
	const previousTotals = totalsOf(input.previous);
	const currentSums = sumByVendor(input.current);
	const previousSums = sumByVendor(input.previous);
	const vendors = vendorRisks(currentSums, previousSums, totals, previousTotals, thresholds);
	const concentration = concentrationOf(vendors, previousSums, totals.delegated, thresholds);
	const coverage = coverageOf(input.current, thresholds);

	const alerts: RiskAlert[] = [];
	if (concentration.level !== 'ok') alerts.push(alertOf('concentration', null, concentration));
	for (const v of vendors) if (v.level !== 'ok') alerts.push(alertOf('vendor', v.vendor, v));
	for (const c of coverage) if (c.level !== 'ok') alerts.push(alertOf(c.dimension, c.key, c));
	// Stable sort: worst first, then concentration, vendors, topics, functions as pushed.
	alerts.sort((a, b) => levelRank(b.level) - levelRank(a.level));

	return {
		window: input.window,
		previousWindow: input.previousWindow,
		totals,
		previousTotals,
		vendors,
		concentration,
		coverage,
		level: maxLevel(alerts.map((a) => a.level)),
		alerts,
		thresholds,
		quality: vendorQuality(input.quality ?? {}, {
			minSlaMetRate: thresholds.slaTarget,
			minAvgCsat: thresholds.minCsat,
			maxReopenRate: thresholds.maxReopenRate,
			maxReturnRate: thresholds.maxReturnRate,
			minSample: thresholds.minQualitySample,
		}),
	};
}
