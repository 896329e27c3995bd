import { crc32, deflateSync } from 'node:zlib';

/** The eight bytes every PNG starts with (PNG spec, 5.2). */
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(data.length, 0);
	head.write(type, 4, 'latin1');
	const crc = Buffer.alloc(4);
	// The CRC covers the chunk type and data, not the length (PNG spec, 5.3).
	crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))) >>> 0, 0);
	return Buffer.concat([head, data, crc]);
}

/**
 * An 8-bit truecolour PNG (colour type 2, no alpha: the chart is opaque) from `width × height` RGB bytes. Each row
 * uses the Sub filter, which turns the chart's flat runs into zeros that deflate well.
 */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
	if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
		throw new RangeError(`PNG size must be whole pixels, got ${width}×${height}`);
	}
	if (rgb.length !== width * height * 3) throw new RangeError(`PNG data is ${rgb.length} bytes, ${width}×${height} RGB needs ${width * height * 3}`);
	const stride = width * 3;
	const raw = Buffer.alloc((stride + 1) * height);
	for (let y = 0; y < height; y++) {
		const out = y * (stride + 1);
		raw[out] = 1; // filter type Sub
		const row = y * stride;
		for (let i = 0; i < stride; i++) raw[out + 1 + i] = (rgb[row + i] - (i >= 3 ? rgb[row + i - 3] : 0)) & 0xff;
	}
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr.writeUInt8(8, 8); // bit depth
	ihdr.writeUInt8(2, 9); // colour type: truecolour
	ihdr.writeUInt8(0, 10); // compression: deflate
	ihdr.writeUInt8(0, 11); // filter method 0
	ihdr.writeUInt8(0, 12); // no interlace
	return Buffer.concat([
		PNG_SIGNATURE,
		chunk('IHDR', ihdr),
		chunk('IDAT', deflateSync(raw, { level: 9 })),
		chunk('IEND', Buffer.alloc(0)),
	]);
}
