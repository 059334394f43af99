/**
 * YOLOX raw head output [1, A, 5+C] (export without in-graph decoding): anchors are the cells of
 * one grid per stride (8, 16, 32), row-major, concatenated. Per anchor: dx, dy, log w, log h in
 * grid units, objectness and class scores (already sigmoid). Box centre = (d + grid cell) * stride,
 * size = exp(log size) * stride; score = objectness * best class score.
 */
import { FailureError } from '../core/errors.js';
import { makeDetections, type Detections } from '../core/detections.js';
import type { DecodeOptions } from './decode-options.js';

export interface YoloxGeometry {
  readonly inputWidth: number;
  readonly inputHeight: number;
  readonly strides: readonly number[];
}

/** Number of anchors the grids of `g` hold. */
export function yoloxAnchorCount(g: YoloxGeometry): number {
  return g.strides.reduce((sum, s) => sum + Math.floor(g.inputWidth / s) * Math.floor(g.inputHeight / s), 0);
}

export function decodeYolox(data: Float32Array, dims: readonly number[], g: YoloxGeometry, opts: DecodeOptions): Detections {
  const anchors = yoloxAnchorCount(g);
  if (dims.length !== 3 || dims[0] !== 1 || dims[1] !== anchors || !(dims[2]! > 5)) {
    throw new FailureError(
      'FS_MODEL_UNSUPPORTED',
      `YOLOX output must be [1, ${anchors}, 5+C] for ${g.inputWidth}x${g.inputHeight} with strides ${g.strides.join('/')}, got [${dims.join(', ')}]`,
      { dims },
    );
  }
  const width = dims[2]!;
  const numClasses = width - 5;
  if (data.length !== anchors * width) {
    throw new FailureError('FS_MODEL_UNSUPPORTED', `YOLOX output has ${data.length} values, dims [${dims.join(', ')}] need ${anchors * width}`, { dims });
  }
  const mask = opts.classMask;
  if (mask && mask.length !== numClasses) {
    throw new FailureError('FS_MODEL_UNSUPPORTED', `YOLOX output has ${numClasses} classes, the class list has ${mask.length}`, { dims });
  }
  const boxes: number[] = [];
  const scores: number[] = [];
  const classes: number[] = [];
  let a = 0;
  for (const s of g.strides) {
    const gw = Math.floor(g.inputWidth / s);
    const gh = Math.floor(g.inputHeight / s);
    for (let gy = 0; gy < gh; gy++) {
      for (let gx = 0; gx < gw; gx++, a++) {
        const o = a * width;
        const obj = data[o + 4]!;
        if (obj < opts.confThreshold) continue; // score = obj * cls <= obj
        // Best class over all classes, then the class filter (as in decodeYoloV8).
        let bc = 0;
        let bs = data[o + 5]!;
        for (let c = 1; c < numClasses; c++) {
          const v = data[o + 5 + c]!;
          if (v > bs) {
            bs = v;
            bc = c;
          }
        }
        const score = obj * bs;
        if (score < opts.confThreshold || (mask && mask[bc] !== 1)) continue;
        const cx = (data[o]! + gx) * s;
        const cy = (data[o + 1]! + gy) * s;
        const w = Math.exp(data[o + 2]!) * s;
        const h = Math.exp(data[o + 3]!) * s;
        boxes.push(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
        scores.push(score);
        classes.push(bc);
      }
    }
  }
  return makeDetections(Float32Array.from(boxes), Float32Array.from(scores), Int32Array.from(classes));
}
