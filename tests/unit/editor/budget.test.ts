import { describe, expect, it } from 'vitest';

import { editorV2Properties } from '../../../nodes/TicketRouter/editorFields';
import { v2Parameters } from '../../e2e/support/editor-budget';
import { effort } from './effort';

describe('Build in Editor budget (version 2)', () => {
	it('counts the clicks and typed fields of the budget policy as the README counts them by hand', () => {
		// Only Build in Editor's own fields: Operation and Policy Source, chosen before, are not among them.
		const measured = effort(editorV2Properties, v2Parameters);
		console.log(`editor budget, version 2: ${measured.clicks} clicks, ${measured.fields} typed fields`);
		// Hand count (README, Build in Editor): 81 clicks and 27 typed fields. By part: destinations 32 clicks /
		// 14 fields (6 Add, 6 names, 4 vendor kinds × 2, 4 DPA toggles, 4 allowed fields, 3 hourly caps, 1 cost);
		// rules 43 / 10 (5 Add, 5 names, 4 Send To × 2, 2 kinds × 2, 4 conditions × 2 + their 3 values and a
		// schedule pick × 2, 2 vendors Add + pick × 2, a weight, the team capacity); the schedule 5 / 2 (Add, name,
		// closing time, country × 2); the scope 1 / 1.
		expect(measured).toEqual({ clicks: 81, fields: 27 });
	});
});
