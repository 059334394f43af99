/**
 * The multi-object tracker (StrongSORT class, built for 1-2 fps CCTV as well as full frame rate).
 *
 * Per update, in video time:
 *  1. retire tracks unmatched for more than maxAgeSec (confirmed ones with an embedding wait in a
 *     re-id gallery until reidWindowSec after they were last seen, unless their motion carried them
 *     out of the picture), predict the rest to now;
 *  2. decide which detections need an appearance embedding (embedding-policy.ts) and ask for those only;
 *  3. pass 1: confirmed tracks x high-score detections, motion cost fused with appearance (with
 *     the 'cascade' motion rule in two rounds: first every overlapping pair, a tentative track's
 *     included, then the non-overlapping reach for tracks observed at the previous update;
 *     cascadeRounds says why);
 *  4. pass 2 (ByteTrack): still-unmatched confirmed tracks x low-score detections, motion only;
 *  5. pass 3 (OC-SORT recovery): still-unmatched confirmed tracks x leftover high-score detections
 *     by IoU with the track's last observed box;
 *  6. pass 4: tentative tracks x remaining high-score detections;
 *  7. pass 5: re-identification: unmatched confirmed tracks and the gallery x remaining detections
 *     with embeddings, by appearance alone (reidMaxCosineDistance);
 *  8. births from remaining detections above newTrackThreshold; tentative tracks that missed die.
 * Every pass is gated by physical plausibility since the track was last observed (plausibility.ts,
 * whose reach is capped however long the gap). `step` runs these in order, one function per pass.
 * A track matched after missed samples is re-updated along a straight path from its last
 * observation (OC-SORT's observation-centric re-update) when observationReupdate is on.
 *
 * Ids come from an injected counter and time from the caller (video seconds), so replay and live
 * behave the same and tests are deterministic.
 */
import { MisuseError } from '../core/errors.js';
import type { Detections } from '../core/detections.js';
import { assign } from './assignment.js';
import { costMatrix, type CostMatrix } from './cost.js';
import { cosineDistance, l2normalise, motionDistance, type DetectionView, type Distance, type TrackView } from './distances.js';
import { boxAt, cxcywhToXyxy, iou, xyxyToCxcywh, type Xyxy } from './geometry.js';
import { createIdCounter, type IdSource } from './ids.js';
import { gateParams, initiate, separateGate, predict, project, update as kalmanUpdate, type Cxcywh, type Gaussian, type KalmanParams } from './kalman.js';
import { EMBEDDING_REASONS, planEmbeddings, reachableColumns, wholeCrops, type EmbeddingPlan, type EmbeddingReason } from './embedding-policy.js';
import { DEFAULT_TRACKER_OPTIONS, type TrackerOptions } from './options.js';
import { fusedCost, motionCost, recoveryCost, reidCost, type PassInputs } from './passes.js';
import { plausibility, type ToFloor } from './plausibility.js';
import type { TrackOutput, TrackState } from './track.js';

/**
 * Computes embeddings for the given detection indices (of the detections passed to `update`),
 * in the same order. Returned vectors need not be normalised.
 */
export interface EmbedFn {
  (detectionIndices: readonly number[]): Promise<readonly Float32Array[]> | readonly Float32Array[];
  /**
   * The picture the crops come from (source pixels). With it, a track whose motion carried it out
   * of the picture is not kept for re-identification: it left (see retireAndPredict).
   */
  readonly picture?: Picture;
}

export interface Picture {
  readonly width: number;
  readonly height: number;
}

export interface TrackerDeps {
  readonly nextId?: IdSource;
  /** Motion distance plug-in; default `motionDistance(options.motionGateChi2)`. */
  readonly motion?: Distance;
  /** Appearance distance plug-in; default cosine. */
  readonly appearance?: Distance;
  /** Camera floor homography (foot point to metres): the plausibility gate then bounds metres. */
  readonly toFloor?: ToFloor;
  /** Told of every match as it is made (diagnostics: agent/bench/tracker-switches.ts); must not throw. */
  readonly onMatch?: (m: MatchTrace) => void;
}

/** One association, for diagnostics: which pass made it, at what cost, after how many missed samples. */
export interface MatchTrace {
  readonly timeSec: number;
  /** 'overlap': the cascade's first round (motion_rule cascade), where only overlapping pairs compete; 'high': pass 1 otherwise. */
  readonly pass: 'overlap' | 'high' | 'low' | 'recovery' | 'tentative' | 'reid';
  readonly trackId: number;
  /** Index of the detection in the update's input. */
  readonly detectionIndex: number;
  readonly cost: number;
  /** Sampled updates the track had missed before this match. */
  readonly missed: number;
}

