/**
 * HOTA (Luiten et al., IJCV 2021) as TrackEval computes it (trackeval/metrics/hota.py), on IoU
 * similarity with every box kept:
 *
 *  - a first pass over all frames accumulates, per (GT id, predicted id), the frame-normalised
 *    similarity, giving a global alignment score between the two ids (a soft TPA / (TPA+FNA+FPA));
 *  - per frame, detections are matched by a maximum-score assignment on alignment x similarity;
 *    at each alpha in 0.05, 0.10 .. 0.95 matched pairs with similarity >= alpha are true positives;
 *  - per alpha, AssA is the TP-weighted mean over matched pairs of their id pair's
 *    TPA / (TPA + FNA + FPA), DetA = TP / (TP + FN + FP), HOTA = sqrt(DetA * AssA), and
 *    LocA the mean similarity of the true positives.
 * Reported values are the means over the 19 alphas. Sequences combine by summing TP/FN/FP per
 * alpha and TP-weighting AssA and LocA (TrackEval's combine_sequences).
 */
import { matrix, solveAssignment } from './assignment.js';
import type { EvalFrame } from './frames.js';

/** 0.05, 0.10, ... 0.95 computed as numpy's arange(0.05, 0.99, 0.05) does (start + i * step). */
export const HOTA_ALPHAS: readonly number[] = Object.freeze(Array.from({ length: 19 }, (_, i) => 0.05 + i * 0.05));

const EPS = 2.220446049250313e-16; // numpy finfo(float).eps, used by TrackEval's comparisons

/** Per-alpha state of one sequence or of several combined. Arrays have one entry per alpha. */
export interface HotaCounts {
  tp: number[];
  fn: number[];
  fp: number[];
  assA: number[];
  assRe: number[];
  assPr: number[];
  locA: number[];
}

export interface HotaSummary {
  HOTA: number;
  DetA: number;
  AssA: number;
  LocA: number;
  DetRe: number;
  DetPr: number;
  AssRe: number;
  AssPr: number;
  /** HOTA at each alpha, for plots and debugging. */
  perAlpha: { alpha: number; HOTA: number; DetA: number; AssA: number; LocA: number }[];
}

const zeros = (): number[] => HOTA_ALPHAS.map(() => 0);
const ones = (): number[] => HOTA_ALPHAS.map(() => 1);

export function hotaCounts(frames: readonly EvalFrame[]): HotaCounts {
  const res: HotaCounts = { tp: zeros(), fn: zeros(), fp: zeros(), assA: zeros(), assRe: zeros(), assPr: zeros(), locA: zeros() };
  const gtIndex = new Map<number, number>();
  const predIndex = new Map<number, number>();
  let gtDets = 0;
  let predDets = 0;
  for (const f of frames) {
    for (const id of f.gtIds) if (!gtIndex.has(id)) gtIndex.set(id, gtIndex.size);
    for (const id of f.predIds) if (!predIndex.has(id)) predIndex.set(id, predIndex.size);
    gtDets += f.gtIds.length;
    predDets += f.predIds.length;
  }
  if (predDets === 0) {
    res.fn = HOTA_ALPHAS.map(() => gtDets);
    res.locA = ones();
    return res;
  }
  if (gtDets === 0) {
    res.fp = HOTA_ALPHAS.map(() => predDets);
    res.locA = ones();
    return res;
  }

  const nG = gtIndex.size;
  const nP = predIndex.size;
  const potential = new Float64Array(nG * nP);
  const gtCount = new Float64Array(nG);
  const predCount = new Float64Array(nP);
  const gIdx = (f: EvalFrame): number[] => f.gtIds.map((id) => gtIndex.get(id)!);
  const pIdx = (f: EvalFrame): number[] => f.predIds.map((id) => predIndex.get(id)!);

  for (const f of frames) {
    const g = gIdx(f);
    const p = pIdx(f);
    const sim = f.similarity;
    const rowSum = sim.map((row) => row.reduce((s, v) => s + v, 0));
    const colSum = p.map((_, j) => sim.reduce((s, row) => s + row[j]!, 0));
    for (let i = 0; i < g.length; i++) {
      for (let j = 0; j < p.length; j++) {
        const s = sim[i]![j]!;
        const denom = rowSum[i]! + colSum[j]! - s;
        const at = g[i]! * nP + p[j]!;
        if (denom > EPS) potential[at] = potential[at]! + s / denom;
      }
    }
    for (const gi of g) gtCount[gi]! += 1;
    for (const pj of p) predCount[pj]! += 1;
  }
  const alignment = new Float64Array(nG * nP);
  for (let a = 0; a < nG; a++) {
    for (let b = 0; b < nP; b++) {
      const pm = potential[a * nP + b]!;
      alignment[a * nP + b] = pm / (gtCount[a]! + predCount[b]! - pm);
    }
  }

  // Sparse: most id pairs never match, and long sequences have thousands of ids on each side.
  const matchCounts = HOTA_ALPHAS.map(() => new Map<number, number>());
  const locSum = zeros();
  for (const f of frames) {
    const g = gIdx(f);
    const p = pIdx(f);
    if (g.length === 0) {
      for (let a = 0; a < HOTA_ALPHAS.length; a++) res.fp[a]! += p.length;
      continue;
    }
    if (p.length === 0) {
      for (let a = 0; a < HOTA_ALPHAS.length; a++) res.fn[a]! += g.length;
      continue;
    }
    const score = matrix(g.length, p.length);
    for (let i = 0; i < g.length; i++) {
      for (let j = 0; j < p.length; j++) score.data[i * p.length + j] = -(alignment[g[i]! * nP + p[j]!]! * f.similarity[i]![j]!);
    }
    const sol = solveAssignment(score);
    HOTA_ALPHAS.forEach((alpha, a) => {
      let matches = 0;
      for (let q = 0; q < sol.rows.length; q++) {
        const i = sol.rows[q]!;
        const j = sol.cols[q]!;
        const s = f.similarity[i]![j]!;
        if (s >= alpha - EPS) {
          matches++;
          locSum[a]! += s;
          const key = g[i]! * nP + p[j]!;
          matchCounts[a]!.set(key, (matchCounts[a]!.get(key) ?? 0) + 1);
        }
      }
      res.tp[a]! += matches;
      res.fn[a]! += g.length - matches;
      res.fp[a]! += p.length - matches;
    });
  }

  HOTA_ALPHAS.forEach((_, a) => {
    let ass = 0;
    let re = 0;
    let pr = 0;
    for (const [key, m] of matchCounts[a]!) {
      const x = Math.floor(key / nP);
      const y = key % nP;
      ass += (m * m) / Math.max(1, gtCount[x]! + predCount[y]! - m);
      re += (m * m) / Math.max(1, gtCount[x]!);
      pr += (m * m) / Math.max(1, predCount[y]!);
    }
    const tp = Math.max(1, res.tp[a]!);
    res.assA[a] = ass / tp;
    res.assRe[a] = re / tp;
    res.assPr[a] = pr / tp;
    res.locA[a] = Math.max(1e-10, locSum[a]!) / Math.max(1e-10, res.tp[a]!);
  });
  return res;
}

