/**
 * Issue 10's cluster layout on loopback: ZooKeeper and four ClickHouse 18.16 servers, two shards of
 * two replicas each (test/helpers/clickhouse-cluster.ts: one server per replica, the plain layout
 * the standard {shard}/{replica} macros describe; the smallest that shows sharding and
 * replication at once). `floorsense sync --init --cluster` makes the schema ON CLUSTER; the chain
 * fixture's boxes sync through the agent's own sync loop into the Distributed tables while one
 * replica of the shard holding their stores and then the server the agent talks to are SIGKILLed;
 * the loop retries, the killed replica restarts and catches up, and the views on every server
 * equal each box's `floorsense report --json`. Stores are sharded by cityHash64(store_id);
 * retractions still retract; a single-server database is refused, naming what is not converted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { haveClickHouse, type ClickHouseServer } from '../helpers/clickhouse.js';
import { haveZooKeeper, startClickHouseCluster, type ClickHouseCluster } from '../helpers/clickhouse-cluster.js';
import { openStore } from '../../agent/src/store/open.js';
import { outboxBacklog } from '../../agent/src/store/outbox.js';
import { createClickHouseTransport, type CentralTransport } from '../../agent/src/sync/clickhouse.js';
import { chainReader } from '../../agent/src/hq/service.js';
import { REPO_ROOT } from '../helpers/shared-data.js';
import { dashboardQueries, grafanaSql } from './dashboard-files.js';
import { drainOutbox } from '../../agent/src/sync/drain.js';
import { initStatements } from '../../agent/src/sync/ddl.js';
import { startSyncLoop, syncInit, transportFor, type SyncSettings } from '../../agent/src/sync/service.js';
import { RECORD_SPECS, RECORD_TYPES } from '../../agent/src/store/records.js';
import { buildChainFixture, cli, type ChainFixture } from './chain-fixture.js';
import { NOW, clock, expectNoStaleAfterScheduleSwap, expectViewsEqualReports, num, type Target } from './chain-expect.js';
import { fillStoreDay } from './fill.js';

const CLUSTER = 'fs_chain';
// The database the stores' config and the files under dashboards/ name by default.
const DB = 'floorsense';
const TABLES = RECORD_TYPES.map((t) => RECORD_SPECS[t].table);

describe.skipIf(!haveClickHouse() || !haveZooKeeper())('cluster layout: 2 shards x 2 replicas of ClickHouse 18.16 with ZooKeeper', () => {
  let cluster: ClickHouseCluster;
  let fx: ChainFixture;
  const transports: CentralTransport[] = [];
  const entry = (): ClickHouseServer => cluster.node(1, 1).server;
  const settings = (database: string, server: ClickHouseServer = entry()): SyncSettings & { batch_rows: number; timeout_s: number } => ({
    url: server.url,
    database,
    cluster: CLUSTER,
    username: 'default',
    password: '',
    batch_rows: 40,
    timeout_s: 20,
  });
  /** The agent's transport for the cluster layout (insert_distributed_sync and the DDL limit). */
  const agentTransport = (database: string): CentralTransport => {
    const t = transportFor(settings(database));
    transports.push(t);
    return t;
  };
  /**
   * A view check right after a drain: an acknowledged INSERT is on one replica of each shard, and a
   * Distributed read may pick the other before it has fetched the part (replication is
   * asynchronous, usually well under a second). Each INSERT here waits until every replica has it,
   * so the check reads what was sent, not a replica's lag.
   */
  const on = (server: ClickHouseServer, database: string): Target => ({
    transport: () => {
      const t = agentTransport(database);
      return {
        ...t,
        insertRows: async (table, rows) => {
          await t.insertRows(table, rows);
          for (const n of cluster.nodes) await n.server.query(`SYSTEM SYNC REPLICA ${table}_local`);
        },
      };
    },
    rows: (sql) => server.rows(sql),
  });
  const every = () => cluster.nodes.map((n) => ({ name: `s${n.shard}r${n.replica}`, server: n.server }));

  /**
   * Wait until a replica has fetched everything its shard took: in session with ZooKeeper (a
   * restarted one is readonly until its old session expires), every replica of the shard active,
   * the shared log copied into its queue (log_pointer past the log's last entry) and the queue
   * empty. SYSTEM SYNC REPLICA alone is not enough right after a restart: it can return before
   * the replica has pulled the log.
   */
  async function caughtUp(server: ClickHouseServer, database: string): Promise<void> {
    const deadline = Date.now() + 40_000;
    for (const t of TABLES) {
      let last = '';
      for (;;) {
        try {
          await server.query(`SYSTEM SYNC REPLICA ${database}.${t}_local`);
          const [r] = await server.rows(
            `SELECT is_readonly, is_session_expired, queue_size, log_pointer, log_max_index, active_replicas, total_replicas FROM system.replicas WHERE database = '${database}' AND table = '${t}_local'`,
          );
          last = JSON.stringify(r);
          const done =
            num(r?.is_readonly) === 0 &&
            num(r?.is_session_expired) === 0 &&
            num(r?.active_replicas) === num(r?.total_replicas) &&
            (num(r?.log_pointer) ?? 0) > (num(r?.log_max_index) ?? 0) &&
            num(r?.queue_size) === 0;
          if (done) break;
        } catch (e) {
          last = String(e);
        }
        if (Date.now() > deadline) throw new Error(`${server.url}: ${database}.${t}_local did not catch up in 40 s: ${last}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  beforeAll(async () => {
    const t0 = Date.now();
    [fx, cluster] = await Promise.all([
      buildChainFixture(mkdtempSync(join(tmpdir(), 'fs-cluster-')), NOW),
      startClickHouseCluster(CLUSTER, 2, 2).then((c) => {
        console.log(`ZooKeeper and 4 ClickHouse servers up in ${Date.now() - t0} ms`);
        return c;
      }),
    ]);
    console.log(`chain fixture and cluster ready in ${Date.now() - t0} ms`);
    // Five JVM and server start-ups on two shared cores: seconds when quiet, a minute or more under load.
  }, 300_000);
  afterAll(async () => {
    await Promise.allSettled(transports.map((t) => t.close()));
    await cluster?.stop();
  });

  it('`sync --init --cluster` makes replicated local tables, Distributed tables and the views on every server; a second run changes nothing', async () => {
    const d = fx.days[0]!;
    const cfgPath = join(d.dir, 'cluster-store.yaml');
    const cfg = parse(readFileSync(join(d.dir, 'store.yaml'), 'utf8')) as Record<string, unknown>;
    writeFileSync(cfgPath, stringify({ ...cfg, sync: { url: entry().url, database: DB, timeout_s: 20 } }));
    const out = await cli(['sync', '--init', '--cluster', CLUSTER, '--config', cfgPath]);
    expect(out).toMatch(/ClickHouse 18\.16\.\d+ at http:\/\/127\.0\.0\.1:\d+: \d+ statements applied to database floorsense ON CLUSTER fs_chain/);

    for (const { name, server } of every()) {
      const tables = await server.rows(`SELECT name, engine, engine_full FROM system.tables WHERE database = '${DB}' ORDER BY name`);
      const engineOf = new Map(tables.map((t) => [String(t.name), String(t.engine)]));
      for (const t of TABLES) {
        expect(engineOf.get(`${t}_local`), `${name} ${t}_local`).toBe('ReplicatedReplacingMergeTree');
        expect(engineOf.get(t), `${name} ${t}`).toBe('Distributed');
        const full = String(tables.find((x) => x.name === t)?.engine_full);
        expect(full, name).toContain(`Distributed(${CLUSTER}, ${DB}, ${t}_local, cityHash64(store_id))`);
      }
      for (const v of ['v_seller_day', 'v_store_day', 'v_store_hour', 'v_camera_day', 'v_consultations']) expect(engineOf.get(v), `${name} ${v}`).toBe('View');
      // Each server is a replica of its own shard in ZooKeeper.
      const replicas = await server.rows(`SELECT table, zookeeper_path, replica_name FROM system.replicas WHERE database = '${DB}' ORDER BY table`);
      expect(replicas.map((r) => r.table)).toEqual(TABLES.map((t) => `${t}_local`).sort());
      const n = cluster.nodes.find((x) => x.server === server)!;
      for (const r of replicas) {
        expect(r.zookeeper_path).toBe(`/clickhouse/tables/0${n.shard}/${DB}/${String(r.table)}`);
        expect(r.replica_name).toBe(name);
      }
    }
    // The Distributed tables carry the single-server tables' columns exactly (the agent's check before sending passes).
    const local = await entry().rows(`SELECT table, name, type FROM system.columns WHERE database = '${DB}' AND table = 'seller_daily_kpis_local'`);
    const dist = await entry().rows(`SELECT table, name, type FROM system.columns WHERE database = '${DB}' AND table = 'seller_daily_kpis'`);
    expect(dist.map((c) => [c.name, c.type])).toEqual(local.map((c) => [c.name, c.type]));

    const again = await syncInit(settings(DB), agentTransport(DB));
    expect([again.cluster, again.added, again.retired]).toEqual([CLUSTER, [], []]);
  });

  it('a cluster schema missing a column (an earlier release): --init adds it to the local tables and remakes the Distributed table', async () => {
    // The database the retraction test below then fills (one ON CLUSTER init less: each costs seconds).
    const db = 'chain_swap';
    await syncInit(settings(db), agentTransport(db));
    // As an earlier release would have left it: camera_uptime without `outages`.
    await entry().query(`ALTER TABLE ${db}.camera_uptime_local ON CLUSTER ${CLUSTER} DROP COLUMN outages`);
    await entry().query(`DROP TABLE ${db}.camera_uptime ON CLUSTER ${CLUSTER}`);
    await entry().query(
      `CREATE TABLE ${db}.camera_uptime ON CLUSTER ${CLUSTER} AS ${db}.camera_uptime_local ENGINE = Distributed(${CLUSTER}, ${db}, camera_uptime_local, cityHash64(store_id))`,
    );
    const init = await syncInit(settings(db), agentTransport(db));
    expect(init.added).toEqual(['camera_uptime.outages']);
    for (const { name, server } of every()) {
      for (const t of ['camera_uptime_local', 'camera_uptime']) {
        const [c] = await server.rows(`SELECT type FROM system.columns WHERE database = '${db}' AND table = '${t}' AND name = 'outages'`);
        expect(c?.type, `${name} ${t}`).toBe('UInt64');
      }
    }
  });

  it('stores are sharded by cityHash64(store_id): each store on exactly one shard, its two replicas alike, both shards used', async () => {
    const stores = ['shop-0001', 'shop-0002', 'shop-0003', 'shop-0004', 'shop-0005', 'shop-0006'];
    const day = Date.UTC(2025, 5, 2);
    let queued = 0;
    for (const [i, s] of stores.entries()) {
      const store = openStore(join(mkdtempSync(join(tmpdir(), 'fs-cluster-shard-')), 'box.db'), { nowMs: NOW });
      try {
        fillStoreDay(store, s, day, { cameras: 2, consultationsPerHour: 1, seed: i + 1 });
        queued += outboxBacklog(store.db).unsent;
        const r = await drainOutbox(store.db, agentTransport(DB), { database: DB, batchRows: 200, clock });
        expect(r.remaining).toBe(0);
      } finally {
        store.close();
      }
    }
    // Replication is asynchronous: wait until every replica has what its shard took.
    for (const { server } of every()) await caughtUp(server, DB);
    const list = stores.map((s) => `'${s}'`).join(',');
    const expected = await entry().rows(`SELECT arrayJoin([${list}]) AS store_id, cityHash64(store_id) % 2 + 1 AS shard ORDER BY store_id`);
    expect(new Set(expected.map((e) => num(e.shard)))).toEqual(new Set([1, 2]));
    const perShard = new Map<number, string[]>();
    for (const n of cluster.nodes) {
      const held = await n.server.rows(`SELECT DISTINCT store_id FROM ${DB}.store_daily_kpis_local WHERE store_id IN (${list}) ORDER BY store_id`);
      const ids = held.map((h) => String(h.store_id));
      // The second replica of a shard holds what the first does (copied through ZooKeeper).
      if (perShard.has(n.shard)) expect(ids, `s${n.shard}r${n.replica}`).toEqual(perShard.get(n.shard));
      else perShard.set(n.shard, ids);
    }
    for (const e of expected) {
      const s = String(e.store_id);
      expect(
        [1, 2].filter((k) => perShard.get(k)?.includes(s)),
        s,
      ).toEqual([num(e.shard)]);
    }
    // Through the Distributed tables: every record once.
    let central = 0;
    for (const t of TABLES) central += num((await entry().rows(`SELECT count() AS n FROM ${DB}.${t} FINAL WHERE store_id IN (${list})`))[0]?.n) ?? 0;
    expect(central).toBe(queued);
    const sellers = await entry().rows(`SELECT store_id, count() AS n FROM ${DB}.v_seller_day WHERE store_id IN (${list}) GROUP BY store_id ORDER BY store_id`);
    expect(sellers.map((r) => [r.store_id, num(r.n)])).toEqual(stores.map((s) => [s, 5]));
  });

  it('a replica and then the agent’s own server SIGKILLed mid-sync: the sync loop retries, the replica catches up, the views on every server equal the reports', async () => {
    // The fixture's stores and the shard they land on.
    const ids = fx.boxes.map((b) => `'${b.storeId}'`).join(',');
    const shards = new Set((await entry().rows(`SELECT DISTINCT cityHash64(arrayJoin([${ids}])) % 2 + 1 AS s`)).map((r) => num(r.s)));
    expect(shards.size).toBeGreaterThan(0);
    const [dataShard] = [...shards] as number[];
    const victim = cluster.node(dataShard ?? 2, 1).server;
    let inserts = 0;
    const acked: string[] = [];
    const failures: string[] = [];
    const delays: number[] = [];
    let unique = 0;
    for (const b of fx.boxes) {
      const copy = join(mkdtempSync(join(tmpdir(), 'fs-cluster-box-')), 'box.db');
      copyFileSync(b.dbPath, copy);
      const store = openStore(copy, { nowMs: NOW });
      unique += outboxBacklog(store.db).unsent;
      const real = transportFor(settings(DB));
      const killing: CentralTransport = {
        ...real,
        insertRows: async (table, rows) => {
          inserts += 1;
          // Mid-batch (a batch is one INSERT per record type): first a replica of the shard the
          // rows go to, later the very server the agent sends to.
          if (inserts === 2) await victim.kill();
          if (inserts === 5) await entry().kill();
          await real.insertRows(table, rows);
          acked.push(`${table} ${JSON.stringify(rows)}`);
        },
      };
      let drained!: () => void;
      const idle = new Promise<void>((r) => {
        drained = r;
      });
      const loop = startSyncLoop(
        store.db,
        { ...settings(DB), interval_s: 60, backoff_min_s: 5, backoff_max_s: 900 },
        { info: () => {}, warn: (_o, m) => void failures.push(m), error: (_o, m) => void failures.push(`ERROR ${m}`) },
        {
          clock,
          random: () => 0.5,
          transport: killing,
          // The loop's wait: after a failure, the server comes back (a restart takes a while in real life);
          // after a clean drain, this box is done.
          sleep: async (ms, signal) => {
            delays.push(ms);
            if (loop.state().failures > 0) {
              await entry().start();
              return;
            }
            drained();
            await new Promise<void>((r) => (signal.aborted ? r() : signal.addEventListener('abort', () => r(), { once: true })));
          },
        },
      );
      await idle;
      await loop.stop();
      expect(outboxBacklog(store.db).unsent, b.storeId).toBe(0);
      store.close();
    }
    // The agent's server went down under it: one warning, a backoff, then the retry went through.
    expect(failures.length).toBeGreaterThanOrEqual(1);
    expect(
      failures.every((f) => /ClickHouse at http:\/\/127\.0\.0\.1:\d+: INSERT into floorsense\.\w+ failed.*retrying in \d+ s \(outbox kept\)/s.test(f)),
      failures.join('\n'),
    ).toBe(true);
    expect(delays.filter((ms) => ms !== 60_000).length).toBe(failures.length);
    // The failed batch was sent again whole: an INSERT the cluster had acknowledged went twice.
    expect(new Set(acked).size).toBeLessThan(acked.length);

    // The killed replica restarts and fetches what its shard took while it was down.
    await victim.start();
    for (const { server } of every()) await caughtUp(server, DB);
    for (const { name, server } of every()) {
      // Views read the local replica for the server's own shard (prefer_localhost_replica), so this
      // checks each replica's data, the restarted one included.
      await expectViewsEqualReports(on(server, DB), fx, DB).catch((e: unknown) => {
        throw new Error(`views on ${name}: ${String(e)}`);
      });
    }
    // Replicas of a shard hold the same records and versions.
    for (const s of [1, 2]) {
      for (const t of TABLES) {
        const q = `SELECT record_id, version, deleted FROM ${DB}.${t}_local FINAL WHERE store_id IN (${ids}) ORDER BY record_id FORMAT TSV`;
        let [a, b] = [await cluster.node(s, 1).server.query(q), await cluster.node(s, 2).server.query(q)];
        // A replica pulls new log entries into its queue on its own schedule: an empty queue right
        // after a restart does not yet mean caught up (seen once in CI). Give it time to fetch.
        for (let i = 0; i < 60 && a !== b; i++) {
          await new Promise((r) => setTimeout(r, 1000));
          [a, b] = [await cluster.node(s, 1).server.query(q), await cluster.node(s, 2).server.query(q)];
        }
        if (a !== b) {
          // Say what each replica believes, so a failure here can be told from a lagging replica.
          const state = async (r: number): Promise<string> =>
            `s${s}r${r}: ${await cluster.node(s, r).server.query(`SELECT * FROM system.replicas WHERE database = '${DB}' AND table = '${t}_local' FORMAT JSONEachRow`)} parts ${await cluster.node(s, r).server.query(`SELECT name, active, rows FROM system.parts WHERE database = '${DB}' AND table = '${t}_local' FORMAT TSV`)}`;
          expect(b, `shard ${s} ${t}: ${await state(1)} ${await state(2)}`).toBe(a);
        }
      }
    }
    // Nothing lost, nothing doubled: every outbox record exactly once through the Distributed tables.
    let central = 0;
    for (const t of TABLES) central += num((await entry().rows(`SELECT count() AS n FROM ${DB}.${t} FINAL WHERE store_id IN (${ids})`))[0]?.n) ?? 0;
    expect(central).toBe(unique);
  });

  it('dashboards/ and hq read the cluster unchanged: every dashboard query returns its columns on every server, hq shows the same chain from each', async () => {
    const queries = dashboardQueries(REPO_ROOT);
    expect(queries.length).toBeGreaterThanOrEqual(12);
    const stores = fx.boxes.map((b) => b.storeId);
    const range = { from: Date.UTC(2025, 3, 1), to: Date.UTC(2025, 4, 1) - 1000, stores, database: DB };
    const views: string[] = [];
    for (const { name, server } of every()) {
      for (const q of queries) {
        const body = JSON.parse(await server.query(`${q.grafana ? grafanaSql(q.sql, range) : q.sql}\nFORMAT JSON`)) as {
          meta: Array<{ name: string }>;
          rows: number;
        };
        expect(
          body.meta.map((m) => m.name),
          `${name} ${q.where}`,
        ).toEqual(q.columns);
        expect(body.rows, `${name} ${q.where}`).toBeGreaterThan(0);
      }
      // hq's own reader over a plain transport, as `floorsense hq --clickhouse` makes it.
      const t = createClickHouseTransport({ url: server.url, username: 'default', password: '', timeoutMs: 10_000 });
      transports.push(t);
      const view = await chainReader(t, DB).view({ from: '2025-04-01', to: '2025-04-30' });
      expect(view.stores.map((k) => k.store_id)).toEqual([...stores].sort());
      for (const k of view.stores) {
        const visitors = fx.days.filter((d) => d.storeId === k.store_id).reduce((a, d) => a + d.report.store.customers, 0);
        expect(k.visitors, `${name} ${k.store_id}`).toBe(visitors);
      }
      views.push(JSON.stringify({ ...view, server: '' }));
    }
    expect(new Set(views).size).toBe(1);
  });

  it('a seller retracted after a re-fetched schedule stays retracted on the cluster (tombstones excluded on every server)', async () => {
    // chain_swap: made by the migration test above, empty.
    await expectNoStaleAfterScheduleSwap(on(entry(), 'chain_swap'), fx, 'chain_swap');
    // The swapped day (the fixture's first shop-busy day): s2 gone from every server's view, the tombstone kept.
    const day = fx.days.find((d) => d.storeId === 'shop-busy')?.date;
    for (const { name, server } of every()) {
      const sellers = await server.rows(
        `SELECT DISTINCT seller_id FROM chain_swap.v_seller_day WHERE store_id = 'shop-busy' AND day = '${day}' ORDER BY seller_id`,
      );
      expect(sellers.length, name).toBeGreaterThan(0);
      expect(
        sellers.map((s) => s.seller_id),
        name,
      ).not.toContain('s2');
      const [tomb] = await server.rows(
        `SELECT count() AS n FROM chain_swap.seller_daily_kpis WHERE store_id = 'shop-busy' AND day = '${day}' AND seller_id = 's2' AND deleted = 1`,
      );
      expect(num(tomb?.n), name).toBe(1);
    }
  });

  it('sync --init --cluster on a single-server database names every table it will not convert and changes nothing; the reverse is refused too', async () => {
    for (const sql of initStatements('single')) await entry().query(sql);
    const before = await entry().query("SELECT name, engine FROM system.tables WHERE database = 'single' ORDER BY name FORMAT TSV");
    const err = await syncInit(settings('single'), agentTransport('single')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'FS_REMOTE' });
    const text = String(err);
    for (const t of TABLES) expect(text).toContain(`single.${t} is a ReplacingMergeTree table`);
    expect(text).toMatch(/does not convert a single-server database, and nothing was changed/);
    expect(text).toMatch(/INSERT INTO single_cluster\.<table> SELECT \* FROM single\.<table>/);
    expect(await entry().query("SELECT name, engine FROM system.tables WHERE database = 'single' ORDER BY name FORMAT TSV")).toBe(before);
    for (const n of cluster.nodes.slice(1)) expect(await n.server.query("SELECT count() FROM system.tables WHERE database = 'single'")).toBe('0\n');

    const { cluster: _c, ...single } = settings(DB);
    const reverse = await syncInit(single, agentTransport(DB)).catch((e: unknown) => e);
    expect(String(reverse)).toMatch(
      /floorsense holds the cluster layout \(floorsense\.\w+ is a Distributed table.*run `floorsense sync --init --cluster NAME`/,
    );

    const unknown = await syncInit({ ...settings(DB), cluster: 'nope' }, agentTransport(DB)).catch((e: unknown) => e);
    expect(String(unknown)).toMatch(/cannot hold the cluster layout: cluster nope is not in its remote_servers \(it knows: fs_chain\); nothing was changed/);
  });
  // Last: it leaves a shard without replicas.
  it('no replica of a shard up: the agent’s INSERT fails and the outbox keeps the batch, where the server’s default asynchronous insert would have acknowledged it', async () => {
    const box = fx.boxes[0]!;
    const [row] = await entry().rows(`SELECT cityHash64('${box.storeId}') % 2 + 1 AS s`);
    const shard = num(row?.s) ?? 0;
    await cluster.node(shard, 1).server.kill();
    await cluster.node(shard, 2).server.kill();
    const copy = join(mkdtempSync(join(tmpdir(), 'fs-cluster-down-')), 'box.db');
    copyFileSync(box.dbPath, copy);
    const store = openStore(copy, { nowMs: NOW });
    try {
      const before = outboxBacklog(store.db).unsent;
      const err = await drainOutbox(store.db, agentTransport(DB), { database: DB, batchRows: 40, clock }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'FS_REMOTE' });
      expect(String(err)).toMatch(/ClickHouse at http:\/\/127\.0\.0\.1:\d+: INSERT into floorsense\.\w+ failed/);
      expect(outboxBacklog(store.db).unsent).toBe(before);
    } finally {
      store.close();
    }
    // The same rows without insert_distributed_sync: "sent", though no replica of the shard holds them
    // (they wait in a queue on the receiving server's disk): a box would have marked them sent.
    const plain = createClickHouseTransport({ url: entry().url, username: 'default', password: '', timeoutMs: 10_000 });
    transports.push(plain);
    await expect(
      plain.insertRows(`${DB}.store_daily_kpis`, [{ record_id: 'queued-only', version: 1, deleted: 0, store_id: box.storeId, day: '2025-04-08' }]),
    ).resolves.toBeUndefined();
  });
  it('sync --init --cluster while servers of the cluster are down: ClickHouse’s own message naming the unfinished hosts, within the sync timeout', async () => {
    // Shard 2 is still down (the test above). The statements wait in ZooKeeper's DDL queue for those
    // servers; a second run once they are back is a no-op where it already ran (IF NOT EXISTS).
    const t0 = Date.now();
    const err = await syncInit({ ...settings('chain_later'), timeout_s: 6 }, transportFor({ ...settings('chain_later'), timeout_s: 6 })).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'FS_REMOTE' });
    expect(String(err)).toMatch(
      /distributed_ddl_task_timeout.*2 unfinished hosts.*\(servers of the cluster are down or slow: .*run `floorsense sync --init --cluster` again then\)/s,
    );
    expect(Date.now() - t0).toBeLessThan(6_000);
  });
});
