import type { INodeProperties, INodePropertyCollection } from 'n8n-workflow';

/**
 * What it takes to enter stored parameters in n8n's editor, counted the way the README's editor budget counts by
 * hand: every click (an *Add …* button, opening a dropdown, picking, toggling, focusing a field before typing) and
 * every typed field. A value equal to the field's default costs nothing; a fixedCollection item costs its *Add*
 * click unless the default already holds an item there; a collection option costs two clicks (open the *Add …* list,
 * pick); a multi-select costs opening, a click per value changed, and closing.
 */
export interface Effort {
	clicks: number;
	fields: number;
}

type Values = Record<string, unknown>;

export function effort(properties: INodeProperties[], values: Values, defaults: Values = {}): Effort {
	const total: Effort = { clicks: 0, fields: 0 };
	for (const property of properties) {
		if (!(property.name in values)) continue;
		const base = property.name in defaults ? defaults[property.name] : property.default;
		add(total, valueEffort(property, values[property.name], base));
	}
	return total;
}

function valueEffort(property: INodeProperties, value: unknown, base: unknown): Effort {
	if (property.type === 'fixedCollection') return itemsEffort(property.options as INodePropertyCollection[], value as Values, (base ?? {}) as Values);
	if (property.type === 'collection') {
		const total: Effort = { clicks: 0, fields: 0 };
		for (const [name, v] of Object.entries(value as Values)) {
			const option = (property.options as INodeProperties[]).find((o) => o.name === name)!;
			add(total, { clicks: 2, fields: 0 });
			add(total, valueEffort(option, v, option.default));
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
	for (const option of options) {
		if (!(option.name in value)) continue;
		const items = list(value[option.name]);
		const defaults = list(base[option.name]);
		items.forEach((item, i) => {
			if (defaults[i] === undefined) add(total, { clicks: 1, fields: 0 });
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
