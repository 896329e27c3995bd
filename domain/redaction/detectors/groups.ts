import { digitRunsOf } from '../digit-runs';

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

/**
 * Every run in the text with at least `minDigits` digits: the text's runs of digits (see digit-runs.ts) chained
 * while exactly one separator lies between two of them, as `\d+(?:[ .\-/]\d+)*` matches them scanning the text.
 */
export function* digitGroups(text: string, minDigits: number): Generator<Groups> {
	const runs = digitRunsOf(text);
	const count = runs.starts.length;
	for (let first = 0; first < count; ) {
		let last = first;
		let digits = runs.ends[first] - runs.starts[first];
		while (last + 1 < count && runs.starts[last + 1] - runs.ends[last] === 1 && isSeparator(text.charCodeAt(runs.ends[last]))) {
			last++;
			digits += runs.ends[last] - runs.starts[last];
		}
		if (digits >= minDigits) yield { text, starts: runs.starts.slice(first, last + 1), ends: runs.ends.slice(first, last + 1) };
		first = last + 1;
	}
}

// Space, dot, dash, slash.
const isSeparator = (c: number) => c === 32 || c === 46 || c === 45 || c === 47;
