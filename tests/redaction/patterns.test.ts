import type { IDataObject } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Redactor } from '../../domain/redaction/redact';
import { runWorkflow } from '../harness/workflow';
import { VendorServer } from '../handoff/vendor-server';
import { delegationFor } from '../unit/handoff/fixtures';
import workflow from '../workflows/fixtures/handoff-single.json';

const SECRET = 'whsec_patterns';
let server: VendorServer;
beforeAll(async () => {
	server = await new VendorServer({ secret: SECRET }).start();
	server.keepReceived = true;
});
afterAll(() => server.stop());

const credentials = () => ({ supportProviderApi: { baseUrl: server.url, authentication: 'bearer', token: 't', signingSecret: SECRET } });
function withPatterns(patterns: IDataObject[], options: IDataObject = {}) {
	const copy = structuredClone(workflow);
	Object.assign(copy.nodes[1].parameters, { redaction: { patterns: { pattern: patterns } }, options });
	return copy as unknown as Parameters<typeof runWorkflow>[0];
}
const ticket = (id: string, body: string): IDataObject => ({ id, subject: 'Refund', body, delegation: delegationFor(id, 'acme', { customerRegion: null }) as unknown as IDataObject });

describe('custom patterns run on RE2 and are checked when the node starts', () => {
	it.each([
		['lookbehind', '(?<=ID)\\d+'],
		['backreference', '(a)\\1'],
		['unbalanced', 'ORD-('],
		['possessive', 'a*+'],
	])('refuses a %s, naming the pattern, before anything is sent', async (_kind, pattern) => {
		const id = `R-${_kind}`;
		const run = await runWorkflow(withPatterns([{ name: 'mine', pattern }]), { items: [ticket(id, 'x')], credentials: credentials() });
		expect(run.status).toBe('error');
		expect(run.error('Hand Off to Acme')?.message).toContain(`Redaction pattern "mine" (${pattern}) is not a regular expression RE2 accepts`);
		expect(server.requestsFor(id)).toHaveLength(0);
	});

	it('refuses a pattern that matches the empty string', () => {
		expect(() => new Redactor({ patterns: [{ name: 'any', pattern: '(x|)' }] })).toThrow('Redaction pattern "any" ((x|)) matches the empty string');
	});

	it('applies RE2 patterns, case-insensitively when asked, counted under their own name', () => {
		const r = new Redactor({ kinds: [], patterns: [{ name: 'Order ID', pattern: 'ORD-\\d{6}' }, { name: 'badge', pattern: 'emp-[a-z]+', caseInsensitive: true }] });
		expect(r.redactText('ORD-123456 and ORD-123456, EMP-jones')).toEqual({ value: '[ORDER_ID_1] and [ORDER_ID_1], [BADGE_1]', counts: { 'Order ID': 2, badge: 1 } });
	});
});

/**
 * The catastrophic patterns, on 1 MB bodies built to make a backtracking engine explode: `(a+)+$` on a run of
 * a's that ends in "!", `(\w+\.?)+@internal` on "word." repeated with no "@internal". With JavaScript's RegExp the
 * first froze n8n for 1.6 s on 28 characters and the second ran past 20 s on 1 MB. RE2 is linear in the input, so
 * through the node (built-in detectors too, in Preview Only: the very body a vendor would get, built and signed, with
 * no ledger decision needed and nothing sent) each completes within the bound stated
 * here: 3 s of CPU for 1 MB (measured: about 0.2 s) — a backtracking engine needs 2^n steps instead.
 * And linear means linear: 1 MB costs at most 8× what 256 KB costs (quadratic would be 16×).
 */
describe('catastrophic patterns on a 1 MB body through the node', () => {
	const patterns = [
		{ name: 'nested', pattern: '(a+)+$' },
		{ name: 'internal', pattern: '(\\w+\\.?)+@internal' },
	];
	// The second pattern does match once, at the very end: RE2 must have read all of "word.word.…x@internal".
	const body = (bytes: number) => `${'a'.repeat(bytes / 2)}!\n${'word.'.repeat(bytes / 10)}x@internal`;

	async function cpuOf(id: string, bytes: number): Promise<number> {
		const start = process.cpuUsage();
		const run = await runWorkflow(withPatterns(patterns, { previewOnly: true }), { items: [ticket(id, body(bytes))], credentials: credentials() });
		const used = process.cpuUsage(start);
		expect(run.error()).toBeUndefined();
		const [preview] = run.output('Hand Off to Acme', 0);
		expect((preview.json.handoff as IDataObject).status).toBe('preview');
		expect((preview.json.handoff as IDataObject).redactions).toEqual({ internal: 1 });
		previews.set(id, (preview.json.handoff as IDataObject).body as string);
		return (used.user + used.system) / 1000;
	}

	const previews = new Map<string, string>();

	it('completes within the linear bound, with the whole 1 MB body in the request', async () => {
		const small = await cpuOf('BIG-256K', 256 * 1024);
		const big = await cpuOf('BIG-1M', 1024 * 1024);
		console.log(`custom patterns through Provider Handoff: 256 KB ${small.toFixed(0)} ms CPU, 1 MB ${big.toFixed(0)} ms CPU`);
		expect(big).toBeLessThan(3_000);
		expect(big / small).toBeLessThan(8);
		// The body's half MB of a's is still there; the matched half became one token.
		expect(previews.get('BIG-1M')!).toContain(`${'a'.repeat(512 * 1024)}!\\n[INTERNAL_1]`);
		expect(server.requestsFor('BIG-1M')).toHaveLength(0);
	}, 120_000);
});
