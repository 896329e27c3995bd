/**
 * The redaction corpus: values of every class by country and format, each with the verdict its format's
 * specification gives — never the detector's output. Check digits are computed here from the specifications
 * (Luhn: ISO/IEC 7812-1 annex B; IBAN: ISO 13616 / ISO 7064 MOD 97-10; NIR: INSEE key = 97 − n mod 97), with the
 * issuer ranges, IBAN lengths and BBAN formats copied from the networks' and SWIFT's registries, and phone numbers
 * written from the national numbering plans (fictional ranges where a regulator reserves one).
 */
export type CorpusClass = 'email' | 'email_obfuscated' | 'phone' | 'card' | 'iban' | 'fr_nir' | 'us_ssn' | 'uk_nino';

export interface CorpusValue {
	class: CorpusClass;
	/** Exactly what appears in the ticket. */
	value: string;
	/** What the value is, for failure messages: country and format. */
	format: string;
	/** The customer's region when the format is a national one outside the default regions (US, GB, FR, DE). */
	region?: string;
}

export interface CorpusNegative {
	kind: string;
	value: string;
}

/** A fixed pseudo-random sequence: the same corpus on every run. */
function sequence(seed: number) {
	let n = seed;
	return () => (Math.imul(++n, 0x9e3779b1) >>> 0) / 4294967296;
}
const random = sequence(12);
const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');

// ---- Luhn (ISO/IEC 7812-1 annex B), written here from the standard.
export function luhnCheckDigit(payload: string): string {
	let sum = 0;
	for (let i = 0; i < payload.length; i++) {
		let d = Number(payload[payload.length - 1 - i]);
		if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
		sum += d;
	}
	return String((10 - (sum % 10)) % 10);
}
const pan = (prefix: string, length: number) => {
	const body = prefix + digits(length - prefix.length - 1);
	return body + luhnCheckDigit(body);
};

/** Issuer prefixes and lengths as the networks publish them. */
const ISSUERS: Array<[network: string, prefix: string, length: number]> = [
	['Visa', '4', 16],
	['Visa', '4', 13],
	['Visa', '4', 19],
	['Mastercard', '51', 16],
	['Mastercard', '55', 16],
	['Mastercard 2-series', '2221', 16],
	['Mastercard 2-series', '2720', 16],
	['Amex', '34', 15],
	['Amex', '37', 15],
	['Discover', '6011', 16],
	['Discover', '65', 16],
	['Discover', '644', 16],
	['JCB', '3528', 16],
	['JCB', '3589', 16],
	['Diners', '36', 14],
	['Diners', '300', 14],
	['UnionPay', '62', 16],
	['UnionPay', '62', 19],
	['Maestro', '6759', 16],
	['Maestro', '5018', 16],
	['Mir', '2200', 16],
	['RuPay', '81', 16],
];

function cardFormats(n: string, network: string): CorpusValue[] {
	const g4 = n.replace(/(\d{4})(?=\d)/g, '$1 ');
	const amex = n.length === 15 ? `${n.slice(0, 4)} ${n.slice(4, 10)} ${n.slice(10)}` : g4;
	return [
		{ class: 'card', value: n, format: `${network} ${n.length}, contiguous` },
		{ class: 'card', value: amex, format: `${network}, printed groups` },
		{ class: 'card', value: g4.replace(/ /g, '-'), format: `${network}, dashes` },
		{ class: 'card', value: g4.replace(/ /g, '.'), format: `${network}, dots` },
		{ class: 'card', value: g4.replace(/ /g, '\u00a0'), format: `${network}, non-breaking spaces` },
		{ class: 'card', value: `${network.split(' ')[0].toUpperCase()}${n}`, format: `${network}, glued to the brand` },
		{ class: 'card', value: `receipt_${n}.pdf`, format: `${network}, in a file name` },
	];
}

