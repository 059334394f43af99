/**
 * The daily roll-up the agent can do on its own data: camera coverage per store-local day
 * (camera_uptime, queued for sync), from the camera_health samples the live supervisors record,
 * and `rollUpDay`, one day's whole roll-up (coverage, then KPIs) as one transaction. The agent runs
 * it on the roll-up worker (rollup-worker.ts), off the event loop.
 */
import type Database from 'better-sqlite3';
import type { Config } from '../config/schema.js';
import { analyzeStoredDay, rollUpKpis } from './store-day.js';
import { localDate, localDayBounds } from '../core/local-time.js';
import { saveCameraUptime, type CameraUptime } from '../store/aggregates.js';
import { appearanceSpaces, daySpace } from '../store/appearance.js';
import { healthSamplesBetween, healthStatesBefore, insertCameraHealth, lastHealthSample, lastTrackSeenMs } from '../store/detail.js';
import { openingIntervalOn, type OpeningHours } from '../health/opening-hours.js';
import { AGENT_STOPPED, uptimeInWindow, type HealthSample } from './uptime.js';

export interface UptimeRollupReport {
  readonly days: readonly string[];
  readonly cameras: number;
}

/**
 * Recompute camera_uptime for the store-local days `dates` (e.g. yesterday and today), over each
 * day's opening hours: a camera switched off at night is not a gap in what the KPIs saw, and the
 * live coverage the API shows for today (health/coverage.ts) is measured over the same window, so
 * a day's figure does not jump when the day ends. `hours` null counts the whole local day. A day
 * the shop is closed gets no row (coverage unknown rather than 0 %).
 */
export function rollUpCameraUptime(
  db: Database.Database,
  storeId: string,
  timeZone: string,
  dates: readonly string[],
  nowMs: number,
  hours: OpeningHours | null,
): UptimeRollupReport {
  const rows: CameraUptime[] = [];
  for (const day of dates) {
    const window = hours === null ? localDayBounds(day, timeZone) : openingIntervalOn(day, hours, timeZone);
    if (window === null) continue;
    const [from, to] = window;
    const samples: HealthSample[] = healthSamplesBetween(db, from, to);
    for (const u of uptimeInWindow(samples, healthStatesBefore(db, from), from, to, nowMs))
      rows.push({ cameraId: u.cameraId, day, upMs: u.upMs, downMs: u.downMs, outages: u.outages });
  }
  if (rows.length > 0) saveCameraUptime(db, storeId, rows, nowMs);
  return { days: dates, cameras: new Set(rows.map((r) => r.cameraId)).size };
}

export interface DayRollupReport {
  readonly date: string;
  /** Cameras with coverage saved for the day. */
  readonly cameras: number;
  readonly visits: number;
  readonly consultations: number;
  readonly sellers: number;
  /**
   * The appearance the day's stitching used (store/appearance.ts): the model's space, its tracks,
   * and tracks embedded by another model that day (a model change), which were stitched by motion only.
   */
  readonly appearance: { readonly model: string | null; readonly tracks: number; readonly otherSpace: number };
}

/**
 * Roll up store-local `date`: camera coverage, then the KPIs and chain records (store-day.ts
 * `rollUpKpis`), saved in ONE transaction, so a stop or a crash leaves the day either as the last
 * roll-up saved it or fully recomputed, never half. The analytics (seconds on a busy day) run before
 * the transaction, on their own reads: the write lock is held only for the saves, so the agent's
 * other writers (frames, receipts) wait milliseconds, not the analysis. A change landing between
 * the two marks the day dirty again and the next roll-up includes it. IMMEDIATE: taking the write
 * lock up front means the transaction never fails half-way on a snapshot another writer moved.
 */
export function rollUpDay(db: Database.Database, cfg: Readonly<Config>, date: string, nowMs: number): DayRollupReport {
  const analyzed = analyzeStoredDay(db, cfg, date);
  const spaces = appearanceSpaces(db, ...localDayBounds(date, cfg.store.timezone));
  const space = daySpace(spaces);
  const embedded = spaces.reduce((m, s) => m + s.tracks, 0);
  const appearance = { model: space?.model ?? null, tracks: space?.tracks ?? 0, otherSpace: embedded - (space?.tracks ?? 0) };
  return db
    .transaction((): DayRollupReport => {
      const uptime = rollUpCameraUptime(db, cfg.store.id, cfg.store.timezone, [date], nowMs, cfg.health.opening_hours);
      const k = rollUpKpis(db, cfg, date, nowMs, analyzed);
      return { date, cameras: uptime.cameras, visits: k.visits, consultations: k.consultations?.rows ?? 0, sellers: k.kpis?.rows ?? 0, appearance };
    })
    .immediate();
}

/** Yesterday and today in the store's zone: a roll-up after close also settles the day before. */
export function recentDays(nowMs: number, timeZone: string): string[] {
  return [localDate(nowMs - 86_400_000, timeZone), localDate(nowMs, timeZone)];
}

/**
 * After an unclean stop (crash, power cut, SIGKILL) a live camera's last health sample says 'up'
 * although nobody watched it since. Close it with a 'down' at the last moment anything was stored
 * for that camera, so the gap counts as down time rather than coverage. Returns the cameras closed.
 */
export function closeDanglingUp(db: Database.Database, cameraIds: readonly string[]): string[] {
  const closed: string[] = [];
  for (const id of cameraIds) {
    const l = lastHealthSample(db, id);
    if (l?.state !== 'up') continue;
    const t = Math.max(l.tMs, lastTrackSeenMs(db, id) ?? 0);
    insertCameraHealth(db, [{ cameraId: id, tMs: t, state: 'down', detail: `${AGENT_STOPPED} (unclean: no shutdown record)` }]);
    closed.push(id);
  }
  return closed;
}
