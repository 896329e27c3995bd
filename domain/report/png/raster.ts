import type { Scene, Shape } from '../scene';
import { fontOf, glyphOf, textWidth } from './font';

/**
 * Draws a scene into RGB pixels without a browser: antialiased by exact coverage (a pixel's distance to a line or a
 * circle's edge, a rectangle's overlap with it), text from glyphs Chromium rendered once at development time.
 * Enough for the chart's rectangles, lines and labels; not a general SVG renderer.
 */

type Rgb = [number, number, number];

function rgbOf(color: string): Rgb {
	const m = /^#([0-9a-f]{6})$/i.exec(color);
	if (!m) throw new Error(`The PNG chart takes #rrggbb colours, got "${color}"`);
	const v = parseInt(m[1], 16);
	return [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
}

class Canvas {
	readonly pixels: Uint8Array;
	/** Coverage of the shape being drawn: a polyline's segments overlap at joints and must not blend twice. */
	private readonly cover: Float32Array;
	private box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };

	constructor(
		readonly width: number,
		readonly height: number,
	) {
		this.pixels = new Uint8Array(width * height * 3).fill(255);
		this.cover = new Float32Array(width * height);
	}

	/** Raises one pixel's coverage for the current shape (the larger wins). */
	private mark(x: number, y: number, c: number) {
		if (c <= 0 || x < 0 || y < 0 || x >= this.width || y >= this.height) return;
		const i = y * this.width + x;
		if (c > this.cover[i]) this.cover[i] = Math.min(1, c);
		if (x < this.box.x0) this.box.x0 = x;
		if (y < this.box.y0) this.box.y0 = y;
		if (x > this.box.x1) this.box.x1 = x;
		if (y > this.box.y1) this.box.y1 = y;
	}

	/** Blends the current shape's coverage in one colour, then clears it. */
	paint(color: string) {
		const [r, g, b] = rgbOf(color);
		const { x0, y0, x1, y1 } = this.box;
		for (let y = y0; y <= y1; y++) {
			for (let x = x0; x <= x1; x++) {
				const i = y * this.width + x;
				const a = this.cover[i];
				if (a === 0) continue;
				this.cover[i] = 0;
				const p = i * 3;
				this.pixels[p] = Math.round(this.pixels[p] + (r - this.pixels[p]) * a);
				this.pixels[p + 1] = Math.round(this.pixels[p + 1] + (g - this.pixels[p + 1]) * a);
				this.pixels[p + 2] = Math.round(this.pixels[p + 2] + (b - this.pixels[p + 2]) * a);
			}
		}
		this.box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
	}

	rect(x: number, y: number, w: number, h: number) {
		const overlap = (p: number, a: number, b: number) => Math.max(0, Math.min(p + 1, b) - Math.max(p, a));
		for (let py = Math.floor(y); py < Math.ceil(y + h); py++) {
			const cy = overlap(py, y, y + h);
			for (let px = Math.floor(x); px < Math.ceil(x + w); px++) this.mark(px, py, cy * overlap(px, x, x + w));
		}
	}

	/**
	 * A segment of the given width: coverage falls off over the pixel at the edge (distance from the pixel's centre).
	 * Solid segments get round ends (so polylines join smoothly); dashed ones are cut square at each dash.
	 */
	segment(x1: number, y1: number, x2: number, y2: number, width: number, dash?: [number, number]) {
		const half = width / 2;
		const dx = x2 - x1;
		const dy = y2 - y1;
		const length = Math.hypot(dx, dy);
		const reach = half + 1;
		for (let py = Math.floor(Math.min(y1, y2) - reach); py <= Math.ceil(Math.max(y1, y2) + reach); py++) {
			for (let px = Math.floor(Math.min(x1, x2) - reach); px <= Math.ceil(Math.max(x1, x2) + reach); px++) {
				const cx = px + 0.5;
				const cy = py + 0.5;
				// Position along the segment (t) and distance from it.
				const t = length === 0 ? 0 : ((cx - x1) * dx + (cy - y1) * dy) / length;
				let distance: number;
				if (dash) {
					if (t < 0 || t > length || t % (dash[0] + dash[1]) >= dash[0]) continue;
					distance = length === 0 ? Math.hypot(cx - x1, cy - y1) : Math.abs((cx - x1) * dy - (cy - y1) * dx) / length;
				} else {
					const u = Math.max(0, Math.min(length, t));
					const nx = length === 0 ? x1 : x1 + (dx * u) / length;
					const ny = length === 0 ? y1 : y1 + (dy * u) / length;
					distance = Math.hypot(cx - nx, cy - ny);
				}
				this.mark(px, py, half + 0.5 - distance);
			}
		}
	}

	circle(cx: number, cy: number, r: number) {
		for (let py = Math.floor(cy - r - 1); py <= Math.ceil(cy + r + 1); py++) {
			for (let px = Math.floor(cx - r - 1); px <= Math.ceil(cx + r + 1); px++) {
				this.mark(px, py, r + 0.5 - Math.hypot(px + 0.5 - cx, py + 0.5 - cy));
			}
		}
	}

	text(shape: Extract<Shape, { type: 'text' }>) {
		const font = fontOf(shape.face);
		const width = textWidth(font, shape.text);
		let pen = shape.anchor === 'start' ? shape.x : shape.anchor === 'end' ? shape.x - width : shape.x - width / 2;
		const baseline = Math.round(shape.y);
		for (const ch of shape.text) {
			const glyph = glyphOf(font, ch.codePointAt(0)!);
			const gx = Math.round(pen) + glyph.left;
			const gy = baseline + glyph.top;
			for (let y = 0; y < glyph.height; y++) {
				for (let x = 0; x < glyph.width; x++) this.mark(gx + x, gy + y, glyph.coverage[y * glyph.width + x] / 255);
			}
			pen += glyph.advance;
		}
	}
}

/** The scene as `width × height × 3` RGB bytes on white. */
export function rasterise(scene: Scene): Uint8Array {
	const canvas = new Canvas(scene.width, scene.height);
	for (const s of scene.shapes) {
		switch (s.type) {
			case 'rect':
				canvas.rect(s.x, s.y, s.width, s.height);
				canvas.paint(s.fill);
				break;
			case 'line':
				canvas.segment(s.x1, s.y1, s.x2, s.y2, s.width, s.dash);
				canvas.paint(s.stroke);
				break;
			case 'polyline':
				for (let i = 1; i < s.points.length; i++) canvas.segment(s.points[i - 1][0], s.points[i - 1][1], s.points[i][0], s.points[i][1], s.width);
				canvas.paint(s.stroke);
				break;
			case 'circle':
				canvas.circle(s.cx, s.cy, s.r);
				canvas.paint(s.fill);
				break;
			case 'text':
				canvas.text(s);
				canvas.paint(s.fill);
				break;
		}
	}
	return canvas.pixels;
}
