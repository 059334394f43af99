/**
 * The chain's view: several simulated stores and days, rolled up on their boxes and synced through
 * the agent's own sync code into Debian's ClickHouse 18.16 (a real server) and current ClickHouse
 * (chdb); v_seller_day, v_store_day and v_store_hour then state exactly what each box's own
 * `floorsense report --json` states for that day. Once into a fresh database and once into one the
 * previous release's `sync --init` created (migrated by this release's `sync --init`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haveClickHouse, startClickHouse, type ClickHouseServer } from '../helpers/clickhouse.js';
import { haveChdb, startChdb, type Chdb } from '../helpers/chdb.js';
import { REPO_ROOT } from '../helpers/shared-data.js';
import { openStore } from '../../agent/src/store/open.js';
import { createClickHouseTransport, type CentralTransport } from '../../agent/src/sync/clickhouse.js';
import { drainOutbox } from '../../agent/src/sync/drain.js';
import { syncInit } from '../../agent/src/sync/service.js';
import { buildChainFixture, cli, type ChainFixture, type FixtureDay, type ReportJson, type ReportKpis } from './chain-fixture.js';
import { loadConfigFile } from '../../agent/src/config/load.js';
import { rollUpKpis } from '../../agent/src/agent/store-day.js';
import { syncSchedule } from '../../agent/src/sales/schedule-sync.js';
import { dashboardQueries, grafanaSql } from './dashboard-files.js';

const NOW = Date.UTC(2025, 3, 20);
const clock = (): number => NOW;

/** The column contract of v_seller_day, in order (issue 10). */
const SELLER_DAY_COLUMNS = [
  'store_id',
  'day',
  'seller_id',
  'customers',
  'consulted_customers',
  'interaction_ratio',
  'consultations',
  'successful_consultations',
  'unsuccessful_consultations',
  'avg_purchase_with_consultation',
  'avg_purchase_without_consultation',
  'time_on_floor_seconds',
  // The sums behind the ratios, for dashboards that aggregate over days (appended: BI queries by name).
  'consulted_buyers',
  'consult_duration_ms',
  'receipts_with_consult',
  'amount_with_consult_minor',
  'receipts_without_consult',
  'amount_without_consult_minor',
];
const SHARED_KPIS = [
  'consulted_customers',
  'interaction_ratio',
  'consultations',
  'successful_consultations',
  'unsuccessful_consultations',
  'avg_purchase_with_consultation',
  'avg_purchase_without_consultation',
] as const;

/** 18.16 quotes 64-bit integers in JSON, current releases do not; NULL stays null. */
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const pick = (k: Readonly<ReportKpis>, names: readonly (keyof ReportKpis)[]): Record<string, number | null> => Object.fromEntries(names.map((n) => [n, k[n]]));
const coverage = (d: FixtureDay): number | null => {
  const up = d.uptime.reduce((a, u) => a + u.upMs, 0);
  const all = up + d.uptime.reduce((a, u) => a + u.downMs, 0);
  return all === 0 ? null : Math.round((up / all) * 1e4) / 1e4;
};

/** The previous release's central schema (test/sync/fixtures/schema-e24892c.sql) in `database`. */
function previousReleaseSchema(database: string): string[] {
  const text = readFileSync(join(REPO_ROOT, 'test/sync/fixtures/schema-e24892c.sql'), 'utf8');
  return text
    .split('\n')
    .filter((l) => !l.startsWith('--'))
    .join('\n')
    .split(/;\s*\n/)
    .map((s) => s.trim().replaceAll('__DB__', database))
    .filter((s) => s !== '');
}

interface Target {
  transport(): CentralTransport;
  rows(sql: string): Promise<Array<Record<string, unknown>>>;
}

async function syncBoxes(t: Target, fx: ChainFixture, database: string): Promise<number> {
  let sent = 0;
  for (const b of fx.boxes) {
    // A copy per target: draining marks the rows sent.
    const copy = join(mkdtempSync(join(tmpdir(), 'fs-chain-box-')), 'box.db');
    copyFileSync(b.dbPath, copy);
    const store = openStore(copy, { nowMs: NOW });
    try {
      const r = await drainOutbox(store.db, t.transport(), { database, batchRows: 100, clock });
      expect(r.remaining).toBe(0);
      sent += r.sent;
    } finally {
      store.close();
    }
  }
  return sent;
}

