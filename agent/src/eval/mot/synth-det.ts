/**
 * Detections synthesised from ground truth with a real detector's measured error profile, for
 * sequences that have ground truth but no public detections (TUD-Stadtmitte) and for the
 * simulator's noise-free tracks. The profile is measured on a sequence that has both (TUD-Campus
 * with SORT's Faster R-CNN det.txt): per ground-truth box, whether it was detected (a two-state
 * Markov chain, since misses come in runs during occlusions), the detected box's offset from the
 * truth (relative to its size), its score; per frame, false positives (count, score, and where they
 * sit relative to the person they are nearest to). Synthesis resamples those empirical values, so
 * no distribution shape is assumed. Deterministic for a seed.
 */
import { MisuseError } from '../../core/errors.js';
import type { MotRow } from '../../io/mot.js';
import { createRng } from '../../sim/prng.js';
import { solveAssignmentWithForbidden, matrix } from './assignment.js';
import { boxIou } from './frames.js';

/** Box offsets relative to the true box: centre shift in widths / heights, log size ratios. */
export interface BoxError {
  readonly dx: number;
  readonly dy: number;
  readonly dlw: number;
  readonly dlh: number;
}

export interface DetectionProfile {
  /** P(missed | the same person was detected in the previous frame); and after a miss. */
  readonly missAfterHit: number;
  readonly missAfterMiss: number;
  /** First-frame (or first-appearance) miss probability. */
  readonly missFirst: number;
  /** Matched detections: offset from the truth and score, paired as measured. */
  readonly hits: ReadonlyArray<BoxError & { readonly score: number }>;
  /**
   * Lag-1 autocorrelation of a person's box error (dx, dy, dlw, dlh) and score between consecutive
   * frames where it was detected: a detector's error on one person is far from independent frame to
   * frame, and independent jitter would make synthetic sequences much harder than real ones.
   */
  readonly rho: readonly [number, number, number, number, number];
  /** False positives per frame (one value per measured frame: resampled as is). */
  readonly fpPerFrame: readonly number[];
  /** False positives: offset from the nearest true box (in its size), and score. */
  readonly fps: ReadonlyArray<BoxError & { readonly score: number }>;
  /** Frames and ground-truth boxes measured, for the record. */
  readonly frames: number;
  readonly gtBoxes: number;
}

const MATCH_IOU = 0.5;

function errorOf(truth: MotRow, d: MotRow): BoxError {
  return {
    dx: (d.x + d.w / 2 - (truth.x + truth.w / 2)) / truth.w,
    dy: (d.y + d.h / 2 - (truth.y + truth.h / 2)) / truth.h,
    dlw: Math.log(d.w / truth.w),
    dlh: Math.log(d.h / truth.h),
  };
}

function applyError(truth: MotRow, e: BoxError): { x: number; y: number; w: number; h: number } {
  const w = truth.w * Math.exp(e.dlw);
  const h = truth.h * Math.exp(e.dlh);
  const cx = truth.x + truth.w / 2 + e.dx * truth.w;
  const cy = truth.y + truth.h / 2 + e.dy * truth.h;
  return { x: cx - w / 2, y: cy - h / 2, w, h };
}

function byFrame(rows: readonly MotRow[]): Map<number, MotRow[]> {
  const m = new Map<number, MotRow[]>();
  for (const r of rows) {
    let l = m.get(r.frame);
    if (!l) {
      l = [];
      m.set(r.frame, l);
    }
    l.push(r);
  }
  return m;
}