// ---- IBAN (ISO 13616): BBAN formats and lengths from the SWIFT IBAN registry; check digits = 98 − mod97.
const BBAN: Array<[country: string, format: string]> = [
	['DE', '18n'],
	['FR', '10n11c2n'],
	['GB', '4a14n'],
	['ES', '20n'],
	['IT', '1a10n12c'],
	['NL', '4a10n'],
	['BE', '12n'],
	['CH', '5n12c'],
	['AT', '16n'],
	['PL', '24n'],
	['PT', '21n'],
	['IE', '4a14n'],
	['LU', '3n13c'],
	['SE', '20n'],
	['DK', '14n'],
	['NO', '11n'],
	['FI', '14n'],
	['CZ', '20n'],
	['GR', '7n16c'],
	['MT', '4a5n18c'],
	['SA', '2n18c'],
	['BR', '23n1a1c'],
];
const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
function bban(format: string): string {
	let out = '';
	for (const [, count, kind] of format.matchAll(/(\d+)([nac])/g)) {
		for (let i = 0; i < Number(count); i++) {
			const set = kind === 'n' ? '0123456789' : kind === 'a' ? LETTERS : ALNUM;
			out += set[Math.floor(random() * set.length)];
		}
	}
	return out;
}
/** ISO 7064 MOD 97-10 over the rearranged IBAN, letters as 10..35, with BigInt. */
export function ibanRemainder(iban: string): number {
	const rearranged = iban.slice(4) + iban.slice(0, 4);
	const numeric = [...rearranged].map((c) => (/\d/.test(c) ? c : String(c.charCodeAt(0) - 55))).join('');
	return Number(BigInt(numeric) % 97n);
}
function iban(country: string, body: string): string {
	const check = 98 - ibanRemainder(`${country}00${body}`);
	return `${country}${String(check).padStart(2, '0')}${body}`;
}
function ibanFormats(value: string): CorpusValue[] {
	const paper = value.replace(/(.{4})(?=.)/g, '$1 ');
	const c = value.slice(0, 2);
	const out: CorpusValue[] = [
		{ class: 'iban', value, format: `${c} electronic format` },
		{ class: 'iban', value: paper, format: `${c} paper format` },
		{ class: 'iban', value: value.toLowerCase(), format: `${c} lower case` },
		{ class: 'iban', value: paper.replace(/ /g, '-'), format: `${c} dashes` },
		{ class: 'iban', value: `IBAN_${value}.pdf`, format: `${c} in a file name` },
	];
	if (c === 'DE' || c === 'ES') out.push({ class: 'iban', value: paper.replace(/ /g, '.'), format: `${c} dots` });
	if (c === 'GB' || c === 'NL') out.push({ class: 'iban', value: paper.replace(/ /g, '\u00a0'), format: `${c} non-breaking spaces` });
	if (c === 'FR') {
		// The French RIB grouping: bank 5, branch 5, account 11, key 2.
		const b = value.slice(4);
		out.push({ class: 'iban', value: `${c}${value.slice(2, 4)} ${b.slice(0, 5)} ${b.slice(5, 10)} ${b.slice(10, 21)} ${b.slice(21)}`, format: 'FR RIB grouping' });
	}
	return out;
}
/** Examples printed in national banks' and the registry's own documentation. */
const PUBLISHED_IBANS = [
	'DE89370400440532013000',
	'GB29NWBK60161331926819',
	'FR1420041010050500013M02606',
	'NL91ABNA0417164300',
	'BE68539007547034',
	'CH9300762011623852957',
	'ES9121000418450200051332',
	'IT60X0542811101000000123456',
	'AT611904300234573201',
	'PL61109010140000071219812874',
];

