/**
 * Receipt -> visit: the visit present at a till zone at the receipt time (POS clock corrected by
 * the configured offset, within a tolerance). With several candidates the nearest presence wins:
 * the one whose till stay is closest in time, then the one leaving the till soonest after the
 * receipt (the payer steps away, the next in line steps up). The confidence says how clear it was.
 */
import type { Observation } from '../scene/observations.js';
import type { Receipt } from './receipts.js';

export interface VisitLike {
  readonly id: number;
  readonly obs: readonly Observation[];
}

export interface ReceiptMatch {
  readonly receipt: Receipt;
  /** Null when no visit was at a till within the tolerance. */
  readonly visitId: number | null;
  readonly confidence: number;
  /** Seconds between the corrected receipt time and the nearest till sighting of the visit. */
  readonly offsetS: number | null;
}

export interface MatchOptions {
  readonly clockOffsetS: number;
  readonly toleranceS: number;
}

interface TillStay {
  readonly visitId: number;
  readonly start: number;
  readonly end: number;
}

/** Runs of till-zone sightings per visit (gaps over 10 s split a stay). */
export function tillStays(visits: readonly VisitLike[]): TillStay[] {
  const stays: TillStay[] = [];
  for (const v of visits) {
    let s: number | null = null;
    let e = 0;
    for (const o of v.obs) {
      if (o.zoneKind !== 'till') continue;
      if (s !== null && o.t - e > 10_000) {
        stays.push({ visitId: v.id, start: s, end: e });
        s = null;
      }
      if (s === null) s = o.t;
      e = o.t;
    }
    if (s !== null) stays.push({ visitId: v.id, start: s, end: e });
  }
  return stays.sort((a, b) => a.start - b.start);
}

export function matchReceipts(receipts: readonly Receipt[], visits: readonly VisitLike[], o: MatchOptions): ReceiptMatch[] {
  const stays = tillStays(visits);
  const tol = o.toleranceS * 1000;
  const cands: Array<{ r: number; visitId: number; dt: number; leave: number }> = [];
  receipts.forEach((rc, r) => {
    const t = rc.t - o.clockOffsetS * 1000;
    for (const s of stays) {
      if (s.start > t + tol || s.end < t - tol) continue;
      const dt = t < s.start ? s.start - t : t > s.end ? t - s.end : 0;
      cands.push({ r, visitId: s.visitId, dt, leave: Math.abs(s.end - t) });
    }
  });
  cands.sort((a, b) => a.dt - b.dt || a.leave - b.leave || a.r - b.r);
  const byReceipt = new Map<number, typeof cands>();
  for (const c of cands) {
    const l = byReceipt.get(c.r) ?? [];
    l.push(c);
    byReceipt.set(c.r, l);
  }
  // Greedy by closeness: each visit pays once unless no other visit can explain a receipt.
  const taken = new Set<number>();
  const chosen = new Map<number, (typeof cands)[number]>();
  for (const c of cands) {
    if (chosen.has(c.r) || taken.has(c.visitId)) continue;
    chosen.set(c.r, c);
    taken.add(c.visitId);
  }
  for (const [r, list] of byReceipt) if (!chosen.has(r)) chosen.set(r, list[0]!);
  return receipts.map((rc, r) => {
    const c = chosen.get(r);
    if (!c) return { receipt: rc, visitId: null, confidence: 0, offsetS: null };
    const others = new Set((byReceipt.get(r) ?? []).map((x) => x.visitId));
    others.delete(c.visitId);
    const alt = (byReceipt.get(r) ?? []).find((x) => x.visitId !== c.visitId);
    // Clear when alone; otherwise by how much nearer the chosen presence was than the runner-up.
    const conf = others.size === 0 ? 1 : alt ? 0.5 + 0.5 * ((alt.dt + alt.leave - c.dt - c.leave) / Math.max(alt.dt + alt.leave + c.dt + c.leave, 1)) : 1;
    return { receipt: rc, visitId: c.visitId, confidence: Math.max(0, Math.min(1, conf)), offsetS: c.dt / 1000 };
  });
}