async function expectViewsEqualReports(t: Target, fx: ChainFixture, database: string): Promise<void> {
  for (const d of fx.days) {
    const where = `store_id = '${d.storeId}' AND day = '${d.date}'`;
    const what = `${d.storeId} ${d.date}`;
    const sellers = await t.rows(`SELECT * FROM ${database}.v_seller_day WHERE ${where} ORDER BY seller_id`);
    for (const s of sellers) expect(Object.keys(s), what).toEqual(SELLER_DAY_COLUMNS);
    expect(
      sellers.map((s) => ({
        seller_id: s.seller_id,
        customers: num(s.customers),
        time_on_floor_seconds: num(s.time_on_floor_seconds),
        ...Object.fromEntries(SHARED_KPIS.map((k) => [k, num(s[k])])),
      })),
      what,
    ).toEqual(
      d.report.sellers.map((k) => ({
        seller_id: k.seller_id,
        customers: k.customers,
        time_on_floor_seconds: k.time_on_floor_seconds,
        ...pick(k, SHARED_KPIS),
      })),
    );

    const [store, ...more] = await t.rows(`SELECT * FROM ${database}.v_store_day WHERE ${where}`);
    expect(more, what).toEqual([]);
    const r = d.report.store;
    const storeNames = [...SHARED_KPIS, 'conversion', 'mean_consultation_seconds', 'buying_customers', 'revenue'] as const;
    expect(
      {
        visitors: num(store?.visitors),
        ...Object.fromEntries(storeNames.map((k) => [k, num(store?.[k])])),
        receipts: num(store?.receipts),
        receipts_amount: num(store?.receipts_amount),
        cameras: num(store?.cameras),
        camera_coverage: num(store?.camera_coverage),
      },
      what,
    ).toEqual({
      visitors: r.customers,
      ...pick(r, storeNames),
      receipts: d.receipts,
      receipts_amount: d.receiptsMinor / 100,
      cameras: d.uptime.length,
      camera_coverage: coverage(d),
    });

    const [hours] = await t.rows(
      `SELECT count() AS n, sum(visitors) AS visitors, sum(consultations) AS consultations, sum(receipts) AS receipts, sum(receipts_amount) AS amount FROM ${database}.v_store_hour WHERE ${where}`,
    );
    expect(
      {
        n: num(hours?.n),
        visitors: num(hours?.visitors),
        consultations: num(hours?.consultations),
        receipts: num(hours?.receipts),
        amount: Math.round((num(hours?.amount) ?? 0) * 100),
      },
      what,
    ).toEqual({
      n: 24,
      visitors: r.customers,
      consultations: r.consultations,
      receipts: d.receipts,
      amount: d.receiptsMinor,
    });

    const [visits] = await t.rows(
      `SELECT uniqExact(visit_id) AS consulted, sum(consultations) AS consultations FROM ${database}.v_consultations WHERE ${where}`,
    );
    expect({ consulted: num(visits?.consulted), consultations: num(visits?.consultations) }, what).toEqual({
      consulted: r.consulted_customers,
      consultations: r.consultations,
    });
  }
  // Privacy: no consulted visit leaves with a start finer than the minute.
  const [fine] = await t.rows(`SELECT count() AS n FROM ${database}.consulted_visits WHERE toSecond(started_minute) != 0`);
  expect(num(fine?.n)).toBe(0);
}

/**
 * Issue 14 item 1: a day synced, then the schedule re-fetched with Boris (s2) replaced by Vera (s5)
 * on the same shift, the day rolled up again and synced: the central views, the box's own tables
 * and `floorsense report --json` on the new schedule all say the same, and s2 is gone everywhere.
 */