export interface TrackerUpdate {
  /** Confirmed, alive tracks sorted by id (coasting ones have matched = false). */
  readonly tracks: readonly TrackOutput[];
  /** Embeddings computed in this update, and candidate detections that did without one. */
  readonly embeddingsComputed: number;
  readonly embeddingsSkipped: number;
}

export interface TrackerStats {
  readonly updates: number;
  readonly tracksStarted: number;
  readonly reidentified: number;
  /** Matches made by the observation-centric recovery pass. */
  readonly recovered: number;
  readonly embeddingsComputed: number;
  readonly embeddingsSkipped: number;
  /** Embeddings computed under the decisive policy, by the reason each was asked for (embedding-policy.ts). */
  readonly embeddingReasons: Readonly<Record<EmbeddingReason, number>>;
}

export interface Tracker {
  update(detections: Detections, timeSec: number, embed?: EmbedFn): Promise<TrackerUpdate>;
  stats(): TrackerStats;
  readonly options: TrackerOptions;
}

interface DetCandidate extends DetectionView {
  /** Index into the update's detections. */
  readonly index: number;
  readonly high: boolean;
  /** Its crop is whole (embedding-policy.ts wholeCrops); set only under tracker.embedding_whole_crops. */
  readonly whole?: boolean;
}

/** What a tracker is built with and never changes. */
interface TrackerContext {
  readonly options: TrackerOptions;
  readonly kp: KalmanParams;
  readonly motion: Distance;
  readonly appearance: Distance;
  readonly toFloor: ToFloor | undefined;
  readonly nextId: IdSource;
  readonly onMatch: ((m: MatchTrace) => void) | undefined;
}

/** What a tracker keeps between updates. */
interface TrackerBook {
  active: TrackState[];
  /** Confirmed tracks retired from motion matching, waiting for re-identification. */
  gallery: TrackState[];
  /** Video time of the previous update (null before the first): the sampling interval, for the exit rule. */
  lastUpdateSec: number | null;
  readonly stats: { -readonly [K in Exclude<keyof TrackerStats, 'embeddingReasons'>]: TrackerStats[K] } & { embeddingReasons: Record<EmbeddingReason, number> };
}

/** One update's matching so far: the detection matched to each active track, and the detections used. */
interface Matching {
  readonly trackMatched: Int32Array;
  readonly detUsed: Uint8Array;
  /** The pass that matched each active track and its cost there (for MatchTrace). */
  readonly passOf: Array<MatchTrace['pass'] | undefined>;
  readonly costOf: Float64Array;
}

export function createTracker(options: TrackerOptions = DEFAULT_TRACKER_OPTIONS, deps: TrackerDeps = {}): Tracker {
  const ctx: TrackerContext = {
    options,
    kp: options.kalman,
    motion: deps.motion ?? motionDistance(options.motionGateChi2, options.motionRule),
    appearance: deps.appearance ?? cosineDistance,
    toFloor: deps.toFloor,
    nextId: deps.nextId ?? createIdCounter(),
    onMatch: deps.onMatch,
  };
  const book: TrackerBook = {
    active: [],
    gallery: [],
    lastUpdateSec: null,
    stats: {
      updates: 0,
      tracksStarted: 0,
      reidentified: 0,
      recovered: 0,
      embeddingsComputed: 0,
      embeddingsSkipped: 0,
      embeddingReasons: Object.fromEntries(EMBEDDING_REASONS.map((r) => [r, 0])) as Record<EmbeddingReason, number>,
    },
  };
  let lastTime = -Infinity;
  let busy = false;

  async function update(detections: Detections, timeSec: number, embed?: EmbedFn): Promise<TrackerUpdate> {
    if (busy) throw new MisuseError('FS_BAD_ARGUMENT', 'tracker.update: called again before the previous update finished; await each update');
    if (!Number.isFinite(timeSec) || timeSec < lastTime) {
      throw new MisuseError('FS_BAD_ARGUMENT', `tracker.update: timeSec must be finite and not go backwards (previous ${lastTime}, got ${timeSec})`);
    }
    busy = true;
    try {
      lastTime = timeSec;
      return await step(ctx, book, detections, timeSec, embed);
    } finally {
      busy = false;
    }
  }

  return { update, stats: () => ({ ...book.stats, embeddingReasons: { ...book.stats.embeddingReasons } }), options };
}

