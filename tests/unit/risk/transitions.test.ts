import { describe, expect, it } from 'vitest';

import type { AggregateRow } from '../../../ledger/model';
import { computeRiskReport } from '../../../domain/risk/report';
import type { LevelMemory } from '../../../domain/risk/transitions';
import { riskTransitions } from '../../../domain/risk/transitions';
import { vendorCells } from './rows';

const report = (current: AggregateRow[]) =>
	computeRiskReport({ current, previous: [], window: { from: 0, to: 1 }, previousWindow: { from: -1, to: 0 } });

describe('risk transitions (what the trigger emits)', () => {
	it('first poll: every flagged subject escalates from ok; memory keeps only flagged subjects', () => {
		const { transitions, memory } = riskTransitions(report(vendorCells({ acme: 40, bolt: 30, cura: 20, dyna: 10 })), {});
		expect(transitions.map((t) => [t.id, t.kind, t.from, t.to])).toEqual([['vendor:acme', 'escalated', 'ok', 'warning']]);
		expect(memory).toEqual({ 'vendor:acme': 'warning' });
	});

	it('the same levels again: nothing to emit', () => {
		const r = report(vendorCells({ acme: 40, bolt: 30, cura: 20, dyna: 10 }));
		const first = riskTransitions(r, {});
		const second = riskTransitions(r, first.memory);
		expect(second.transitions).toEqual([]);
		expect(second.memory).toEqual(first.memory);
	});

	it('warning to critical escalates; critical to warning eases; gone from the alerts recovers', () => {
		let memory: LevelMemory = { 'vendor:acme': 'warning' };
		const up = riskTransitions(report(vendorCells({ acme: 60, bolt: 20, cura: 20 })), memory);
		expect(up.transitions.map((t) => [t.id, t.kind, t.to])).toEqual([['vendor:acme', 'escalated', 'critical']]);
		memory = up.memory;
		const down = riskTransitions(report(vendorCells({ acme: 40, bolt: 30, cura: 30 })), memory);
		expect(down.transitions.map((t) => [t.id, t.kind, t.from, t.to])).toEqual([['vendor:acme', 'eased', 'critical', 'warning']]);
		expect(down.transitions[0].message).toMatch(/^EASED from critical: WARNING: Vendor "acme"/);
		const ok = riskTransitions(report(vendorCells({ acme: 25, bolt: 25, cura: 25, dyna: 25 })), down.memory);
		expect(ok.transitions).toEqual([
			{ id: 'vendor:acme', kind: 'recovered', from: 'warning', to: 'ok', alert: null, message: 'RECOVERED: Vendor "acme" is back to ok (was warning).' },
		]);
		expect(ok.memory).toEqual({});
	});

	it('a vendor that disappears from the ledger recovers instead of being forgotten silently', () => {
		const { transitions } = riskTransitions(report(vendorCells({ bolt: 25, cura: 25, dyna: 25, emma: 25 })), { 'vendor:acme': 'critical' });
		expect(transitions.map((t) => [t.id, t.kind])).toEqual([['vendor:acme', 'recovered']]);
	});
});
