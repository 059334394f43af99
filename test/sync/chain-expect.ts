/**
 * What the chain's central views must state, shared by the single-server tests (chain-views) and
 * the cluster test: the views equal each box's own `floorsense report --json`, and a re-fetched
 * schedule leaves no stale record (tombstones excluded).
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { openStore } from '../../agent/src/store/open.js';
import type { CentralTransport } from '../../agent/src/sync/clickhouse.js';
import { drainOutbox } from '../../agent/src/sync/drain.js';
import { cli, type ChainFixture, type FixtureDay, type ReportJson, type ReportKpis } from './chain-fixture.js';
import { loadConfigFile } from '../../agent/src/config/load.js';
import { rollUpKpis } from '../../agent/src/agent/store-day.js';
import { syncSchedule } from '../../agent/src/sales/schedule-sync.js';

export const NOW = Date.UTC(2025, 3, 20);
export const clock = (): number => NOW;

/** The column contract of v_seller_day, in order (issue 10). */
export const SELLER_DAY_COLUMNS = [
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
export const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const pick = (k: Readonly<ReportKpis>, names: readonly (keyof ReportKpis)[]): Record<string, number | null> => Object.fromEntries(names.map((n) => [n, k[n]]));
const coverage = (d: FixtureDay): number | null => {
  const up = d.uptime.reduce((a, u) => a + u.upMs, 0);
  const all = up + d.uptime.reduce((a, u) => a + u.downMs, 0);
  return all === 0 ? null : Math.round((up / all) * 1e4) / 1e4;
};

export interface Target {
  transport(): CentralTransport;
  rows(sql: string): Promise<Array<Record<string, unknown>>>;
}

export async function syncBoxes(t: Target, fx: ChainFixture, database: string): Promise<number> {
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

export async function expectViewsEqualReports(t: Target, fx: ChainFixture, database: string): Promise<void> {
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
export async function expectNoStaleAfterScheduleSwap(t: Target, fx: ChainFixture, database: string): Promise<void> {
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
