import { z } from 'zod';
import { validate as validateCron } from 'node-cron';

/**
 * The local SQLite store: where it lives, how long detail is kept, and the floors that protect the
 * box's disk. Aggregates waiting in the outbox are never purged by `retention_days`.
 */
export const storageSection = z
  .strictObject({
    path: z.string().min(1).default('data/floorsense.db').describe('SQLite database file (WAL files sit beside it).'),
    retention_days: z
      .int()
      .min(1)
      .max(3)
      .default(3)
      .describe('Days of detail (tracks, positions, visits, receipts...) kept on the box; the design caps it at 3.'),
    kpi_retention_days: z
      .int()
      .min(3)
      .max(3660)
      .default(400)
      .describe(
        'Days the small daily KPI rows (per-seller KPIs, day reports, camera uptime) are kept locally, for history and trends; far longer than the detail.',
      ),
    retention_cron: z
      .string()
      .refine(validateCron, { message: 'not a cron expression (e.g. "7 * * * *")' })
      .default('7 * * * *')
      .describe('When the retention job runs (node-cron syntax); hourly by default.'),
    delete_batch_rows: z
      .int()
      .min(100)
      .max(1_000_000)
      .default(20_000)
      .describe('Rows deleted per transaction by retention, so writers are never blocked long.'),
    min_free_disk_mb: z
      .int()
      .min(0)
      .max(1_000_000)
      .default(1024)
      .describe('Free-disk floor (MiB); below it the oldest detail is purged early, a day-slice at a time.'),
    outbox_max_rows: z
      .int()
      .min(1000)
      .max(100_000_000)
      .default(1_000_000)
      .describe('Unsent aggregates above this count raise a loud warning; they are never dropped.'),
    integrity_check: z.enum(['quick', 'off']).default('quick').describe('Check the database at start (PRAGMA quick_check); off skips it on very large stores.'),
  })
  .describe('Local SQLite store, retention and disk floors.');
