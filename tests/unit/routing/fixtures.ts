import type { LedgerSnapshot, VendorCounts } from '../../../ledger/model';
import { compilePolicy } from '../../../domain/policy/compile';
import { parsePolicy } from '../../../domain/policy/parse';
import type { PolicyInput } from '../../../domain/policy/schema';
import { decide, emptySnapshot, type DecideOptions } from '../../../domain/routing/decide';
import type { Ticket } from '../../../domain/ticket/ticket';

/** Wednesday 2026-06-10 12:00 UTC: inside office hours, outside every peak period below. */
export const NOW = Date.UTC(2026, 5, 10, 12, 0);

export function ticket(id: string, fields: Partial<Ticket> = {}): Ticket {
	return {
		id,
		subject: '',
		body: '',
		tags: [],
		category: null,
		language: null,
		channel: null,
		priority: null,
		tier: null,
		region: null,
		createdAt: null,
		dueAt: null,
		source: fields.source ?? { id, ...fields },
		...fields,
	};
}

export function policy(input: Partial<PolicyInput> & Pick<PolicyInput, 'destinations'>) {
	return compilePolicy(parsePolicy({ defaultDestination: 'team', ...input }));
}

export function snapshot(fields: Partial<LedgerSnapshot> = {}): LedgerSnapshot {
	return { ...emptySnapshot(NOW), ...fields };
}

export function vendorCounts(fields: Partial<VendorCounts> = {}): VendorCounts {
	return { lastHour: 0, lastDay: 0, thisMonth: 0, costThisMonth: 0, inShareWindow: 0, ...fields };
}

export function route(compiled: ReturnType<typeof policy>, tickets: Ticket[], snap = snapshot(), options: Partial<DecideOptions> = {}) {
	return decide(tickets, compiled, snap, { now: NOW, ...options });
}

export const TEAM = { id: 'team', name: 'Support team', kind: 'internal' } as const;
