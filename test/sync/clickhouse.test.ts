/**
 * The outbox against a real clickhouse-server (Debian 18.16 here and in CI), one server for the
 * whole file, one database per test. Crashes are real: SIGKILL of the server, SIGKILL of an agent
 * process in the window between ClickHouse's ack and the local "sent" mark.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haveClickHouse, startClickHouse, freePort, type ClickHouseServer } from '../helpers/clickhouse.js';
import { REPO_ROOT } from '../helpers/shared-data.js';
import { openStore, type Store } from '../../agent/src/store/open.js';
import { outboxBacklog, pendingRows } from '../../agent/src/store/outbox.js';
import { RECORD_SPECS, RECORD_TYPES, type RecordType } from '../../agent/src/store/records.js';
import { runRetention, DAY_MS } from '../../agent/src/store/retention.js';
import { saveCameraUptime, saveDailyKpis, saveDayRecords } from '../../agent/src/store/aggregates.js';
import { createClickHouseTransport, type CentralTransport } from '../../agent/src/sync/clickhouse.js';
import { centralColumns, initStatements } from '../../agent/src/sync/ddl.js';
import { drainOutbox } from '../../agent/src/sync/drain.js';
import { runSyncLoop } from '../../agent/src/sync/loop.js';
import { startSyncLoop, syncInit, type RunningSync } from '../../agent/src/sync/service.js';
import { FailureError } from '../../agent/src/core/errors.js';
import { main } from '../../agent/src/cli/main.js';
import { fillStoreDay, LOCAL_ONLY_MARKERS, HOUR_MS, type DayCounts } from './fill.js';

const DAY0 = Date.UTC(2026, 10, 16);
const clock = (): number => Date.now();

describe.skipIf(!haveClickHouse())('sync to a real ClickHouse', () => {
  let ch: ClickHouseServer;
  let dbSeq = 0;
  const transports: CentralTransport[] = [];

  beforeAll(async () => {
    ch = await startClickHouse();
  });
  afterAll(async () => {
    // Server first: a transport that fails to close must not leave clickhouse-server running.
    await ch?.stop();
    await Promise.allSettled(transports.map((t) => t.close()));
  });

  const transport = (url = ch.url): CentralTransport => {
    const t = createClickHouseTransport({ url, username: 'default', password: '', timeoutMs: 10_000 });
    transports.push(t);
    return t;
  };
  const newStore = (): Store => openStore(join(mkdtempSync(join(tmpdir(), 'fs-sync-')), 'fs.db'), { nowMs: DAY0 });
  async function newDatabase(): Promise<string> {
    const name = `fs_t${++dbSeq}`;
    for (const sql of initStatements(name)) await ch.query(sql);
    return name;
  }
  async function countFinal(database: string, type: RecordType): Promise<number> {
    return Number((await ch.query(`SELECT count() FROM ${database}.${RECORD_SPECS[type].table} FINAL`)).trim());
  }
  async function countRaw(database: string, type: RecordType): Promise<number> {
    return Number((await ch.query(`SELECT count() FROM ${database}.${RECORD_SPECS[type].table}`)).trim());
  }
  /** Records the box holds (latest version of each id), per type. */
  function localRecords(store: Store): Record<RecordType, number> {
    const out = { consulted_visit: 0, seller_daily_kpi: 0, store_daily_kpi: 0, store_hourly_traffic: 0, camera_uptime: 0 };
    for (const r of store.db
      .prepare<[], { t: RecordType; n: number }>('SELECT record_type AS t, COUNT(*) AS n FROM record_versions GROUP BY record_type')
      .all())
      out[r.t] = r.n;
    return out;
  }
  async function centralCounts(database: string): Promise<Record<RecordType, number>> {
    const out = { consulted_visit: 0, seller_daily_kpi: 0, store_daily_kpi: 0, store_hourly_traffic: 0, camera_uptime: 0 };
    for (const t of RECORD_TYPES) out[t] = await countFinal(database, t);
    return out;
  }
  const sum = (c: DayCounts[]): number =>
    c.reduce((a, d) => a + d.consulted_visit + d.seller_daily_kpi + d.store_daily_kpi + d.store_hourly_traffic + d.camera_uptime, 0);

  it('init creates the tables and views idempotently and prints a dashboard user for this server', async () => {
    const r1 = await syncInit({ url: ch.url, database: 'fs_init', username: 'default', password: '', batch_rows: 100, timeout_s: 10 }, transport());
    const r2 = await syncInit({ url: ch.url, database: 'fs_init', username: 'default', password: '', batch_rows: 100, timeout_s: 10 }, transport());
    expect(r1.serverVersion).toMatch(/^\d+\.\d+/);
    expect(r2.statements).toBe(r1.statements);
    const tables = await ch.rows("SELECT name, engine FROM system.tables WHERE database = 'fs_init' ORDER BY name");
    expect(
      tables
        .filter((t) => t.engine === 'ReplacingMergeTree')
        .map((t) => t.name)
        .sort(),
    ).toEqual(RECORD_TYPES.map((t) => RECORD_SPECS[t].table).sort());
    expect(tables.filter((t) => t.engine === 'View').map((t) => t.name)).toEqual([
      'v_camera_day',
      'v_consultations',
      'v_seller_day',
      'v_store_day',
      'v_store_hour',
    ]);
    expect(r1.dashboardUser).toMatch(/readonly/);
  });

  it('normal sync: counts in ClickHouse equal counts on the box; a recomputed KPI replaces the old one', async () => {
    const database = await newDatabase();
    const store = newStore();
    const days = [fillStoreDay(store, 'shop-1', DAY0), fillStoreDay(store, 'shop-1', DAY0 + DAY_MS)];
    const r = await drainOutbox(store.db, transport(), { database, batchRows: 200, clock });
    expect(r.sent).toBe(sum(days));
    expect(r.remaining).toBe(0);
    expect(await centralCounts(database)).toEqual(localRecords(store));
    expect((await drainOutbox(store.db, transport(), { database, batchRows: 200, clock })).sent).toBe(0);
    // Late receipts: seller-01's KPIs for day 0 are recomputed.
    const day = new Date(DAY0).toISOString().slice(0, 10);
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
    await drainOutbox(store.db, transport(), { database, batchRows: 200, clock });
    const view = await ch.rows(
      `SELECT seller_id, successful_consultations, avg_purchase_with_consultation FROM ${database}.v_seller_day WHERE seller_id = 'seller-01' AND day = '${day}'`,
    );
    expect(view).toEqual([{ seller_id: 'seller-01', successful_consultations: '6', avg_purchase_with_consultation: 500 }]);
    expect(await countFinal(database, 'seller_daily_kpi')).toBe(10);
    expect(await countRaw(database, 'seller_daily_kpi')).toBe(11);
    store.close();
  });

  it('unreachable ClickHouse: FS_REMOTE naming the URL, outbox intact', async () => {
    const store = newStore();
    fillStoreDay(store, 'shop-1', DAY0, { cameras: 2, consultationsPerHour: 1 });
    const before = outboxBacklog(store.db);
    const url = `http://127.0.0.1:${await freePort()}`;
    const err = await drainOutbox(store.db, transport(url), { database: 'fs_nowhere', batchRows: 50, clock }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FailureError);
    expect(err).toMatchObject({ code: 'FS_REMOTE' });
    expect(String((err as Error).message)).toContain(`ClickHouse at ${url}`);
    expect(outboxBacklog(store.db)).toEqual(before);
    store.close();
  });

  it('ClickHouse SIGKILLed in the middle of a batch, restarted: nothing lost, nothing doubled', async () => {
    const database = await newDatabase();
    const store = newStore();
    const days = [fillStoreDay(store, 'shop-2', DAY0), fillStoreDay(store, 'shop-2', DAY0 + DAY_MS)];
    // Batches of 40 mix record types, so one batch is several INSERTs: kill the server right after
    // the first INSERT of batch 3 was acknowledged, before the rest of that batch is sent.
    const real = transport();
    let inserts = 0;
    let batch = 0;
    const killing: CentralTransport = {
      ...real,
      insertRows: async (table, rows) => {
        await real.insertRows(table, rows);
        inserts += 1;
        if (batch === 3 && inserts > 0) await ch.kill();
      },
    };
    const err = await drainOutbox(store.db, killing, {
      database,
      batchRows: 40,
      clock,
      hooks: {
        beforeInsert: (n) => {
          batch = n;
          inserts = 0;
        },
      },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'FS_REMOTE' });
    expect(outboxBacklog(store.db).unsent).toBe(sum(days) - 2 * 40);
    expect(inserts).toBe(1);
    await ch.start();
    const r = await drainOutbox(store.db, transport(), { database, batchRows: 40, clock });
    expect(r.remaining).toBe(0);
    expect(await centralCounts(database)).toEqual(localRecords(store));
    store.close();
  });

  it('agent SIGKILLed between the ack and the "sent" mark, restarted: nothing lost, nothing doubled', async () => {
    const database = await newDatabase();
    const store = newStore();
    const days = [fillStoreDay(store, 'shop-3', DAY0)];
    const total = sum(days);
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/sync/fixtures/drain-child.ts'), store.path, ch.url, database, '40', '2'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let errText = '';
    child.stderr.on('data', (b: Buffer) => (errText += b.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child never acked: ${out} ${errText}`)), 15_000);
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('ACKED 2')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => reject(new Error(`child exited ${code}: ${out} ${errText}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    // Batch 2 reached ClickHouse but the box never recorded it: it will be sent again.
    const unsent = outboxBacklog(store.db).unsent;
    expect(unsent).toBe(total - 40);
    const rawBefore = await Promise.all(RECORD_TYPES.map((t) => countRaw(database, t)));
    expect(rawBefore.reduce((a, b) => a + b, 0)).toBe(80);
    // Restart: the agent drains everything, replaying batch 2.
    const r = await drainOutbox(store.db, transport(), { database, batchRows: 40, clock });
    expect(r.sent).toBe(total - 40);
    const raw = (await Promise.all(RECORD_TYPES.map((t) => countRaw(database, t)))).reduce((a, b) => a + b, 0);
    expect(raw).toBe(total + 40); // the replayed 40 rows are physically there...
    expect(await centralCounts(database)).toEqual(localRecords(store)); // ...and counted once
    const views = await ch.rows(`SELECT count() AS n FROM ${database}.v_consultations`);
    expect(Number(views[0]?.n)).toBe(days[0]?.consulted_visit);
    store.close();
  });

  it('three days offline (with hourly retention), then the backlog drains oldest first', async () => {
    const database = await newDatabase();
    const store = newStore();
    const days = [0, 1, 2].map((d) => fillStoreDay(store, 'shop-4', DAY0 + d * DAY_MS, { cameras: 3, consultationsPerHour: 2, positions: true }));
    const total = sum(days);
    // Retention runs a day after the last of it: the first day's detail goes, its aggregates stay.
    const ret = runRetention(store.db, { nowMs: DAY0 + 4 * DAY_MS, retentionDays: 3, batchRows: 1000, outboxMaxRows: 1_000_000 });
    expect(ret.deleted.positions).toBe(13 * 2 * 60);
    expect(outboxBacklog(store.db).unsent).toBe(total);
    // The loop tries through three days of refused connections (virtual time), then the link returns.
    const dead = transport(`http://127.0.0.1:${await freePort()}`);
    const live = transport();
    let now = DAY0 + 3 * DAY_MS;
    const linkBackAt = now + 3 * DAY_MS;
    const delays: number[] = [];
    const ctl = new AbortController();
    const order: string[] = [];
    await runSyncLoop({
      drain: () =>
        drainOutbox(store.db, now < linkBackAt ? dead : live, {
          database,
          batchRows: 100,
          clock: () => now,
          maxBatches: 1,
          hooks: { beforeInsert: (_n, rows) => void order.push(`${rows[0]?.seq}-${rows[rows.length - 1]?.seq}`) },
        }),
      sleep: async (ms) => {
        now += ms;
      },
      random: () => 0.5,
      signal: ctl.signal,
      intervalMs: 1000,
      backoff: { minMs: 5000, maxMs: 3_600_000 },
      onFailure: (_e, ms) => delays.push(ms),
      onDrained: (r) => {
        if (r.remaining === 0) ctl.abort();
      },
    });
    expect(delays.length).toBeGreaterThan(100);
    expect(delays.slice(0, 4)).toEqual([5000, 5000, 10_000, 20_000]);
    expect(Math.max(...delays)).toBe(1_800_000);
    // Batches went strictly in seq order with no gap: the backlog drained oldest first.
    const seqs = order.slice(-Math.ceil(total / 100)).map((s) => s.split('-').map(Number));
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]?.[0]).toBeGreaterThan(seqs[i - 1]?.[1] ?? Infinity);
    expect(await centralCounts(database)).toEqual(localRecords(store));
    const traffic = await ch.rows(`SELECT day, count() AS n FROM ${database}.v_store_hour GROUP BY day ORDER BY day`);
    expect(traffic.map((r) => Number(r.n))).toEqual([24, 24, 24]);
    store.close();
  });

  it('privacy: a full day of detail leaves only whitelisted columns and no local-only value', async () => {
    const database = await newDatabase();
    const store = newStore();
    fillStoreDay(store, 'shop-5', DAY0, { positions: true });
    expect(store.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM positions').get()?.n).toBeGreaterThan(1000);
    await drainOutbox(store.db, transport(), { database, batchRows: 500, clock });
    expect(pendingRows(store.db, 1)).toEqual([]);
    const cols = await ch.rows(
      `SELECT table, name, type FROM system.columns WHERE database = '${database}' AND table IN (SELECT name FROM system.tables WHERE database = '${database}' AND engine = 'ReplacingMergeTree') ORDER BY table, name`,
    );
    for (const t of RECORD_TYPES) {
      const got = cols.filter((c) => c.table === RECORD_SPECS[t].table).map((c) => String(c.name));
      expect(got.sort()).toEqual([...centralColumns(t)].sort());
    }
    expect(cols.filter((c) => /Float/.test(String(c.type)))).toEqual([]); // no coordinates of any kind
    for (const t of RECORD_TYPES) {
      const rows = await ch.rows(`SELECT * FROM ${database}.${RECORD_SPECS[t].table}`);
      const text = JSON.stringify(rows);
      for (const marker of LOCAL_ONLY_MARKERS) expect(text).not.toContain(marker);
    }
    // The per-seller day view reads the whitelisted columns back.
    expect((await ch.rows(`SELECT seller_id FROM ${database}.v_seller_day ORDER BY seller_id`)).length).toBe(5);
    expect(HOUR_MS).toBe(3_600_000);
    store.close();
  });

  it('floorsense sync --status / --init / --once through the CLI', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fs-cli-'));
    const dbPath = join(dir, 'box.db');
    const store = openStore(dbPath, { nowMs: DAY0 });
    const day = fillStoreDay(store, 'shop-6', DAY0, { cameras: 2, consultationsPerHour: 1 });
    store.close();
    const cfg = join(dir, 'floorsense.yaml');
    writeFileSync(cfg, `store: {id: shop-6}\nstorage: {path: ${dbPath}}\nsync: {url: "${ch.url}", database: fs_cli, batch_rows: 10}\n`);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const run = async (...args: string[]): Promise<[number, string]> => {
        log.mockClear();
        err.mockClear();
        const code = await main(['sync', '-c', cfg, ...args]);
        return [code, [...log.mock.calls, ...err.mock.calls].map((c) => c.join(' ')).join('\n')];
      };
      const n = sum([day]);
      expect(await run('--status')).toEqual([0, expect.stringMatching(new RegExp(`^unsent ${n} \\(oldest 2026-11-16T`))]);
      expect(await run()).toEqual([2, expect.stringMatching(/exactly one of --init, --once, --status \(got none\)/)]);
      expect(await run('--init')).toEqual([
        0,
        expect.stringMatching(/^ClickHouse \S+ at http:\/\/127\.0\.0\.1:\d+: 11 statements applied to database fs_cli[\s\S]*dashboard user/),
      ]);
      expect(await run('--once')).toEqual([0, expect.stringMatching(new RegExp(`^sent ${n} record\\(s\\) in ${Math.ceil(n / 10)} batch\\(es\\) .*; 0 left$`))]);
      expect((await run('--status'))[1]).toMatch(/^unsent 0 \(oldest -\); sent and not yet purged \d+/);
      expect(await centralCounts('fs_cli')).toEqual({
        consulted_visit: day.consulted_visit,
        seller_daily_kpi: 5,
        store_daily_kpi: 1,
        store_hourly_traffic: 24,
        camera_uptime: 2,
      });
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  });

  it('the background loop drains new records as they come and stops cleanly; missing tables say how to fix it', async () => {
    const database = await newDatabase();
    const store = newStore();
    fillStoreDay(store, 'shop-7', DAY0, { cameras: 2, consultationsPerHour: 1 });
    const logs: string[] = [];
    const logger = {
      info: (_o: object, m: string) => void logs.push(m),
      warn: (_o: object, m: string) => void logs.push(m),
      error: (_o: object, m: string) => void logs.push(m),
    };
    const settings = {
      url: ch.url,
      database,
      username: 'default',
      password: '',
      batch_rows: 25,
      timeout_s: 10,
      interval_s: 1,
      backoff_min_s: 0.1,
      backoff_max_s: 1,
    };
    const loop = startSyncLoop(store.db, settings, logger);
    const waitEmpty = async (): Promise<void> => {
      const t0 = Date.now();
      while (outboxBacklog(store.db).unsent > 0 && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 50));
    };
    await waitEmpty();
    fillStoreDay(store, 'shop-7', DAY0 + DAY_MS, { cameras: 2, consultationsPerHour: 1 });
    await waitEmpty();
    await loop.stop();
    expect(outboxBacklog(store.db).unsent).toBe(0);
    expect(await centralCounts(database)).toEqual(localRecords(store));
    expect(logs.some((m) => /^sent \d+ aggregate record\(s\) to http:\/\/127\.0\.0\.1/.test(m))).toBe(true);
    // A database that was never initialised: the error says what to run.
    fillStoreDay(store, 'shop-7', DAY0 + 2 * DAY_MS, { cameras: 1, consultationsPerHour: 1 });
    const err = await drainOutbox(store.db, transport(), { database: 'fs_never_created', batchRows: 10, clock }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'FS_REMOTE' });
    expect(String((err as Error).message)).toMatch(/fs_never_created.*floorsense sync --init/s);
    store.close();
  });

  it("the agent's one sync loop: tries at start, backs off on its own while ClickHouse is down (one warning line each, no stack), recovers, then keeps interval_s", async () => {
    const database = await newDatabase();
    const store = newStore();
    fillStoreDay(store, 'shop-8', DAY0, { cameras: 1, consultationsPerHour: 1 });
    // One real dead endpoint (a free port: connection refused) and the real server; the link comes back at backAt (virtual time).
    const dead = transport(`http://127.0.0.1:${await freePort()}`);
    const live = transport();
    let now = DAY0 + DAY_MS;
    const backAt = now + 10 * 60_000;
    const via = (): CentralTransport => (now < backAt ? dead : live);
    const link: CentralTransport = {
      url: live.url,
      insertRows: (t, r) => via().insertRows(t, r),
      exec: (q) => via().exec(q),
      queryRows: (q) => via().queryRows(q),
      close: async () => {},
    };
    const lines: Array<{ level: string; obj: object; msg: string; sleptBefore: number }> = [];
    const sleeps: number[] = [];
    const log = (level: string) => (obj: object, msg: string) => void lines.push({ level, obj, msg, sleptBefore: sleeps.length });
    let loop: RunningSync | null = null;
    const settings = {
      url: ch.url,
      database,
      username: 'default',
      password: '',
      batch_rows: 50,
      timeout_s: 10,
      interval_s: 60,
      backoff_min_s: 30,
      backoff_max_s: 240,
    };
    loop = startSyncLoop(
      store.db,
      settings,
      { info: log('info'), warn: log('warn'), error: log('error') },
      {
        clock: () => now,
        random: () => 1,
        transport: link,
        sleep: async (ms) => {
          sleeps.push(ms);
          now += ms;
          if (sleeps.length === 8) void loop?.stop();
          await new Promise((r) => setImmediate(r));
        },
      },
    );
    const t0 = Date.now();
    while (sleeps.length < 8 && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 20));
    await loop.stop();
    // 30, 60, 120, 240 (cap), 240 s: five failures over 690 s of outage; then interval_s while all is sent.
    expect(sleeps).toEqual([30_000, 60_000, 120_000, 240_000, 240_000, 60_000, 60_000, 60_000]);
    const warns = lines.filter((l) => l.level === 'warn');
    expect(warns.length).toBe(5);
    expect(warns[0]?.sleptBefore).toBe(0); // the first try is at start, before any wait
    for (const [i, w] of warns.entries()) {
      expect(w.msg).toMatch(/^ClickHouse at http:\/\/127\.0\.0\.1:\d+: .* failed: .*ECONNREFUSED.*; retrying in \d+ s \(outbox kept\)$/);
      expect(w.obj).toEqual({ attempt: i + 1, retryInMs: sleeps[i], code: 'FS_REMOTE' }); // no error object: no stack in the journal
    }
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(lines.filter((l) => l.level === 'info').map((l) => l.msg)).toEqual([
      expect.stringMatching(/^sent \d+ aggregate record\(s\) to http:\/\/127\.0\.0\.1:\d+$/),
    ]);
    // Recovered at 690 s, drained again at 750 and 810 s; the 8th wait ends with the stop.
    expect(loop.state()).toMatchObject({ lastError: null, failures: 0, lastSuccessMs: DAY0 + DAY_MS + 810_000 });
    expect(outboxBacklog(store.db).unsent).toBe(0);
    expect(await centralCounts(database)).toEqual(localRecords(store));
    store.close();
  });

  it('a central column narrowed to UInt8 is refused before sending, naming table, column, expected and found types; nothing leaves', async () => {
    const database = await newDatabase();
    await ch.query(`ALTER TABLE ${database}.store_daily_kpis MODIFY COLUMN receipts_amount_minor UInt8`);
    const store = newStore();
    fillStoreDay(store, 'shop-9', DAY0, { cameras: 1, consultationsPerHour: 1 });
    const before = outboxBacklog(store.db);
    const err = await drainOutbox(store.db, transport(), { database, batchRows: 50, clock }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FailureError);
    expect(err).toMatchObject({
      code: 'FS_REMOTE',
      details: { mismatched: [{ database, table: 'store_daily_kpis', column: 'receipts_amount_minor', expected: 'Int64', found: 'UInt8' }] },
    });
    expect(String((err as Error).message)).toMatch(
      new RegExp(
        `central schema check failed before sending: ${database}\\.store_daily_kpis\\.receipts_amount_minor is UInt8, expected Int64 \\(.*nothing was sent, the outbox is kept\\)`,
      ),
    );
    expect(outboxBacklog(store.db)).toEqual(before);
    for (const t of RECORD_TYPES) expect(await countRaw(database, t)).toBe(0);
    store.close();
  });

  it('a poisoned outbox row is quarantined and the rest is sent; sync --once and --status say so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fs-poison-'));
    const dbPath = join(dir, 'box.db');
    const store = openStore(dbPath, { nowMs: DAY0 });
    const day = fillStoreDay(store, 'shop-10', DAY0, { cameras: 2, consultationsPerHour: 1 });
    const poisoned = store.db.prepare<[], { seq: number }>("SELECT MIN(seq) AS seq FROM outbox WHERE record_type = 'consulted_visit'").get()!.seq;
    store.db.prepare("UPDATE outbox SET payload = json_set(payload, '$.floor_x', 1.5) WHERE seq = ?").run(poisoned);
    store.close();
    const cfg = join(dir, 'floorsense.yaml');
    writeFileSync(cfg, `store: {id: shop-10}\nstorage: {path: ${dbPath}}\nsync: {url: "${ch.url}", database: fs_poison, batch_rows: 10}\n`);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const run = async (...args: string[]): Promise<[number, string]> => {
        log.mockClear();
        const code = await main(['sync', '-c', cfg, ...args]);
        return [code, log.mock.calls.map((c) => c.join(' ')).join('\n')];
      };
      expect((await run('--init'))[0]).toBe(0);
      const n = sum([day]);
      expect(await run('--once')).toEqual([
        0,
        expect.stringMatching(new RegExp(`^sent ${n - 1} record\\(s\\) .*; 0 left; 1 quarantined \\(see sync --status\\)$`)),
      ]);
      const [code, status] = await run('--status');
      expect(code).toBe(0);
      expect(status).toMatch(
        new RegExp(
          `^unsent 0 \\(oldest -\\)[\\s\\S]*\\nquarantined 1 [^\\n]*\\n  seq ${poisoned} consulted_visit [0-9a-f]{32} at \\S+: fails the sync whitelist: consulted_visit\\.floor_x: not in the sync whitelist`,
        ),
      );
      expect(await centralCounts('fs_poison')).toEqual({
        consulted_visit: day.consulted_visit - 1,
        seller_daily_kpi: day.seller_daily_kpi,
        store_daily_kpi: day.store_daily_kpi,
        store_hourly_traffic: day.store_hourly_traffic,
        camera_uptime: day.camera_uptime,
      });
    } finally {
      log.mockRestore();
    }
  });

  it('a tombstone hides its record in every view before any merge, and a record that comes back shows again', async () => {
    const database = await newDatabase();
    // No merges: every version stays a separate part, so the views alone must collapse them.
    for (const t of RECORD_TYPES) await ch.query(`SYSTEM STOP MERGES ${database}.${RECORD_SPECS[t].table}`);
    const store = newStore();
    const day = new Date(DAY0).toISOString().slice(0, 10);
    const filled = fillStoreDay(store, 'shop-11', DAY0, { cameras: 2, consultationsPerHour: 1 });
    await drainOutbox(store.db, transport(), { database, batchRows: 500, clock });
    const where = `WHERE store_id = 'shop-11' AND day = '${day}'`;
    const counts = async (): Promise<number[]> =>
      Promise.all(
        ['v_consultations', 'v_seller_day', 'v_store_hour', 'v_camera_day', 'v_store_day'].map(async (v) =>
          Number((await ch.query(`SELECT count() FROM ${database}.${v} ${where}`)).trim()),
        ),
      );
    expect(await counts()).toEqual([filled.consulted_visit, 5, 24, 2, 1]);
    // A recompute that yields no consultation, no seller and no hour, and only cam1.
    const later = DAY0 + 2 * DAY_MS;
    const r = saveDayRecords(store.db, 'shop-11', day, { consultations: [], sellers: [], hours: [] }, later);
    expect(r.retracted).toEqual({ consulted_visit: filled.consulted_visit, seller_daily_kpi: 5, store_hourly_traffic: 24 });
    saveCameraUptime(store.db, 'shop-11', [{ cameraId: 'cam1', day, upMs: 1000, downMs: 0, outages: 0 }], later);
    await drainOutbox(store.db, transport(), { database, batchRows: 500, clock: () => later });
    expect(await counts()).toEqual([0, 0, 0, 1, 1]);
    expect(await countRaw(database, 'seller_daily_kpi')).toBe(10); // both versions still there, unmerged
    // seller-01 comes back: a newer live version.
    saveDailyKpis(
      store.db,
      'shop-11',
      [
        {
          sellerId: 'seller-01',
          day,
          consultations: 1,
          consultedBuyers: 0,
          receiptsWithConsult: 0,
          amountWithConsultMinor: 0,
          receiptsWithoutConsult: 0,
          amountWithoutConsultMinor: 0,
          consultDurationMs: 1000,
          customers: 3,
          consultedCustomers: 1,
          successfulConsultations: 0,
          unsuccessfulConsultations: 1,
          timeOnFloorSeconds: 10,
        },
      ],
      later + 1000,
    );
    await drainOutbox(store.db, transport(), { database, batchRows: 500, clock: () => later + 1000 });
    expect(await ch.rows(`SELECT seller_id, consultations FROM ${database}.v_seller_day ${where}`)).toEqual([{ seller_id: 'seller-01', consultations: '1' }]);
    store.close();
  });
});
