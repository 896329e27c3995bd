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
	/** When the helpdesk says the ticket's SLA falls due (epoch ms); null when it sends none. */
	dueAt: number | null;
	/** The item as it arrived: rule conditions read any path of it. */
	source: unknown;
}

/** The fields read from a path of the item (everything but the item itself). */
export type TicketField = Exclude<keyof Ticket, 'source'>;