async function expectNoStaleAfterScheduleSwap(t: Target, fx: ChainFixture, database: string): Promise<void> {
  const box = fx.boxes.find((b) => b.storeId === 'shop-busy')!;
  const [d, other] = fx.days.filter((x) => x.storeId === 'shop-busy');
  if (!d || !other) throw new Error('fixture: shop-busy has two days');
  const copy = join(mkdtempSync(join(tmpdir(), 'fs-chain-swap-')), 'box.db');
  copyFileSync(box.dbPath, copy);
  const store = openStore(copy, { nowMs: NOW });
  try {
    await drainOutbox(store.db, t.transport(), { database, batchRows: 100, clock });
    const where = `store_id = 'shop-busy' AND day = '${d.date}'`;
    const sellersOf = async (view: string): Promise<string[]> =>
      (await t.rows(`SELECT DISTINCT seller_id FROM ${database}.${view} WHERE ${where} ORDER BY seller_id`)).map((r) => String(r.seller_id));
    expect(await sellersOf('v_seller_day')).toContain('s2');
    expect(await sellersOf('v_consultations')).toContain('s2');

    const swapped = join(d.dir, 'schedule-swapped.csv');
    const original = readFileSync(join(d.dir, 'schedule.csv'), 'utf8');
    expect(original).toMatch(/,s2,Boris,/);
    writeFileSync(swapped, original.replaceAll(',s2,Boris,', ',s5,Vera,'));
    const storeYaml = join(d.dir, 'store.yaml');
    const cfg = loadConfigFile(storeYaml);
    await syncSchedule(store.db, { source: swapped, cachePath: join(d.dir, 'schedule-swapped-cache.csv'), timeoutMs: 1000, timeZone: cfg.store.timezone });
    const later = NOW + 3_600_000;
    rollUpKpis(store.db, cfg, d.date, later);
    const r = await drainOutbox(store.db, t.transport(), { database, batchRows: 100, clock: () => later });
    expect(r.remaining).toBe(0);
    const report = JSON.parse(
      await cli([
        'report',
        '--config',
        storeYaml,
        '--tracks',
        join(d.dir, 'tracks'),
        '--receipts',
        join(d.dir, 'receipts.csv'),
        '--schedule',
        swapped,
        '--date',
        d.date,
        '--json',
      ]),
    ) as ReportJson;
    const ids = report.sellers.map((s) => s.seller_id);
    expect(ids).toContain('s5');
    expect(ids).not.toContain('s2');

    // Central = report, for this day (and the other day of the store is untouched).
    await expectViewsEqualReports(t, { boxes: [], days: [{ ...d, report }, other] }, database);
    expect(await sellersOf('v_seller_day')).toEqual([...ids].sort());
    expect(await sellersOf('v_consultations')).not.toContain('s2');
    // The retraction is a tombstone version, not a delete: the old rows are still in the table.
    const [tomb] = await t.rows(`SELECT count() AS n FROM ${database}.seller_daily_kpis WHERE ${where} AND seller_id = 's2' AND deleted = 1`);
    expect(num(tomb?.n)).toBe(1);

    // Local = report: the day's rows were replaced, not upserted.
    const local = store.db
      .prepare<[string], { seller_id: string; consultations: number; customers: number; consulted_customers: number }>(
        'SELECT seller_id, consultations, customers, consulted_customers FROM daily_kpis WHERE day = ? ORDER BY seller_id',
      )
      .all(d.date);
    expect(local).toEqual(
      report.sellers
        .map((s) => ({ seller_id: s.seller_id, consultations: s.consultations, customers: s.customers, consulted_customers: s.consulted_customers }))
        .sort((a, b) => a.seller_id.localeCompare(b.seller_id)),
    );
    // Local consultations = central consulted visits, per seller.
    const localVisits = store.db
      .prepare<[string], { seller_id: string; visits: number; consultations: number }>(
        'SELECT seller_id, COUNT(DISTINCT visit_id) AS visits, COUNT(*) AS consultations FROM consultations WHERE day = ? GROUP BY seller_id ORDER BY seller_id',
      )
      .all(d.date);
    const centralVisits = (
      await t.rows(
        `SELECT seller_id, count() AS visits, sum(consultations) AS consultations FROM ${database}.v_consultations WHERE ${where} GROUP BY seller_id ORDER BY seller_id`,
      )
    ).map((x) => ({
      seller_id: String(x.seller_id),
      visits: num(x.visits),
      consultations: num(x.consultations),
    }));
    expect(centralVisits).toEqual(localVisits);
    expect(localVisits.map((v) => v.seller_id)).not.toContain('s2');
    // The per-seller sum equals the store's figure: nothing counted for a seller who is gone.
    expect(centralVisits.reduce((a, v) => a + (v.consultations ?? 0), 0)).toBe(report.store.consultations);
  } finally {
    store.close();
  }
}

let fx: ChainFixture;
beforeAll(async () => {
  fx = await buildChainFixture(mkdtempSync(join(tmpdir(), 'fs-chain-')), NOW);
}, 120_000);

it('the fixture is a real chain: several stores and days, sellers with and without consultations, a store without a schedule', () => {
  expect(new Set(fx.days.map((d) => d.storeId)).size).toBe(3);
  expect(fx.days.length).toBe(5);
  for (const d of fx.days) expect(d.report.store.customers, `${d.storeId} ${d.date}`).toBeGreaterThan(5);
  expect(fx.days.filter((d) => d.report.sellers.length >= 3).length).toBeGreaterThan(0);
  expect(fx.days.some((d) => d.report.sellers.some((s) => s.avg_purchase_without_consultation !== null))).toBe(true);
  expect(fx.days.some((d) => d.uptime.length > 0)).toBe(true);
});

