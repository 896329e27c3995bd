import type { QualityLevel, VendorQuality } from './quality';

/** The vendors last emitted as below their quality limits (only those: the state stays small). */
export type QualityMemory = Record<string, 'below'>;

export interface QualityTransition {
	vendor: string;
	from: QualityLevel;
	to: QualityLevel;
	/** The vendor's figures now; null when it had no finished delegation in the window. */
	quality: VendorQuality | null;
	message: string;
}

/**
 * Vendors whose quality went below its limits, or came back from below, since the last emitted state. Moving between
 * ok and insufficient (a sample filling up or thinning out) is not news. A vendor missing from the report has no
 * sample in the window: insufficient.
 */
export function qualityTransitions(quality: readonly VendorQuality[], memory: QualityMemory): { transitions: QualityTransition[]; memory: QualityMemory } {
	const next: QualityMemory = {};
	const transitions: QualityTransition[] = [];
	const now = new Map(quality.map((q) => [q.vendor, q]));
	for (const vendor of [...new Set([...Object.keys(memory), ...now.keys()])].sort()) {
		const q = now.get(vendor) ?? null;
		const to: QualityLevel = q?.level ?? 'insufficient';
		const wasBelow = Object.hasOwn(memory, vendor);
		if (to === 'below') next[vendor] = 'below';
		if (wasBelow === (to === 'below')) continue;
		const message =
			to === 'below'
				? `QUALITY: Vendor "${vendor}" is below its quality limits: ${q!.reason}.`
				: `QUALITY RECOVERED: Vendor "${vendor}" is ${to === 'ok' ? 'back within its quality limits' : 'no longer judged (too few finished delegations in the window)'}.`;
		transitions.push({ vendor, from: wasBelow ? 'below' : 'ok', to, quality: q, message });
	}
	return { transitions, memory: next };
}
