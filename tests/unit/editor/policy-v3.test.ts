import type { IDataObject } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { parsePolicy } from '../../../domain/policy/parse';
import { policyFromEditor, type EditorParameters } from '../../../nodes/TicketRouter/editorPolicy';
import { policyFromEditorV3, type EditorParametersV3 } from '../../../nodes/TicketRouter/editorPolicyV3';
import { v2Parameters, v3Parameters } from '../../e2e/support/editor-budget';

/** What the node reads for version 3 when the panel leaves a field at its default. */
const v3 = (values: Partial<EditorParametersV3>): EditorParametersV3 => ({
	scope: 'default',
	timezone: 'Europe/Paris',
	defaultDestination: '',
	queues: {},
	vendors: {},
	vendorDpa: false,
	vendorAllowedFields: '',
	overflowCapacityPerHour: 0,
	overflow: {},
	guardrails: {},
	schedules: {},
	sla: {},
	...values,
});

describe('Build in Editor version 3 → policy', () => {
	it('builds the same policy as version 2 for the budget: same destinations, schedule, and rules but for their names', () => {
		const fromV3 = parsePolicy(policyFromEditorV3(v3(v3Parameters as Partial<EditorParametersV3>)).policy);
		const v2: EditorParameters = { ...(v2Parameters as unknown as EditorParameters), timezone: 'Europe/Paris', defaultDestination: '', guardrails: {} };
		const fromV2 = parsePolicy(policyFromEditor(v2, 2));
		expect(fromV3.destinations).toEqual(fromV2.destinations);
		expect(fromV3.schedules).toEqual(fromV2.schedules);
		expect(fromV3.defaultDestination).toBe('support-team');
		const routing = (rules: typeof fromV2.rules) =>
			rules.map((rule) => {
				const rest: Partial<typeof rule> = { ...rule };
				delete rest.id;
				delete rest.name;
				return rest;
			});
		expect(routing(fromV3.rules)).toEqual(routing(fromV2.rules));
		// The kinds the destinations imply, in list order, the overflow last.
		expect(fromV3.rules.map((r) => [r.id, r.kind])).toEqual([
			['support-team', 'keepInternal'],
			['trust-safety', 'keepInternal'],
			['billing-experts', 'specialist'],
			['nightdesk', 'outsourcing'],
			['capacity-overflow', 'overflow'],
		]);
	});

	it('vendors take the policy’s DPA and allowed fields unless their Limits override them; specialist is the default contract', () => {
		const { policy } = policyFromEditorV3(
			v3({
				vendorDpa: true,
				vendorAllowedFields: 'id, subject',
				queues: { queue: [{ name: 'Team' }] },
				vendors: { vendor: [{ name: 'Acme' }, { name: 'Globex', contract: 'outsourcing', limits: { dpa: false, allowedFields: 'id' } }] },
			}),
		);
		expect(policy.destinations).toEqual([
			{ id: 'team', name: 'Team', kind: 'internal' },
			{ id: 'acme', name: 'Acme', kind: 'external', contract: 'specialist', dpa: true, allowedFields: ['id', 'subject'] },
			{ id: 'globex', name: 'Globex', kind: 'external', contract: 'outsourcing', dpa: false, allowedFields: ['id'] },
		]);
		// No conditions anywhere: no rules; the first internal queue takes everything.
		expect(policy.rules).toBeUndefined();
		expect(policy.defaultDestination).toBe('team');
	});

	it('a schedule’s usual week is its first opening hours; more hours follow; no open days leaves only those', () => {
		const schedule = (s: IDataObject) => (policyFromEditorV3(v3({ queues: { queue: [{ name: 'Team' }] }, schedules: { schedule: [s] } })).policy.schedules as IDataObject[])[0];
		// Nothing changed: Monday to Friday, 08:00 to 18:00.
		expect(schedule({ name: 'Office' }).hours).toEqual([{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '18:00' }]);
		expect(schedule({ name: 'Office', to: '19:00', moreHours: { interval: [{ days: ['sat'], from: '10:00', to: '14:00' }] } }).hours).toEqual([
			{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '19:00' },
			{ days: ['sat'], from: '10:00', to: '14:00' },
		]);
		expect(schedule({ name: 'Weekend desk', days: [], moreHours: { interval: [{ days: ['sat', 'sun'], from: '09:00', to: '17:00' }] } }).hours).toEqual([
			{ days: ['sat', 'sun'], from: '09:00', to: '17:00' },
		]);
	});

	it('a vendor’s fallbacks follow it in its rule, in order', () => {
		const { policy } = policyFromEditorV3(
			v3({
				queues: { queue: [{ name: 'Team' }] },
				vendors: { vendor: [{ name: 'Acme', when: { categories: 'billing' }, limits: { thenTry: ['globex', 'initech'] } }, { name: 'Globex' }, { name: 'Initech' }] },
			}),
		);
		expect(policy.rules).toEqual([{ id: 'acme', name: 'Acme', kind: 'specialist', targets: ['acme', 'globex', 'initech'], when: { categories: 'billing' } }]);
	});

	it('names each policy path as the version-3 panel shows it', () => {
		const { place } = policyFromEditorV3(
			v3({
				queues: { queue: [{ name: 'Team', when: { tags: 'vip' } }] },
				vendors: { vendor: [{ name: 'Acme', when: { categories: 'billing' }, limits: { thenTry: ['globx'] } }, { name: 'Surge', contract: 'capacity' }] },
				overflowCapacityPerHour: 50,
				schedules: { schedule: [{ name: 'Office', to: '25:00', moreHours: { interval: [{ days: ['sat'], from: '10:00', to: '14:00' }] } }] },
			}),
		);
		expect(place('destinations[1].capacityPerHour')).toBe('Vendor 1 "Acme" › capacityPerHour (destinations[1].capacityPerHour)');
		expect(place('destinations[0]')).toBe('Internal Queue 1 "Team" (destinations[0])');
		expect(place('rules[0].when.tags')).toBe('Internal Queue 1 "Team" › Route Here When › tags (rules[0].when.tags)');
		expect(place('rules[1].targets[1]')).toBe('Vendor 1 "Acme" › Limits › If Over a Limit, Try › 1 (rules[1].targets[1])');
		expect(place('rules[2].targets[0]')).toBe('Vendor 2 "Surge" (rules[2].targets[0])');
		expect(place('schedules[0].hours[0].to')).toBe('Schedule 1 "Office" › Closes (schedules[0].hours[0].to)');
		expect(place('schedules[0].hours[1].from')).toBe('Schedule 1 "Office" › More Opening Hours › 1 › from (schedules[0].hours[1].from)');
		expect(place('timezone')).toBe('timezone');
	});
});

