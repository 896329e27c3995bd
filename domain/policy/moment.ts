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
	/**
	 * The matched term of a schedule condition (`schedule:outside office-hours (closed: sun 03:00)`) when the
	 * schedule is in the wanted state, else null; made once per batch, not once per ticket.
	 */
	scheduleTerm(id: string, open: boolean): string | null;
}

export function momentOf(now: number, zone: string, schedules: Map<string, CompiledSchedule>): Moment {
	const at = zonedTime(now, zone);
	const states = new Map<string, ScheduleState>();
	const terms = new Map<string, string>();
	const schedule = (id: string): ScheduleState => {
		let state = states.get(id);
		if (!state) {
			state = schedules.get(id)!.state(at);
			states.set(id, state);
			terms.set(id, `schedule:${state.open ? 'within' : 'outside'} ${id} (${state.why})`);
		}
		return state;
	};
	return {
		now,
		at,
		schedule,
		scheduleTerm(id, open) {
			return schedule(id).open === open ? terms.get(id)! : null;
		},
	};
}
