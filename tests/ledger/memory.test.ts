import { MemoryLedger } from '../../nodes/core/ledger/memory';
import { ledgerContract } from './contract';

ledgerContract('memory', async () => new MemoryLedger());
