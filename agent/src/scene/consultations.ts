/**
 * Consultations: a seller and a customer within D metres for at least T seconds, closeness gaps up
 * to G seconds tolerated, all in video time. The T seconds are time together: between two close
 * samples the time counts when neither was seen apart from the other in it (a missed box or an
 * occlusion), not when they were seen apart (the gap tolerance keeps one conversation whole across
 * a step to the shelf, but a walk past the seller and a question asked 10 s later are not 20 s of
 * consultation). The interval reported is still first to last close sample. While the customer stands in a till zone it is service
 * at the till (a checkout), kept apart unless config counts it.
 * A seller serves the visitor nearest them: while another visitor is nearer the seller, a sample of
 * this one says nothing either way (neither together nor apart). A shopper browsing 1.5 m from a
 * consultation is a bystander, not a second consultation; two customers served together (a couple)
 * are each nearest in turn, and the turns between are bridged as not seen apart.
 */
import type { Observation } from './observations.js';
import { observationDistance } from './observations.js';
import type { Person } from './stitch.js';

export type InteractionKind = 'consultation' | 'checkout';

export interface Interaction {
  readonly kind: InteractionKind;
  readonly sellerId: string;
  readonly staffPersonId: number;
  readonly visitId: number;
  /** Camera that saw most of it. */
  readonly camera: string;
  /** Epoch milliseconds. */
  readonly start: number;
  readonly end: number;
  readonly durationS: number;
}

export interface ConsultationOptions {
  readonly distanceM: number;
  readonly minSeconds: number;
  readonly maxGapSeconds: number;
  readonly tillCounts: boolean;
  readonly personHeightM: number;
}

/** Not seeing one of the two (occlusion) for up to this long does not end a consultation. */
const BLIND_BRIDGE_MS = 30_000;

export interface StaffTrack {
  readonly person: Person;
  readonly sellerId: string;
}

/** Observation of `obs` nearest to t within maxDtMs, by binary search. */
export function nearestInTime(obs: readonly Observation[], t: number, maxDtMs: number): Observation | null {
  const k = nearestIndex(obs, t, maxDtMs);
  return k < 0 ? null : obs[k]!;
}

/** Index of the sample of `obs` (in time order) nearest `t` within maxDtMs, -1 if none. */
export function nearestIndex(obs: readonly Observation[], t: number, maxDtMs: number): number {
  let lo = 0;
  let hi = obs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (obs[mid]!.t < t) lo = mid + 1;
    else hi = mid;
  }
  let best = -1;
  for (const k of [lo - 1, lo]) {
    const o = obs[k];
    if (o && Math.abs(o.t - t) <= maxDtMs && (best < 0 || Math.abs(o.t - t) < Math.abs(obs[best]!.t - t))) best = k;
  }
  return best;
}

interface CloseSample {
  readonly t: number;
  readonly camera: string;
  readonly atTill: boolean;
}

/**
 * Seconds of a run spent together: each close sample stands for one sampling step, and a gap
 * between close samples counts whole when the two were not seen apart in it. When they were, each
 * side counts up to the midpoint between its close sample and the nearest sample seen apart (the
 * moment they parted or met again lies somewhere between the two): time seen apart never counts,
 * and the judgement does not hinge on which sample a stored grid happened to keep.
 */
export function togetherSeconds(run: readonly { readonly t: number }[], apartTimes: readonly number[], sampleDtMs: number): number {
  let ms = run.length > 0 ? sampleDtMs : 0;
  let k = 0;
  for (let n = 1; n < run.length; n++) {
    const a = run[n - 1]!.t;
    const b = run[n]!.t;
    while (k < apartTimes.length && apartTimes[k]! <= a) k++;
    if (!(k < apartTimes.length && apartTimes[k]! < b)) {
      ms += b - a;
      continue;
    }
    let last = apartTimes[k]!;
    for (let j = k; j < apartTimes.length && apartTimes[j]! < b; j++) last = apartTimes[j]!;
    ms += (apartTimes[k]! - a) / 2 + (b - last) / 2;
  }
  return ms / 1000;
}

/**
 * Runs of close samples. A gap longer than maxGap ends a run only when the two were seen apart in
 * it; a gap where one of them was simply not seen (occlusion, missed detections) is bridged up to
 * maxBlind. Each run's duration is last - first.
 */
