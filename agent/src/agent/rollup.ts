/**
 * The daily roll-up the agent can do on its own data: camera coverage per store-local day
 * (camera_uptime, queued for sync), from the camera_health samples the live supervisors record.
 */
import type Database from 'better-sqlite3';
import { localDate, localDayBounds } from '../sales/local-time.js';
import { saveCameraUptime, type CameraUptime } from '../store/aggregates.js';
import { insertCameraHealth } from '../store/detail.js';
import { AGENT_STOPPED, uptimeInWindow, type HealthSample } from './uptime.js';

export interface UptimeRollupReport {
  readonly days: readonly string[];
  readonly cameras: number;
}

/** Recompute camera_uptime for the store-local days `dates` (e.g. yesterday and today). */
export function rollUpCameraUptime(db: Database.Database, storeId: string, timeZone: string, dates: readonly string[], nowMs: number): UptimeRollupReport {
  const rows: CameraUptime[] = [];
  for (const day of dates) {
    const [from, to] = localDayBounds(day, timeZone);
    const samples = db
      .prepare<[number, number], HealthSample>('SELECT camera_id AS cameraId, t_ms AS tMs, state, detail FROM camera_health WHERE t_ms >= ? AND t_ms < ? ORDER BY t_ms')
      .all(from, to);
    const before = new Map<string, string>();
    const last = db.prepare<[number], { cameraId: string; state: string }>(
      `SELECT h.camera_id AS cameraId, h.state FROM camera_health h
       JOIN (SELECT camera_id, MAX(t_ms) AS t FROM camera_health WHERE t_ms < ? GROUP BY camera_id) m ON m.camera_id = h.camera_id AND m.t = h.t_ms`,
    );
    for (const r of last.all(from)) before.set(r.cameraId, r.state);
    for (const u of uptimeInWindow(samples, before, from, to, nowMs)) rows.push({ cameraId: u.cameraId, day, upMs: u.upMs, downMs: u.downMs, outages: u.outages });
  }
  if (rows.length > 0) saveCameraUptime(db, storeId, rows, nowMs);
  return { days: dates, cameras: new Set(rows.map((r) => r.cameraId)).size };
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
  const last = db.prepare<[string], { tMs: number; state: string }>('SELECT t_ms AS tMs, state FROM camera_health WHERE camera_id = ? ORDER BY t_ms DESC, rowid DESC LIMIT 1');
  const lastSeen = db.prepare<[string], { t: number | null }>('SELECT MAX(last_ms) AS t FROM tracks WHERE camera_id = ?');
  const closed: string[] = [];
  for (const id of cameraIds) {
    const l = last.get(id);
    if (l?.state !== 'up') continue;
    const t = Math.max(l.tMs, lastSeen.get(id)?.t ?? 0);
    insertCameraHealth(db, [{ cameraId: id, tMs: t, state: 'down', detail: `${AGENT_STOPPED} (unclean: no shutdown record)` }]);
    closed.push(id);
  }
  return closed;
}