// ---- French NIR: key = 97 − (13 digits mod 97), Corsica 2A → 19, 2B → 18 (INSEE).
function nir(sex: string, yy: string, mm: string, dept: string, commune: string, order: string): string {
	const numeric = dept === '2A' ? '19' : dept === '2B' ? '18' : dept;
	const key = 97 - Number(BigInt(sex + yy + mm + numeric + commune + order) % 97n);
	return sex + yy + mm + dept + commune + order + String(key).padStart(2, '0');
}
const NIRS: Array<[string, string, string, string, string, string]> = [
	['1', '84', '12', '76', '451', '089'],
	['2', '91', '03', '75', '115', '204'],
	['1', '55', '07', '13', '055', '001'],
	['2', '02', '11', '2A', '004', '123'],
	['1', '78', '05', '2B', '033', '456'],
	['2', '67', '30', '99', '350', '017'],
	['1', '99', '01', '69', '123', '321'],
	['2', '45', '09', '33', '063', '777'],
];
function nirFormats(n: string): CorpusValue[] {
	const spaced = `${n[0]} ${n.slice(1, 3)} ${n.slice(3, 5)} ${n.slice(5, 7)} ${n.slice(7, 10)} ${n.slice(10, 13)} ${n.slice(13)}`;
	return [
		{ class: 'fr_nir', value: n, format: 'NIR compact' },
		{ class: 'fr_nir', value: spaced, format: 'NIR as printed on the carte Vitale' },
		{ class: 'fr_nir', value: spaced.replace(/ /g, '.'), format: 'NIR with dots' },
	];
}

// ---- US SSN (SSA): area 001–899 except 666, group 01–99, serial 0001–9999.
const SSNS = ['123-45-6789', '078-05-1120', '219-09-9999', '001-01-0001', '899-99-9999', '536-22-8726', '772-11-4302', '405-67-1209'];

// ---- UK NINO (HMRC NIM39110).
const NINOS = ['AB123456C', 'JG103759A', 'CE654321D', 'HJ112233B', 'PR998877A', 'WT246810C', 'ZA135790D', 'SN010203A'];

// ---- Phones, from the national numbering plans (US 555-01XX and Ofcom's drama ranges are reserved for fiction).
const PHONES: Array<[format: string, value: string, region?: string]> = [
	['US national, spaced', '212 555 0147'],
	['US national, contiguous', '2125550147'],
	['US national, brackets', '(212) 555-0147'],
	['US national, dots', '415.555.0199'],
	['US national, dashes', '312-555-0123'],
	['US +1, spaced', '+1 646 555 0110'],
	['US +1, contiguous', '+16465550110'],
	['US with leading 1', '1-800-555-0199'],
	['US from Europe, 00 1', '001 212 555 0147'],
	['UK mobile, national', '07700 900123'],
	['UK mobile, contiguous', '07700900456'],
	['UK London, national', '020 7946 0958'],
	['UK Manchester, national', '0161 496 0123'],
	['UK +44', '+44 20 7946 0018'],
	['UK +44 with (0)', '+44 (0)20 7946 0321'],
	['UK 0044', '0044 20 7946 0958'],
	['UK mobile +44', '+44 7700 900077'],
	['FR mobile, national pairs', '06 12 34 56 78'],
	['FR mobile, contiguous', '0612345678'],
	['FR mobile, dots', '07.81.23.45.67'],
	['FR mobile, dashes', '06-98-76-54-32'],
	['FR mobile, non-breaking spaces', '06\u00a012\u00a034\u00a056\u00a079'],
	['FR mobile, U+2011 non-breaking hyphens', '06\u201112\u201134\u201156\u201180'],
	['FR Paris, national', '01 42 68 53 00'],
	['FR +33', '+33 6 12 34 56 78'],
	['FR +33 (0)', '+33 (0)1 42 68 53 00'],
	['FR 0033', '0033 6 12 34 56 78'],
	['FR +33 contiguous', '+33612345678'],
	['FR +33 non-breaking spaces', '+33\u00a06\u00a098\u00a076\u00a054\u00a032'],
	['DE Berlin, slash', '030/12345678'],
	['DE Berlin, spaced', '030 1234567'],
	['DE mobile, national', '0151 23456789'],
	['DE mobile, contiguous', '015123456789'],
	['DE Munich, dashes', '089-1234567'],
	['DE +49 dashes', '+49-30-1234567'],
	['DE +49 spaced', '+49 151 23456789'],
	['DE 0049', '0049 89 1234567'],
	['IN mobile, 5-5', '98765 43210', 'IN'],
	['IN mobile, contiguous', '9876543210', 'IN'],
	['IN +91', '+91 98765 43210'],
	['IN 0091', '0091 98765 43210'],
	['ES mobile, national', '612 34 56 78', 'ES'],
	['ES +34', '+34 612 345 678'],
	['IT mobile, national', '347 123 4567', 'IT'],
	['IT Rome, national', '06 1234 5678', 'IT'],
	['IT +39', '+39 06 1234 5678'],
	['NL mobile, national', '06 12345678', 'NL'],
	['NL +31', '+31 6 12345678'],
	['BE mobile +32', '+32 470 12 34 56'],
	['CH +41', '+41 44 668 18 00'],
	['AU mobile, national', '0412 345 678', 'AU'],
	['AU +61', '+61 412 345 678'],
	['CA national', '(416) 555-0133', 'CA'],
	['BR mobile +55', '+55 11 91234 5678'],
	['JP +81', '+81 3 1234 5678'],
	['WhatsApp link', 'wa.me/+447700900123'],
	['tel: URI', 'tel:+14155552671'],
	['glued to a label', 'Tel:0612345678'],
	['UK 00 with non-breaking spaces', '0044\u00a07700\u00a0900999'],
	['US +1 with U+2011', '+1\u2011212\u2011555\u20110182'],
];

