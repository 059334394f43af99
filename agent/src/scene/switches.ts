/**
 * Undoing id switches without appearance. When two people pass close the tracker may swap their
 * ids; the chains then mix, e.g. a seller's morning continues as a customer who walks out of the
 * door, and that customer's arrival continues as the seller's afternoon. People come in and go out
 * through the entrance and staff do not. So close passes are replayed in time order, and at each the
 * two tails are kept or swapped, whichever pairs heads and tails more consistently: a head that came
 * through the door with a tail that leaves through it, a head from the staff side with a tail that
 * ends there. Chains that begin or end elsewhere (fragments) say nothing, and a tail that runs into
 * another close pass is not judged there (it is judged at that pass).
 * When the doors say nothing (two customers, both in through the door and out through it), motion
 * may: each chain's walk just before the pass, continued at its own velocity, is compared with the
 * walks just after it. A tracker at 1 fps swaps two overlapping boxes frame to frame; seconds of
 * path on either side tell the one who stood still from the one who walked past. The other pairing
 * is taken only when it fits clearly better (by motionMarginM), so noise never swaps anyone.
 * The doors say that a chain mixes two people somewhere between its head and its tail, not that
 * it happened at this pass: by default (DOOR_RULE) they only veto, and a swap needs the motion at
 * the pass too. Judged against the simulator's truth (agent/bench/analytics-switches.ts, 20 days
 * at 0.5 fps, 1.5x noise), swaps on the doors' word were wrong 66 times and right 20: in 40 of the
 * wrong ones the pass's own motion said keep and in 26 nothing, in 19 of the right ones it said
 * swap too. A chain already mixed at an earlier pass had moved its mistake to the next one. The
 * cost: a swap the motion cannot place is no longer undone by the doors alone (1 fps, seed 2: a
 * customer standing with a seller, swapped one sample into their run of closeness; the motion is
 * judged at the run's first sample and says keep, and 0.64 h of the seller becomes a visit).
 * Close means within encounterM, widened by the two foot points' own measured noise (noiseZ): at
 * 0.5 fps with the simulator's 1.5x noise a swap at 0.6 m true distance is often measured at
 * 0.6-0.75 m.
 */
import { nearestIndex } from './consultations.js';
import type { Point } from './geometry.js';
import { observationDistance, pixelFallbackPosition, type Observation } from './observations.js';
import { makePerson, type Fragment, type Person } from './stitch.js';

export interface SwitchOptions {
  /** Two tracks this close (metres) may have swapped ids. */
  readonly encounterM: number;
  readonly personHeightM: number;
  readonly sampleDtMs: number;
  /** Ends within a minute of the stream's start or end are unknown (seen partly). */
  readonly streamStart: number;
  readonly streamEnd: number;
  /** Seconds of path on either side of a close pass that the motion check compares (0 = off). */
  readonly motionWindowS?: number;
  /** The swapped pairing must predict the walks after the pass this much better (metres, mean per sample). */
  readonly motionMarginM?: number;
  /** Standard deviations of the two foot points' measured noise that a pass may exceed encounterM by (default NOISE_Z; 0 = encounterM alone). */
  readonly noiseZ?: number;
  /** When the doors say swap: whether that is enough (DoorRule; default DOOR_RULE). */
  readonly doorRule?: DoorRule;
  /** Where the motion check's two sides meet (MotionSpan; default MOTION_SPAN). */
  readonly motionSpan?: MotionSpan;
  /** Which side's walk is continued across the pass (MotionSides; default MOTION_SIDES). */
  readonly motionSides?: MotionSides;
  /** Called with every close pass judged, in time order (the benches' trace; nothing in the pipeline listens). */
  readonly trace?: (d: SwitchDecision) => void;
}

/** What the benches may override (cross-validation, the decision trace); the pipeline runs the defaults. */
export type SwitchTuning = Partial<
  Pick<SwitchOptions, 'encounterM' | 'noiseZ' | 'motionWindowS' | 'motionMarginM' | 'doorRule' | 'motionSpan' | 'motionSides' | 'trace'>
>;

