/**
 * The KPIs of one store-local day, per store and per seller, from plain records. Truth from the
 * simulator and analytics output go through this same function, so they are compared like for like.
 *
 * Definitions (a visit belongs to the local day it starts on; its consultations and purchase with it):
 * - customers: visits. For a seller: visits overlapping the seller's shifts that day.
 * - consulted_customers: visits with at least one consultation (by this seller, for a seller).
 * - interaction_ratio = consulted_customers / customers.
 * - successful_consultations: consultations whose visit ends with a receipt; the rest unsuccessful.
 * - conversion: store = buying visits / visits; seller = buying consulted visits / consulted visits.
 * - avg_purchase_with_consultation: mean visit purchase over buying visits with a consultation
 *   (by this seller, for a seller); avg_purchase_without_consultation: over buying visits with none.
 * - mean_consultation_seconds: mean duration of the consultations.
 */
import { localDate } from '../sales/local-time.js';
import type { Shift } from '../sales/schedule.js';

export interface VisitRecord {
  readonly visitId: string;
  /** Epoch milliseconds. */
  readonly start: number;
  readonly end: number;
}

export interface ConsultationRecord {
  readonly sellerId: string;
  readonly visitId: string;
  readonly start: number;
  readonly end: number;
  readonly durationS: number;
}

export interface DayInputs {
  readonly storeId: string;
  readonly date: string;
  readonly timeZone: string;
  readonly visits: readonly VisitRecord[];
  readonly consultations: readonly ConsultationRecord[];
  /** Visit id -> purchase total of its receipts. */
  readonly purchases: ReadonlyMap<string, number>;
  readonly shifts: readonly Shift[];
  /** Seller id -> seconds seen on the floor that day. */
  readonly sellerFloorSeconds: ReadonlyMap<string, number>;
  /** Checkouts (service at the till) per seller, reported as an extra. */
  readonly checkouts?: ReadonlyMap<string, number>;
}

export interface Kpis {
  customers: number;
  consulted_customers: number;
  interaction_ratio: number | null;
  consultations: number;
  successful_consultations: number;
  unsuccessful_consultations: number;
  conversion: number | null;
  avg_purchase_with_consultation: number | null;
  avg_purchase_without_consultation: number | null;
  mean_consultation_seconds: number | null;
  buying_customers: number;
  revenue: number;
}

export interface SellerKpis extends Kpis {
  seller_id: string;
  time_on_floor_seconds: number;
  checkouts: number;
}

export interface DayReport {
  date: string;
  store: Kpis & { store_id: string; time_zone: string; checkouts: number };
  sellers: SellerKpis[];
}

const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;
const r2 = (x: number): number => Math.round(x * 100) / 100;
const ratio = (a: number, b: number): number | null => (b > 0 ? r4(a / b) : null);
const mean = (xs: readonly number[]): number | null => (xs.length > 0 ? xs.reduce((s, x) => s + x, 0) / xs.length : null);

function kpisFor(visits: readonly VisitRecord[], cons: readonly ConsultationRecord[], purchases: ReadonlyMap<string, number>, consultedByAnyone: ReadonlySet<string>, sellerView: boolean): Kpis {
  const consulted = new Set(cons.map((c) => c.visitId));
  const visitIds = new Set(visits.map((v) => v.visitId));
  const consultedHere = [...consulted].filter((id) => visitIds.has(id) || sellerView);
  const buying = visits.filter((v) => purchases.has(v.visitId));
  const successful = cons.filter((c) => purchases.has(c.visitId)).length;
  const withC = [...consulted].filter((id) => purchases.has(id)).map((id) => purchases.get(id)!);
  const withoutC = buying.filter((v) => !consultedByAnyone.has(v.visitId)).map((v) => purchases.get(v.visitId)!);
  const consultedBuying = consultedHere.filter((id) => purchases.has(id)).length;
  const mc = mean(cons.map((c) => c.durationS));
  const am = mean(withC);
  const aw = mean(withoutC);
  return {
    customers: visits.length,
    consulted_customers: consultedHere.length,
    interaction_ratio: ratio(consultedHere.length, visits.length),
    consultations: cons.length,
    successful_consultations: successful,
    unsuccessful_consultations: cons.length - successful,
    conversion: sellerView ? ratio(consultedBuying, consultedHere.length) : ratio(buying.length, visits.length),
    avg_purchase_with_consultation: am === null ? null : r2(am),
    avg_purchase_without_consultation: aw === null ? null : r2(aw),
    mean_consultation_seconds: mc === null ? null : Math.round(mc * 10) / 10,
    buying_customers: sellerView ? consultedBuying : buying.length,
    revenue: r2((sellerView ? consultedHere : visits.map((v) => v.visitId)).reduce((s, id) => s + (purchases.get(id) ?? 0), 0)),
  };
}

export function computeDayKpis(d: DayInputs): DayReport {
  const visits = d.visits.filter((v) => localDate(v.start, d.timeZone) === d.date);
  const dayVisitIds = new Set(visits.map((v) => v.visitId));
  const cons = d.consultations.filter((c) => dayVisitIds.has(c.visitId));
  const consultedByAnyone = new Set(cons.map((c) => c.visitId));
  const store = kpisFor(visits, cons, d.purchases, consultedByAnyone, false);
  const sellerIds = new Set<string>([...d.shifts.filter((s) => s.date === d.date).map((s) => s.sellerId), ...cons.map((c) => c.sellerId)]);
  const sellers: SellerKpis[] = [...sellerIds].sort().map((sid) => {
    const shifts = d.shifts.filter((s) => s.sellerId === sid);
    const mine = visits.filter((v) => shifts.some((s) => v.start < s.end && s.start <= v.end));
    const myCons = cons.filter((c) => c.sellerId === sid);
    return {
      seller_id: sid,
      ...kpisFor(mine, myCons, d.purchases, consultedByAnyone, true),
      customers: mine.length,
      interaction_ratio: ratio(new Set(myCons.map((c) => c.visitId)).size, mine.length),
      time_on_floor_seconds: Math.round(d.sellerFloorSeconds.get(sid) ?? 0),
      checkouts: d.checkouts?.get(sid) ?? 0,
    };
  });
  const checkouts = [...(d.checkouts?.values() ?? [])].reduce((s, n) => s + n, 0);
  return { date: d.date, store: { store_id: d.storeId, time_zone: d.timeZone, ...store, checkouts }, sellers };
}
