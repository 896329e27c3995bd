import { percent, thousands } from './format';
import type { RiskReport } from './report';
import { formatLocal } from './window';

/** The report as a short plain-text message: the body of a weekly e-mail or a Slack post. */
export function reportMessage(report: RiskReport, timeZone: string): string {
	const { totals, concentration: c } = report;
	const lines = [
		`Vendor dependency risk ${formatLocal(report.window.from, timeZone)} → ${formatLocal(report.window.to, timeZone)} ${timeZone}: ${report.level.toUpperCase()}`,
		`${totals.tickets} tickets, ${totals.delegated} delegated (${percent(totals.tickets ? totals.delegated / totals.tickets : 0)}) to ${c.vendors} vendor${c.vendors === 1 ? '' : 's'}.`,
	];
	if (c.cr1) {
		const effective = c.effectiveVendors === null ? 'n/a' : c.effectiveVendors.toFixed(2);
		lines.push(
			`Largest vendor ${c.cr1.vendor} ${percent(c.cr1.share)}, two largest ${percent(c.cr2)}, ${effective} effective vendors, ` +
				`HHI ${thousands(c.hhi)} (US guidelines 2010: ${c.bands.us2010}, 2023: ${c.bands.us2023}).`,
		);
	}
	if (report.alerts.length === 0) lines.push('No alerts.');
	for (const alert of report.alerts) lines.push(`- ${alert.message}`);
	return lines.join('\n');
}
