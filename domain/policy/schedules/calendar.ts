import { WEEKDAYS } from '../primitives';
import { toMinutes, WEEKDAY_INDEX, type ZonedTime } from '../time';
import { publicHolidaysOf } from './public-holidays';
import { HOLIDAY_TYPES, type ScheduleInput } from './schema';

/** Is the schedule open at a moment, and why (for the decision's matched terms). */
export interface ScheduleState {
	open: boolean;
	/** `open mon-fri 08:00-19:00`, `closed: public holiday "Whit Monday"`, `closed: sun 03:00`. */
	why: string;
}

export interface CompiledSchedule {
	id: string;
	name: string;
	state(at: ZonedTime): ScheduleState;
	/** Whether any weekday has hours: a schedule that is never open is a policy mistake the lint reports. */
	everOpen: boolean;
}

interface Interval {
	from: number;
	to: number;
	label: string;
}

/**
 * A schedule compiled for lookups at routing time. Opening hours belong to their weekday and never wrap past
 * midnight, so "Monday 03:00" is plainly outside Monday 08:00–19:00: the trap of weekly windows that "belong to
 * the day they start" does not exist here. Holidays (the schedule's own, then public ones) close whole local days.
 */
export function compileSchedule(schedule: ScheduleInput): CompiledSchedule {
	const byDay: Interval[][] = Array.from({ length: 7 }, () => []);
	for (const h of schedule.hours) {
		const label = `${h.days.join(',')} ${h.from}-${h.to}`;
		for (const d of h.days) byDay[WEEKDAY_INDEX[d]].push({ from: toMinutes(h.from), to: toMinutes(h.to), label });
	}
	const own = (schedule.holidays ?? []).map((h) =>
		typeof h === 'string' ? { from: h, to: h, name: '' } : 'date' in h ? { from: h.date, to: h.date, name: h.name ?? '' } : { from: h.from, to: h.to, name: h.name ?? '' },
	);
	const pub = schedule.publicHolidays;
	const types = pub?.types ?? [HOLIDAY_TYPES[0]];
	const yearCache = new Map<number, Map<string, string>>();
	const publicHoliday = (at: ZonedTime): string | undefined => {
		if (!pub) return undefined;
		let year = yearCache.get(at.year);
		if (!year) {
			year = publicHolidaysOf(pub.country, pub.region, types, at.year);
			yearCache.set(at.year, year);
		}
		return year.get(at.date);
	};

	return {
		id: schedule.id,
		name: schedule.name || schedule.id,
		everOpen: byDay.some((d) => d.length > 0),
		state(at) {
			const holiday = own.find((h) => h.from <= at.date && at.date <= h.to);
			if (holiday) return { open: false, why: `closed: holiday ${holiday.name ? `"${holiday.name}"` : at.date}` };
			const pubName = publicHoliday(at);
			if (pubName !== undefined) return { open: false, why: `closed: public holiday "${pubName}"` };
			const open = byDay[at.weekday].find((i) => i.from <= at.minutes && at.minutes < i.to);
			if (open) return { open: true, why: `open ${open.label}` };
			return { open: false, why: `closed: ${WEEKDAYS[at.weekday]} ${clock(at.minutes)}` };
		},
	};
}

function clock(m: number): string {
	return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
