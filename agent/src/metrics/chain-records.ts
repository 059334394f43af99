/**
 * What one analysed store day sends to the chain: per-seller day, store day and store hours, as
 * sums and counts (never means) so the chain can add them up over sellers, stores and weeks and the
 * central views still reproduce the box's own report. Pure: the analysed day, the schedule, the
 * day's POS receipts and camera uptime in; plain rows (store/aggregates.ts shapes) out.
 *
 * Counts the report already states are taken from it (customers, consulted customers, outcomes,
 * time on floor), so the central figures follow metrics/kpis.ts wherever it goes. What the report
 * only gives as a rounded mean (purchase with and without consultation, consultation length) is
 * summed here from the same inputs with the same membership rules as kpis.ts, so
 * sum / count = the report's mean; test/sync/chain-views.test.ts holds the two equal.
 */
import type { CameraUptime, HourlyTraffic, SellerDailyKpi, StoreDailyKpi } from '../store/aggregates.js';
import { localDate, localDayBounds, zoneOffsetMs } from '../core/local-time.js';
import type { Shift } from '../sales/schedule.js';
import { observedStepS } from '../scene/roles.js';
import type { StoreDayResult } from './store-day.js';

const HOUR_MS = 3_600_000;

export interface ChainDayInput {
  readonly date: string;
  readonly timeZone: string;
  /** The analysed day; null when no camera recorded anything (the store-level record still goes). */
  readonly day: StoreDayResult | null;
  readonly shifts: readonly Shift[];
  /** POS receipts of the store-local day, matched to a visit or not. */
  readonly receipts: ReadonlyArray<{ readonly tMs: number; readonly amountMinor: number }>;
  readonly uptime: readonly CameraUptime[];
}

export interface ChainDay {
  readonly sellers: readonly SellerDailyKpi[];
  readonly store: StoreDailyKpi;
  /** Every local hour of the day (23, 24 or 25 of them), zeros included, so charts have no holes. */
  readonly hours: readonly HourlyTraffic[];
}

interface Sums {
  n: number;
  minor: number;
}

const sumOf = (ids: Iterable<string>, purchases: ReadonlyMap<string, number>): Sums => {
  const out = { n: 0, minor: 0 };
  for (const id of ids) {
    const p = purchases.get(id);
    if (p === undefined) continue;
    out.n += 1;
    out.minor += p;
  }
  return out;
};

