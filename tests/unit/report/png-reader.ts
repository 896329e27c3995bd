import { inflateSync } from 'node:zlib';

/**
 * A PNG reader written from the PNG specification (W3C, 2nd edition) for the tests, sharing nothing with the encoder:
 * its own CRC-32 table (ISO 3309 polynomial 0xEDB88320, spec annex D), chunk walk, IHDR fields and the five row
 * filters (spec section 9). Throws on anything a viewer would reject.
 */

const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

export function crc32(bytes: Uint8Array): number {
	let c = 0xffffffff;
	for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

export interface Png {
	width: number;
	height: number;
	bitDepth: number;
	colourType: number;
	chunks: string[];
	/** RGB bytes, row by row (colour type 2, 8 bits only). */
	rgb: Uint8Array;
}

export function readPng(file: Buffer): Png {
	const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
	signature.forEach((b, i) => {
		if (file[i] !== b) throw new Error(`not a PNG: byte ${i} is ${file[i]}, the signature needs ${b}`);
	});
	let at = 8;
	const chunks: string[] = [];
	const idat: Buffer[] = [];
	let header: { width: number; height: number; bitDepth: number; colourType: number; interlace: number } | null = null;
	while (at < file.length) {
		const length = file.readUInt32BE(at);
		const type = file.toString('latin1', at + 4, at + 8);
		const data = file.subarray(at + 8, at + 8 + length);
		const stored = file.readUInt32BE(at + 8 + length);
		const computed = crc32(file.subarray(at + 4, at + 8 + length));
		if (stored !== computed) throw new Error(`${type} chunk CRC ${stored.toString(16)} != computed ${computed.toString(16)}`);
		chunks.push(type);
		if (type === 'IHDR') {
			header = {
				width: data.readUInt32BE(0),
				height: data.readUInt32BE(4),
				bitDepth: data[8],
				colourType: data[9],
				interlace: data[12],
			};
		} else if (type === 'IDAT') idat.push(data);
		at += 12 + length;
		if (type === 'IEND') break;
	}
	if (chunks[0] !== 'IHDR' || chunks[chunks.length - 1] !== 'IEND' || !header) throw new Error(`chunk order ${chunks.join(',')}`);
	if (at !== file.length) throw new Error(`${file.length - at} bytes after IEND`);
	const { width, height, bitDepth, colourType } = header;
	if (bitDepth !== 8 || colourType !== 2 || header.interlace !== 0) {
		return { width, height, bitDepth, colourType, chunks, rgb: new Uint8Array(0) };
	}
	const raw = inflateSync(Buffer.concat(idat));
	const stride = width * 3;
	if (raw.length !== (stride + 1) * height) throw new Error(`IDAT inflates to ${raw.length} bytes, expected ${(stride + 1) * height}`);
	const rgb = new Uint8Array(stride * height);
	for (let y = 0; y < height; y++) {
		const filter = raw[y * (stride + 1)];
		for (let i = 0; i < stride; i++) {
			const x = raw[y * (stride + 1) + 1 + i];
			const a = i >= 3 ? rgb[y * stride + i - 3] : 0;
			const b = y > 0 ? rgb[(y - 1) * stride + i] : 0;
			const c = i >= 3 && y > 0 ? rgb[(y - 1) * stride + i - 3] : 0;
			let value: number;
			if (filter === 0) value = x;
			else if (filter === 1) value = x + a;
			else if (filter === 2) value = x + b;
			else if (filter === 3) value = x + ((a + b) >> 1);
			else if (filter === 4) {
				const p = a + b - c;
				const pa = Math.abs(p - a);
				const pb = Math.abs(p - b);
				const pc = Math.abs(p - c);
				value = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
			} else throw new Error(`row ${y}: unknown filter ${filter}`);
			rgb[y * stride + i] = value & 0xff;
		}
	}
	return { width, height, bitDepth, colourType, chunks, rgb };
}

/** The colour of one pixel as #rrggbb. */
export function pixel(png: Png, x: number, y: number): string {
	const i = (y * png.width + x) * 3;
	return `#${[png.rgb[i], png.rgb[i + 1], png.rgb[i + 2]].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}
