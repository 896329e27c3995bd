/** A report setting that cannot work (unknown time zone, empty window, crossed thresholds); the message names it. */
export class RiskSettingError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'RiskSettingError';
	}
}
