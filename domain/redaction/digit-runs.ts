import { isAsciiDigit } from './chars';

/**
 * The runs of ASCII digits of a text, found once and shared by the detectors that read numbers (IBAN, card, phone).
 * Each of them used to scan the whole text with its own pattern, and a pattern that starts with a digit makes a
 * failed match attempt at every digit of the prose (versions, prices, dates): those scans were most of the
 * redaction's time. Now each one looks only around these runs, where its own scan would have matched.
 */
export interface DigitRunIndex {
	/** Offsets of each run's first digit and one past its last, in text order; runs never touch. */
	starts: number[];
	ends: number[];
}

const DIGITS = /[0-9]+/g;

/**
 * The runs of the text the detectors are reading: one text is read by several detectors in turn, and the view's
 * scan (view.ts) has usually found its runs already. What one detector finds is masked for the next (redact.ts):
 * the runs of the masked text are the same runs cut where the mask lies, handed on by carryDigitRuns.
 */
let last: { text: string; runs: DigitRunIndex } | null = null;

export function digitRunsOf(text: string): DigitRunIndex {
	if (last && last.text === text) return last.runs;
	const runs: DigitRunIndex = { starts: [], ends: [] };
	DIGITS.lastIndex = 0;
	// test, not exec: no match object per run; the run's start is found back from its end.
	while (DIGITS.test(text)) {
		const end = DIGITS.lastIndex;
		let start = end - 1;
		while (start > 0 && isAsciiDigit(text.charCodeAt(start - 1))) start--;
		runs.starts.push(start);
		runs.ends.push(end);
	}
	rememberDigitRuns(text, runs);
	return runs;
}

/** Lets the last text go (a ticket's body may be large): called when a ticket is done. */
export function forgetDigitRuns() {
	last = null;
}

/** Records the runs of a text found by another scan. */
export function rememberDigitRuns(text: string, runs: DigitRunIndex) {
	last = { text, runs };
}

/** When `before`'s runs are known: `after`'s, `after` being `before` with the spans (any order, may overlap) masked. */
export function carryDigitRuns(before: string, after: string, spans: ReadonlyArray<{ start: number; end: number }>) {
	if (!last || last.text !== before) return;
	const cuts = [...spans].sort((a, b) => a.start - b.start);
	const { starts, ends } = last.runs;
	const runs: DigitRunIndex = { starts: [], ends: [] };
	let c = 0;
	for (let r = 0; r < starts.length; r++) {
		let from = starts[r];
		const to = ends[r];
		// Cuts wholly before this run end before every later run too.
		while (c < cuts.length && cuts[c].end <= from) c++;
		for (let k = c; k < cuts.length && cuts[k].start < to; k++) {
			if (cuts[k].start > from) {
				runs.starts.push(from);
				runs.ends.push(cuts[k].start);
			}
			from = Math.max(from, cuts[k].end);
		}
		if (from < to) {
			runs.starts.push(from);
			runs.ends.push(to);
		}
	}
	rememberDigitRuns(after, runs);
}
