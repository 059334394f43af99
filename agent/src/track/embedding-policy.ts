/**
 * The embedding policy: which detections get an OSNet embedding this update. ReID costs 12-30 ms a
 * crop on a 2-core box, as much as the detector on a busy frame, so by default ('decisive') an
 * embedding is computed only where it can change a decision; 'all' embeds every high-score
 * detection and is the reference the decisive policy is measured against (agent/bench/reid-replay.ts).
 */
import { costMatrix, type CostMatrix } from './cost.js';

export const EMBEDDING_POLICIES = ['decisive', 'all'] as const;
export type EmbeddingPolicy = (typeof EMBEDDING_POLICIES)[number];

/**
 * Which rivals make a contest (tracker.embedding_contest): 'pairs' = any two pairs within the margin;
 * 'cascade' = as the cascade's rounds can decide, the appearance gate's veto included;
 * 'cascade_no_veto' = each round on its own, as if the gate never vetoed an overlapping pair.
 */
export const EMBEDDING_CONTESTS = ['pairs', 'cascade', 'cascade_no_veto'] as const;
export type EmbeddingContest = (typeof EMBEDDING_CONTESTS)[number];

/** Why an embedding was asked for (the first that holds, in this order); summary.json `appearance.by_reason` counts them. */
export const EMBEDDING_REASONS = ['contested', 'reid', 'first', 'refresh'] as const;
export type EmbeddingReason = (typeof EMBEDDING_REASONS)[number];

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
  /**
   * Per track: still tentative (not yet confirmed); given only under tracker.embedding_defer_tentative.
   * Its first embedding then waits until it is confirmed, and until then it is matched by motion
   * (its contests carry no appearance). Absent = every track may take one.
   */
  readonly trackTentative?: readonly boolean[];
  /**
   * Tracks x detections, 1 where the track's predicted box overlaps the detection (motion_rule
   * cascade): the tracker settles such pairs in a round of their own before any non-overlapping
   * reach, so a contest is judged by the rounds (see planEmbeddings, `contest`). Absent = one round.
   */
  readonly overlaps?: Uint8Array;
  /** How `overlaps` is read (tracker.embedding_contest); 'cascade' when absent. */
  readonly contest?: Exclude<EmbeddingContest, 'pairs'>;
  /**
   * Per detection: its crop is whole (wholeCrops; tracker.embedding_whole_crops). A track whose
   * appearance holds whole crops is refreshed only from a whole one (a cut or overlapped crop would
   * not enter its appearance). Absent = every crop counts.
   */
  readonly detectionWhole?: readonly boolean[];
  /** Per track: it has an appearance, but from no whole crop yet; its refresh is due at its first whole crop, whatever the interval. */
  readonly trackLacksWhole?: readonly boolean[];
  /**
   * Per detection: it will start a track if nothing takes it (score >= new_track_threshold);
   * given under tracker.embedding_at_birth. Such a detection no track reaches is embedded
   * ('first'), so the new track carries an appearance into its second sighting's contests.
   */
  readonly birth?: readonly boolean[];
}

/** The plan: column indices, ascending, and why each was asked for. */
export interface EmbeddingPlan {
  readonly columns: number[];
  readonly reasons: EmbeddingReason[];
}

/**
 * Which high-score detections deserve an embedding this update:
 *  - contested ones: two or more tracks, or a track with two or more detections, within `margin`
 *    of the best motion cost on both sides, where a track in the contest carries an appearance.
 *    Appearance adds at most `margin` to a fused cost difference, so pairs further behind the best
 *    cannot win whatever the embeddings say; and a track without an appearance is matched on
 *    motion alone, so a contest among such tracks only is motion's to decide. (The bound holds
 *    where neither pair is beyond the appearance gate; a pair beyond it is vetoed outright, which
 *    is why the cascade reading below keeps the rivals a veto could bring in.) With `overlaps`
 *    (motion_rule cascade) the rivals are those the cascade's rounds let compete (`contest`):
 *    the tracker assigns every overlapping pair before any non-overlapping reach, so on the 1 fps
 *    street loop most rivals "within the margin" were reach pairs that could never win;
 *  - ones no track reaches by motion, when a lost track could be re-identified to them: inside
 *    that track's plausibility gate, whose reach is capped, so a newcomer at the door does not
 *    pay for a shopper lost at the far shelf;
 *  - with `birth` (tracker.embedding_at_birth), ones no track reaches that will start a track: a
 *    track born without an appearance meets its first contest (its second sighting, 1 s on at
 *    1 fps, when its velocity is still unknown) on motion alone, where embed-all brings appearance;
 *  - the best candidate of a track whose embedding is missing (a new track) or due for refresh
 *    (the gallery is refreshed on that schedule, not every frame).
 * Everything else (the unique motion match of a track, with no rival within the margin) is decided
 * by motion alone, and its embedding is skipped.
 */
