import type { IDataObject, ILoadOptionsFunctions, INodeParameters, INodePropertyOptions } from 'n8n-workflow';

import { countryNames } from '../../domain/policy/schedules/public-holidays';
import { entryId } from './editorPolicy';

interface Entry {
	id: string;
	name: string;
	kind?: string;
}

/**
 * The destinations and schedules of the policy being edited, for the node's dropdowns: from the editor's
 * collections, or from a literal JSON policy (an expression cannot be read before it runs).
 */
function policyEntries(parameters: INodeParameters | undefined, key: 'destinations' | 'schedules'): Entry[] {
	if (!parameters) return [];
	if (parameters.policySource === 'json') {
		const raw = parameters.policyJson;
		if (typeof raw !== 'string' || raw.trim().startsWith('=')) return [];
		try {
			const list = (JSON.parse(raw) as IDataObject)?.[key];
			return Array.isArray(list) ? (list as IDataObject[]).flatMap(toEntry) : [];
		} catch {
			return [];
		}
	}
	const listOf = (name: string, item: string) => {
		const list = (parameters[name] as IDataObject | undefined)?.[item];
		return Array.isArray(list) ? (list as IDataObject[]) : [];
	};
	if (key === 'schedules') return listOf('schedules', 'schedule').flatMap(toEntry);
	// Version 3 lists internal queues, then vendors; the policy's destinations are both, in that order.
	const v3 = [...listOf('queues', 'queue'), ...listOf('vendors', 'vendor').map((v) => ({ ...v, kind: 'external' }))];
	return (v3.length ? v3 : listOf('destinations', 'destination')).flatMap(toEntry);
}

function toEntry(entry: IDataObject): Entry[] {
	const id = entryId(entry ?? {});
	if (!id) return [];
	// JSON and version 1 say internal/external; version 2's kind is internal or the vendor's contract.
	const kind = entry.kind === undefined || entry.kind === 'internal' ? 'internal' : 'external';
	return [{ id, name: typeof entry.name === 'string' && entry.name.trim() ? entry.name.trim() : id, kind }];
}

const asOptions = (entries: Entry[], withKind = false): INodePropertyOptions[] =>
	entries.map((e) => ({ name: e.name === e.id ? e.id : `${e.name} (${e.id})`, value: e.id, ...(withKind ? { description: e.kind === 'external' ? 'External vendor' : 'Internal queue' } : {}) }));

export const loadOptions = {
	/** Every destination: the default destination. */
	async allDestinations(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		return asOptions(policyEntries(this.getCurrentNodeParameters(), 'destinations'), true);
	},
	/** The destinations a rule of this kind may send to: internal queues for keep-internal rules, vendors for specialist and outsourcing rules, any when the kind comes from the destination. */
	async ruleTargets(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const kind = this.getCurrentNodeParameter('&kind');
		const all = policyEntries(this.getCurrentNodeParameters(), 'destinations');
		if (!kind) return asOptions(all, true);
		const want = kind === 'keepInternal' ? 'internal' : 'external';
		return asOptions(all.filter((d) => d.kind === want));
	},
	/** External destinations: overflow vendors. */
	async vendors(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		return asOptions(policyEntries(this.getCurrentNodeParameters(), 'destinations').filter((d) => d.kind === 'external'));
	},
	async schedules(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		return [{ name: '— None —', value: '' }, ...asOptions(policyEntries(this.getCurrentNodeParameters(), 'schedules'))];
	},
	/** Countries whose public holidays the calendar library knows. */
	async countries(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		return [{ name: '— None —', value: '' }, ...Object.entries(countryNames()).map(([code, name]) => ({ name: `${name} (${code})`, value: code }))];
	},
};
