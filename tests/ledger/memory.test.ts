import { MemoryLedger } from '../doubles/memory-ledger';
import { ledgerContract } from './contract';

ledgerContract('memory', async () => new MemoryLedger(), { isReference: true });
