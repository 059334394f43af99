/**
 * Colours by id: the same id always gets the same colour, neighbouring ids get clearly different
 * ones (hue steps by the golden ratio), and all are bright enough to read on video.
 */
import type { Rgb } from './canvas.js';

const GOLDEN = 0.618033988749895;

export function colorForId(id: number): Rgb {
  const n = Math.abs(Math.trunc(id));
  const hue = (n * GOLDEN + 0.1) % 1;
  // Alternate saturation/value a little so ids 8 apart on similar hues still differ.
  const s = n % 2 === 0 ? 0.85 : 0.65;
  const v = n % 3 === 0 ? 0.95 : 0.85;
  return hsvToRgb(hue, s, v);
}

/** h, s, v in [0, 1]. */
export function hsvToRgb(h: number, s: number, v: number): Rgb {
  const i = Math.floor(h * 6) % 6;
  const f = h * 6 - Math.floor(h * 6);
  const p = v * (1 - s);
  const q = v * (1 - f * s);
  const t = v * (1 - (1 - f) * s);
  const [r, g, b] = [
    [v, t, p],
    [q, v, p],
    [p, v, t],
    [p, q, v],
    [t, p, v],
    [v, p, q],
  ][i]!;
  return [Math.round(r! * 255), Math.round(g! * 255), Math.round(b! * 255)];
}
