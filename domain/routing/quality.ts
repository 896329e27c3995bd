import type { LedgerSnapshot, QualitySample } from '../../ledger/model';
import type { CompiledPolicy } from '../policy/compile';
import { DEFAULT_QUALITY_SAMPLE, type Destination, type QualitySettings } from '../policy/schema';
import { judgeQuality, type QualityVerdict } from '../risk/quality';
import { dictionary } from '../shared/dictionary';

const DAY = 86_400_000;
/** Earlier than any decision: the open start of a last-N sample. */
const OPEN_START = -Number.MAX_SAFE_INTEGER;
const OPEN_END = Number.MAX_SAFE_INTEGER;

/** The outcome sample each destination with a quality guardrail is judged on at `now`. */
export function qualitySamples(policy: CompiledPolicy, now: number): QualitySample[] {
	const samples: QualitySample[] = [];
	for (const d of policy.destinations) {
		const q = d.quality;
		if (!q || d.kind !== 'external') continue;
		samples.push(
			q.windowDays !== undefined
				? { vendor: d.id, from: now - q.windowDays * DAY + 1, to: OPEN_END, limit: null }
				: { vendor: d.id, from: OPEN_START, to: OPEN_END, limit: q.lastResolved ?? DEFAULT_QUALITY_SAMPLE },
		);
	}
	return samples;
}

/** Where a batch's quality guardrails stand: the vendors below (with why) and the state to keep for the next batch. */
export interface QualityStates {
	/** Vendor → the refusal detail, for vendors below now. */
	below: Map<string, string>;
	/** Every guarded vendor's state after this judgement (true: below). */
	state: Record<string, boolean>;
}

/**
 * Judges every guarded vendor once per batch: outcomes do not change while a batch is decided, so one verdict per
 * vendor holds for all its tickets. A vendor the snapshot has no counts for (ledger unavailable) is not judged.
 */
export function qualityStates(policy: CompiledPolicy, snapshot: LedgerSnapshot): QualityStates {
	const below = new Map<string, string>();
	const state = dictionary<boolean>();
	for (const d of policy.destinations) {
		const counts = d.quality && snapshot.quality && Object.hasOwn(snapshot.quality, d.id) ? snapshot.quality[d.id] : undefined;
		if (!counts) continue;
		const wasBelow = snapshot.qualityBelow !== undefined && Object.hasOwn(snapshot.qualityBelow, d.id) && snapshot.qualityBelow[d.id] === true;
		const verdict = judgeQuality(d.quality!, counts, wasBelow);
		state[d.id] = verdict.level === 'below';
		if (verdict.breach) below.set(d.id, refusalDetail(d, d.quality!, verdict));
	}
	return { below, state };
}

/** `acme quality: SLA met 55.0% over 20 outcomes (minimum 60%), last 20 resolved`. */
function refusalDetail(d: Destination, q: QualitySettings, verdict: QualityVerdict): string {
	const sample = q.windowDays !== undefined ? `decided in the last ${q.windowDays} days` : `last ${q.lastResolved ?? DEFAULT_QUALITY_SAMPLE} resolved`;
	return `${d.id} quality: ${verdict.breach!.text}, ${sample}`;
}