/** One update, in the order the module comment lists. */
async function step(ctx: TrackerContext, book: TrackerBook, detections: Detections, t: number, embed?: EmbedFn): Promise<TrackerUpdate> {
  const { options } = ctx;
  book.stats.updates++;
  retireAndPredict(ctx, book, t, embed?.picture);
  book.lastUpdateSec = t;

  const cands = withWholeness(candidatesOf(detections, options), options, embed?.picture);
  const highIdx = cands.flatMap((c, k) => (c.high ? [k] : []));
  const lowIdx = cands.flatMap((c, k) => (c.high ? [] : [k]));
  const tracks = book.active.map((tr) => viewOf(tr, ctx.kp));
  const motion = ctx.motion(tracks, cands);
  const cascade = options.motionRule === 'cascade' ? cascadeRounds(book.active, tracks, cands, motion) : null;
  const base = { tracks, motion, plausible: plausibleFor(ctx, book.active, cands, t) };
  const { dets, computed, skipped } = await withEmbeddings(ctx, book, cands, base, highIdx, t, embed);
  book.stats.embeddingsComputed += computed;
  book.stats.embeddingsSkipped += skipped;

  const n = book.active.length;
  const m: Matching = { trackMatched: new Int32Array(n).fill(-1), detUsed: new Uint8Array(dets.length), passOf: new Array(n), costOf: new Float64Array(n) };
  const p: PassInputs = { ...base, dets };
  const confirmed = range(book.active.length).filter((i) => book.active[i]!.status === 'confirmed');
  const tentative = range(book.active.length).filter((i) => book.active[i]!.status === 'tentative');
  if (cascade) {
    // Every overlap, a newcomer's included, is settled before any reach by Mahalanobis alone.
    const overlapOnly: PassInputs = { ...p, motion: cascade };
    highScorePass(ctx, overlapOnly, m, confirmed, highIdx, 'overlap');
    tentativePass(ctx, overlapOnly, m, tentative, freeOf(m, highIdx));
  }
  highScorePass(ctx, p, m, unmatchedOf(m, confirmed), freeOf(m, highIdx));
  lowScorePass(ctx, p, m, unmatchedOf(m, confirmed), lowIdx);
  if (options.observationRecovery) book.stats.recovered += recoveryPass(ctx, book, p, m, unmatchedOf(m, confirmed), freeOf(m, highIdx));
  tentativePass(ctx, p, m, unmatchedOf(m, tentative), freeOf(m, highIdx));
  book.active.forEach((tr, i) => {
    const k = m.trackMatched[i]!;
    if (k < 0) {
      tr.missedSec.push(t);
      return;
    }
    ctx.onMatch?.({ timeSec: t, pass: m.passOf[i]!, trackId: tr.id, detectionIndex: dets[k]!.index, cost: m.costOf[i]!, missed: tr.missedSec.length });
    observe(tr, dets[k]!, t, options);
  });

  const lost = unmatchedOf(m, confirmed).map((i) => book.active[i]!);
  const revived = reidentifyPass(ctx, book, lost, dets, freeOf(m, highIdx), m.detUsed, t);

  // Tentative tracks must match at every update until confirmed.
  book.active = [...book.active.filter((tr, i) => tr.status === 'confirmed' || m.trackMatched[i]! >= 0), ...revived];
  for (const k of freeOf(m, highIdx)) if (dets[k]!.score >= options.newTrackThreshold) book.active.push(birthOf(ctx, book, dets[k]!, t));

  return { tracks: outputs(book.active, t, options.appearance), embeddingsComputed: computed, embeddingsSkipped: skipped };
}

/**
 * Retire tracks unmatched past max age (confirmed ones with an appearance go to the re-id gallery
 * unless their motion carried them out of the picture), forget gallery tracks past the re-id
 * window, and predict the rest to now.
 */
