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

	describe('an allowed path with array indexes reads the ticket as the vendor may see it: private entries are gone first', () => {
		// The opening comment is agent-only; the customer's message is the first entry the vendor may see.
		const ticket = {
			id: '48213',
			comments: [
				{ body: 'Agent-only: suspected fraud, do not refund', public: false },
				{ body: 'Hello, my order is late', public: true },
				{ body: 'Internal: escalate to legal', private: true },
				{ body: 'Any news?', public: 'true' },
			],
		};

		it('numbers count public entries only, so `comments.0` is the first public comment and no index reaches a private one', () => {
			expect(allowedPart(ticket, ['id', 'comments.0.body'], notes)).toEqual({ id: '48213', comments: { 0: { body: 'Hello, my order is late' } } });
			expect(allowedPart(ticket, ['comments.0', 'comments.1'], notes)).toEqual({
				comments: { 0: { body: 'Hello, my order is late', public: true }, 1: { body: 'Any news?', public: 'true' } },
			});
			// With private entries kept (the option off), an index counts every entry.
			expect(allowedPart(ticket, ['comments.0.body'], { keys: DEFAULT_INTERNAL_NOTE_KEYS, dropPrivateEntries: false })).toEqual({
				comments: { 0: { body: 'Agent-only: suspected fraud, do not refund' } },
			});
		});

		it('an index past the public entries reads nothing, even where a private entry sits', () => {
			expect(allowedPart(ticket, ['id', 'comments.2', 'comments.2.body', 'comments.3.body'], notes)).toEqual({ id: '48213' });
		});

		it('the whole array and indexed paths together give one consistent list, the way a dropped entry looks: absent, no gap', () => {
			expect(allowedPart(ticket, ['comments', 'comments.0.body', 'comments.1.body'], notes)).toEqual({
				comments: [
					{ body: 'Hello, my order is late', public: true },
					{ body: 'Any news?', public: 'true' },
				],
			});
		});

		it('a property of the array itself counts public entries too', () => {
			expect(allowedPart(ticket, ['comments.length'], notes)).toEqual({ comments: { length: 2 } });
		});

		it('applies at every level: a private reply inside a public conversation is not reached by its index', () => {
			const nested = {
				conversations: [
					{ private: true, replies: [{ body: 'private thread, first reply' }] },
					{ private: false, replies: [{ body: 'Note: customer is on a watch list', internal: 1 }, { body: 'We shipped it' }] },
				],
			};
			expect(allowedPart(nested, ['conversations.0.replies.0.body', 'conversations.1.replies.0.body'], notes)).toEqual({
				conversations: { 0: { replies: { 0: { body: 'We shipped it' } } } },
			});
		});
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
