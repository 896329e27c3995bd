/** Ticket text with PII in the shapes support tickets really contain, and look-alikes that must stay. */
export interface PiiCase {
	name: string;
	input: string;
	/** Substrings that must not survive redaction. */
	values: string[];
	counts: Record<string, number>;
}

export const PII_CORPUS: PiiCase[] = [
	{ name: 'plain e-mail', input: 'Contact me at john.doe@example.com please', values: ['john.doe@example.com', 'john.doe'], counts: { email: 1 } },
	{ name: 'e-mail in double quotes', input: 'From: "jane+support@mail.example.co.uk" <reply>', values: ['jane+support@mail.example.co.uk'], counts: { email: 1 } },
	{ name: 'e-mail in single quotes and brackets', input: "reply to 'ops@acme.io' (or <ceo@acme.io>)", values: ['ops@acme.io', 'ceo@acme.io'], counts: { email: 2 } },
	{ name: 'e-mail ending a sentence', input: 'Write to help@shop.de.', values: ['help@shop.de'], counts: { email: 1 } },
	{ name: 'unicode e-mail', input: 'Adresse: zoë.müller@exämple.fr, merci', values: ['zoë.müller@exämple.fr', 'müller'], counts: { email: 1 } },
	{ name: 'French mobile, international', input: 'Appelez-moi au +33 6 12 34 56 78 demain', values: ['6 12 34 56 78', '+33'], counts: { phone: 1 } },
	{ name: 'French number with trunk zero', input: 'tel +33 (0)1 42 68 53 00', values: ['42 68 53 00'], counts: { phone: 1 } },
	{ name: 'compact E.164', input: 'whatsapp:+447911123456', values: ['7911123456'], counts: { phone: 1 } },
	// NANP: area code 555 is not assigned; the fictional numbers are 555-0100…0199 under a real area code.
	{ name: 'US with brackets', input: 'Call (212) 555-0147 after 5pm', values: ['555-0147', '(212)'], counts: { phone: 1 } },
	{ name: 'US +1 with brackets', input: 'Call +1 (312) 555-0123', values: ['555-0123'], counts: { phone: 1 } },
	{ name: 'US dotted', input: 'cell 415.555.0199', values: ['415.555.0199'], counts: { phone: 1 } },
	{ name: 'German with dashes', input: 'Tel. +49-30-1234567', values: ['1234567'], counts: { phone: 1 } },
	{ name: 'UK national', input: 'ring 020 7946 0958 any time', values: ['7946 0958'], counts: { phone: 1 } },
	{ name: 'French national', input: 'mon portable : 06 12 34 56 78', values: ['06 12 34 56 78'], counts: { phone: 1 } },
	{ name: 'Visa, grouped', input: 'my card is 4111 1111 1111 1111 exp 12/29', values: ['4111 1111 1111 1111', '1111 1111'], counts: { card: 1 } },
	{ name: 'Mastercard, dashes', input: 'card: 5500-0000-0000-0004', values: ['5500-0000-0000-0004'], counts: { card: 1 } },
	{ name: 'Amex, contiguous', input: 'amex 378282246310005.', values: ['378282246310005'], counts: { card: 1 } },
	{ name: 'card followed by a year', input: 'paid with 4111 1111 1111 1111 2024', values: ['4111 1111 1111 1111'], counts: { card: 1 } },
	{ name: 'IBAN with spaces', input: 'IBAN: FR76 3000 6000 0112 3456 7890 189 Merci', values: ['FR76 3000 6000 0112 3456 7890 189', '7890 189'], counts: { iban: 1 } },
	{ name: 'IBAN contiguous', input: 'refund to DE89370400440532013000 asap', values: ['DE89370400440532013000'], counts: { iban: 1 } },
	{ name: 'IBAN with letters', input: 'GB29 NWBK 6016 1331 9268 19', values: ['NWBK 6016'], counts: { iban: 1 } },
	{
		name: 'everything in one unicode ticket',
		input: '¡Hola! Soy Zoë 🙂 — email «zoe@ejemplo.es», móvil +34 612 345 678, tarjeta 4111111111111111, IBAN ES91 2100 0418 4502 0005 1332.',
		values: ['zoe@ejemplo.es', '612 345 678', '4111111111111111', '2100 0418 4502 0005 1332'],
		counts: { email: 1, phone: 1, card: 1, iban: 1 },
	},
];

export const SAFE_CORPUS: Array<{ name: string; input: string }> = [
	{ name: 'card number failing Luhn', input: 'order ref 4111 1111 1111 1112 is not a card' },
	{ name: 'contiguous number failing Luhn', input: 'tracking 1234567812345678' },
	{ name: 'IBAN-shaped string failing mod-97', input: 'code DE89 3704 0044 0532 0130 01' },
	{ name: 'dates and times', input: 'Since 2024-03-15 at 10:30, ticket #48213, version 2.41.1' },
	{ name: 'short numbers', input: 'Order 12345, room 404, 3 items for 19.99 EUR' },
	{ name: 'at sign without an address', input: 'meet @ noon, ping @support on Slack' },
	{ name: 'unicode prose', input: 'Das Gerät startet nicht — 日本語のテキスト — ça marche pas 🙁' },
];