function retireAndPredict(ctx: TrackerContext, book: TrackerBook, t: number, picture: Picture | undefined): void {
  const { options, kp } = ctx;
  const keep: TrackState[] = [];
  for (const tr of book.active) {
    if (t - tr.lastSeenSec <= options.maxAgeSec) {
      keep.push(tr);
      continue;
    }
    // One who walked out is neither kept coasting for max_age_updates (at 1 fps that is 10 s, in
    // which the re-identification pass joined a newcomer to them in the indoor labelled clip) nor
    // kept for re-identification. It is judged where its motion has carried it by the first sample
    // past max_age_s (the one that missed it), not at max_age_s itself: at 1 fps the indoor clip's
    // labelled person 3 was last sampled with her centre 153 px inside, walking out at 141 px/s;
    // judged one second on, her centre stayed 12 px inside, and a newcomer 6 or 24 s later was
    // joined to her at appearance distance 0.394-0.398 under the 0.4 gate (IDF1 .960 -> .794 in
    // agent/bench/reid-replay.ts whenever her gallery held slightly other crops). The horizon
    // stops there: extrapolated over the whole time unseen, anyone occluded mid-walk would in time
    // be carried out (the 1 fps street loop's tracks went from 107 to 262).
    const interval = book.lastUpdateSec === null ? 0 : t - book.lastUpdateSec;
    const left = leftPicture(tr, Math.max(options.maxAgeSec, Math.min(t - tr.lastSeenSec, options.maxAgeSec + interval)), picture);
    if (tr.missedSec.length < options.maxAgeUpdates && !left) keep.push(tr);
    else if (tr.status === 'confirmed' && tr.embedding && options.reidWindowSec > options.maxAgeSec && !left) book.gallery.push(tr);
  }
  book.active = keep;
  book.gallery = book.gallery.filter((tr) => t - tr.lastSeenSec <= options.reidWindowSec);
  for (const tr of book.active) {
    if (separateGate(kp))
      tr.gateCovariance = predict({ mean: tr.gaussian.mean, covariance: tr.gateCovariance }, t - tr.stateTimeSec, gateParams(kp)).covariance;
    tr.gaussian = predict(tr.gaussian, t - tr.stateTimeSec, kp);
    tr.stateTimeSec = t;
  }
}

/** Plausibility ratio of tracks (by their last observation) to detections. */
function plausibleFor(ctx: TrackerContext, tracks: readonly TrackState[], dets: readonly DetectionView[], t: number): CostMatrix {
  return plausibility(
    tracks.map((tr) => ({ box: tr.lastBox, timeSec: tr.lastSeenSec })),
    dets,
    t,
    ctx.options.plausibility,
    ctx.toFloor,
  );
}

/** Embeddings for the detections the policy picks (all high-score ones, or only decisive ones). */
async function withEmbeddings(
  ctx: TrackerContext,
  book: TrackerBook,
  cands: DetCandidate[],
  p: Omit<PassInputs, 'dets'>,
  highIdx: number[],
  t: number,
  embed?: EmbedFn,
): Promise<{ dets: DetCandidate[]; computed: number; skipped: number }> {
  if (!ctx.options.appearance || !embed || highIdx.length === 0) return { dets: cands, computed: 0, skipped: 0 };
  let need = highIdx;
  if (ctx.options.embeddingPolicy !== 'all') {
    const plan = decisiveEmbeddings(ctx, book, cands, p, highIdx, t);
    need = plan.columns.map((k) => highIdx[k]!);
    for (const why of plan.reasons) book.stats.embeddingReasons[why]++;
  }
  if (need.length === 0) return { dets: cands, computed: 0, skipped: highIdx.length };
  const vectors = await embed(need.map((k) => cands[k]!.index));
  if (vectors.length !== need.length) {
    throw new MisuseError('FS_BAD_ARGUMENT', `tracker.update: embed returned ${vectors.length} vectors for ${need.length} detections`);
  }
  const byCand = new Map(need.map((k, n) => [k, l2normalise(Float32Array.from(vectors[n]!))]));
  return {
    dets: cands.map((c, k) => (byCand.has(k) ? { ...c, embedding: byCand.get(k)! } : c)),
    computed: need.length,
    skipped: highIdx.length - need.length,
  };
}

/** The decisive policy's inputs for this update (see planEmbeddings); its columns index highIdx. */
function decisiveEmbeddings(
  ctx: TrackerContext,
  book: TrackerBook,
  cands: DetCandidate[],
  p: Omit<PassInputs, 'dets'>,
  highIdx: number[],
  t: number,
): EmbeddingPlan {
  const { options } = ctx;
  const gatedMotion = motionCost({ ...p, dets: cands }, range(book.active.length), highIdx, options.matchMaxCost);
  // Re-id can only take a detection no track reaches by motion, for a lost track that has an
  // appearance and holds the detection inside its plausibility gate.
  const unreachable = book.active.filter((tr, i) => tr.status === 'confirmed' && !rowHasFinite(gatedMotion, i));
  const lost = [...book.gallery, ...unreachable].filter((tr) => tr.embedding !== null);
  const w = options.appearanceWeight;
  return planEmbeddings({
    gatedMotion,
    trackHasEmbedding: book.active.map((tr) => tr.embedding !== null),
    // Until it holds embedding_first_crops crops, a track's appearance is refreshed at every match.
    trackNeedsRefresh: book.active.map(
      (tr) => tr.embedding === null || tr.embeddingCrops < options.embeddingFirstCrops || t - tr.embeddingTimeSec >= options.embeddingRefreshSec,
    ),
    // Not with embedding_defer_tentative, whose point is that a track dying after two sightings never pays.
    ...(options.embeddingAtBirth && !options.embeddingDeferTentative ? { birth: highIdx.map((k) => cands[k]!.score >= options.newTrackThreshold) } : {}),
    ...(options.embeddingWholeCrops
      ? {
          detectionWhole: highIdx.map((k) => cands[k]!.whole !== false),
          trackLacksWhole: book.active.map((tr) => tr.embedding !== null && !tr.embeddingWhole),
        }
      : {}),
    ...(options.embeddingDeferTentative ? { trackTentative: book.active.map((tr) => tr.status === 'tentative') } : {}),
    // The same overlap test as cascadeRounds, on the same predicted boxes.
    ...(options.motionRule === 'cascade' && options.embeddingContest !== 'pairs'
      ? {
          overlaps: overlapPairs(
            p.tracks,
            highIdx.map((k) => cands[k]!),
          ),
          contest: options.embeddingContest,
        }
      : {}),
    reidReachable: reachableColumns(
      plausibleFor(
        ctx,
        lost,
        highIdx.map((k) => cands[k]!),
        t,
      ),
    ),
    margin: w >= 1 ? Infinity : (w * options.maxCosineDistance) / (1 - w),
  });
}

