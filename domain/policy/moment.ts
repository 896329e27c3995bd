import type { CompiledSchedule, ScheduleState } from './schedules/calendar';
import { zonedTime, type ZonedTime } from './time';

/**
 * The moment a batch is decided, as the policy reads it: the instant, its wall-clock reading in the policy's
 * time zone, and each schedule's state then. A batch has one clock, so a schedule is looked up once per batch.
 */
export interface Moment {
	now: number;
	at: ZonedTime;
	schedule(id: string): ScheduleState;
}

export function momentOf(now: number, zone: string, schedules: Map<string, CompiledSchedule>): Moment {
	const at = zonedTime(now, zone);
	const states = new Map<string, ScheduleState>();
	return {
		now,
		at,
		schedule(id) {
			let state = states.get(id);
			if (!state) {
				state = schedules.get(id)!.state(at);
				states.set(id, state);
			}
			return state;
		},
	};
}