// ---- E-mails (RFC 5322 addr-spec, RFC 6531 internationalised), and the disguises tickets carry them in.
const EMAILS: Array<[format: string, value: string]> = [
	['plain', 'john.doe@example.com'],
	['plus addressing', 'jane+support@mail.example.co.uk'],
	['subdomains', 'ops@eu-west.mail.acme.io'],
	['digits and dashes', 'user-42@my-shop.de'],
	['underscore', 'first_last@example.org'],
	['upper case', 'John.Doe@Example.COM'],
	['unicode local and domain (RFC 6531)', 'zoë.müller@exämple.fr'],
	['CJK local part', '用户@例子.广告'],
	['in angle brackets', '<ceo@acme.io>'],
	['in double quotes', '"help@shop.de"'],
	['mailto link', 'mailto:billing@example.net'],
	['ending a sentence', 'write to help@shop.de.'],
	['after a colon', 'Email:support@example.com'],
	['quoted local part with a space', '"john doe"@example.com'],
	['quoted local part with @', '"a@b"@example.com'],
	['IPv4 address literal', 'user@[192.0.2.1]'],
	['IPv6 address literal', 'user@[IPv6:2001:db8::1]'],
	['HTML decimal entity', 'jean.dupont&#64;gmail.com'],
	['HTML hex entity', 'jean.dupont&#x40;gmail.com'],
	['HTML named entity', 'jean.dupont&commat;gmail.com'],
	['HTML entities for @ and dots', 'jean&#46;dupont&#64;gmail&#46;com'],
	['percent-encoded @', 'jean.dupont%40gmail.com'],
	['percent-encoded in a query string', 'https://x.example/?email=anna%40example.org&x=1'],
	['full-width @', 'jean.dupont＠gmail.com'],
	['full-width throughout', 'ｊｅａｎ＠ｇｍａｉｌ．ｃｏｍ'],
	['small commercial at', 'jean﹫gmail.com'],
	['apostrophe in the name', "o'brien@example.ie"],
	['single-letter labels', 'a@b.co'],
	['long TLD', 'someone@company.technology'],
	['in a file name', 'export_jane.doe@example.com.csv'],
	['JSON-escaped in text', 'from:\\"mark@example.com\\"'],
	['zero-width space inside', 'ma\u200Bria@example.com'],
];
const OBFUSCATED: Array<[format: string, value: string]> = [
	['spelled out', 'jean dot dupont at gmail dot com'],
	['brackets', 'jean.dupont [at] gmail [dot] com'],
	['parentheses', 'jean(at)gmail(dot)com'],
	['braces', 'anna {at} example {dot} org'],
	['upper case', 'MARK AT EXAMPLE DOT COM'],
	['mixed with a real dot', 'first.last at example.co.uk'],
	['angle brackets', 'bob <at> mail <dot> de'],
	['spelled at, real @-less domain', 'support at acme dot io'],
];

