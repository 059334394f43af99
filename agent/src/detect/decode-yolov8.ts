/**
 * YOLOv8 head output [1, 4+C, N] (channel-major: row r holds value r of every anchor):
 * rows 0-3 are cx, cy, w, h in input pixels, rows 4.. are per-class scores (already sigmoid, no
 * objectness). One label per anchor (its best class), then the confidence and class filters.
 * Boxes come out as xyxy in input pixels, before NMS.
 */
import { FailureError } from '../core/errors.js';
import { EMPTY_DETECTIONS, makeDetections, type Detections } from '../core/detections.js';
import type { DecodeOptions } from './decode-options.js';

export function decodeYoloV8(data: Float32Array, dims: readonly number[], opts: DecodeOptions): Detections {
  if (dims.length !== 3 || dims[0] !== 1 || !(dims[1]! > 4)) {
    throw new FailureError('FS_MODEL_UNSUPPORTED', `YOLOv8 output must be [1, 4+C, N], got [${dims.join(', ')}]`, { dims });
  }
  const rows = dims[1]!;
  const n = dims[2]!;
  const numClasses = rows - 4;
  if (data.length !== rows * n) {
    throw new FailureError('FS_MODEL_UNSUPPORTED', `YOLOv8 output has ${data.length} values, dims [${dims.join(', ')}] need ${rows * n}`, { dims });
  }
  const mask = opts.classMask;
  if (mask && mask.length !== numClasses) {
    throw new FailureError('FS_MODEL_UNSUPPORTED', `YOLOv8 output has ${numClasses} classes, the class list has ${mask.length}`, { dims });
  }
  if (n === 0) return EMPTY_DETECTIONS;

  // One label per anchor: its best class over all classes, as Ultralytics' predict does
  // (multi_label off). A box whose best class is "horse" is not a person, even if its person score
  // passes the threshold.
  const keep: number[] = [];
  const keepScore: number[] = [];
  const keepCls: number[] = [];
  const conf = opts.confThreshold;
  if (mask) {
    // An anchor can only be kept if a wanted class reaches the threshold: find those first (one
    // row per wanted class, sequential reads), then take the full argmax for those few only.
    const wanted: number[] = [];
    mask.forEach((v, c) => {
      if (v === 1) wanted.push(c);
    });
    for (let k = 0; k < n; k++) {
      let reaches = false;
      for (const c of wanted) if (data[(4 + c) * n + k]! >= conf) reaches = true;
      if (!reaches) continue;
      let bc = 0;
      let bs = data[4 * n + k]!;
      for (let c = 1; c < numClasses; c++) {
        const v = data[(4 + c) * n + k]!;
        if (v > bs) {
          bs = v;
          bc = c;
        }
      }
      if (mask[bc] === 1) {
        keep.push(k);
        keepScore.push(bs);
        keepCls.push(bc);
      }
    }
  } else {
    // Every class counts: argmax row by row so reads stay sequential.
    const best = data.slice(4 * n, 5 * n);
    const bestCls = new Int32Array(n);
    for (let c = 1; c < numClasses; c++) {
      const off = (4 + c) * n;
      for (let k = 0; k < n; k++) {
        const v = data[off + k]!;
        if (v > best[k]!) {
          best[k] = v;
          bestCls[k] = c;
        }
      }
    }
    for (let k = 0; k < n; k++) {
      if (best[k]! < conf) continue;
      keep.push(k);
      keepScore.push(best[k]!);
      keepCls.push(bestCls[k]!);
    }
  }

  const m = keep.length;
  const xyxy = new Float32Array(m * 4);
  const score = new Float32Array(m);
  const cls = new Int32Array(m);
  for (let j = 0; j < m; j++) {
    const k = keep[j]!;
    const cx = data[k]!,
      cy = data[n + k]!,
      w = data[2 * n + k]!,
      h = data[3 * n + k]!;
    xyxy[j * 4] = cx - w / 2;
    xyxy[j * 4 + 1] = cy - h / 2;
    xyxy[j * 4 + 2] = cx + w / 2;
    xyxy[j * 4 + 3] = cy + h / 2;
    score[j] = keepScore[j]!;
    cls[j] = keepCls[j]!;
  }
  return makeDetections(xyxy, score, cls);
}
