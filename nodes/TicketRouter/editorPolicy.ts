import type { IDataObject } from 'n8n-workflow';

import { splitList } from '../../domain/policy/list';

export interface EditorParameters {
	scope: string;
	timezone: string;
	defaultDestination: string;
	destinations: IDataObject;
	rules: IDataObject;
	guardrails: IDataObject;
	schedules?: IDataObject;
	sla?: IDataObject;
}

/**
 * Turns the editor's collections into the same plain policy object pasted JSON gives, so both go through
 * one schema. Editor number fields use 0 for "no limit"; list fields are comma-separated. `version` is the node's
 * typeVersion: version 1 has flat rule fields and `targets` as "id, id:weight"; version 2 nests conditions, picks
 * destinations from lists and derives IDs from names.
 */
export function policyFromEditor(p: EditorParameters, version = 1): IDataObject {
	const destinations = entries(p.destinations, 'destination').map((d) => (version >= 2 ? destinationV2(d) : destinationV1(d)));
	const byId = new Map(destinations.map((d) => [d.id, d]));
	const rules = entries(p.rules, 'rule').map((r, i) => (version >= 2 ? ruleV2(r, i, byId) : ruleV1(r)));
	// Version 2: no default destination chosen means the first internal queue.
	const fallback = version >= 2 ? destinations.find((d) => d.kind === 'internal')?.id : undefined;
	return prune({
		scope: p.scope,
		timezone: p.timezone,
		destinations,
		rules,
		defaultDestination: p.defaultDestination || fallback,
		guardrails: prune({ shareWindowDays: p.guardrails.shareWindowDays, minVolumeForShareCap: p.guardrails.minVolumeForShareCap }),
		schedules: version >= 2 ? entries(p.schedules ?? {}, 'schedule').map(scheduleV2) : undefined,
		sla: version >= 2 ? slaV2(p.sla ?? {}) : undefined,
	});
}

/** The entries of a fixedCollection (`{ destination: [...] }`). */
export function entries(collection: IDataObject, key: string): IDataObject[] {
	const list = collection?.[key];
	return Array.isArray(list) ? (list as IDataObject[]) : [];
}

/**
 * An entry's ID: as given, else its name in lower case with dashes ("Billing Experts GmbH" → billing-experts-gmbh),
 * so a destination typed once by name is also its ID. The dropdowns of destinations use the same rule.
 */
export function entryId(entry: IDataObject): string | undefined {
	const id = typeof entry.id === 'string' ? entry.id.trim() : '';
	if (id !== '') return id;
	const name = typeof entry.name === 'string' ? entry.name : '';
	const slug = name
		.normalize('NFKD')
		.replace(/\p{M}+/gu, '')
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, '-')
		.replace(/^-+|-+$/g, '');
	return slug === '' ? undefined : slug;
}

function destinationV1(d: IDataObject): IDataObject {
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
}

/** Version 2's Kind is internal, or the vendor's contract (specialist, capacity, outsourcing). */
function destinationV2(d: IDataObject): IDataObject {
	if (d.kind === 'internal' || d.kind === undefined) return prune({ id: entryId(d), name: d.name, kind: 'internal' });
	const l = (d.limits as IDataObject | undefined) ?? {};
	return prune({
		id: entryId(d),
		name: d.name,
		kind: 'external',
		contract: d.kind === 'external' ? d.contract : d.kind,
		dpa: d.dpa,
		allowedFields: splitList(d.allowedFields),
		...vendorTerms(d, l),
	});
}

/** A vendor's cost, hourly cap and the terms under its Add Limit (versions 2 and 3 alike). */
export function vendorTerms(v: IDataObject, l: IDataObject): IDataObject {
	return {
		costPerTicket: v.costPerTicket,
		capacityPerHour: limit(v.capacityPerHour),
		capacityPerDay: l.capacityPerDay,
		capacityPerMonth: l.capacityPerMonth,
		monthlyBudget: l.monthlyBudget,
		maxShare: typeof l.maxSharePercent === 'number' ? l.maxSharePercent / 100 : undefined,
		paused: l.paused,
		dataRegions: l.dataRegions,
		quality: qualityOf(l),
	};
}

/** A vendor's quality limits from its Limits (rates in percent), or none when it sets no quality option. */
export function qualityOf(l: IDataObject): IDataObject | undefined {
	const percent = (v: unknown) => (typeof v === 'number' ? v / 100 : undefined);
	const quality = prune({
		minSlaMetRate: percent(l.minSlaMetPercent),
		minAvgCsat: l.minAvgCsat,
		maxReopenRate: percent(l.maxReopenPercent),
		maxReturnRate: percent(l.maxReturnPercent),
		lastResolved: l.qualityLastResolved,
		windowDays: l.qualityWindowDays,
		minSample: l.qualityMinSample,
	});
	return Object.keys(quality).length ? quality : undefined;
}

