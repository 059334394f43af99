/**
 * Issue 14 item 2: a schedule seller id "Анна" was accepted at import, then every roll-up of the
 * day failed in the outbox's id check and nothing was saved for any seller. Now the import refuses
 * that row by file and line, the other sellers' shifts are stored, and the day's KPIs are saved for
 * them. Real SQLite, a real schedule file read by the agent's schedule job, a simulated store day.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resultsWriter } from '../../agent/src/agent/results-store.js';
import { rollUpKpis } from '../../agent/src/agent/store-day.js';
import { localDayBounds } from '../../agent/src/core/local-time.js';
import { problemLines, syncSchedule } from '../../agent/src/sales/schedule-sync.js';
import { toStoredReceipt } from '../../agent/src/sales/stored-receipt.js';
import { loadScenarioFile, validateScenario } from '../../agent/src/sim/scenario.js';
import { simulateDay } from '../../agent/src/sim/simulate.js';
import { openStore } from '../../agent/src/store/open.js';
import { replaceShifts, storeReceipts } from '../../agent/src/store/sales.js';
import { REPO_ROOT } from '../helpers/shared-data.js';

describe('a bad seller id in the schedule does not kill the day', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fs-badseller-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the "Анна" row is refused with file:line; the other sellers\' KPIs are saved', async () => {
    // The busy scenario cut to three hours (s1, s2 and s4 on shift) at stride 50, to stay quick.
    const base = loadScenarioFile(join(REPO_ROOT, 'config/scenarios/busy-three-cameras.yaml'));
    const short = validateScenario({
      ...base,
      hours: { open: '10:00', close: '13:00' },
      customers: { ...base.customers, arrivals_per_hour: [15, 20, 25] },
      noise: {},
      video: { ...base.video, stride: 50 },
    });
    const day = simulateDay(short, 7);
    const date = day.scenario.date;
    const tz = day.config.store.timezone;

    // The chain's sheet, with s2's id typed as the seller's name.
    const lines = day.scheduleCsv.trimEnd().split('\n');
    const s2 = lines.findIndex((l) => l.split(',')[1] === 's2');
    expect(s2).toBeGreaterThan(0);
    lines[s2] = lines[s2]!.replace(',s2,', ',Анна,');
    const schedule = join(dir, 'schedule.csv');
    writeFileSync(schedule, `${lines.join('\n')}\n`);

    const store = openStore(join(dir, 'fs.db'), { nowMs: 0 });
    try {
      const db = store.db;
      for (const s of day.streams) {
        const w = resultsWriter(db, s.camera, 'sim', `sim:${s.camera}`, () => 0);
        w.write({
          samples: s.rows.map((r) => ({
            trackerId: r.id,
            tMs: s.timebase.startMs + Math.round(((r.frame - 1) * 1000) / s.timebase.fps),
            x: r.x,
            y: r.y,
            w: r.w,
            h: r.h,
            score: r.conf,
          })),
          positionMs: 0,
        });
      }
      storeReceipts(
        db,
        day.receipts.map((r) => toStoredReceipt(r, tz)),
      );

      const sync = await syncSchedule(db, { source: schedule, cachePath: join(dir, 'cache.csv'), timeoutMs: 1000, timeZone: tz }, 't');
      expect(problemLines(sync.problems)).toEqual([
        `${schedule}:${s2 + 1}: seller_id "Анна" is not an id of 1-128 letters A-Z a-z, digits, _ . : -; a display name goes in the name column, the id is e.g. anna-ivanova or S12 (row skipped)`,
      ]);
      const stored = db.prepare('SELECT DISTINCT seller_id AS id FROM shifts ORDER BY id').all() as Array<{ id: string }>;
      const others = day.shifts.map((s) => s.sellerId).filter((id) => id !== 's2');
      expect(stored.map((r) => r.id)).toEqual([...new Set(others)].sort());
      // The cached copy is the sheet as fetched, bad row included: the next offline day says the same.
      expect(readFileSync(join(dir, 'cache.csv'), 'utf8')).toContain(',Анна,');

      const report = rollUpKpis(db, day.config, date, 1);
      expect(report.visits).toBeGreaterThan(10);
      const kpis = db.prepare('SELECT seller_id AS id, consultations FROM daily_kpis WHERE day = ? ORDER BY seller_id').all(date) as Array<{
        id: string;
        consultations: number;
      }>;
      // Every seller on the sheet but the refused row's: s3's shift starts after this short day's close.
      expect(kpis.map((k) => k.id)).toEqual(['s1', 's3', 's4']);
      expect(kpis.reduce((n, k) => n + k.consultations, 0)).toBeGreaterThan(0);
      const queued = db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE record_type = 'seller_daily_kpi'").get() as { n: number };
      expect(queued.n).toBe(3);

      // Any other writer is held to the same rule: nothing is replaced, the stored day stays whole.
      expect(() =>
        replaceShifts(db, [{ date, sellerId: 'Анна', startMs: localDayBounds(date, tz)[0] + 36e6, endMs: localDayBounds(date, tz)[0] + 40e6 }], (d) =>
          localDayBounds(d, tz),
        ),
      ).toThrow(/^shifts\[0\]\.sellerId: "Анна" is not a seller id .*; nothing was replaced$/);
      expect((db.prepare('SELECT DISTINCT seller_id AS id FROM shifts ORDER BY id').all() as Array<{ id: string }>).map((r) => r.id)).toEqual(
        stored.map((r) => r.id),
      );
    } finally {
      store.close();
    }
  }, 30_000);
});
