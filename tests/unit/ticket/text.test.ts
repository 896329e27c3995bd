import { describe, expect, it } from 'vitest';

import { lowerCased } from '../../../domain/ticket/text';

describe('lowerCased', () => {
	it('lower-cases every upper-case letter, the ASCII bounds A and Z and beyond ASCII', () => {
		expect(lowerCased('AZ')).toBe('az');
		expect(lowerCased('E-Mail')).toBe('e-mail');
		expect(lowerCased('email')).toBe('email');
		expect(lowerCased('ÉLITE')).toBe('élite');
		expect(lowerCased('élite')).toBe('élite');
		expect(lowerCased('ÜBER')).toBe('über');
		expect(lowerCased('ΑΘΉΝΑ')).toBe('αθήνα');
		expect(lowerCased('')).toBe('');
	});

	it('leaves the characters next to the upper-case range as they are', () => {
		// @ is just below A, [ just above Z, ` just below a, { just above z.
		expect(lowerCased('@[`{09_-')).toBe('@[`{09_-');
	});
});
