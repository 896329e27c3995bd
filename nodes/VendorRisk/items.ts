import type { IDataObject } from 'n8n-workflow';

import type { AssessOptions } from '../../domain/risk/assess';
import type { RiskAlert, RiskReport } from '../../domain/risk/report';
import type { Interval } from '../../domain/risk/window';
import { concentrationText, totalsText, vendorText } from '../../domain/report/figures';

function interval(window: Interval): IDataObject {
	return { from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString() };
}

/** Window facts every risk item carries, so a message template can say which period it covers. */
export function windowJson(report: RiskReport, options: AssessOptions): IDataObject {
	return {
		...interval(report.window),
		days: options.days,
		timeZone: options.timeZone,
		scope: options.scope,
		previous: interval(report.previousWindow),
	};
}

/** The whole report as one item's JSON. */
export function reportJson(report: RiskReport, options: AssessOptions, message: string): IDataObject {
	return {
		level: report.level,
		message,
		window: windowJson(report, options),
		// `text`: each figure as people read it (54.5%), beside the raw number it was written from.
		totals: { ...report.totals, text: totalsText(report.totals) },
		previousTotals: { ...report.previousTotals },
		concentration: { ...report.concentration, text: concentrationText(report.concentration, report.previousTotals.delegated) },
		vendors: report.vendors.map((v) => ({ ...v, text: vendorText(v) })),
		coverage: report.coverage.map((c) => ({ ...c })),
		alerts: report.alerts.map((a) => ({ ...a })),
		thresholds: { ...report.thresholds },
		quality: report.quality.map((q) => ({ ...q })),
	} as IDataObject;
}

/** The metrics behind an alert: the vendor's row, the concentration figures, or the topic's coverage. */
export function alertDetails(report: RiskReport, alert: Pick<RiskAlert, 'id'>): IDataObject | null {
	if (alert.id === 'concentration') return { ...report.concentration } as IDataObject;
	const colon = alert.id.indexOf(':');
	const subject = alert.id.slice(0, colon);
	const key = alert.id.slice(colon + 1);
	if (subject === 'vendor') {
		const vendor = report.vendors.find((v) => v.vendor === key);
		return vendor ? ({ ...vendor } as IDataObject) : null;
	}
	const coverage = report.coverage.find((c) => c.dimension === subject && c.key === key);
	return coverage ? ({ ...coverage } as IDataObject) : null;
}

/** One alert as an item ready for a Slack or e-mail node: `message` is the text to send. */
export function alertJson(report: RiskReport, alert: RiskAlert, options: AssessOptions): IDataObject {
	return {
		level: alert.level,
		message: alert.message,
		subject: alert.subject,
		name: alert.name,
		id: alert.id,
		reasons: alert.reasons,
		details: alertDetails(report, alert),
		reportLevel: report.level,
		window: windowJson(report, options),
	};
}
