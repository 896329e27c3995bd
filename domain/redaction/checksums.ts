/** Luhn check over the digits of a card-like string (separators ignored). */
export function passesLuhn(digits: string): boolean {
	let sum = 0;
	let double = false;
	let count = 0;
	for (let i = digits.length - 1; i >= 0; i--) {
		const code = digits.charCodeAt(i);
		if (code < 48 || code > 57) continue;
		let d = code - 48;
		if (double) {
			d *= 2;
			if (d > 9) d -= 9;
		}
		sum += d;
		double = !double;
		count++;
	}
	return count >= 13 && count <= 19 && sum % 10 === 0;
}

/**
 * ISO 13616 mod-97 check: move the country code and check digits to the end, letters become 10..35,
 * the number mod 97 must be 1. Computed piecewise so no big integers are needed.
 */
export function passesIbanChecksum(candidate: string): boolean {
	const iban = candidate.replace(/[\s-]/g, '').toUpperCase();
	if (iban.length < 15 || iban.length > 34) return false;
	const rearranged = iban.slice(4) + iban.slice(0, 4);
	let remainder = 0;
	for (let i = 0; i < rearranged.length; i++) {
		const code = rearranged.charCodeAt(i);
		if (code >= 48 && code <= 57) remainder = (remainder * 10 + (code - 48)) % 97;
		else if (code >= 65 && code <= 90) remainder = (remainder * 100 + (code - 55)) % 97;
		else return false;
	}
	return remainder === 1;
}

/** Digits only: the identity of a phone or card number whatever its formatting. */
export function digitsOf(value: string): string {
	return value.replace(/\D/g, '');
}
