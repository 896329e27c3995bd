import { describe, expect, it } from 'vitest';

import { ledgerLabels, OTHER_LABEL } from '../../../domain/routing/labels';
import { NOW, policy, snapshot, ticket } from './fixtures';
import { decide } from '../../../domain/routing/decide';

const compiled = policy({
	destinations: [
		{ id: 'team', name: 'Team', kind: 'internal' },
		{ id: 'acme', name: 'Acme', kind: 'external', contract: 'specialist', dpa: true, allowedFields: ['id'] },
	],
	rules: [
		{ id: 'billing', kind: 'specialist', when: { categories: ['Billing', 'refunds'], channels: ['kiosk'], priorities: ['sev-1'], languages: ['tlh'] }, target: 'acme' },
	],
	sla: { targetMinutes: { blocker: 60 } },
});
const labels = ledgerLabels(compiled);

describe('ledger labels: the policy vocabulary or a bounded one, else "other"', () => {
	it('keeps the categories the policy names (case-folded) and nothing else', () => {
		expect(labels.topic('billing')).toBe('billing');
		expect(labels.topic('REFUNDS')).toBe('refunds');
		expect(labels.topic('shipping')).toBe(OTHER_LABEL);
		expect(labels.topic('refund for jane.doe@example.com')).toBe(OTHER_LABEL);
		expect(labels.topic(null)).toBeNull();
	});

	it('keeps common channels, the policy’s own, and nothing a customer typed', () => {
		for (const c of ['email', 'chat', 'phone', 'whatsapp', 'kiosk']) expect(labels.channel(c)).toBe(c);
		expect(labels.channel('Jean Dupont')).toBe(OTHER_LABEL);
		expect(labels.channel('+33 6 12 34 56 78')).toBe(OTHER_LABEL);
	});

	it('keeps known priorities, the policy’s and its SLA’s, bounds the rest', () => {
		for (const p of ['urgent', 'high', 'normal', 'low', 'p1', 'sev-1', 'blocker']) expect(labels.priority(p)).toBe(p);
		expect(labels.priority('x'.repeat(200))).toBe(OTHER_LABEL);
	});

	it('keeps ISO 639 language codes with an optional region or script; "bob" and free text are other', () => {
		for (const l of ['en', 'fr', 'fr-ca', 'pt_br', 'zh-hant', 'es-419', 'deu', 'tlh']) expect(labels.language(l)).toBe(l);
		for (const l of ['bob', 'xq', 'english please', 'fr-canada', 'a@b.co']) expect(labels.language(l)).toBe(OTHER_LABEL);
		// Each code is looked up once and remembered: asking again, with or without a region, answers the same.
		for (let round = 0; round < 2; round++) {
			expect([labels.language('de'), labels.language('de-at'), labels.language('bob'), labels.language('bob-at')]).toEqual(['de', 'de-at', OTHER_LABEL, OTHER_LABEL]);
		}
	});

	it('is what decide() writes on the ledger row', () => {
		const t = ticket('1', { category: 'call me 0612345678', channel: 'email', language: 'fr', priority: 'jean@example.com' });
		const [row] = decide([t], compiled, snapshot(), { now: NOW }).rows;
		expect(row).toMatchObject({ topic: OTHER_LABEL, channel: 'email', language: 'fr', priority: OTHER_LABEL });
	});
});
