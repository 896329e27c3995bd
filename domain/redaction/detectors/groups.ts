/**
 * Runs of digit groups: digits, with at most one separator (space, dot, dash, slash) between two groups. Letters
 * around a run do not stop it from being read (`VISA4111…`, `scan_4111….pdf`), a digit does (a run is maximal).
 */
export interface Groups {
	text: string;
	/** View offsets of each group's first digit and one past its last. */
	starts: number[];
	ends: number[];
}

import { matchesOf } from './detector';

const RUN = /\d+(?:[ .\-/]\d+)*/g;

/** Every run in the text with at least `minDigits` digits. */
export function* digitGroups(text: string, minDigits: number): Generator<Groups> {
	for (const m of matchesOf(RUN, text)) {
		if (m[0].length < minDigits) continue;
		const starts: number[] = [];
		const ends: number[] = [];
		let digits = 0;
		for (let i = m.index, end = m.index + m[0].length; i < end; ) {
			const from = i;
			while (i < end && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
			starts.push(from);
			ends.push(i);
			digits += i - from;
			i++;
		}
		if (digits >= minDigits) yield { text, starts, ends };
	}
}
