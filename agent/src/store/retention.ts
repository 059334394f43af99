/**
 * Retention: detail older than retention_days is deleted in small batches (each its own short
 * transaction, so the pipeline's writers wait milliseconds, not minutes) and the pages are given
 * back to the file system (incremental vacuum + WAL truncate). Unsent outbox rows are never
 * touched; sent ones are forgotten after the same period.
 *
 * The emergency purge runs when free disk falls under the floor: it deletes the oldest detail an
 * hour-slice at a time until the floor is met or no detail is left, and says which.
 */
import type Database from 'better-sqlite3';

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Detail tables and the UTC-ms column that dates each row. */
export const DETAIL_TABLES: ReadonlyArray<{ readonly table: string; readonly timeCol: string }> = Object.freeze([
  { table: 'positions', timeCol: 't_ms' },
  { table: 'tracks', timeCol: 'last_ms' },
  { table: 'consultations', timeCol: 'start_ms' },
  { table: 'receipts', timeCol: 't_ms' },
  { table: 'shifts', timeCol: 'start_ms' },
  { table: 'camera_health', timeCol: 't_ms' },
  { table: 'hourly_traffic', timeCol: 'hour_ms' },
]);

/**
 * Day-keyed local aggregate tables: a few rows per day, kept `kpiRetentionDays` (far longer than
 * the detail) so the dashboard shows history and 30-day trends after the detail is gone.
 */
const DAY_TABLES: readonly string[] = Object.freeze(['daily_kpis', 'store_days', 'camera_uptime', 'day_reports']);

export interface RetentionOptions {
  readonly nowMs: number;
  readonly retentionDays: number;
  /** Days the day-keyed aggregates (DAY_TABLES) and seller names are kept; absent: as the detail. */
  readonly kpiRetentionDays?: number;
  readonly batchRows: number;
  /** Unsent outbox rows above this raise `outboxOverCap` (the caller warns loudly). */
  readonly outboxMaxRows: number;
}

export interface RetentionReport {
  readonly cutoffMs: number;
  readonly deleted: Readonly<Record<string, number>>;
  readonly batches: number;
  readonly freedPages: number;
  readonly unsentOutbox: number;
  readonly outboxOverCap: boolean;
  readonly durationMs: number;
}

