import { percent, percentLine } from '../risk/format';
import type { ShareSeries } from '../risk/series';
import { fontOf, textWidth } from './png/font';
import type { Scene, Shape } from './scene';

export const CHART_WIDTH = 800;
export const CHART_HEIGHT = 400;
const PAD = { left: 52, right: 216, top: 56, bottom: 44 };
/** Distinguishable on white and in grey print (Tableau 10); cycles after ten vendors. */
export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];
const LEGEND_ROWS = 14;
const INK = '#222222';
const MUTED = '#666666';
const GRID = '#e6e6e6';

export interface ThresholdLine {
	share: number;
	label: string;
	color: string;
}

export interface ShareChartInput {
	title: string;
	/** Daily shares over the window (Ledger.series). */
	series: ShareSeries;
	/** The window's shares of delegated tickets, largest first: the legend, and the bars on day one. */
	current: Array<{ vendor: string; tickets: number; share: number }>;
	lines: ThresholdLine[];
}

/** One colour per vendor, by its rank in the window: the chart and the page's tables use the same. */
export function vendorColors(vendors: readonly string[]): Map<string, string> {
	const colors = new Map<string, string>();
	for (const vendor of vendors) if (!colors.has(vendor)) colors.set(vendor, PALETTE[colors.size % PALETTE.length]);
	return colors;
}

/** Long vendor names would run off the legend and under the bars. */
function clip(text: string, max: number): string {
	return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Days on which anything was delegated: a line needs two of them to say something. */
export function daysWithHistory(series: ShareSeries): number {
	let n = 0;
	for (let i = 0; i < series.days.length; i++) if (series.vendors.some((v) => v.shares[i] !== null)) n++;
	return n;
}

/**
 * Vendor shares of delegated tickets: a line per vendor over the window's days once there are two days of history,
 * before that (day one, a new ledger) a bar per vendor of its share so far, so the chart is never empty lines.
 */
export function shareChart(input: ShareChartInput): Scene {
	const plot = { x: PAD.left, y: PAD.top, w: CHART_WIDTH - PAD.left - PAD.right, h: CHART_HEIGHT - PAD.top - PAD.bottom };
	const y = (share: number) => Math.round(plot.y + plot.h - share * plot.h) + 0.5;
	const colors = vendorColors(input.current.map((c) => c.vendor).concat(input.series.vendors.map((v) => v.vendor)));
	const history = daysWithHistory(input.series);
	const bars = history < 2;
	const delegated = input.current.reduce((sum, c) => sum + c.tickets, 0);
	const subtitle =
		delegated === 0
			? 'No delegated tickets in this window yet'
			: bars
				? `No daily history yet: each vendor's share of the ${delegated} delegated ticket${delegated === 1 ? '' : 's'} so far`
				: `Share of each day's delegated tickets; ${delegated} delegated in the window`;
	const shapes: Shape[] = [
		{ type: 'rect', x: 0, y: 0, width: CHART_WIDTH, height: CHART_HEIGHT, fill: '#ffffff' },
		{ type: 'text', x: PAD.left, y: 22, text: input.title, face: 'title', fill: INK, anchor: 'start' },
		{ type: 'text', x: PAD.left, y: 40, text: subtitle, face: 'regular', fill: MUTED, anchor: 'start' },
	];
	for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
		shapes.push(
			{ type: 'line', x1: plot.x, y1: y(tick), x2: plot.x + plot.w, y2: y(tick), stroke: GRID, width: 1 },
			{ type: 'text', x: plot.x - 6, y: y(tick) + 4, text: `${tick * 100}%`, face: 'regular', fill: MUTED, anchor: 'end' },
		);
	}

	if (bars) shapes.push(...barShapes(input, plot, y, colors));
	else shapes.push(...lineShapes(input.series, plot, y, colors));

	const regular = fontOf('regular');
	for (const line of input.lines) {
		// The label sits on a white patch so a vendor's line running through it does not hide it.
		const width = Math.ceil(textWidth(regular, line.label)) + 6;
		shapes.push(
			{ type: 'line', x1: plot.x, y1: y(line.share), x2: plot.x + plot.w, y2: y(line.share), stroke: line.color, width: 1.5, dash: [6, 4] },
			{ type: 'rect', x: plot.x + plot.w - width - 1, y: y(line.share) - 16, width, height: 14, fill: '#ffffff' },
			{ type: 'text', x: plot.x + plot.w - 4, y: y(line.share) - 5, text: line.label, face: 'regular', fill: line.color, anchor: 'end' },
		);
	}
	shapes.push({ type: 'line', x1: plot.x, y1: y(0), x2: plot.x + plot.w, y2: y(0), stroke: '#999999', width: 1 });

	// Legend: the window's share beside each vendor, the figure people read first.
	const legendX = CHART_WIDTH - PAD.right + 18;
	const shown = input.current.slice(0, LEGEND_ROWS);
	shown.forEach((c, i) => {
		const top = plot.y + i * 20;
		shapes.push(
			{ type: 'rect', x: legendX, y: top, width: 11, height: 11, fill: colors.get(c.vendor)! },
			{ type: 'text', x: legendX + 17, y: top + 10, text: clip(c.vendor, 18), face: 'regular', fill: INK, anchor: 'start' },
			{ type: 'text', x: CHART_WIDTH - 10, y: top + 10, text: percent(c.share), face: 'bold', fill: INK, anchor: 'end' },
		);
	});
	if (input.current.length > LEGEND_ROWS) {
		const more = input.current.length - LEGEND_ROWS;
		shapes.push({ type: 'text', x: legendX, y: plot.y + LEGEND_ROWS * 20 + 10, text: `+ ${more} more`, face: 'regular', fill: MUTED, anchor: 'start' });
	}
	if (delegated === 0) {
		shapes.push({ type: 'text', x: plot.x + plot.w / 2, y: plot.y + plot.h / 2, text: 'No delegated tickets in this window', face: 'bold', fill: MUTED, anchor: 'middle' });
	}

	const described = input.current.map((c) => `${c.vendor} ${percent(c.share)}`).join(', ');
	const lines = input.lines.map((l) => l.label).join(', ');
	return {
		width: CHART_WIDTH,
		height: CHART_HEIGHT,
		description: `${input.title}. ${subtitle}.${described ? ` ${described}.` : ''}${lines ? ` Lines: ${lines}.` : ''}`,
		shapes,
	};
}

