import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SqliteLedger } from '../../nodes/core/ledger/sqlite/sqlite-ledger';
import { ledgerContract } from './contract';

const folder = mkdtempSync(join(tmpdir(), 'sd-ledger-sqlite-'));
let n = 0;

ledgerContract('sqlite', async () => SqliteLedger.open(join(folder, `contract-${++n}.sqlite`)));
