/**
 * The tracker's failure rates on a labelled sequence, in the simulator's own terms
 * (sim/scenario.ts `noise`), so the simulator can be set to what the real pipeline does:
 *
 * - miss rate: labelled boxes no tracked box covers (CLEAR FN / GT);
 * - false positives per sampled frame (CLEAR FP / frames);
 * - identity switches per person-minute (CLEAR IDSW: a labelled person's track changes), and
 *   identity merges per person-minute (a track that covers more than one labelled person: the
 *   error CLEAR does not count as a switch, when a departed person's id is given to a newcomer);
 * - box noise: the standard deviation of the foot point's offset (x, and y) and of the relative
 *   height error of matched boxes, each as a fraction of the labelled box height (the simulator's
 *   `jitter`).
 *
 * The IoU a match needs is a parameter: at 0.5 (eval mot's default) a box cut short by a trolley
 * is both a miss and a false positive; at a lower IoU it is what it is for the analytics, the
 * right person with a foot-point error.
 */
import type { MotRow } from '../../io/mot.js';
import { boxIou } from './frames.js';
import { countMot } from './metrics.js';

export interface NoiseRates {
  readonly frames: number;
  readonly gtBoxes: number;
  readonly personMinutes: number;
  readonly misses: number;
  readonly falsePositives: number;
  readonly idSwitches: number;
  readonly merges: number;
  readonly missRate: number;
  readonly falsePositivesPerFrame: number;
  readonly idSwitchesPerPersonMinute: number;
  readonly mergesPerPersonMinute: number;
  /** Standard deviations over matched boxes, as fractions of the labelled box height. */
  readonly footX: number;
  readonly footY: number;
  readonly height: number;
  readonly matched: number;
}

export interface NoiseRateOptions {
  /** The labelled (sampled) frames: the frame count, and only these frames count. */
  readonly frames: readonly number[];
  /** Sampled frames per second (person-minutes = labelled boxes / fps / 60). */
  readonly fps: number;
  readonly iouThreshold: number;
}

const sd = (xs: readonly number[]): number => (xs.length ? Math.sqrt(xs.reduce((s, v) => s + v * v, 0) / xs.length) : Number.NaN);

export function noiseRates(gt: readonly MotRow[], pred: readonly MotRow[], o: NoiseRateOptions): NoiseRates {
  const keep = new Set(o.frames);
  const g = gt.filter((r) => keep.has(r.frame));
  const p = pred.filter((r) => keep.has(r.frame));
  const c = countMot(g, p, { iouThreshold: o.iouThreshold }).clear;
  // Identity merges and box noise from a greedy best-IoU matching per frame.
  const gtOf = new Map<number, Set<number>>();
  const dx: number[] = [];
  const dy: number[] = [];
  const dh: number[] = [];
  for (const f of o.frames) {
    const gs = g.filter((r) => r.frame === f);
    const ps = p.filter((r) => r.frame === f);
    const pairs = gs.flatMap((a, i) => ps.map((b, j) => ({ i, j, v: boxIou(a, b) })));
    pairs.sort((a, b) => b.v - a.v);
    const gu = new Set<number>();
    const pu = new Set<number>();
    for (const m of pairs) {
      if (m.v < o.iouThreshold || gu.has(m.i) || pu.has(m.j)) continue;
      gu.add(m.i);
      pu.add(m.j);
      const a = gs[m.i]!;
      const b = ps[m.j]!;
      (gtOf.get(b.id) ?? gtOf.set(b.id, new Set()).get(b.id)!).add(a.id);
      dx.push((b.x + b.w / 2 - (a.x + a.w / 2)) / a.h);
      dy.push((b.y + b.h - (a.y + a.h)) / a.h);
      dh.push(b.h / a.h - 1);
    }
  }
  const merges = [...gtOf.values()].reduce((s, ids) => s + ids.size - 1, 0);
  const personMinutes = g.length / o.fps / 60;
  return {
    frames: o.frames.length,
    gtBoxes: g.length,
    personMinutes,
    misses: c.numMisses,
    falsePositives: c.numFalsePositives,
    idSwitches: c.numSwitches,
    merges,
    missRate: g.length ? c.numMisses / g.length : Number.NaN,
    falsePositivesPerFrame: o.frames.length ? c.numFalsePositives / o.frames.length : Number.NaN,
    idSwitchesPerPersonMinute: personMinutes > 0 ? c.numSwitches / personMinutes : Number.NaN,
    mergesPerPersonMinute: personMinutes > 0 ? merges / personMinutes : Number.NaN,
    footX: sd(dx),
    footY: sd(dy),
    height: sd(dh),
    matched: dx.length,
  };
}
