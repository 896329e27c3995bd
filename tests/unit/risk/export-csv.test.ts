import { describe, expect, it } from 'vitest';

import { emptyRecord } from '../../../ledger/planning/records';
import { RECORD_FIELDS, recordJson, recordsCsv } from '../../../nodes/DelegationLog/records';
import { delegation } from './rows';

describe('Delegation Log export format', () => {
	const record = {
		...emptyRecord(delegation({ decidedAt: Date.parse('2026-11-01T08:00:00Z'), vendor: 'Acme, "Global"', ticketId: '=HYPERLINK("x")' })),
		csat: 4,
		slaMet: false,
	};

	it('every record field is exported once, timestamps as ISO 8601', () => {
		expect(new Set(RECORD_FIELDS).size).toBe(Object.keys(record).length);
		expect(recordJson(record)).toMatchObject({ decidedAt: '2026-11-01T08:00:00.000Z', handedOffAt: null, csat: 4, slaMet: false });
	});

	it('quotes commas and quotes, and defuses spreadsheet formulas in text cells', () => {
		const [header, line] = recordsCsv([record]).split('\r\n');
		expect(header.split(',')).toEqual([...RECORD_FIELDS]);
		expect(line).toContain(`,"Acme, ""Global""",`);
		expect(line).toContain(`,"'=HYPERLINK(""x"")",`);
		expect(line).toContain(',2026-11-01T08:00:00.000Z,');
		expect(line.endsWith(',4,,')).toBe(true);
	});
});
