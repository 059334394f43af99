/**
 * The dashboard's local history: one day view (report, hourly traffic, consultation timeline) per
 * store-local day, written by the KPI roll-up, and the sellers' display names from the schedule.
 * Both are local only (the chain gets its records through the outbox) and kept
 * storage.kpi_retention_days (store/retention.ts), far longer than the 3-day detail.
 */
import type Database from 'better-sqlite3';
import type { DayView } from '../metrics/day-view.js';

export function saveDayView(db: Database.Database, view: DayView, nowMs: number): void {
  db.prepare(
    'INSERT INTO day_reports (day, report, computed_ms) VALUES (?, ?, ?) ON CONFLICT (day) DO UPDATE SET report = excluded.report, computed_ms = excluded.computed_ms',
  ).run(view.report.date, JSON.stringify(view), nowMs);
}

export function loadDayView(db: Database.Database, day: string): DayView | null {
  const row = db.prepare<[string], { report: string }>('SELECT report FROM day_reports WHERE day = ?').get(day);
  return row ? (JSON.parse(row.report) as DayView) : null;
}

/** Saved day views of [from, to] (inclusive, YYYY-MM-DD), oldest first. */
export function dayViewsBetween(db: Database.Database, from: string, to: string): DayView[] {
  return db
    .prepare<[string, string], { report: string }>('SELECT report FROM day_reports WHERE day >= ? AND day <= ? ORDER BY day')
    .all(from, to)
    .map((r) => JSON.parse(r.report) as DayView);
}

export function savedDays(db: Database.Database): string[] {
  return db
    .prepare<[], { day: string }>('SELECT day FROM day_reports ORDER BY day')
    .all()
    .map((r) => r.day);
}

/** Remember display names (the latest schedule wins); blank names are ignored. */
export function saveSellerNames(db: Database.Database, names: ReadonlyMap<string, string>, nowMs: number): number {
  const stmt = db.prepare(
    'INSERT INTO seller_names (seller_id, name, updated_ms) VALUES (?, ?, ?) ON CONFLICT (seller_id) DO UPDATE SET name = excluded.name, updated_ms = excluded.updated_ms',
  );
  return db.transaction((): number => {
    let n = 0;
    for (const [id, name] of names) {
      if (name.trim() === '') continue;
      stmt.run(id, name.trim(), nowMs);
      n++;
    }
    return n;
  })();
}

export function sellerNames(db: Database.Database): Map<string, string> {
  return new Map(
    db
      .prepare<[], { id: string; name: string }>('SELECT seller_id AS id, name FROM seller_names')
      .all()
      .map((r) => [r.id, r.name]),
  );
}
