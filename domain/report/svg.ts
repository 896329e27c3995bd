import type { Scene, Shape } from './scene';
import { FONT_FACES, FONT_FAMILY } from './scene';

/** Text for XML or HTML content and attribute values: every character that could end either. */
export function escapeXml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Coordinates with at most one decimal: smaller files, same picture. */
function n(value: number): string {
	return String(Math.round(value * 10) / 10);
}

function shapeSvg(s: Shape): string {
	switch (s.type) {
		case 'rect':
			return `<rect x="${n(s.x)}" y="${n(s.y)}" width="${n(s.width)}" height="${n(s.height)}" fill="${s.fill}"/>`;
		case 'line': {
			const dash = s.dash ? ` stroke-dasharray="${s.dash[0]} ${s.dash[1]}"` : '';
			return `<line x1="${n(s.x1)}" y1="${n(s.y1)}" x2="${n(s.x2)}" y2="${n(s.y2)}" stroke="${s.stroke}" stroke-width="${s.width}"${dash}/>`;
		}
		case 'polyline':
			return `<polyline points="${s.points.map(([x, y]) => `${n(x)},${n(y)}`).join(' ')}" fill="none" stroke="${s.stroke}" stroke-width="${s.width}" stroke-linejoin="round" stroke-linecap="round"/>`;
		case 'circle':
			return `<circle cx="${n(s.cx)}" cy="${n(s.cy)}" r="${n(s.r)}" fill="${s.fill}"/>`;
		case 'text': {
			const face = FONT_FACES[s.face];
			const weight = face.bold ? ' font-weight="bold"' : '';
			const anchor = s.anchor === 'start' ? '' : ` text-anchor="${s.anchor}"`;
			return `<text x="${n(s.x)}" y="${n(s.y)}" font-size="${face.size}"${weight}${anchor} fill="${s.fill}">${escapeXml(s.text)}</text>`;
		}
	}
}

/**
 * The scene as one self-contained SVG document: no fonts, images or scripts to fetch, so it can be inlined in the
 * page or attached to an e-mail. `role="img"` and a title give screen readers the chart's figures.
 */
export function sceneSvg(scene: Scene): string {
	return [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${scene.width}" height="${scene.height}" viewBox="0 0 ${scene.width} ${scene.height}" font-family="${FONT_FAMILY}" role="img">`,
		`<title>${escapeXml(scene.description)}</title>`,
		...scene.shapes.map(shapeSvg),
		'</svg>',
	].join('\n');
}
