/**
 * One schedule refresh: load the schedule (source or cache) and replace the days it covers in the
 * store's shifts table. The agent runs this at start and on `sales.schedule.cron`.
 */
import type Database from 'better-sqlite3';
import { localDayBounds } from '../core/local-time.js';
import { loadSchedule, type ScheduleSourceOptions } from './schedule-source.js';
import { problemLine, type RowProblem } from './csv.js';
import { replaceShifts } from '../store/sales.js';
import { saveSellerNames } from '../store/day-reports.js';

export interface ScheduleSyncReport {
  readonly source: string;
  readonly from: 'source' | 'cache';
  readonly shifts: number;
  readonly days: readonly string[];
  readonly problems: readonly RowProblem[];
  readonly warnings: readonly string[];
}

export async function syncSchedule(db: Database.Database, o: ScheduleSourceOptions, tag?: string): Promise<ScheduleSyncReport> {
  const load = await loadSchedule(o, tag);
  const r = replaceShifts(
    db,
    load.shifts.map((s) => ({ date: s.date, sellerId: s.sellerId, startMs: s.start, endMs: s.end })),
    (d) => localDayBounds(d, o.timeZone),
  );
  // Names outlive the shifts (detail): the dashboard names sellers on every day it keeps.
  saveSellerNames(db, new Map(load.shifts.map((s) => [s.sellerId, s.name])), Date.now());
  return { source: o.source, from: load.from, shifts: r.inserted, days: r.days, problems: load.problems, warnings: load.warnings };
}

/** "file:line: message (row skipped | whole file ignored)" lines for the log. */
export function problemLines(problems: readonly RowProblem[]): string[] {
  return problems.map(problemLine);
}
