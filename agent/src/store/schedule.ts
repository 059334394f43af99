/**
 * The thin shell around retention: an hourly node-cron task that runs the 3-day rule, then the
 * disk-floor check, and logs what each touched. The agent calls `scheduleRetention` once at start
 * and `stop()` at shutdown; `runMaintenance` is the same work on demand (tests, CLI).
 */
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { schedule } from 'node-cron';
import type Database from 'better-sqlite3';
import { emergencyPurge, runRetention, type EmergencyReport, type RetentionReport } from './retention.js';

/** The slice of pino the store needs (pino's Logger satisfies it). */
export interface StoreLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface MaintenanceConfig {
  readonly retention_days: number;
  readonly kpi_retention_days: number;
  readonly retention_cron: string;
  readonly delete_batch_rows: number;
  readonly min_free_disk_mb: number;
  readonly outbox_max_rows: number;
}

export interface MaintenanceDeps {
  readonly db: Database.Database;
  readonly dbPath: string;
  readonly logger: StoreLogger;
  readonly clock: () => number;
  /** Free bytes on the file system holding `path`; defaults to fs.statfs. */
  readonly freeBytes?: (path: string) => number;
}

export interface MaintenanceReport {
  readonly retention: RetentionReport;
  readonly emergency: EmergencyReport;
}

export function freeBytesOf(path: string): number {
  const s = statfsSync(dirname(path));
  return Number(s.bavail) * Number(s.bsize);
}

export function runMaintenance(cfg: MaintenanceConfig, deps: MaintenanceDeps): MaintenanceReport {
  const nowMs = deps.clock();
  const retention = runRetention(
    deps.db,
    {
      nowMs,
      retentionDays: cfg.retention_days,
      kpiRetentionDays: cfg.kpi_retention_days,
      batchRows: cfg.delete_batch_rows,
      outboxMaxRows: cfg.outbox_max_rows,
    },
    deps.clock,
  );
  deps.logger.info({ retention }, 'retention: deleted detail older than the retention period');
  if (retention.outboxOverCap) {
    deps.logger.error(
      { unsent: retention.unsentOutbox, cap: cfg.outbox_max_rows },
      `OUTBOX OVER CAP: ${retention.unsentOutbox} unsent aggregates (cap ${cfg.outbox_max_rows}); nothing is dropped, but ClickHouse has not been reached for a long time: check sync.url and the network`,
    );
  }
  const free = deps.freeBytes ?? freeBytesOf;
  const emergency = emergencyPurge(deps.db, {
    floorBytes: cfg.min_free_disk_mb * 1024 * 1024,
    batchRows: cfg.delete_batch_rows,
    freeBytes: () => free(deps.dbPath),
    keepAfterMs: nowMs - 3_600_000,
  });
  if (emergency.triggered) {
    deps.logger.warn({ emergency }, `disk under the ${cfg.min_free_disk_mb} MiB floor: purged the oldest detail early`);
    if (emergency.exhausted) deps.logger.error({ emergency }, 'DISK STILL UNDER THE FLOOR after purging all older detail: free space on the disk');
  }
  return { retention, emergency };
}

export interface ScheduledMaintenance {
  stop(): void;
}

export function scheduleRetention(cfg: MaintenanceConfig, deps: MaintenanceDeps): ScheduledMaintenance {
  const task = schedule(
    cfg.retention_cron,
    () => {
      try {
        runMaintenance(cfg, deps);
      } catch (e) {
        // A failed run must not kill the agent; the next hour tries again.
        deps.logger.error({ err: e }, 'retention job failed');
      }
    },
    { name: 'floorsense-retention', noOverlap: true },
  );
  return { stop: () => void task.stop() };
}
