import type { IDataObject } from 'n8n-workflow';

/** A fixed pseudo-random sequence (multiplicative hashing of a counter): the same tickets on every run. */
function sequence(seed: number) {
	let n = seed;
	return () => (Math.imul(++n, 0x9e3779b1) >>> 0) / 4294967296;
}

const PROSE = [
	'Hello team, I have been using the product for a while and today something unexpected happened with my last order. ',
	'I tried the steps from the help center article and cleared my cache, but the issue is still there, version 2.41.1. ',
	'Bonjour, ma commande du 2024-03-15 n’est jamais arrivée et le suivi n’a pas bougé depuis lundi, merci de vérifier. ',
	'Hallo, die Rechnung 48213 enthält einen Fehler: der Betrag von 19,99 EUR wurde zweimal abgebucht. ',
	'注文のキャンセルについて、昨日メールを送りましたがまだ返事がありません。よろしくお願いします。 ',
	'Could you please have a look and tell me what to do next? Order 12345, room 404, 3 items. Thanks a lot! ',
];
export const PII = [
	'john.doe@example.com',
	'"jane+billing@mail.example.co.uk"',
	'+33 6 12 34 56 78',
	'(555) 123-4567',
	'+44 20 7946 0958',
	'4111 1111 1111 1111',
	'5500-0000-0000-0004',
	'FR76 3000 6000 0112 3456 7890 189',
	'DE89370400440532013000',
	'4111 1111 1111 1112',
];

/** ~2 KB of mixed-language prose per ticket with 0–5 PII values (and look-alikes) at random places. */
export function ticketBodies(n: number, dense = false): IDataObject[] {
	const r = sequence(7);
	const out: IDataObject[] = [];
	for (let i = 0; i < n; i++) {
		const parts: string[] = [];
		let length = 0;
		while (length < 2048) {
			const piece = dense && r() < 0.5 ? PII[Math.floor(r() * PII.length)] + ', ' : PROSE[Math.floor(r() * PROSE.length)];
			parts.push(piece);
			length += piece.length;
		}
		if (!dense) {
			const count = Math.floor(r() * 6);
			for (let k = 0; k < count; k++) parts.splice(Math.floor(r() * parts.length), 0, `reach me at ${PII[Math.floor(r() * PII.length)]}. `);
		}
		out.push({ id: `T-${i}`, subject: `Problem with order ${1000 + i}`, body: parts.join('').slice(0, 2048) });
	}
	return out;
}

