import { describe, expect, it } from 'vitest';

import { encodePng } from '../../../domain/report/png/encode';
import { rasterise } from '../../../domain/report/png/raster';
import { crc32, pixel, readPng } from './png-reader';

describe('PNG encoder', () => {
	it('the test reader’s CRC-32 gives the published check value (CRC-32/ISO-HDLC of "123456789" = CBF43926)', () => {
		expect(crc32(Buffer.from('123456789', 'ascii')).toString(16)).toBe('cbf43926');
	});

	it('writes a file any PNG reader takes: signature, IHDR of the stated size, valid CRCs, the exact pixels', () => {
		// 3 × 2 pixels: red, green, blue / white, black, grey.
		const rgb = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 128, 128, 128]);
		const file = encodePng(3, 2, rgb);
		expect([...file.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
		// IHDR is the first chunk: length 13, then width 3 and height 2 as big-endian 32-bit numbers.
		expect(file.readUInt32BE(8)).toBe(13);
		expect(file.toString('latin1', 12, 16)).toBe('IHDR');
		expect([file.readUInt32BE(16), file.readUInt32BE(20)]).toEqual([3, 2]);
		// Every PNG ends with the same empty IEND chunk and its CRC AE 42 60 82.
		expect(file.subarray(-12).toString('hex')).toBe('0000000049454e44ae426082');
		const png = readPng(file);
		expect([png.width, png.height, png.bitDepth, png.colourType]).toEqual([3, 2, 8, 2]);
		expect([...png.rgb]).toEqual([...rgb]);
	});

	it('refuses a size that does not match its pixels, and sizes that are not whole pixels', () => {
		expect(() => encodePng(2, 2, new Uint8Array(11))).toThrow(/12/);
		expect(() => encodePng(0, 2, new Uint8Array(0))).toThrow(/whole pixels/);
		expect(() => encodePng(1.5, 2, new Uint8Array(9))).toThrow(/whole pixels/);
	});

	it('a corrupted byte is caught by the CRC the reader checks', () => {
		const file = encodePng(3, 2, new Uint8Array(18).fill(200));
		const broken = Buffer.from(file);
		broken[20] ^= 1; // inside IHDR's height
		expect(() => readPng(broken)).toThrow(/IHDR chunk CRC/);
	});
});

describe('rasteriser', () => {
	it('fills rectangles exactly on whole pixels and blends a half-covered pixel halfway', () => {
		const rgb = rasterise({
			width: 4,
			height: 2,
			description: '',
			shapes: [
				{ type: 'rect', x: 1, y: 0, width: 2, height: 2, fill: '#000000' },
				{ type: 'rect', x: 3.5, y: 0, width: 1, height: 1, fill: '#000000' },
			],
		});
		const png = readPng(encodePng(4, 2, rgb));
		expect([0, 1, 2, 3].map((x) => pixel(png, x, 0))).toEqual(['#ffffff', '#000000', '#000000', '#808080']);
		expect(pixel(png, 3, 1)).toBe('#ffffff');
	});

	it('draws a 1 px line on a half-pixel centre as one crisp row, and a dashed one with gaps', () => {
		const rgb = rasterise({
			width: 20,
			height: 3,
			description: '',
			shapes: [{ type: 'line', x1: 0, y1: 1.5, x2: 20, y2: 1.5, stroke: '#ff0000', width: 1, dash: [4, 4] }],
		});
		const png = readPng(encodePng(20, 3, rgb));
		const row = Array.from({ length: 20 }, (_, x) => pixel(png, x, 1));
		// Dash on for 4 px, off for 4: pixels whose centre lies at 0.5..3.5 are red, 4.5..7.5 white, and so on.
		expect(row.slice(0, 4)).toEqual(Array(4).fill('#ff0000'));
		expect(row.slice(4, 8)).toEqual(Array(4).fill('#ffffff'));
		expect(row.slice(8, 12)).toEqual(Array(4).fill('#ff0000'));
		expect(pixel(png, 2, 0)).toBe('#ffffff');
		expect(pixel(png, 2, 2)).toBe('#ffffff');
	});

	it('refuses colours it cannot draw rather than drawing black', () => {
		expect(() => rasterise({ width: 1, height: 1, description: '', shapes: [{ type: 'rect', x: 0, y: 0, width: 1, height: 1, fill: 'red' }] })).toThrow(
			/#rrggbb/,
		);
	});

	it('draws a character missing from its glyphs as "?", keeping the text’s length', () => {
		const draw = (text: string) =>
			rasterise({ width: 40, height: 16, description: '', shapes: [{ type: 'text', x: 2, y: 12, text, face: 'regular', fill: '#000000', anchor: 'start' }] });
		expect(Buffer.from(draw('\u4e2d')).equals(Buffer.from(draw('?')))).toBe(true);
		expect(Buffer.from(draw('A')).equals(Buffer.from(draw('?')))).toBe(false);
	});
});
