/**
 * The agent's central schema and insert path on current ClickHouse (26.x, embedded through chdb),
 * next to test/sync/clickhouse.test.ts which proves the same on Debian's 18.16 server. What runs
 * here is the agent's own code end to end: syncInit's statements, drainOutbox's batches built
 * from a real store, and the @clickhouse/client insert (only the socket is replaced, see
 * test/helpers/chdb.ts). One embedded engine for the whole file, one database per test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haveChdb, startChdb, STRICT_INPUT, type Chdb } from '../helpers/chdb.js';
import { openStore, type Store } from '../../agent/src/store/open.js';
import { pendingRows, type OutboxRow } from '../../agent/src/store/outbox.js';
import { RECORD_SPECS, RECORD_TYPES, type RecordType } from '../../agent/src/store/records.js';
import { DAY_MS } from '../../agent/src/store/retention.js';
import { saveDailyKpis } from '../../agent/src/store/aggregates.js';
import { centralColumns, initStatements } from '../../agent/src/sync/ddl.js';
import { centralRow, drainOutbox } from '../../agent/src/sync/drain.js';
import { syncInit } from '../../agent/src/sync/service.js';
import { FailureError } from '../../agent/src/core/errors.js';
import { fillStoreDay, LOCAL_ONLY_MARKERS, type DayCounts } from './fill.js';

const DAY0 = Date.UTC(2026, 10, 16);
const clock = (): number => Date.now();
const settings = (database: string) => ({ url: 'chdb', database, username: 'default', password: '', batch_rows: 100, timeout_s: 10 });
const sum = (c: DayCounts[]): number =>
  c.reduce((a, d) => a + d.consulted_visit + d.seller_daily_kpi + d.store_daily_kpi + d.store_hourly_traffic + d.camera_uptime, 0);
const table = (t: RecordType): string => RECORD_SPECS[t].table;

describe.skipIf(!haveChdb())('sync to current ClickHouse (embedded chdb)', () => {
  let ch: Chdb;
  let dbSeq = 0;

  beforeAll(() => {
    ch = startChdb();
  });
  afterAll(async () => {
    await ch?.close();
  });

  const newStore = (): Store => openStore(join(mkdtempSync(join(tmpdir(), 'fs-cur-')), 'fs.db'), { nowMs: DAY0 });
  async function newDatabase(): Promise<string> {
    const database = `fs_cur${++dbSeq}`;
    const t = ch.transport();
    for (const sql of initStatements(database)) await t.exec(sql);
    return database;
  }
  const count = async (sql: string): Promise<number> => Number((await ch.rows(`SELECT count() AS n FROM ${sql}`))[0]?.n);
  async function centralCounts(database: string): Promise<Record<RecordType, number>> {
    const out = { consulted_visit: 0, seller_daily_kpi: 0, store_daily_kpi: 0, store_hourly_traffic: 0, camera_uptime: 0 };
    for (const t of RECORD_TYPES) out[t] = await count(`${database}.${table(t)} FINAL`);
    return out;
  }
  function localRecords(store: Store): Record<RecordType, number> {
    const out = { consulted_visit: 0, seller_daily_kpi: 0, store_daily_kpi: 0, store_hourly_traffic: 0, camera_uptime: 0 };
    for (const r of store.db
      .prepare<[], { t: RecordType; n: number }>('SELECT record_type AS t, COUNT(*) AS n FROM record_versions GROUP BY record_type')
      .all())
      out[r.t] = r.n;
    return out;
  }
  /** Values as strings: 26.x prints UInt64 unquoted, 18.16 quoted; the value is what matters. */
  const asText = (r: Readonly<Record<string, unknown>>): Record<string, string> => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)]));

  it('sync --init runs unchanged: ReplacingMergeTree tables with only whitelisted columns, five views, idempotent', async () => {
    const r1 = await syncInit(settings('fs_init'), ch.transport());
    const r2 = await syncInit(settings('fs_init'), ch.transport());
    expect(Number.parseInt(r1.serverVersion, 10)).toBeGreaterThanOrEqual(24);
    expect(r2.statements).toBe(r1.statements);
    expect(r1.dashboardUser).toMatch(/^-- read-only dashboard user \(ClickHouse 2\d\.[\s\S]*GRANT SELECT ON fs_init\.\* TO floorsense_dashboard;$/);
    const tables = await ch.rows("SELECT name, engine, engine_full FROM system.tables WHERE database = 'fs_init' ORDER BY name");
    const rmt = tables.filter((t) => t.engine === 'ReplacingMergeTree');
    expect(rmt.map((t) => t.name).sort()).toEqual(RECORD_TYPES.map(table).sort());
    for (const t of rmt) expect(String(t.engine_full)).toMatch(/^ReplacingMergeTree\(version\) PARTITION BY toYYYYMM\(day\) ORDER BY record_id/);
    expect(tables.filter((t) => t.engine === 'View').map((t) => t.name)).toEqual([
      'v_camera_day',
      'v_consultations',
      'v_seller_day',
      'v_store_day',
      'v_store_hour',
    ]);
    const cols = await ch.rows("SELECT table, name, type FROM system.columns WHERE database = 'fs_init' AND table NOT LIKE 'v\\_%' ORDER BY table, position");
    for (const t of RECORD_TYPES) expect(cols.filter((c) => c.table === table(t)).map((c) => c.name)).toEqual([...centralColumns(t)]);
    expect(cols.filter((c) => /Float|Nullable|LowCardinality|DateTime64/.test(String(c.type)))).toEqual([]);
  });

  it('a full day synced with a replayed batch and a recomputed KPI: every value arrives, counted once', async () => {
    const database = await newDatabase();
    const store = newStore();
    const days = [fillStoreDay(store, 'shop-1', DAY0, { positions: true }), fillStoreDay(store, 'shop-1', DAY0 + DAY_MS)];
    const total = sum(days);
    const expected = new Map<string, Record<string, string>>();
    const note = (rows: readonly OutboxRow[]): void => {
      for (const r of rows) expected.set(`${r.type}/${r.recordId}`, asText(centralRow(r)));
    };
    const firstInsert = ch.inserts.length;
    // 26.x merges small parts within a second, which would hide the replayed rows from the raw
    // count below; merges resume (and are forced) at the end of the test.
    for (const t of RECORD_TYPES) await ch.transport().exec(`SYSTEM STOP MERGES ${database}.${table(t)}`);
    // The agent dies between ClickHouse's ack of batch 3 and the local "sent" mark.
    const crashed = await drainOutbox(store.db, ch.transport(), {
      database,
      batchRows: 40,
      clock,
      hooks: {
        beforeInsert: (_n, rows) => note(rows),
        afterAck: (n) => {
          if (n === 3) throw new Error('agent killed after the ack of batch 3');
        },
      },
    }).catch((e: unknown) => e);
    expect(String(crashed)).toMatch(/batch 3/);
    expect(pendingRows(store.db, 1_000_000).length).toBe(total - 80);
    // Restarted: everything from batch 3 on is sent, batch 3 a second time.
    const r = await drainOutbox(store.db, ch.transport(), { database, batchRows: 40, clock, hooks: { beforeInsert: (_n, rows) => note(rows) } });
    expect(r.sent).toBe(total - 80);
    expect(r.remaining).toBe(0);
    const raw = (await Promise.all(RECORD_TYPES.map((t) => count(`${database}.${table(t)}`)))).reduce((a, b) => a + b, 0);
    expect(raw).toBe(total + 40); // the replay is physically there (no insert-level dedup on plain MergeTree)...
    expect(await centralCounts(database)).toEqual(localRecords(store)); // ...and FINAL counts it once
    expect(await count(`${database}.v_consultations`)).toBe(days.reduce((a, d) => a + d.consulted_visit, 0));
    expect(await count(`${database}.v_store_hour`)).toBe(48);

    // Every column of every record equals what the box sent: types, times, amounts.
    for (const t of RECORD_TYPES) {
      const got = await ch.rows(`SELECT * FROM ${database}.${table(t)} FINAL`);
      for (const row of got) expect(asText(row)).toEqual(expected.get(`${t}/${String(row.record_id)}`));
    }

    // Late receipts: seller-01's KPIs for day 0 are recomputed, a new version of the same id.
    const day = new Date(DAY0).toISOString().slice(0, 10);
    const kpiRows = await count(`${database}.seller_daily_kpis`);
    saveDailyKpis(
      store.db,
      'shop-1',
      [
        {
          sellerId: 'seller-01',
          day,
          consultations: 10,
          consultedBuyers: 6,
          receiptsWithConsult: 6,
          amountWithConsultMinor: 300_000,
          receiptsWithoutConsult: 3,
          amountWithoutConsultMinor: 90_000,
          consultDurationMs: 3_600_000,
          customers: 40,
          consultedCustomers: 10,
          successfulConsultations: 6,
          unsuccessfulConsultations: 4,
          timeOnFloorSeconds: 46_800,
        },
      ],
      DAY0 + 3 * DAY_MS,
    );
    expect((await drainOutbox(store.db, ch.transport(), { database, batchRows: 40, clock })).sent).toBe(1);
    const view = await ch.rows(
      `SELECT seller_id, successful_consultations, avg_purchase_with_consultation FROM ${database}.v_seller_day WHERE seller_id = 'seller-01' AND day = '${day}'`,
    );
    expect(view.map(asText)).toEqual([{ seller_id: 'seller-01', successful_consultations: '6', avg_purchase_with_consultation: '500' }]);
    expect(await count(`${database}.seller_daily_kpis FINAL`)).toBe(10);
    expect(await count(`${database}.seller_daily_kpis`)).toBe(kpiRows + 1);
    const perDay = await ch.rows(`SELECT toString(day) AS day, visitors, consultations FROM ${database}.v_store_day ORDER BY day`);
    expect(perDay.map((d) => [d.day, Number(d.visitors)])).toEqual([
      [day, days[0]?.consulted_visit],
      [new Date(DAY0 + DAY_MS).toISOString().slice(0, 10), days[1]?.consulted_visit],
    ]);

    // Background merges reach the same answer: after OPTIMIZE ... FINAL the raw rows are the records.
    for (const t of RECORD_TYPES) await ch.transport().exec(`SYSTEM START MERGES ${database}.${table(t)}`);
    for (const t of RECORD_TYPES) await ch.transport().exec(`OPTIMIZE TABLE ${database}.${table(t)} FINAL`);
    const merged = { consulted_visit: 0, seller_daily_kpi: 0, store_daily_kpi: 0, store_hourly_traffic: 0, camera_uptime: 0 };
    for (const t of RECORD_TYPES) merged[t] = await count(`${database}.${table(t)}`);
    expect(merged).toEqual(localRecords(store));

    // What went over the wire: plain INSERT ... FORMAT JSONEachRow, no query parameters, no
    // settings of the agent's own (no dedup token, no async insert), only whitelisted keys.
    const sent = ch.inserts.slice(firstInsert);
    expect(sent.length).toBeGreaterThan(0);
    for (const s of sent) {
      const m = /^INSERT INTO (\w+)\.(\w+) FORMAT JSONEachRow$/.exec(s.query.trim());
      expect(m?.[1]).toBe(database);
      expect(s.queryParams ?? {}).toEqual({});
      expect(s.settings).toEqual(STRICT_INPUT);
      const type = RECORD_TYPES.find((t) => table(t) === m?.[2]);
      expect(type).toBeDefined();
      for (const line of s.body.trim().split('\n')) {
        const obj: unknown = JSON.parse(line);
        expect(Object.keys(typeof obj === 'object' && obj !== null ? obj : {}).sort()).toEqual([...centralColumns(type ?? 'consulted_visit')].sort());
        for (const marker of LOCAL_ONLY_MARKERS) expect(line).not.toContain(marker);
      }
    }
    store.close();
  });

  it('a column outside the whitelist or a time in another format is refused, as a server refuses it', async () => {
    const database = await newDatabase();
    const t = ch.transport();
    const ok = { record_id: 'x', version: 1, store_id: 's', camera_id: 'cam1', day: '2026-11-16', up_ms: 1, down_ms: 0, outages: 0 };
    await t.insertRows(`${database}.camera_uptime`, [ok]);
    const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
      ['extra column', { ...ok, floor_x: 1.5 }, 'camera_uptime', /Unknown field.*floor_x/s],
      ['ISO time', { record_id: 'c', version: 1, started_minute: '2026-11-16T10:00:00Z' }, 'consulted_visits', /started_minute/],
    ];
    for (const [what, row, tbl, msg] of cases) {
      const err = await t.insertRows(`${database}.${tbl}`, [row]).catch((e: unknown) => e);
      expect(err, what).toBeInstanceOf(FailureError);
      expect(err, what).toMatchObject({ code: 'FS_REMOTE' });
      expect(String((err as Error).message), what).toMatch(msg);
    }
    expect(await count(`${database}.camera_uptime`)).toBe(1);
  });
});
