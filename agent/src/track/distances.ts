/**
 * Distances as plug-ins (habit 4): each takes track and detection views and returns a cost
 * matrix (rows = tracks, cols = detections), Infinity for pairs it rules out. Appearance (ReID)
 * is just one more distance. The tracker composes them with the functions in cost.ts.
 */
import { costFrom, costMatrix, type CostMatrix } from './cost.js';
import { mahalanobisSq, type Cxcywh, type Gaussian } from './kalman.js';
import { iou, type Xyxy } from './geometry.js';

export interface TrackView {
  /** Predicted box for this frame. */
  readonly box: Xyxy;
  /** Predicted measurement distribution (Kalman `project` of the prediction). */
  readonly projected: Gaussian;
  /** L2-normalised appearance (EMA), or null when none computed yet. */
  readonly embedding: Float32Array | null;
}

export interface DetectionView {
  readonly box: Xyxy;
  readonly cxcywh: Cxcywh;
  readonly score: number;
  /** L2-normalised appearance, or null when it was not worth computing. */
  readonly embedding: Float32Array | null;
}

export type Distance = (tracks: readonly TrackView[], dets: readonly DetectionView[]) => CostMatrix;

/** 1 - IoU of the predicted box and the detection. */
export const iouDistance: Distance = (tracks, dets) => costFrom(tracks.length, dets.length, (i, j) => 1 - iou(tracks[i]!.box, dets[j]!.box));

/**
 * Squared Mahalanobis distance under the track's predicted uncertainty, divided by the gate:
 * 0 = exactly where predicted, 1 = at the gate, Infinity beyond it. Unlike IoU it still ranks
 * candidates when a person moved further than their own width between two samples (1-2 fps CCTV),
 * and it widens by itself while a track coasts.
 */
export function mahalanobisDistance(gateChi2: number): Distance {
  return (tracks, dets) => {
    const m = costMatrix(tracks.length, dets.length);
    if (dets.length === 0) return m;
    const zs = dets.map((d) => d.cxcywh);
    tracks.forEach((t, i) => {
      const d2 = mahalanobisSq(t.projected, zs);
      for (let j = 0; j < dets.length; j++) m.data[i * dets.length + j] = d2[j]! > gateChi2 ? Infinity : d2[j]! / gateChi2;
    });
    return m;
  };
}

export const MOTION_RULES = ['min', 'overlap_first', 'cascade'] as const;
export type MotionRule = (typeof MOTION_RULES)[number];

/**
 * Motion cost, by rule:
 *  - 'min': the smaller of 1 - IoU and the gated Mahalanobis distance per pair. At full frame rate
 *    IoU carries the match even when a partly occluded box jumps in size (which Mahalanobis
 *    punishes); at low frame rate boxes stop overlapping and Mahalanobis carries it.
 *  - 'overlap_first' (below).
 *  - 'cascade': the same costs as 'overlap_first', but the tracker assigns them in two rounds
 *    (tracker.ts, cascadeRounds): overlapping pairs first, then the non-overlapping ones for the
 *    tracks and detections left, and the latter only for tracks observed at the previous update.
 */
export function motionDistance(gateChi2: number, rule: MotionRule = 'min'): Distance {
  return rule === 'min' ? minMotionDistance(gateChi2) : overlapFirstDistance(gateChi2);
}

function minMotionDistance(gateChi2: number): Distance {
  const maha = mahalanobisDistance(gateChi2);
  return (tracks, dets) => {
    const a = iouDistance(tracks, dets);
    const b = maha(tracks, dets);
    const out = costMatrix(a.rows, a.cols);
    for (let k = 0; k < out.data.length; k++) out.data[k] = Math.min(a.data[k]!, b.data[k]!);
    return out;
  };
}

/**
 * 'overlap_first': overlapping pairs cost 1 - IoU; a pair that does not overlap costs its gated
 * Mahalanobis distance, but never less than the track's best overlapping candidate. A person who
 * turned back at 1 fps (no longer overlapping their own prediction) stays matchable, so appearance
 * can still pick them, while a mere neighbour inside the Mahalanobis gate cannot undercut the
 * person the box overlaps. Taking the smaller of the two per pair ('min') let a neighbour inside the
 * gate (d2 / gate ~0.3) undercut the person the box actually overlaps (1 - IoU ~0.4), which in
 * crowds swaps identities every few seconds (tracker-cv.ts: 3-8x the ID switches of OC-SORT on
 * the simulator's crowded counter). Which rule the product uses is chosen by cross-validation.
 */
function overlapFirstDistance(gateChi2: number): Distance {
  const maha = mahalanobisDistance(gateChi2);
  return (tracks, dets) => {
    const a = iouDistance(tracks, dets);
    const b = maha(tracks, dets);
    const out = costMatrix(a.rows, a.cols);
    for (let i = 0; i < a.rows; i++) {
      // The best overlapping candidate's cost: no non-overlapping pair may undercut it.
      let bestOverlap = Infinity;
      for (let j = 0; j < a.cols; j++) if (a.data[i * a.cols + j]! < 1) bestOverlap = Math.min(bestOverlap, a.data[i * a.cols + j]!);
      for (let j = 0; j < a.cols; j++) {
        const k = i * a.cols + j;
        out.data[k] = a.data[k]! < 1 ? a.data[k]! : bestOverlap === Infinity ? b.data[k]! : Math.max(b.data[k]!, bestOverlap);
      }
    }
    return out;
  };
}

/** Cosine distance 1 - a.b of L2-normalised embeddings (0 same, 2 opposite); Infinity where either is missing. */
export const cosineDistance: Distance = (tracks, dets) =>
  costFrom(tracks.length, dets.length, (i, j) => {
    const a = tracks[i]!.embedding;
    const b = dets[j]!.embedding;
    return a && b ? 1 - dot(a, b) : Infinity;
  });

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) s += a[k]! * b[k]!;
  return s;
}

/** In-place L2 normalisation; returns its argument. A zero vector stays zero. */
export function l2normalise(v: Float32Array): Float32Array {
  let s = 0;
  for (let k = 0; k < v.length; k++) s += v[k]! * v[k]!;
  const n = Math.sqrt(s);
  if (n > 0) for (let k = 0; k < v.length; k++) v[k]! /= n;
  return v;
}
