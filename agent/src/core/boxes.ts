/** Axis-aligned boxes as [x1, y1, x2, y2] and the one IoU the tracker and the metrics share. */
export type Xyxy = readonly [x1: number, y1: number, x2: number, y2: number];

/** Intersection over union; 0 for disjoint or degenerate boxes. */
export function iouXyxy(a: Xyxy, b: Xyxy): number {
  const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}