export function planEmbeddings(p: EmbeddingPlanInput): EmbeddingPlan {
  const { gatedMotion: m, trackHasEmbedding: hasEmb, trackNeedsRefresh: refresh, reidReachable, margin } = p;
  const { rows, cols } = m;
  const at = (i: number, j: number): number => m.data[i * cols + j]!;
  const { rowMin, colMin } = minima(m);
  let contested: Uint8Array;
  if (p.overlaps) {
    const ov = p.overlaps;
    const overlapping = (i: number, j: number): boolean => ov[i * cols + j] === 1 && Number.isFinite(at(i, j));
    const rowOv = new Uint8Array(rows);
    const colOv = new Uint8Array(cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) if (overlapping(i, j)) rowOv[i] = colOv[j] = 1;
    // A reach (non-overlapping) pair (r, c) can still be made when r is in the second round anyway
    // (it overlaps nothing), when c is (nothing overlaps it), or when the appearance gate can veto
    // both round-one pairs in its way: r overlaps some c2 that a track overlapping c reaches (two
    // people who met and turn back at 1 fps, each predicted onto the other). Otherwise the first
    // round settles c and r whatever the embeddings say, bar a veto with nowhere else to go.
    const swap = (r: number, c: number): boolean => {
      for (let c2 = 0; c2 < cols; c2++) {
        if (!overlapping(r, c2)) continue;
        for (let r2 = 0; r2 < rows; r2++) if (r2 !== r && overlapping(r2, c) && Number.isFinite(at(r2, c2)) && !overlapping(r2, c2)) return true;
      }
      return false;
    };
    const veto = (p.contest ?? 'cascade') === 'cascade';
    const keep = (r: number, c: number): boolean => overlapping(r, c) || (veto ? !rowOv[r] || !colOv[c] || swap(r, c) : !rowOv[r] && !colOv[c]);
    const kept = costMatrix(rows, cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) kept.data[i * cols + j] = keep(i, j) ? at(i, j) : Infinity;
    if (veto) contested = contestedColumns(kept, hasEmb, margin);
    else {
      // cascade_no_veto: each round on its own (overlapping pairs, then the reach among what overlaps nothing).
      const first = costMatrix(rows, cols);
      const second = costMatrix(rows, cols);
      for (let k = 0; k < m.data.length; k++) {
        const own = ov[k] === 1;
        first.data[k] = own ? kept.data[k]! : Infinity;
        second.data[k] = own ? Infinity : kept.data[k]!;
      }
      const a = contestedColumns(first, hasEmb, margin);
      const b = contestedColumns(second, hasEmb, margin);
      contested = a.map((x, j) => x | b[j]!);
    }
  } else contested = contestedColumns(m, hasEmb, margin);
  const due = (i: number, j: number): boolean => {
    const whole = p.detectionWhole?.[j] ?? true;
    const lacks = p.trackLacksWhole?.[i] === true;
    return (refresh[i] === true && (hasEmb[i] !== true || whole || lacks)) || (lacks && whole);
  };
  const wantsOwn = (i: number, j: number): boolean => {
    // Its best candidate, one it could win (within the margin of the column's best).
    if (!due(i, j) || !Number.isFinite(at(i, j)) || at(i, j) !== rowMin[i] || at(i, j) > colMin[j]! + margin) return false;
    return hasEmb[i] === true || p.trackTentative?.[i] !== true;
  };
  const columns: number[] = [];
  const reasons: EmbeddingReason[] = [];
  const take = (j: number, why: EmbeddingReason): void => {
    columns.push(j);
    reasons.push(why);
  };
  for (let j = 0; j < cols; j++) {
    if (!Number.isFinite(colMin[j]!)) {
      if (reidReachable[j]) take(j, 'reid');
      else if (p.birth?.[j] === true) take(j, 'first');
      continue;
    }
    if (contested[j]) {
      take(j, 'contested');
      continue;
    }
    for (let i = 0; i < rows; i++)
      if (wantsOwn(i, j)) {
        take(j, hasEmb[i] ? 'refresh' : 'first');
        break;
      }
  }
  return { columns, reasons };
}