// ---- The same values in the disguises a ticket's text puts on them: wrapped lines, HTML, forms, other scripts.
// Known-valid values: Visa's test PAN 4111 1111 1111 1111, the registry's IBANs DE89 3704 0044 0532 0130 00 and
// GB29 NWBK 6016 1331 9268 19, the French mobile 06 12 34 56 78 (+33 6 12 34 56 78), Berlin 030 1234567.
const VISA = ['4111', '1111', '1111', '1111'];
const DE_IBAN = ['DE89', '3704', '0044', '0532', '0130', '00'];
const FR_MOBILE = ['06', '12', '34', '56', '78'];
/** Digits of another script for 0–9, starting at that script's zero (Unicode keeps each script's ten in a row). */
const inScript = (zero: number, s: string) => s.replace(/[0-9]/g, (d) => String.fromCodePoint(zero + Number(d)));
const DISGUISED: Array<[CorpusClass, format: string, value: string]> = [
	// Plain-text mail is wrapped at ~76 characters (a line break where a space was), spreadsheets paste tabs,
	// people type double spaces; format=flowed keeps a space before the break.
	['card', 'wrapped after 8 digits', `${VISA.slice(0, 2).join(' ')}\n${VISA.slice(2).join(' ')}`],
	['card', 'wrapped with CRLF', `${VISA.slice(0, 3).join(' ')}\r\n${VISA[3]}`],
	['card', 'wrapped, format=flowed (space, then the break)', `${VISA.slice(0, 2).join(' ')} \n${VISA.slice(2).join(' ')}`],
	['card', 'tabs between groups', VISA.join('\t')],
	['card', 'double spaces between groups', VISA.join('  ')],
	['phone', 'FR +33 wrapped', '+33 6 12 34\n56 78'],
	['phone', 'FR +33 wrapped with CRLF', '+33 6 12\r\n34 56 78'],
	['phone', 'FR mobile, tabs', FR_MOBILE.join('\t')],
	['phone', 'DE +49 double spaces', '+49  30  1234567'],
	['phone', 'US wrapped after the area code', '(212)\n555-0147'],
	['iban', 'DE wrapped', `${DE_IBAN.slice(0, 4).join(' ')}\n${DE_IBAN.slice(4).join(' ')}`],
	['iban', 'DE wrapped in the middle', `${DE_IBAN.slice(0, 3).join(' ')}\n${DE_IBAN.slice(3).join(' ')}`],
	['iban', 'DE double spaces', DE_IBAN.join('  ')],
	['iban', 'DE tabs', DE_IBAN.join('\t')],
	['iban', 'GB wrapped after the bank code', 'GB29 NWBK\n6016 1331 9268 19'],
	// HTML character references beyond &#…; and &nbsp;: soft hyphen, thin and en spaces, dashes, zero-width space,
	// direction marks; a numeric reference without its ';' (browsers read it).
	['card', 'HTML &shy; between groups', VISA.join('&shy;')],
	['card', 'HTML &ZeroWidthSpace; between groups', VISA.join('&ZeroWidthSpace;')],
	['card', 'HTML &ensp; between groups', VISA.join('&ensp;')],
	['card', 'HTML &mdash; between groups', VISA.join('&mdash;')],
	['phone', 'FR mobile, HTML &thinsp;', FR_MOBILE.join('&thinsp;')],
	['phone', 'FR mobile, HTML &shy;', FR_MOBILE.join('&shy;')],
	['phone', 'FR mobile, HTML &ndash;', FR_MOBILE.join('&ndash;')],
	['phone', 'FR mobile, HTML &minus;', FR_MOBILE.join('&minus;')],
	['phone', 'FR mobile, left-to-right marks', FR_MOBILE.join('\u200e')],
	['iban', 'DE, HTML &NoBreak; between groups', DE_IBAN.join('&NoBreak;')],
	['email', 'HTML hex @ and &shy; in the domain', 'jean&#x40;gm&shy;ail.com'],
	['email', 'HTML decimal @ without its ;', 'jean.dupont&#64gmail.com'],
	// Inline tags inside a value: <wbr> break hints, rich-text editors' spans and bold runs. Block tags separate.
	['iban', 'DE with a <wbr> break hint', 'DE89370400<wbr>440532013000'],
	['phone', 'FR +33 across two spans', '<span>+33 6 12</span><span> 34 56 78</span>'],
	['phone', 'FR mobile with a bold pair', '0612<b>34</b>5678'],
	['card', 'groups in styled spans', `<span class="pan">${VISA.slice(0, 2).join(' ')}</span> <span class="pan">${VISA.slice(2).join(' ')}</span>`],
	['card', 'wrapped with <br>', `${VISA.slice(0, 2).join(' ')}<br>${VISA.slice(2).join(' ')}`],
	['email', 'domain in a span', 'jean.dupont@<span>gmail</span>.com'],
	// application/x-www-form-urlencoded: a space is '+', a real plus is %2B; links encoded twice (%2540, &amp;#64;).
	['phone', 'FR mobile, form-encoded', `tel=${FR_MOBILE.join('+')}`],
	['phone', 'FR +33, form-encoded', 'tel=%2B33+6+12+34+56+78'],
	['card', 'form-encoded', `card=${VISA.join('+')}`],
	['iban', 'DE form-encoded', `iban=${DE_IBAN.join('+')}`],
	['iban', 'GB form-encoded', 'iban=GB29+NWBK+6016+1331+9268+19'],
	['email', '@ percent-encoded twice', 'https://t.example/r?email=jean.dupont%2540gmail.com'],
	['email', '@ HTML-escaped twice', 'jean.dupont&amp;#64;gmail.com'],
	// Decimal digits of other scripts (Unicode category Nd) and ideographic full stops typed by CJK input methods.
	['phone', 'FR mobile in Arabic-Indic digits', inScript(0x0660, FR_MOBILE.join(''))],
	['phone', 'FR mobile in Persian digits, spaced', inScript(0x06f0, FR_MOBILE.join(' '))],
	['phone', 'FR mobile in Devanagari digits', inScript(0x0966, FR_MOBILE.join(''))],
	['phone', 'FR mobile in mathematical bold digits', inScript(0x1d7ce, FR_MOBILE.join(''))],
	['card', 'Arabic-Indic digits', inScript(0x0660, VISA.join(' '))],
	['iban', 'DE with Devanagari digits', inScript(0x0966, DE_IBAN.join(' '))],
	['email', 'ideographic full stop in the domain', 'jean.dupont@gmail\u3002com'],
	['email', 'halfwidth ideographic full stop in the domain', 'jean.dupont@gmail\uff61com'],
];

