import { describe, expect, it } from 'vitest';

import { KeywordMatcher } from '../../../domain/policy/keywords';

/**
 * Keyword matching script by script. Each expectation follows from the writing system (Unicode's character
 * properties and each script's spelling rules), as the README's per-script table states them: which marks are
 * optional accents and which spell another word, which scripts separate words with spaces, which letters are
 * case or compatibility variants of others. Inputs with invisible or decomposed characters are written as escapes.
 */
type Case = [keyword: string, text: string, found: boolean, why: string];

function check(cases: Case[]) {
	for (const [keyword, text, expected, why] of cases) {
		const hits = new KeywordMatcher([[keyword]]).match(text, '').get(0) ?? [];
		expect(hits.length > 0, `${JSON.stringify(keyword)} in ${JSON.stringify(text)}: ${why}`).toBe(expected);
		// The body is read exactly like the subject.
		expect((new KeywordMatcher([[keyword]]).match('', text).get(0) ?? []).length > 0, `(body) ${why}`).toBe(expected);
	}
}

describe('keywords in every script', () => {
	it('Latin: case, accents, ß/ẞ, ligatures, stroked letters, Turkish dotted and dotless i', () => {
		check([
			['Rückerstattung', 'RÜCKERSTATTUNG bitte', true, 'case'],
			['Rückerstattung', 'Ru\u0308ckerstattung', true, 'ü precomposed and u + combining diaeresis are the same letter'],
			['Rückerstattung', 'Ruckerstattung', true, 'Latin accents are optional'],
			['Rückerstattung', 'Rückerstattungen', false, 'whole words only'],
			['straße', 'STRASSE', true, 'ß is written SS in capitals'],
			['straße', 'STRAẞE', true, 'capital ẞ (U+1E9E) folds like ß'],
			['STRAẞE', 'strasse', true, 'capital ẞ in the keyword too'],
			['œuvre', 'OEUVRE complète', true, 'œ is the ligature of o and e'],
			['oeuvre', 'Œuvre', true, 'Œ in the text'],
			['ex aequo', 'ex æquo', true, 'æ is the ligature of a and e'],
			['fichier', 'le \uFB01chier', true, 'ﬁ (U+FB01) is a compatibility ligature of f and i'],
			['façade', 'FACADE', true, 'cedilla is an accent'],
			['İstanbul', 'ISTANBUL', true, 'Turkish İ lower-cases to i + dot above, the dot is an accent'],
			['istanbul', 'İSTANBUL', true, 'İ in the text'],
			['ışık', 'IŞIK', true, 'Turkish I is the capital of dotless ı: without a language tag both fold to i'],
			['şık', 'ışık', false, 'whole words in Turkish too'],
			['złoty', 'ZLOTY', true, 'the Polish stroke is folded like an accent'],
			['søg', 'SOG', true, 'Danish ø'],
			['Đà Nẵng', 'da nang', true, 'Vietnamese đ'],
			['Þórr', 'thorr', true, 'Icelandic þ is written th'],
			['Rückerstattung', 'Rueckerstattung', false, 'ü folds to u, not to the transliteration ue'],
			['hoàn tiền', 'HOAN TIEN ngay', true, 'Vietnamese stacked marks are accents'],
			['refund', 'ＲＥＦＵＮＤ', true, 'full-width letters are compatibility forms'],
		]);
	});

	it('Greek: accents, dialytika, final sigma', () => {
		check([
			['επιστροφή', 'ΕΠΙΣΤΡΟΦΗ', true, 'tonos is an accent, case'],
			['επιστροφή', 'θέλω επιστροφη', true, 'without tonos'],
			['λογαριασμός', 'ΛΟΓΑΡΙΑΣΜΟΣ', true, 'final Σ lower-cases to ς'],
			['λογαριασμός', 'λογαριασμοσ', true, 'final sigma ς and σ are one letter'],
			['ΛΟΓΑΡΙΑΣΜΟΣ', 'ο λογαριασμός μου', true, 'the keyword in capitals'],
			['προϊόν', 'ΠΡΟΙΟΝ', true, 'dialytika is an accent'],
			['λογαριασμός', 'λογαριασμού', false, 'another case ending is another word'],
		]);
	});

	it('Cyrillic: case, ё written as е', () => {
		check([
			['возврат', 'Прошу ВОЗВРАТ денег', true, 'case'],
			['ёлка', 'ЕЛКА', true, 'ё is commonly written е'],
			['елка', 'Ёлка', true, 'and the other way'],
			['возврат', 'возвраты', false, 'whole words only'],
			['счёт', 'новый счет', true, 'ё inside a word'],
			['чай', 'ЧАИ', true, 'й folds to и: Cyrillic diacritics fold like Latin ones'],
		]);
	});

	it('Japanese: voicing marks spell other kana, kana widths and composition fold, kanji as written', () => {
		check([
			['カード', 'カートが壊れた', false, 'ド (dakuten) and ト are different kana: card is not cart'],
			['カート', 'カードが使えない', false, 'and the other way'],
			['パスワード', 'ハスワード', false, 'パ (handakuten) and ハ differ'],
			['パスワード', 'バスワード', false, 'パ (handakuten) and バ (dakuten) differ'],
			['カード', 'ｶｰﾄﾞが使えない', true, 'half-width kana are compatibility forms of the same kana'],
			['カード', 'カー\u30c8\u3099を登録', true, 'ト + combining dakuten is ド'],
			['返金', '注文の返金をお願いします', true, 'written without spaces: a substring'],
			['へんきん', 'へんきんしてください', true, 'hiragana'],
			['api', 'APIが500を返します', true, 'a Latin word touching kana is a word'],
			['500', 'APIが500を返します', true, 'digits between kana are a word'],
			['api', 'ＡＰＩがエラー', true, 'full-width Latin touching kana'],
			['api', 'RAPIDが遅い', false, 'the Latin word is still whole'],
		]);
	});

	it('Chinese: a substring, characters as written', () => {
		check([
			['退款', '我想要退款', true, 'no spaces between words'],
			['退款', '我想要退货', false, '退货 (return goods) is another word'],
			['賬戶', '我的账户被锁了', false, 'traditional 賬戶 and simplified 账户 are different characters'],
			['500', '服务器返回５００错误', true, 'full-width digits are compatibility forms'],
		]);
	});

	it('Korean: Hangul matches inside words (particles attach to them), jamo compose', () => {
		check([
			['환불', '환불 요청합니다', true, 'the word alone'],
			['환불', '환불을 요청합니다', true, 'with the object particle 을'],
			['환불', '환율이 올랐어요', false, '환율 (exchange rate) is another word'],
			['환불', '\u1112\u116a\u11ab\u1107\u116e\u11af 요청', true, 'conjoining jamo compose to the same syllables'],
		]);
	});

	it('Thai: tone marks and vowel signs spell other words, a substring otherwise', () => {
		check([
			['ช้า', 'ชาเย็นหนึ่งแก้ว', false, 'ช้า (slow, tone mark) is not ชา (tea)'],
			['ชา', 'อินเทอร์เน็ตช้ามาก', false, 'and tea is not in slow'],
			['ช้า', 'อินเทอร์เน็ตช้ามาก', true, 'written without spaces: a substring'],
			['คืนเงิน', 'ขอคืนเงินด้วยครับ', true, 'refund inside a sentence'],
			['คืนเงิน', 'ขอคืน\u200bเงินด้วยครับ', true, 'a zero-width space (Thai word-break hint) is ignored'],
			['ช', 'ช้ามาก', false, 'a tone mark after the match belongs to its last letter'],
		]);
	});

	it('Devanagari and other Indic scripts: vowel signs, virama, anusvara are letters', () => {
		check([
			['बिल', 'मेरा बिल गलत है', true, 'bill as a word'],
			['बिल', 'बल', false, 'बिल (vowel sign i) is not बल'],
			['बल', 'मेरा बिल', false, 'and the other way'],
			['बिल', 'बिलिंग की समस्या', false, 'whole words: बिलिंग is billing'],
			['क्या', 'कया', false, 'the virama joins consonants: क्या is not कया'],
			['नहीं', 'नही', false, 'the anusvara is a letter'],
			['ज़रूरी', '\u091c\u093c\u0930\u0942\u0930\u0940 है', true, 'ज़ precomposed (U+095B) and ज + nukta are canonically equivalent'],
			['பணம்', 'பணம', false, 'Tamil: the pulli (virama) is a letter'],
			['টাকা', 'আমার টাকা ফেরত চাই', true, 'Bengali word'],
		]);
	});

	it('Arabic and Persian: harakat, hamza seats, tatweel and letter variants fold; the article and و join the word', () => {
		check([
			['استرداد', 'أريد استرداد المبلغ', true, 'the word'],
			['استرداد', 'أريد اِسْتِرْدَاد المبلغ', true, 'harakat (short vowels) are optional'],
			['استرداد', 'أريد استـــرداد المبلغ', true, 'tatweel only stretches the word'],
			['استرداد', 'طلب الاسترداد', true, 'with the article ال'],
			['استرداد', 'والاسترداد متأخر', true, 'with و + ال'],
			['استرداد', 'للاسترداد', true, 'with لل (for the)'],
			['أريد', 'اريد المساعدة', true, 'hamza on alef is commonly omitted'],
			['إلغاء', 'الغاء الطلب', true, 'hamza below alef too'],
			['مستشفى', 'مستشفي', true, 'final alef maksura ى is commonly written ي'],
			['استرداد', 'استردادات', false, 'suffixes make another word'],
			['كتب', 'كتاب', false, 'another word'],
			['مدرسة', 'مدرسه', false, 'teh marbuta ة and heh ه stay apart'],
			['کمک', 'كمك', true, 'Persian kaf ک and Arabic kaf ك'],
			['میخواهم', 'می\u200cخواهم', true, 'a zero-width non-joiner inside a Persian word is ignored'],
		]);
	});

	it('Hebrew: niqqud is optional, prefix letters join the word', () => {
		check([
			['החזר', 'אני רוצה החזר כספי', true, 'the word'],
			['החזר', 'אני רוצה הֶחְזֵר כספי', true, 'niqqud (vowel points) is optional'],
			['החזר', 'בקשה להחזר', true, 'with the prefix ל'],
			['החזר', 'וההחזר לא הגיע', true, 'with stacked prefixes ו + ה'],
			['החזר', 'החזרה של המוצר', false, 'החזרה is another word'],
			['שלום', 'שָׁלוֹם לכם', true, 'shin dot and holam are points'],
		]);
	});

	it('symbols in keywords match literally; the words around them are whole', () => {
		check([
			['c++', 'Plan C', false, 'c++ is not the letter c'],
			['c++', 'We need a C++ developer', true, 'the keyword'],
			['c++', 'C++17 support', true, 'its edge is a symbol: what follows is free'],
			['c++', 'c+ grade', false, 'one plus is not two'],
			['.net', 'migrating to .NET 8', true, 'the keyword'],
			['.net', 'an ASP.NET app', true, 'a symbol edge, not a word edge'],
			['.net', 'the net is down', false, 'the dot is part of it'],
			['.net', 'dotnet', false, 'not a word'],
			['$100', '100 agents online', false, '$100 is an amount, not the number'],
			['$100', 'I was charged $100.', true, 'the keyword'],
			['$100', 'charged $1000', false, 'its digits end a whole number'],
			['$100', 'charged US$100', true, 'a symbol edge'],
			['$100', 'charged ＄１００', true, 'full-width forms fold'],
			['24/7', '24.7 GB used', false, 'the slash is part of it'],
			['24/7', 'we need 24/7 support', true, 'the keyword'],
			['24/7', '124/7', false, 'its digits are a whole number'],
			['24/7', '24/70', false, 'on both sides'],
			['#hashtag', 'see #Hashtag', true, 'case'],
			['#hashtag', 'a hashtag', false, 'the # is part of it'],
			['#hashtag', '#hashtags', false, 'the word is whole'],
			['@mention', 'ping @Mention now', true, 'case'],
			['@mention', 'a mention', false, 'the @ is part of it'],
			['follow-up', 'a follow up call', true, 'a dash between words is a separator'],
			['follow-up', 'a follow–up call', true, 'any dash'],
			['follow-up', 'a followup call', false, 'a separator must be there'],
			['price: $100', 'Price:   $100', true, 'a space in the keyword takes several, up to the next symbol'],
			['🔥 urgent', 'really 🔥 urgent', true, 'an emoji beside a word is literal'],
			['🔥 urgent', 'really urgent', false, 'the emoji is part of it'],
			['refund', 'refund😀', true, 'an emoji is not a letter'],
		]);
	});

	it('™ and other spelled-out symbols do not glue to the word before', () => {
		check([
			['api', 'API™ returns 500', true, '™ is a symbol after the word'],
			['api', 'API® returns 500', true, '® too'],
			['kg', '5㎏ parcel', true, '㎏ is a compatibility form of kg'],
		]);
	});

	it('zero-width characters and soft hyphens inside a word are ignored', () => {
		check([
			['refund', 're\u200bfund please', true, 'zero-width space U+200B'],
			['refund', 're\u200cfund please', true, 'zero-width non-joiner U+200C'],
			['refund', 're\u200dfund please', true, 'zero-width joiner U+200D'],
			['refund', 're\u2060fund please', true, 'word joiner U+2060'],
			['refund', '\ufeffrefund please', true, 'byte order mark U+FEFF'],
			['refund', 're\u00adfund please', true, 'soft hyphen U+00AD'],
			['invoice dispute', 'invoice\u200b \u00addispute', true, 'in a phrase'],
			['ref\u200bund', 'refund', true, 'in the keyword'],
			['Rückerstattung', 'Rück\u00aderstattung', true, 'beside an accented letter'],
			['refund', '\u0301refund', true, 'a combining mark with no base letter is shown on a space, not on the word'],
		]);
	});
});
