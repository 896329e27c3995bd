import { createHash } from 'node:crypto';

import { z } from 'zod';

import { VENDOR_STATUSES } from '../../domain/callback/lifecycle';
import type { CallbackReport } from '../../domain/callback/judge';
import { refusal, type CallbackRefusal } from '../../domain/callback/refusal';
import { MAX_TICKET_ID, textProblem } from '../../domain/ticket/limits';
import { MAX_PROVIDER_REFERENCE } from '../../ledger/outcome-writer';

/** Longest callback id a vendor may send (its own event id, a UUID or a delivery id). */
export const MAX_CALLBACK_ID = 200;

const text = (max: number) =>
	z.string().superRefine((value, ctx) => {
		if (value.trim() === '') ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must not be empty' });
		const problem = textProblem(value, max);
		if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
	});

const INSTANT_MESSAGE = 'must be an ISO 8601 date-time with an offset, e.g. "2026-11-30T14:05:00Z"';

/** An ISO 8601 instant with its offset (`2026-11-30T14:05:00Z`, `…+01:00`): a bare date or local time is ambiguous. */
const instant = z
	.string()
	.datetime({ offset: true, message: INSTANT_MESSAGE })
	// The pattern takes any two-digit offset (+99:99, +2400); Date.parse makes NaN of those, which is a bad field, not a date.
	.transform((value, ctx) => {
		const ms = Date.parse(value);
		if (Number.isFinite(ms)) return ms;
		ctx.addIssue({ code: z.ZodIssueCode.custom, message: INSTANT_MESSAGE });
		return z.NEVER;
	});

/** The callback body, one schema per CSAT scale (cached: built once per scale, not per request). */
function schemaFor(csatMax: number) {
	return z
		.object({
			ticketId: text(MAX_TICKET_ID),
			status: z.enum(VENDOR_STATUSES, { errorMap: () => ({ message: `must be one of ${VENDOR_STATUSES.join(', ')}` }) }),
			callbackId: text(MAX_CALLBACK_ID).optional(),
			providerReference: text(MAX_PROVIDER_REFERENCE).optional(),
			at: instant.optional(),
			firstResponseAt: instant.optional(),
			resolvedAt: instant.optional(),
			slaMet: z.boolean({ invalid_type_error: 'must be true or false' }).optional(),
			reopened: z.boolean({ invalid_type_error: 'must be true or false' }).optional(),
			csat: z
				.number({ invalid_type_error: `must be a number from 0 to ${csatMax}` })
				.min(0, `must be a number from 0 to ${csatMax}`)
				.max(csatMax, `must be a number from 0 to ${csatMax}`)
				.optional(),
		})
		.strict();
}

const schemas = new Map<number, ReturnType<typeof schemaFor>>();

export interface CallbackBody {
	report: CallbackReport;
	/** The vendor's own id of this callback: signed, so only the vendor chooses under which id a callback is remembered. */
	callbackId: string | null;
	/** SHA-256 (hex) of the report as read: the same for the same event however its JSON is laid out. */
	reportHash: string;
}

/**
 * Every field of the report in one fixed order, absent ones as null (a sent null is refused, so null means absent),
 * times as epoch ms: key order, spacing, escapes and offsets of the body do not change it, any reported value does.
 */
function reportHash(report: CallbackReport): string {
	const { ticketId, status, providerReference, at, firstResponseAt, resolvedAt, slaMet, reopened, csat } = report;
	const fields = [ticketId, status, providerReference, at, firstResponseAt, resolvedAt, slaMet, reopened, csat].map((v) => v ?? null);
	return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/** The parsed JSON body as a report, or the first problem with the field it concerns. */
export function readCallbackBody(json: unknown, csatMax: number): { body: CallbackBody } | { refusal: CallbackRefusal } {
	if (typeof json !== 'object' || json === null || Array.isArray(json)) {
		return { refusal: refusal(422, 'the body must be a JSON object', 'body') };
	}
	let schema = schemas.get(csatMax);
	if (!schema) schemas.set(csatMax, (schema = schemaFor(csatMax)));
	const parsed = schema.safeParse(json);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		if (issue.code === z.ZodIssueCode.unrecognized_keys) {
			return { refusal: refusal(422, `unknown field "${issue.keys[0]}": send only the documented fields`, issue.keys[0]) };
		}
		const field = issue.path.join('.');
		const message = issue.code === z.ZodIssueCode.invalid_type && issue.received === 'undefined' ? 'is required' : issue.message;
		return { refusal: refusal(422, `${field} ${message}`, field) };
	}
	const { callbackId, ...report } = parsed.data;
	return { body: { report, callbackId: callbackId ?? null, reportHash: reportHash(report) } };
}
