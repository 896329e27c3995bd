import { inflateSync } from 'node:zlib';

import type { FontFace } from '../scene';
import { FONT_FACES } from '../scene';
import { FONT_DATA } from './font-data';

export interface Glyph {
	/** Pen advance in pixels (fractional). */
	advance: number;
	/** Bitmap offset from the pen position and the baseline (top is negative above it). */
	left: number;
	top: number;
	width: number;
	height: number;
	/** Coverage 0..255, row by row. */
	coverage: Uint8Array;
}

export type Font = Map<number, Glyph>;

let fonts: Map<string, Font> | null = null;

/** Unpacks the generated glyphs once per process (see scripts/generate-chart-font.mjs for the layout). */
function load(): Map<string, Font> {
	if (fonts) return fonts;
	const data = inflateSync(Buffer.from(FONT_DATA, 'base64'));
	const loaded = new Map<string, Font>();
	let at = 0;
	while (at < data.length) {
		const size = data.readUInt8(at);
		const bold = data.readUInt8(at + 1) === 1;
		const count = data.readUInt16LE(at + 2);
		at += 4;
		const font: Font = new Map();
		for (let i = 0; i < count; i++) {
			const code = data.readUInt32LE(at);
			const glyph: Glyph = {
				advance: data.readUInt16LE(at + 4) / 64,
				left: data.readInt8(at + 6),
				top: data.readInt8(at + 7),
				width: data.readUInt8(at + 8),
				height: data.readUInt8(at + 9),
				coverage: new Uint8Array(0),
			};
			at += 10;
			glyph.coverage = new Uint8Array(data.subarray(at, at + glyph.width * glyph.height));
			at += glyph.width * glyph.height;
			font.set(code, glyph);
		}
		loaded.set(`${size}/${bold}`, font);
	}
	fonts = loaded;
	return loaded;
}

export function fontOf(face: FontFace): Font {
	const { size, bold } = FONT_FACES[face];
	const font = load().get(`${size}/${bold}`);
	if (!font) throw new Error(`No glyphs for the ${face} face (${size}px${bold ? ' bold' : ''}): run scripts/generate-chart-font.mjs`);
	return font;
}

/** A character the glyph set lacks is drawn as "?" rather than dropped, so a name keeps its length. */
export function glyphOf(font: Font, code: number): Glyph {
	return font.get(code) ?? font.get(63)!;
}

export function textWidth(font: Font, text: string): number {
	let width = 0;
	for (const ch of text) width += glyphOf(font, ch.codePointAt(0)!).advance;
	return width;
}
