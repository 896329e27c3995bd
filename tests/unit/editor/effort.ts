import type { INodeProperties, INodePropertyCollection } from 'n8n-workflow';

/**
 * What it takes to enter stored parameters in n8n's editor: every click (an *Add …* button, opening a dropdown,
 * picking, toggling, focusing a field before typing) and every typed field. A value equal to what the editor shows
 * costs nothing. The rules follow n8n 2.41.1's editor (FixedCollectionParameterLegacy.vue and
 * CollectionParameterLegacy.vue, the components served unless a PostHog experiment switches them):
 * - a fixedCollection with one option group shows an *Add …* button (1 click); with several it shows an *Add …*
 *   dropdown (open + pick, 2 clicks);
 * - a new fixedCollection item starts from its fields' defaults. (A nested fixedCollection with multiple values
 *   starts empty, `{}`, but the next edit anywhere, such as typing the item's name, passes the parameters through
 *   n8n's getNodeParameters, which drops the empty list and puts its default back: a person who types the new
 *   item's name first finds the default there, as tests/e2e/editor-budget.e2e.ts sees in the editor.)
 * - a collection shows an *Add …* dropdown (open + pick, 2 clicks), the option starting at its default;
 * - a dropdown costs opening and picking; a multi-select opening, a click per value changed, and closing.
 * A top-level fixedCollection starts from its default (n8n fills a new node's parameters with them). The counts
 * match the real editor: tests/e2e/editor-clicks.e2e.ts builds the budget policy there by hand, click by click.
 */
export interface Effort {
	clicks: number;
	fields: number;
}

type Values = Record<string, unknown>;

export function effort(properties: INodeProperties[], values: Values, defaults: Values = {}): Effort {
	const total: Effort = { clicks: 0, fields: 0 };
	const seen = new Set<string>();
	for (const property of properties) {
		if (!(property.name in values)) continue;
		// One field per name: two with the same name would count the same value twice.
		if (seen.has(property.name)) throw new Error(`two fields named ${property.name}: pass the fields of one version`);
		seen.add(property.name);
		const base = property.name in defaults ? defaults[property.name] : property.default;
		add(total, valueEffort(property, values[property.name], base));
	}
	return total;
}

const startsEmpty = (field: INodeProperties) => field.type === 'fixedCollection' && field.typeOptions?.multipleValues === true;



function valueEffort(property: INodeProperties, value: unknown, base: unknown): Effort {
	if (property.type === 'fixedCollection') return itemsEffort(property.options as INodePropertyCollection[], value as Values, (base ?? {}) as Values);
	if (property.type === 'collection') {
		const total: Effort = { clicks: 0, fields: 0 };
		for (const [name, v] of Object.entries(value as Values)) {
			const option = (property.options as INodeProperties[]).find((o) => o.name === name)!;
			add(total, { clicks: 2, fields: 0 });
			add(total, valueEffort(option, v, startsEmpty(option) ? {} : option.default));
		}
		return total;
	}
	if (same(value, base)) return { clicks: 0, fields: 0 };
	switch (property.type) {
		case 'string':
		case 'number':
		case 'json':
			return { clicks: 1, fields: 1 };
		case 'boolean':
			return { clicks: 1, fields: 0 };
		case 'options':
			return { clicks: 2, fields: 0 };
		case 'multiOptions': {
			const now = new Set(value as string[]);
			const before = new Set((base ?? []) as string[]);
			const changed = [...now].filter((v) => !before.has(v)).length + [...before].filter((v) => !now.has(v)).length;
			return { clicks: 2 + changed, fields: 0 };
		}
		default:
			throw new Error(`no effort model for ${property.type} (${property.name})`);
	}
}

function itemsEffort(options: INodePropertyCollection[], value: Values, base: Values): Effort {
	const total: Effort = { clicks: 0, fields: 0 };
	// One option group: an Add button; several: an Add dropdown to open and pick from.
	const addClicks = options.length === 1 ? 1 : 2;
	for (const option of options) {
		if (!(option.name in value)) continue;
		const items = list(value[option.name]);
		const defaults = list(base[option.name]);
		items.forEach((item, i) => {
			if (defaults[i] === undefined) add(total, { clicks: addClicks, fields: 0 });
			add(total, effort(option.values, item as Values, (defaults[i] ?? {}) as Values));
		});
	}
	return total;
}

const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function add(total: Effort, more: Effort) {
	total.clicks += more.clicks;
	total.fields += more.fields;
}
