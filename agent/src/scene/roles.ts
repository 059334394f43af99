/**
 * Who is staff. Two methods:
 * - `longest`: the design's baseline, the one person seen longest is the seller, everyone else a customer.
 * - `default`: a staff probability from time seen and time in staff-only zones, then the schedule:
 *   staff fragments absorb the unexplained fragments that fill their gaps (continuity), and no more
 *   persons are staff at a time than sellers are on shift. Each person gets a role and a confidence.
 *   An optional uniform colour hint adds log-odds for persons whose torso colour matches it.
 */
import type { Observation } from './observations.js';
import { observationDistance } from './observations.js';
import { cosineDistance, first, last, makePerson, type Person } from './stitch.js';

export type Role = 'staff' | 'customer';

/** A seller's shift as roles need it (the schedule's Shift fits); epoch milliseconds. */
export interface Shift {
  readonly sellerId: string;
  readonly start: number;
  readonly end: number;
}

export interface PersonFeatures {
  /** Seconds observed (sum of sample steps, capped per step). */
  readonly seenS: number;
  readonly staffZoneS: number;
  readonly tillZoneS: number;
}

export interface RoleAssignment {
  readonly person: Person;
  readonly role: Role;
  /** Probability that `role` is right, 0..1. */
  readonly confidence: number;
  /** Schedule seller id for staff (or `staff-<person id>` when no shift explains them); null for customers. */
  readonly sellerId: string | null;
  readonly features: PersonFeatures;
}

export interface RoleOptions {
  readonly method: 'default' | 'longest';
  readonly staffDwellMinutes: number;
  readonly staffZoneSeconds: number;
  readonly minConfidence: number;
  /** Continuity: longest gap (s) across which a staff person may take over a fragment. */
  readonly staffGapS: number;
  /**
   * Continuity takes over only persons with a track of at least this many samples (the visits'
   * min_track_samples): shorter ones are flicker, and a false box across the floor taken into a
   * seller's gap reads as the seller walking away from the customer they serve. Absent = 1.
   */
  readonly minTrackSamples?: number;
  readonly maxSpeedMps: number;
  readonly baseRadiusM: number;
  readonly personHeightM: number;
  /** Seller id -> zone names they work. */
  readonly sellerZones: ReadonlyMap<string, readonly string[]>;
  /** Appearance continuity when mapping staff to sellers (score per unit of cosine similarity); absent or 0 = off. */
  readonly appearanceWeight?: number;
  /** Uniform colour hint (RGB 0..255, euclidean tolerance, weight); absent = off. */
  readonly uniform?: UniformHint;
}

export interface UniformHint {
  readonly color: readonly [number, number, number];
  readonly tolerance: number;
  readonly weight: number;
}

/** Log-odds per unit of uniform weight: at a perfect colour match, and against at twice the tolerance or further. */
const UNIFORM_MATCH_LOGIT = 4;
const UNIFORM_FAR_LOGIT = -1;

const MAX_STEP_S = 5;
/** Staff seen as one too many (more staff than sellers on shift) for at least this share of their minutes are demoted. */
const EXCESS_SHARE = 0.8;

/**
 * Seconds each observation stands for: the time to the next one, capped (a gap is not presence),
 * 1 s for the last. The one rule for "seen for how long", shared by the role features and the
 * store-hour roll-up (metrics/chain-records.ts).
 */
export function observedStepS(obs: readonly Observation[], i: number): number {
  const o = obs[i]!;
  const nxt = obs[i + 1];
  return nxt ? Math.min((nxt.t - o.t) / 1000, MAX_STEP_S) : 1;
}

export function personFeatures(obs: readonly Observation[]): PersonFeatures {
  let seen = 0;
  let staff = 0;
  let till = 0;
  for (let i = 0; i < obs.length; i++) {
    const o = obs[i]!;
    const step = observedStepS(obs, i);
    seen += step;
    if (o.zoneKind === 'staff') staff += step;
    if (o.zoneKind === 'till') till += step;
  }
  return { seenS: seen, staffZoneS: staff, tillZoneS: till };
}

