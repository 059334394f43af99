/**
 * Exports with NMS built in, output [1, N, 6]: per row x1, y1, x2, y2 (input pixels), score,
 * class index. Unused rows are zero-padded, so the confidence filter also drops the padding.
 */
import { FailureError } from '../core/errors.js';
import { makeDetections, type Detections } from '../core/detections.js';
import type { DecodeOptions } from './decode-options.js';

export function decodeYoloNms(data: Float32Array, dims: readonly number[], opts: DecodeOptions): Detections {
  if (dims.length !== 3 || dims[0] !== 1 || dims[2] !== 6) {
    throw new FailureError('FS_MODEL_UNSUPPORTED', `NMS-included output must be [1, N, 6], got [${dims.join(', ')}]`, { dims });
  }
  const n = dims[1]!;
  if (data.length !== n * 6) {
    throw new FailureError('FS_MODEL_UNSUPPORTED', `NMS-included output has ${data.length} values, dims [${dims.join(', ')}] need ${n * 6}`, { dims });
  }
  const mask = opts.classMask;
  const keep: number[] = [];
  for (let k = 0; k < n; k++) {
    const s = data[k * 6 + 4]!;
    const c = Math.round(data[k * 6 + 5]!);
    if (!(s >= opts.confThreshold)) continue;
    if (mask && mask[c] !== 1) continue;
    keep.push(k);
  }
  const xyxy = new Float32Array(keep.length * 4);
  const score = new Float32Array(keep.length);
  const cls = new Int32Array(keep.length);
  keep.forEach((k, j) => {
    xyxy.set(data.subarray(k * 6, k * 6 + 4), j * 4);
    score[j] = data[k * 6 + 4]!;
    cls[j] = Math.round(data[k * 6 + 5]!);
  });
  return makeDetections(xyxy, score, cls);
}
