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

/**
 * The check digit of a UPS tracking number (the 16 characters after `1Z`, the last one the check digit): letters
 * count as (character code − 63) mod 10 (A = 2 … H = 9, I = 0 …), digits in odd places once and in even places
 * twice, and the check digit brings the sum to a multiple of 10. UPS's sample `1Z 999 AA1 01 2345 6784` passes.
 */
export function upsCheckDigitOk(chars: string): boolean {
	if (!/^[0-9A-Z]{16}$/i.test(chars)) return false;
	let sum = 0;
	for (let i = 0; i < 15; i++) {
		const c = chars.toUpperCase().charCodeAt(i);
		const value = c <= 57 ? c - 48 : (c - 63) % 10;
		sum += i % 2 === 0 ? value : 2 * value;
	}
	return (10 - (sum % 10)) % 10 === chars.charCodeAt(15) - 48;
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