/** Delete rows with `col < bound`, `batchRows` per transaction; returns rows and batches. */
function deleteInBatches(
  db: Database.Database,
  table: string,
  col: string,
  bound: number | string,
  batchRows: number,
  extraWhere = '',
): { rows: number; batches: number } {
  const stmt = db.prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${col} < ? ${extraWhere} LIMIT ?)`);
  let rows = 0;
  let batches = 0;
  for (;;) {
    const n = stmt.run(bound, batchRows).changes;
    if (n === 0) break;
    rows += n;
    batches += 1;
    if (n < batchRows) break;
  }
  return { rows, batches };
}

/** Hand free pages back to the file system; returns pages released. */
export function reclaimSpace(db: Database.Database): number {
  const before = Number(db.pragma('freelist_count', { simple: true }));
  db.pragma('incremental_vacuum');
  db.pragma('wal_checkpoint(TRUNCATE)');
  const after = Number(db.pragma('freelist_count', { simple: true }));
  return Math.max(0, before - after);
}

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function runRetention(db: Database.Database, opts: RetentionOptions, clock: () => number = () => opts.nowMs): RetentionReport {
  const started = clock();
  const cutoffMs = opts.nowMs - opts.retentionDays * DAY_MS;
  const deleted: Record<string, number> = {};
  let batches = 0;
  const add = (table: string, r: { rows: number; batches: number }): void => {
    deleted[table] = (deleted[table] ?? 0) + r.rows;
    batches += r.batches;
  };
  for (const { table, timeCol } of DETAIL_TABLES) add(table, deleteInBatches(db, table, timeCol, cutoffMs, opts.batchRows));
  // A local day is at most 14 h off UTC: keep one extra day so no store's day is cut short.
  const kpiCutoffMs = opts.nowMs - Math.max(opts.kpiRetentionDays ?? opts.retentionDays, opts.retentionDays) * DAY_MS;
  const cutoffDay = utcDay(kpiCutoffMs - DAY_MS);
  for (const table of DAY_TABLES) add(table, deleteInBatches(db, table, 'day', cutoffDay, opts.batchRows));
  add('seller_names', deleteInBatches(db, 'seller_names', 'updated_ms', kpiCutoffMs, opts.batchRows));
  add('jobs', deleteInBatches(db, 'jobs', 'updated_ms', cutoffMs, opts.batchRows, "AND state IN ('done', 'failed')"));
  add('checkpoints', deleteInBatches(db, 'checkpoints', 'updated_ms', cutoffMs, opts.batchRows, 'AND job_id NOT IN (SELECT id FROM jobs)'));
  // Sent outbox rows only: `sent_ms < cutoff` is false for NULL, so unsent rows never match.
  add('outbox', deleteInBatches(db, 'outbox', 'sent_ms', cutoffMs, opts.batchRows, 'AND sent_ms IS NOT NULL'));
  const freedPages = reclaimSpace(db);
  const unsentOutbox = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM outbox WHERE sent_ms IS NULL').get()?.n ?? 0;
  return { cutoffMs, deleted, batches, freedPages, unsentOutbox, outboxOverCap: unsentOutbox > opts.outboxMaxRows, durationMs: clock() - started };
}

export interface EmergencyOptions {
  readonly floorBytes: number;
  readonly batchRows: number;
  /** Free bytes on the database's file system now (fs.statfs in production). */
  readonly freeBytes: () => number;
  /** Never delete detail newer than this (e.g. the last hour the pipeline is still writing). */
  readonly keepAfterMs: number;
}

export interface EmergencyReport {
  readonly triggered: boolean;
  readonly freeBytesBefore: number;
  readonly freeBytesAfter: number;
  readonly deleted: Readonly<Record<string, number>>;
  /** Detail deleted up to (exclusive), UTC ms; null when nothing was deleted. */
  readonly purgedBeforeMs: number | null;
  /** True when the floor is still not met and no deletable detail is left. */
  readonly exhausted: boolean;
}

function oldestDetailMs(db: Database.Database): number | null {
  let oldest: number | null = null;
  for (const { table, timeCol } of DETAIL_TABLES) {
    const v = db.prepare<[], { m: number | null }>(`SELECT MIN(${timeCol}) AS m FROM ${table}`).get()?.m ?? null;
    if (v !== null && (oldest === null || v < oldest)) oldest = v;
  }
  return oldest;
}

export function emergencyPurge(db: Database.Database, opts: EmergencyOptions): EmergencyReport {
  const freeBytesBefore = opts.freeBytes();
  const deleted: Record<string, number> = {};
  if (freeBytesBefore >= opts.floorBytes) {
    return { triggered: false, freeBytesBefore, freeBytesAfter: freeBytesBefore, deleted, purgedBeforeMs: null, exhausted: false };
  }
  let free = freeBytesBefore;
  let purgedBeforeMs: number | null = null;
  let exhausted = false;
  while (free < opts.floorBytes) {
    const oldest = oldestDetailMs(db);
    if (oldest === null || oldest >= opts.keepAfterMs) {
      exhausted = true;
      break;
    }
    const bound = Math.min(Math.floor(oldest / HOUR_MS) * HOUR_MS + HOUR_MS, opts.keepAfterMs);
    for (const { table, timeCol } of DETAIL_TABLES) {
      const r = deleteInBatches(db, table, timeCol, bound, opts.batchRows);
      deleted[table] = (deleted[table] ?? 0) + r.rows;
    }
    purgedBeforeMs = bound;
    reclaimSpace(db);
    free = opts.freeBytes();
  }
  return { triggered: true, freeBytesBefore, freeBytesAfter: free, deleted, purgedBeforeMs, exhausted };
}
