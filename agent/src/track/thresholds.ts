/**
 * Tracker score thresholds from the detector's own score distribution, not from another model's.
 *
 * A score is only meaningful relative to the model that produced it: Faster R-CNN gives a visible
 * pedestrian 0.99, YOLOv8n gives the same person 0.6-0.9, so thresholds chosen on one are wrong for
 * the other (0.6 / 0.7 from Faster R-CNN left YOLOv8n's customer at the till untracked). The rule
 * here states thresholds as QUANTILES of a model's person scores (at or above the detector's
 * confidence floor): "the high pass takes all but the lowest q_high of what this detector reports".
 * The quantiles are chosen once by leave-one-out cross-validation over sequences (each calibrated
 * on its own scores, agent/bench/tracker-cv.ts); a model's default values are those quantiles of
 * its scores on the shared clips (models/manifest.json `tracker_thresholds`), and a camera can be
 * calibrated the same way from its own first minutes.
 */
import { MisuseError } from '../core/errors.js';

export interface ScoreThresholds {
  readonly high: number;
  readonly low: number;
  readonly newTrack: number;
}

export interface QuantileRule {
  /** Fraction of detections (at or above the floor) that score below the high threshold. */
  readonly qHigh: number;
  /** Fraction that score below the new-track threshold (>= qHigh). */
  readonly qNew: number;
  /** Scores below this are ignored by the rule and by the tracker (the low threshold). */
  readonly floor: number;
}

/**
 * The quantile rule the product uses (chosen by tracker-cv.ts; see its held-out table). ByteTrack's
 * low threshold 0.1 is kept as the floor: below it scores are noise for every model we ship.
 */
export const DEFAULT_QUANTILE_RULE: QuantileRule = Object.freeze({ qHigh: 0.05, qNew: 0.15, floor: 0.1 });

/**
 * Weighted quantile (type 7 interpolation within each group is not needed at these sizes: the
 * value where the cumulative weight first reaches q). Groups (clips, cameras) get equal total
 * weight so one crowded clip does not set the thresholds for all.
 */
export function weightedQuantile(groups: readonly (readonly number[])[], q: number): number {
  if (!(q >= 0 && q <= 1)) throw new MisuseError('FS_BAD_ARGUMENT', `quantile must be in [0, 1], got ${q}`);
  const items: Array<[number, number]> = [];
  const used = groups.filter((g) => g.length > 0);
  if (used.length === 0) throw new MisuseError('FS_BAD_ARGUMENT', 'quantile of no scores');
  for (const g of used) for (const v of g) items.push([v, 1 / (g.length * used.length)]);
  items.sort((a, b) => a[0] - b[0]);
  let acc = 0;
  for (const [v, w] of items) {
    acc += w;
    if (acc >= q - 1e-12) return v;
  }
  return items[items.length - 1]![0];
}

/** Thresholds by the quantile rule from groups of scores (one group per clip or camera). */
export function thresholdsFromScores(groups: readonly (readonly number[])[], rule: QuantileRule = DEFAULT_QUANTILE_RULE): ScoreThresholds {
  if (!(rule.qHigh >= 0 && rule.qNew >= rule.qHigh && rule.qNew <= 1)) {
    throw new MisuseError('FS_BAD_ARGUMENT', `quantile rule needs 0 <= qHigh <= qNew <= 1, got ${rule.qHigh}, ${rule.qNew}`);
  }
  const kept = groups.map((g) => g.filter((s) => s >= rule.floor));
  const high = Math.max(weightedQuantile(kept, rule.qHigh), rule.floor);
  return { low: rule.floor, high, newTrack: Math.max(weightedQuantile(kept, rule.qNew), high) };
}
