import { vendorBody } from '../domain/handoff/body';
import { checkTerms } from '../domain/handoff/gate';
import type { Delegation, VendorTerms } from '../domain/routing/delegation';
import { notServedBy, type HandoffJob, type HandoffSettings } from './handoff';
import { idempotencyKey } from './signing';
import { requestHeaders, type VendorEndpoint } from './transport';

export type HandoffPreview =
	| {
			status: 'preview';
			vendor: string;
			method: string;
			path: string;
			/** As they would be sent; the credential's own values are masked. */
			headers: Record<string, string>;
			/** Exactly the request body the vendor would receive. */
			body: string;
			redactions: Record<string, number>;
	  }
	| { status: 'failed'; vendor: string; errorClass: string; message: string };

const MASKED = '(from the credential)';

/**
 * What a hand-off would send, built by the same code as a real one (vendorBody, requestHeaders), for each job:
 * nothing is sent, the ledger is neither read nor written. A ticket the gate refuses says why instead.
 */
export function previewHandoff(jobs: readonly HandoffJob[], settings: Pick<HandoffSettings, 'vendors' | 'notes' | 'redactor'>, endpoint: VendorEndpoint, path: (vendor: string) => string, now = Date.now()): HandoffPreview[] {
	return jobs.map(({ ticket, delegation }) => {
		const vendor = delegation.vendor;
		const notServed = notServedBy(settings.vendors, vendor);
		if (notServed) return { status: 'failed', vendor, errorClass: 'refused_vendor', message: notServed };
		// The item's own terms and reason: a real hand-off takes them from the ledger's decision, which the router
		// recorded from the same policy (and refuses an item whose delegation disagrees with it).
		const vendorTerms = (delegation.vendorTerms ?? null) as VendorTerms | null;
		const verdict = checkTerms({ vendor, customerRegion: delegation.customerRegion, vendorTerms });
		if (verdict) return { status: 'failed', vendor, errorClass: verdict.refusal, message: verdict.message };
		const reason = (ticket.delegation as { reason?: unknown } | undefined)?.reason as Delegation['reason'];
		const { body, redactions } = vendorBody(ticket, { ...delegation, reason }, vendorTerms!.allowedFields, settings.notes, settings.redactor);
		const key = idempotencyKey(delegation.policyScope, delegation.ticketId, vendor, delegation.decisionId);
		const headers = requestHeaders(endpoint, body, key, now);
		for (const name of Object.keys(endpoint.headers)) headers[name] = MASKED;
		return { status: 'preview', vendor, method: endpoint.method, path: path(vendor), headers, body, redactions };
	});
}