export function chainRecordsOf(input: ChainDayInput): ChainDay {
  const { date, timeZone: tz } = input;
  const [dayStart, dayEnd] = localDayBounds(date, tz);
  const hourCount = Math.max(1, Math.round((dayEnd - dayStart) / HOUR_MS));
  const bucket = (t: number): number => Math.min(hourCount - 1, Math.max(0, Math.floor((t - dayStart) / HOUR_MS)));
  const hours = Array.from({ length: hourCount }, (_, i) => ({
    hourMs: dayStart + i * HOUR_MS,
    day: date,
    visits: 0,
    consultations: 0,
    receipts: 0,
    dwellMs: 0,
    staffS: 0,
    sellers: new Set<string>(),
    receiptsAmountMinor: 0,
  }));
  for (const r of input.receipts) {
    const h = hours[bucket(r.tMs)]!;
    h.receipts += 1;
    h.receiptsAmountMinor += r.amountMinor;
  }

  const d = input.day;
  // Membership as in kpis.ts: a visit belongs to the local day it starts on, and so do its consultations.
  const visits = d ? d.visits.filter((v) => localDate(v.start, tz) === date) : [];
  const visitIds = new Set(visits.map((v) => String(v.id)));
  const cons = d ? d.interactions.filter((i) => i.kind === 'consultation' && visitIds.has(String(i.visitId))) : [];
  const consulted = new Set(cons.map((c) => String(c.visitId)));
  // Minor units per receipt, summed per visit: exact, unlike a float sum of totals.
  const purchases = new Map<string, number>();
  for (const m of d?.matches ?? [])
    if (m.visitId !== null) purchases.set(String(m.visitId), (purchases.get(String(m.visitId)) ?? 0) + Math.round(m.receipt.total * 100));
  const durationMs = (xs: typeof cons): number => Math.round(xs.reduce((s, c) => s + c.durationS, 0) * 1000);

  for (const v of visits) {
    const h = hours[bucket(v.start)]!;
    h.visits += 1;
    h.dwellMs += Math.max(0, v.end - v.start);
  }
  for (const c of cons) hours[bucket(c.start)]!.consultations += 1;
  let staffS = 0;
  for (const r of d?.roles ?? []) {
    if (r.role !== 'staff' || r.sellerId === null) continue;
    const obs = r.person.obs;
    for (let i = 0; i < obs.length; i++) {
      const t = obs[i]!.t;
      if (t < dayStart || t >= dayEnd) continue;
      const step = observedStepS(obs, i);
      const h = hours[bucket(t)]!;
      h.staffS += step;
      h.sellers.add(r.sellerId);
      staffS += step;
    }
  }

  const sellers: SellerDailyKpi[] = (d?.report.sellers ?? []).map((k) => {
    const mine = cons.filter((c) => c.sellerId === k.seller_id);
    const withC = sumOf(new Set(mine.map((c) => String(c.visitId))), purchases);
    const shifts = input.shifts.filter((s) => s.sellerId === k.seller_id);
    const onShift = visits.filter((v) => shifts.some((s) => v.start < s.end && s.start <= v.end)).map((v) => String(v.id));
    const withoutC = sumOf(
      onShift.filter((id) => !consulted.has(id)),
      purchases,
    );
    return {
      sellerId: k.seller_id,
      day: date,
      consultations: k.consultations,
      consultedBuyers: k.buying_customers,
      receiptsWithConsult: withC.n,
      amountWithConsultMinor: withC.minor,
      receiptsWithoutConsult: withoutC.n,
      amountWithoutConsultMinor: withoutC.minor,
      consultDurationMs: durationMs(mine),
      customers: k.customers,
      consultedCustomers: k.consulted_customers,
      successfulConsultations: k.successful_consultations,
      unsuccessfulConsultations: k.unsuccessful_consultations,
      timeOnFloorSeconds: k.time_on_floor_seconds,
    };
  });

  const withC = sumOf(consulted, purchases);
  const withoutC = sumOf(
    [...visitIds].filter((id) => !consulted.has(id)),
    purchases,
  );
  const s = d?.report.store;
  const store: StoreDailyKpi = {
    day: date,
    visitors: s?.customers ?? 0,
    consultedCustomers: s?.consulted_customers ?? 0,
    consultations: s?.consultations ?? 0,
    successfulConsultations: s?.successful_consultations ?? 0,
    unsuccessfulConsultations: s?.unsuccessful_consultations ?? 0,
    consultDurationMs: durationMs(cons),
    buyingCustomers: s?.buying_customers ?? 0,
    buyersWithConsult: withC.n,
    amountWithConsultMinor: withC.minor,
    buyersWithoutConsult: withoutC.n,
    amountWithoutConsultMinor: withoutC.minor,
    receipts: input.receipts.length,
    receiptsAmountMinor: input.receipts.reduce((a, r) => a + r.amountMinor, 0),
    sellersOnShift: new Set(input.shifts.filter((x) => x.date === date).map((x) => x.sellerId)).size,
    staffSeconds: Math.round(staffS),
    cameras: input.uptime.length,
    cameraUpMs: input.uptime.reduce((a, u) => a + u.upMs, 0),
    cameraDownMs: input.uptime.reduce((a, u) => a + u.downMs, 0),
  };
  return {
    sellers,
    store,
    hours: hours.map((h) => ({
      hourMs: h.hourMs,
      day: h.day,
      // The store's wall-clock hour: the chain's views hold no time zone, and "traffic by hour of
      // day" across stores in several zones needs the local hour, not the UTC one.
      localHour: new Date(h.hourMs + zoneOffsetMs(tz, h.hourMs)).getUTCHours(),
      visits: h.visits,
      consultations: h.consultations,
      receipts: h.receipts,
      dwellMs: h.dwellMs,
      staffSeconds: Math.round(h.staffS),
      sellersSeen: h.sellers.size,
      receiptsAmountMinor: h.receiptsAmountMinor,
    })),
  };
}