/** Logistic staff probability: long presence and staff-zone time are the evidence. */
export function staffProbability(f: PersonFeatures, o: Pick<RoleOptions, 'staffDwellMinutes' | 'staffZoneSeconds'>, extraLogit = 0): number {
  const dwell = 3 * Math.log2(Math.max(f.seenS, 1) / (o.staffDwellMinutes * 60));
  const frac = f.staffZoneS / Math.max(f.seenS, 1);
  const zone = 8 * frac + (f.staffZoneS >= o.staffZoneSeconds ? 2 : 0);
  return 1 / (1 + Math.exp(-(dwell + zone + extraLogit)));
}

/** A person's torso colour: the mean of its fragments' colours weighted by time seen; null without any. */
export function personColor(p: Person): [number, number, number] | null {
  let w = 0;
  const acc: [number, number, number] = [0, 0, 0];
  for (const f of p.fragments) {
    if (!f.color) continue;
    const fw = Math.max(personFeatures(f.obs).seenS, 1e-3);
    for (let k = 0; k < 3; k++) acc[k] = acc[k]! + fw * f.color[k]!;
    w += fw;
  }
  return w > 0 ? [acc[0] / w, acc[1] / w, acc[2] / w] : null;
}

/**
 * Uniform evidence (log-odds): weight x 4 at a perfect match falling to weight x 2 at the tolerance,
 * nothing between one and two tolerances (lighting shifts colours), weight x -1 beyond. Only a little
 * against because customers may happen to wear any colour, and a seller may wear a jacket over it.
 */
export function uniformLogit(p: Person, u: UniformHint | undefined): number {
  if (!u || u.weight === 0) return 0;
  const c = personColor(p);
  if (!c) return 0;
  const d = Math.hypot(c[0] - u.color[0], c[1] - u.color[1], c[2] - u.color[2]);
  if (d <= u.tolerance) return u.weight * UNIFORM_MATCH_LOGIT * (1 - d / (2 * u.tolerance));
  return d >= 2 * u.tolerance ? u.weight * UNIFORM_FAR_LOGIT : 0;
}

export function assignRoles(persons: readonly Person[], shifts: readonly Shift[], o: RoleOptions): RoleAssignment[] {
  if (o.method === 'longest') return longestIsSeller(persons, shifts);
  const p0 = new Map(persons.map((p) => [p.id, staffProbability(personFeatures(p.obs), o, uniformLogit(p, o.uniform))]));
  const staffIds = new Set(persons.filter((p) => p0.get(p.id)! >= o.minConfidence).map((p) => p.id));
  const merged = absorbIntoStaff(persons, staffIds, o);
  const probs = new Map(
    merged.map((p) => [
      p.id,
      staffIds.has(p.id) ? Math.max(p0.get(p.id)!, staffProbability(personFeatures(p.obs), o, uniformLogit(p, o.uniform))) : p0.get(p.id)!,
    ]),
  );
  limitToShifts(merged, staffIds, probs, shifts);
  const sellers = mapStaffToSellers(
    merged.filter((p) => staffIds.has(p.id)),
    shifts,
    o.sellerZones,
    o.appearanceWeight ?? 0,
  );
  return merged.map((p) => {
    const staff = staffIds.has(p.id);
    const pr = probs.get(p.id)!;
    return {
      person: p,
      role: staff ? 'staff' : 'customer',
      confidence: staff ? pr : 1 - pr,
      sellerId: staff ? sellers.get(p.id)! : null,
      features: personFeatures(p.obs),
    };
  });
}

function longestIsSeller(persons: readonly Person[], shifts: readonly Shift[]): RoleAssignment[] {
  const feats = persons.map((p) => personFeatures(p.obs));
  let best = -1;
  feats.forEach((f, i) => {
    if (best < 0 || f.seenS > feats[best]!.seenS) best = i;
  });
  const sellerOf = (p: Person): string => shifts.find((s) => s.start <= p.end && p.start < s.end)?.sellerId ?? `staff-${p.id}`;
  return persons.map((p, i) => ({
    person: p,
    role: i === best ? 'staff' : 'customer',
    confidence: 1,
    sellerId: i === best ? sellerOf(p) : null,
    features: feats[i]!,
  }));
}

