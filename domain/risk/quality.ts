import type { QualityCounts } from '../../ledger/model';
import { percent, percentLine } from './format';

/**
 * Service quality of a vendor from the outcomes of its finished delegations: the one definition of each figure,
 * used by the router's quality guardrails and by the Vendor Risk report. Rates are fractions 0..1; each figure is
 * null when its sample has nothing known (no SLA outcome, no rating…).
 */
export interface QualityFigures {
	/** SLA met / delegations with a known SLA outcome. */
	slaMetRate: number | null;
	/** Mean CSAT of the rated delegations, on whatever scale the helpdesk sends. */
	avgCsat: number | null;
	/** Reopened / delegations with a known reopened flag. */
	reopenRate: number | null;
	/** Returned / finished (resolved or returned). */
	returnRate: number | null;
}

export type QualityFigure = keyof QualityFigures;
export type QualityLevel = 'ok' | 'below' | 'insufficient';

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

export function qualityFigures(c: QualityCounts): QualityFigures {
	return {
		slaMetRate: ratio(c.slaMet, c.slaKnown),
		avgCsat: ratio(c.csatSum, c.csatCount),
		reopenRate: ratio(c.reopened, c.outcomeKnown),
		returnRate: ratio(c.returned, c.closed),
	};
}

/** How many outcomes a figure is computed from: what the minimum sample is compared with. */
export function figureSample(c: QualityCounts, figure: QualityFigure): number {
	switch (figure) {
		case 'slaMetRate':
			return c.slaKnown;
		case 'avgCsat':
			return c.csatCount;
		case 'reopenRate':
			return c.outcomeKnown;
		case 'returnRate':
			return c.closed;
	}
}

/** Limits on the figures; an absent limit is not checked. */
export interface QualityLimits {
	minSlaMetRate?: number | null;
	minAvgCsat?: number | null;
	maxReopenRate?: number | null;
	maxReturnRate?: number | null;
	/** A figure is judged only once its sample holds at least this many outcomes. */
	minSample: number;
	/** Hysteresis: once below, a rate must clear its limit by this many fraction points (0.05 = 5 points)… */
	recoverMargin?: number;
	/** …and average CSAT by this much, before the vendor counts as recovered. */
	recoverMarginCsat?: number;
}

const LIMITS: Array<{ figure: QualityFigure; key: keyof QualityLimits; direction: 'min' | 'max'; label: string }> = [
	{ figure: 'slaMetRate', key: 'minSlaMetRate', direction: 'min', label: 'SLA met' },
	{ figure: 'avgCsat', key: 'minAvgCsat', direction: 'min', label: 'average CSAT' },
	{ figure: 'reopenRate', key: 'maxReopenRate', direction: 'max', label: 'reopen rate' },
	{ figure: 'returnRate', key: 'maxReturnRate', direction: 'max', label: 'return rate' },
];

export interface QualityBreach {
	figure: QualityFigure;
	value: number;
	/** The limit as set. */
	threshold: number;
	/** What the value was held to: the limit, or the limit plus the recovery margin while already below. */
	bar: number;
	sample: number;
	/** `SLA met 55.0% over 20 outcomes (minimum 60%)`. */
	text: string;
}

export interface QualityVerdict {
	/** ok: every judged figure within its limit; below: one is not; insufficient: no figure has its minimum sample. */
	level: QualityLevel;
	/** The first figure out of its limit (in the order SLA, CSAT, reopen, return). */
	breach: QualityBreach | null;
}

/**
 * Judges the figures against the limits. `wasBelow`: the vendor was below at the last judgement, so it has to clear
 * each limit by its margin to recover (hysteresis: a vendor hovering at the limit is not switched on and off with
 * every outcome). A figure short of its minimum sample is not judged; with none judged the level is `insufficient`
 * and nothing is diverted.
 */
export function judgeQuality(limits: QualityLimits, counts: QualityCounts, wasBelow = false): QualityVerdict {
	const figures = qualityFigures(counts);
	let judged = false;
	for (const { figure, key, direction, label } of LIMITS) {
		const threshold = limits[key] as number | null | undefined;
		const value = figures[figure];
		const sample = figureSample(counts, figure);
		if (threshold === null || threshold === undefined || value === null || sample < limits.minSample) continue;
		judged = true;
		const margin = wasBelow ? (figure === 'avgCsat' ? (limits.recoverMarginCsat ?? 0) : (limits.recoverMargin ?? 0)) : 0;
		const bar = direction === 'min' ? threshold + margin : threshold - margin;
		// Within a rounding error of the bar counts as on it: 13/20 must clear 0.6 + 0.05 however the sum rounds.
		const fails = direction === 'min' ? value < bar - EPSILON : value > bar + EPSILON;
		if (!fails) continue;
		const shown = figure === 'avgCsat' ? round(value) : percent(value);
		const limit = figure === 'avgCsat' ? String(threshold) : percentLine(threshold);
		const recovery = bar !== threshold ? `; recovers at ${figure === 'avgCsat' ? round(bar) : percentLine(bar)}` : '';
		return {
			level: 'below',
			breach: { figure, value, threshold, bar, sample, text: `${label} ${shown} over ${sample} outcomes (${direction === 'min' ? 'minimum' : 'maximum'} ${limit}${recovery})` },
		};
	}
	return { level: judged ? 'ok' : 'insufficient', breach: null };
}

const EPSILON = 1e-9;

function round(n: number): number {
	return Math.round(n * 100) / 100;
}

/** One vendor's quality as Vendor Risk reports it: the figures of its finished delegations in the window. */
export interface VendorQuality {
	vendor: string;
	/** Finished delegations in the sample: resolved or returned. */
	resolved: number;
	slaMetRate: number | null;
	avgCsat: number | null;
	reopenRate: number | null;
	returnRate: number | null;
	level: QualityLevel;
	/** Why it is below, e.g. `SLA met 55.0% over 20 outcomes (minimum 60%)`; null otherwise. */
	reason: string | null;
}

/** Quality per vendor, judged without hysteresis (a report states where each vendor is now), sorted by vendor. */
export function vendorQuality(counts: Record<string, QualityCounts>, limits: QualityLimits): VendorQuality[] {
	return Object.keys(counts)
		.sort()
		.map((vendor) => {
			const c = counts[vendor];
			const verdict = judgeQuality(limits, c);
			return { vendor, resolved: c.closed, ...qualityFigures(c), level: verdict.level, reason: verdict.breach?.text ?? null };
		});
}
