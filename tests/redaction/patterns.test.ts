import type { IDataObject } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { LONGEST_REFERENCE, LONGEST_TAG, referenceAt, tagAt } from '../../domain/redaction/html';
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

/**
 * The redaction view decodes `&…;` references and drops inline tags before any pattern or detector runs. Looking for
 * the `;` of a reference through the rest of the text made a million `&` (or a 1 MB query string) cost a million
 * searches of up to a million characters: 5–8 s. Each look now reads a bounded window after its `&` or `<`, checked
 * here on the reads themselves rather than on a clock: the text is handed over as an object that counts how far it
 * is read, and refuses any other way of reading it (an indexOf would scan past the window unseen).
 */
describe('the redaction view reads a bounded window after each & and <', () => {
	function counted(text: string) {
		let furthest = -1;
		const saw = (k: number) => (furthest = Math.max(furthest, Math.min(k, text.length - 1)));
		const reader: Record<string, unknown> = {
			length: text.length,
			charCodeAt: (k: number) => (saw(k), text.charCodeAt(k)),
			slice: (from: number, to = text.length) => (saw(to - 1), text.slice(from, to)),
		};
		const proxy = new Proxy(reader, {
			get: (target, key) => {
				if (typeof key === 'string' && key in target) return target[key];
				throw new Error(`the text was read with ${String(key)}`);
			},
		});
		return { text: proxy as unknown as string, furthest: () => furthest };
	}
	const MB = 1 << 20;

	it.each([
		['no ";" at all', `&${'a'.repeat(MB)}`],
		['a ";" at the very end', `&${'a'.repeat(MB)};`],
		['digits with no end', `&#${'0'.repeat(MB)}64;`],
		['a query string', `&${'b=2&c=3&'.repeat(MB / 8)}`],
	])('a reference is looked for no further than %s allows: %#', (_what, text) => {
		const reader = counted(text);
		expect(referenceAt(reader.text, 0)).toBeNull();
		expect(reader.furthest()).toBeLessThan(LONGEST_REFERENCE);
	});

	it('the window holds every reference the view knows, with leading zeros too', () => {
		// The longest names HTML gives invisible and space characters, and a zero-padded @ that browsers read.
		for (const [text, decoded] of [
			['&NegativeVeryThinSpace;', { text: '', end: 23 }],
			['&ZeroWidthSpace;', { text: '', end: 16 }],
			['&#00000000000064;x', { code: 64, end: 17 }],
			['&#64x', { code: 64, end: 4 }],
			['&amp;#64;', { code: 64, end: 9 }],
		] as const) {
			const reader = counted(text);
			expect(referenceAt(reader.text, 0), text).toEqual(decoded);
			expect(reader.furthest(), text).toBeLessThan(LONGEST_REFERENCE + 5);
		}
	});

	it('a tag is looked for no further than its window', () => {
		const reader = counted(`<span style="${'x'.repeat(MB)}">`);
		expect(tagAt(reader.text, 0)).toBeNull();
		expect(reader.furthest()).toBeLessThan(LONGEST_TAG);
	});
});