/** Measure a detector's error profile from its detections on a sequence with ground truth. */
export function measureDetectionProfile(gt: readonly MotRow[], det: readonly MotRow[]): DetectionProfile {
  if (gt.length === 0) throw new MisuseError('FS_BAD_ARGUMENT', 'measureDetectionProfile: ground truth is empty');
  const gtF = byFrame(gt);
  const detF = byFrame(det);
  const frames = [...gtF.keys()].sort((a, b) => a - b);
  const hits: Array<BoxError & { score: number }> = [];
  const fps: Array<BoxError & { score: number }> = [];
  const fpPerFrame: number[] = [];
  const prev = new Map<number, boolean>(); // gt id -> detected in its previous frame
  const lastHit = new Map<number, { frame: number; v: number[] }>();
  const pairs: Array<[number[], number[]]> = [];
  const count = { afterHit: 0, missAfterHit: 0, afterMiss: 0, missAfterMiss: 0, first: 0, missFirst: 0 };
  let prevFrame = -1;
  for (const f of frames) {
    const g = gtF.get(f)!;
    const d = detF.get(f) ?? [];
    const sim = matrix(g.length, d.length);
    for (let i = 0; i < g.length; i++) for (let j = 0; j < d.length; j++) sim.data[i * d.length + j] = -boxIou(g[i]!, d[j]!);
    const a = solveAssignmentWithForbidden(sim, (i, j) => -sim.data[i * d.length + j]! >= MATCH_IOU);
    const detOf = new Map<number, number>(a.rows.map((i, k) => [i, a.cols[k]!]));
    g.forEach((truth, i) => {
      const j = detOf.get(i);
      const was = prev.get(truth.id);
      const missed = j === undefined;
      if (was === undefined) {
        count.first++;
        if (missed) count.missFirst++;
      } else if (was) {
        count.afterHit++;
        if (missed) count.missAfterHit++;
      } else {
        count.afterMiss++;
        if (missed) count.missAfterMiss++;
      }
      prev.set(truth.id, !missed);
      if (!missed) {
        const h = { ...errorOf(truth, d[j]!), score: d[j]!.conf };
        hits.push(h);
        const v = [h.dx, h.dy, h.dlw, h.dlh, h.score];
        const before = lastHit.get(truth.id);
        if (before && before.frame === prevFrame) pairs.push([before.v, v]);
        lastHit.set(truth.id, { frame: f, v });
      }
    });
    const used = new Set(detOf.values());
    let n = 0;
    d.forEach((det1, j) => {
      if (used.has(j)) return;
      n++;
      // Anchor each false positive to the true box whose centre is closest (relative to its height).
      let best = g[0]!;
      let bestD = Infinity;
      for (const truth of g) {
        const dd = Math.hypot(det1.x + det1.w / 2 - truth.x - truth.w / 2, det1.y + det1.h / 2 - truth.y - truth.h / 2) / truth.h;
        if (dd < bestD) {
          bestD = dd;
          best = truth;
        }
      }
      fps.push({ ...errorOf(best, det1), score: det1.conf });
    });
    fpPerFrame.push(n);
    prevFrame = f;
  }
  const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);
  return {
    missAfterHit: ratio(count.missAfterHit, count.afterHit),
    missAfterMiss: ratio(count.missAfterMiss, count.afterMiss),
    missFirst: ratio(count.missFirst, count.first),
    hits,
    rho: [0, 1, 2, 3, 4].map((k) => correlation(pairs.map(([a, b]) => [a[k]!, b[k]!]))) as unknown as DetectionProfile['rho'],
    fpPerFrame,
    fps,
    frames: frames.length,
    gtBoxes: gt.length,
  };
}

/** Detections (MOT rows with id -1) for `gt` drawn from `profile`, deterministic for `seed`. */
export function synthesizeDetections(gt: readonly MotRow[], profile: DetectionProfile, seed: number): MotRow[] {
  if (profile.hits.length === 0) throw new MisuseError('FS_BAD_ARGUMENT', 'synthesizeDetections: the profile has no matched detections to resample');
  const rng = createRng(seed);
  const gtF = byFrame(gt);
  const prev = new Map<number, boolean>();
  const err = new Map<number, number[]>(); // gt id -> its current error (AR(1) state)
  const mean = [0, 1, 2, 3, 4].map((k) => avg(profile.hits.map((h) => vec(h)[k]!)));
  const scores = profile.hits.map((h) => h.score);
  const [sLo, sHi] = [Math.min(...scores), Math.max(...scores)];
  const out: MotRow[] = [];
  const push = (frame: number, b: { x: number; y: number; w: number; h: number }, score: number): void => {
    if (b.w > 1 && b.h > 1) out.push({ frame, id: -1, x: b.x, y: b.y, w: b.w, h: b.h, conf: score });
  };
  for (const f of [...gtF.keys()].sort((a, b) => a - b)) {
    const g = gtF.get(f)!;
    for (const truth of g) {
      const was = prev.get(truth.id);
      const pMiss = was === undefined ? profile.missFirst : was ? profile.missAfterHit : profile.missAfterMiss;
      const missed = rng.chance(pMiss);
      prev.set(truth.id, !missed);
      if (!missed) {
        // AR(1) around the mean with innovations resampled from the measured errors: the marginal
        // mean and variance are the measured ones and consecutive errors correlate by rho.
        const fresh = vec(rng.pick(profile.hits));
        const old = err.get(truth.id);
        const v = fresh.map((x, k) => (old ? mean[k]! + profile.rho[k]! * (old[k]! - mean[k]!) + Math.sqrt(1 - profile.rho[k]! ** 2) * (x - mean[k]!) : x));
        err.set(truth.id, v);
        push(f, applyError(truth, { dx: v[0]!, dy: v[1]!, dlw: v[2]!, dlh: v[3]! }), Math.min(Math.max(v[4]!, sLo), sHi));
      } else err.delete(truth.id);
    }
    const nFp = profile.fpPerFrame.length > 0 ? rng.pick(profile.fpPerFrame) : 0;
    for (let k = 0; k < nFp && profile.fps.length > 0; k++) {
      const e = rng.pick(profile.fps);
      push(f, applyError(rng.pick(g), e), e.score);
    }
  }
  return out;
}

function vec(h: BoxError & { readonly score: number }): number[] {
  return [h.dx, h.dy, h.dlw, h.dlh, h.score];
}

function avg(xs: readonly number[]): number {
  return xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}

/** Pearson correlation of pairs, clamped to [0, 0.99] (a negative or undefined one is taken as 0). */
function correlation(pairs: ReadonlyArray<readonly [number, number]>): number {
  if (pairs.length < 3) return 0;
  const ma = avg(pairs.map((p) => p[0]));
  const mb = avg(pairs.map((p) => p[1]));
  let sab = 0,
    saa = 0,
    sbb = 0;
  for (const [a, b] of pairs) {
    sab += (a - ma) * (b - mb);
    saa += (a - ma) ** 2;
    sbb += (b - mb) ** 2;
  }
  const r = saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
  return Math.min(Math.max(r, 0), 0.99);
}
