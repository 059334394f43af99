/**
 * Non-maximum suppression: sort by score, keep the best box, suppress the ones that overlap it
 * by more than the IoU threshold (only within the same class when class-aware), repeat.
 * Quadratic in the candidates left after the confidence filter, which is a few hundred at most.
 */
import { MisuseError } from '../core/errors.js';
import { makeDetections, type Detections } from '../core/detections.js';

export interface NmsOptions {
  /** Suppress only boxes of the same class (default true). */
  readonly classAware?: boolean;
  /** Keep at most this many boxes, best first (default: all). */
  readonly maxDetections?: number;
}

/** IoU of boxes i and j of two xyxy arrays (0 when either has no area). */
export function iouAt(a: Float32Array, i: number, b: Float32Array, j: number): number {
  const ax1 = a[i * 4]!,
    ay1 = a[i * 4 + 1]!,
    ax2 = a[i * 4 + 2]!,
    ay2 = a[i * 4 + 3]!;
  const bx1 = b[j * 4]!,
    by1 = b[j * 4 + 1]!,
    bx2 = b[j * 4 + 2]!,
    by2 = b[j * 4 + 3]!;
  const iw = Math.min(ax2, bx2) - Math.max(ax1, bx1);
  const ih = Math.min(ay2, by2) - Math.max(ay1, by1);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = Math.max(0, ax2 - ax1) * Math.max(0, ay2 - ay1) + Math.max(0, bx2 - bx1) * Math.max(0, by2 - by1) - inter;
  return union > 0 ? inter / union : 0;
}

/** Indices kept by NMS, best score first (ties keep input order). */
export function nmsIndices(d: Detections, iouThreshold: number, opts: NmsOptions = {}): Int32Array {
  if (!(iouThreshold >= 0 && iouThreshold <= 1)) {
    throw new MisuseError('FS_BAD_ARGUMENT', `nms: iou threshold ${iouThreshold} is outside [0, 1]`);
  }
  const max = opts.maxDetections ?? Infinity;
  if (!(max >= 0)) throw new MisuseError('FS_BAD_ARGUMENT', `nms: maxDetections ${max} must be >= 0`);
  const classAware = opts.classAware ?? true;
  const n = d.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((p, q) => d.score[q]! - d.score[p]! || p - q);
  const suppressed = new Uint8Array(n);
  const keep: number[] = [];
  for (let oi = 0; oi < n && keep.length < max; oi++) {
    const i = order[oi]!;
    if (suppressed[i]) continue;
    keep.push(i);
    for (let oj = oi + 1; oj < n; oj++) {
      const j = order[oj]!;
      if (suppressed[j]) continue;
      if (classAware && d.cls[j] !== d.cls[i]) continue;
      if (iouAt(d.xyxy, i, d.xyxy, j) > iouThreshold) suppressed[j] = 1;
    }
  }
  return Int32Array.from(keep);
}

/** NMS as a Detections step: the kept boxes, best score first. */
export function nms(d: Detections, iouThreshold: number, opts: NmsOptions = {}): Detections {
  return pick(d, nmsIndices(d, iouThreshold, opts));
}

/** The rows at `idx`, in that order. */
export function pick(d: Detections, idx: ArrayLike<number>): Detections {
  const n = idx.length;
  const xyxy = new Float32Array(n * 4);
  const score = new Float32Array(n);
  const cls = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const i = idx[k]!;
    xyxy.set(d.xyxy.subarray(i * 4, i * 4 + 4), k * 4);
    score[k] = d.score[i]!;
    cls[k] = d.cls[i]!;
  }
  return makeDetections(xyxy, score, cls);
}
