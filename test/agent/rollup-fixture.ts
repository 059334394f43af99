/**
 * A simulated store day written into a real SQLite store file the way the agent writes one (track
 * positions through the results writer, shifts, receipts), rolled up once on this thread, with the
 * last receipts of the day held back: they are the "late receipts" a test or the roll-up latency
 * benchmark POSTs to the running agent, which then rolls the day up again.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { resultsWriter } from '../../agent/src/agent/results-store.js';
import { rollUpDay } from '../../agent/src/agent/rollup.js';
import { validateConfig } from '../../agent/src/config/load.js';
import type { Config } from '../../agent/src/config/schema.js';
import type { Receipt } from '../../agent/src/sales/receipts.js';
import { localDate, localDayBounds } from '../../agent/src/core/local-time.js';
import { toStoredReceipt } from '../../agent/src/sales/stored-receipt.js';
import { loadScenarioFile, validateScenario, type Scenario } from '../../agent/src/sim/scenario.js';
import { simulateDay, type SimulatedDay } from '../../agent/src/sim/simulate.js';
import { saveSellerNames } from '../../agent/src/store/day-reports.js';
import { openStore } from '../../agent/src/store/open.js';
import { replaceShifts, storeReceipts } from '../../agent/src/store/sales.js';

export interface SeededDay {
  readonly day: SimulatedDay;
  readonly date: string;
  /** The agent's config: the scenario's cameras as (empty) archive folders, the store file, the API on a free port. */
  readonly cfg: Config;
  /** Held back from the store: POST these to the agent. */
  readonly late: readonly Receipt[];
}

/**
 * A scenario file dated yesterday (store time: the agent's retention keeps it, and receipts are not
 * from the future), optionally cut short (open/close hours and their arrivals) for a fast test.
 */
export function scenarioOf(
  file: string,
  cut?: { readonly open: string; readonly close: string; readonly arrivals: readonly number[]; readonly stride: number },
): Scenario {
  const loaded = loadScenarioFile(file);
  const base = validateScenario({ ...loaded, date: localDate(Date.now() - 86_400_000, loaded.store.timezone) });
  if (!cut) return base;
  return validateScenario({
    ...base,
    hours: { open: cut.open, close: cut.close },
    customers: { ...base.customers, arrivals_per_hour: [...cut.arrivals] },
    video: { ...base.video, stride: cut.stride },
  });
}

/**
 * `appearanceModel`: with a scenario whose appearance is enabled, each track's simulated embedding
 * is stored under that model name, as the agent stores the tracker's (agent/bench/rollup-appearance.ts).
 */
export function seedDay(dir: string, scenario: Scenario, seed: number, lateCount: number, appearanceModel: string | null = null): SeededDay {
  const day = simulateDay(scenario, seed);
  const tz = day.config.store.timezone;
  const late = day.receipts.slice(-lateCount);
  const lateIds = new Set(late.map((r) => r.receiptId));
  const folders = join(dir, 'archive');
  const cameras = day.config.cameras.map((c) => {
    const folder = join(folders, c.id);
    mkdirSync(folder, { recursive: true });
    return { ...c, url: folder };
  });
  const cfg = validateConfig({
    ...day.config,
    cameras,
    storage: { ...day.config.storage, path: join(dir, 'box.db') },
    api: { ...day.config.api, enabled: true, host: '127.0.0.1', port: 0 },
    detector: { ...day.config.detector, threads: 1 },
    tracker: { ...day.config.tracker, appearance: false },
    agent: { ...day.config.agent, archive_min_age_s: 0 },
  });
  const store = openStore(cfg.storage.path, { nowMs: 1 });
  const db = store.db;
  for (const s of day.streams) {
    const w = resultsWriter(db, s.camera, 'sim', `sim:${s.camera}`, () => 1, appearanceModel);
    const samples = s.rows.map((r) => {
      const embedding = appearanceModel !== null ? s.embeddings?.get(r.id) : undefined;
      return {
        trackerId: r.id,
        tMs: s.timebase.startMs + Math.round(((r.frame - 1) * 1000) / s.timebase.fps),
        x: r.x,
        y: r.y,
        w: r.w,
        h: r.h,
        score: r.conf,
        ...(embedding ? { embedding } : {}),
      };
    });
    samples.sort((a, b) => a.tMs - b.tMs);
    for (let i = 0; i < samples.length; i += 5000) w.write({ samples: samples.slice(i, i + 5000), positionMs: 0 });
  }
  replaceShifts(
    db,
    day.shifts.map((x) => ({ date: x.date, sellerId: x.sellerId, startMs: x.start, endMs: x.end })),
    (d) => localDayBounds(d, tz),
  );
  saveSellerNames(db, new Map(day.shifts.map((s) => [s.sellerId, s.name])), 1);
  storeReceipts(
    db,
    day.receipts.filter((r) => !lateIds.has(r.receiptId)).map((r) => toStoredReceipt(r, tz)),
  );
  rollUpDay(db, cfg, day.scenario.date, 1);
  store.close();
  return { day, date: day.scenario.date, cfg, late };
}

/** A receipt as POST /api/receipts takes it. */
export function receiptBody(r: Receipt): Record<string, unknown> {
  return {
    receipt_id: r.receiptId,
    timestamp: new Date(r.t).toISOString(),
    total: r.total,
    currency: r.currency || 'RUB',
    register: r.register,
    seller_code: r.sellerCode,
  };
}

/** What a roll-up saved for the day, without the save times: equal for equal roll-ups. */
export function savedDay(path: string, date: string) {
  const store = openStore(path, { nowMs: 1 });
  const db = store.db;
  const q = (sql: string): unknown[] => db.prepare(sql).all(date);
  const out = {
    daily_kpis: q(
      'SELECT seller_id, consultations, receipts_with_consult, amount_with_consult_minor, receipts_without_consult, amount_without_consult_minor FROM daily_kpis WHERE day = ? ORDER BY seller_id',
    ),
    consultations: q('SELECT id, seller_id, visit_id, start_ms, end_ms, receipt_id, amount_minor FROM consultations WHERE day = ? ORDER BY id'),
    camera_uptime: q('SELECT camera_id, up_ms, down_ms, outages FROM camera_uptime WHERE day = ? ORDER BY camera_id'),
    // The chain records kept for the day, by type (their versions follow the clock, so not compared).
    records: db.prepare('SELECT record_type, COUNT(*) AS n FROM record_versions GROUP BY record_type ORDER BY record_type').all(),
  };
  store.close();
  return out;
}
