/**
 * Torso colour of tracked people: the mean RGB of the torso region of each matched box, summed over
 * a track's sightings. A uniform is the cheapest staff cue there is, and the torso (middle half of the
 * width, 20%-55% of the height) is where it shows and background shows least. Every 2nd pixel on both
 * axes is enough for a mean and keeps the cost to a few thousand reads per box.
 */
import type { Frame } from '../core/frame.js';

export type Rgb = readonly [number, number, number];

/** Running sums of one track's torso pixels. */
export interface ColorSum {
  r: number;
  g: number;
  b: number;
  n: number;
}

const X_FROM = 0.25;
const X_TO = 0.75;
const Y_FROM = 0.2;
const Y_TO = 0.55;
const STEP = 2;

/** Adds the torso pixels of `box` (source pixels, xyxy) in `frame` (RGB24, letterboxed) to `sum`. */
export function addTorso(sum: ColorSum, frame: Pick<Frame, 'width' | 'height' | 'data' | 'letterbox'>, box: readonly [number, number, number, number]): void {
  const { scale, padX, padY } = frame.letterbox;
  const [x1, y1, x2, y2] = box;
  const w = x2 - x1;
  const h = y2 - y1;
  if (!(w > 0 && h > 0)) return;
  const fx = (x: number): number => Math.round(x * scale + padX);
  const fy = (y: number): number => Math.round(y * scale + padY);
  const ax = Math.max(0, fx(x1 + X_FROM * w));
  const bx = Math.min(frame.width, fx(x1 + X_TO * w));
  const ay = Math.max(0, fy(y1 + Y_FROM * h));
  const by = Math.min(frame.height, fy(y1 + Y_TO * h));
  const d = frame.data;
  for (let y = ay; y < by; y += STEP) {
    let i = (y * frame.width + ax) * 3;
    for (let x = ax; x < bx; x += STEP, i += 3 * STEP) {
      sum.r += d[i]!;
      sum.g += d[i + 1]!;
      sum.b += d[i + 2]!;
      sum.n++;
    }
  }
}

/** The mean colour of a sum, rounded to integers; null when no pixel was seen. */
export function meanColor(sum: ColorSum): Rgb | null {
  if (sum.n === 0) return null;
  return [Math.round(sum.r / sum.n), Math.round(sum.g / sum.n), Math.round(sum.b / sum.n)];
}
