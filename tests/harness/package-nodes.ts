import type { INodeType, IVersionedNodeType } from 'n8n-workflow';

import { TicketRouter } from '../../nodes/TicketRouter/TicketRouter.node';

/** The package's node classes; each node's issue adds its class here. */
export const PACKAGE_NODES: Array<new () => INodeType | IVersionedNodeType> = [TicketRouter];