describe.skipIf(!haveClickHouse())('chain views on ClickHouse 18.16', () => {
  let ch: ClickHouseServer;
  const transports: CentralTransport[] = [];
  const target: Target = {
    transport: () => {
      const t = createClickHouseTransport({ url: ch.url, username: 'default', password: '', timeoutMs: 10_000 });
      transports.push(t);
      return t;
    },
    rows: (sql) => ch.rows(sql),
  };
  const settings = (database: string) => ({ url: ch.url, database, username: 'default', password: '', batch_rows: 100, timeout_s: 10 });
  beforeAll(async () => {
    ch = await startClickHouse();
  });
  afterAll(async () => {
    await ch?.stop();
    await Promise.allSettled(transports.map((t) => t.close()));
  });

  it('fresh database: views equal every box report', async () => {
    const init = await syncInit(settings('chain_fresh'), target.transport());
    expect([init.added, init.retired]).toEqual([[], []]);
    expect(await syncBoxes(target, fx, 'chain_fresh')).toBeGreaterThan(0);
    await expectViewsEqualReports(target, fx, 'chain_fresh');
  });

  it('a database the previous release initialised: sync --init migrates it, old rows kept, views equal every box report', async () => {
    for (const sql of previousReleaseSchema('chain_old')) await ch.query(sql);
    // A seller-day the previous release sent, for a day this release never recomputes.
    await ch.query(
      "INSERT INTO chain_old.seller_daily_kpis (record_id, version, store_id, day, seller_id, consultations, consulted_buyers, receipts_with_consult, amount_with_consult_minor, receipts_without_consult, amount_without_consult_minor, consult_duration_ms) VALUES ('old1', 1, 'shop-quiet', '2025-03-01', 's1', 7, 3, 3, 90000, 2, 4000, 600000)",
    );
    // The box was upgraded first: its new columns are refused, the error says what to run, nothing is lost.
    const copy = join(mkdtempSync(join(tmpdir(), 'fs-chain-box-')), 'box.db');
    copyFileSync(fx.boxes[0]!.dbPath, copy);
    const early = openStore(copy, { nowMs: NOW });
    const before = early.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM outbox WHERE sent_ms IS NULL').get()?.n;
    const refused = await drainOutbox(early.db, target.transport(), { database: 'chain_old', batchRows: 100, clock }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'FS_REMOTE' });
    // Checked before the first INSERT: each missing table and column named, and what to run.
    expect(String(refused)).toMatch(
      /central schema check failed before sending: .*chain_old\.seller_daily_kpis\.deleted is missing \(expected UInt8\).*table chain_old\.consulted_visits is missing.*run `floorsense sync --init`.*the outbox is kept/s,
    );
    expect(early.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM outbox WHERE sent_ms IS NULL').get()?.n).toBe(before);
    early.close();
    // ...and a record of this release into a table of the previous one: its new columns are unknown there.
    const newShape = await target
      .transport()
      .insertRows('chain_old.seller_daily_kpis', [{ record_id: 'x', version: 1, store_id: 's', day: '2025-04-08', seller_id: 'a', customers: 3 }])
      .catch((e: unknown) => e);
    expect(String(newShape)).toMatch(
      /Unknown field.*customers.*\(the central schema is older than this agent: run `floorsense sync --init` to migrate it; the outbox is kept\)/s,
    );
    const init = await syncInit(settings('chain_old'), target.transport());
    expect(init.added).toEqual([
      'seller_daily_kpis.deleted',
      'seller_daily_kpis.customers',
      'seller_daily_kpis.consulted_customers',
      'seller_daily_kpis.successful_consultations',
      'seller_daily_kpis.unsuccessful_consultations',
      'seller_daily_kpis.time_on_floor_seconds',
      'store_hourly_traffic.deleted',
      'store_hourly_traffic.local_hour',
      'store_hourly_traffic.staff_seconds',
      'store_hourly_traffic.sellers_seen',
      'store_hourly_traffic.receipts_amount_minor',
      'camera_uptime.deleted',
    ]);
    expect(init.retired).toEqual(['consultations']);
    // Idempotent: a second run adds nothing.
    expect((await syncInit(settings('chain_old'), target.transport())).added).toEqual([]);
    await syncBoxes(target, fx, 'chain_old');
    await expectViewsEqualReports(target, fx, 'chain_old');
    // The old row is still there; what it never carried reads as unknown, not as zero.
    const old = await ch.rows(
      "SELECT consultations, customers, interaction_ratio, avg_purchase_with_consultation FROM chain_old.v_seller_day WHERE day = '2025-03-01'",
    );
    expect(old).toEqual([{ consultations: '7', customers: '0', interaction_ratio: null, avg_purchase_with_consultation: 300 }]);
  });

  it('every query in dashboards/ (Grafana and DataLens) runs and returns the columns its file states', async () => {
    // The files name the database the stores' config names by default.
    await syncInit(settings('floorsense'), target.transport());
    await syncBoxes(target, fx, 'floorsense');
    const queries = dashboardQueries(REPO_ROOT);
    expect(queries.length).toBeGreaterThanOrEqual(12);
    const stores = fx.boxes.map((b) => b.storeId);
    const range = { from: Date.UTC(2025, 3, 1), to: Date.UTC(2025, 4, 1) - 1000, stores, database: 'floorsense' };
    for (const q of queries) {
      const sql = q.grafana ? grafanaSql(q.sql, range) : q.sql;
      expect(sql, q.where).not.toMatch(/\$|\{\{/); // every macro and variable substituted
      const body: unknown = JSON.parse(await ch.query(`${sql}\nFORMAT JSON`));
      const meta = (body as { meta: Array<{ name: string }>; rows: number }).meta.map((m) => m.name);
      expect(meta, q.where).toEqual(q.columns);
      // Filled by five store days in April 2025: every chart has something to show.
      expect((body as { rows: number }).rows, q.where).toBeGreaterThan(0);
    }
  });

  it('a re-fetched schedule swaps a seller after a sync: no stale records centrally or locally (issue 14 item 1)', async () => {
    await syncInit(settings('chain_swap'), target.transport());
    await expectNoStaleAfterScheduleSwap(target, fx, 'chain_swap');
  });

  it('a central column of another type is refused before anything changes', async () => {
    const schema = previousReleaseSchema('chain_narrowed').map((s) => s.replace('amount_with_consult_minor Int64', 'amount_with_consult_minor UInt8'));
    for (const sql of schema) await ch.query(sql);
    const before = await ch.rows("SELECT table, name, type FROM system.columns WHERE database = 'chain_narrowed' ORDER BY table, name");
    const err = await syncInit(settings('chain_narrowed'), target.transport()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'FS_REMOTE' });
    expect(String(err)).toMatch(/chain_narrowed\.seller_daily_kpis\.amount_with_consult_minor is UInt8, expected Int64/);
    expect(await ch.rows("SELECT table, name, type FROM system.columns WHERE database = 'chain_narrowed' ORDER BY table, name")).toEqual(before);
  });
});

describe.skipIf(!haveChdb())('chain views on current ClickHouse (chdb)', () => {
  let ch: Chdb;
  const target: Target = { transport: () => ch.transport(), rows: (sql) => ch.rows(sql) };
  const settings = (database: string) => ({ url: 'chdb', database, username: 'default', password: '', batch_rows: 100, timeout_s: 10 });
  beforeAll(() => {
    ch = startChdb();
  });
  afterAll(async () => {
    await ch?.close();
  });

  it('fresh database: views equal every box report', async () => {
    await syncInit(settings('chain_fresh'), ch.transport());
    await syncBoxes(target, fx, 'chain_fresh');
    await expectViewsEqualReports(target, fx, 'chain_fresh');
  });

  it('every query in dashboards/ runs here too and returns the columns its file states', async () => {
    await syncInit(settings('floorsense'), ch.transport());
    await syncBoxes(target, fx, 'floorsense');
    const range = { from: Date.UTC(2025, 3, 1), to: Date.UTC(2025, 4, 1) - 1000, stores: fx.boxes.map((b) => b.storeId), database: 'floorsense' };
    for (const q of dashboardQueries(REPO_ROOT)) {
      const rows = await ch.rows(q.grafana ? grafanaSql(q.sql, range) : q.sql);
      expect(rows.length, q.where).toBeGreaterThan(0);
      expect(Object.keys(rows[0]!), q.where).toEqual(q.columns);
    }
  });

  it('a re-fetched schedule swaps a seller after a sync: no stale records (current ClickHouse)', async () => {
    await syncInit(settings('chain_swap'), ch.transport());
    await expectNoStaleAfterScheduleSwap(target, fx, 'chain_swap');
  });

  it('a database the previous release initialised: migrated, views equal every box report', async () => {
    const t = ch.transport();
    for (const sql of previousReleaseSchema('chain_old')) await t.exec(sql);
    const init = await syncInit(settings('chain_old'), ch.transport());
    expect(init.added.length).toBe(12);
    expect(init.retired).toEqual(['consultations']);
    await syncBoxes(target, fx, 'chain_old');
    await expectViewsEqualReports(target, fx, 'chain_old');
  });
});