type Plot = { x: number; y: number; w: number; h: number };

function barShapes(input: ShareChartInput, plot: Plot, y: (share: number) => number, colors: Map<string, string>): Shape[] {
	const vendors = input.current.filter((c) => c.tickets > 0).slice(0, LEGEND_ROWS);
	if (vendors.length === 0) return [];
	const slot = plot.w / vendors.length;
	const width = Math.min(64, Math.floor(slot * 0.6));
	const shapes: Shape[] = [];
	vendors.forEach((c, i) => {
		const centre = Math.round(plot.x + slot * (i + 0.5));
		const top = Math.round(y(c.share));
		const bottom = Math.round(y(0));
		shapes.push(
			{ type: 'rect', x: centre - Math.floor(width / 2), y: top, width, height: Math.max(1, bottom - top), fill: colors.get(c.vendor)! },
			{ type: 'text', x: centre, y: top - 6, text: percent(c.share), face: 'bold', fill: INK, anchor: 'middle' },
			{ type: 'text', x: centre, y: bottom + 16, text: clip(c.vendor, Math.max(4, Math.floor(slot / 7))), face: 'regular', fill: MUTED, anchor: 'middle' },
		);
	});
	return shapes;
}

function lineShapes(series: ShareSeries, plot: Plot, y: (share: number) => number, colors: Map<string, string>): Shape[] {
	const n = series.days.length;
	const x = (i: number) => Math.round(plot.x + (n <= 1 ? plot.w / 2 : (i * plot.w) / (n - 1)));
	const shapes: Shape[] = [];
	const labelEvery = Math.max(1, Math.ceil(n / 8));
	series.days.forEach((day, i) => {
		// Every few days, and the last day unless it would crowd the label before it.
		const labelled = i % labelEvery === 0 || (i === n - 1 && i % labelEvery >= labelEvery * 0.75);
		if (!labelled) return;
		shapes.push({ type: 'text', x: x(i), y: y(0) + 16, text: day.date.slice(5), face: 'regular', fill: MUTED, anchor: 'middle' });
	});
	// Largest vendor drawn last, on top.
	for (const vendor of [...series.vendors].reverse()) {
		const color = colors.get(vendor.vendor)!;
		let run: Array<[number, number]> = [];
		const flush = () => {
			if (run.length === 1) shapes.push({ type: 'circle', cx: run[0][0], cy: run[0][1], r: 3, fill: color });
			else if (run.length > 1) shapes.push({ type: 'polyline', points: run, stroke: color, width: 2 });
			run = [];
		};
		// A day without delegated tickets breaks the line instead of drawing 0; a lone day is a dot.
		vendor.shares.forEach((share, i) => {
			if (share === null) flush();
			else run.push([x(i), y(share)]);
		});
		flush();
	}
	return shapes;
}

/** The share chart's threshold lines: the warning and critical shares the report flags at. */
export function thresholdLines(shareWarning: number, shareCritical: number): ThresholdLine[] {
	return [
		{ share: shareWarning, label: `warning ${percentLine(shareWarning)}`, color: '#b8860b' },
		{ share: shareCritical, label: `critical ${percentLine(shareCritical)}`, color: '#c0392b' },
	];
}
