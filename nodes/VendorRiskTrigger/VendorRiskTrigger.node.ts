import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import type { AssessOptions } from '../../domain/risk/assess';
import { assessRisk } from '../../domain/risk/assess';
import type { RiskReport } from '../../domain/risk/report';
import { qualityTransitions, type QualityMemory, type QualityTransition } from '../../domain/risk/quality-transitions';
import type { LevelMemory, RiskTransition } from '../../domain/risk/transitions';
import { riskTransitions } from '../../domain/risk/transitions';
import { ledgerCredentials, ledgerProperties, openLedger } from '../shared/ledger/open';
import { policyScopes } from '../shared/ledger/scopes';
import { alertDetails, windowJson } from '../VendorRisk/items';
import { toNodeError } from '../shared/node-error';
import { readRiskOptions, riskProperties } from '../VendorRisk/properties';

/** What the trigger keeps between polls: the last level it emitted per subject, nothing else. */
interface TriggerMemory extends IDataObject {
	levels?: LevelMemory;
	quality?: QualityMemory;
}

/** A vendor's quality crossing its limits, as an item shaped like the risk transitions. */
function qualityJson(report: RiskReport, t: QualityTransition, options: AssessOptions): IDataObject {
	return {
		change: 'quality',
		from: t.from,
		level: t.to,
		message: t.message,
		id: `quality:${t.vendor}`,
		subject: 'quality',
		name: t.vendor,
		reasons: t.quality?.reason ? [t.quality.reason] : [],
		details: t.quality ? { ...t.quality } : null,
		reportLevel: report.level,
		window: windowJson(report, options),
	};
}

function transitionJson(report: RiskReport, transition: RiskTransition, options: AssessOptions): IDataObject {
	return {
		change: transition.kind,
		from: transition.from,
		level: transition.to,
		message: transition.message,
		id: transition.id,
		subject: transition.alert?.subject ?? transition.id.split(':')[0],
		name: transition.alert?.name ?? transition.id.slice(transition.id.indexOf(':') + 1),
		reasons: transition.alert?.reasons ?? [],
		details: alertDetails(report, transition),
		reportLevel: report.level,
		window: windowJson(report, options),
	};
}

export class VendorRiskTrigger implements INodeType {
	methods = { loadOptions: { policyScopes } };

	description: INodeTypeDescription = {
		displayName: 'Vendor Risk Trigger',
		name: 'vendorRiskTrigger',
		icon: { light: 'file:vendorRiskTrigger.svg', dark: 'file:vendorRiskTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "Last " + $parameter["windowDays"] + " days" }}',
		description: 'Starts a workflow when a vendor, a topic or the vendor concentration enters a higher risk level or recovers, or a vendor\'s quality crosses its limits',
		defaults: { name: 'Vendor Risk Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: ledgerCredentials,
		properties: [
			{
				displayName:
					'Emits only when a level changes since the last poll (escalated, eased or recovered), not on every poll. A manual test emits the current state.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			...riskProperties,
			...ledgerProperties,
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		let options: AssessOptions;
		let report: RiskReport;
		try {
			options = readRiskOptions((name, fallback) => this.getNodeParameter(name, fallback), Date.now(), this.getTimezone());
			report = await assessRisk(await openLedger(this), options);
		} catch (error) {
			throw toNodeError(this.getNode(), error, undefined, 'No change was emitted; the next poll tries again.');
		}

		const memory = this.getWorkflowStaticData('node') as TriggerMemory;
		if (this.getMode() === 'manual') {
			// A test step shows what the workflow would receive now, and leaves the production memory alone.
			const { transitions } = riskTransitions(report, {});
			const items = [
				...transitions.map((t) => ({ json: transitionJson(report, t, options) })),
				...qualityTransitions(report.quality, {}).transitions.map((t) => ({ json: qualityJson(report, t, options) })),
			];
			if (items.length === 0) {
				items.push({
					json: {
						change: 'none',
						level: 'ok',
						message: 'No vendor, topic or concentration is above ok in this window.',
						reportLevel: report.level,
						window: windowJson(report, options),
					},
				});
			}
			return [items];
		}

		const { transitions, memory: next } = riskTransitions(report, memory.levels ?? {});
		const quality = qualityTransitions(report.quality, memory.quality ?? {});
		if (transitions.length === 0 && quality.transitions.length === 0) return null;
		memory.levels = next;
		if (quality.transitions.length > 0) memory.quality = quality.memory;
		return [
			[
				...transitions.map((t) => ({ json: transitionJson(report, t, options) })),
				...quality.transitions.map((t) => ({ json: qualityJson(report, t, options) })),
			],
		];
	}
}
