import type { Ledger } from '../../ledger/ledger';
import type { CompiledPolicy } from '../policy/compile';
import type { AssessOptions } from '../risk/assess';
import { assessRisk } from '../risk/assess';
import type { RiskReport } from '../risk/report';
import type { ShareSeries } from '../risk/series';
import { dailyShareSeries } from '../risk/series';
import { riskWindows } from '../risk/window';
import { snapshotRequest } from '../routing/decide';
import type { DashboardInput } from './dashboard';
import { capUsage } from './usage';

export interface DashboardWants {
	/** The daily share series (the chart and the page need it). */
	series: boolean;
	/** The policy whose caps and budget the page shows as used this month; null: no usage section. */
	usagePolicy: CompiledPolicy | null;
}

export interface DashboardReads {
	report: RiskReport;
	series: ShareSeries | null;
	usage: DashboardInput['usage'];
}

/**
 * Everything a Vendor Risk report and its dashboard read, started at once: the report's aggregates and quality, the
 * daily series and the caps snapshot are independent reads (the series' window is the report's own, known before any
 * read), so a pooled ledger answers them side by side instead of one after another.
 */
export async function readDashboard(ledger: Ledger, options: AssessOptions, wants: DashboardWants): Promise<DashboardReads> {
	const window = riskWindows(options).current;
	const policy = options.scope === null ? null : wants.usagePolicy;
	const request = policy ? snapshotRequest(policy, [], options.now) : null;
	const [report, series, snapshot] = await Promise.all([
		assessRisk(ledger, options),
		wants.series ? dailyShareSeries(ledger, options.scope, window, options.timeZone) : null,
		request ? ledger.snapshot(options.scope!, request) : null,
	]);
	const usage =
		policy && request && snapshot
			? { monthStart: request.monthStart, vendors: capUsage(policy.destinations, snapshot, policy.policy.guardrails.shareWindowDays) }
			: undefined;
	return { report, series, usage };
}
