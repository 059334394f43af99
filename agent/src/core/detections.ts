/**
 * One typed detections value that flows through the pipeline (habit 1): a struct of typed arrays,
 * validated when built, filtered by masks; every step returns a new value.
 *
 * Boxes are [x1, y1, x2, y2] in pixels of the coordinate space named by the producer
 * (model input space straight out of the detector, source-image space after `unletterbox`).
 */
import { MisuseError } from './errors.js';
import type { Letterbox } from './frame.js';

export interface Detections {
  readonly length: number;
  /** length*4 values: x1, y1, x2, y2. */
  readonly xyxy: Float32Array;
  /** Confidence in [0, 1]. */
  readonly score: Float32Array;
  /** Class index in the model's class list. */
  readonly cls: Int32Array;
}

export function makeDetections(xyxy: Float32Array, score: Float32Array, cls: Int32Array): Detections {
  const n = score.length;
  if (xyxy.length !== n * 4 || cls.length !== n) {
    throw new MisuseError('FS_BAD_ARGUMENT', `detections: xyxy has ${xyxy.length} values, score ${n}, cls ${cls.length}; expected xyxy = 4 * score = 4 * cls`);
  }
  for (let i = 0; i < xyxy.length; i++) {
    if (!Number.isFinite(xyxy[i]!)) throw new MisuseError('FS_BAD_ARGUMENT', `detections: box value ${i} is ${xyxy[i]}`);
  }
  return Object.freeze({ length: n, xyxy, score, cls });
}

export const EMPTY_DETECTIONS: Detections = makeDetections(new Float32Array(0), new Float32Array(0), new Int32Array(0));

/** From a plain list, for tests and small producers. */
export function detectionsFromList(items: ReadonlyArray<{ box: readonly [number, number, number, number]; score: number; cls?: number }>): Detections {
  const xyxy = new Float32Array(items.length * 4);
  const score = new Float32Array(items.length);
  const cls = new Int32Array(items.length);
  items.forEach((it, i) => {
    xyxy.set(it.box, i * 4);
    score[i] = it.score;
    cls[i] = it.cls ?? 0;
  });
  return makeDetections(xyxy, score, cls);
}

/** Keep the rows where mask is true. */
export function filterDetections(d: Detections, mask: ArrayLike<boolean>): Detections {
  let n = 0;
  for (let i = 0; i < d.length; i++) if (mask[i]) n++;
  const xyxy = new Float32Array(n * 4);
  const score = new Float32Array(n);
  const cls = new Int32Array(n);
  let j = 0;
  for (let i = 0; i < d.length; i++) {
    if (!mask[i]) continue;
    xyxy.set(d.xyxy.subarray(i * 4, i * 4 + 4), j * 4);
    score[j] = d.score[i]!;
    cls[j] = d.cls[i]!;
    j++;
  }
  return makeDetections(xyxy, score, cls);
}

/** Map boxes from letterboxed model-input pixels back to source pixels, clipped to the image. */
export function unletterbox(d: Detections, lb: Letterbox): Detections {
  const out = new Float32Array(d.xyxy.length);
  for (let i = 0; i < d.length; i++) {
    for (let k = 0; k < 4; k++) {
      const v = d.xyxy[i * 4 + k]!;
      const even = k % 2 === 0;
      const src = (v - (even ? lb.padX : lb.padY)) / lb.scale;
      out[i * 4 + k] = Math.min(Math.max(src, 0), even ? lb.srcWidth : lb.srcHeight);
    }
  }
  return makeDetections(out, d.score.slice(), d.cls.slice());
}