/**
 * Continuity: a non-staff person seen entirely inside a gap of a staff person, reachable from where
 * the staff person was last seen and to where they are seen next, is that staff person.
 * Persons are merged in place of the staff person; ids of the absorbed ones disappear.
 */
function absorbIntoStaff(persons: readonly Person[], staffIds: Set<number>, o: RoleOptions): Person[] {
  const byId = new Map(persons.map((p) => [p.id, p]));
  const reach = (a: Observation, b: Observation): boolean => {
    const gap = (b.t - a.t) / 1000;
    return gap >= 0 && gap <= o.staffGapS && observationDistance(a, b, o.personHeightM) <= o.baseRadiusM + o.maxSpeedMps * gap;
  };
  const minSamples = o.minTrackSamples ?? 1;
  const candidates = persons
    .filter((p) => !staffIds.has(p.id) && byId.has(p.id) && p.fragments.some((f) => f.obs.length >= minSamples))
    .sort((a, b) => a.start - b.start);
  for (const q of candidates) {
    // People who come through the door are visitors; staff use the staff side.
    if (first(q).zoneKind === 'entrance' || last(q).zoneKind === 'entrance') continue;
    let bestId = -1;
    let bestGap = Infinity;
    for (const sid of staffIds) {
      const s = byId.get(sid);
      if (!s) continue;
      const before = lastBefore(s.obs, q.start);
      const after = firstAfter(s.obs, q.end);
      if (!before && !after) continue;
      if (hasObsBetween(s.obs, q.start, q.end)) continue;
      if (before && !reach(before, first(q))) continue;
      if (after && !reach(last(q), after)) continue;
      const gap = (before ? q.start - before.t : 0) + (after ? after.t - q.end : 0);
      if (gap < bestGap) {
        bestGap = gap;
        bestId = sid;
      }
    }
    if (bestId < 0) continue;
    const s = byId.get(bestId)!;
    byId.set(bestId, makePerson(bestId, [...s.fragments, ...q.fragments]));
    byId.delete(q.id);
  }
  // Then staff pieces that follow one another (one ends, the next starts close by soon after) are one person.
  const staffByStart = [...staffIds].map((id) => byId.get(id)!).sort((a, b) => a.start - b.start);
  for (const b of staffByStart) {
    if (!byId.has(b.id)) continue;
    let best: Person | null = null;
    for (const id of staffIds) {
      const a = byId.get(id);
      if (!a || a.id === b.id || a.end >= b.start || !reach(last(a), first(b))) continue;
      if (!best || a.end > best.end) best = a;
    }
    if (!best) continue;
    byId.set(best.id, makePerson(best.id, [...best.fragments, ...b.fragments]));
    byId.delete(b.id);
    staffIds.delete(b.id);
  }
  return [...byId.values()].sort((a, b) => a.start - b.start || a.id - b.id);
}

function lastBefore(obs: readonly Observation[], t: number): Observation | null {
  let r: Observation | null = null;
  for (const o of obs) {
    if (o.t < t) r = o;
    else break;
  }
  return r;
}

function firstAfter(obs: readonly Observation[], t: number): Observation | null {
  for (const o of obs) if (o.t > t) return o;
  return null;
}

function hasObsBetween(obs: readonly Observation[], a: number, b: number): boolean {
  return obs.some((o) => o.t >= a && o.t <= b);
}

/** Per minute, no more staff than sellers on shift: demote the least likely staff where they are in excess most of their time. */
function limitToShifts(persons: readonly Person[], staffIds: Set<number>, probs: Map<number, number>, shifts: readonly Shift[]): void {
  if (shifts.length === 0) return;
  const minutes = (p: Person): Set<number> => new Set(p.obs.map((ob) => Math.floor(ob.t / 60000)));
  const staffMinutes = new Map<number, Set<number>>();
  for (const p of persons) if (staffIds.has(p.id)) staffMinutes.set(p.id, minutes(p));
  const onShift = (m: number): number => shifts.filter((s) => s.start <= m * 60000 + 30000 && m * 60000 + 30000 < s.end).length;
  const ordered = [...staffMinutes.keys()].sort((a, b) => probs.get(a)! - probs.get(b)!);
  for (const id of ordered) {
    const mins = staffMinutes.get(id)!;
    let excess = 0;
    for (const m of mins) {
      let count = 0;
      for (const other of staffMinutes.values()) if (other.has(m)) count++;
      if (count > onShift(m)) excess++;
    }
    if (excess > EXCESS_SHARE * mins.size) {
      staffIds.delete(id);
      staffMinutes.delete(id);
    }
  }
}

