/**
 * An RGB24 raster: `width * height * 3` bytes, row-major, no padding. The same layout as
 * core/frame.ts `Frame`, so a decoded video frame can be drawn on directly.
 *
 * Every drawing function clips to the canvas: coordinates outside it are ignored, never an error,
 * so callers can draw boxes that stick out of the frame.
 */
import { MisuseError } from '../core/errors.js';

export interface Canvas {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** An 8-bit RGB colour. */
export type Rgb = readonly [r: number, g: number, b: number];

export const WHITE: Rgb = [255, 255, 255];
export const BLACK: Rgb = [0, 0, 0];
export const GREY: Rgb = [128, 128, 128];

export function createCanvas(width: number, height: number, background: Rgb = BLACK): Canvas {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new MisuseError('FS_BAD_ARGUMENT', `canvas size must be positive integers, got ${width}x${height}`, { width, height });
  }
  const c: Canvas = { width, height, data: new Uint8Array(width * height * 3) };
  fill(c, background);
  return c;
}

/** Check that an outside buffer really is width x height RGB24 before drawing on it. */
export function asCanvas(width: number, height: number, data: Uint8Array): Canvas {
  if (data.length !== width * height * 3) {
    throw new MisuseError('FS_BAD_ARGUMENT', `RGB24 buffer of ${width}x${height} needs ${width * height * 3} bytes, got ${data.length}`, { width, height });
  }
  return { width, height, data };
}

export function fill(c: Canvas, color: Rgb): void {
  for (let i = 0; i < c.data.length; i += 3) {
    c.data[i] = color[0];
    c.data[i + 1] = color[1];
    c.data[i + 2] = color[2];
  }
}

/** Set one pixel; ignored outside the canvas. Coordinates are rounded to the nearest pixel. */
export function setPixel(c: Canvas, x: number, y: number, color: Rgb): void {
  const xi = Math.round(x);
  const yi = Math.round(y);
  if (xi < 0 || yi < 0 || xi >= c.width || yi >= c.height) return;
  const o = (yi * c.width + xi) * 3;
  c.data[o] = color[0];
  c.data[o + 1] = color[1];
  c.data[o + 2] = color[2];
}

/** The pixel at (x, y), or undefined outside the canvas. */
export function getPixel(c: Canvas, x: number, y: number): Rgb | undefined {
  if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= c.width || y >= c.height) return undefined;
  const o = (y * c.width + x) * 3;
  return [c.data[o]!, c.data[o + 1]!, c.data[o + 2]!];
}
