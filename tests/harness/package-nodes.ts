import type { INodeType, IVersionedNodeType } from 'n8n-workflow';

import { DelegationLog } from '../../nodes/DelegationLog/DelegationLog.node';
import { PolicySimulation } from '../../nodes/PolicySimulation/PolicySimulation.node';
import { ProviderHandoff } from '../../nodes/ProviderHandoff/ProviderHandoff.node';
import { TicketRouter } from '../../nodes/TicketRouter/TicketRouter.node';
import { VendorRisk } from '../../nodes/VendorRisk/VendorRisk.node';
import { VendorCallback } from '../../nodes/VendorCallback/VendorCallback.node';
import { VendorRiskTrigger } from '../../nodes/VendorRiskTrigger/VendorRiskTrigger.node';

/** The package's node classes; each node's issue adds its class here. */
export const PACKAGE_NODES: Array<new () => INodeType | IVersionedNodeType> = [
	DelegationLog,
	PolicySimulation,
	ProviderHandoff,
	TicketRouter,
	VendorCallback,
	VendorRisk,
	VendorRiskTrigger,
];
