/** Box conversions and overlap. Boxes are [x1, y1, x2, y2] in source pixels unless named otherwise. */
import type { Xyxy } from '../core/boxes.js';
import type { Cxcywh } from './kalman.js';

export type { Xyxy } from '../core/boxes.js';
export { iouXyxy as iou } from '../core/boxes.js';

export function xyxyToCxcywh(b: Xyxy): Cxcywh {
  return [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2, b[2] - b[0], b[3] - b[1]];
}

/** Width and height are clamped to at least 1 px: a filter state may drift below that. */
export function cxcywhToXyxy(c: ArrayLike<number>): Xyxy {
  const w = Math.max(c[2]!, 1);
  const h = Math.max(c[3]!, 1);
  return [c[0]! - w / 2, c[1]! - h / 2, c[0]! + w / 2, c[1]! + h / 2];
}

/** Box i of a detections value's xyxy array. */
export function boxAt(xyxy: Float32Array, i: number): Xyxy {
  return [xyxy[i * 4]!, xyxy[i * 4 + 1]!, xyxy[i * 4 + 2]!, xyxy[i * 4 + 3]!];
}