function minima(m: CostMatrix): { rowMin: Float64Array; colMin: Float64Array } {
  const rowMin = new Float64Array(m.rows).fill(Infinity);
  const colMin = new Float64Array(m.cols).fill(Infinity);
  for (let i = 0; i < m.rows; i++)
    for (let j = 0; j < m.cols; j++) {
      const v = m.data[i * m.cols + j]!;
      rowMin[i] = Math.min(rowMin[i]!, v);
      colMin[j] = Math.min(colMin[j]!, v);
    }
  return { rowMin, colMin };
}

/**
 * Per column, 1 where it is contested: two or more tracks, or a track with two or more
 * detections, within `margin` of the best motion cost on both sides, a track with an appearance
 * among them.
 */
function contestedColumns(m: CostMatrix, hasEmb: readonly boolean[], margin: number): Uint8Array {
  const { rows, cols } = m;
  const at = (i: number, j: number): number => m.data[i * cols + j]!;
  const { rowMin, colMin } = minima(m);
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
  const out = new Uint8Array(cols);
  for (let j = 0; j < cols; j++) {
    if (colCount[j]! > 1 && colWithAppearance[j] === 1) out[j] = 1;
    for (let i = 0; i < rows && !out[j]; i++) if (competes(i, j) && rowCount[i]! > 1 && hasEmb[i] === true) out[j] = 1;
  }
  return out;
}

/**
 * Share of a picture side within which a box counts as cut by the picture edge. Detector boxes of
 * a person cut by the edge are clipped to it, so a whole person's box ends short of it; 1 % (6 px
 * on a 640 px picture) absorbs the box regression's jitter.
 */
export const WHOLE_EDGE_MARGIN = 0.01;
/** Share of a box that another detection's box may cover before its crop is a mix of two people. */
export const WHOLE_MAX_COVER = 0.1;

/**
 * Per box: the crop shows one whole person (the crop-quality rule behind tracker.embedding_whole_crops):
 * not within WHOLE_EDGE_MARGIN of the picture edge (without a picture, edges are not judged) and
 * covered by no other box for more than WHOLE_MAX_COVER of its area. A crop of someone entering
 * half in view, or of two people overlapping, embeds a part of a person or a mix of two, and a
 * track's appearance built from it re-identifies (and rejects) others on that part.
 */
export function wholeCrops(
  boxes: readonly (readonly [number, number, number, number])[],
  picture?: { readonly width: number; readonly height: number },
): boolean[] {
  return boxes.map((b, i) => {
    const area = (b[2] - b[0]) * (b[3] - b[1]);
    if (picture) {
      const mx = WHOLE_EDGE_MARGIN * picture.width;
      const my = WHOLE_EDGE_MARGIN * picture.height;
      if (b[0] < mx || b[1] < my || b[2] > picture.width - mx || b[3] > picture.height - my) return false;
    }
    for (let k = 0; k < boxes.length; k++) {
      if (k === i) continue;
      const o = boxes[k]!;
      const w = Math.min(b[2], o[2]) - Math.max(b[0], o[0]);
      const h = Math.min(b[3], o[3]) - Math.max(b[1], o[1]);
      if (w > 0 && h > 0 && w * h > WHOLE_MAX_COVER * area) return false;
    }
    return true;
  });
}

/** Per column: some row (a lost track) has it inside its plausibility gate (ratio <= 1). */
export function reachableColumns(plausible: CostMatrix): boolean[] {
  const out = new Array<boolean>(plausible.cols).fill(false);
  for (let i = 0; i < plausible.rows; i++) for (let j = 0; j < plausible.cols; j++) if (plausible.data[i * plausible.cols + j]! <= 1) out[j] = true;
  return out;
}