// ---- Negatives: ordinary ticket content that is none of the classes and must reach the vendor unchanged.
export const NEGATIVES: CorpusNegative[] = [
	// What the view's readings must leave alone: a number and a date on two lines or after a tab (never joined into one
	// value), sums and C++, a sentence ending in 。 after a number, block tags between numbers, other scripts' dates.
	...[
		'Invoice 48213\n2024-03-15',
		'order 48213\t15/03/2024',
		'Total 19.99\n2 items',
		'1+1=2 and 3+4=7',
		'C++ 17',
		'注文番号 48213。よろしくお願いします。',
		'<p>48213</p><p>2024-03-15</p>',
		'Room 404<br>\n<br>\n2024',
		// "Order 48213", "dated 15/03/2024" in Arabic with Arabic-Indic digits.
		'\u0637\u0644\u0628 \u0631\u0642\u0645 \u0664\u0668\u0662\u0661\u0663',
		'\u0628\u062a\u0627\u0631\u064a\u062e \u0661\u0665/\u0660\u0663/\u0662\u0660\u0662\u0664',
	].map((value) => ({ kind: 'ordinary content across lines, in forms, markup and other scripts', value })),
	...['ORD-2024-000123', 'order #48213', 'Order 12345', 'PO 4500012345', 'INV-2024-0042', 'SO-88213-B', 'case 00012345', 'ticket #1048576', 'RMA 20240315-07'].map((value) => ({ kind: 'order number', value })),
	...['2024-03-15', '15/03/2024', '15.03.2024', '03/15/2024 10:30', '2024-03-15T10:30:00Z', 'March 15, 2024', '20240315', 'Q3 2024', '1710498600'].map((value) => ({ kind: 'date', value })),
	...['19.99 EUR', '$1,299.00', '1 299,00 €', '£ 12,345.67', 'CHF 1\u2019250.–', '¥120,000', '3 x 49.90'].map((value) => ({ kind: 'price', value })),
	...['v2.41.1', 'version 10.0.19045.3570', 'n8n 2.41.1', 'build 2024.03.15.1', 'Chrome 122.0.6261.129', 'iOS 17.4.1'].map((value) => ({ kind: 'version', value })),
	...['1Z999AA10123456784', '9400 1000 0000 0000 0000 00', 'JD014600006281230704', '7489 1234 5678', 'LX123456789DE', 'RR123456785FR', '00340434161094042557'].map((value) => ({ kind: 'tracking number', value })),
	...['192.168.1.1', '10.0.0.254:8080', 'error 0x80070005', '550e8400-e29b-41d4-a716-446655440000', 'sha256 9f86d081884c7d659a2feaa0c55ad015', 'ISBN 978-3-16-148410-0', 'ZIP 94105', 'SKU 4006381333931'].map((value) => ({ kind: 'technical id', value })),
	...['meet @ noon', 'ping @support on Slack', 'I was at home', 'look at the invoice', 'RFC 5322', 'user@localhost'].map((value) => ({ kind: 'at sign or "at" without an address', value })),
	// Shapes of the classes that their specifications reject.
	...['4111 1111 1111 1112', '1234 5678 9012 3456', '7000 0000 0000 0005'].map((value) => ({ kind: 'card-shaped, not a card (Luhn or issuer range)', value })),
	...['DE89 3704 0044 0532 0130 01', 'FR76 3000 6000 0112 3456 7890 188', 'XX12 3456 7890 1234 56'].map((value) => ({ kind: 'IBAN-shaped, failing mod-97 or no such country', value })),
	...['000-12-3456', '666-12-3456', '912-34-5678', '123-00-4567', '123-45-0000'].map((value) => ({ kind: 'SSN-shaped, not allocatable', value })),
	...['QQ123456C', 'DA123456A', 'BG123456A', 'AB123456E', 'GB123456A'].map((value) => ({ kind: 'NINO-shaped, not allocatable', value })),
	...['1 84 12 76 451 089 47', '5 84 12 76 451 089 46'].map((value) => ({ kind: 'NIR-shaped, wrong key or sex digit', value })),
	// Read as personal data before: German pager digits without their trunk 0, digits inside hex ids and a UPS number
	// as UPS prints it (check digit 4), a row of prices starting 640 (no card network) whose 13 digits pass Luhn.
	...['Order 16435170', 'Invoice 1690412', 'created_at_ms 1686360871623'].map((value) => ({ kind: 'number starting 164/168/169, no trunk 0', value })),
	...[
		'437938fa-0554-459f-9389-8b3da5a0b18f',
		'commit 63d41e03689840e7d24bfe1ad5558ddb74510d55',
		'0ee4520997272326d6320c4179926dae23d265e9',
		'sha256 170d0715866b912516950e672d1a3bee0af51600fab7282c895717ba8110f258',
		'63d7d7a4bf0611da5d5226482644d9a5682991154469ec1dee3320c1813ac7d4',
		'part AX0612345678B',
	].map((value) => ({ kind: 'digits inside an identifier', value })),
	{ kind: 'tracking number', value: '1Z 999 AA1 01 2345 6784' },
	{ kind: 'price', value: 'Prices: 640.57 727.66 445.71' },
];

