/**
 * The agent's sales inputs as guarded jobs: the shift schedule refresh (at start and on
 * `sales.schedule.cron`) and the receipts folder scan (at start and every `sales.receipts.poll_s`).
 * Days whose receipts changed are handed to `onReceiptDays`, so the KPI roll-up recomputes them
 * (a new version of the same aggregate ids in the outbox).
 */
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import type { Config } from '../config/schema.js';
import { importReceiptFolder } from '../sales/receipt-folder.js';
import { isUrl } from '../sales/schedule-source.js';
import { problemSummary } from '../sales/csv.js';
import { problemLines, syncSchedule } from '../sales/schedule-sync.js';
import { cronJob, guardedJob, type CronJob, type GuardedJob } from './jobs.js';
import type { AgentLogger } from './logger.js';
import { daysWithKpis } from '../store/sales.js';

export interface SalesJobDeps {
  readonly db: Database.Database;
  /** The database file: the schedule cache sits beside it by default. */
  readonly dbPath: string;
  readonly cwd: string;
  readonly logger: AgentLogger;
  readonly clock: () => number;
  readonly onReceiptDays: (days: readonly string[]) => void;
}

export interface SalesJobs {
  /** The jobs that are configured (none when `sales` is empty). */
  readonly jobs: readonly GuardedJob[];
  /** Run every configured job once, schedule first (the roll-up needs the shifts). */
  runNow(): Promise<void>;
  /** Start the cron and polling timers. */
  start(): CronJob[];
}

const MAX_LOGGED_PROBLEMS = 50;

export function salesJobs(cfg: Readonly<Config>, deps: SalesJobDeps): SalesJobs {
  const { db, logger: log, clock } = deps;
  const s = cfg.sales;
  const tz = cfg.store.timezone;
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(deps.cwd, p));
  const scheduleSource = s.schedule.source;
  const schedule = scheduleSource
    ? guardedJob(
        'schedule',
        async () => {
          const r = await syncSchedule(db, {
            source: isUrl(scheduleSource) ? scheduleSource : abs(scheduleSource),
            cachePath: s.schedule.cache_path ? abs(s.schedule.cache_path) : join(dirname(deps.dbPath), 'schedule-cache.csv'),
            timeoutMs: s.schedule.timeout_s * 1000,
            timeZone: tz,
          });
          for (const w of r.warnings) log.warn({ source: r.source }, w);
          if (r.problems.length > 0)
            log.warn({ source: r.source, bad_rows: problemLines(r.problems).slice(0, MAX_LOGGED_PROBLEMS) }, `schedule: ${problemSummary(r.problems)}`);
          return { from: r.from, shifts: r.shifts, days: r.days, bad_rows: r.problems.length };
        },
        log,
        clock,
      )
    : null;
  const folder = s.receipts.folder;
  const receipts = folder
    ? guardedJob(
        'receipts',
        async () => {
          const r = await importReceiptFolder(db, {
            folder: abs(folder),
            extensions: s.receipts.extensions,
            minAgeS: s.receipts.min_age_s,
            timeZone: tz,
            nowMs: clock(),
          });
          if (r.problems.length > 0)
            log.warn({ folder: r.folder, bad_rows: problemLines(r.problems).slice(0, MAX_LOGGED_PROBLEMS) }, `receipts: ${problemSummary(r.problems)}`);
          if (r.days.length > 0) deps.onReceiptDays(r.days);
          // Quiet scans (nothing new) return undefined: the job logs them at debug only.
          return r.files.length > 0 ? { files: r.files, days: r.days, bad_rows: r.problems.length } : undefined;
        },
        log,
        clock,
      )
    : null;
  const jobs = [schedule, receipts].filter((j): j is GuardedJob => j !== null);
  return {
    jobs,
    async runNow() {
      for (const j of jobs) await j.runNow();
    },
    start() {
      const timers: CronJob[] = [];
      if (schedule) timers.push(cronJob(s.schedule.cron, schedule));
      if (receipts) {
        const h = setInterval(() => void receipts.runNow(), s.receipts.poll_s * 1000);
        h.unref();
        timers.push({ job: receipts, stop: () => clearInterval(h) });
      }
      return timers;
    },
  };
}

/**
 * What the agent does with days whose receipts changed: mark them for the next roll-up, and when
 * one of them already has KPIs saved (the receipt came late, after the roll-up) roll up now, so the
 * recomputed KPIs go out as a new version of the same records. Returns whether it rolled up now.
 */
export function receiptDaysHandler(db: Database.Database, dirtyDays: Set<string>, rollUpNow: () => void): (days: readonly string[]) => boolean {
  return (days) => {
    for (const d of days) dirtyDays.add(d);
    if (daysWithKpis(db, days).length === 0) return false;
    rollUpNow();
    return true;
  };
}
