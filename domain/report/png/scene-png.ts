import type { Scene } from '../scene';
import { encodePng } from './encode';
import { rasterise } from './raster';

/** The scene as a PNG file of exactly scene.width × scene.height pixels. */
export function scenePng(scene: Scene): Buffer {
	return encodePng(scene.width, scene.height, rasterise(scene));
}
