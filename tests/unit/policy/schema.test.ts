import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { loadPolicy } from '../../../domain/policy/compile';
import { parsePolicy, PolicyError, policyVersion } from '../../../domain/policy/parse';

const minimal = () => ({
	destinations: [
		{ id: 'team', kind: 'internal' },
		{ id: 'acme', kind: 'external', contract: 'specialist' },
	],
	rules: [
		{ id: 'vip', kind: 'keepInternal', when: { tiers: ['vip'] }, target: 'team' },
		{ id: 'billing', kind: 'specialist', when: { keywords: ['refund'] }, target: 'acme' },
	],
	defaultDestination: 'team',
});

function issuesOf(input: unknown): string[] {
	try {
		parsePolicy(input);
	} catch (error) {
		expect(error).toBeInstanceOf(PolicyError);
		return (error as PolicyError).issues;
	}
	throw new Error('expected the policy to be rejected');
}

describe('policy schema', () => {
	it('accepts docs/example-policy.json, the policy the README shows', () => {
		const text = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'example-policy.json'), 'utf8');
		const compiled = loadPolicy(text);
		expect(compiled.rules.length).toBeGreaterThanOrEqual(5);
		expect(compiled.keywords.size).toBeGreaterThanOrEqual(40);
		expect(compiled.scope).toBe('support-eu');
	});

	it("is the same policy the README's router section shows", () => {
		const root = join(__dirname, '..', '..', '..');
		const readme = readFileSync(join(root, 'README.md'), 'utf8');
		const section = readme.slice(readme.indexOf('<!-- section:router -->'), readme.indexOf('<!-- /section:router -->'));
		const block = /```json\n([\s\S]*?)\n```/.exec(section)?.[1];
		expect(JSON.parse(block ?? 'null')).toEqual(JSON.parse(readFileSync(join(root, 'docs', 'example-policy.json'), 'utf8')));
	});

	it('fills the defaults the other nodes rely on', () => {
		const policy = parsePolicy(minimal());
		expect(policy.scope).toBe('default');
		expect(policy.timezone).toBe('UTC');
		expect(policy.guardrails).toEqual({ shareWindowDays: 30, minVolumeForShareCap: 20 });
		expect(policy.destinations[1]).toMatchObject({ paused: false, dpa: false, dataRegions: [], allowedFields: [], costPerTicket: 0 });
	});

	it('names the exact path of an unknown destination', () => {
		const p = minimal();
		p.rules.push({ id: 'x', kind: 'specialist', when: { keywords: ['y'] }, target: 'acmee' });
		expect(issuesOf(p)).toEqual(['rules[2].target: unknown destination "acmee" (destinations: team, acme)']);
	});

	it('rejects a rule whose kind does not fit its destination', () => {
		const p = minimal();
		p.rules[0].target = 'acme';
		expect(issuesOf(p)).toEqual(['rules[0].target: a keepInternal rule needs an internal destination, "acme" is external']);
	});

	it('reports every problem with its path', () => {
		const issues = issuesOf({
			timezone: 'Mars/Olympus',
			destinations: [
				{ id: 'team', kind: 'internal' },
				{ id: 'team', kind: 'external', maxShare: 1.5, capacityPerHour: 2.5 },
			],
			rules: [{ id: 'o', kind: 'overflow', targets: ['team', { destination: 'nope', weight: 0 }], overflow: { onAt: 0.5, offAt: 0.9 } }],
			defaultDestination: 'ghost',
			extra: true,
		});
		expect(issues).toEqual(
			expect.arrayContaining([
				'policy: unknown field "extra"',
				'destinations[1].capacityPerHour: must be a whole number',
				'destinations[1].maxShare: must be between 0 and 1',
				'rules[0].targets[1].weight: must be above 0',
			]),
		);
		const refs = issuesOf({
			timezone: 'Mars/Olympus',
			destinations: [
				{ id: 'team', kind: 'internal' },
				{ id: 'team', kind: 'external' },
			],
			rules: [{ id: 'o', kind: 'overflow', targets: ['team', 'nope'], overflow: { onAt: 0.5, offAt: 0.9 } }],
			defaultDestination: 'ghost',
		});
		expect(refs).toEqual([
			'timezone: unknown time zone "Mars/Olympus" (use an IANA name, e.g. "Europe/Paris")',
			'destinations[1].id: duplicate destination id "team"',
			'defaultDestination: unknown destination "ghost" (destinations: team)',
			'rules[0].targets[1]: unknown destination "nope" (destinations: team)',
			'rules[0].overflow: needs capacityPerHour or backlogLimit',
			'rules[0].overflow.offAt: must not be above onAt (0.5)',
		]);
	});

	it('needs an internal destination to fall back to', () => {
		expect(issuesOf({ destinations: [{ id: 'acme', kind: 'external' }], defaultDestination: 'acme' })).toEqual([
			'destinations: needs at least one internal destination (where tickets go when no vendor may take them)',
		]);
	});

	it('explains malformed JSON and missing fields', () => {
		expect(issuesOf('{"destinations": [')[0]).toMatch(/^policy: not valid JSON/);
		expect(issuesOf('[]')).toEqual(['policy: must be a JSON object with destinations, rules and defaultDestination']);
		expect(issuesOf({ destinations: [{ id: 'team', kind: 'internal' }] })).toEqual(['defaultDestination: is required']);
		expect(issuesOf({ ...minimal(), rules: [{ id: 'n', kind: 'outsourcing', when: { timeWindows: [{ from: '25:00', to: '08:00' }] }, target: 'acme' }] })).toEqual([
			'rules[0].when.timeWindows[0].from: must be a time HH:MM, e.g. "08:30"',
		]);
	});

	it('refuses a keyword that can never match (emoji, symbols, punctuation or invisible characters alone), by path', () => {
		const withKeywords = (keywords: unknown) => ({ ...minimal(), rules: [minimal().rules[0], { ...minimal().rules[1], when: { keywords } }] });
		const never = (k: string) => `keyword "${k}" can never match: it needs a letter or digit (emoji, symbols and punctuation alone are not searchable)`;
		for (const dead of ['🔥🔥', '++', '!!!', '$', '\u200b', '💸 💸']) {
			expect(issuesOf(withKeywords(['refund', dead]))).toEqual([`rules[1].when.keywords[1]: ${never(dead)}`]);
		}
		// A comma-separated field: the place in the list as split.
		expect(issuesOf(withKeywords('refund, 🔥, chargeback'))).toEqual([`rules[1].when.keywords[1]: ${never('🔥')}`]);
		// A word beside the symbols is enough.
		expect(() => parsePolicy(withKeywords(['c++', '.net', '$100', '24/7', '#hashtag', '@mention', '🔥 urgent', '返金', 'ช้า']))).not.toThrow();
	});

	it('versions by content: key order and list spelling do not change the version, content does', () => {
		const a = parsePolicy(minimal());
		const reordered = parsePolicy({ defaultDestination: 'team', rules: minimal().rules, destinations: minimal().destinations });
		const commaList = { ...minimal(), rules: [{ ...minimal().rules[0], when: { tiers: ' VIP ' } }, minimal().rules[1]] };
		expect(policyVersion(reordered)).toBe(policyVersion(a));
		expect(policyVersion(parsePolicy(commaList))).toBe(policyVersion(a));
		const changed = minimal();
		changed.rules[1].when.keywords = ['refund', 'chargeback'];
		expect(policyVersion(parsePolicy(changed))).not.toBe(policyVersion(a));
		expect(policyVersion(a)).toMatch(/^[0-9a-f]{12}$/);
	});

	it('compiles a policy once and reuses it', () => {
		const text = JSON.stringify(minimal());
		expect(loadPolicy(text)).toBe(loadPolicy(text));
		// Same content, other spelling: one compilation, shared by version.
		const respelled = { ...minimal(), rules: [{ ...minimal().rules[0], when: { tiers: 'VIP' } }, minimal().rules[1]] };
		expect(loadPolicy(respelled)).toBe(loadPolicy(text));
	});

	it('handles hundreds of rules', () => {
		const p = minimal();
		for (let i = 0; i < 500; i++) p.rules.push({ id: `r${i}`, kind: 'specialist', when: { keywords: [`word${i}`, `phrase number ${i}`] }, target: 'acme' });
		const compiled = loadPolicy(p);
		expect(compiled.rules).toHaveLength(502);
		expect(compiled.keywords.size).toBe(1001);
	});
});
