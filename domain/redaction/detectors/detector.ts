/** A value a detector found, in view offsets (see view.ts), with the key that names the same value written twice. */
export interface Found {
	start: number;
	end: number;
	key: string;
}

/** What a detector may know about the ticket besides its text. */
export interface DetectionContext {
	/** ISO 3166-1 alpha-2 regions whose national phone formats are read (default regions + the ticket's region). */
	phoneRegions: readonly string[];
	/** The customer's own region, when the ticket names one: its mobiles are also read without the trunk prefix. */
	ownRegion: string | null;
}

/**
 * One class of personal data. Adding a class = one file exporting a Detector and one line in the registry.
 * `find` must run in time linear in the text (no backtracking pattern over unbounded input).
 */
export interface Detector {
	/** Counts and the `Detect` option name it: email, phone, card, iban, fr_nir… */
	kind: string;
	/** Token prefix: [EMAIL_1]. */
	label: string;
	/** Off unless listed in the node's Detect option: classes with a real risk of false positives. */
	optIn: boolean;
	/** Finds nothing in a text without an ASCII digit (the view has made other digits ASCII): not called on one. */
	readsDigits?: boolean;
	find(text: string, context: DetectionContext): Found[];
}

/** Every match of a global pattern, from the start of the text (the pattern's lastIndex is reset). */
export function* matchesOf(pattern: RegExp, text: string): Generator<RegExpExecArray> {
	pattern.lastIndex = 0;
	for (let m = pattern.exec(text); m; m = pattern.exec(text)) yield m;
}
