/**
 * The tracker's association passes as small functions from views to a gated cost matrix (habit 3):
 * each one reads whole, handles empty input (the cost functions do), and leaves assignment and
 * bookkeeping to the tracker. Every pass is gated by physical plausibility (plausibility.ts):
 * a pair whose displacement since the track was last observed is beyond what a person can walk is
 * never matched, whatever motion or appearance says.
 */
import { fuse, gate, gateBy, overlay, select, type CostMatrix } from './cost.js';
import { iouDistance, type DetectionView, type Distance, type TrackView } from './distances.js';

/** Everything the passes read in one update: views of active tracks and candidate detections. */
export interface PassInputs {
  readonly tracks: readonly TrackView[];
  readonly dets: readonly DetectionView[];
  /** Motion cost, active tracks x candidates. */
  readonly motion: CostMatrix;
  /** Plausibility ratio, active tracks x candidates (<= 1 plausible). */
  readonly plausible: CostMatrix;
}

export interface FusionOptions {
  readonly appearance: boolean;
  readonly appearanceWeight: number;
  readonly maxCosineDistance: number;
}

const pick = <T>(arr: readonly T[], idx: readonly number[]): T[] => idx.map((k) => arr[k]!);

/** Motion cost of the given rows and columns, gated at maxCost and by plausibility. */
export function motionCost(p: PassInputs, rows: readonly number[], cols: readonly number[], maxCost: number): CostMatrix {
  return gateBy(gate(select(p.motion, rows, cols), maxCost), select(p.plausible, rows, cols), 1);
}

/**
 * Passes 1 and 3 (confirmed or tentative tracks x high-score detections): motion, fused with
 * appearance where both sides carry an embedding (pairs beyond the appearance gate are then
 * forbidden); motion alone elsewhere.
 */
export function fusedCost(
  p: PassInputs,
  rows: readonly number[],
  cols: readonly number[],
  maxCost: number,
  o: FusionOptions,
  appearance: Distance,
): CostMatrix {
  const gated = motionCost(p, rows, cols, maxCost);
  if (!o.appearance) return gated;
  const tv = pick(p.tracks, rows);
  const dv = pick(p.dets, cols);
  const app = appearance(tv, dv);
  const fused = gateBy(fuse(gated, app, o.appearanceWeight), app, o.maxCosineDistance);
  return overlay(gated, fused, (i, j) => tv[i]!.embedding !== null && dv[j]!.embedding !== null);
}

/**
 * OC-SORT's observation-centric recovery: the track's LAST OBSERVED box against leftover
 * detections by IoU. At 1-2 fps a person who stopped (a cashier at the till) leaves the filter's
 * velocity behind and the prediction drifts off them; their last box still overlaps.
 */
export function recoveryCost(p: PassInputs, lastBoxes: readonly TrackView[], rows: readonly number[], cols: readonly number[], maxCost: number): CostMatrix {
  const iou = iouDistance(pick(lastBoxes, rows), pick(p.dets, cols));
  return gateBy(gate(iou, maxCost), select(p.plausible, rows, cols), 1);
}

/** Re-identification: appearance alone, within the appearance gate and the plausibility gate. */
export function reidCost(
  tracks: readonly TrackView[],
  dets: readonly DetectionView[],
  plausible: CostMatrix,
  maxCosine: number,
  appearance: Distance,
): CostMatrix {
  return gateBy(gate(appearance(tracks, dets), maxCosine), plausible, 1);
}
