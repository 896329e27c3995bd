import { DAY, HOUR, TEN_MINUTES } from '../planning/rollup';

/**
 * The vendor rollups, finest first: the count and cost per (scope, bucket, kind, vendor) the guardrails read. Each is
 * written from a batch's ten-minute cells (`rollUp`'s vendorCells), summed to its grain; `start` is its bucket column.
 */
export const VENDOR_ROLLUPS = [
	{ table: 'delegation_vendor_tens', start: 'start', grain: TEN_MINUTES },
	{ table: 'delegation_vendor_hours', start: 'hour', grain: HOUR },
	{ table: 'delegation_vendor_days', start: 'day', grain: DAY },
] as const;
