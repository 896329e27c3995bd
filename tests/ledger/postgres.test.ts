import { afterAll, describe, expect, it } from 'vitest';

import { ledgerContract } from './contract';
import { handoffContract } from './handoff-contract';
import { decision, request } from './fixtures';
import { dropSchemas, openPostgres, postgresUnavailable, uniqueSchema } from './postgres';

const unavailable = postgresUnavailable();
const schemas: string[] = [];

describe.skipIf(unavailable !== null)('PostgreSQL', () => {
	afterAll(() => dropSchemas(schemas));

	ledgerContract('postgres', async () => {
		const schema = uniqueSchema('contract');
		schemas.push(schema);
		return openPostgres(schema);
	});

	handoffContract('postgres', async () => {
		const schema = uniqueSchema('handoff');
		schemas.push(schema);
		return openPostgres(schema);
	});

	it('records a lone UTF-16 surrogate in a ticket field as U+FFFD, as the driver encodes any text parameter', async () => {
		const schema = uniqueSchema('surrogate');
		schemas.push(schema);
		const ledger = await openPostgres(schema);
		try {
			// '\ud800' alone is no character: UTF-8 has no encoding for it, so it becomes U+FFFD; the pair '\ud83c\udfab' is 🎫.
			const row = decision({ ticketId: 'lone-\ud800', matched: 'x\udc00y 🎫 \ud83c\udfab' });
			await ledger.routeBatch('support', request({ ticketIds: [row.ticketId] }), () => ({ rows: [row], overflowActive: {}, result: null }));
			expect(await ledger.decisionsOf('support', 'lone-\ufffd')).toMatchObject([{ id: row.id, ticketId: 'lone-\ufffd', matched: 'x\ufffdy 🎫 🎫' }]);
		} finally {
			await ledger.close();
		}
	});
});
