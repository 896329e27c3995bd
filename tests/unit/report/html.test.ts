import { describe, expect, it } from 'vitest';

import type { Destination } from '../../../domain/policy/schema';
import type { DashboardInput } from '../../../domain/report/dashboard';
import { CONTENT_SECURITY_POLICY, dashboardHtml } from '../../../domain/report/html';
import { capUsage } from '../../../domain/report/usage';
import { computeRiskReport } from '../../../domain/risk/report';
import type { LedgerSnapshot } from '../../../ledger/model';
import { vendorCells } from '../risk/rows';
import { SAMPLE_QUALITY } from './sample';

const DAY = 86_400_000;
const to = Date.UTC(2026, 10, 26, 9, 0);
const window = { from: to - 30 * DAY, to };

function input(overrides: Partial<DashboardInput> = {}): DashboardInput {
	// 60 / 30 / 20 of 110 delegated, 40 kept internal.
	const report = computeRiskReport({
		current: [...vendorCells({ acme: 60, bolt: 30, cura: 20 }), { ...vendorCells({ x: 40 })[0], kind: 'internal', vendor: null }],
		previous: [],
		window,
		previousWindow: { from: window.from - 30 * DAY, to: window.from },
	});
	return {
		title: 'Vendor dependency risk',
		report,
		series: { days: [{ date: '2026-11-26', from: to - DAY, to }], vendors: [] },
		timeZone: 'Europe/Berlin',
		scope: 'support',
		days: 30,
		generatedAt: to,
		...overrides,
	};
}

const destination = (d: Partial<Destination> & { id: string }): Destination =>
	({ kind: 'external', costPerTicket: 0, paused: false, dpa: false, dataRegions: [], allowedFields: [], ...d }) as Destination;

describe('dashboard page', () => {
	it('is one self-contained document: a CSP that forbids fetching, inline CSS and SVG, no script, link or URL', () => {
		const html = dashboardHtml(input());
		expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
		expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`);
		expect(CONTENT_SECURITY_POLICY).toMatch(/^default-src 'none';/);
		expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|src=|href=/i);
		// The only URL is the SVG namespace, which is a name, not a request.
		expect(html.match(/https?:\/\/[^"\s<]+/g)).toEqual(['http://www.w3.org/2000/svg']);
	});

	it('shows shares for people with the raw number beneath: 60 of 110 is 54.5% (0.545455)', () => {
		const html = dashboardHtml(input());
		expect(html).toContain('54.5%<span class="raw">0.545455</span>');
		// The window in Berlin time: 09:00 UTC on 26 November is 10:00 CET.
		expect(html).toContain('2026-10-27 10:00 → 2026-11-26 10:00 Europe/Berlin');
		// HHI of 54.5/27.3/18.2 %: (60² + 30² + 20²)/110² × 10,000 = 4,900/12,100 × 10,000 = 4,049.6…
		expect(html).toContain('4,050<span class="raw">4049.59</span>');
	});

	it('renders the quality table only when the report carries quality, from the rows as given', () => {
		expect(dashboardHtml(input())).not.toContain('<h2>Quality</h2>');
		const html = dashboardHtml(input({ quality: SAMPLE_QUALITY }));
		expect(html).toContain('<h2>Quality</h2>');
		expect(html).toContain('54.5%<span class="raw">0.545</span>'); // bolt's SLA-met rate
		expect(html).toContain('<span class="badge below">below</span>');
		expect(html).toContain('<span class="badge insufficient">insufficient</span>');
		expect(dashboardHtml(input({ quality: [] }))).toContain('No resolved delegations to judge yet.');
	});

	it('escapes every vendor name, in tables and in the inline chart', () => {
		const evil = '"><script>alert(1)</script>';
		const base = input();
		const report = { ...base.report, vendors: base.report.vendors.map((v, i) => (i === 0 ? { ...v, vendor: evil } : v)) };
		const html = dashboardHtml({ ...base, report, quality: [{ ...SAMPLE_QUALITY[0], vendor: evil }] });
		expect(html).not.toContain('<script>');
		expect(html).toContain('&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;');
	});
});

describe('caps and budget used this month', () => {
	const snapshot: LedgerSnapshot = {
		now: to,
		internalInWindow: 0,
		delegatedInShareWindow: 200,
		vendors: {
			acme: { lastHour: 3, lastDay: 30, thisMonth: 900, costThisMonth: 4100, inShareWindow: 130 },
			bolt: { lastHour: 0, lastDay: 0, thisMonth: 0, costThisMonth: 0, inShareWindow: 0 },
		},
		overflowActive: {},
		open: {},
	};
	const destinations = [
		destination({ id: 'tier1', kind: 'internal' }),
		destination({ id: 'acme', capacityPerDay: 40, capacityPerMonth: 900, monthlyBudget: 5000, maxShare: 0.6 }),
		destination({ id: 'bolt', capacityPerHour: 5, paused: true }),
		destination({ id: 'cura' }),
	];

	it('counts each limit as the router does and says how near it is', () => {
		const usage = capUsage(destinations, snapshot, 30);
		expect(usage.map((u) => u.vendor)).toEqual(['acme', 'bolt', 'cura']);
		const acme = usage[0].limits.map((l) => [l.limit, l.used, l.cap, l.text.fraction, l.status]);
		expect(acme).toEqual([
			['capacityPerDay', 30, 40, '75.0%', 'ok'], // 30 / 40
			['capacityPerMonth', 900, 900, '100.0%', 'reached'], // the router refuses the 901st
			['monthlyBudget', 4100, 5000, '82.0%', 'near'], // 4,100 / 5,000 ≥ 80%
			['maxShare', 0.65, 0.6, '108.3%', 'reached'], // 130 / 200 = 65% of a 60% cap
		]);
		expect(usage[0].limits[2].text).toMatchObject({ used: '4,100.00', cap: '5,000.00' });
		expect(usage[0].limits[3].text).toMatchObject({ used: '65.0%', cap: '60%' });
		expect(usage[1]).toMatchObject({ paused: true, limits: [{ limit: 'capacityPerHour', used: 0, cap: 5, status: 'ok' }] });
		expect(usage[2].limits).toEqual([]);
	});

	it('a zero cap already used is reached, not a division by zero', () => {
		const [zero] = capUsage([destination({ id: 'acme', capacityPerDay: 0 })], snapshot, 30);
		expect(zero.limits[0]).toMatchObject({ fraction: Infinity, status: 'reached', text: { fraction: 'n/a' } });
	});

	it('appears on the page with the month start in the policy’s zone', () => {
		const html = dashboardHtml(input({ usage: { monthStart: Date.UTC(2026, 9, 31, 23, 0), vendors: capUsage(destinations, snapshot, 30) } }));
		expect(html).toContain('the month began 2026-11-01 00:00 Europe/Berlin');
		expect(html).toContain('<span class="badge reached">reached</span>');
		expect(html).toContain('style="width:100.0%"');
	});
});
