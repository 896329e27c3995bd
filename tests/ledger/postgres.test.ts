import { afterAll, describe } from 'vitest';

import { ledgerContract } from './contract';
import { handoffContract } from './handoff-contract';
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
});
