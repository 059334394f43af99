/**
 * Lines, rectangles and polylines on a Canvas. Integer pixel geometry (Bresenham); a thickness
 * above 1 stamps a square brush centred on the line, which is what box outlines on video need.
 */
import { setPixel, type Canvas, type Rgb } from './canvas.js';

export interface StrokeOptions {
  /** Line width in pixels. Default 1. */
  readonly thickness?: number;
}

export function fillRect(c: Canvas, x: number, y: number, w: number, h: number, color: Rgb): void {
  const x0 = Math.max(0, Math.round(x));
  const y0 = Math.max(0, Math.round(y));
  const x1 = Math.min(c.width, Math.round(x + w));
  const y1 = Math.min(c.height, Math.round(y + h));
  for (let yy = y0; yy < y1; yy++) {
    for (let xx = x0; xx < x1; xx++) {
      const o = (yy * c.width + xx) * 3;
      c.data[o] = color[0];
      c.data[o + 1] = color[1];
      c.data[o + 2] = color[2];
    }
  }
}

function stamp(c: Canvas, x: number, y: number, color: Rgb, t: number): void {
  if (t <= 1) {
    setPixel(c, x, y, color);
    return;
  }
  const lo = -Math.floor((t - 1) / 2);
  fillRect(c, x + lo, y + lo, t, t, color);
}

/** A straight line from (x0, y0) to (x1, y1), both ends included. */
export function drawLine(c: Canvas, x0: number, y0: number, x1: number, y1: number, color: Rgb, opts: StrokeOptions = {}): void {
  const t = Math.max(1, Math.round(opts.thickness ?? 1));
  let x = Math.round(x0);
  let y = Math.round(y0);
  const xe = Math.round(x1);
  const ye = Math.round(y1);
  const dx = Math.abs(xe - x);
  const dy = -Math.abs(ye - y);
  const sx = x < xe ? 1 : -1;
  const sy = y < ye ? 1 : -1;
  let err = dx + dy;
  // Bounded by the line length, so a far-off endpoint cannot loop forever.
  for (let steps = 0; steps <= dx - dy; steps++) {
    stamp(c, x, y, color, t);
    if (x === xe && y === ye) break;
    const e2 = 2 * err;
    if (e2 >= dy) {
      err += dy;
      x += sx;
    }
    if (e2 <= dx) {
      err += dx;
      y += sy;
    }
  }
}

/** Rectangle outline with top-left (x, y) and size w x h; the stroke lies inside the box. */
export function drawRect(c: Canvas, x: number, y: number, w: number, h: number, color: Rgb, opts: StrokeOptions = {}): void {
  const t = Math.max(1, Math.round(opts.thickness ?? 1));
  fillRect(c, x, y, w, t, color);
  fillRect(c, x, y + h - t, w, t, color);
  fillRect(c, x, y, t, h, color);
  fillRect(c, x + w - t, y, t, h, color);
}

/** Connected segments through the points, e.g. a track's trail. Fewer than two points draw a dot or nothing. */
export function drawPolyline(c: Canvas, points: readonly (readonly [number, number])[], color: Rgb, opts: StrokeOptions = {}): void {
  if (points.length === 1) stamp(c, points[0]![0], points[0]![1], color, Math.max(1, Math.round(opts.thickness ?? 1)));
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    drawLine(c, a[0], a[1], b[0], b[1], color, opts);
  }
}
