import { createRequire } from 'node:module';

import type HolidaysType from 'date-holidays';

type HolidaysClass = typeof HolidaysType;
let library: HolidaysClass | undefined;

/**
 * date-holidays carries every country's rules (about 0.8 MB of data, a quarter of a second to load), so it is
 * loaded the first time a policy names public holidays, never when n8n loads the package.
 */
function holidays(): HolidaysClass {
	library ??= createRequire(__filename)('date-holidays') as HolidaysClass;
	return library;
}

/** Why a country/region is not one the library knows, naming the field, or null. */
export function publicHolidayProblem(country: string, region: string | undefined): { field: 'country' | 'region'; message: string } | null {
	const code = country.toUpperCase();
	if (!Object.hasOwn(countryNames(), code)) return { field: 'country', message: `unknown country "${country}" (use an ISO 3166-1 code, e.g. "FR", "DE", "US")` };
	if (region === undefined) return null;
	let regions = regionsByCountry.get(code);
	if (!regions) {
		regions = new (holidays())().getStates(code, 'en') ?? {};
		regionsByCountry.set(code, regions);
	}
	if (!Object.hasOwn(regions, region.toUpperCase())) {
		const known = Object.keys(regions);
		return {
			field: 'region',
			message: known.length
				? `unknown region "${region}" of ${code} (regions: ${known.join(', ')})`
				: `${code} has no regions in the holiday calendar`,
		};
	}
	return null;
}

const years = new Map<string, Map<string, string>>();

/**
 * Local dates (YYYY-MM-DD) of one year's holidays of the given types, with their names, in English where known.
 * Computed once per process for each country, region, types and year (a policy recompiled for another scope or
 * workflow reuses them); the cache holds at most a few hundred small maps.
 */
export function publicHolidaysOf(country: string, region: string | undefined, types: readonly string[], year: number): Map<string, string> {
	const key = `${country.toUpperCase()}|${region?.toUpperCase() ?? ''}|${[...types].sort().join(',')}|${year}`;
	let known = years.get(key);
	if (!known) {
		if (years.size >= 512) years.delete(years.keys().next().value!);
		known = computeYear(country, region, types, year);
		years.set(key, known);
	}
	return known;
}

function computeYear(country: string, region: string | undefined, types: readonly string[], year: number): Map<string, string> {
	const Holidays = holidays();
	const calendar = new Holidays(country.toUpperCase(), region?.toUpperCase() ?? '', { types: [...types] as never, languages: ['en'] });
	const out = new Map<string, string>();
	for (const h of calendar.getHolidays(year) || []) {
		// A holiday spanning several days (rare) closes each of them; a half day closes its date.
		const days = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / DAY));
		const first = Date.parse(`${h.date.slice(0, 10)}T00:00:00Z`);
		for (let k = 0; k < days; k++) out.set(new Date(first + k * DAY).toISOString().slice(0, 10), h.name);
	}
	return out;
}

const DAY = 86_400_000;

let countries: Record<string, string> | undefined;
const regionsByCountry = new Map<string, Record<string, string>>();

/** Country code → English name, sorted by name: every country the calendar library knows (read once). */
export function countryNames(): Record<string, string> {
	countries ??= Object.fromEntries(Object.entries(new (holidays())().getCountries('en')).sort((a, b) => a[1].localeCompare(b[1])));
	return countries;
}