/** One close pass as the resolver judged it: the two chains (indices), their ends' kinds, the scores and what it did. */
export interface SwitchDecision {
  readonly encounter: Encounter;
  readonly chains: readonly [number, number];
  /** The two chains as they stood when judged (before any swap here). */
  readonly persons: readonly [Person, Person];
  readonly heads: readonly [EndKind, EndKind];
  readonly tails: readonly [EndKind, EndKind];
  readonly keepScore: number;
  readonly swapScore: number;
  /** The motion check's keep and swap errors (metres, summed over the two chains); null when it did not speak. */
  readonly motion: { readonly keep: number; readonly swap: number } | null;
  readonly swapped: boolean;
}

/**
 * Defaults chosen by two-fold cross-validation over simulated days (odd/even seeds 1..20,
 * agent/bench/analytics-accuracy.ts --cv-switches [--fps 0.5 --noise 1.5]). Re-run once the
 * windows were cut at the two chains' own next pass: every fold, at 1 fps and at 0.5 fps with 1.5x
 * noise, chose the 0.25 m margin; the folds split on the window at 1 fps (2 s and 5 s, the grid is
 * flat between), and at 0.5 fps every window up to 4 s is the same two sampling steps, so 3 s stays.
 * Held-out mean of the five key errors: 1 fps 1.93 % (even) / 1.86 % (odd); 0.5 fps 5.83 % / 5.66 %.
 */
export const MOTION_WINDOW_S = 3;
export const MOTION_MARGIN_M = 0.25;
/**
 * Two people whose observed foot points come this close may have swapped ids (about a body width).
 * 1.0 m was tried: it takes a seller and the customer they serve (0.9 m apart) for a pass and made
 * the simulated days worse (seed 1: 12.9 % -> 64.1 % on avg without consultation).
 */
export const ENCOUNTER_M = 0.6;

/**
 * When the doors pair heads and tails better crosswise (a head from the door with a tail that
 * leaves through it): 'alone' swaps on that; 'unless-motion-keeps' not when the pass's own motion
 * clearly says keep; 'with-motion' only when the motion says swap too. The doors say that a chain
 * mixes two people somewhere between its head and its tail, not that it happened at this pass.
 */
export type DoorRule = 'alone' | 'unless-motion-keeps' | 'with-motion' | 'contradiction-veto';
// 'contradiction-veto': the motion decides, and the doors veto a swap only when the swapped pairing
// contradicts them more often than the kept one (a door head with a staff-side tail). A kept pairing
// that runs door to door against a swapped one whose ends say nothing is no evidence either way,
// and 'with-motion' keeps on it: at 0.5 fps with 1.5x noise 6 right swaps with clear motion were
// vetoed that way, against 4 right keeps whose swapped pairing contradicted the doors (see MOTION_SPAN).
export const DOOR_RULE: DoorRule = 'with-motion';

/**
 * 'first': the motion check's walks before and after meet at the run of closeness's first sample;
 * 'run': the walk before the run's first sample is compared with the walks from its last sample on
 * (inside the run the two are within a body width, and the tracker may swap them at any of its
 * samples), for runs no longer than the motion window; longer ones are judged at the first sample.
 */
export type MotionSpan = 'first' | 'run';
export const MOTION_SPAN: MotionSpan = 'first';
/**
 * 'before': the walks before the pass are continued forwards; 'either': and where that cannot speak
 * (fewer than two samples before it), the walks after it are continued backwards; 'both': the
 * mean of the two directions where both speak.
 */
export type MotionSides = 'before' | 'either' | 'both';
export const MOTION_SIDES: MotionSides = 'before';
/*
 * The three (span, sides, 'contradiction-veto') were cross-validated together, two folds over
 * odd/even seeds 1..20 scored at both rates at once (agent/bench/analytics-accuracy.ts --cv-place),
 * and none is the default: the folds disagree. Fit on odd (veto, run, before), held out on even: 1 fps
 * 1.30 -> 1.24 %, 0.5 fps at 1.5x noise 2.63 -> 2.86 % with a day-metric at 18.5 %. Fit on even (veto,
 * first, both), held out on odd: 1.21 -> 1.21 %, 2.29 -> 2.27 %, worst day 14.3 % either way, and the
 * role faults unchanged at both rates (agent/bench/analytics-faults.ts). What each does, in the pass
 * verdicts judged over the whole run (agent/bench/analytics-switches.ts; right / missed / wrong swaps,
 * 1 fps then 0.5 fps at 1.5x noise): today 127/20/1 and 88/35/7; 'both' 138/9/1 and 107/16/6;
 * 'run' with 'both' 141/6/1 and 108/15/10. 'run' with 'both' undoes the 1 fps seed 2 fault (0.64 h of a
 * seller as a visit: 0) and takes the 1 fps mean to 0.89 %, but at 0.5 fps a run of two samples is
 * two people standing together for 4 s, and judging it across that span swaps sellers with the
 * customers they stand with (faults 1.70 -> 2.36 h, mean 2.46 -> 2.98 %).
 */
