import { describe, expect, it } from 'vitest';

import { loadPolicy } from '../../../domain/policy/compile';

describe('policy lint: what will certainly fail downstream, said before any ticket is routed', () => {
	it('names each problem by its place as the editor shows it', () => {
		const compiled = loadPolicy({
			destinations: [
				{ id: 'team', name: 'Support team', kind: 'internal' },
				{ id: 'archive', kind: 'internal' },
				{ id: 'acme', name: 'Acme', kind: 'external', contract: 'specialist' },
				{ id: 'ok', kind: 'external', dpa: true, allowedFields: ['id'] },
				{ id: 'paused', kind: 'external', dpa: true, allowedFields: ['id'], paused: true },
			],
			rules: [
				{ id: 'everything', name: 'Everything to Acme', kind: 'specialist', target: 'acme' },
				{ id: 'never', kind: 'specialist', when: { keywords: ['refund'] }, target: 'ok' },
				{ id: 'stopped', kind: 'specialist', when: { tags: ['x'] }, target: 'paused' },
			],
			defaultDestination: 'team',
		});
		// Destinations in policy order, then rules in policy order.
		expect(compiled.warnings.map((w) => [w.code, w.message])).toEqual([
			['unreachableDestination', 'Destination 2 "archive" (destinations[1]) is not the target of any rule nor the default destination: no ticket will go there.'],
			['vendorWithoutDpa', 'Destination 3 "Acme" (destinations[2]) has no data processing agreement on file (dpa): Provider Handoff refuses every ticket routed to it. Turn on "DPA on File" once the agreement is signed.'],
			['vendorWithoutFields', 'Destination 3 "Acme" (destinations[2]) may receive no ticket fields (allowedFields is empty): Provider Handoff refuses every ticket routed to it. List the fields it may see, e.g. id, subject, description.'],
			['ruleNeverMatches', 'Rule 2 "never" (rules[1]) can never match: Rule 1 "Everything to Acme" (rules[0]) before it has no conditions and takes every ticket.'],
			['ruleNeverMatches', 'Rule 3 "stopped" (rules[2]) can never match: Rule 1 "Everything to Acme" (rules[0]) before it has no conditions and takes every ticket.'],
			['allTargetsPaused', 'Rule 3 "stopped" (rules[2]): every target is paused, so its tickets go to the fallback destination.'],
		]);
	});

	it('is quiet for a sound policy (the README example)', async () => {
		const { readFileSync } = await import('node:fs');
		const { join } = await import('node:path');
		const example = loadPolicy(readFileSync(join(__dirname, '..', '..', '..', 'docs', 'example-policy.json'), 'utf8'));
		expect(example.warnings).toEqual([]);
	});

	it('does not count an overflow rule without conditions as a catch-all (it depends on load), nor disabled rules', () => {
		const compiled = loadPolicy({
			destinations: [
				{ id: 'team', kind: 'internal' },
				{ id: 'surge', kind: 'external', dpa: true, allowedFields: ['id'] },
				{ id: 'acme', kind: 'external', dpa: true, allowedFields: ['id'] },
			],
			rules: [
				{ id: 'peak', kind: 'overflow', targets: ['surge'], overflow: { capacityPerHour: 10 } },
				{ id: 'off', kind: 'specialist', enabled: false, target: 'acme' },
				{ id: 'billing', kind: 'specialist', when: { keywords: ['refund'] }, target: 'acme' },
			],
			defaultDestination: 'team',
		});
		expect(compiled.warnings).toEqual([]);
	});
});
