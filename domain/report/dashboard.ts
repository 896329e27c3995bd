import type { RiskReport } from '../risk/report';
import type { ShareSeries } from '../risk/series';
import { shareChart, thresholdLines } from './chart';
import type { Scene } from './scene';
import type { VendorUsage } from './usage';
import type { VendorQuality } from '../risk/quality';

/** A vendor's quality as the Vendor Risk report states it (the quality guardrails' figures). */
export type QualityRow = Omit<VendorQuality, 'reason'>;

/** Everything one dashboard shows; each optional part is a section that appears only when given. */
export interface DashboardInput {
	title: string;
	report: RiskReport;
	series: ShareSeries;
	timeZone: string;
	/** null: every scope of the ledger. */
	scope: string | null;
	days: number;
	generatedAt: number;
	quality?: readonly QualityRow[];
	/** Caps and budget used this month (needs the policy that sets them). */
	usage?: { monthStart: number; vendors: readonly VendorUsage[] };
}

/** The share chart of a dashboard: the same scene becomes the page's inline SVG and the PNG for e-mail and chat. */
export function dashboardChart(input: Pick<DashboardInput, 'report' | 'series' | 'days' | 'timeZone'>): Scene {
	const { report } = input;
	return shareChart({
		title: `Vendor share of delegated tickets, last ${input.days} day${input.days === 1 ? '' : 's'} (${input.timeZone})`,
		series: input.series,
		current: report.vendors
			.filter((v) => v.tickets > 0)
			.map((v) => ({ vendor: v.vendor, tickets: v.tickets, share: v.shareOfDelegated })),
		lines: thresholdLines(report.thresholds.shareWarning, report.thresholds.shareCritical),
	});
}
