import { describe, expect, it } from 'vitest';

import { shareChartSvg } from '../../../domain/risk/chart';
import type { ShareSeries } from '../../../domain/risk/series';

const day = (date: string, i: number) => ({ date, from: i, to: i + 1 });

describe('share chart', () => {
	const series: ShareSeries = {
		days: [day('2026-11-01', 0), day('2026-11-02', 1), day('2026-11-03', 2)],
		vendors: [
			{ vendor: 'Acme & <Co>', tickets: [3, 0, 2], shares: [0.75, null, 0.5] },
			{ vendor: 'bolt', tickets: [1, 0, 2], shares: [0.25, null, 0.5] },
		],
	};
	const svg = shareChartSvg(series, {
		title: 'Vendor shares',
		lines: [{ share: 0.3, label: 'warning 30%', color: '#e69f00' }],
	});

	it('is one well-formed SVG document with escaped vendor names and totals in the legend', () => {
		expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
		expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
		expect(svg).toContain('Acme &#38; &#60;Co&#62; (5)');
		expect(svg).not.toContain('<Co>');
		expect(svg).toContain('bolt (3)');
		expect(svg).toContain('warning 30%');
	});

	it('breaks a line on a day without delegated tickets instead of drawing zero', () => {
		const paths = [...svg.matchAll(/<path d="([^"]+)"/g)].map((m) => m[1]);
		expect(paths).toHaveLength(2);
		// Two pen-down moves (M) per vendor: before and after the empty day.
		for (const d of paths) expect(d.match(/M/g)).toHaveLength(2);
	});

	it('says so when nothing was delegated', () => {
		expect(shareChartSvg({ days: [day('2026-11-01', 0)], vendors: [] }, { title: 't', lines: [] })).toContain('No delegated tickets in this window');
	});
});
