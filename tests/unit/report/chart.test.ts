import { describe, expect, it } from 'vitest';

import { CHART_HEIGHT, CHART_WIDTH, PALETTE, shareChart, thresholdLines } from '../../../domain/report/chart';
import { scenePng } from '../../../domain/report/png/scene-png';
import type { Shape } from '../../../domain/report/scene';
import { sceneSvg } from '../../../domain/report/svg';
import type { ShareSeries } from '../../../domain/risk/series';
import { pixel, readPng } from './png-reader';

const day = (date: string, i: number) => ({ date, from: i, to: i + 1 });
const texts = (shapes: Shape[]) => shapes.filter((s) => s.type === 'text').map((s) => (s as { text: string }).text);
const of = <T extends Shape['type']>(shapes: Shape[], type: T) => shapes.filter((s) => s.type === type) as Array<Extract<Shape, { type: T }>>;

// Plot geometry from the chart's stated layout: 800 × 400, plot from x 52 to 584 (216 px legend), y 56 to 356.
const PLOT = { left: 52, right: CHART_WIDTH - 216, top: 56, bottom: CHART_HEIGHT - 44 };
const PLOT_H = PLOT.bottom - PLOT.top;

describe('share chart on day one (no daily history yet)', () => {
	// One day, three vendors: 6, 3 and 1 of 10 delegated tickets.
	const series: ShareSeries = {
		days: [day('2026-11-30', 0)],
		vendors: [
			{ vendor: 'acme', tickets: [6], shares: [0.6] },
			{ vendor: 'bolt', tickets: [3], shares: [0.3] },
			{ vendor: 'cura', tickets: [1], shares: [0.1] },
		],
	};
	const current = [
		{ vendor: 'acme', tickets: 6, share: 0.6 },
		{ vendor: 'bolt', tickets: 3, share: 0.3 },
		{ vendor: 'cura', tickets: 1, share: 0.1 },
	];
	const scene = shareChart({ title: 'Day one', series, current, lines: thresholdLines(0.3, 0.5) });

	it('draws a bar per vendor as tall as its share, labelled for people', () => {
		const bars = of(scene.shapes, 'rect').filter((r) => PALETTE.includes(r.fill) && r.width > 11);
		expect(bars.map((b) => b.fill)).toEqual([PALETTE[0], PALETTE[1], PALETTE[2]]);
		// Height = share × plot height (300 px), to the pixel.
		bars.forEach((b, i) => expect(Math.abs(b.height - current[i].share * PLOT_H)).toBeLessThanOrEqual(1));
		// Bars stand on the 0% line and are centred in equal slots of the 532 px plot.
		for (const b of bars) expect(Math.abs(b.y + b.height - PLOT.bottom)).toBeLessThanOrEqual(1);
		const slot = (PLOT.right - PLOT.left) / 3;
		bars.forEach((b, i) => expect(Math.abs(b.x + b.width / 2 - (PLOT.left + slot * (i + 0.5)))).toBeLessThanOrEqual(1));
		expect(texts(scene.shapes)).toEqual(expect.arrayContaining(['60.0%', '30.0%', '10.0%', 'warning 30%', 'critical 50%']));
		expect(of(scene.shapes, 'polyline')).toEqual([]);
		expect(texts(scene.shapes).join(' ')).toContain("No daily history yet: each vendor's share of the 10 delegated tickets so far");
	});

	it('is a PNG of the stated 800 × 400 with the bars where the scene puts them', () => {
		const png = readPng(scenePng(scene));
		expect([png.width, png.height, png.bitDepth, png.colourType]).toEqual([800, 400, 8, 2]);
		expect(png.chunks).toEqual(['IHDR', 'IDAT', 'IEND']);
		// acme's bar: 60% of 300 px = 180 px above y 356, centred at x ≈ 52 + 532/6 = 140.7.
		expect(pixel(png, 141, 300)).toBe(PALETTE[0]);
		expect(pixel(png, 141, 356 - 170)).toBe(PALETTE[0]);
		// Above its top (y ≈ 176) and clear of its label and the grid lines: white.
		expect(pixel(png, 141, 150)).toBe('#ffffff');
		// cura's 10% bar is 30 px tall: inside it at y 340, white above it at y 300.
		const curaX = Math.round(PLOT.left + ((PLOT.right - PLOT.left) / 3) * 2.5);
		expect(pixel(png, curaX, 340)).toBe(PALETTE[2]);
		expect(pixel(png, curaX, 300)).toBe('#ffffff');
	});

	it('with nothing delegated says so instead of drawing empty axes', () => {
		const empty = shareChart({ title: 't', series: { days: [day('2026-11-30', 0)], vendors: [] }, current: [], lines: [] });
		expect(texts(empty.shapes)).toContain('No delegated tickets in this window');
		expect(of(empty.shapes, 'rect').filter((r) => PALETTE.includes(r.fill))).toEqual([]);
	});
});

