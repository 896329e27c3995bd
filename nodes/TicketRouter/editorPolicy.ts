import type { IDataObject } from 'n8n-workflow';

import { splitList } from '../../domain/policy/list';

/**
 * Turns the editor's collections into the same plain policy object pasted JSON gives, so both go through
 * one schema. Editor number fields use 0 for "no limit"; list fields are comma-separated.
 */
export function policyFromEditor(p: {
	scope: string;
	timezone: string;
	defaultDestination: string;
	destinations: IDataObject;
	rules: IDataObject;
	guardrails: IDataObject;
}): IDataObject {
	const destinations = ((p.destinations.destination as IDataObject[] | undefined) ?? []).map((d) => {
		const external = d.kind === 'external';
		return prune({
			id: d.id,
			name: d.name,
			kind: d.kind,
			contract: external ? d.contract : undefined,
			capacityPerHour: external ? limit(d.capacityPerHour) : undefined,
			capacityPerDay: external ? limit(d.capacityPerDay) : undefined,
			capacityPerMonth: external ? limit(d.capacityPerMonth) : undefined,
			costPerTicket: d.costPerTicket,
			monthlyBudget: external ? limit(d.monthlyBudget) : undefined,
			maxShare: external && Number(d.maxSharePercent) > 0 ? Number(d.maxSharePercent) / 100 : undefined,
			paused: d.paused,
			dpa: d.dpa,
			dataRegions: d.dataRegions,
			allowedFields: splitList(d.allowedFields),
		});
	});
	const rules = ((p.rules.rule as IDataObject[] | undefined) ?? []).map((r) => {
		const window = r.timeFrom && r.timeTo ? [{ days: (r.timeDays as string[] | undefined)?.length ? r.timeDays : undefined, from: r.timeFrom, to: r.timeTo }] : undefined;
		const peaks = ((r.peakPeriods as IDataObject | undefined)?.period as IDataObject[] | undefined) ?? [];
		return prune({
			id: r.id,
			name: r.name,
			kind: r.kind,
			targets: splitList(r.targets).map(parseTarget),
			when: prune({
				keywords: r.keywords,
				tags: r.tags,
				categories: r.categories,
				languages: r.languages,
				channels: r.channels,
				priorities: r.priorities,
				tiers: r.tiers,
				regions: r.regions,
				timeWindows: window?.map(prune),
			}),
			overflow:
				r.kind === 'overflow'
					? prune({
							capacityPerHour: limit(r.capacityPerHour),
							backlogLimit: limit(r.backlogLimit),
							onAt: r.onAt,
							offAt: r.offAt,
							peakPeriods: peaks.map((k) =>
								prune({ name: k.name, from: k.from, to: k.to, capacityPerHour: limit(k.capacityPerHour), backlogLimit: limit(k.backlogLimit) }),
							),
						})
					: undefined,
		});
	});
	return prune({
		scope: p.scope,
		timezone: p.timezone,
		destinations,
		rules,
		defaultDestination: p.defaultDestination,
		guardrails: prune({ shareWindowDays: p.guardrails.shareWindowDays, minVolumeForShareCap: p.guardrails.minVolumeForShareCap }),
	});
}

/** `acme:3` → weighted target; `acme` → plain id. */
function parseTarget(entry: string): string | IDataObject {
	const m = /^(.*?):\s*([\d.]+)$/.exec(entry);
	return m ? { destination: m[1].trim(), weight: Number(m[2]) } : entry;
}

function limit(value: unknown): number | undefined {
	return typeof value === 'number' && value > 0 ? value : undefined;
}

/** Drops unset fields (undefined, empty strings, empty lists) so the schema applies its defaults. */
function prune(object: IDataObject): IDataObject {
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(object)) {
		if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
		out[key] = value;
	}
	return out;
}
