/**
 * A chart as a list of simple shapes in pixel coordinates. One drawing, two writers: SVG for the HTML page and
 * e-mail (svg.ts), pixels for the PNG that chat tools and n8n's binary view show (png/raster.ts). Keeping the
 * shapes this plain is what lets the PNG be drawn without a browser.
 */

export type FontFace = 'regular' | 'bold' | 'title';

/** Pixel size and weight of each face; the PNG's glyphs were rendered at exactly these. */
export const FONT_FACES: Record<FontFace, { size: number; bold: boolean }> = {
	regular: { size: 11, bold: false },
	bold: { size: 11, bold: true },
	title: { size: 14, bold: true },
};

/** The font the SVG asks for and the PNG's glyphs were rendered from. */
export const FONT_FAMILY = 'DejaVu Sans, Verdana, Arial, sans-serif';

export type Shape =
	| { type: 'rect'; x: number; y: number; width: number; height: number; fill: string }
	| { type: 'line'; x1: number; y1: number; x2: number; y2: number; stroke: string; width: number; dash?: [number, number] }
	| { type: 'polyline'; points: Array<[number, number]>; stroke: string; width: number }
	| { type: 'circle'; cx: number; cy: number; r: number; fill: string }
	| { type: 'text'; x: number; y: number; text: string; face: FontFace; fill: string; anchor: 'start' | 'middle' | 'end' };

export interface Scene {
	width: number;
	height: number;
	/** Text for screen readers and image alt attributes. */
	description: string;
	shapes: Shape[];
}