function ruleV1(r: IDataObject): IDataObject {
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
		overflow: r.kind === 'overflow' ? overflowOf(r, r, peaks) : undefined,
	});
}

/**
 * A rule's kind when the editor leaves it to the destination: keep internal for an internal queue, else the vendor's
 * contract: specialist, or outsourcing (also for a capacity vendor outside an overflow rule).
 */
function kindFrom(target: unknown, destinations: Map<unknown, IDataObject>): string {
	const d = destinations.get(target);
	if (d?.kind === 'internal') return 'keepInternal';
	return d?.contract === 'outsourcing' || d?.contract === 'capacity' ? 'outsourcing' : 'specialist';
}

export function conditionsOf(w: IDataObject): IDataObject {
	return prune({
		keywords: w.keywords,
		tags: w.tags,
		categories: w.categories,
		languages: w.languages,
		channels: w.channels,
		priorities: w.priorities,
		tiers: w.tiers,
		regions: w.regions,
		timeWindows: entries((w.timeWindows as IDataObject) ?? {}, 'window').map(prune),
		conditions: entries((w.fields as IDataObject) ?? {}, 'condition').map((c) => prune({ path: c.path, operator: c.operator, value: c.value })),
		withinSchedule: w.withinSchedule,
		outsideSchedule: w.outsideSchedule,
		dueWithinMinutes: w.dueWithinMinutes,
	});
}

function ruleV2(r: IDataObject, index: number, destinations: Map<unknown, IDataObject>): IDataObject {
	const overflow = r.kind === 'overflow';
	const w = (r.when as IDataObject | undefined) ?? {};
	// Targets first: an automatic kind is read from the first one.
	const settings = (r.overflowSettings as IDataObject | undefined) ?? {};
	const targets = overflow
		? entries((r.weightedTargets as IDataObject) ?? {}, 'vendor').map((t) => prune({ destination: t.destination, weight: t.weight }))
		: [r.target, ...((r.moreTargets as string[] | undefined) ?? [])].filter((t) => typeof t === 'string' && t !== '');
	return prune({
		id: entryId(r) ?? `rule-${index + 1}`,
		name: r.name,
		kind: r.kind || kindFrom(targets[0], destinations),
		targets,
		strategy: r.strategy,
		when: conditionsOf(w),
		overflow: overflow ? overflowOf(r, settings, entries((settings.peakPeriods as IDataObject) ?? {}, 'period')) : undefined,
	});
}

export function overflowOf(thresholds: IDataObject, hysteresis: IDataObject, peaks: IDataObject[]): IDataObject {
	return prune({
		capacityPerHour: limit(thresholds.capacityPerHour),
		backlogLimit: limit(thresholds.backlogLimit),
		onAt: hysteresis.onAt,
		offAt: hysteresis.offAt,
		peakPeriods: peaks.map((k) =>
			prune({
				name: k.name,
				from: k.from,
				to: k.to,
				withinSchedule: k.withinSchedule,
				outsideSchedule: k.outsideSchedule,
				capacityPerHour: limit(k.capacityPerHour),
				backlogLimit: limit(k.backlogLimit),
			}),
		),
	});
}

export function scheduleV2(s: IDataObject): IDataObject {
	return prune({
		id: entryId(s),
		name: s.name,
		hours: entries((s.hours as IDataObject) ?? {}, 'interval').map(prune),
		holidays: splitList(s.holidays),
		publicHolidays: s.country ? prune({ country: s.country, region: s.region }) : undefined,
	});
}

export function slaV2(sla: IDataObject): IDataObject | undefined {
	const targets = prune({ urgent: limit(sla.urgent), high: limit(sla.high), normal: limit(sla.normal), low: limit(sla.low) });
	const out = prune({ targetMinutes: Object.keys(targets).length ? targets : undefined, teamTicketsPerHour: limit(sla.teamTicketsPerHour) });
	return Object.keys(out).length ? out : undefined;
}

/** `acme:3` → weighted target; `acme` → plain id. */
function parseTarget(entry: string): string | IDataObject {
	const m = /^(.*?):\s*([\d.]+)$/.exec(entry);
	return m ? { destination: m[1].trim(), weight: Number(m[2]) } : entry;
}

export function limit(value: unknown): number | undefined {
	return typeof value === 'number' && value > 0 ? value : undefined;
}

/** Drops unset fields (undefined, empty strings, empty lists and objects) so the schema applies its defaults. */
export function prune(object: IDataObject): IDataObject {
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(object)) {
		if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
		if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) continue;
		out[key] = value;
	}
	return out;
}
