import type { RiskLevel } from '../risk/thresholds';
import { HHI_BANDS } from '../risk/thresholds';
import { decimal, percent, percentLine, percentOrNa, thousands } from '../risk/format';
import type { RiskReport } from '../risk/report';
import { formatLocal } from '../risk/window';
import { vendorColors } from './chart';
import type { DashboardInput, QualityRow } from './dashboard';
import { dashboardChart } from './dashboard';
import { concentrationText, totalsText, vendorText } from './figures';
import { escapeXml as e, sceneSvg } from './svg';

/**
 * Nothing may be fetched: no scripts, fonts, images or styles from anywhere. The browser enforces it, so a vendor
 * name that slipped past escaping still could not load anything.
 */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const STYLE = `
:root { --ink: #1d2330; --muted: #5d6677; --line: #e3e6ec; --bg: #f5f6f8; --card: #ffffff;
  --ok: #1e7b4a; --ok-bg: #e3f4ea; --warning: #8a5a00; --warning-bg: #fff1cc; --critical: #a61b1b; --critical-bg: #fde2e0; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 20px 40px; }
header { display: flex; justify-content: space-between; align-items: flex-start; gap: 16px; margin-bottom: 16px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 0 0 10px; }
.meta { color: var(--muted); font-size: 13px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px 18px; margin-bottom: 16px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 12px; background: none; border: 0; padding: 0; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .value { font-size: 24px; font-weight: 700; margin: 2px 0; }
.card .note { color: var(--muted); font-size: 12px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.badge.ok { color: var(--ok); background: var(--ok-bg); }
.badge.warning, .badge.near, .badge.below { color: var(--warning); background: var(--warning-bg); }
.badge.critical, .badge.reached { color: var(--critical); background: var(--critical-bg); }
.badge.insufficient, .badge.moderate { color: var(--muted); background: var(--bg); }
.badge.high { color: var(--warning); background: var(--warning-bg); }
.badge.unconcentrated { color: var(--ok); background: var(--ok-bg); }
td.name { white-space: nowrap; }
header .badge { font-size: 14px; padding: 4px 12px; }
.chart svg { display: block; width: 100%; max-width: 960px; height: auto; margin: 0 auto; }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: 12px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.raw { color: var(--muted); font-size: 11px; display: block; }
.chip { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: baseline; }
.bar { position: relative; height: 8px; background: var(--bg); border-radius: 4px; min-width: 120px; overflow: hidden; }
.bar span { position: absolute; inset: 0 auto 0 0; border-radius: 4px; background: #4a7bd0; }
.bar span.near { background: #d99a00; } .bar span.reached { background: #c0392b; }
ul.alerts { margin: 0; padding-left: 18px; } ul.alerts li { margin: 4px 0; }
.empty { color: var(--muted); margin: 0; }
footer { color: var(--muted); font-size: 12px; text-align: center; }
@media print { body { background: #fff; } section, .card { break-inside: avoid; } }
`;

function badge(level: string): string {
	return `<span class="badge ${e(level)}">${e(level)}</span>`;
}

/** A figure for people with its raw value beneath it, in the units the node's JSON carries. */
function figure(text: string, raw: number | null): string {
	const rawText = raw === null ? 'null' : String(Number(raw.toPrecision(6)));
	return `${e(text)}<span class="raw">${e(rawText)}</span>`;
}

function cards(report: RiskReport): string {
	const t = totalsText(report.totals);
	const c = report.concentration;
	const ct = concentrationText(c, report.previousTotals.delegated);
	const th = report.thresholds;
	const card = (label: string, value: string, note: string) =>
		`<div class="card"><div class="label">${e(label)}</div><div class="value">${value}</div><div class="note">${note}</div></div>`;
	return `<section class="cards">
${card('Delegated', e(t.delegatedShare), `${e(t.delegated)} of ${e(t.tickets)} tickets · cost ${e(t.delegatedCost)}`)}
${card('Largest vendor', c.cr1 ? e(percent(c.cr1.share)) : 'n/a', c.cr1 ? `${e(c.cr1.vendor)} · warning above ${e(percentLine(th.shareWarning))}, critical above ${e(percentLine(th.shareCritical))}` : 'nothing delegated')}
${card('Effective vendors', e(ct.effectiveVendors), `${c.vendors} vendor${c.vendors === 1 ? '' : 's'} · warning below ${e(String(th.minEffectiveVendors))}`)}
${card('HHI', e(ct.hhi), `US 2010: ${e(c.bands.us2010)} · 2023: ${e(c.bands.us2023)} · previous ${e(ct.previousHhi)}`)}
</section>`;
}