describe('share chart with history', () => {
	const series: ShareSeries = {
		days: [day('2026-11-01', 0), day('2026-11-02', 1), day('2026-11-03', 2), day('2026-11-04', 3), day('2026-11-05', 4)],
		vendors: [
			{ vendor: 'Acme & <Co>', tickets: [3, 0, 2, 2, 0], shares: [0.75, null, 0.5, 0.5, 0] },
			{ vendor: 'bolt', tickets: [1, 0, 2, 2, 0], shares: [0.25, null, 0.5, 0.5, 0] },
			{ vendor: 'cura', tickets: [0, 0, 0, 0, 4], shares: [0, null, 0, 0, 1] },
		],
	};
	const current = [
		{ vendor: 'Acme & <Co>', tickets: 7, share: 7 / 16 },
		{ vendor: 'bolt', tickets: 5, share: 5 / 16 },
		{ vendor: 'cura', tickets: 4, share: 4 / 16 },
	];
	const scene = shareChart({ title: 'Shares', series, current, lines: thresholdLines(0.3, 0.5) });

	it('breaks a line on a day without delegated tickets; a lone day is a dot', () => {
		const lines = of(scene.shapes, 'polyline');
		// acme and bolt: day 1 alone (a dot), days 3–5 a line; cura: the same.
		expect(lines).toHaveLength(3);
		for (const l of lines) expect(l.points).toHaveLength(3);
		expect(of(scene.shapes, 'circle')).toHaveLength(3);
		// x of day i: 52 + i × 532 / 4.
		expect(lines.map((l) => l.points.map(([x]) => x))).toEqual([[318, 451, 584], [318, 451, 584], [318, 451, 584]]);
	});

	it('gives each vendor its share of the window in the legend, in the same colour as its line', () => {
		expect(texts(scene.shapes)).toEqual(expect.arrayContaining(['Acme & <Co>', '43.8%', 'bolt', '31.3%', 'cura', '25.0%']));
		const acmeLine = of(scene.shapes, 'polyline').find((l) => l.points[0][1] === Math.round(56 + 300 - 0.5 * 300) + 0.5 && l.stroke === PALETTE[0]);
		expect(acmeLine).toBeDefined();
	});

	it('escapes vendor names in the SVG and describes the chart for screen readers', () => {
		const svg = sceneSvg(scene);
		expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="800" height="400"')).toBe(true);
		expect(svg).toContain('>Acme &#38; &#60;Co&#62;</text>');
		expect(svg).not.toContain('<Co>');
		expect(svg).toContain('<title>Shares. Share of each day&#39;s delegated tickets; 16 delegated in the window. Acme &#38; &#60;Co&#62; 43.8%, bolt 31.3%, cura 25.0%. Lines: warning 30%, critical 50%.</title>');
		expect(svg).not.toMatch(/<script|href=|@import|url\(/i);
	});

	it('draws the same scene as PNG: lines in the vendors’ colours, text in the title row', () => {
		const png = readPng(scenePng(scene));
		expect([png.width, png.height]).toEqual([800, 400]);
		let title = 0;
		for (let y = 8; y < 26; y++) for (let x = 52; x < 300; x++) if (pixel(png, x, y) !== '#ffffff') title++;
		expect(title).toBeGreaterThan(200);
		// cura climbs from 0% on day 4 (451, 356.5) to 100% on day 5 (584, 56.5): at x 500 it is at y ≈ 246, in its colour.
		const column = Array.from({ length: 13 }, (_, k) => pixel(png, 500, 240 + k));
		expect(column).toContain(PALETTE[2]);
		// Above and below that stretch the column is white (acme and bolt pass lower, near y 262).
		expect(pixel(png, 500, 230)).toBe('#ffffff');
	});
});
