import { describe, expect, it } from 'vitest';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../agent/src/store/open.js';
import { positionWriter, upsertTrack, insertCameraHealth } from '../../agent/src/store/detail.js';
import { storeReceipts } from '../../agent/src/store/sales.js';
import { saveDailyKpis, saveConsultations } from '../../agent/src/store/aggregates.js';
import { markSent, outboxBacklog, pendingRows } from '../../agent/src/store/outbox.js';
import { DAY_MS, emergencyPurge, runRetention } from '../../agent/src/store/retention.js';
import { runMaintenance, scheduleRetention, type StoreLogger } from '../../agent/src/store/schedule.js';

const NOW = Date.UTC(2026, 10, 20, 12);
const HOUR = 3_600_000;
const count = (s: Store, sql: string): number => s.db.prepare<[], { n: number }>(sql).get()?.n ?? -1;
const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Five days of detail, one track per hour with 600 positions, plus a day's aggregates per day. */
function fill(s: Store): void {
  s.db.transaction(() => fillDays(s))();
}

function fillDays(s: Store): void {
  const write = positionWriter(s.db);
  for (let h = 5 * 24; h >= 1; h--) {
    const t0 = NOW - h * HOUR;
    const trackId = upsertTrack(s.db, { cameraId: 'cam1', trackKey: `t${h}`, firstMs: t0, lastMs: t0 + 60_000 });
    write(Array.from({ length: 600 }, (_, i) => ({ trackId, tMs: t0 + i * 100, x: i, y: i, w: 40, h: 90, floorX: 1, floorY: 2 })));
    storeReceipts(s.db, [{ id: `r${h}`, tMs: t0 + 30_000, day: dayOf(t0), amountMinor: 1000, registerId: null, sellerId: null }]);
    insertCameraHealth(s.db, [{ cameraId: 'cam1', tMs: t0, state: 'up', fps: 25 }]);
    saveConsultations(
      s.db,
      's1',
      [{ id: `c${h}`, visitId: `v${h}`, sellerId: 'seller-a', cameraId: 'cam1', day: dayOf(t0), startMs: t0, endMs: t0 + 30_000 }],
      t0,
    );
  }
  for (let d = 5; d >= 1; d--) {
    saveDailyKpis(
      s.db,
      's1',
      [
        {
          sellerId: 'seller-a',
          day: dayOf(NOW - d * DAY_MS),
          consultations: d,
          consultedBuyers: 0,
          receiptsWithConsult: 0,
          amountWithConsultMinor: 0,
          receiptsWithoutConsult: 0,
          amountWithoutConsultMinor: 0,
          consultDurationMs: 0,
          customers: d,
          consultedCustomers: 0,
          successfulConsultations: 0,
          unsuccessfulConsultations: d,
          timeOnFloorSeconds: 0,
        },
      ],
      NOW - d * DAY_MS,
    );
  }
}

