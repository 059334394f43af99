/**
 * Several simulated stores and days, each taken two ways from the same files that `floorsense
 * simulate` writes: (1) `floorsense report --json` on the files, the box's own statement of the
 * day; (2) a box: the tracks written into a SQLite store through the results writer, the receipts
 * through the POS-folder importer, the schedule through the schedule sync, then the agent's
 * roll-up (camera uptime, then KPIs and chain records) queuing the outbox. Tests sync the boxes
 * into a ClickHouse and compare its views with (1).
 *
 * The stores: a one-seller shop over two days, a four-seller shop with three cameras and a camera
 * outage, and a shop without a schedule (the store-level records must still go).
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { vi } from 'vitest';
import { stringify } from 'yaml';
import { loadConfigFile } from '../../agent/src/config/load.js';
import type { Config } from '../../agent/src/config/schema.js';
import { main } from '../../agent/src/cli/main.js';
import { resultsWriter } from '../../agent/src/agent/results-store.js';
import { rollUpCameraUptime } from '../../agent/src/agent/rollup.js';
import { rollUpKpis } from '../../agent/src/agent/store-day.js';
import { importReceiptFolder } from '../../agent/src/sales/receipt-folder.js';
import { localDate, localDayBounds } from '../../agent/src/core/local-time.js';
import { parseReceiptsCsv } from '../../agent/src/sales/receipts.js';
import { syncSchedule } from '../../agent/src/sales/schedule-sync.js';
import { readCameraTracks } from '../../agent/src/scene/interchange.js';
import { loadScenarioFile } from '../../agent/src/sim/scenario.js';
import { insertCameraHealth } from '../../agent/src/store/detail.js';
import { openStore } from '../../agent/src/store/open.js';
import { REPO_ROOT } from '../helpers/shared-data.js';
import type { Kpis } from '../../agent/src/metrics/kpis.js';

/** `floorsense report --json` as printed: the store's and each seller's KPIs (metrics/kpis.ts). */
export type ReportKpis = Kpis;

export interface ReportJson {
  date: string;
  store: ReportKpis & { store_id: string };
  sellers: Array<ReportKpis & { seller_id: string; time_on_floor_seconds: number }>;
}

export interface FixtureDay {
  readonly storeId: string;
  readonly date: string;
  readonly report: ReportJson;
  /** POS receipts of the store-local day in the CSV, and their sum in minor units. */
  readonly receipts: number;
  readonly receiptsMinor: number;
  /** The box's camera_uptime rows of the day (what coverage must say). */
  readonly uptime: ReadonlyArray<{ cameraId: string; upMs: number; downMs: number }>;
  /** The day's simulated files: store.yaml, tracks/, receipts.csv, schedule.csv. */
  readonly dir: string;
}

export interface ChainFixture {
  /** One closed SQLite file per store, its outbox full and unsent; copy before draining. */
  readonly boxes: ReadonlyArray<{ readonly storeId: string; readonly dbPath: string }>;
  readonly days: readonly FixtureDay[];
}

interface StoreSpec {
  readonly id: string;
  readonly scenario: string;
  readonly overrides: Record<string, unknown>;
  readonly days: ReadonlyArray<{ readonly date: string; readonly seed: number }>;
  readonly schedule: boolean;
}

// Short days at a coarse stride: the whole fixture (12 day analyses) in a few seconds.
const STORES: readonly StoreSpec[] = [
  {
    id: 'shop-quiet',
    scenario: 'config/scenarios/quiet-one-seller.yaml',
    overrides: {
      hours: { open: '10:00', close: '13:00' },
      customers: { arrivals_per_hour: [8, 10, 10], consult_probability: 0.45 },
      video: { fps: 25, stride: 50 },
      // An hour-long camera outage: the box's coverage below 100 % (the busy store's 3 minutes come from its scenario).
      noise: { outages: { count: 1, minutes: 60 } },
    },
    days: [
      { date: '2025-04-08', seed: 3 },
      { date: '2025-04-09', seed: 4 },
    ],
    schedule: true,
  },
  {
    id: 'shop-busy',
    scenario: 'config/scenarios/busy-three-cameras.yaml',
    overrides: {
      hours: { open: '10:00', close: '13:00' },
      sellers: [
        { id: 's1', name: 'Anna', start: '10:00', end: '13:00', post: 'counter' },
        { id: 's2', name: 'Boris', start: '10:00', end: '12:00', post: 'floor' },
        { id: 's4', name: 'Gleb', start: '11:00', end: '13:00', post: 'floor' },
      ],
      customers: {
        arrivals_per_hour: [14, 18, 16],
        consult_probability: 0.35,
        buy_probability: { consulted: 0.6, unconsulted: 0.25 },
        amount: { consulted: { median: 70, sigma: 0.5 }, unconsulted: { median: 30, sigma: 0.6 } },
      },
      video: { fps: 25, stride: 50 },
    },
    days: [
      { date: '2025-04-12', seed: 7 },
      { date: '2025-04-13', seed: 8 },
    ],
    schedule: true,
  },
  {
    id: 'shop-noschedule',
    scenario: 'config/scenarios/quiet-one-seller.yaml',
    overrides: { hours: { open: '10:00', close: '12:00' }, customers: { arrivals_per_hour: [9, 9], consult_probability: 0.5 }, video: { fps: 25, stride: 50 } },
    days: [{ date: '2025-04-08', seed: 11 }],
    schedule: false,
  },
];

/** Run the CLI in-process and return what it printed on stdout (console.log and process.stdout.write). */
export async function cli(args: string[]): Promise<string> {
  let out = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (out += `${a.join(' ')}\n`));
  const err = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    const code = await main(args);
    if (code !== 0) throw new Error(`floorsense ${args.join(' ')} exited ${code}: ${out}`);
    return out;
  } finally {
    write.mockRestore();
    log.mockRestore();
    err.mockRestore();
  }
}

