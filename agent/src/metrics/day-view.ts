/**
 * What the manager's dashboard shows for one store day, beside the KPI report: traffic per local
 * hour (visitors arriving, consultations starting, receipts, sellers seen on the floor) and the
 * consultations as a timeline (one lane per seller, coloured by outcome). Built from the same
 * analysis the KPIs come from, so the chart and the numbers never disagree; small enough (a few
 * KB) to keep per day long after the detail is gone.
 */
import { localDayBounds, zonedToUtc } from '../sales/local-time.js';
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

/**
 * Where customers were: sampled positions of the day's visits counted on a grid of the floor plan
 * (metres, from the cameras' homographies), computed on the box and kept only there. Null when no
 * camera has a floor homography (positions in pixels of different cameras do not add up).
 */
export interface FloorHeatmap {
  readonly cell_m: number;
  /** Floor coordinates (metres) of the grid's first cell corner. */
  readonly x0: number;
  readonly y0: number;
  readonly cols: number;
  readonly rows: number;
  /** Row-major samples per cell (row = y), rows x cols. */
  readonly counts: readonly number[];
}

export interface DayView {
  readonly report: DayReport;
  readonly hourly: readonly HourTraffic[];
  readonly timeline: readonly TimelineItem[];
  readonly heatmap?: FloorHeatmap | null;
}

const CELL_M = 0.5;
const MAX_CELLS_PER_SIDE = 160;

export function floorHeatmap(points: Iterable<readonly [number, number]>, cellM = CELL_M): FloorHeatmap | null {
  const pts = [...points];
  if (pts.length === 0) return null;
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of pts) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  const x0 = Math.floor(minX / cellM) * cellM;
  const y0 = Math.floor(minY / cellM) * cellM;
  // A wild homography far off the floor would ask for millions of cells: cap the grid, clip the rest.
  const cols = Math.min(MAX_CELLS_PER_SIDE, Math.floor((maxX - x0) / cellM) + 1);
  const rows = Math.min(MAX_CELLS_PER_SIDE, Math.floor((maxY - y0) / cellM) + 1);
  const counts = new Array<number>(cols * rows).fill(0);
  for (const [x, y] of pts) {
    const c = Math.floor((x - x0) / cellM);
    const r = Math.floor((y - y0) / cellM);
    if (c < cols && r < rows) counts[r * cols + c]!++;
  }
  return { cell_m: cellM, x0: Math.round(x0 * 100) / 100, y0: Math.round(y0 * 100) / 100, cols, rows, counts };
}

export function dayViewOf(day: StoreDayResult, timeZone: string): DayView {
  const date = day.report.date;
  // The day's hour starts in UTC ms, computed once: the zone lookups are far too slow per sample
  // (a day has hundreds of thousands of staff positions). On a DST day one hour is missing or doubled.
  const [from, to] = localDayBounds(date, timeZone);
  const starts = Array.from({ length: 24 }, (_, h) => zonedToUtc(date, `${String(h).padStart(2, '0')}:00`, timeZone));
  const onDay = (ms: number): boolean => ms >= from && ms < to;
  const localHour = (ms: number): number => {
    let h = 23;
    while (h > 0 && ms < starts[h]!) h--;
    return h;
  };
  const hours = Array.from({ length: 24 }, () => ({ visitors: 0, consultations: 0, receipts: 0, sellers: new Set<string>() }));
  for (const v of day.visits) if (onDay(v.start)) hours[localHour(v.start)]!.visitors++;
  for (const c of day.consultations) if (onDay(c.start)) hours[localHour(c.start)]!.consultations++;
  for (const m of day.matches) if (onDay(m.receipt.t)) hours[localHour(m.receipt.t)]!.receipts++;
  for (const r of day.roles) {
    if (r.role !== 'staff' || r.sellerId === null) continue;
    for (const o of r.person.obs) if (onDay(o.t)) hours[localHour(o.t)]!.sellers.add(r.sellerId);
  }
  const floor: Array<readonly [number, number]> = [];
  for (const v of day.visits) for (const o of v.obs) if (o.world && onDay(o.t)) floor.push(o.world);
  return {
    report: day.report,
    heatmap: floorHeatmap(floor),
    hourly: hours.map((h, hour) => ({ hour, visitors: h.visitors, consultations: h.consultations, receipts: h.receipts, sellers_on_floor: h.sellers.size })),
    timeline: day.consultations
      .map((c) => ({ seller_id: c.sellerId, start_ms: c.start, end_ms: c.end, outcome: c.outcome }))
      .sort((a, b) => a.start_ms - b.start_ms),
  };
}
