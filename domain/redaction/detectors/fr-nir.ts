import { mod97 } from '../checksums';
import { matchesOf, type Detector, type Found } from './detector';

/**
 * French social security number (NIR, INSEE): sex (1, 2; 3, 4, 7, 8 for provisional numbers), year (2 digits),
 * month (01–12, or 20–42 / 50–99 when unknown), department (2 digits, 2A/2B for Corsica), commune (3), order (3),
 * then the key: 97 − (the 13 digits mod 97), with 2A read as 19 and 2B as 18. Spaces, dots or dashes between the
 * blocks are allowed. Opt-in.
 */
const SEP = '[ .\\-]?';
const NIR = new RegExp(`(?<![0-9])([1-478])${SEP}(\\d{2})${SEP}(\\d{2})${SEP}(\\d{2}|2[AaBb])${SEP}(\\d{3})${SEP}(\\d{3})${SEP}(\\d{2})(?![0-9])`, 'g');

export const frNir: Detector = {
	kind: 'fr_nir',
	label: 'NIR',
	optIn: true,
	readsDigits: true,
	find(text) {
		const found: Found[] = [];
		for (const m of matchesOf(NIR, text)) {
			const [, sex, year, month, department, commune, order, key] = m;
			const mm = Number(month);
			if (!((mm >= 1 && mm <= 12) || (mm >= 20 && mm <= 42) || mm >= 50)) continue;
			const corsica = department.toUpperCase();
			const numeric = corsica === '2A' ? '19' : corsica === '2B' ? '18' : department;
			if (97 - mod97(sex + year + month + numeric + commune + order) !== Number(key)) continue;
			found.push({ start: m.index, end: m.index + m[0].length, key: sex + year + month + corsica + commune + order + key });
		}
		return found;
	},
};
