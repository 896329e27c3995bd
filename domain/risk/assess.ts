import type { Ledger } from '../../ledger/ledger';
import type { RiskReport } from './report';
import { computeRiskReport } from './report';
import type { RiskThresholds } from './thresholds';
import type { WindowOptions } from './window';
import { riskWindows } from './window';

export interface AssessOptions extends WindowOptions {
	/** Policy scope to read; null reads every scope of the ledger. */
	scope: string | null;
	thresholds?: Partial<RiskThresholds>;
}

/** Reads the two windows' aggregates (two grouped queries, whatever the ledger's size) and computes the report. */
export async function assessRisk(ledger: Ledger, options: AssessOptions): Promise<RiskReport> {
	const windows = riskWindows(options);
	const { from, to } = windows.reads.current;
	const reading = ledger.aggregate(options.scope, from, to);
	// Quality of every vendor that had delegations in the window, one sample per vendor in one ledger call: it needs
	// only the current window's vendors, so it runs while the previous window is still being read.
	const [current, previous, quality] = await Promise.all([
		reading,
		ledger.aggregate(options.scope, windows.reads.previous.from, windows.reads.previous.to),
		reading.then((rows) => {
			const vendors = [...new Set(rows.filter((r) => r.kind === 'external' && r.vendor !== null).map((r) => r.vendor!))];
			return ledger.quality(options.scope, vendors.map((vendor) => ({ vendor, from, to, limit: null })));
		}),
	]);
	return computeRiskReport({
		current,
		previous,
		window: windows.current,
		previousWindow: windows.previous,
		thresholds: options.thresholds,
		quality,
	});
}
