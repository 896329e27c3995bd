import { describe, expect, it } from 'vitest';

import { allowedPart, DEFAULT_INTERNAL_NOTE_KEYS } from '../../../domain/handoff/payload';

const notes = { keys: DEFAULT_INTERNAL_NOTE_KEYS, dropPrivateEntries: true };

describe('allowedPart', () => {
	const ticket = {
		id: 'T-1',
		subject: 'Refund',
		description: 'Please refund',
		requester: { email: 'a@b.co', name: 'Ann', tier: 'gold' },
		internal_notes: 'customer is litigious',
		via: { channel: 'email', source: { from: 'a@b.co' } },
		comments: [
			{ body: 'Hello', public: true },
			{ body: 'Agent-only: possible fraud', public: false },
		],
		conversations: [
			{ body_text: 'Reply sent', private: false },
			{ body_text: 'Private note: VIP ex-employee', private: true },
		],
	};

	it('keeps only allow-listed paths, nested ones in their place', () => {
		expect(allowedPart(ticket, ['id', 'subject', 'requester.tier', 'via.channel', 'missing.path'], notes)).toEqual({
			id: 'T-1',
			subject: 'Refund',
			requester: { tier: 'gold' },
			via: { channel: 'email' },
		});
	});

	it('drops Zendesk private comments and Freshdesk private conversations inside an allowed field', () => {
		const out = allowedPart(ticket, ['comments', 'conversations'], notes);
		expect(out).toEqual({ comments: [{ body: 'Hello', public: true }], conversations: [{ body_text: 'Reply sent', private: false }] });
	});

	it('reads private flags leniently, as exports and form parsers write them', () => {
		const entries = [
			{ body: 'p1', public: 'false' },
			{ body: 'p2', public: 0 },
			{ body: 'p3', public: 'no' },
			{ body: 'p4', private: 'true' },
			{ body: 'p5', private: 1 },
			{ body: 'p6', internal: 'yes' },
			{ body: 'p7', internal: ' TRUE ' },
			{ body: 'kept1', public: 'true' },
			{ body: 'kept2', public: 1 },
			{ body: 'kept3', private: 'false' },
			{ body: 'kept4', private: 0 },
			{ body: 'kept5' },
		];
		expect(allowedPart({ comments: entries }, ['comments'], notes)).toEqual({ comments: entries.filter((e) => e.body.startsWith('kept')) });
	});

	it('never lets an internal-note key out, even when the policy allows it or it is nested', () => {
		const nested = { ...ticket, custom: { internalNotes: 'secret', size: 'L' } };
		expect(allowedPart(nested, ['internal_notes', 'custom', 'id'], notes)).toEqual({ id: 'T-1', custom: { size: 'L' } });
	});

	it('keeps private entries when told to, and honours a custom key list', () => {
		const out = allowedPart(ticket, ['comments', 'requester'], { keys: ['email'], dropPrivateEntries: false });
		expect(out.comments).toHaveLength(2);
		expect(out.requester).toEqual({ name: 'Ann', tier: 'gold' });
	});

	it('does not modify the ticket', () => {
		const copy = structuredClone(ticket);
		allowedPart(ticket, ['comments', 'via'], notes);
		expect(ticket).toEqual(copy);
	});
});