export function closeRuns<T extends { readonly t: number }>(
  samples: readonly T[],
  maxGapMs: number,
  apartTimes: readonly number[] = [],
  maxBlindMs = maxGapMs,
): T[][] {
  const runs: T[][] = [];
  let cur: T[] = [];
  let k = 0;
  for (const s of samples) {
    const prev = cur[cur.length - 1];
    if (prev) {
      const gap = s.t - prev.t;
      while (k < apartTimes.length && apartTimes[k]! <= prev.t) k++;
      const seenApart = k < apartTimes.length && apartTimes[k]! < s.t;
      if ((gap > maxGapMs && seenApart) || gap > maxBlindMs) {
        runs.push(cur);
        cur = [];
      }
    }
    cur.push(s);
  }
  if (cur.length > 0) runs.push(cur);
  return runs;
}

export function findInteractions(staff: readonly StaffTrack[], visits: readonly Person[], o: ConsultationOptions, sampleDtMs: number): Interaction[] {
  const out: Interaction[] = [];
  const maxDt = Math.max(sampleDtMs * 1.5, 1000);
  // A gap is measured between close samples, so one sample step is added to the tolerance.
  const maxGapMs = o.maxGapSeconds * 1000 + sampleDtMs;
  for (const s of staff) {
    const overlapping = visits.filter((v) => !(v.end < s.person.start || v.start > s.person.end));
    // Each visit's samples paired with the seller's nearest sample in time, and per seller sample the
    // nearest visitor's distance: a seller serves the customer nearest them.
    const paired = overlapping.map((v) => pairSamples(v, s.person, maxDt, o.personHeightM));
    const nearest = new Map<Observation, number>();
    for (const list of paired) for (const x of list) if (x.d < (nearest.get(x.so) ?? Infinity)) nearest.set(x.so, x.d);
    overlapping.forEach((v, vi) => {
      const close: CloseSample[] = [];
      const apart: number[] = [];
      for (const { ob, so, d } of paired[vi]!) {
        if (d > o.distanceM) apart.push(ob.t);
        // The seller is nearer another visitor then (serving them): this pair was neither seen together nor apart.
        else if (d > nearest.get(so)!) continue;
        else close.push({ t: ob.t, camera: ob.camera, atTill: ob.zoneKind === 'till' });
      }
      if (close.length === 0) return;
      const split = o.tillCounts ? [close] : [close.filter((c) => !c.atTill), close.filter((c) => c.atTill)];
      split.forEach((samples, i) => {
        const kind: InteractionKind = o.tillCounts || i === 0 ? 'consultation' : 'checkout';
        for (const run of closeRuns(samples, maxGapMs, apart, maxGapMs + BLIND_BRIDGE_MS)) {
          const start = run[0]!.t;
          const end = run[run.length - 1]!.t;
          const durationS = (end - start) / 1000;
          if (togetherSeconds(run, apart, sampleDtMs) < o.minSeconds) continue;
          out.push({
            kind,
            sellerId: s.sellerId,
            staffPersonId: s.person.id,
            visitId: v.id,
            camera: mostCommon(run.map((r) => r.camera)),
            start,
            end,
            durationS,
          });
        }
      });
    });
  }
  return out.sort((a, b) => a.start - b.start || a.visitId - b.visitId);
}

interface PairedSample {
  readonly ob: Observation;
  /** The seller's sample nearest in time. */
  readonly so: Observation;
  /** Distance between the two (metres). */
  readonly d: number;
}

/** A visit's samples during the seller's presence, each with the seller's sample nearest in time and the distance between them. */
function pairSamples(v: Person, seller: Person, maxDt: number, personHeightM: number): PairedSample[] {
  const out: PairedSample[] = [];
  for (const ob of v.obs) {
    if (ob.t < seller.start - maxDt || ob.t > seller.end + maxDt) continue;
    const so = nearestInTime(seller.obs, ob.t, maxDt);
    if (so) out.push({ ob, so, d: observationDistance(ob, so, personHeightM) });
  }
  return out;
}

function mostCommon(xs: readonly string[]): string {
  const c = new Map<string, number>();
  for (const x of xs) c.set(x, (c.get(x) ?? 0) + 1);
  let best = xs[0]!;
  for (const [k, n] of c) if (n > (c.get(best) ?? 0)) best = k;
  return best;
}