/**
 * The 'cascade' motion rule (distances.ts). In a crowd a track whose own detection is missed
 * still reaches its neighbours' detections through the Mahalanobis gate, and in one assignment
 * such a pair can cost less than a neighbour's overlap with its own track: on the simulator's
 * standing queue at 2.5-5 fps that stole identities between people 0.2-1.2 body heights apart
 * (agent/bench/tracker-switches.ts). So overlaps are settled first; the returned matrix keeps only
 * the overlapping pairs (1 - IoU) for that round, and the non-overlapping pairs are left in
 * `motion` (changed in place) for a second round over what is left. A track that missed the
 * previous update keeps no non-overlapping pairs at all: its prediction has spread over its
 * neighbours, so motion cannot tell them apart; overlap with the prediction, OC-SORT's recovery by
 * the last observed box, or appearance (the re-identification pass) bring it back.
 */
function cascadeRounds(active: readonly TrackState[], tracks: readonly TrackView[], cands: readonly DetCandidate[], motion: CostMatrix): CostMatrix {
  const overlapOnly = costMatrix(motion.rows, motion.cols);
  for (let i = 0; i < motion.rows; i++) {
    const coasting = active[i]!.missedSec.length > 0;
    for (let j = 0; j < motion.cols; j++) {
      const k = i * motion.cols + j;
      const overlaps = boxesOverlap(tracks[i]!.box, cands[j]!.box);
      overlapOnly.data[k] = overlaps ? motion.data[k]! : Infinity;
      if (!overlaps && coasting) motion.data[k] = Infinity;
    }
  }
  return overlapOnly;
}

/** Assign rows (active track indices) to cols (candidate indices) and record the matches; returns how many. */
function commit(m: Matching, pass: MatchTrace['pass'], rows: readonly number[], cols: readonly number[], cost: CostMatrix, maxCost: number): number {
  const { matches } = assign(cost, maxCost);
  for (const [i, j] of matches) {
    m.trackMatched[rows[i]!] = cols[j]!;
    m.detUsed[cols[j]!] = 1;
    m.passOf[rows[i]!] = pass;
    m.costOf[rows[i]!] = cost.data[i * cost.cols + j]!;
  }
  return matches.length;
}

const unmatchedOf = (m: Matching, rows: readonly number[]): number[] => rows.filter((i) => m.trackMatched[i]! < 0);
const freeOf = (m: Matching, cols: readonly number[]): number[] => cols.filter((k) => !m.detUsed[k]);

/** Pass 1: confirmed tracks x high-score detections, motion fused with appearance (named 'overlap' for the cascade's first round). */
function highScorePass(ctx: TrackerContext, p: PassInputs, m: Matching, confirmed: number[], highIdx: number[], pass: 'overlap' | 'high' = 'high'): void {
  const { options } = ctx;
  commit(m, pass, confirmed, highIdx, fusedCost(p, confirmed, highIdx, options.matchMaxCost, options, ctx.appearance), options.matchMaxCost);
}

/** Pass 2 (ByteTrack): confirmed tracks still unmatched x low-score detections, motion only, stricter. */
function lowScorePass(ctx: TrackerContext, p: PassInputs, m: Matching, rest: number[], lowIdx: number[]): void {
  commit(m, 'low', rest, lowIdx, motionCost(p, rest, lowIdx, ctx.options.lowMatchMaxCost), ctx.options.lowMatchMaxCost);
}