/**
 * A pass may exceed ENCOUNTER_M by this many standard deviations of the two foot points' measured
 * noise (encounters). The rule and this allowance were chosen together by two-fold
 * cross-validation over odd/even seeds 1..20, each setting scored on both rates at once (1 fps at
 * 1x noise and 0.5 fps at 1.5x: `agent/bench/analytics-accuracy.ts --cv-doors`): both folds chose
 * 'with-motion', the odd fold with z 0 and the even with z 0.5, all twenty seeds z 0.5 (a gate about
 * 0.07 m wider at the simulator's 1.5x noise). z 1 and more admit ten times the passes and the
 * motion check then swaps standing pairs by chance (0.5 fps: 2.93 % and up against 2.46 %).
 */
export const NOISE_Z = 0.5;

export interface Encounter {
  readonly t: number;
  readonly a: Observation;
  readonly b: Observation;
  /** Every aligned sample pair of the run of closeness, in time order (the first is a, b). */
  readonly run: ReadonlyArray<readonly [Observation, Observation]>;
}

/** Where a chain begins or ends: the customer door, the staff side, or somewhere that says nothing. */
export type EndKind = 'door' | 'staff' | 'unknown';

const EDGE_MS = 60_000;

/**
 * Foot-point jitter of each of a person's samples (metres): how far it lies from the straight line
 * between its two neighbours, interpolated at its time (NaN where a neighbour is missing, more than
 * a sampling step and a half away, or on another camera). Standing or walking steadily the line is
 * the path, so this is measurement noise; a turn adds a little, a jump (the tracker swapping two
 * people) a lot, which is why footNoiseM takes a median.
 */
export function jitterOf(obs: readonly Observation[], personHeightM: number, sampleDtMs: number): Float64Array {
  const out = new Float64Array(obs.length).fill(Number.NaN);
  const maxStep = 1.5 * Math.max(sampleDtMs, 1000);
  for (let k = 1; k + 1 < obs.length; k++) {
    const [a, b, c] = [obs[k - 1]!, obs[k]!, obs[k + 1]!];
    if (a.camera !== b.camera || c.camera !== b.camera || b.t - a.t > maxStep || c.t - b.t > maxStep || c.t <= a.t) continue;
    const w = (b.t - a.t) / (c.t - a.t);
    const [pa, pb, pc] = [posOf(a, personHeightM), posOf(b, personHeightM), posOf(c, personHeightM)];
    out[k] = Math.hypot(pb[0] - (pa[0] + w * (pc[0] - pa[0])), pb[1] - (pa[1] + w * (pc[1] - pa[1])));
  }
  return out;
}

/**
 * A white-noise foot point's distance from the line through its neighbours (equal steps) is
 * Rayleigh with scale sigma * sqrt(1.5) (the residual x_k - (x_{k-1} + x_{k+1}) / 2); its median is
 * sqrt(2 ln 2) of the scale: median / this = sigma, the per-axis noise of one foot point.
 */
const JITTER_MEDIAN_PER_SIGMA = Math.sqrt(1.5) * Math.sqrt(2 * Math.LN2);

/** Seconds either side of a sample over which its person's foot-point noise is estimated. */
export const NOISE_WINDOW_S = 20;

/**
 * The per-axis noise (metres, one standard deviation) of each of a person's foot points: the median
 * jitter (jitterOf) over NOISE_WINDOW_S either side of it; NaN with fewer than 3 jitter values there.
 */
export function footNoiseM(obs: readonly Observation[], jitter: Float64Array): Float64Array {
  const out = new Float64Array(obs.length).fill(Number.NaN);
  const w = NOISE_WINDOW_S * 1000;
  let lo = 0;
  let hi = 0;
  for (let k = 0; k < obs.length; k++) {
    const t = obs[k]!.t;
    while (obs[lo]!.t < t - w) lo++;
    while (hi < obs.length && obs[hi]!.t <= t + w) hi++;
    const vals: number[] = [];
    for (let i = lo; i < hi; i++) if (!Number.isNaN(jitter[i]!)) vals.push(jitter[i]!);
    if (vals.length < 3) continue;
    vals.sort((x, y) => x - y);
    const m = vals.length >> 1;
    out[k] = (vals.length % 2 ? vals[m]! : (vals[m - 1]! + vals[m]!) / 2) / JITTER_MEDIAN_PER_SIGMA;
  }
  return out;
}

