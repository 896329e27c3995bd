import type { INodeProperties } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { effort } from './effort';

/** The counting rules, each on a field built for it, with the clicks n8n 2.41.1's editor takes worked out by hand. */
const text = (name: string, value = ''): INodeProperties => ({ displayName: name, name, type: 'string', default: value });

describe('editor effort model', () => {
	it('an Add button for one option group, an Add dropdown (open + pick) for several', () => {
		const one: INodeProperties = { displayName: 'Items', name: 'items', type: 'fixedCollection', typeOptions: { multipleValues: true }, default: {}, options: [{ name: 'item', displayName: 'Item', values: [text('a')] }] };
		const two: INodeProperties = { ...one, options: [{ name: 'item', displayName: 'Item', values: [text('a')] }, { name: 'other', displayName: 'Other', values: [text('a')] }] };
		// Two items, each one typed field: Add + focus each.
		expect(effort([one], { items: { item: [{ a: 'x' }, { a: 'y' }] } })).toEqual({ clicks: 4, fields: 2 });
		expect(effort([two], { items: { item: [{ a: 'x' }], other: [{ a: 'y' }] } })).toEqual({ clicks: 6, fields: 2 });
	});

	it('a new item holds its fields’ defaults, a nested list of items included', () => {
		const hours: INodeProperties = {
			displayName: 'Hours',
			name: 'hours',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			default: { interval: [{ from: '08:00' }] },
			options: [{ name: 'interval', displayName: 'Interval', values: [text('from', '08:00')] }],
		};
		const schedules: INodeProperties = { ...hours, name: 'schedules', default: {}, options: [{ name: 'schedule', displayName: 'Schedule', values: [text('name'), hours] }] };
		// Add schedule, type its name (n8n then restores the hours' default interval), change from: 3 clicks, 2 fields.
		expect(effort([schedules], { schedules: { schedule: [{ name: 'Office', hours: { interval: [{ from: '09:00' }] } }] } })).toEqual({ clicks: 3, fields: 2 });
		// A second interval costs its Add click.
		expect(effort([schedules], { schedules: { schedule: [{ name: 'Office', hours: { interval: [{ from: '08:00' }, { from: '08:00' }] } }] } })).toEqual({ clicks: 3, fields: 1 });
	});

	it('a collection option: open the Add list and pick, then its value from the option’s default', () => {
		const options: INodeProperties = {
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			default: {},
			options: [
				{ displayName: 'Paused', name: 'paused', type: 'boolean', default: true },
				{ displayName: 'Day', name: 'day', type: 'options', options: [{ name: 'Mon', value: 'mon' }, { name: 'Tue', value: 'tue' }], default: 'mon' },
				{ displayName: 'Days', name: 'days', type: 'multiOptions', options: [{ name: 'Mon', value: 'mon' }, { name: 'Tue', value: 'tue' }], default: ['mon'] },
			],
		};
		// Paused: added at true, 2. Day to tue: 2 + open and pick 2 = 4. Days to [tue]: 2 + open, untick mon, tick tue,
		// close 4 = 6.
		expect(effort([options], { options: { paused: true, day: 'tue', days: ['tue'] } })).toEqual({ clicks: 12, fields: 0 });
	});

	it('refuses two fields of the same name: they would be one value counted twice', () => {
		expect(() => effort([text('a'), text('a')], { a: 'x' })).toThrow(/two fields named a/);
	});
});