/** Pass 3 (OC-SORT recovery): still-unmatched confirmed tracks by IoU of their LAST OBSERVED box with leftover high-score detections. */
function recoveryPass(ctx: TrackerContext, book: TrackerBook, p: PassInputs, m: Matching, lost: number[], highLeft: number[]): number {
  const max = ctx.options.observationRecoveryMaxCost;
  const lastSeen = book.active.map((tr): TrackView => ({ box: tr.lastBox, projected: project(tr.gaussian, ctx.kp), embedding: tr.embedding }));
  return commit(m, 'recovery', lost, highLeft, recoveryCost(p, lastSeen, lost, highLeft, max), max);
}

/** Pass 4: tentative tracks x remaining high-score detections (they must match every update until confirmed). */
function tentativePass(ctx: TrackerContext, p: PassInputs, m: Matching, tentative: number[], highLeft: number[]): void {
  const { options } = ctx;
  commit(m, 'tentative', tentative, highLeft, fusedCost(p, tentative, highLeft, options.matchMaxCost, options, ctx.appearance), options.matchMaxCost);
}

/**
 * Pass 5, re-identification: free detections that carry an embedding x lost tracks (unmatched
 * confirmed ones and the gallery) by appearance alone, inside the plausibility gate. Marks the
 * detections used; returns the gallery tracks brought back (coasting ones are still active).
 */
function reidentifyPass(
  ctx: TrackerContext,
  book: TrackerBook,
  lostActive: readonly TrackState[],
  dets: readonly DetCandidate[],
  freeIdx: readonly number[],
  detUsed: Uint8Array,
  t: number,
): TrackState[] {
  const { options, kp } = ctx;
  const rows = [...lostActive, ...book.gallery].filter((tr) => tr.embedding !== null);
  const cols = freeIdx.filter((k) => dets[k]!.embedding !== null);
  if (!options.appearance || rows.length === 0 || cols.length === 0) return [];
  const colDets = cols.map((k) => dets[k]!);
  const cost = reidCost(
    rows.map((tr) => viewOf(tr, kp)),
    colDets,
    plausibleFor(ctx, rows, colDets, t),
    options.reidMaxCosineDistance,
    ctx.appearance,
  );
  const revived: TrackState[] = [];
  for (const [i, j] of assign(cost, options.reidMaxCosineDistance).matches) {
    const tr = rows[i]!;
    const d = dets[cols[j]!]!;
    detUsed[cols[j]!] = 1;
    ctx.onMatch?.({
      timeSec: t,
      pass: 'reid',
      trackId: tr.id,
      detectionIndex: d.index,
      cost: cost.data[i * cost.cols + j]!,
      missed: tr.missedSec.filter((x) => x < t).length,
    });
    // Where it was lost says nothing about where it is now: restart the motion model here.
    tr.gaussian = initiate(d.cxcywh, kp);
    tr.gateCovariance = tr.gaussian.covariance;
    tr.missedSec = [];
    tr.stateTimeSec = t;
    observe(tr, d, t, options);
    tr.status = 'confirmed';
    book.stats.reidentified++;
    if (book.gallery.includes(tr)) revived.push(tr);
  }
  book.gallery = book.gallery.filter((tr) => !revived.includes(tr));
  return revived;
}

function birthOf(ctx: TrackerContext, book: TrackerBook, d: DetCandidate, t: number): TrackState {
  book.stats.tracksStarted++;
  // At the very first update there is no history to confirm against (ByteTrack and SORT
  // confirm these at once too); waiting would drop every person already in view.
  return newTrack(d, t, ctx.nextId(), ctx.options.minHits <= 1 || book.stats.updates === 1, ctx.kp);
}

/** Fold a matched detection into its track (re-update after missed samples when enabled). */
function observe(tr: TrackState, d: DetCandidate, t: number, options: TrackerOptions): void {
  const kp = options.kalman;
  // The gate's covariance takes the plain update (no re-update path): a little wider, never narrower.
  if (separateGate(kp)) tr.gateCovariance = kalmanUpdate({ mean: tr.gaussian.mean, covariance: tr.gateCovariance }, d.cxcywh, gateParams(kp)).covariance;
  tr.gaussian =
    options.observationReupdate && tr.missedSec.length > 0
      ? reupdate(tr.observedGaussian, tr.lastSeenSec, tr.lastBox, tr.missedSec, d.cxcywh, t, kp)
      : kalmanUpdate(tr.gaussian, d.cxcywh, kp);
  tr.observedGaussian = tr.gaussian;
  tr.missedSec = [];
  tr.stateTimeSec = t;
  tr.hits++;
  tr.prevBox = tr.lastBox;
  tr.prevSeenSec = tr.lastSeenSec;
  tr.lastSeenSec = t;
  tr.score = d.score;
  tr.lastBox = d.box;
  tr.lastDetectionIndex = d.index;
  if (d.embedding) takeCrop(tr, d.embedding, d.whole !== false, t, options);
  if (tr.status === 'tentative' && tr.hits >= options.minHits) tr.status = 'confirmed';
}

