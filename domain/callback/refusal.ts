/**
 * Why a vendor callback was not recorded, as the vendor is told: an HTTP status, a sentence it can act on and, where
 * one value is at fault, the field (a body field such as `status`, or a header such as `X-Callback-Timestamp`).
 */
export interface CallbackRefusal {
	status: number;
	error: string;
	field?: string;
}

export function refusal(status: number, error: string, field?: string): CallbackRefusal {
	return field === undefined ? { status, error } : { status, error, field };
}
