/** Luhn (ISO/IEC 7812-1 annex B) over the digits of a string: the check digit makes the weighted sum a multiple of 10. */
export function passesLuhn(value: string): boolean {
	let sum = 0;
	let double = false;
	let count = 0;
	for (let i = value.length - 1; i >= 0; i--) {
		let d = value.charCodeAt(i) - 48;
		if (d < 0 || d > 9) continue;
		count++;
		if (double) {
			d *= 2;
			if (d > 9) d -= 9;
		}
		sum += d;
		double = !double;
	}
	return count > 1 && sum % 10 === 0;
}

/** A decimal string mod 97, piecewise so no big integers are needed. */
export function mod97(digits: string): number {
	let remainder = 0;
	for (let i = 0; i < digits.length; i++) remainder = (remainder * 10 + (digits.charCodeAt(i) - 48)) % 97;
	return remainder;
}

/** Digits only: the identity of a phone, card or id number whatever its formatting. */
export function digitsOf(value: string): string {
	return value.replace(/\D/g, '');
}