/** A new track from an unmatched detection. */
function newTrack(d: DetCandidate, t: number, id: number, confirmed: boolean, kp: KalmanParams): TrackState {
  const gaussian = initiate(d.cxcywh, kp);
  return {
    id,
    status: confirmed ? 'confirmed' : 'tentative',
    gaussian,
    gateCovariance: gaussian.covariance,
    observedGaussian: gaussian,
    missedSec: [],
    stateTimeSec: t,
    hits: 1,
    firstSeenSec: t,
    lastSeenSec: t,
    score: d.score,
    lastBox: d.box,
    prevBox: null,
    prevSeenSec: t,
    lastDetectionIndex: d.index,
    embedding: d.embedding ? d.embedding.slice() : null,
    embeddingTimeSec: t,
    embeddingHits: 1,
    embeddingCrops: d.embedding ? 1 : 0,
    embeddingWhole: d.embedding !== null && d.whole !== false,
  };
}

/**
 * Whether the track's own motion carried it out of the picture: its box centre, moved on from the
 * last observation for `horizonSec` (retireAndPredict: the time it has been unseen, at least
 * max_age_s) at the velocity between its last two observations, is outside. Observed rather than filtered velocity (OC-SORT's argument):
 * at 1 fps a person who stood and then walked out in two steps leaves the Kalman velocity far
 * behind. Such a person walked out of view; re-identifying them later by appearance alone joined
 * four different people in the indoor labelled clip (each left at the right edge; the next came in
 * from the bottom 4.5-30 s later at cosine distance 0.23-0.38). Whoever comes in later is a new
 * track here, and the scene stitcher decides whether it is the same person. A person standing at
 * the border (a shopper close to the camera, cut by the lower edge) has no outward velocity and
 * stays re-identifiable.
 */
export function leftPicture(
  tr: Pick<TrackState, 'lastBox' | 'lastSeenSec' | 'prevBox' | 'prevSeenSec'>,
  horizonSec: number,
  picture: Picture | undefined,
): boolean {
  const dt = tr.lastSeenSec - tr.prevSeenSec;
  if (!picture || !tr.prevBox || !(dt > 0)) return false;
  const [x, y] = xyxyToCxcywh(tr.lastBox);
  const [px, py] = xyxyToCxcywh(tr.prevBox);
  const cx = x + ((x - px) / dt) * horizonSec;
  const cy = y + ((y - py) / dt) * horizonSec;
  return !(cx >= 0 && cx <= picture.width && cy >= 0 && cy <= picture.height);
}

/** A track as the distances see it: the predicted box, and the gate's distribution about it (the manoeuvre noise's covariance). */
function viewOf(tr: TrackState, kp: KalmanParams): TrackView {
  // Without a manoeuvre noise above the filter's, the gate is the filter's own covariance (re-update
  // included), and gateCovariance is not kept up (retireAndPredict, observe).
  const covariance = separateGate(kp) ? tr.gateCovariance : tr.gaussian.covariance;
  return { box: cxcywhToXyxy(tr.gaussian.mean), projected: project({ mean: tr.gaussian.mean, covariance }, kp), embedding: tr.embedding };
}

/** Confirmed, alive tracks as reported, sorted by id. */
function outputs(active: readonly TrackState[], t: number, appearance: boolean): TrackOutput[] {
  return active
    .filter((tr) => tr.status === 'confirmed')
    .map((tr): TrackOutput => {
      const matched = tr.lastSeenSec === t;
      return {
        id: tr.id,
        box: cxcywhToXyxy(tr.gaussian.mean),
        score: tr.score,
        matched,
        detectionIndex: matched ? tr.lastDetectionIndex : -1,
        ageSec: t - tr.firstSeenSec,
        ...(appearance && tr.embedding ? { embedding: tr.embedding } : {}),
      };
    })
    .sort((a, b) => a.id - b.id);
}

/**
 * OC-SORT's observation-centric re-update: instead of the state that coasted through missed
 * samples, start again from the state at the last observation and filter along a straight path
 * from that observation to the new one (one virtual observation per missed sample), then the real
 * one. The velocity then reflects where the person actually went, not the drift.
 */