export async function buildChainFixture(root: string, nowMs: number): Promise<ChainFixture> {
  const boxes: Array<{ storeId: string; dbPath: string }> = [];
  const days: FixtureDay[] = [];
  for (const spec of STORES) {
    const base = loadScenarioFile(join(REPO_ROOT, spec.scenario));
    const dbPath = join(root, spec.id, 'box.db');
    const receiptsFolder = join(root, spec.id, 'pos');
    mkdirSync(receiptsFolder, { recursive: true });
    const store = openStore(dbPath, { nowMs });
    let cfg: Readonly<Config> | null = null;
    const reports: Array<{ date: string; report: ReportJson; csv: string; dir: string }> = [];
    for (const d of spec.days) {
      const dir = join(root, spec.id, d.date);
      mkdirSync(dir, { recursive: true });
      const scenarioPath = join(dir, 'scenario.yaml');
      writeFileSync(scenarioPath, stringify({ ...base, ...spec.overrides, store: { ...base.store, id: spec.id }, date: d.date }));
      await cli(['simulate', '--config', scenarioPath, '--seed', String(d.seed), '--out', dir]);
      const storeYaml = join(dir, 'store.yaml');
      const tracksDir = join(dir, 'tracks');
      const args = [
        'report',
        '--config',
        storeYaml,
        '--tracks',
        tracksDir,
        '--receipts',
        join(dir, 'receipts.csv'),
        ...(spec.schedule ? ['--schedule', join(dir, 'schedule.csv')] : []),
        '--date',
        d.date,
        '--json',
      ];
      const parsed: unknown = JSON.parse(await cli(args));
      reports.push({ date: d.date, report: parsed as ReportJson, csv: join(dir, 'receipts.csv'), dir });

      // The box: the same files through the agent's own importers.
      cfg = loadConfigFile(storeYaml);
      const [dayStart] = localDayBounds(d.date, cfg.store.timezone);
      for (const cam of cfg.cameras.filter((c) => c.enabled)) {
        const t = readCameraTracks(tracksDir, cam.id);
        // The simulated camera's outages as the live supervisor records them (what `report` reads
        // from <camera>.json's downtime): the roll-up stitches and counts coverage from these. The
        // agent stops at 23:00, after the last sighting (the seller stays on past closing).
        insertCameraHealth(store.db, [
          { cameraId: cam.id, tMs: dayStart + 9 * 3_600_000, state: 'up' },
          ...(t.downtime ?? []).flatMap(([a, b]) => [
            { cameraId: cam.id, tMs: a, state: 'down' as const, detail: 'rtsp timeout' },
            { cameraId: cam.id, tMs: b, state: 'up' as const },
          ]),
          { cameraId: cam.id, tMs: dayStart + 23 * 3_600_000, state: 'down', detail: 'agent stopped' },
        ]);
        const w = resultsWriter(store.db, cam.id, `sim:${d.date}`, `sim:${d.date}:${cam.id}`, () => nowMs);
        const samples = t.rows.map((r) => ({
          trackerId: r.id,
          tMs: t.timebase.startMs + Math.round(((r.frame - 1) * 1000) / t.timebase.fps),
          x: r.x,
          y: r.y,
          w: r.w,
          h: r.h,
          score: r.conf,
        }));
        w.write({ samples, positionMs: 0 });
      }
      copyFileSync(join(dir, 'receipts.csv'), join(receiptsFolder, `${d.date}.csv`));
      if (spec.schedule)
        await syncSchedule(store.db, {
          source: join(dir, 'schedule.csv'),
          cachePath: join(dir, 'schedule-cache.csv'),
          timeoutMs: 1000,
          timeZone: cfg.store.timezone,
        });
    }
    if (!cfg) throw new Error(`${spec.id}: no days`);
    const tz = cfg.store.timezone;
    // The folder scan compares file ages with the wall clock; the files were just written, and a
    // file system's timestamp can run a little ahead of Date.now(): a margin instead of a race.
    const imported = await importReceiptFolder(store.db, { folder: receiptsFolder, extensions: ['.csv'], minAgeS: 0, timeZone: tz, nowMs: Date.now() + 5000 });
    if (imported.problems.length > 0 || imported.files.some((f) => f.status !== 'imported'))
      throw new Error(`${spec.id}: receipts import: ${JSON.stringify(imported)}`);
    for (const r of reports) {
      // The agent's nightly roll-up, in its order: coverage first, then the KPIs and chain records.
      rollUpCameraUptime(store.db, spec.id, tz, [r.date], nowMs, cfg.health.opening_hours);
      rollUpKpis(store.db, cfg, r.date, nowMs);
      const pos = parseReceiptsCsv(readFileSync(r.csv, 'utf8'), r.csv, { nowMs: Date.now() }).rows.filter((x) => localDate(x.t, tz) === r.date);
      const uptime = store.db
        .prepare<[string], { cameraId: string; upMs: number; downMs: number }>(
          'SELECT camera_id AS cameraId, up_ms AS upMs, down_ms AS downMs FROM camera_uptime WHERE day = ? ORDER BY camera_id',
        )
        .all(r.date);
      days.push({
        storeId: spec.id,
        date: r.date,
        report: r.report,
        receipts: pos.length,
        receiptsMinor: pos.reduce((a, x) => a + Math.round(x.total * 100), 0),
        uptime,
        dir: r.dir,
      });
    }
    store.close();
    boxes.push({ storeId: spec.id, dbPath });
  }
  return { boxes, days };
}
