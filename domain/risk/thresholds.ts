/** A risk level, ordered: a subject "escalates" when its level rises in this order. */
export const RISK_LEVELS = ['ok', 'warning', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export function levelRank(level: RiskLevel): number {
	return RISK_LEVELS.indexOf(level);
}

export function maxLevel(levels: Iterable<RiskLevel>): RiskLevel {
	let worst: RiskLevel = 'ok';
	for (const level of levels) if (levelRank(level) > levelRank(worst)) worst = level;
	return worst;
}

/**
 * What turns a metric into a warning or a critical alert. Fractions are 0..1.
 * Defaults follow the procurement rule of thumb (largest supplier above 30% is a high risk) and keep
 * HHI as context only: with three or four vendors HHI is always "highly concentrated".
 */
export interface RiskThresholds {
	/** A vendor above this share of delegated tickets is a warning. */
	shareWarning: number;
	/** A vendor above this share of delegated tickets is critical. */
	shareCritical: number;
	/** Fewer effective vendors (10,000 / HHI) than this is a warning. */
	minEffectiveVendors: number;
	/** Share and concentration flags stay quiet below this many delegated tickets in the window. */
	minDelegated: number;
	/** A vendor meeting its SLA on fewer than this fraction of tickets with a known SLA outcome is a warning. */
	slaTarget: number;
	/** A vendor whose reopen rate is above this is a warning; null: not flagged. */
	maxReopenRate: number | null;
	/** A vendor whose average CSAT is below this is a warning; null: not flagged. */
	minCsat: number | null;
	/** Level of a topic or function that one vendor carries alone (no internal handling, no other vendor). */
	noSubstituteLevel: RiskLevel;
	/** Topics and functions with fewer delegated tickets than this are listed but not flagged. */
	minTopicTickets: number;
	/** A vendor whose return rate (returned / finished) is above this is below quality; null: not judged. */
	maxReturnRate: number | null;
	/** A quality figure computed from fewer outcomes than this is not judged (the vendor's quality is `insufficient`). */
	minQualitySample: number;
}

export const DEFAULT_THRESHOLDS: RiskThresholds = {
	shareWarning: 0.3,
	shareCritical: 0.5,
	minEffectiveVendors: 2,
	minDelegated: 10,
	slaTarget: 0.9,
	maxReopenRate: null,
	minCsat: null,
	noSubstituteLevel: 'warning',
	minTopicTickets: 5,
	maxReturnRate: null,
	minQualitySample: 20,
};

/** US merger guidelines' "highly concentrated" lines for HHI: context for the report, never the primary flag. */
export const HHI_BANDS = {
	/** 2010 Horizontal Merger Guidelines: below 1,500 unconcentrated, 1,500–2,500 moderate, above 2,500 high. */
	us2010: { moderate: 1500, high: 2500 },
	/** 2023 Merger Guidelines: above 1,800 highly concentrated (1,000–1,800 moderate). */
	us2023: { moderate: 1000, high: 1800 },
} as const;

export type HhiBand = 'unconcentrated' | 'moderate' | 'high';

export function hhiBand(hhi: number, band: { moderate: number; high: number }): HhiBand {
	if (hhi > band.high) return 'high';
	if (hhi >= band.moderate) return 'moderate';
	return 'unconcentrated';
}
