import type { TicketField } from './ticket';

export type FieldPaths = Record<TicketField, string>;

export const FIELD_PRESET_NAMES = ['zendesk', 'freshdesk', 'generic'] as const;
export type FieldPresetName = (typeof FIELD_PRESET_NAMES)[number];

export interface FieldPreset {
	paths: FieldPaths;
	/** Helpdesks that send codes instead of names (Freshdesk's numeric source and priority) get them translated. */
	codes?: Partial<Record<'channel' | 'priority', Record<string, string>>>;
}

/**
 * Where each helpdesk puts the fields routing looks at. Every path can be overridden in the node; these
 * follow each product's ticket object as its webhooks and APIs send it.
 */
export const FIELD_PRESETS: Record<FieldPresetName, FieldPreset> = {
	zendesk: {
		paths: {
			id: 'id',
			subject: 'subject',
			body: 'description',
			tags: 'tags',
			category: 'type',
			language: 'requester.locale',
			channel: 'via.channel',
			priority: 'priority',
			tier: 'organization.tier',
			region: 'requester.region',
			createdAt: 'created_at',
			dueAt: 'due_at',
		},
	},
	freshdesk: {
		paths: {
			id: 'id',
			subject: 'subject',
			body: 'description_text',
			tags: 'tags',
			category: 'type',
			language: 'custom_fields.cf_language',
			channel: 'source',
			priority: 'priority',
			tier: 'custom_fields.cf_tier',
			region: 'custom_fields.cf_region',
			createdAt: 'created_at',
			dueAt: 'due_by',
		},
		codes: {
			channel: { '1': 'email', '2': 'portal', '3': 'phone', '7': 'chat', '9': 'feedback_widget', '10': 'outbound_email' },
			priority: { '1': 'low', '2': 'medium', '3': 'high', '4': 'urgent' },
		},
	},
	generic: {
		paths: {
			id: 'id',
			subject: 'subject',
			body: 'body',
			tags: 'tags',
			category: 'category',
			language: 'language',
			channel: 'channel',
			priority: 'priority',
			tier: 'customer.tier',
			region: 'customer.region',
			createdAt: 'createdAt',
			dueAt: 'dueAt',
		},
	},
};
