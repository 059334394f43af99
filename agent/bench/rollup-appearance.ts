/**
 * What keeping appearance in the store costs (issue 12): bytes per track and per store day, and
 * the day roll-up's time with and without embeddings. A simulated store day (default the busy
 * 3-camera scenario, dated yesterday, with the simulator's appearance embeddings: 512 floats per
 * track, as OSNet x0.25 gives) is written into a store file through the agent's results writer,
 * like the agent writes one; a copy of the file has its embeddings deleted (a store as the agent
 * kept it before migration 9, motion only). Then `rollUpDay` runs on the two copies alternately,
 * back to back (A/B interleaved: the box's CPU is shared), and the roll-up's persons are checked
 * against `report`'s analytics on the same tracks with the same embeddings.
 *
 * Usage: node --import tsx agent/bench/rollup-appearance.ts [--scenario config/scenarios/busy-three-cameras.yaml]
 *        [--seed 7] [--reps 5] [--json]
 * Prints: bytes (dbstat: pages x page size) of track_appearance, tracks and positions; per track and
 * per day; roll-up ms per run for each copy, their medians and the ratio, and the load average.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { scenarioOf, seedDay } from '../../test/agent/rollup-fixture.js';
import { analyzeStoredDay } from '../src/agent/store-day.js';
import { rollUpDay } from '../src/agent/rollup.js';
import { analyzeStoreDay, cameraSceneFromConfig, type StoreDayResult } from '../src/metrics/store-day.js';
import { validateScenario } from '../src/sim/scenario.js';
import { shiftsBetween } from '../src/agent/store-day.js';
import { localDayBounds } from '../src/core/local-time.js';
import { appearanceOfDay } from '../src/store/appearance.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const scenarioFile = resolve(arg('scenario', 'config/scenarios/busy-three-cameras.yaml'));
const seed = Number(arg('seed', '7'));
const reps = Number(arg('reps', '5'));
const MODEL = 'osnet_x0_25_msmt17@simulated';

const base = scenarioOf(scenarioFile);
const scenario = validateScenario({ ...base, appearance: { ...base.appearance, enabled: true } });
const dir = mkdtempSync(join(tmpdir(), 'fs-bench-appearance-'));
const seeded = seedDay(dir, scenario, seed, 0, MODEL);
const withPath = seeded.cfg.storage.path;
const withoutPath = join(dir, 'without.db');
copyFileSync(withPath, withoutPath);
{
  const db = new Database(withoutPath);
  db.exec('DELETE FROM track_appearance; VACUUM');
  db.close();
}

const dbA = new Database(withPath);
const dbB = new Database(withoutPath);
const bytes = (db: Database.Database, name: string): number =>
  db.prepare<[string], { b: number | null }>('SELECT SUM(pgsize) AS b FROM dbstat WHERE name = ?').get(name)?.b ?? 0;
const count = (db: Database.Database, sql: string): number => db.prepare<[], { n: number }>(sql).get()!.n;
const tracks = count(dbA, 'SELECT COUNT(*) AS n FROM tracks');
const embedded = count(dbA, 'SELECT COUNT(*) AS n FROM track_appearance');
const storage = {
  tracks,
  tracksWithEmbedding: embedded,
  positions: count(dbA, 'SELECT COUNT(*) AS n FROM positions'),
  pageSize: Number(dbA.pragma('page_size', { simple: true })),
  bytes: { track_appearance: bytes(dbA, 'track_appearance'), tracks: bytes(dbA, 'tracks'), positions: bytes(dbA, 'positions') },
  payloadBytesPerTrack: count(dbA, 'SELECT AVG(length(embedding) + length(model)) AS n FROM track_appearance'),
};
const perTrack = storage.bytes.track_appearance / embedded;

/**
 * Bytes per track of the same table in other layouts, on 2000 synthetic rows: a 2 KB row fills a
 * 4 KB page alone (two do not fit), so the page size or a half-width float decides the cost.
 */
function layoutBytesPerTrack(pageSize: number, embeddingBytes: number): number {
  const db = new Database(':memory:');
  db.pragma(`page_size = ${pageSize}`);
  db.exec('CREATE TABLE track_appearance (track_id INTEGER PRIMARY KEY, model TEXT NOT NULL, embedding BLOB NOT NULL)');
  const st = db.prepare('INSERT INTO track_appearance VALUES (?, ?, ?)');
  db.transaction(() => {
    for (let i = 1; i <= 2000; i++) st.run(i, 'osnet_x0_25_msmt17@61b2604171ef9d58', Buffer.alloc(embeddingBytes, 1));
  })();
  const b = bytes(db, 'track_appearance');
  db.close();
  return Math.round(b / 2000);
}
const layouts = {
  'float32, page 4096 (as stored)': layoutBytesPerTrack(4096, 2048),
  'float32, page 8192': layoutBytesPerTrack(8192, 2048),
  'float32, page 16384': layoutBytesPerTrack(16384, 2048),
  'float16, page 4096': layoutBytesPerTrack(4096, 1024),
};

