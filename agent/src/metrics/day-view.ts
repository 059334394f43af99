/**
 * What the manager's dashboard shows for one store day, beside the KPI report: traffic per local
 * hour (visitors arriving, consultations starting, receipts, sellers seen on the floor) and the
 * consultations as a timeline (one lane per seller, coloured by outcome). Built from the same
 * analysis the KPIs come from, so the chart and the numbers never disagree; small enough (a few
 * KB) to keep per day long after the detail is gone.
 */
import { localDayBounds, zonedToUtc } from '../core/local-time.js';
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

/**
 * Where customers were on one camera without a floor homography: foot points counted on a grid of
 * the camera's image (source pixels, the grid anchored at the image's top-left corner), for the
 * page to draw over that camera's picture. Pixels of different cameras do not add up, so each
 * uncalibrated camera gets its own; a calibrated camera's positions go to the floor plan instead.
 */
export interface CameraHeatmap {
  readonly camera: string;
  /** Cell side in image pixels. */
  readonly cell_px: number;
  readonly cols: number;
  readonly rows: number;
  /** Row-major samples per cell, rows x cols. */
  readonly counts: readonly number[];
}

export interface DayView {
  readonly report: DayReport;
  readonly hourly: readonly HourTraffic[];
  readonly timeline: readonly TimelineItem[];
  readonly heatmap?: FloorHeatmap | null;
  /** One per camera without a floor homography that saw customers; absent in views saved before. */
  readonly camera_heatmaps?: readonly CameraHeatmap[];
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

/** About this many cells across the occupied width of a picture: fine enough to show aisles, coarse enough to be a few KB. */
const CELLS_ACROSS = 48;

export function cameraHeatmaps(points: Iterable<{ readonly camera: string; readonly foot: readonly [number, number] }>): CameraHeatmap[] {
  const byCam = new Map<string, Array<readonly [number, number]>>();
  for (const p of points) {
    if (!(p.foot[0] >= 0 && p.foot[1] >= 0)) continue; // off the picture (or NaN): nothing to draw it on
    let list = byCam.get(p.camera);
    if (!list) {
      list = [];
      byCam.set(p.camera, list);
    }
    list.push(p.foot);
  }
  const out: CameraHeatmap[] = [];
  for (const [camera, pts] of [...byCam].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    let maxX = 0;
    let maxY = 0;
    for (const [x, y] of pts) {
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    }
    // The image size is not stored with the tracks: the grid spans what was occupied, from the
    // origin, so it lines up with the picture whatever its size.
    const cell = Math.max(4, Math.ceil(Math.max(maxX, maxY) / CELLS_ACROSS));
    const cols = Math.min(MAX_CELLS_PER_SIDE, Math.floor(maxX / cell) + 1);
    const rows = Math.min(MAX_CELLS_PER_SIDE, Math.floor(maxY / cell) + 1);
    const counts = new Array<number>(cols * rows).fill(0);
    for (const [x, y] of pts) {
      const c = Math.floor(x / cell);
      const r = Math.floor(y / cell);
      if (c < cols && r < rows) counts[r * cols + c]!++;
    }
    out.push({ camera, cell_px: cell, cols, rows, counts });
  }
  return out;
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
  const pictures: Array<{ camera: string; foot: readonly [number, number] }> = [];
  for (const v of day.visits)
    for (const o of v.obs) {
      if (!onDay(o.t)) continue;
      if (o.world) floor.push(o.world);
      else pictures.push({ camera: o.camera, foot: o.foot });
    }
  return {
    report: day.report,
    heatmap: floorHeatmap(floor),
    camera_heatmaps: cameraHeatmaps(pictures),
    hourly: hours.map((h, hour) => ({ hour, visitors: h.visitors, consultations: h.consultations, receipts: h.receipts, sellers_on_floor: h.sellers.size })),
    timeline: day.consultations
      .map((c) => ({ seller_id: c.sellerId, start_ms: c.start, end_ms: c.end, outcome: c.outcome }))
      .sort((a, b) => a.start_ms - b.start_ms),
  };
}
