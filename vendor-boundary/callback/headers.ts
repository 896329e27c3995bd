/** The headers of the vendor callback contract (README: "Vendor callbacks: the vendor's side of the contract"). */
export const CALLBACK_TIMESTAMP_HEADER = 'X-Callback-Timestamp';
export const CALLBACK_SIGNATURE_HEADER = 'X-Callback-Signature';
/** Set on an answer repeated for a callback already recorded. */
export const CALLBACK_REPLAYED_HEADER = 'X-Callback-Replayed';