function build(): CorpusValue[] {
	const out: CorpusValue[] = [];
	for (const [network, prefix, length] of ISSUERS) out.push(...cardFormats(pan(prefix, length), network));
	for (const [country, format] of BBAN) out.push(...ibanFormats(iban(country, bban(format))));
	for (const value of PUBLISHED_IBANS) out.push({ class: 'iban', value: value.replace(/(.{4})(?=.)/g, '$1 '), format: `${value.slice(0, 2)} published example` });
	for (const parts of NIRS) out.push(...nirFormats(nir(...parts)));
	for (const value of SSNS) {
		out.push({ class: 'us_ssn', value, format: 'SSN dashes' });
		out.push({ class: 'us_ssn', value: value.replace(/-/g, ' '), format: 'SSN spaces' });
	}
	out.push({ class: 'us_ssn', value: 'SSN: 536228726', format: 'SSN contiguous after its label' });
	for (const value of NINOS) {
		out.push({ class: 'uk_nino', value, format: 'NINO compact' });
		out.push({ class: 'uk_nino', value: `${value.slice(0, 2)} ${value.slice(2, 4)} ${value.slice(4, 6)} ${value.slice(6, 8)} ${value[8]}`, format: 'NINO as HMRC prints it' });
		out.push({ class: 'uk_nino', value: value.toLowerCase(), format: 'NINO lower case' });
	}
	for (const [format, value, region] of PHONES) out.push({ class: 'phone', value, format: `phone ${format}`, ...(region ? { region } : {}) });
	for (const [format, value] of EMAILS) out.push({ class: 'email', value, format: `e-mail ${format}` });
	for (const [format, value] of OBFUSCATED) out.push({ class: 'email_obfuscated', value, format: `obfuscated e-mail ${format}` });
	for (const [cls, format, value] of DISGUISED) out.push({ class: cls, value, format: `disguised ${cls}: ${format}` });
	return out;
}

