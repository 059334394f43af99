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
 * - For a seller, avg_purchase_without_consultation is the seller's own: buying visits on the
 *   seller's shift that nobody consulted (the baseline the seller's consulted buyers compare to).
 * - revenue: store = purchases of the day's visits; seller = purchases of the visits they consulted.
 * - Attributed revenue (attributed_receipts, attributed_revenue): each receipt of the day goes to at
 *   most one seller, so the sellers' figures never add up to more than the till took. A receipt
 *   matched to a consulted visit goes to the seller whose consultation of that visit ended last
 *   (the one closest to the sale); otherwise a receipt whose seller_code names a seller of the day
 *   goes to that seller; any other receipt is unattributed. Consultation first, because a POS
 *   seller_code is often the cashier's login, which would credit the till with the floor's work.
 * - receipts, receipts_total (store): every receipt of the day, matched to a visit or not.
 * - Staff metrics after Palexy's definitions, on the data we have: staff hours = sellers' time seen
 *   on the floor; visitors_per_staff_hour = customers / staff hours; sales_per_staff_hour =
 *   receipts_total / staff hours; time to first contact = first consultation start - visit start,
 *   median over consulted visits (for a seller: the visits they were first to consult). An
 *   interaction is our consultation (analytics.consultation: distance and minimum seconds; till
 *   service is a checkout, not an interaction, unless till_counts).
 * - currency: the most frequent currency of the day's receipts; null when they carry none.
 */
import { localDate } from '../core/local-time.js';
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
  /** The day's receipts with their matched visit, for attribution and the store's till figures. */
  readonly receipts?: readonly ReceiptRecord[];
}

export interface ReceiptRecord {
  readonly receiptId: string;
  /** Epoch milliseconds (POS clock). */
  readonly t: number;
  readonly total: number;
  readonly currency: string;
  /** The POS's seller code, when it records who sold. */
  readonly sellerCode: string | null;
  /** The visit it was matched to, or null. */
  readonly visitId: string | null;
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
  /** Display name from the shift schedule; null when the schedule gives none. */
  name: string | null;
  time_on_floor_seconds: number;
  checkouts: number;
  attributed_receipts: number;
  attributed_revenue: number;
  median_time_to_first_contact_s: number | null;
}

export interface StoreKpis extends Kpis {
  store_id: string;
  time_zone: string;
  checkouts: number;
  receipts: number;
  receipts_total: number;
  unattributed_receipts: number;
  staff_hours: number;
  visitors_per_staff_hour: number | null;
  sales_per_staff_hour: number | null;
  median_time_to_first_contact_s: number | null;
}

export interface DayReport {
  date: string;
  currency: string | null;
  store: StoreKpis;
  sellers: SellerKpis[];
}

const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;
const r2 = (x: number): number => Math.round(x * 100) / 100;
const ratio = (a: number, b: number): number | null => (b > 0 ? r4(a / b) : null);
const mean = (xs: readonly number[]): number | null => (xs.length > 0 ? xs.reduce((s, x) => s + x, 0) / xs.length : null);
function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
const r1 = (x: number | null): number | null => (x === null ? null : Math.round(x * 10) / 10);

/** Seller id per receipt id, by the rule in the header; receipts of no seller are absent. */
export function attributeReceipts(receipts: readonly ReceiptRecord[], cons: readonly ConsultationRecord[], sellers: ReadonlySet<string>): Map<string, string> {
  const lastBy = new Map<string, ConsultationRecord>();
  for (const c of cons) {
    const prev = lastBy.get(c.visitId);
    if (!prev || c.end > prev.end || (c.end === prev.end && c.sellerId < prev.sellerId)) lastBy.set(c.visitId, c);
  }
  const out = new Map<string, string>();
  for (const r of receipts) {
    if (r.visitId !== null && lastBy.has(r.visitId)) out.set(r.receiptId, lastBy.get(r.visitId)!.sellerId);
    else if (r.sellerCode !== null && sellers.has(r.sellerCode)) out.set(r.receiptId, r.sellerCode);
  }
  return out;
}

