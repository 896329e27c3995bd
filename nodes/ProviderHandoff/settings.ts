import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { authHeaders, credentialValues, providerAuth } from '../../vendor-boundary/auth';
import type { InternalNoteRules } from '../../domain/handoff/payload';
import { DEFAULT_INTERNAL_NOTE_KEYS } from '../../domain/handoff/payload';
import { DEFAULT_PHONE_REGIONS } from '../../domain/redaction/detectors/phone';
import type { CustomPattern, RedactionOptions } from '../../domain/redaction/redact';
import type { TransportOptions, VendorEndpoint } from '../../vendor-boundary/transport';
import { splitList } from '../../domain/policy/list';

export interface NodeSettings {
	vendors: string[];
	endpoint: VendorEndpoint;
	transport: TransportOptions;
	redaction: RedactionOptions;
	notes: InternalNoteRules;
}

/** Every parameter is per node, not per item: read once, at item 0. */
export async function readSettings(ctx: IExecuteFunctions): Promise<NodeSettings> {
	const credentials = (await ctx.getCredentials('supportProviderApi')) as Record<string, unknown>;
	const redaction = ctx.getNodeParameter('redaction', 0, {}) as IDataObject;
	const notes = ctx.getNodeParameter('internalNotes', 0, {}) as IDataObject;
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const patterns = ((redaction.patterns as IDataObject | undefined)?.pattern ?? []) as CustomPattern[];
	const secret = typeof credentials.signingSecret === 'string' && credentials.signingSecret ? credentials.signingSecret : null;
	const concurrency = Number(options.concurrency ?? 5);
	return {
		vendors: splitList(ctx.getNodeParameter('vendors', 0, '')),
		endpoint: {
			baseUrl: String(credentials.baseUrl ?? '').replace(/\/+$/, ''),
			method: ctx.getNodeParameter('method', 0, 'POST') as VendorEndpoint['method'],
			path: String(ctx.getNodeParameter('path', 0, '/tickets')),
			headers: authHeaders(providerAuth(credentials)),
			signingSecret: secret,
			referenceField: String(ctx.getNodeParameter('referenceField', 0, 'id')) || 'id',
			credentialValues: credentialValues(credentials),
		},
		transport: {
			concurrency,
			timeoutMs: Number(options.timeoutMs ?? 10_000),
			maxResponseBytes: Number(options.maxResponseBytes ?? 1_048_576),
			retry: {
				maxRetries: Number(options.maxRetries ?? 3),
				baseDelayMs: Number(options.retryBaseDelayMs ?? 500),
				maxDelayMs: Number(options.retryMaxDelayMs ?? 30_000),
			},
		},
		redaction: {
			kinds: (redaction.kinds as string[] | undefined) ?? undefined,
			phoneRegions: redaction.phoneRegions === undefined ? DEFAULT_PHONE_REGIONS : splitList(redaction.phoneRegions),
			fields: splitList(redaction.fields),
			patterns: patterns.filter((p) => p.pattern),
		},
		notes: {
			keys: notes.keys === undefined ? DEFAULT_INTERNAL_NOTE_KEYS : splitList(notes.keys),
			dropPrivateEntries: notes.dropPrivateEntries !== false,
		},
	};
}