export const CORPUS: readonly CorpusValue[] = build();

/** A text with separators, case and width forms taken off, to search values in bytes whatever their formatting. */
export const squash = (s: string) => s.normalize('NFKC').replace(/[\s.\-/()\u2011_:|,]/g, '').toUpperCase();

/**
 * Decimal digits of any script (Unicode category Nd) as ASCII digits: each script's digits are ten code points in
 * a row from its zero (a Unicode stability guarantee), so a digit's value is its distance from the start of its
 * run of digits, modulo 10 (the mathematical digits are five such scripts in a row).
 */
export function asciiDigits(s: string): string {
	return s.replace(/\p{Nd}/gu, (d) => {
		let start = d.codePointAt(0)!;
		while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
		return String((d.codePointAt(0)! - start) % 10);
	});
}

/** What identifies a value in any bytes, separators aside: its digits for number classes, else its letters and digits. */
export function identity(v: CorpusValue): string {
	if (['card', 'phone', 'us_ssn', 'fr_nir'].includes(v.class)) return asciiDigits(v.value).replace(/\D/g, '');
	if (v.class === 'iban') return squash(v.value.replace(/^(?:receipt_|IBAN_)/, '').replace(/\.pdf$/, ''));
	return squash(JSON.stringify(v.value).slice(1, -1));
}

const AT_FORMS = /@|＠|﹫|&#0*64(?![0-9]);?|&#x0*40(?![0-9a-f]);?|&commat;|%40|%2540|&amp;#64;/i;
const SPELLED_AT = /\s+at\s+|[[({<]\s*at\s*[\])}>]/i;
const TOKEN = /\[[A-Z_]+_\d+\]/g;

/**
 * Whether what is left of a value after redaction still identifies it. `left` is the redacted text with the
 * fixed prose around the value removed. Number classes: any digit left is a leak (every digit of a card, phone,
 * IBAN or id number is part of the value). E-mails: an '@' in any form, or the local part (the person's name) left.
 */
export function leaks(v: CorpusValue, left: string): boolean {
	const rest = left.replace(TOKEN, '');
	if (v.class !== 'email' && v.class !== 'email_obfuscated') return /\p{Nd}/u.test(rest);
	if (v.class === 'email' ? AT_FORMS.test(rest) : SPELLED_AT.test(rest)) return true;
	const local = localPart(v);
	return local.length >= 2 && rest.toLowerCase().normalize('NFKC').includes(local);
}

function localPart(v: CorpusValue): string {
	const decoded = v.value.replace(/&#46;/g, '.').replace(/\u200b/g, '').normalize('NFKC');
	const at = decoded.search(v.class === 'email' ? AT_FORMS : SPELLED_AT);
	return decoded
		.slice(0, at)
		.replace(/^.*[\s:<=_\\/]/, '')
		.replace(/["']/g, '')
		.trim()
		.toLowerCase()
		.split(/[.\s]/)[0];
}
