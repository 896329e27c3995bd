import { describe, expect, it } from 'vitest';

import { pathProblem, pathSegments, readPath, writePath } from '../../../domain/ticket/path';

const ticket = {
	custom_fields: [
		{ id: 11, value: 'free' },
		{ id: 12, value: 'eu' },
	],
	fields: { 'cf.tier': 'vip', "it's": 'quoted' },
	matrix: [
		[1, 2],
		[3, 4],
	],
};

describe('paths with brackets, as n8n expressions write them', () => {
	it('reads an index or a quoted key in brackets as the same step a dot path takes', () => {
		expect(readPath(ticket, 'custom_fields[0].value')).toBe('free');
		expect(readPath(ticket, 'custom_fields[1].value')).toBe('eu');
		expect(readPath(ticket, 'custom_fields[0].value')).toBe(readPath(ticket, 'custom_fields.0.value'));
		expect(readPath(ticket, 'matrix[1][0]')).toBe(3);
		expect(readPath(ticket, '["fields"]["cf.tier"]')).toBe('vip');
		expect(readPath(ticket, "fields['cf.tier']")).toBe('vip');
		expect(readPath(ticket, "fields['it\\'s']")).toBe('quoted');
		expect(readPath(ticket, 'custom_fields[2].value')).toBeUndefined();
		expect(pathSegments(' custom_fields [0] . value ')).toEqual(['custom_fields', '0', 'value']);
		expect(pathSegments('fields["cf.tier"]')).toEqual(['fields', 'cf.tier']);
	});

	it('writes through brackets as through dots (the hand-off allow-list and field redaction use the same reader)', () => {
		expect(writePath(ticket, 'fields["cf.tier"]', 'REDACTED').fields).toEqual({ 'cf.tier': 'REDACTED', "it's": 'quoted' });
		expect(ticket.fields['cf.tier']).toBe('vip');
	});

	it('names a path whose bracket holds neither an index nor a quoted key, and how to write it', () => {
		expect(pathProblem('custom_fields[0].value')).toBeNull();
		expect(pathProblem('custom_fields.0.value')).toBeNull();
		expect(pathProblem('fields["cf.tier"]')).toBeNull();
		for (const path of ['custom_fields[x].value', 'custom_fields[-1].value', 'custom_fields[0', 'custom_fields]0', 'custom_fields[ 0 ].value', 'custom_fields[0]value']) {
			expect(pathProblem(path)).toMatch(new RegExp(`^path "${path.replace(/[[\]().*+?^$\\]/g, '\\$&')}" cannot be read: .*custom_fields\\.0\\.value`));
		}
	});
});
