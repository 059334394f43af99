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
 */
import { nearestInTime } from './consultations.js';
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

export interface Encounter {
  readonly t: number;
  readonly a: Observation;
  readonly b: Observation;
}

/** Where a chain begins or ends: the customer door, the staff side, or somewhere that says nothing. */
type EndKind = 'door' | 'staff' | 'unknown';

const EDGE_MS = 60_000;

/** Close passes between two persons: the first aligned sample pair of each run of closeness. */
export function encounters(p: Person, q: Person, o: Pick<SwitchOptions, 'encounterM' | 'personHeightM' | 'sampleDtMs'>): Encounter[] {
  const out: Encounter[] = [];
  const lo = Math.max(p.start, q.start);
  const hi = Math.min(p.end, q.end);
  if (lo > hi) return out;
  let inRun = false;
  const maxDt = Math.max(o.sampleDtMs * 1.5, 1000);
  for (const ob of q.obs) {
    if (ob.t < lo || ob.t > hi) continue;
    const po = nearestInTime(p.obs, ob.t, maxDt);
    const close = po !== null && observationDistance(po, ob, o.personHeightM) <= o.encounterM;
    if (close && !inRun) out.push({ t: Math.max(ob.t, po!.t), a: po!, b: ob });
    inRun = close;
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
  for (let i = 0; i < chains.length; i++) for (let j = i + 1; j < chains.length; j++) all.push(...encounters(chains[i]!, chains[j]!, o));
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
  /** The walks after the pass (up to the next pass) continue the walks before it better crosswise. */
  const motionSaysSwap = (pi: readonly Observation[], pj: readonly Observation[], t: number, nextT: number): boolean => {
    if (windowMs <= 0) return false;
    const endAfter = Math.min(t + windowMs, nextT);
    const [bi, bj] = [within(pi, t - windowMs, t), within(pj, t - windowMs, t)];
    const [ai, aj] = [within(pi, t, endAfter), within(pj, t, endAfter)];
    const keep = [continuationError(bi, ai, o.personHeightM), continuationError(bj, aj, o.personHeightM)];
    const swap = [continuationError(bi, aj, o.personHeightM), continuationError(bj, ai, o.personHeightM)];
    if ([...keep, ...swap].some((x) => x === null)) return false;
    return keep[0]! + keep[1]! - (swap[0]! + swap[1]!) > 2 * margin;
  };

  /**
   * When either of chains i, j next passes close to someone (from encounter `from` on): their walks
   * after a pass are theirs only up to then. Other people's passes elsewhere in the store do not
   * cut them short (on a busy day some pair is close every few seconds).
   */
  const nextPassOf = (i: number, j: number, from: number): number => {
    for (let k = from; k < all.length; k++) {
      const e = all[k]!;
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
    if (swapScore < keepScore) continue;
    if (swapScore === keepScore && !motionSaysSwap(chains[i]!.obs, chains[j]!.obs, e.t, nextPassOf(i, j, k + 1))) continue;
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
