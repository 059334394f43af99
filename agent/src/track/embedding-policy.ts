/**
 * The embedding policy: which detections get an OSNet embedding this update. ReID costs 12-30 ms a
 * crop on a 2-core box, as much as the detector on a busy frame, so by default ('decisive') an
 * embedding is computed only where it can change a decision; 'all' embeds every high-score
 * detection and is the reference the decisive policy is measured against (agent/bench/reid-replay.ts).
 */
import type { CostMatrix } from './cost.js';

export const EMBEDDING_POLICIES = ['decisive', 'all'] as const;
export type EmbeddingPolicy = (typeof EMBEDDING_POLICIES)[number];

/** What the policy reads: rows = active tracks, columns = this update's high-score detections. */
export interface EmbeddingPlanInput {
  /** Motion cost gated by the match limit and the plausibility gate (Infinity = unreachable). */
  readonly gatedMotion: CostMatrix;
  /** Per track: it carries an appearance already (only then can a detection's embedding move its cost). */
  readonly trackHasEmbedding: readonly boolean[];
  /** Per track: its embedding is missing or older than the refresh interval. */
  readonly trackNeedsRefresh: readonly boolean[];
  /** Per detection: some lost track with an appearance could be re-identified to it (inside its plausibility gate). */
  readonly reidReachable: readonly boolean[];
  /** Most that appearance can change a fused cost difference (see the tracker); Infinity = any. */
  readonly margin: number;
}

/**
 * Which high-score detections deserve an embedding this update:
 *  - contested ones: two or more tracks, or a track with two or more detections, within `margin`
 *    of the best motion cost on both sides, where a track in the contest carries an appearance.
 *    Appearance adds at most `margin` to a fused cost difference, so pairs further behind the best
 *    cannot win whatever the embeddings say; and a track without an appearance is matched on
 *    motion alone, so a contest among such tracks only is motion's to decide;
 *  - ones no track reaches by motion, when a lost track could be re-identified to them: inside
 *    that track's plausibility gate, whose reach is capped, so a newcomer at the door does not
 *    pay for a shopper lost at the far shelf;
 *  - the best candidate of a track whose embedding is missing (a new track) or due for refresh
 *    (the gallery is refreshed on that schedule, not every frame).
 * Everything else (the unique motion match of a track, with no rival within the margin) is decided
 * by motion alone, and its embedding is skipped. Returns column indices, ascending.
 */
export function planEmbeddings(p: EmbeddingPlanInput): number[] {
  const { gatedMotion: m, trackHasEmbedding: hasEmb, trackNeedsRefresh: refresh, reidReachable, margin } = p;
  const { rows, cols } = m;
  const at = (i: number, j: number): number => m.data[i * cols + j]!;
  const rowMin = new Float64Array(rows).fill(Infinity);
  const colMin = new Float64Array(cols).fill(Infinity);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      rowMin[i] = Math.min(rowMin[i]!, at(i, j));
      colMin[j] = Math.min(colMin[j]!, at(i, j));
    }
  }
  const competes = (i: number, j: number): boolean => Number.isFinite(at(i, j)) && at(i, j) <= rowMin[i]! + margin && at(i, j) <= colMin[j]! + margin;
  const rowCount = new Int32Array(rows);
  const colCount = new Int32Array(cols);
  const colWithAppearance = new Uint8Array(cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++)
      if (competes(i, j)) {
        rowCount[i]!++;
        colCount[j]!++;
        if (hasEmb[i]) colWithAppearance[j] = 1;
      }
  const need: number[] = [];
  for (let j = 0; j < cols; j++) {
    if (!Number.isFinite(colMin[j]!)) {
      if (reidReachable[j]) need.push(j);
      continue;
    }
    let wanted = colCount[j]! > 1 && colWithAppearance[j] === 1;
    for (let i = 0; i < rows && !wanted; i++) {
      if (!competes(i, j)) continue;
      wanted = (rowCount[i]! > 1 && hasEmb[i] === true) || (refresh[i] === true && at(i, j) === rowMin[i]);
    }
    if (wanted) need.push(j);
  }
  return need;
}

/** Per column: some row (a lost track) has it inside its plausibility gate (ratio <= 1). */
export function reachableColumns(plausible: CostMatrix): boolean[] {
  const out = new Array<boolean>(plausible.cols).fill(false);
  for (let i = 0; i < plausible.rows; i++) for (let j = 0; j < plausible.cols; j++) if (plausible.data[i * plausible.cols + j]! <= 1) out[j] = true;
  return out;
}