export function reupdate(
  observed: Gaussian,
  observedSec: number,
  observedBox: readonly [number, number, number, number],
  missedSec: readonly number[],
  z: Cxcywh,
  t: number,
  kp: KalmanParams,
): Gaussian {
  const z0 = xyxyToCxcywh(observedBox);
  const span = t - observedSec;
  let g = observed;
  let at = observedSec;
  for (const tau of missedSec) {
    if (!(tau > at && tau < t) || !(span > 0)) continue;
    const f = (tau - observedSec) / span;
    const v: Cxcywh = [z0[0] + (z[0] - z0[0]) * f, z0[1] + (z[1] - z0[1]) * f, z0[2] + (z[2] - z0[2]) * f, z0[3] + (z[3] - z0[3]) * f];
    g = kalmanUpdate(predict(g, tau - at, kp), v, kp);
    at = tau;
  }
  return kalmanUpdate(predict(g, t - at, kp), z, kp);
}

/** The cascade's first-round test: the track's predicted box and the detection's overlap (cascadeRounds, overlapPairs). */
function boxesOverlap(a: Xyxy, b: Xyxy): boolean {
  return iou(a, b) > 0;
}

/** Tracks x detections, 1 where the boxes overlap (the cascade's first round; cascadeRounds). */
function overlapPairs(tracks: readonly TrackView[], dets: readonly DetCandidate[]): Uint8Array {
  const out = new Uint8Array(tracks.length * dets.length);
  for (let i = 0; i < tracks.length; i++) for (let j = 0; j < dets.length; j++) out[i * dets.length + j] = boxesOverlap(tracks[i]!.box, dets[j]!.box) ? 1 : 0;
  return out;
}

function rowHasFinite(m: CostMatrix, row: number): boolean {
  for (let j = 0; j < m.cols; j++) if (Number.isFinite(m.data[row * m.cols + j]!)) return true;
  return false;
}

function candidatesOf(d: Detections, o: TrackerOptions): DetCandidate[] {
  const out: DetCandidate[] = [];
  for (let i = 0; i < d.length; i++) {
    const score = d.score[i]!;
    const box = boxAt(d.xyxy, i);
    if (score < o.lowThreshold || !(box[2] > box[0]) || !(box[3] > box[1])) continue;
    out.push({ index: i, box, cxcywh: xyxyToCxcywh(box), score, embedding: null, high: score >= o.highThreshold });
  }
  return out;
}

/**
 * A matched detection's embedding into the track's appearance. Under tracker.embedding_whole_crops
 * the first whole crop replaces an appearance made of cut or overlapped ones (the person entering
 * half in view), and once the appearance holds a whole crop, cut or overlapped ones stay out of it.
 * Under tracker.embedding_ema_per_observation the old appearance keeps ema^k for the k matches
 * since its last crop, as if each match in between had brought a crop like this one: embedding
 * every match (policy all) is then unchanged, and the decisive policy's sparse crops move the
 * appearance at the same pace per observation instead of ema per crop (at one crop per 5 s, 0.9
 * per crop keeps a first crop's weight above 0.5 for half a minute).
 */
function takeCrop(tr: TrackState, fresh: Float32Array, whole: boolean, t: number, options: TrackerOptions): void {
  const quality = options.embeddingWholeCrops;
  if (!tr.embedding || (quality && whole && !tr.embeddingWhole)) {
    tr.embedding = fresh.slice();
    tr.embeddingWhole = whole;
  } else if (!quality || whole || !tr.embeddingWhole) {
    const k = options.embeddingEmaPerObservation ? Math.max(1, tr.hits - tr.embeddingHits) : 1;
    tr.embedding = blend(tr.embedding, fresh, options.embeddingEma ** k);
  } else return;
  tr.embeddingTimeSec = t;
  tr.embeddingHits = tr.hits;
  tr.embeddingCrops++;
}

/** Under tracker.embedding_whole_crops, each candidate marked whole or not (embedding-policy.ts wholeCrops). */
function withWholeness(cands: DetCandidate[], o: TrackerOptions, picture: Picture | undefined): DetCandidate[] {
  if (!o.embeddingWholeCrops || !o.appearance) return cands;
  const whole = wholeCrops(
    cands.map((c) => c.box),
    picture,
  );
  return cands.map((c, k) => ({ ...c, whole: whole[k]! }));
}

/** EMA of unit vectors, renormalised. */
function blend(old: Float32Array, fresh: Float32Array, momentum: number): Float32Array {
  const out = new Float32Array(old.length);
  for (let k = 0; k < old.length; k++) out[k] = momentum * old[k]! + (1 - momentum) * fresh[k]!;
  return l2normalise(out);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
