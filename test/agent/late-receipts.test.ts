/**
 * A receipt that arrives after the day's KPI roll-up: the agent's handler sees the day already has
 * KPIs and rolls up again, and the recomputed KPIs become a new version of the same records in the
 * outbox, equal to what an on-time receipt would have given. Real SQLite, a simulated store day.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultsWriter } from '../../agent/src/agent/results-store.js';
import { receiptDaysHandler } from '../../agent/src/agent/sales-jobs.js';
import { rollUpKpis } from '../../agent/src/agent/store-day.js';
import { localDayBounds } from '../../agent/src/core/local-time.js';
import { toStoredReceipt } from '../../agent/src/sales/stored-receipt.js';
import { loadScenarioFile, validateScenario } from '../../agent/src/sim/scenario.js';
import { simulateDay, type SimulatedDay } from '../../agent/src/sim/simulate.js';
import { openStore } from '../../agent/src/store/open.js';
import { replaceShifts, storeReceipts } from '../../agent/src/store/sales.js';
import { REPO_ROOT } from '../helpers/shared-data.js';

function storeOf(day: SimulatedDay, receiptIds: ReadonlySet<string>) {
  const store = openStore(':memory:', { nowMs: 0 });
  const db = store.db;
  for (const s of day.streams) {
    const w = resultsWriter(db, s.camera, 'sim', `sim:${s.camera}`, () => 0);
    const samples = s.rows.map((r) => ({
      trackerId: r.id,
      tMs: s.timebase.startMs + Math.round(((r.frame - 1) * 1000) / s.timebase.fps),
      x: r.x,
      y: r.y,
      w: r.w,
      h: r.h,
      score: r.conf,
    }));
    w.write({ samples, positionMs: 0 });
  }
  const tz = day.config.store.timezone;
  replaceShifts(
    db,
    day.shifts.map((x) => ({ date: x.date, sellerId: x.sellerId, startMs: x.start, endMs: x.end })),
    (d) => localDayBounds(d, tz),
  );
  storeReceipts(
    db,
    day.receipts.filter((r) => receiptIds.has(r.receiptId)).map((r) => toStoredReceipt(r, tz)),
  );
  return store;
}

const kpiRows = (db: ReturnType<typeof openStore>['db']) =>
  db
    .prepare(
      'SELECT seller_id, day, consultations, receipts_with_consult, amount_with_consult_minor, receipts_without_consult, amount_without_consult_minor FROM daily_kpis ORDER BY seller_id',
    )
    .all();

describe('late receipts', () => {
  it('a receipt stored after the roll-up triggers a recompute; the KPIs go out as version 2 of the same ids', () => {
    // The quiet scenario cut to three hours at stride 50: three day analyses stay well under the time box.
    const base = loadScenarioFile(join(REPO_ROOT, 'config/scenarios/quiet-one-seller.yaml'));
    const short = validateScenario({
      ...base,
      hours: { open: '10:00', close: '13:00' },
      customers: { ...base.customers, arrivals_per_hour: [8, 10, 10] },
      video: { ...base.video, stride: 50 },
    });
    const day = simulateDay(short, 3);
    const date = day.scenario.date;
    const tz = day.config.store.timezone;
    expect(day.receipts.length).toBeGreaterThan(4);
    const all = new Set(day.receipts.map((r) => r.receiptId));
    // The last three receipts of the day reach the box late (a POS export after closing).
    const late = day.receipts.slice(-3);
    const onTime = new Set([...all].filter((id) => !late.some((l) => l.receiptId === id)));

    const ref = storeOf(day, all);
    rollUpKpis(ref.db, day.config, date, 1);
    const expected = kpiRows(ref.db);
    ref.close();

    const s = storeOf(day, onTime);
    rollUpKpis(s.db, day.config, date, 1);
    const before = kpiRows(s.db);
    expect(before).not.toEqual(expected); // the late receipts matter to this day's KPIs
    const versions = () =>
      s.db.prepare("SELECT record_id AS id, version FROM record_versions WHERE record_type = 'seller_daily_kpi' ORDER BY record_id").all() as Array<{
        id: string;
        version: number;
      }>;
    const v1 = versions();
    expect(v1.length).toBeGreaterThan(0);
    expect(v1.every((v) => v.version === 1)).toBe(true);

    const dirty = new Set<string>();
    let rollUps = 0;
    const handler = receiptDaysHandler(s.db, dirty, () => {
      rollUps++;
      for (const d of [...dirty].sort()) rollUpKpis(s.db, day.config, d, 2);
      dirty.clear();
    });
    // A day with no KPIs yet is only marked for the next roll-up.
    expect(handler(['2030-01-01'])).toBe(false);
    expect(rollUps).toBe(0);
    const r = storeReceipts(
      s.db,
      late.map((x) => toStoredReceipt(x, tz)),
    );
    expect(r).toMatchObject({ inserted: 3, duplicates: 0, days: [date] });
    expect(handler(r.days)).toBe(true);
    expect(rollUps).toBe(1);
    expect(kpiRows(s.db)).toEqual(expected);
    const v2 = versions();
    expect(v2.map((v) => v.id)).toEqual(v1.map((v) => v.id));
    expect(v2.some((v) => v.version === 2)).toBe(true);
    const sent = s.db.prepare("SELECT record_id AS id, version FROM outbox WHERE record_type = 'seller_daily_kpi' AND version = 2").all();
    expect(sent.length).toBeGreaterThan(0);
    s.close();
  }, 20_000);
});