/** A person's foot-point noise per sample (footNoiseM over jitterOf). */
export const noiseOf = (x: Person, personHeightM: number, sampleDtMs: number): Float64Array => footNoiseM(x.obs, jitterOf(x.obs, personHeightM, sampleDtMs));

/**
 * Close passes between two persons: the first aligned sample pair of each run of closeness, with the
 * run's every pair (the tracker may swap the two at any sample of it). Close
 * is within encounterM, or (noiseZ > 0) within encounterM plus noiseZ standard deviations of the
 * two foot points' combined noise there (noiseOf each, added in quadrature): two people who could
 * have come within encounterM, given how much their measured positions scatter.
 */
export function encounters(
  p: Person,
  q: Person,
  o: Pick<SwitchOptions, 'encounterM' | 'personHeightM' | 'sampleDtMs' | 'noiseZ'>,
  noise: (x: Person) => Float64Array = (x) => noiseOf(x, o.personHeightM, o.sampleDtMs),
): Encounter[] {
  const out: Encounter[] = [];
  const lo = Math.max(p.start, q.start);
  const hi = Math.min(p.end, q.end);
  if (lo > hi) return out;
  let run: Array<readonly [Observation, Observation]> | null = null;
  const maxDt = Math.max(o.sampleDtMs * 1.5, 1000);
  const z = o.noiseZ ?? NOISE_Z;
  for (let kq = 0; kq < q.obs.length; kq++) {
    const ob = q.obs[kq]!;
    if (ob.t < lo || ob.t > hi) continue;
    const kp = nearestIndex(p.obs, ob.t, maxDt);
    let close = false;
    if (kp >= 0) {
      const d = observationDistance(p.obs[kp]!, ob, o.personHeightM);
      // Only a near miss needs the noise (NaN where either estimate is missing: encounterM alone).
      close = d <= o.encounterM || (z > 0 && d <= o.encounterM + 1 && d <= o.encounterM + z * Math.hypot(noise(p)[kp]!, noise(q)[kq]!));
    }
    if (!close) run = null;
    else if (run) run.push([p.obs[kp]!, ob]);
    else {
      run = [[p.obs[kp]!, ob]];
      out.push({ t: Math.max(ob.t, p.obs[kp]!.t), a: p.obs[kp]!, b: ob, run });
    }
  }
  return out;
}

function splitAt(fragments: readonly Fragment[], t: number): [Fragment[], Fragment[]] {
  const before: Fragment[] = [];
  const after: Fragment[] = [];
  for (const f of fragments) {
    const b = f.obs.filter((x) => x.t < t);
    const a = f.obs.filter((x) => x.t >= t);
    if (b.length > 0) before.push({ ...f, obs: b });
    if (a.length > 0) after.push({ ...f, obs: a });
  }
  return [before, after];
}

const posOf = (ob: Observation, personHeightM: number): Point => ob.world ?? pixelFallbackPosition(ob, personHeightM);

/**
 * Mean distance (metres) between where `before` was heading (its least-squares velocity over the
 * window, from its last position) and each sample of `after`; null when either side is too thin
 * to say (fewer than 2 samples before, none after) or the two are on different cameras without a floor.
 */
