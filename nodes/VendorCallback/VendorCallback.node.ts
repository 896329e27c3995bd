import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type {
	IDataObject,
	INodeCredentialDescription,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { judgeCallback } from '../../domain/callback/judge';
import { refusal } from '../../domain/callback/refusal';
import type { Ledger } from '../../ledger/ledger';
import type { CallbackAnswer, CallbackResult } from '../../ledger/model';
import { recordedAnswer, refusalAnswer } from '../../vendor-boundary/callback/answer';
import { CALLBACK_REPLAYED_HEADER } from '../../vendor-boundary/callback/headers';
import { verifyCallback, type VerifiedCallback } from '../../vendor-boundary/callback/verify';
import { recordJson } from '../DelegationLog/records';
import { ledgerCredentials, openLedger } from '../shared/ledger/open';
import { policyScopes } from '../shared/ledger/scopes';
import { CALLBACK_PATH_PREFIX, readLimits, vendorCallbackProperties } from './properties';

/** The vendor's credential (its Signing Secret signs callbacks), and the PostgreSQL ledger's when that ledger is chosen. */
const CREDENTIALS: INodeCredentialDescription[] = [{ name: 'supportProviderApi', required: true }, ...ledgerCredentials];

/** A vendor id that can end a URL path as it is: no encoding, no slash, no dot segment. */
const URL_SAFE_VENDOR = /^(?!\.{1,2}$)[A-Za-z0-9._~-]{1,200}$/;

/** The request as n8n hands it to a webhook node: its headers and the body bytes n8n read (`rawBody`). */
interface CallbackRequest {
	headers: IncomingHttpHeaders;
	rawBody?: Buffer;
}

function respond(res: ServerResponse, answer: CallbackAnswer, replayed = false) {
	const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
	if (replayed) headers[CALLBACK_REPLAYED_HEADER] = 'true';
	res.writeHead(answer.status, headers);
	res.end(JSON.stringify(answer.body));
}

export class VendorCallback implements INodeType {
	methods = { loadOptions: { policyScopes } };

	description: INodeTypeDescription = {
		displayName: 'Vendor Callback',
		name: 'vendorCallback',
		icon: { light: 'file:vendorCallback.svg', dark: 'file:vendorCallback.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "from " + ($parameter["vendor"] || "?") }}',
		description: 'Receives a vendor’s signed outcome reports (accepted, resolved, CSAT…), records them in the delegation ledger once, and starts the workflow',
		defaults: { name: 'Vendor Callback' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: CREDENTIALS,
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// The node answers every request itself (status codes the vendor can act on), then starts the workflow.
				responseMode: 'onReceived',
				isFullPath: true,
				path: `={{"${CALLBACK_PATH_PREFIX}" + $parameter["vendor"]}}`,
			},
		],
		properties: vendorCallbackProperties,
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const res = this.getResponseObject() as unknown as ServerResponse;
		const refuse = (answer: CallbackAnswer, replayed = false): IWebhookResponseData => {
			respond(res, answer, replayed);
			return { noWebhookResponse: true };
		};
		// Our own misconfiguration or outage: 503, which a vendor retries, and nothing about the cause beyond that.
		const unavailable = (what: string) => refuse(refusalAnswer(refusal(503, `callbacks cannot be taken right now (${what}); retry later`)));

		const vendor = String(this.getNodeParameter('vendor', '')).trim();
		if (!URL_SAFE_VENDOR.test(vendor)) return unavailable('the callback node has no valid vendor ID');
		const scope = String(this.getNodeParameter('policyScope', 'default')).trim() || 'default';
		const limits = readLimits(this.getNodeParameter('options', {}) as IDataObject);

		let secret = '';
		try {
			const credentials = await this.getCredentials('supportProviderApi');
			secret = typeof credentials.signingSecret === 'string' ? credentials.signingSecret : '';
		} catch {
			secret = '';
		}
		// An empty secret would make every signature forgeable: no callback is taken until one is set.
		if (!secret) return unavailable('the vendor credential has no signing secret');

		const request = this.getRequestObject() as unknown as CallbackRequest;
		const verified = verifyCallback({ headers: request.headers, rawBody: request.rawBody }, secret, limits, Date.now());
		if ('refusal' in verified) return refuse(refusalAnswer(verified.refusal));

		let result: CallbackResult;
		try {
			const ledger: Ledger = await openLedger(this);
			result = await record(ledger, scope, vendor, verified.callback, limits.toleranceSeconds * 1000);
		} catch {
			return unavailable('the delegation ledger is unavailable');
		}
		if (result.kind === 'idReused') {
			const id = verified.callback.callbackId;
			return refuse(refusalAnswer(refusal(409, `callbackId "${id}" was recorded before with another report: send each event under its own callbackId`, 'callbackId')));
		}
		if (result.kind !== 'recorded') return refuse(result.answer, result.kind === 'replayed');

		respond(res, result.answer);
		const { callback } = verified;
		const json: IDataObject = {
			...recordJson(result.record),
			callback: {
				vendor,
				callbackId: callback.callbackId,
				signedAt: new Date(callback.timestamp * 1000).toISOString(),
				receiptHash: callback.receiptHash,
			},
		};
		return { noWebhookResponse: true, workflowData: [[{ json }]] };
	}
}

/** The verified callback, judged on the ticket's current decision and recorded with its receipt in one transaction. */
function record(ledger: Ledger, scope: string, vendor: string, callback: VerifiedCallback, slackMs: number): Promise<CallbackResult> {
	const receipt = {
		vendor,
		receiptHash: callback.receiptHash,
		callbackId: callback.callbackId,
		reportHash: callback.reportHash,
		ticketId: callback.report.ticketId,
		receivedAt: Date.now(),
	};
	return ledger.recordCallback(scope, receipt, (current) => {
		const judged = judgeCallback(current, vendor, callback.report, { signedAt: callback.timestamp * 1000, slackMs });
		return 'refusal' in judged ? { refusal: refusalAnswer(judged.refusal) } : { update: judged.update, answer: recordedAnswer };
	});
}
