/**
 * The embedding policy: which detections get an OSNet embedding this update. ReID costs 12-30 ms a
 * crop on a 2-core box, as much as the detector on a busy frame, so by default ('decisive') an
 * embedding is computed only where it can change a decision; 'all' embeds every high-score
 * detection and is the reference the decisive policy is measured against (agent/bench/reid-replay.ts).
 */
import type { CostMatrix } from './cost.js';

export const EMBEDDING_POLICIES = ['decisive', 'all'] as const;
export type EmbeddingPolicy = (typeof EMBEDDING_POLICIES)[number];

/**
 * Which high-score detections (columns of the gated motion matrix, rows = active tracks) deserve
 * an embedding this update:
 *  - contested ones: two or more tracks, or a track with two or more detections, within `margin`
 *    of the best motion cost on both sides. Appearance adds at most `margin` to a fused cost
 *    difference, so pairs further behind the best cannot win whatever the embeddings say;
 *  - ones no track reaches, when a lost track could be re-identified;
 *  - the sole candidate of a track whose embedding is missing or due for refresh.
 * Everything else is decided by motion alone, and its embedding is skipped.
 */
export function planEmbeddings(gatedMotion: CostMatrix, trackNeedsRefresh: readonly boolean[], reidPossible: boolean, margin = Infinity): number[] {
  const { rows, cols } = gatedMotion;
  const at = (i: number, j: number): number => gatedMotion.data[i * cols + j]!;
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
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++)
      if (competes(i, j)) {
        rowCount[i]!++;
        colCount[j]!++;
      }
  const need: number[] = [];
  for (let j = 0; j < cols; j++) {
    if (!Number.isFinite(colMin[j]!)) {
      if (reidPossible) need.push(j);
      continue;
    }
    let wanted = colCount[j]! > 1;
    for (let i = 0; i < rows && !wanted; i++) if (competes(i, j) && (rowCount[i]! > 1 || (trackNeedsRefresh[i] && at(i, j) === rowMin[i]))) wanted = true;
    if (wanted) need.push(j);
  }
  return need;
}

