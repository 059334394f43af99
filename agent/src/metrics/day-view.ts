/**
 * What the manager's dashboard shows for one store day, beside the KPI report: traffic per local
 * hour (visitors arriving, consultations starting, receipts, sellers seen on the floor) and the
 * consultations as a timeline (one lane per seller, coloured by outcome). Built from the same
 * analysis the KPIs come from, so the chart and the numbers never disagree; small enough (a few
 * KB) to keep per day long after the detail is gone.
 */
import { localDate, zoneOffsetMs } from '../sales/local-time.js';
import type { DayReport } from './kpis.js';
import type { StoreDayResult } from './store-day.js';

export interface HourTraffic {
  /** Store-local hour of day, 0-23. */
  readonly hour: number;
  readonly visitors: number;
  readonly consultations: number;
  readonly receipts: number;
  /** Sellers seen on the floor at any time in the hour. */
  readonly sellers_on_floor: number;
}

export interface TimelineItem {
  readonly seller_id: string;
  /** Epoch ms, video time. */
  readonly start_ms: number;
  readonly end_ms: number;
  readonly outcome: 'successful' | 'unsuccessful';
}

export interface DayView {
  readonly report: DayReport;
  readonly hourly: readonly HourTraffic[];
  readonly timeline: readonly TimelineItem[];
}

function localHour(ms: number, tz: string): number {
  return new Date(ms + zoneOffsetMs(tz, ms)).getUTCHours();
}

export function dayViewOf(day: StoreDayResult, timeZone: string): DayView {
  const date = day.report.date;
  const onDay = (ms: number): boolean => localDate(ms, timeZone) === date;
  const hours = Array.from({ length: 24 }, () => ({ visitors: 0, consultations: 0, receipts: 0, sellers: new Set<string>() }));
  for (const v of day.visits) if (onDay(v.start)) hours[localHour(v.start, timeZone)]!.visitors++;
  for (const c of day.consultations) if (onDay(c.start)) hours[localHour(c.start, timeZone)]!.consultations++;
  for (const m of day.matches) if (onDay(m.receipt.t)) hours[localHour(m.receipt.t, timeZone)]!.receipts++;
  for (const r of day.roles) {
    if (r.role !== 'staff' || r.sellerId === null) continue;
    for (const o of r.person.obs) if (onDay(o.t)) hours[localHour(o.t, timeZone)]!.sellers.add(r.sellerId);
  }
  return {
    report: day.report,
    hourly: hours.map((h, hour) => ({ hour, visitors: h.visitors, consultations: h.consultations, receipts: h.receipts, sellers_on_floor: h.sellers.size })),
    timeline: day.consultations.map((c) => ({ seller_id: c.sellerId, start_ms: c.start, end_ms: c.end, outcome: c.outcome })).sort((a, b) => a.start_ms - b.start_ms),
  };
}
