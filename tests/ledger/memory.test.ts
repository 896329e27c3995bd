import { MemoryLedger } from '../doubles/memory-ledger';
import { ledgerContract } from './contract';
import { handoffContract } from './handoff-contract';

ledgerContract('memory', async () => new MemoryLedger(), { isReference: true });
handoffContract('memory', async () => new MemoryLedger());
