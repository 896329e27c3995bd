import { matchesOf, type Detector, type Found } from './detector';

/**
 * US Social Security number (SSA rules since 2011): area 001–899 except 666, group 01–99, serial 0001–9999, written
 * AAA-GG-SSSS or AAA GG SSSS; nine digits in a row only right after "SSN" or "social security (number)". Opt-in.
 */
const GROUPED = /(?<![0-9])(\d{3})([- ])(\d{2})\2(\d{4})(?![0-9])/g;
const LABELLED = /\b(?:ssn|social security(?: number| no\.?)?)[\s:#.-]{0,4}(\d{9})(?![0-9])/gi;

export const usSsn: Detector = {
	kind: 'us_ssn',
	label: 'SSN',
	optIn: true,
	readsDigits: true,
	find(text) {
		const found: Found[] = [];
		for (const m of matchesOf(GROUPED, text)) {
			if (isSsn(m[1], m[3], m[4])) found.push({ start: m.index, end: m.index + m[0].length, key: m[1] + m[3] + m[4] });
		}
		for (const m of matchesOf(LABELLED, text)) {
			const d = m[1];
			const start = m.index + m[0].length - 9;
			if (isSsn(d.slice(0, 3), d.slice(3, 5), d.slice(5))) found.push({ start, end: start + 9, key: d });
		}
		return found;
	},
};

function isSsn(area: string, group: string, serial: string): boolean {
	const a = Number(area);
	return a !== 0 && a !== 666 && a < 900 && group !== '00' && serial !== '0000';
}
