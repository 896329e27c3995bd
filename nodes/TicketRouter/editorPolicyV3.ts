import type { IDataObject } from 'n8n-workflow';

import { placeOf } from '../../domain/policy/place';
import { splitList } from '../../domain/policy/list';
import { conditionsOf, entries, entryId, overflowOf, prune, scheduleV2, slaV2, vendorTerms } from './editorPolicy';

/** Build in Editor's parameters from typeVersion 3 (editorFieldsV3.ts), as the node reads them. */
export interface EditorParametersV3 {
	scope: string;
	timezone: string;
	defaultDestination: string;
	queues: IDataObject;
	vendors: IDataObject;
	vendorDpa: boolean;
	vendorAllowedFields: string;
	overflowCapacityPerHour: number;
	overflow: IDataObject;
	guardrails: IDataObject;
	schedules: IDataObject;
	sla: IDataObject;
}

/**
 * A policy built in the version-3 editor, and where each of its paths is in that editor: the policy's rules are
 * the queues' and vendors' conditions, so `rules[2].when.keywords` is found as
 * `Vendor 1 "Billing Experts" › Route Here When › keywords (rules[2].when.keywords)`.
 */
export interface EditorPolicy {
	policy: IDataObject;
	/** A JSON path of the policy (`rules[2].when.keywords`) as the editor shows it, with the path in brackets. */
	place(path: string): string;
	/** A policy warning's text with the places named as the editor shows them. */
	inEditorTerms(message: string): string;
}

export const OVERFLOW_RULE = { id: 'capacity-overflow', name: 'Overflow to capacity vendors' };

/**
 * Turns the queue-centric editor into the same plain policy a JSON policy is: internal queues then vendors as the
 * destinations; a rule per queue or vendor with conditions, in list order (internal queues first, so keeping a ticket
 * in-house wins), of the destination's kind (keep internal, or the vendor's contract); capacity vendors share one
 * overflow rule, last, weighted by their Overflow Weight. Vendors take the policy-wide DPA and allowed fields unless
 * their Limits override them.
 */
