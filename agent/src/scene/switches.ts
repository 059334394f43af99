/**
 * Undoing id switches without appearance. When two people pass close the tracker may swap their
 * ids; the chains then mix, e.g. a seller's morning continues as a customer who walks out of the
 * door, and that customer's arrival continues as the seller's afternoon. People come in and go out
 * through the entrance and staff do not. So close passes are replayed in time order, and at each the
 * two tails are kept or swapped, whichever pairs heads and tails more consistently: a head that came
 * through the door with a tail that leaves through it, a head from the staff side with a tail that
 * ends there. Chains that begin or end elsewhere (fragments) say nothing, and a tail that runs into
 * another close pass is not judged there (it is judged at that pass).
 */
import type { Observation } from './observations.js';
import { observationDistance } from './observations.js';
import { nearestInTime } from './consultations.js';
import { makePerson, type Fragment, type Person } from './stitch.js';

export interface SwitchOptions {
  /** Two tracks this close (metres) may have swapped ids. */
  readonly encounterM: number;
  readonly personHeightM: number;
  readonly sampleDtMs: number;
  /** Ends within a minute of the stream's start or end are unknown (seen partly). */
  readonly streamStart: number;
  readonly streamEnd: number;
}

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

  for (let k = 0; k < all.length; k++) {
    const e = all[k]!;
    const i = owner.get(e.a);
    const j = owner.get(e.b);
    if (i === undefined || j === undefined || i === j) continue;
    const hi = headKind(chains[i]!);
    const hj = headKind(chains[j]!);
    const ti = tailKind(i, k + 1);
    const tj = tailKind(j, k + 1);
    if (score(hi, tj) + score(hj, ti) <= score(hi, ti) + score(hj, tj)) continue;
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