describe('retention', () => {
  it('deletes detail older than 3 days in batches, reclaims space, keeps unsent aggregates', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'fs-ret-')), 'fs.db');
    const s = openStore(path, { nowMs: NOW });
    fill(s);
    // Half of the outbox was sent (the older half); the rest is still waiting.
    const pending = pendingRows(s.db, 100_000);
    const sentSeqs = pending.slice(0, Math.floor(pending.length / 2)).map((r) => r.seq);
    markSent(s.db, sentSeqs, NOW - 4 * DAY_MS);
    const unsentBefore = outboxBacklog(s.db).unsent;
    s.db.pragma('wal_checkpoint(TRUNCATE)');
    const sizeBefore = statSync(path).size;

    const r = runRetention(s.db, { nowMs: NOW, retentionDays: 3, batchRows: 5000, outboxMaxRows: 1_000_000 });
    const cutoff = NOW - 3 * DAY_MS;
    expect(r.cutoffMs).toBe(cutoff);
    // 48 of 120 hourly tracks are older than the cutoff (h = 73..120), 600 positions each.
    expect(r.deleted).toMatchObject({
      positions: 48 * 600,
      tracks: 48,
      receipts: 48,
      camera_health: 48,
      consultations: 48,
      outbox: sentSeqs.length,
    });
    expect(r.batches).toBeGreaterThanOrEqual(Math.ceil((48 * 600) / 5000));
    expect(count(s, `SELECT COUNT(*) AS n FROM positions WHERE t_ms < ${cutoff}`)).toBe(0);
    expect(count(s, 'SELECT COUNT(*) AS n FROM positions')).toBe(72 * 600);
    // Unsent aggregates survive, however old.
    expect(outboxBacklog(s.db).unsent).toBe(unsentBefore);
    expect(r.unsentOutbox).toBe(unsentBefore);
    expect(count(s, `SELECT COUNT(*) AS n FROM outbox WHERE sent_ms IS NULL AND created_ms < ${cutoff}`)).toBeGreaterThan(0);
    expect(r.outboxOverCap).toBe(false);
    // Space given back to the file system, not just to SQLite's free list.
    expect(r.freedPages).toBeGreaterThan(0);
    expect(count(s, 'SELECT freelist_count AS n FROM pragma_freelist_count()')).toBe(0);
    expect(statSync(path).size).toBeLessThan(sizeBefore * 0.75);
    // Idempotent: a second run touches nothing.
    const again = runRetention(s.db, { nowMs: NOW, retentionDays: 3, batchRows: 5000, outboxMaxRows: 1_000_000 });
    expect(Object.values(again.deleted).every((n) => n === 0)).toBe(true);
    s.close();
  });

  it('warns loudly when the unsent outbox is over its cap, and drops nothing', () => {
    const s = openStore(':memory:', { nowMs: NOW });
    fill(s);
    const lines: Array<[string, string]> = [];
    const logger: StoreLogger = {
      info: (_o, m) => lines.push(['info', m]),
      warn: (_o, m) => lines.push(['warn', m]),
      error: (_o, m) => lines.push(['error', m]),
    };
    const unsent = outboxBacklog(s.db).unsent;
    const r = runMaintenance(
      { retention_days: 3, kpi_retention_days: 400, retention_cron: '7 * * * *', delete_batch_rows: 10_000, min_free_disk_mb: 0, outbox_max_rows: 100 },
      { db: s.db, dbPath: '/tmp/x.db', logger, clock: () => NOW, freeBytes: () => 1e12 },
    );
    expect(r.retention.outboxOverCap).toBe(true);
    expect(lines.some(([lvl, m]) => lvl === 'error' && /OUTBOX OVER CAP: \d+ unsent aggregates \(cap 100\)/.test(m))).toBe(true);
    expect(outboxBacklog(s.db).unsent).toBe(unsent);
    expect(r.emergency.triggered).toBe(false);
  });

  it('keeps the daily KPI rows, day views and seller names kpi_retention_days while the detail goes after 3', () => {
    const s = openStore(':memory:', { nowMs: NOW });
    fill(s);
    for (let d = 5; d >= 1; d--)
      s.db.prepare('INSERT INTO day_reports (day, report, computed_ms) VALUES (?, ?, ?)').run(dayOf(NOW - d * DAY_MS), '{}', NOW - d * DAY_MS);
    s.db.prepare('INSERT INTO seller_names (seller_id, name, updated_ms) VALUES (?, ?, ?)').run('seller-a', 'Анна', NOW - 5 * DAY_MS);
    const r = runRetention(s.db, { nowMs: NOW, retentionDays: 3, kpiRetentionDays: 400, batchRows: 5000, outboxMaxRows: 1_000_000 });
    expect(r.deleted).toMatchObject({ positions: 48 * 600, daily_kpis: 0, day_reports: 0, seller_names: 0 });
    expect(count(s, 'SELECT COUNT(*) AS n FROM daily_kpis')).toBe(5);
    expect(count(s, 'SELECT COUNT(*) AS n FROM day_reports')).toBe(5);
    // 402 days on (the 400 plus the one-day zone margin), they go too.
    const later = runRetention(s.db, { nowMs: NOW + 402 * DAY_MS, retentionDays: 3, kpiRetentionDays: 400, batchRows: 5000, outboxMaxRows: 1_000_000 });
    expect(later.deleted).toMatchObject({ daily_kpis: 5, day_reports: 5, seller_names: 1 });
    s.close();
  });

  it('emergency purge deletes the oldest detail an hour at a time until the disk floor is met', () => {
    const s = openStore(':memory:', { nowMs: NOW });
    fill(s);
    const total = count(s, 'SELECT COUNT(*) AS n FROM positions');
    // Pretend each position row costs 1 KiB of disk and the floor needs 10 hours' worth freed.
    const freeBytes = (): number => 1_000_000 + (total - count(s, 'SELECT COUNT(*) AS n FROM positions')) * 1024;
    const floor = 1_000_000 + 10 * 600 * 1024;
    const r = emergencyPurge(s.db, { floorBytes: floor, batchRows: 1000, freeBytes, keepAfterMs: NOW - HOUR });
    expect(r).toMatchObject({ triggered: true, exhausted: false, freeBytesBefore: 1_000_000 });
    expect(r.deleted.positions).toBe(10 * 600);
    expect(r.purgedBeforeMs).toBe(NOW - 110 * HOUR);
    expect(count(s, 'SELECT MIN(t_ms) AS n FROM positions')).toBe(NOW - 110 * HOUR);
    expect(outboxBacklog(s.db).unsent).toBeGreaterThan(0);
    // An unreachable floor purges everything older than keepAfter, then says so.
    const r2 = emergencyPurge(s.db, { floorBytes: 1e15, batchRows: 5000, freeBytes, keepAfterMs: NOW - 2 * HOUR });
    expect(r2.exhausted).toBe(true);
    expect(count(s, 'SELECT COUNT(*) AS n FROM positions')).toBe(2 * 600);
  });

  it('the scheduled job runs on its cron and reports through the logger', async () => {
    const s = openStore(':memory:', { nowMs: NOW });
    fill(s);
    const infos: object[] = [];
    const logger: StoreLogger = { info: (o) => infos.push(o), warn: () => {}, error: () => {} };
    const task = scheduleRetention(
      { retention_days: 3, kpi_retention_days: 400, retention_cron: '* * * * * *', delete_batch_rows: 10_000, min_free_disk_mb: 0, outbox_max_rows: 1_000_000 },
      { db: s.db, dbPath: '/tmp/x.db', logger, clock: () => NOW, freeBytes: () => 1e12 },
    );
    try {
      const t0 = Date.now();
      while (infos.length === 0 && Date.now() - t0 < 3000) await new Promise((r) => setTimeout(r, 50));
    } finally {
      task.stop();
    }
    expect(infos.length).toBeGreaterThan(0);
    expect(count(s, `SELECT COUNT(*) AS n FROM positions WHERE t_ms < ${NOW - 3 * DAY_MS}`)).toBe(0);
  });
});
