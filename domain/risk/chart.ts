import type { ShareSeries } from './series';

const WIDTH = 760;
const HEIGHT = 360;
const PAD = { left: 48, right: 170, top: 40, bottom: 44 };
/** Distinguishable on white and in grey print; cycles after eight vendors. */
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

function escapeXml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function fixed(n: number): string {
	return Number(n.toFixed(1)).toString();
}

export interface ChartOptions {
	title: string;
	/** Horizontal guide lines, e.g. the warning and critical share thresholds. */
	lines: Array<{ share: number; label: string; color: string }>;
}

/**
 * Vendor shares per day as a self-contained SVG line chart (no fonts or scripts to fetch), small
 * enough to attach to an e-mail. Days without delegated tickets break the lines instead of drawing 0.
 */
export function shareChartSvg(series: ShareSeries, options: ChartOptions): string {
	const plotW = WIDTH - PAD.left - PAD.right;
	const plotH = HEIGHT - PAD.top - PAD.bottom;
	const n = series.days.length;
	const x = (i: number) => PAD.left + (n <= 1 ? plotW / 2 : (i * plotW) / (n - 1));
	const y = (share: number) => PAD.top + plotH - share * plotH;
	const out: string[] = [];
	out.push(
		`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
		`<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
		`<text x="${PAD.left}" y="22" font-size="14" font-weight="bold">${escapeXml(options.title)}</text>`,
	);
	for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
		out.push(
			`<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${fixed(y(tick))}" y2="${fixed(y(tick))}" stroke="#e5e5e5"/>`,
			`<text x="${PAD.left - 6}" y="${fixed(y(tick) + 4)}" text-anchor="end" fill="#555">${tick * 100}%</text>`,
		);
	}
	const labelEvery = Math.max(1, Math.ceil(n / 8));
	series.days.forEach((day, i) => {
		if (i % labelEvery !== 0 && i !== n - 1) return;
		out.push(`<text x="${fixed(x(i))}" y="${HEIGHT - PAD.bottom + 16}" text-anchor="middle" fill="#555">${day.date.slice(5)}</text>`);
	});
	for (const line of options.lines) {
		out.push(
			`<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${fixed(y(line.share))}" y2="${fixed(y(line.share))}" stroke="${line.color}" stroke-dasharray="5 4"/>`,
			`<text x="${PAD.left + plotW - 4}" y="${fixed(y(line.share) - 4)}" text-anchor="end" fill="${line.color}">${escapeXml(line.label)}</text>`,
		);
	}
	series.vendors.forEach((vendor, v) => {
		const color = PALETTE[v % PALETTE.length];
		let d = '';
		let pen = false;
		vendor.shares.forEach((share, i) => {
			if (share === null) {
				pen = false;
				return;
			}
			d += `${pen ? 'L' : 'M'}${fixed(x(i))} ${fixed(y(share))}`;
			pen = true;
		});
		if (d) out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"/>`);
		const legendY = PAD.top + 6 + v * 18;
		const total = vendor.tickets.reduce((a, b) => a + b, 0);
		out.push(
			`<rect x="${WIDTH - PAD.right + 14}" y="${legendY - 8}" width="10" height="10" fill="${color}"/>`,
			`<text x="${WIDTH - PAD.right + 30}" y="${legendY + 1}">${escapeXml(vendor.vendor)} (${total})</text>`,
		);
	});
	if (series.vendors.length === 0) {
		out.push(`<text x="${PAD.left + plotW / 2}" y="${PAD.top + plotH / 2}" text-anchor="middle" fill="#777">No delegated tickets in this window</text>`);
	}
	out.push('</svg>');
	return out.join('\n');
}