export function policyFromEditorV3(p: EditorParametersV3): EditorPolicy {
	const queues = entries(p.queues, 'queue');
	const vendors = entries(p.vendors, 'vendor');
	const destinations = [
		...queues.map((q) => prune({ id: entryId(q), name: q.name, kind: 'internal' })),
		...vendors.map((v) => vendorOf(v, p)),
	];
	const who = (i: number) => (i < queues.length ? `Internal Queue ${i + 1}` : `Vendor ${i - queues.length + 1}`);
	const destinationLabels = destinations.map((d, i) => `${who(i)}${typeof d.name === 'string' && d.name.trim() ? ` "${d.name.trim()}"` : d.id ? ` "${d.id as string}"` : ''}`);

	const rules: IDataObject[] = [];
	/** For each rule: the label of the queue or vendor it comes from (the overflow: of each target's vendor). */
	const ruleOrigins: Array<{ label: string; targets: string[] }> = [];
	[...queues, ...vendors].forEach((entry, i) => {
		const contract = i < queues.length ? 'keepInternal' : ((entry.contract as string | undefined) ?? 'specialist');
		if (contract === 'capacity') return;
		const when = conditionsOf((entry.when as IDataObject | undefined) ?? {});
		if (Object.keys(when).length === 0) return;
		const id = destinations[i].id as string | undefined;
		const thenTry = ((entry.limits as IDataObject | undefined)?.thenTry as string[] | undefined) ?? [];
		rules.push(prune({ id: id ?? `${i < queues.length ? 'queue' : 'vendor'}-${i + 1}`, name: entry.name, kind: contract, targets: [id, ...thenTry].filter((t) => t !== undefined && t !== ''), when }));
		ruleOrigins.push({ label: destinationLabels[i], targets: [] });
	});
	const capacity = vendors.map((v, k) => ({ v, at: queues.length + k })).filter(({ v }) => v.contract === 'capacity');
	if (capacity.length > 0) {
		const o = p.overflow ?? {};
		rules.push(
			prune({
				...OVERFLOW_RULE,
				kind: 'overflow',
				targets: capacity.map(({ v, at }) => prune({ destination: destinations[at].id, weight: v.weight })),
				strategy: o.strategy,
				overflow: overflowOf({ capacityPerHour: p.overflowCapacityPerHour, backlogLimit: o.backlogLimit }, o, entries((o.peakPeriods as IDataObject) ?? {}, 'period')),
			}),
		);
		ruleOrigins.push({ label: 'Overflow', targets: capacity.map(({ at }) => destinationLabels[at]) });
	}

	const schedules = entries(p.schedules ?? {}, 'schedule');
	const policy = prune({
		scope: p.scope,
		timezone: p.timezone,
		destinations,
		rules,
		defaultDestination: p.defaultDestination || destinations.find((d) => d.kind === 'internal')?.id,
		guardrails: prune({ shareWindowDays: p.guardrails?.shareWindowDays, minVolumeForShareCap: p.guardrails?.minVolumeForShareCap }),
		schedules: schedules.map(scheduleOf),
		sla: slaV2(p.sla ?? {}),
	});

	const place = (path: string): string => {
		const m = /^(destinations|rules|schedules)\[(\d+)\](?:\.(.*))?$/.exec(path);
		if (!m) return path;
		const [list, index, rest] = [m[1], Number(m[2]), m[3]];
		const inside = (label: string, where?: string) => `${label}${where ? ` › ${where}` : ''} (${path})`;
		if (list === 'destinations') return destinationLabels[index] ? inside(destinationLabels[index], rest) : path;
		if (list === 'schedules') return inside(`Schedule ${index + 1}${scheduleName(schedules[index])}`, rest && scheduleField(rest, schedules[index]));
		const origin = ruleOrigins[index];
		if (!origin) return path;
		const target = rest && /^targets\[(\d+)\](.*)$/.exec(rest);
		if (origin.label === 'Overflow') {
			if (target) return inside(origin.targets[Number(target[1])] ?? 'Overflow', target[2] ? target[2].replace(/^\./, '') : undefined);
			return inside('Overflow', rest?.replace(/^overflow\.?/, '').replace(/^capacityPerHour$/, 'Team Capacity per Hour') || 'Team Capacity per Hour or Overflow Settings › Backlog Limit');
		}
		if (target) return inside(origin.label, Number(target[1]) === 0 ? undefined : `Limits › If Over a Limit, Try › ${Number(target[1])}`);
		return inside(origin.label, rest?.replace(/^when\.?/, 'Route Here When › ').replace(/ › $/, ''));
	};
	const inEditorTerms = (message: string): string => {
		let out = message;
		destinations.forEach((_, i) => (out = out.split(placeOf(['destinations', i], policy)).join(place(`destinations[${i}]`))));
		rules.forEach((_, k) => (out = out.split(placeOf(['rules', k], policy)).join(place(`rules[${k}]`))));
		return out;
	};
	return { policy, place, inEditorTerms };
}

function vendorOf(v: IDataObject, p: EditorParametersV3): IDataObject {
	const l = (v.limits as IDataObject | undefined) ?? {};
	return prune({
		id: entryId(v),
		name: v.name,
		kind: 'external',
		contract: v.contract ?? 'specialist',
		// The policy-wide terms, unless this vendor's Limits say otherwise.
		dpa: l.dpa ?? p.vendorDpa === true,
		allowedFields: splitList(l.allowedFields ?? p.vendorAllowedFields),
		...vendorTerms(v, l),
	});
}

/** The usual week (Open Days, Opens, Closes) is the first interval; More Opening Hours follow it. */
function scheduleOf(s: IDataObject): IDataObject {
	return scheduleV2({ ...s, hours: { interval: [...usualWeek(s), ...entries((s.moreHours as IDataObject) ?? {}, 'interval')] } });
}

function usualWeek(s: IDataObject): IDataObject[] {
	const days = (s.days as string[] | undefined) ?? ['mon', 'tue', 'wed', 'thu', 'fri'];
	return days.length ? [{ days, from: s.from ?? '08:00', to: s.to ?? '18:00' }] : [];
}

const scheduleName = (s: IDataObject | undefined) => (s && typeof s.name === 'string' && s.name.trim() ? ` "${s.name.trim()}"` : '');

/** `hours[0].to` → Closes; `hours[2].from` → More Opening Hours › 2 › from (with the usual week first). */
function scheduleField(rest: string, s: IDataObject | undefined): string {
	const m = /^hours\[(\d+)\]\.?(.*)$/.exec(rest);
	if (!m) return rest;
	const k = Number(m[1]);
	if (s && usualWeek(s).length && k === 0) return { days: 'Open Days', from: 'Opens', to: 'Closes' }[m[2]] ?? 'Open Days';
	const more = s && usualWeek(s).length ? k : k + 1;
	return `More Opening Hours › ${more}${m[2] ? ` › ${m[2]}` : ''}`;
}