// The roll-up's persons against report's analytics on the same tracks and embeddings.
const cfg = seeded.cfg;
const date = seeded.date;
const [from, to] = localDayBounds(date, cfg.store.timezone);
const direct = analyzeStoreDay({
  storeId: cfg.store.id,
  timeZone: cfg.store.timezone,
  date,
  cameras: cfg.cameras.map(cameraSceneFromConfig),
  analytics: cfg.analytics,
  tracks: seeded.day.streams,
  receipts: [],
  shifts: shiftsBetween(dbA, from, to, cfg.store.timezone),
});
const keyOf = new Map(
  dbA
    .prepare<[], { id: number; camera: string; key: string }>('SELECT id, camera_id AS camera, track_key AS key FROM tracks')
    .all()
    .map((r) => [r.id, `${r.camera}#${r.key.split('#').pop()}`]),
);
const persons = (r: StoreDayResult, stored: boolean): string =>
  JSON.stringify(
    r.visits
      .map((p) =>
        p.fragments
          .map((f) => (stored ? keyOf.get(f.track) : `${f.camera}#${f.track}`))
          .sort()
          .join('+'),
      )
      .sort(),
  );
const fromStore = analyzeStoredDay(dbA, cfg, date)!;
const samePersons = persons(fromStore, true) === persons(direct, false);

const runs: { with: number[]; without: number[]; read: number[] } = { with: [], without: [], read: [] };
const load = [loadavg()[0]!];
for (let i = 0; i < reps; i++) {
  for (const [name, db] of i % 2 === 0
    ? ([
        ['with', dbA],
        ['without', dbB],
      ] as const)
    : ([
        ['without', dbB],
        ['with', dbA],
      ] as const)) {
    const t = performance.now();
    rollUpDay(db, cfg, date, Date.now());
    runs[name].push(performance.now() - t);
  }
  // The store's share of the difference: reading and decoding the day's embeddings.
  const t = performance.now();
  appearanceOfDay(dbA, from, to);
  runs.read.push(performance.now() - t);
}
load.push(loadavg()[0]!);
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const result = {
  scenario: scenarioFile,
  seed,
  date,
  storage,
  bytesPerTrack: Math.round(perTrack),
  bytesPerDay: storage.bytes.track_appearance,
  layouts,
  visits: { withEmbeddings: fromStore.visits.length, report: direct.visits.length, samePersonsAsReport: samePersons },
  rollupMs: {
    with: runs.with.map(Math.round),
    without: runs.without.map(Math.round),
    medianWith: Math.round(median(runs.with)),
    medianWithout: Math.round(median(runs.without)),
    ratio: Math.round((median(runs.with) / median(runs.without)) * 100) / 100,
    medianReadEmbeddings: Math.round(median(runs.read)),
    // Each pair ran back to back: its ratio is less moved by the load than the medians are.
    medianPairRatio: Math.round(median(runs.with.map((w, i) => w / runs.without[i]!)) * 100) / 100,
  },
  loadAverage: load.map((x) => Math.round(x * 10) / 10),
};
dbA.close();
dbB.close();
rmSync(dir, { recursive: true, force: true });
if (process.argv.includes('--json')) console.log(JSON.stringify(result, null, 2));
else {
  const s = result.storage;
  console.log(`${scenarioFile} seed ${seed}, day ${date}: ${s.tracks} tracks (${s.tracksWithEmbedding} with an embedding), ${s.positions} positions`);
  console.log(
    `bytes (page ${s.pageSize}): track_appearance ${s.bytes.track_appearance}, tracks ${s.bytes.tracks}, positions ${s.bytes.positions}; per track ${result.bytesPerTrack} (payload ${Math.round(s.payloadBytesPerTrack)})`,
  );
  console.log(
    `bytes per track in other layouts: ${Object.entries(layouts)
      .map(([k, v]) => `${k} ${v}`)
      .join('; ')}`,
  );
  console.log(`roll-up persons from the store = report's with the same embeddings: ${samePersons} (${fromStore.visits.length} visits)`);
  console.log(`rollUpDay ms with: ${result.rollupMs.with.join(' ')}  without: ${result.rollupMs.without.join(' ')}`);
  console.log(
    `median with ${result.rollupMs.medianWith} / without ${result.rollupMs.medianWithout} = ${result.rollupMs.ratio} (median of pair ratios ${result.rollupMs.medianPairRatio}); of which reading the embeddings ${result.rollupMs.medianReadEmbeddings}; load ${result.loadAverage.join(' -> ')}`,
  );
}