/** TrackEval's combine_sequences for HOTA. */
export function combineHota(parts: readonly HotaCounts[]): HotaCounts {
  const sumOf = (pick: (h: HotaCounts) => number[]): number[] => HOTA_ALPHAS.map((_, a) => parts.reduce((s, h) => s + pick(h)[a]!, 0));
  const tp = sumOf((h) => h.tp);
  const weighted = (pick: (h: HotaCounts) => number[]): number[] =>
    HOTA_ALPHAS.map((_, a) => parts.reduce((s, h) => s + pick(h)[a]! * h.tp[a]!, 0) / Math.max(1, tp[a]!));
  return {
    tp,
    fn: sumOf((h) => h.fn),
    fp: sumOf((h) => h.fp),
    assA: weighted((h) => h.assA),
    assRe: weighted((h) => h.assRe),
    assPr: weighted((h) => h.assPr),
    locA: HOTA_ALPHAS.map(
      (_, a) =>
        Math.max(
          1e-10,
          parts.reduce((s, h) => s + h.locA[a]! * h.tp[a]!, 0),
        ) / Math.max(1e-10, tp[a]!),
    ),
  };
}

export function summariseHota(h: HotaCounts): HotaSummary {
  const perAlpha = HOTA_ALPHAS.map((alpha, a) => {
    const tp = h.tp[a]!;
    const detA = tp / Math.max(1, tp + h.fn[a]! + h.fp[a]!);
    return { alpha, HOTA: Math.sqrt(detA * h.assA[a]!), DetA: detA, AssA: h.assA[a]!, LocA: h.locA[a]! };
  });
  const mean = (xs: number[]): number => xs.reduce((s, v) => s + v, 0) / xs.length;
  return {
    HOTA: mean(perAlpha.map((p) => p.HOTA)),
    DetA: mean(perAlpha.map((p) => p.DetA)),
    AssA: mean(perAlpha.map((p) => p.AssA)),
    LocA: mean(perAlpha.map((p) => p.LocA)),
    DetRe: mean(HOTA_ALPHAS.map((_, a) => h.tp[a]! / Math.max(1, h.tp[a]! + h.fn[a]!))),
    DetPr: mean(HOTA_ALPHAS.map((_, a) => h.tp[a]! / Math.max(1, h.tp[a]! + h.fp[a]!))),
    AssRe: mean(h.assRe),
    AssPr: mean(h.assPr),
    perAlpha,
  };
}
