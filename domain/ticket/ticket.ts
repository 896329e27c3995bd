/** A helpdesk ticket reduced to the fields routing looks at. Read from the item JSON by field paths. */
export interface Ticket {
	id: string;
	subject: string;
	body: string;
	tags: string[];
	category: string | null;
	language: string | null;
	channel: string | null;
	priority: string | null;
	tier: string | null;
	region: string | null;
	/** Epoch milliseconds; null when the payload has no usable creation time. */
	createdAt: number | null;
}

export type TicketField = Exclude<keyof Ticket, never>;