function concentrationTable(report: RiskReport): string {
	const c = report.concentration;
	const th = report.thresholds;
	const ct = concentrationText(c, report.previousTotals.delegated);
	const cr1Level: RiskLevel = !c.cr1 || report.totals.delegated < th.minDelegated ? 'ok' : c.cr1.share > th.shareCritical ? 'critical' : c.cr1.share > th.shareWarning ? 'warning' : 'ok';
	const rows = [
		['Largest vendor (CR1)', figure(ct.cr1, c.cr1?.share ?? null), `warning above ${percentLine(th.shareWarning)}, critical above ${percentLine(th.shareCritical)}`, badge(cr1Level)],
		['Two largest (CR2)', figure(ct.cr2, c.cr2), 'context', ''],
		[
			'HHI (Σ share² in %²)',
			figure(ct.hhi, c.hhi),
			`US 2010: high above ${thousands(HHI_BANDS.us2010.high)}; US 2023: high above ${thousands(HHI_BANDS.us2023.high)} (context: few vendors always score high)`,
			`${badge(c.bands.us2010)} ${badge(c.bands.us2023)}`,
		],
		['Effective vendors (10,000 / HHI)', figure(ct.effectiveVendors, c.effectiveVendors), `warning below ${th.minEffectiveVendors}`, badge(c.level)],
		['HHI, previous window', figure(ct.previousHhi, report.previousTotals.delegated > 0 ? c.previousHhi : null), 'trend', ''],
	];
	return `<section><h2>Concentration</h2><table>
<thead><tr><th>Measure</th><th class="num">Value</th><th>Threshold</th><th>Status</th></tr></thead>
<tbody>${rows.map(([m, v, t, s]) => `<tr><td>${e(m)}</td><td class="num">${v}</td><td>${e(t)}</td><td>${s}</td></tr>`).join('\n')}</tbody>
</table>${report.totals.delegated < th.minDelegated ? `<p class="empty">Fewer than ${th.minDelegated} delegated tickets: shares are shown but not flagged.</p>` : ''}</section>`;
}

function vendorTable(report: RiskReport, colors: Map<string, string>): string {
	if (report.vendors.length === 0) return `<section><h2>Vendors</h2><p class="empty">No vendor received tickets in this window or the one before.</p></section>`;
	const rows = report.vendors.map((v) => {
		const t = vendorText(v);
		const chip = `<span class="chip" style="background:${colors.get(v.vendor) ?? '#999999'}"></span>`;
		return `<tr><td class="name">${chip}${e(v.vendor)}</td><td class="num">${figure(t.tickets, v.tickets)}</td><td class="num">${figure(t.shareOfDelegated, v.shareOfDelegated)}</td>
<td class="num">${figure(t.change, v.change)}</td><td class="num">${figure(t.shareOfAll, v.shareOfAll)}</td><td class="num">${figure(t.cost, v.cost)}</td>
<td class="num">${figure(t.slaAttainment, v.slaAttainment)}</td><td class="num">${figure(t.reopenRate, v.reopenRate)}</td><td class="num">${figure(t.averageCsat, v.averageCsat)}</td>
<td>${badge(v.level)}</td><td>${e(v.reasons.join('; '))}</td></tr>`;
	});
	return `<section><h2>Vendors</h2><table>
<thead><tr><th>Vendor</th><th class="num">Tickets</th><th class="num">Share of delegated</th><th class="num">Change</th><th class="num">Share of all</th><th class="num">Cost</th><th class="num">SLA met</th><th class="num">Reopened</th><th class="num">CSAT</th><th>Level</th><th>Why</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></section>`;
}

function qualityTable(quality: readonly QualityRow[], colors: Map<string, string>): string {
	if (quality.length === 0) return `<section><h2>Quality</h2><p class="empty">No resolved delegations to judge yet.</p></section>`;
	const rows = quality.map(
		(q) => `<tr><td class="name"><span class="chip" style="background:${colors.get(q.vendor) ?? '#999999'}"></span>${e(q.vendor)}</td>
<td class="num">${figure(thousands(q.resolved), q.resolved)}</td><td class="num">${figure(percentOrNa(q.slaMetRate), q.slaMetRate)}</td>
<td class="num">${figure(decimal(q.avgCsat), q.avgCsat)}</td><td class="num">${figure(percentOrNa(q.reopenRate), q.reopenRate)}</td>
<td class="num">${figure(percentOrNa(q.returnRate), q.returnRate)}</td><td>${badge(q.level)}</td></tr>`,
	);
	return `<section><h2>Quality</h2><table>
<thead><tr><th>Vendor</th><th class="num">Resolved</th><th class="num">SLA met</th><th class="num">Average CSAT</th><th class="num">Reopened</th><th class="num">Returned</th><th>Level</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></section>`;
}