export function continuationError(before: readonly Observation[], after: readonly Observation[], personHeightM: number): number | null {
  if (before.length < 2 || after.length === 0) return null;
  const b0 = before[before.length - 1]!;
  if (!(b0.world && after[0]!.world) && b0.camera !== after[0]!.camera) return null;
  const ts = before.map((o) => (o.t - b0.t) / 1000);
  const ps = before.map((o) => posOf(o, personHeightM));
  const tm = ts.reduce((s, x) => s + x, 0) / ts.length;
  const xm = ps.reduce((s, p) => s + p[0], 0) / ps.length;
  const ym = ps.reduce((s, p) => s + p[1], 0) / ps.length;
  let stt = 0;
  let stx = 0;
  let sty = 0;
  for (let k = 0; k < ts.length; k++) {
    stt += (ts[k]! - tm) ** 2;
    stx += (ts[k]! - tm) * (ps[k]![0] - xm);
    sty += (ts[k]! - tm) * (ps[k]![1] - ym);
  }
  const vx = stt > 0 ? stx / stt : 0;
  const vy = stt > 0 ? sty / stt : 0;
  // Anchored at the fitted line's value at the last sample: one jittered box does not set the start.
  const x0 = xm + vx * (0 - tm);
  const y0 = ym + vy * (0 - tm);
  let err = 0;
  for (const o of after) {
    const dt = (o.t - b0.t) / 1000;
    const p = posOf(o, personHeightM);
    err += Math.hypot(p[0] - (x0 + vx * dt), p[1] - (y0 + vy * dt));
  }
  return err / after.length;
}

const within = (obs: readonly Observation[], a: number, b: number): Observation[] => obs.filter((o) => o.t >= a && o.t < b);

const kindOf = (ob: Observation): EndKind => (ob.zoneKind === 'entrance' ? 'door' : ob.zoneKind === 'staff' ? 'staff' : 'unknown');