describe('quality limits in a vendor’s Add Limit (versions 2 and 3)', () => {
	// The README's JSON example: { minSlaMetRate: 0.6, minAvgCsat: 3.5, maxReopenRate: 0.15, maxReturnRate: 0.1, lastResolved: 20, minSample: 20 }.
	const limits = { minSlaMetPercent: 60, minAvgCsat: 3.5, maxReopenPercent: 15, maxReturnPercent: 10, qualityLastResolved: 20, qualityMinSample: 20 };
	const expected = { minSlaMetRate: 0.6, minAvgCsat: 3.5, maxReopenRate: 0.15, maxReturnRate: 0.1, lastResolved: 20, minSample: 20 };

	it('version 3: percentages become the policy’s fractions', () => {
		const { policy } = policyFromEditorV3(v3({ queues: { queue: [{ name: 'Team' }] }, vendors: { vendor: [{ name: 'Acme', limits }] } }));
		expect((policy.destinations as IDataObject[])[1].quality).toEqual(expected);
		expect(parsePolicy(policy).destinations[1].quality).toEqual({ ...expected, recoverMargin: 0.05, recoverMarginCsat: 0.2 });
	});

	it('version 2: the same options under Limits', () => {
		const policy = policyFromEditor({ scope: 'default', timezone: 'UTC', defaultDestination: '', guardrails: {}, destinations: { destination: [{ name: 'Team', kind: 'internal' }, { name: 'Acme', kind: 'specialist', limits }] }, rules: {} }, 2);
		expect((policy.destinations as IDataObject[])[1].quality).toEqual(expected);
	});

	it('a sample without any limit is an error naming the vendor as the editor shows it', () => {
		const built = policyFromEditorV3(v3({ queues: { queue: [{ name: 'Team' }] }, vendors: { vendor: [{ name: 'Acme', limits: { qualityWindowDays: 30 } }] } }));
		expect(() => parsePolicy(built.policy)).toThrow(/destinations\[1\]\.quality/);
		try {
			parsePolicy(built.policy);
		} catch (error) {
			const [problem] = (error as { problems: Array<{ path: string; message: string }> }).problems;
			expect(`${built.place(problem.path)}: ${problem.message}`).toBe(
				'Vendor 1 "Acme" › quality (destinations[1].quality): needs at least one limit: minSlaMetRate, minAvgCsat, maxReopenRate or maxReturnRate',
			);
		}
	});
});