function usageTable(usage: NonNullable<DashboardInput['usage']>, timeZone: string): string {
	const rows = usage.vendors.flatMap((v) =>
		v.limits.map((l, i) => {
			const width = Math.min(100, Math.max(0, Number.isFinite(l.fraction) ? l.fraction * 100 : 100));
			const vendor = i === 0 ? `${e(v.vendor)}${v.paused ? ' <span class="badge insufficient">paused</span>' : ''}` : '';
			return `<tr><td>${vendor}</td><td>${e(l.label)}</td><td class="num">${figure(l.text.used, l.used)}</td><td class="num">${figure(l.text.cap, l.cap)}</td>
<td class="num">${e(l.text.fraction)}</td><td><div class="bar"><span class="${l.status}" style="width:${width.toFixed(1)}%"></span></div></td><td>${badge(l.status)}</td></tr>`;
		}),
	);
	const body = rows.length
		? `<table><thead><tr><th>Vendor</th><th>Limit</th><th class="num">Used</th><th class="num">Cap</th><th class="num">Used %</th><th></th><th>Status</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`
		: '<p class="empty">The policy sets no caps or budgets on its vendors.</p>';
	return `<section><h2>Caps and budget</h2><p class="meta">Counted as the router counts them; the month began ${e(formatLocal(usage.monthStart, timeZone))} ${e(timeZone)}.</p>${body}</section>`;
}

function coverageTable(report: RiskReport): string {
	const single = report.coverage.filter((c) => c.noSubstitute);
	if (single.length === 0) return '';
	const rows = single.map(
		(c) => `<tr><td>${e(c.dimension)}</td><td>${e(c.key)}</td><td>${e(c.vendors[0].vendor)}</td><td class="num">${figure(thousands(c.delegated), c.delegated)}</td><td>${badge(c.level)}</td></tr>`,
	);
	return `<section><h2>No substitute</h2><p class="meta">Topics and functions one vendor carries alone, with no internal handling.</p><table>
<thead><tr><th>Kind</th><th>Name</th><th>Only vendor</th><th class="num">Delegated</th><th>Level</th></tr></thead><tbody>${rows.join('\n')}</tbody></table></section>`;
}

function alertList(report: RiskReport): string {
	if (report.alerts.length === 0) return '';
	return `<section><h2>Alerts</h2><ul class="alerts">${report.alerts.map((a) => `<li>${badge(a.level)} ${e(a.message.replace(/^[A-Z]+: /, ''))}</li>`).join('\n')}</ul></section>`;
}

/**
 * The Vendor Risk report as one self-contained HTML page: inline CSS and SVG only, nothing fetched (see
 * CONTENT_SECURITY_POLICY), readable without JavaScript and printable.
 */
export function dashboardHtml(input: DashboardInput): string {
	const { report } = input;
	const scene = dashboardChart(input);
	const colors = vendorColors(
		report.vendors
			.filter((v) => v.tickets > 0)
			.map((v) => v.vendor)
			.concat(report.vendors.map((v) => v.vendor)),
	);
	const scope = input.scope === null ? 'all scopes' : `scope ${input.scope}`;
	const window = `${formatLocal(report.window.from, input.timeZone)} → ${formatLocal(report.window.to, input.timeZone)} ${input.timeZone}`;
	return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${e(input.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header><div><h1>${e(input.title)}</h1>
<div class="meta">${e(scope)} · ${e(window)} · generated ${e(formatLocal(input.generatedAt, input.timeZone))}</div></div>
<div>${badge(report.level)}</div></header>
${cards(report)}
<section class="chart">${sceneSvg(scene)}</section>
${alertList(report)}
${concentrationTable(report)}
${vendorTable(report, colors)}
${input.quality ? qualityTable(input.quality, colors) : ''}
${input.usage ? usageTable(input.usage, input.timeZone) : ''}
${coverageTable(report)}
<footer>Vendor Risk · n8n-nodes-support-delegation · figures for people above, raw values beneath them</footer>
</main>
</body>
</html>
`;
}
