import type { INodeProperties } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { properties } from '../../../nodes/TicketRouter/description';
import { editorV2Properties } from '../../../nodes/TicketRouter/editorFields';
import { editorV3Properties } from '../../../nodes/TicketRouter/editorFieldsV3';
import { v1Parameters, v2Parameters, v3Parameters } from '../../e2e/support/editor-budget';
import { effort } from './effort';

/** Build in Editor's own fields of a version (Operation and Policy Source, chosen before, are not among them). */
const editorFields = (values: object) => Object.fromEntries(Object.entries(values).filter(([name]) => name !== 'operation' && name !== 'policySource'));
const v1Properties = properties.filter((p) => (p.displayOptions?.show?.['@version'] as unknown[] | undefined)?.includes(1));

/** The effort of the budget policy, part by part (the parts are the version's top-level fields). */
function byPart(fields: INodeProperties[], values: Record<string, unknown>) {
	const parts: Record<string, { clicks: number; fields: number }> = {};
	for (const field of fields) if (field.name in values) parts[field.name] = effort([field], { [field.name]: values[field.name] });
	return parts;
}

describe('Build in Editor budget: the issue’s 6-destination, 5-rule policy', () => {
	it('version 1 (flat fields, IDs typed)', () => {
		const measured = effort(v1Properties, editorFields(v1Parameters));
		console.log(`editor budget, version 1: ${measured.clicks} clicks, ${measured.fields} typed fields`);
		// By hand: destinations 6 × (Add, ID, name) = 18 / 12; 4 vendors: kind × 2, DPA, allowed fields; contract × 2
		// for the 3 not specialist = 8 + 4 + 4/4 + 6 = 22 / 4; caps 40, 80, 30 and cost 6.5: 4 / 4. Rules 5 × (Add, ID,
		// name) = 15 / 10, targets 5 / 5, kind × 2 for the 4 not specialist = 8, tiers, tags, keywords 3 / 3, night days
		// (open, 5 days, close) 7, from and to 2 / 2, team capacity 1 / 1. Default destination, scope, time zone 3 / 3.
		expect(measured).toEqual({ clicks: 18 + 22 + 4 + 15 + 5 + 8 + 3 + 7 + 2 + 1 + 3, fields: 12 + 4 + 4 + 10 + 5 + 3 + 2 + 1 + 3 });
	});

	it('version 2 (kinds shown per destination and rule, destinations picked from lists)', () => {
		const measured = effort(editorV2Properties, editorFields(v2Parameters));
		console.log(`editor budget, version 2: ${measured.clicks} clicks, ${measured.fields} typed fields`, byPart(editorV2Properties, editorFields(v2Parameters)));
		// By hand, as n8n 2.41.1's editor behaves: destinations 32 / 14 (6 Add, 6 names, 4 vendor kinds × 2, 4 DPA
		// toggles, 4 allowed fields, 3 hourly caps, 1 cost); rules 43 / 10 (5 Add, 5 names, 4 Send To × 2, 2 kinds × 2,
		// 4 conditions × 2 + their 3 values and a schedule pick × 2, 2 vendors Add + pick × 2, a weight, the team
		// capacity); the schedule 5 / 2 (Add, name, closing time, country × 2: typing the name makes n8n fill in the
		// default opening hours); the scope 1 / 1.
		expect(byPart(editorV2Properties, editorFields(v2Parameters))).toEqual({
			destinations: { clicks: 32, fields: 14 },
			rules: { clicks: 43, fields: 10 },
			schedules: { clicks: 5, fields: 2 },
			scope: { clicks: 1, fields: 1 },
		});
		expect(measured).toEqual({ clicks: 81, fields: 27 });
	});

	it('version 3 (queue-centric) stays within the budget: at most half of the issue’s 91 clicks and 64 fields', () => {
		const measured = effort(editorV3Properties, editorFields(v3Parameters));
		console.log(`editor budget, version 3: ${measured.clicks} clicks, ${measured.fields} typed fields`, byPart(editorV3Properties, editorFields(v3Parameters)));
		// By hand: queues 2 × (Add, name, Add Condition × 2, its value) = 10 / 4; vendors 4 × (Add, name) = 8 / 4,
		// 3 contracts that are not the default specialist × 2 = 6, cost and 3 hourly caps 4 / 4, keywords (Add
		// Condition × 2, value) 3 / 1, outside schedule (Add Condition × 2, pick × 2) 4, Surge A's weight 1 / 1 = 26 /
		// 10; the vendors' DPA 1 and allowed fields 1 / 1; the team capacity 1 / 1; the schedule (Add, name, closing
		// time, country × 2) 5 / 2; the scope 1 / 1.
		expect(byPart(editorV3Properties, editorFields(v3Parameters))).toEqual({
			queues: { clicks: 10, fields: 4 },
			vendors: { clicks: 26, fields: 10 },
			vendorDpa: { clicks: 1, fields: 0 },
			vendorAllowedFields: { clicks: 1, fields: 1 },
			overflowCapacityPerHour: { clicks: 1, fields: 1 },
			schedules: { clicks: 5, fields: 2 },
			scope: { clicks: 1, fields: 1 },
		});
		expect(measured).toEqual({ clicks: 45, fields: 19 });
		expect(measured.clicks).toBeLessThanOrEqual(Math.floor(91 / 2));
		expect(measured.fields).toBeLessThanOrEqual(64 / 2);
	});
});
