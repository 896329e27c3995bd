/** ASCII character classes by UTF-16 code unit, read without a pattern: the redaction's scans test nearly every character. */
export const isAsciiDigit = (c: number) => c >= 48 && c <= 57;
export const isAsciiLetter = (c: number) => (c | 0x20) >= 97 && (c | 0x20) <= 122;
export const isAsciiAlnum = (c: number) => isAsciiDigit(c) || isAsciiLetter(c);