/**
 * Staff persons to sellers on shift: shift overlap plus the share of time in the seller's assigned
 * zones; a seller already mapped to a person at the same time is penalised (one body per seller).
 * Appearance continuity (when fragments carry embeddings and `appearanceWeight` > 0): persons are
 * mapped largest first, each seller keeps the look of the persons mapped to it, and a later person
 * scores `appearanceWeight` x (cosine similarity - 0.5) with each seller that already has a look
 * (positive when alike, negative when not; sellers not yet seen score 0).
 */
export function mapStaffToSellers(
  staff: readonly Person[],
  shifts: readonly Shift[],
  sellerZones: ReadonlyMap<string, readonly string[]>,
  appearanceWeight = 0,
): Map<number, string> {
  const out = new Map<number, string>();
  const taken = new Map<string, Array<[number, number]>>();
  const looks = new Map<string, Float32Array>();
  const sellers = [...new Set(shifts.map((s) => s.sellerId))];
  const ordered = [...staff].sort((a, b) => b.obs.length - a.obs.length || a.id - b.id);
  for (const p of ordered) {
    let best: string | null = null;
    let bestScore = -Infinity;
    for (const sid of sellers) {
      const mine = shifts.filter((s) => s.sellerId === sid);
      const inShift = p.obs.filter((ob) => mine.some((s) => s.start <= ob.t && ob.t < s.end)).length / p.obs.length;
      if (inShift === 0) continue;
      const zones = sellerZones.get(sid);
      const inZones = zones ? p.obs.filter((ob) => ob.zone !== null && zones.includes(ob.zone)).length / p.obs.length : 0;
      const clash =
        (taken.get(sid) ?? []).reduce((acc, [a, b]) => acc + Math.max(0, Math.min(b, p.end) - Math.max(a, p.start)), 0) / Math.max(p.end - p.start, 1);
      const look = appearanceWeight > 0 ? lookOf(p) : null;
      const known = look ? looks.get(sid) : undefined;
      const alike = look && known ? appearanceWeight * (0.5 - cosineDistance(look, known)) : 0;
      const score = inShift + 2 * inZones - 3 * clash + alike;
      if (score > bestScore) {
        bestScore = score;
        best = sid;
      }
    }
    const id = best ?? `staff-${p.id}`;
    out.set(p.id, id);
    const look = appearanceWeight > 0 ? lookOf(p) : null;
    const had = looks.get(id);
    const merged = look && had ? meanLook([had, look]) : look;
    if (merged) looks.set(id, merged);
    const list = taken.get(id) ?? [];
    list.push([p.start, p.end]);
    taken.set(id, list);
  }
  return out;
}

/** A person's look: the mean of its fragments' embeddings, weighted by samples; null without any. */
function lookOf(p: Person): Float32Array | null {
  const fs = p.fragments.filter((f) => f.embedding !== null);
  if (fs.length === 0) return null;
  return meanLook(
    fs.map((f) => f.embedding!),
    fs.map((f) => f.obs.length),
  );
}

function meanLook(vs: readonly Float32Array[], weights?: readonly number[]): Float32Array | null {
  const n = vs[0]!.length;
  if (vs.some((v) => v.length !== n)) return null;
  const out = new Float32Array(n);
  vs.forEach((v, i) => {
    const w = weights?.[i] ?? 1;
    const norm = Math.hypot(...v) || 1;
    for (let k = 0; k < n; k++) out[k] = out[k]! + (w * v[k]!) / norm;
  });
  const norm = Math.hypot(...out) || 1;
  return out.map((x) => x / norm);
}
