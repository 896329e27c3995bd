import { describe, expect, it } from 'vitest';

import { MAX_LABEL, MAX_TICKET_ID, textProblem } from '../../../domain/ticket/limits';
import { TicketReadError, ticketReader } from '../../../domain/ticket/read';

describe('textProblem: what ledger text may hold', () => {
	it('accepts text up to the bound, in any script, astral characters included', () => {
		expect(textProblem('T-48213', MAX_TICKET_ID)).toBeNull();
		expect(textProblem('x'.repeat(255), 255)).toBeNull();
		expect(textProblem('返金 Rückerstattung 🔥', 100)).toBeNull();
		expect(textProblem('', 100)).toBeNull();
	});

	it('names the length of over-long text and the bound', () => {
		expect(textProblem('x'.repeat(256), 255)).toBe('is 256 characters long (at most 255)');
		expect(textProblem('c'.repeat(10_240), 100)).toBe('is 10240 characters long (at most 100)');
	});

	it('names the first control character (C0, DEL, C1) and where it is', () => {
		expect(textProblem('ab\u0000c', 100)).toBe('contains a control character (U+0000) at position 2');
		expect(textProblem('\ttab', 100)).toBe('contains a control character (U+0009) at position 0');
		expect(textProblem('del\u007f', 100)).toBe('contains a control character (U+007F) at position 3');
		expect(textProblem('next\u0085line', 100)).toBe('contains a control character (U+0085) at position 4');
	});

	it('refuses lone surrogates (a driver would store U+FFFD: two ids would become one) but not surrogate pairs', () => {
		expect(textProblem('T-\ud800', 100)).toBe('contains a lone surrogate (U+D800), not valid Unicode text at position 2');
		expect(textProblem('\udc00x', 100)).toBe('contains a lone surrogate (U+DC00), not valid Unicode text at position 0');
		expect(textProblem('\ud83d\udd25', 100)).toBeNull();
	});
});

describe('ticketReader: ids and labels the ledger could not hold fail the ticket, naming the field and its path', () => {
	const read = ticketReader({ preset: 'zendesk' });
	const failure = (payload: unknown) => {
		try {
			read(payload);
		} catch (error) {
			return error as TicketReadError;
		}
		throw new Error('expected the ticket to fail');
	};

	it('an id longer than 255 characters, at the preset path', () => {
		const error = failure({ id: 'x'.repeat(10_240) });
		expect(error).toBeInstanceOf(TicketReadError);
		expect([error.field, error.path, error.reason]).toEqual(['id', 'id', 'invalid']);
		expect(error.message).toBe('ticket id at "id" is 10240 characters long (at most 255)');
	});

	it('each label at its own path: category, language, channel, priority, tier, region, tags', () => {
		const long = 'y'.repeat(MAX_LABEL + 1);
		expect(failure({ id: 1, type: long }).message).toBe('ticket category at "type" is 101 characters long (at most 100)');
		expect(failure({ id: 1, requester: { locale: 'en\u0000' } }).message).toBe(
			'ticket language at "requester.locale" contains a control character (U+0000) at position 2',
		);
		expect(failure({ id: 1, via: { channel: 'e\u0007mail' } }).message).toBe(
			'ticket channel at "via.channel" contains a control character (U+0007) at position 1',
		);
		expect(failure({ id: 1, priority: '\ud800' }).field).toBe('priority');
		expect(failure({ id: 1, organization: { tier: long } }).field).toBe('tier');
		expect(failure({ id: 1, requester: { region: 'e\u001bu' } }).field).toBe('region');
		expect(failure({ id: 1, tags: ['ok', 'bad\u0000tag'] }).message).toBe('ticket tags at "tags" contains a control character (U+0000) at position 3');
	});

	it('a missing id is still "missing", and text fields that never reach the ledger are not bounded', () => {
		expect(failure({ subject: 'x' }).reason).toBe('missing');
		const ticket = read({ id: 7, subject: 'nul \u0000 in a subject', description: 'b'.repeat(100_000) });
		expect(ticket.subject).toBe('nul \u0000 in a subject');
		expect(ticket.body).toHaveLength(100_000);
	});

	it('bounds apply after trimming: 255 characters of id inside spaces are fine', () => {
		expect(read({ id: `  ${'7'.repeat(255)}  ` }).id).toHaveLength(255);
	});
});
