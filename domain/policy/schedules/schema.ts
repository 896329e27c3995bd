import { z } from 'zod';

import { clock, isoDate, WEEKDAYS } from '../primitives';
import { publicHolidayProblem } from './public-holidays';

/** Opening hours on some weekdays, within the day: 08:00–19:00. Closing at midnight is "24:00". */
export const openingHoursSchema = z
	.object({
		days: z.array(z.enum(WEEKDAYS)).min(1, 'needs at least one day'),
		from: clock,
		to: clock,
	})
	.strict();

/** A day or a run of days the schedule is closed: a date, or `{ from, to, name }`. */
export const holidaySchema = z.union([
	isoDate,
	z.object({ date: isoDate, name: z.string().trim().optional() }).strict(),
	z.object({ from: isoDate, to: isoDate, name: z.string().trim().optional() }).strict(),
]);

export const HOLIDAY_TYPES = ['public', 'bank', 'school', 'optional', 'observance'] as const;

/** Public holidays of a country (ISO 3166-1 code) and optionally a region, from the date-holidays library. */
export const publicHolidaysSchema = z
	.object({
		country: z.string().trim().min(2, 'must be a country code, e.g. "FR"'),
		region: z.string().trim().min(1, 'must not be empty').optional(),
		/** Which kinds of days close the schedule; default: public holidays only. */
		types: z.array(z.enum(HOLIDAY_TYPES)).min(1, 'needs at least one type').optional(),
	})
	.strict()
	.superRefine((value, ctx) => {
		const problem = publicHolidayProblem(value.country, value.region);
		if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [problem.field], message: problem.message });
	});

/**
 * A business-hours schedule: open during its hours in the policy's time zone, closed outside them, on its own
 * holidays and on the public holidays it names. Rules say "within" or "outside" it; peak periods may follow it.
 */
export const scheduleSchema = z
	.object({
		id: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
		name: z.string().trim().optional(),
		hours: z.array(openingHoursSchema).min(1, 'needs opening hours, e.g. { "days": ["mon", "tue", "wed", "thu", "fri"], "from": "08:00", "to": "19:00" }'),
		holidays: z.array(holidaySchema).optional(),
		publicHolidays: publicHolidaysSchema.optional(),
	})
	.strict();

export type ScheduleInput = z.output<typeof scheduleSchema>;

/** Checks within each schedule that zod cannot express field by field; `issue` takes a path relative to the policy. */
export function checkSchedules(schedules: ScheduleInput[], issue: (path: Array<string | number>, message: string) => void) {
	const seen = new Set<string>();
	schedules.forEach((s, i) => {
		if (seen.has(s.id)) issue(['schedules', i, 'id'], `duplicate schedule id "${s.id}"`);
		seen.add(s.id);
		s.hours.forEach((h, k) => {
			if (h.from >= h.to) {
				issue(['schedules', i, 'hours', k, 'to'], `must be after "from" (${h.from}): opening hours stay within one day; for a night shift add the hours after midnight as the next day's`);
			}
		});
		s.holidays?.forEach((h, k) => {
			if (typeof h === 'object' && 'from' in h && h.from > h.to) issue(['schedules', i, 'holidays', k, 'to'], `ends before it starts (${h.from})`);
		});
	});
}