export function resolveSwitches(persons: readonly Person[], o: SwitchOptions): Person[] {
  const chains = [...persons];
  const all: Encounter[] = [];
  const noises = new Map<Person, Float64Array>();
  const noise = (x: Person): Float64Array => noises.get(x) ?? noises.set(x, noiseOf(x, o.personHeightM, o.sampleDtMs)).get(x)!;
  for (let i = 0; i < chains.length; i++) for (let j = i + 1; j < chains.length; j++) all.push(...encounters(chains[i]!, chains[j]!, o, noise));
  if (all.length === 0) return chains;
  all.sort((x, y) => x.t - y.t);
  const owner = new Map<Observation, number>();
  for (const [i, c] of chains.entries()) for (const ob of c.obs) owner.set(ob, i);

  const headKind = (c: Person): EndKind => {
    const f = c.obs[0]!;
    if (f.t - o.streamStart < EDGE_MS) return 'unknown';
    return kindOf(f);
  };
  const tailKind = (ci: number, from: number): EndKind => {
    for (let k = from; k < all.length; k++) {
      const e = all[k]!;
      if (owner.get(e.a) === ci || owner.get(e.b) === ci) return 'unknown';
    }
    const l = chains[ci]!.obs[chains[ci]!.obs.length - 1]!;
    if (o.streamEnd - l.t < EDGE_MS) return 'unknown';
    return kindOf(l);
  };
  const score = (h: EndKind, t: EndKind): number => (h === 'unknown' || t === 'unknown' ? 0 : h === t ? 1 : -1);

  // At least two sampling steps: a velocity needs two samples before the pass (at 0.5 fps a 3 s window holds one, and the check never spoke).
  const windowS = o.motionWindowS ?? MOTION_WINDOW_S;
  const windowMs = windowS > 0 ? Math.max(windowS * 1000, 2 * o.sampleDtMs) : 0;
  const margin = o.motionMarginM ?? MOTION_MARGIN_M;
  const doorRule = o.doorRule ?? DOOR_RULE;
  /** The walks after the pass (up to the next pass) continued keep-wise and crosswise, summed over the two chains; null when either side is too thin. */
  const span = o.motionSpan ?? MOTION_SPAN;
  const sides = o.motionSides ?? MOTION_SIDES;
  /** Keep and swap errors of walks `b*` continued into `a*` (either time order); null when any of the four cannot be judged. */
  const errorsOf = (bi: Observation[], bj: Observation[], ai: Observation[], aj: Observation[]): { keep: number; swap: number } | null => {
    const keep = [continuationError(bi, ai, o.personHeightM), continuationError(bj, aj, o.personHeightM)];
    const swap = [continuationError(bi, aj, o.personHeightM), continuationError(bj, ai, o.personHeightM)];
    if ([...keep, ...swap].some((x) => x === null)) return null;
    return { keep: keep[0]! + keep[1]!, swap: swap[0]! + swap[1]! };
  };
  /** The pass's run of closeness from `t` to `tLast`; the walks after it reach up to nextT (the two chains' next pass). */
  const motionErrors = (
    pi: readonly Observation[],
    pj: readonly Observation[],
    t: number,
    tLast: number,
    nextT: number,
  ): { keep: number; swap: number } | null => {
    if (windowMs <= 0) return null;
    const from = span === 'run' && tLast - t <= windowMs ? tLast : t;
    const endAfter = Math.min(from + windowMs, nextT);
    const [bi, bj] = [within(pi, t - windowMs, t), within(pj, t - windowMs, t)];
    const [ai, aj] = [within(pi, from, endAfter), within(pj, from, endAfter)];
    const forward = errorsOf(bi, bj, ai, aj);
    if (sides === 'before' || (sides === 'either' && forward !== null)) return forward;
    // Time reversed: the walks after the pass, nearest sample last, continued back to the samples before it.
    const rev = (x: Observation[]): Observation[] => [...x].reverse();
    const backward = errorsOf(rev(ai), rev(aj), rev(bi), rev(bj));
    if (forward === null || backward === null) return forward ?? backward;
    return { keep: (forward.keep + backward.keep) / 2, swap: (forward.swap + backward.swap) / 2 };
  };

  /**
   * When either of chains i, j next passes close to someone (from encounter `from` on): their walks
   * after a pass are theirs only up to then. Other people's passes elsewhere in the store do not
   * cut them short (on a busy day some pair is close every few seconds). Under span 'run' only passes
   * after the run's last sample count (`after`): one during the run would leave its walks after empty.
   */
  const nextPassOf = (i: number, j: number, from: number, after = -Infinity): number => {
    for (let k = from; k < all.length; k++) {
      const e = all[k]!;
      if (e.t <= after) continue;
      const a = owner.get(e.a);
      const b = owner.get(e.b);
      if (a === i || a === j || b === i || b === j) return e.t;
    }
    return Infinity;
  };

  for (let k = 0; k < all.length; k++) {
    const e = all[k]!;
    const i = owner.get(e.a);
    const j = owner.get(e.b);
    if (i === undefined || j === undefined || i === j) continue;
    const hi = headKind(chains[i]!);
    const hj = headKind(chains[j]!);
    const ti = tailKind(i, k + 1);
    const tj = tailKind(j, k + 1);
    const swapScore = score(hi, tj) + score(hj, ti);
    const keepScore = score(hi, ti) + score(hj, tj);
    // The doors decide when they disagree; when they say nothing, the swapped pairing must predict the walks after the pass clearly better.
    const tLast = Math.max(...e.run[e.run.length - 1]!.map((x) => x.t));
    const motion = motionErrors(chains[i]!.obs, chains[j]!.obs, e.t, tLast, nextPassOf(i, j, k + 1, span === 'run' ? tLast : -Infinity));
    const says = motion === null ? 0 : motion.keep - motion.swap > 2 * margin ? 1 : motion.swap - motion.keep > 2 * margin ? -1 : 0;
    const doorSwaps = doorRule === 'alone' || (doorRule === 'unless-motion-keeps' ? says >= 0 : says > 0);
    const contradictions = (x: EndKind, y: EndKind, u: EndKind, v: EndKind): number => (score(x, y) < 0 ? 1 : 0) + (score(u, v) < 0 ? 1 : 0);
    const swap =
      doorRule === 'contradiction-veto'
        ? says > 0 && contradictions(hi, tj, hj, ti) <= contradictions(hi, ti, hj, tj)
        : swapScore > keepScore
          ? doorSwaps
          : swapScore === keepScore && says > 0;
    o.trace?.({
      encounter: e,
      chains: [i, j],
      persons: [chains[i]!, chains[j]!],
      heads: [hi, hj],
      tails: [ti, tj],
      keepScore,
      swapScore,
      motion,
      swapped: swap,
    });
    if (!swap) continue;
    const [ib, ia] = splitAt(chains[i]!.fragments, e.t);
    const [jb, ja] = splitAt(chains[j]!.fragments, e.t);
    if (ib.length === 0 || ia.length === 0 || jb.length === 0 || ja.length === 0) continue;
    chains[i] = makePerson(chains[i]!.id, [...ib, ...ja]);
    chains[j] = makePerson(chains[j]!.id, [...jb, ...ia]);
    for (const f of ja) for (const ob of f.obs) owner.set(ob, i);
    for (const f of ia) for (const ob of f.obs) owner.set(ob, j);
  }
  return chains.sort((a, b) => a.start - b.start || a.id - b.id);
}
