/**
 * The multi-object tracker (StrongSORT class, built for 1-2 fps CCTV as well as full frame rate).
 *
 * Per update, in video time:
 *  1. retire tracks unmatched for more than maxAgeSec (confirmed ones with an embedding wait in a
 *     re-id gallery until reidWindowSec after they were last seen), predict the rest to now;
 *  2. decide which detections need an appearance embedding (`planEmbeddings`) and ask for those only;
 *  3. pass 1: confirmed tracks x high-score detections, motion cost fused with appearance;
 *  4. pass 2 (ByteTrack): still-unmatched confirmed tracks x low-score detections, motion only;
 *  5. pass 3 (OC-SORT recovery): still-unmatched confirmed tracks x leftover high-score detections
 *     by IoU with the track's last observed box;
 *  6. pass 4: tentative tracks x remaining high-score detections;
 *  7. pass 5: re-identification: unmatched confirmed tracks and the gallery x remaining detections
 *     with embeddings, by appearance alone;
 *  8. births from remaining detections above newTrackThreshold; tentative tracks that missed die.
 * Every pass is gated by physical plausibility since the track was last observed (plausibility.ts).
 * A track matched after missed samples is re-updated along a straight path from its last
 * observation (OC-SORT's observation-centric re-update) when observationReupdate is on.
 *
 * Ids come from an injected counter and time from the caller (video seconds), so replay and live
 * behave the same and tests are deterministic.
 */
import { MisuseError } from '../core/errors.js';
import type { Detections } from '../core/detections.js';
import { assign } from './assignment.js';
import type { CostMatrix } from './cost.js';
import { cosineDistance, l2normalise, motionDistance, type DetectionView, type Distance, type TrackView } from './distances.js';
import { boxAt, cxcywhToXyxy, xyxyToCxcywh } from './geometry.js';
import { createIdCounter, type IdSource } from './ids.js';
import { initiate, predict, project, update as kalmanUpdate, type Cxcywh, type Gaussian, type KalmanParams } from './kalman.js';
import { planEmbeddings } from './embedding-policy.js';
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
}

