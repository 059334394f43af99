/**
 * The chain's view: several simulated stores and days, rolled up on their boxes and synced through
 * the agent's own sync code into Debian's ClickHouse 18.16 (a real server) and current ClickHouse
 * (chdb); v_seller_day, v_store_day and v_store_hour then state exactly what each box's own
 * `floorsense report --json` states for that day. Once into a fresh database and once into one the
 * previous release's `sync --init` created (migrated by this release's `sync --init`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haveClickHouse, startClickHouse, type ClickHouseServer } from '../helpers/clickhouse.js';
import { haveChdb, startChdb, type Chdb } from '../helpers/chdb.js';
import { REPO_ROOT } from '../helpers/shared-data.js';
import { openStore } from '../../agent/src/store/open.js';
import { createClickHouseTransport, type CentralTransport } from '../../agent/src/sync/clickhouse.js';
import { drainOutbox } from '../../agent/src/sync/drain.js';
import { syncInit } from '../../agent/src/sync/service.js';
import { buildChainFixture, type ChainFixture } from './chain-fixture.js';
import { NOW, clock, expectNoStaleAfterScheduleSwap, expectViewsEqualReports, syncBoxes, type Target } from './chain-expect.js';
import { dashboardQueries, grafanaSql } from './dashboard-files.js';

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