function mostFrequent(xs: readonly string[]): string | null {
  const n = new Map<string, number>();
  for (const x of xs) if (x !== '') n.set(x, (n.get(x) ?? 0) + 1);
  let best: string | null = null;
  for (const [k, v] of n) if (best === null || v > n.get(best)! || (v === n.get(best)! && k < best)) best = k;
  return best;
}

function kpisFor(
  visits: readonly VisitRecord[],
  cons: readonly ConsultationRecord[],
  purchases: ReadonlyMap<string, number>,
  consultedByAnyone: ReadonlySet<string>,
  sellerView: boolean,
): Kpis {
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
  // Sellers on the day's schedule, anyone who consulted, and staff seen on the floor whom no shift
  // explains (`staff-<person>`): the manager sees an unknown seller's work under its id.
  const seenStaff = [...d.sellerFloorSeconds].filter(([, s]) => s > 0).map(([id]) => id);
  const sellerIds = new Set<string>([...d.shifts.filter((s) => s.date === d.date).map((s) => s.sellerId), ...cons.map((c) => c.sellerId), ...seenStaff]);
  const dayReceipts = (d.receipts ?? []).filter((r) => localDate(r.t, d.timeZone) === d.date || (r.visitId !== null && dayVisitIds.has(r.visitId)));
  const attributed = attributeReceipts(dayReceipts, cons, sellerIds);
  // Time to first contact: per consulted visit, its first consultation (and who gave it).
  const visitStart = new Map(visits.map((v) => [v.visitId, v.start]));
  const first = new Map<string, ConsultationRecord>();
  for (const c of cons) {
    const f = first.get(c.visitId);
    if (!f || c.start < f.start) first.set(c.visitId, c);
  }
  const contactS = (list: readonly ConsultationRecord[]): number | null =>
    r1(median(list.map((c) => Math.max(0, (c.start - visitStart.get(c.visitId)!) / 1000))));
  const sellers: SellerKpis[] = [...sellerIds].sort().map((sid) => {
    const shifts = d.shifts.filter((s) => s.sellerId === sid);
    const mine = visits.filter((v) => shifts.some((s) => v.start < s.end && s.start <= v.end));
    const myCons = cons.filter((c) => c.sellerId === sid);
    const myReceipts = dayReceipts.filter((r) => attributed.get(r.receiptId) === sid);
    const name = shifts.find((s) => s.name.trim() !== '' && s.name !== sid)?.name ?? null;
    return {
      seller_id: sid,
      name,
      ...kpisFor(mine, myCons, d.purchases, consultedByAnyone, true),
      customers: mine.length,
      interaction_ratio: ratio(new Set(myCons.map((c) => c.visitId)).size, mine.length),
      time_on_floor_seconds: Math.round(d.sellerFloorSeconds.get(sid) ?? 0),
      checkouts: d.checkouts?.get(sid) ?? 0,
      attributed_receipts: myReceipts.length,
      attributed_revenue: r2(myReceipts.reduce((s, r) => s + r.total, 0)),
      median_time_to_first_contact_s: contactS([...first.values()].filter((c) => c.sellerId === sid)),
    };
  });
  const checkouts = [...(d.checkouts?.values() ?? [])].reduce((s, n) => s + n, 0);
  const receiptsTotal = r2(dayReceipts.reduce((s, r) => s + r.total, 0));
  const staffHours = [...d.sellerFloorSeconds.values()].reduce((s, x) => s + x, 0) / 3600;
  return {
    date: d.date,
    currency: mostFrequent(dayReceipts.map((r) => r.currency)),
    store: {
      store_id: d.storeId,
      time_zone: d.timeZone,
      ...store,
      checkouts,
      receipts: dayReceipts.length,
      receipts_total: receiptsTotal,
      unattributed_receipts: dayReceipts.length - attributed.size,
      staff_hours: Math.round(staffHours * 100) / 100,
      visitors_per_staff_hour: staffHours > 0 ? r2(store.customers / staffHours) : null,
      sales_per_staff_hour: staffHours > 0 ? r2(receiptsTotal / staffHours) : null,
      median_time_to_first_contact_s: contactS([...first.values()]),
    },
    sellers,
  };
}