export function createTracker(options: TrackerOptions = DEFAULT_TRACKER_OPTIONS, deps: TrackerDeps = {}): Tracker {
  const nextId = deps.nextId ?? createIdCounter();
  const motion = deps.motion ?? motionDistance(options.motionGateChi2, options.motionRule);
  const appearanceDistance = deps.appearance ?? cosineDistance;
  const kp = options.kalman;
  let active: TrackState[] = [];
  let gallery: TrackState[] = [];
  let lastTime = -Infinity;
  let busy = false;
  const stats = { updates: 0, tracksStarted: 0, reidentified: 0, recovered: 0, embeddingsComputed: 0, embeddingsSkipped: 0 };

  function retireAndPredict(t: number, picture: Picture | undefined): void {
    const keep: TrackState[] = [];
    for (const tr of active) {
      if (t - tr.lastSeenSec <= options.maxAgeSec || tr.missedSec.length < options.maxAgeUpdates) keep.push(tr);
      else if (tr.status === 'confirmed' && tr.embedding && options.reidWindowSec > options.maxAgeSec && !leftPicture(tr, t, picture, kp)) gallery.push(tr);
    }
    active = keep;
    gallery = gallery.filter((tr) => t - tr.lastSeenSec <= options.reidWindowSec);
    for (const tr of active) {
      tr.gaussian = predict(tr.gaussian, t - tr.stateTimeSec, kp);
      tr.stateTimeSec = t;
    }
  }

  const plausibleFor = (tracks: readonly TrackState[], dets: readonly DetectionView[], t: number): CostMatrix =>
    plausibility(
      tracks.map((tr) => ({ box: tr.lastBox, timeSec: tr.lastSeenSec })),
      dets,
      t,
      options.plausibility,
      deps.toFloor,
    );

  /** Embeddings only where they can change a decision (see planEmbeddings). */
  async function withEmbeddings(
    cands: DetCandidate[],
    p: Omit<PassInputs, 'dets'>,
    highIdx: number[],
    t: number,
    embed?: EmbedFn,
  ): Promise<{ dets: DetCandidate[]; computed: number; skipped: number }> {
    if (!options.appearance || !embed || highIdx.length === 0) return { dets: cands, computed: 0, skipped: 0 };
    const gated = motionCost({ ...p, dets: cands }, range(active.length), highIdx, options.matchMaxCost);
    // Re-id can only matter if some track with an appearance cannot be reached by motion.
    const reidPossible =
      gallery.some((tr) => tr.embedding !== null) || active.some((tr, i) => tr.status === 'confirmed' && tr.embedding !== null && !rowHasFinite(gated, i));
    const needsRefresh = active.map((tr) => tr.embedding === null || t - tr.embeddingTimeSec >= options.embeddingRefreshSec);
    const w = options.appearanceWeight;
    const margin = w >= 1 ? Infinity : (w * options.maxCosineDistance) / (1 - w);
    const need = options.embeddingPolicy === 'all' ? highIdx : planEmbeddings(gated, needsRefresh, reidPossible, margin).map((k) => highIdx[k]!);
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

  /**
   * Match free detections that carry an embedding to lost tracks by appearance alone, inside the
   * plausibility gate. Marks the detections used; returns the gallery tracks brought back
   * (coasting ones are still active).
   */
  function reidentify(
    lostActive: readonly TrackState[],
    dets: readonly DetCandidate[],
    freeIdx: readonly number[],
    detUsed: Uint8Array,
    t: number,
  ): TrackState[] {
    const rows = [...lostActive, ...gallery].filter((tr) => tr.embedding !== null);
    const cols = freeIdx.filter((k) => dets[k]!.embedding !== null);
    if (!options.appearance || rows.length === 0 || cols.length === 0) return [];
    const colDets = cols.map((k) => dets[k]!);
    const cost = reidCost(
      rows.map((tr) => viewOf(tr, kp)),
      colDets,
      plausibleFor(rows, colDets, t),
      options.reidMaxCosineDistance,
      appearanceDistance,
    );
    const revived: TrackState[] = [];
    for (const [i, j] of assign(cost, options.reidMaxCosineDistance).matches) {
      const tr = rows[i]!;
      const d = dets[cols[j]!]!;
      detUsed[cols[j]!] = 1;
      // Where it was lost says nothing about where it is now: restart the motion model here.
      tr.gaussian = initiate(d.cxcywh, kp);
      tr.missedSec = [];
      tr.stateTimeSec = t;
      observe(tr, d, t, options);
      tr.status = 'confirmed';
      stats.reidentified++;
      if (gallery.includes(tr)) revived.push(tr);
    }
    gallery = gallery.filter((tr) => !revived.includes(tr));
    return revived;
  }

  function birthOf(d: DetCandidate, t: number): TrackState {
    stats.tracksStarted++;
    // At the very first update there is no history to confirm against (ByteTrack and SORT
    // confirm these at once too); waiting would drop every person already in view.
    return newTrack(d, t, nextId(), options.minHits <= 1 || stats.updates === 1, kp);
  }

  /** Passes 1-4 over active tracks; returns the detection matched to each track (-1 none). */
  function associate(p: PassInputs, highIdx: number[], lowIdx: number[], detUsed: Uint8Array): Int32Array {
    const trackMatched = new Int32Array(active.length).fill(-1);
    const run = (rows: number[], cols: number[], cost: CostMatrix, maxCost: number): number => {
      const { matches } = assign(cost, maxCost);
      for (const [i, j] of matches) {
        trackMatched[rows[i]!] = cols[j]!;
        detUsed[cols[j]!] = 1;
      }
      return matches.length;
    };
    const confirmed = range(active.length).filter((i) => active[i]!.status === 'confirmed');
    const tentative = range(active.length).filter((i) => active[i]!.status === 'tentative');
    const free = (idx: number[]): number[] => idx.filter((k) => !detUsed[k]);
    const unmatched = (idx: number[]): number[] => idx.filter((i) => trackMatched[i]! < 0);

    run(confirmed, highIdx, fusedCost(p, confirmed, highIdx, options.matchMaxCost, options, appearanceDistance), options.matchMaxCost);
    const rest = unmatched(confirmed);
    run(rest, lowIdx, motionCost(p, rest, lowIdx, options.lowMatchMaxCost), options.lowMatchMaxCost);
    if (options.observationRecovery) {
      const lost = unmatched(confirmed);
      const highLeft = free(highIdx);
      const lastSeen = active.map((tr): TrackView => ({ box: tr.lastBox, projected: project(tr.gaussian, kp), embedding: tr.embedding }));
      stats.recovered += run(lost, highLeft, recoveryCost(p, lastSeen, lost, highLeft, options.observationRecoveryMaxCost), options.observationRecoveryMaxCost);
    }
    const highLeft = free(highIdx);
    run(tentative, highLeft, fusedCost(p, tentative, highLeft, options.matchMaxCost, options, appearanceDistance), options.matchMaxCost);
    return trackMatched;
  }

  async function update(detections: Detections, timeSec: number, embed?: EmbedFn): Promise<TrackerUpdate> {
    if (busy) throw new MisuseError('FS_BAD_ARGUMENT', 'tracker.update: called again before the previous update finished; await each update');
    if (!Number.isFinite(timeSec) || timeSec < lastTime) {
      throw new MisuseError('FS_BAD_ARGUMENT', `tracker.update: timeSec must be finite and not go backwards (previous ${lastTime}, got ${timeSec})`);
    }
    busy = true;
    try {
      const t = timeSec;
      lastTime = t;
      stats.updates++;
      retireAndPredict(t, embed?.picture);

      const cands = candidatesOf(detections, options);
      const highIdx = cands.flatMap((c, k) => (c.high ? [k] : []));
      const lowIdx = cands.flatMap((c, k) => (c.high ? [] : [k]));
      const tracks = active.map((tr) => viewOf(tr, kp));
      const base = { tracks, motion: motion(tracks, cands), plausible: plausibleFor(active, cands, t) };
      const { dets, computed, skipped } = await withEmbeddings(cands, base, highIdx, t, embed);
      stats.embeddingsComputed += computed;
      stats.embeddingsSkipped += skipped;

      const detUsed = new Uint8Array(dets.length);
      const trackMatched = associate({ ...base, dets }, highIdx, lowIdx, detUsed);
      active.forEach((tr, i) => (trackMatched[i]! >= 0 ? observe(tr, dets[trackMatched[i]!]!, t, options) : tr.missedSec.push(t)));

      const lost = range(active.length).filter((i) => active[i]!.status === 'confirmed' && trackMatched[i]! < 0);
      const freeHigh = (): number[] => highIdx.filter((k) => !detUsed[k]);
      const revived = reidentify(
        lost.map((i) => active[i]!),
        dets,
        freeHigh(),
        detUsed,
        t,
      );

      // Tentative tracks must match at every update until confirmed.
      active = [...active.filter((tr, i) => tr.status === 'confirmed' || trackMatched[i]! >= 0), ...revived];
      for (const k of freeHigh()) if (dets[k]!.score >= options.newTrackThreshold) active.push(birthOf(dets[k]!, t));

      return { tracks: outputs(active, t, options.appearance), embeddingsComputed: computed, embeddingsSkipped: skipped };
    } finally {
      busy = false;
    }
  }

  return {
    update,
    stats: () => ({ ...stats }),
    options,
  };
}

/** Fold a matched detection into its track (re-update after missed samples when enabled). */
function observe(tr: TrackState, d: DetCandidate, t: number, options: TrackerOptions): void {
  const kp = options.kalman;
  tr.gaussian =
    options.observationReupdate && tr.missedSec.length > 0
      ? reupdate(tr.observedGaussian, tr.lastSeenSec, tr.lastBox, tr.missedSec, d.cxcywh, t, kp)
      : kalmanUpdate(tr.gaussian, d.cxcywh, kp);
  tr.observedGaussian = tr.gaussian;
  tr.missedSec = [];
  tr.stateTimeSec = t;
  tr.hits++;
  tr.lastSeenSec = t;
  tr.score = d.score;
  tr.lastBox = d.box;
  tr.lastDetectionIndex = d.index;
  if (d.embedding) {
    tr.embedding = tr.embedding ? blend(tr.embedding, d.embedding, options.embeddingEma) : d.embedding.slice();
    tr.embeddingTimeSec = t;
  }
  if (tr.status === 'tentative' && tr.hits >= options.minHits) tr.status = 'confirmed';
}

/** A new track from an unmatched detection. */
function newTrack(d: DetCandidate, t: number, id: number, confirmed: boolean, kp: KalmanParams): TrackState {
  const gaussian = initiate(d.cxcywh, kp);
  return {
    id,
    status: confirmed ? 'confirmed' : 'tentative',
    gaussian,
    observedGaussian: gaussian,
    missedSec: [],
    stateTimeSec: t,
    hits: 1,
    firstSeenSec: t,
    lastSeenSec: t,
    score: d.score,
    lastBox: d.box,
    lastDetectionIndex: d.index,
    embedding: d.embedding ? d.embedding.slice() : null,
    embeddingTimeSec: t,
  };
}

/**
 * Whether the track's own motion has carried it out of the picture by now: the centre of its
 * predicted box is outside. Such a person walked out of view; re-identifying them later by
 * appearance alone joined four different people in the indoor labelled clip (each left at the right
 * edge; the next came in from the bottom 4.5-30 s later at cosine distance 0.23-0.38). Whoever
 * comes back is a new track here, and the scene stitcher decides whether it is the same person.
 * A person standing at the border (a shopper close to the camera, cut by the lower edge) has no
 * outward velocity and stays re-identifiable.
 */
function leftPicture(tr: TrackState, t: number, picture: Picture | undefined, kp: KalmanParams): boolean {
  if (!picture) return false;
  const [cx, cy] = predict(tr.gaussian, t - tr.stateTimeSec, kp).mean;
  return !(cx! >= 0 && cx! <= picture.width && cy! >= 0 && cy! <= picture.height);
}

function viewOf(tr: TrackState, kp: KalmanParams): TrackView {
  return { box: cxcywhToXyxy(tr.gaussian.mean), projected: project(tr.gaussian, kp), embedding: tr.embedding };
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

/** EMA of unit vectors, renormalised. */
function blend(old: Float32Array, fresh: Float32Array, momentum: number): Float32Array {
  const out = new Float32Array(old.length);
  for (let k = 0; k < old.length; k++) out[k] = momentum * old[k]! + (1 - momentum) * fresh[k]!;
  return l2normalise(out);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
