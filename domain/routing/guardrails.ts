import type { LedgerSnapshot, VendorCounts } from '../../ledger/model';
import type { Destination } from '../policy/schema';
import { exceedsShareCap, shareOf } from '../risk/share';
import type { GuardrailName } from './delegation';

export interface Refusal {
	name: GuardrailName;
	detail: string;
}

/**
 * The counts a batch's guardrails decide on: the ledger snapshot plus what this batch has already
 * assigned, so ticket 500 of a batch sees tickets 1–499.
 */
export class BatchCounts {
	private readonly vendors = new Map<string, VendorCounts>();
	private delegated: number;
	private internal: number;

	constructor(
		snapshot: LedgerSnapshot,
		private readonly shareWindowDays: number,
		private readonly minVolumeForShareCap: number,
		/** Off when the ledger is unavailable: counts are unknown, only policy-level gates still apply. */
		private readonly countsKnown: boolean,
		/** Vendors below their quality limits this batch, with why (judged once per batch: see qualityStates). */
		private readonly qualityBelow: ReadonlyMap<string, string> = new Map(),
	) {
		this.delegated = snapshot.delegatedInShareWindow;
		this.internal = snapshot.internalInWindow;
		for (const [vendor, counts] of Object.entries(snapshot.vendors)) this.vendors.set(vendor, { ...counts });
	}

	/** Internal tickets in the trailing window, this batch included: the load peak overflow measures. */
	get internalLoad(): number {
		return this.internal;
	}

	private countsOf(vendor: string): VendorCounts {
		let counts = this.vendors.get(vendor);
		if (!counts) {
			counts = { lastHour: 0, lastDay: 0, thisMonth: 0, costThisMonth: 0, inShareWindow: 0 };
			this.vendors.set(vendor, counts);
		}
		return counts;
	}

	add(destination: Destination) {
		if (destination.kind === 'internal') {
			this.internal++;
			return;
		}
		const counts = this.countsOf(destination.id);
		counts.lastHour++;
		counts.lastDay++;
		counts.thisMonth++;
		counts.costThisMonth += destination.costPerTicket;
		counts.inShareWindow++;
		this.delegated++;
	}

	/**
	 * How many more tickets this vendor can take now before one of its caps refuses: the smallest room left under
	 * its hourly, daily and monthly capacity and its monthly budget (whole tickets at its cost per ticket).
	 * A vendor with none of these caps has unlimited room (Infinity); the share cap is not room (it depends on
	 * every other vendor's count) but still refuses as usual. Unknown counts (ledger unavailable): Infinity.
	 */
	room(destination: Destination): number {
		if (!this.countsKnown || destination.kind === 'internal') return Infinity;
		const c = this.countsOf(destination.id);
		let room = Infinity;
		if (destination.capacityPerHour !== undefined) room = Math.min(room, destination.capacityPerHour - c.lastHour);
		if (destination.capacityPerDay !== undefined) room = Math.min(room, destination.capacityPerDay - c.lastDay);
		if (destination.capacityPerMonth !== undefined) room = Math.min(room, destination.capacityPerMonth - c.thisMonth);
		if (destination.monthlyBudget !== undefined && destination.costPerTicket > 0) {
			// The same arithmetic as the budget refusal: one more ticket fits while cost + price <= budget.
			room = Math.min(room, Math.floor((destination.monthlyBudget - c.costThisMonth) / destination.costPerTicket + 1e-9));
		}
		return Math.max(0, room);
	}

	/** Tickets this vendor took in the last hour, this batch included: spare capacity's tie-break. */
	lastHour(destination: Destination): number {
		return this.vendors.get(destination.id)?.lastHour ?? 0;
	}

	/** Why this external destination may not take one more ticket now, or null when it may. */
	refusal(destination: Destination, customerRegion: string | null): Refusal | null {
		if (destination.kind === 'internal') return null;
		const id = destination.id;
		if (destination.paused) return { name: 'paused', detail: `${id} is paused` };
		if (destination.dataRegions.length > 0 && (customerRegion === null || !destination.dataRegions.includes(customerRegion))) {
			return {
				name: 'dataRegion',
				detail:
					customerRegion === null
						? `customer region unknown; ${id} may only receive data from ${destination.dataRegions.join(', ')}`
						: `customer region "${customerRegion}" is not among ${id}'s data regions (${destination.dataRegions.join(', ')})`,
			};
		}
		if (!this.countsKnown) return null;
		const quality = this.qualityBelow.get(id);
		if (quality !== undefined) return { name: 'quality', detail: quality };
		const c = this.countsOf(id);
		if (destination.capacityPerHour !== undefined && c.lastHour >= destination.capacityPerHour) {
			return { name: 'capacityPerHour', detail: `${id} took ${c.lastHour} tickets in the last hour (cap ${destination.capacityPerHour})` };
		}
		if (destination.capacityPerDay !== undefined && c.lastDay >= destination.capacityPerDay) {
			return { name: 'capacityPerDay', detail: `${id} took ${c.lastDay} tickets in the last 24 hours (cap ${destination.capacityPerDay})` };
		}
		if (destination.capacityPerMonth !== undefined && c.thisMonth >= destination.capacityPerMonth) {
			return { name: 'capacityPerMonth', detail: `${id} took ${c.thisMonth} tickets this month (cap ${destination.capacityPerMonth})` };
		}
		if (destination.monthlyBudget !== undefined && c.costThisMonth + destination.costPerTicket > destination.monthlyBudget) {
			return {
				name: 'monthlyBudget',
				detail: `${id} has cost ${round(c.costThisMonth)} this month; one more ticket (${destination.costPerTicket}) exceeds its budget of ${destination.monthlyBudget}`,
			};
		}
		if (
			destination.maxShare !== undefined &&
			exceedsShareCap(c.inShareWindow, this.delegated, destination.maxShare, this.minVolumeForShareCap)
		) {
			const share = shareOf(c.inShareWindow + 1, this.delegated + 1);
			return {
				name: 'maxShare',
				detail: `${id} would hold ${round(share * 100)}% of delegated tickets over ${this.shareWindowDays} days (cap ${round(destination.maxShare * 100)}%)`,
			};
		}
		return null;
	}
}

function round(n: number): number {
	return Math.round(n * 100) / 100;
}
