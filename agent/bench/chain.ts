/**
 * The chain's side of the sync (a script, not a test):
 *   npx tsx agent/bench/chain.ts [--stores 1000] [--days 30] [--concurrency 16] [--url http://host:8123] [--cluster [NAME]]
 * 1. Throughput: `--stores` boxes, each with a full store day of records in its own SQLite outbox
 *    (test/sync/fill.ts: 52 consulted visits, 5 sellers, the store day, 24 hours, 4 cameras), drained
 *    into one ClickHouse by the agent's own drainOutbox, `--concurrency` boxes at a time.
 * 2. Latency: the boxes then add `--days - 1` more days of seller-day and store-day records (saved
 *    and drained the same way), and a month of v_seller_day is read for one store and for the whole
 *    chain (median of 5 runs each, after one warm-up).
 * Against --url, or a throwaway local clickhouse-server (18.16 on the development box) started as
 * the tests start theirs. With --cluster, the cluster layout (`sync --init --cluster`): against
 * --url's cluster NAME, or a throwaway loopback cluster of ZooKeeper and four servers (2 shards x
 * 2 replicas, test/helpers/clickhouse-cluster.ts), inserting as a box with sync.cluster does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/open.js';
import { outboxBacklog } from '../src/store/outbox.js';
import { saveDailyKpis, saveStoreDay } from '../src/store/aggregates.js';
import { createClickHouseTransport, type CentralTransport } from '../src/sync/clickhouse.js';
import { initStatements } from '../src/sync/ddl.js';
import { clusterSettings } from '../src/sync/service.js';
import { drainOutbox } from '../src/sync/drain.js';
import { fillStoreDay } from '../../test/sync/fill.js';
import { startClickHouse, type ClickHouseServer } from '../../test/helpers/clickhouse.js';
import { startClickHouseCluster, type ClickHouseCluster } from '../../test/helpers/clickhouse-cluster.js';

const DAY_MS = 86_400_000;
const T0 = Date.UTC(2026, 9, 1);

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
  return v;
}
const urlArg = process.argv.indexOf('--url');
const url = urlArg >= 0 ? process.argv[urlArg + 1] : undefined;
const stores = arg('stores', 1000);
const days = arg('days', 30);
const concurrency = arg('concurrency', 16);
const clusterArg = process.argv.indexOf('--cluster');
const next = process.argv[clusterArg + 1];
const cluster = clusterArg < 0 ? undefined : next && !next.startsWith('--') ? next : 'fs_bench';

const seconds = (t: bigint): number => Number(process.hrtime.bigint() - t) / 1e9;
const storeId = (i: number): string => `shop-${String(i).padStart(4, '0')}`;
const dayOf = (d: number): string => new Date(T0 + d * DAY_MS).toISOString().slice(0, 10);

async function inParallel(n: number, limit: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, n) }, async () => {
      while (next < n) await work(next++);
    }),
  );
}

async function drainAll(dir: string, transport: CentralTransport, database: string): Promise<{ sent: number; batches: number; s: number }> {
  let sent = 0;
  let batches = 0;
  const t = process.hrtime.bigint();
  await inParallel(stores, concurrency, async (i) => {
    const store = openStore(join(dir, `${storeId(i)}.db`), { nowMs: Date.now() });
    try {
      const r = await drainOutbox(store.db, transport, { database, batchRows: 500, clock: () => Date.now() });
      sent += r.sent;
      batches += r.batches;
    } finally {
      store.close();
    }
  });
  return { sent, batches, s: seconds(t) };
}

async function median(transport: CentralTransport, sql: string): Promise<{ ms: number; rows: number }> {
  await transport.queryRows(sql);
  const times: number[] = [];
  let rows = 0;
  for (let k = 0; k < 5; k++) {
    const t = process.hrtime.bigint();
    rows = (await transport.queryRows(sql)).length;
    times.push(seconds(t) * 1000);
  }
  times.sort((a, b) => a - b);
  return { ms: times[2] ?? Number.NaN, rows };
}

// Without --url: a throwaway local server, or with --cluster a loopback 2 x 2 cluster (its first server is the boxes' sync.url).
const local: ClickHouseCluster | null = !url && cluster ? await startClickHouseCluster(cluster, 2, 2) : null;
const server: ClickHouseServer | null = !url && !cluster ? await startClickHouse() : null;
const target = url ?? local?.nodes[0]?.server.url ?? server?.url ?? '';
const dir = mkdtempSync(join(tmpdir(), 'fs-bench-chain-'));
const transport = createClickHouseTransport({
  url: target,
  username: 'default',
  password: '',
  timeoutMs: 120_000,
  ...(cluster ? { settings: clusterSettings(120) } : {}),
});
const database = `fs_bench_chain_${Date.now()}`;
try {
  const [v] = await transport.queryRows('SELECT version() AS v');
  for (const sql of initStatements(database, cluster)) await transport.exec(sql);

  let t = process.hrtime.bigint();
  let queued = 0;
  for (let i = 0; i < stores; i++) {
    const store = openStore(join(dir, `${storeId(i)}.db`), { nowMs: T0 });
    fillStoreDay(store, storeId(i), T0, { cameras: 4, consultationsPerHour: 4, seed: i + 1 });
    queued += outboxBacklog(store.db).unsent;
    store.close();
  }
  console.log(
    `ClickHouse ${String(v?.v)} at ${target}${cluster ? ` (cluster layout ON CLUSTER ${cluster}${local ? ': 2 shards x 2 replicas on loopback' : ''})` : ''}; ${stores} boxes, one store day each: ${queued} records queued in ${seconds(t).toFixed(1)} s (SQLite, with their detail)`,
  );
  const day1 = await drainAll(dir, transport, database);
  console.log(
    `  day 1 synced by drainOutbox, ${concurrency} boxes at a time: ${day1.sent} records in ${day1.batches} batches, ${day1.s.toFixed(1)} s = ${(day1.sent / day1.s).toFixed(0)} records/s`,
  );

  t = process.hrtime.bigint();
  for (let i = 0; i < stores; i++) {
    const store = openStore(join(dir, `${storeId(i)}.db`), { nowMs: T0 });
    for (let d = 1; d < days; d++) {
      const day = dayOf(d);
      const now = T0 + (d + 1) * DAY_MS;
      saveDailyKpis(
        store.db,
        storeId(i),
        ['seller-01', 'seller-02', 'seller-03', 'seller-04', 'seller-05'].map((s, k) => ({
          sellerId: s,
          day,
          consultations: 8 + ((i + d + k) % 7),
          consultedBuyers: 4,
          receiptsWithConsult: 4,
          amountWithConsultMinor: 240_000 + 100 * ((i * d + k) % 97),
          receiptsWithoutConsult: 3,
          amountWithoutConsultMinor: 90_000,
          consultDurationMs: 3_000_000,
          customers: 40 + ((i + k) % 11),
          consultedCustomers: 8 + ((d + k) % 5),
          successfulConsultations: 4,
          unsuccessfulConsultations: 4 + ((i + d + k) % 7),
          timeOnFloorSeconds: 30_000,
        })),
        now,
      );
      saveStoreDay(
        store.db,
        storeId(i),
        {
          day,
          visitors: 200,
          consultedCustomers: 50,
          consultations: 60,
          successfulConsultations: 25,
          unsuccessfulConsultations: 35,
          consultDurationMs: 9_000_000,
          buyingCustomers: 70,
          buyersWithConsult: 25,
          amountWithConsultMinor: 1_500_000,
          buyersWithoutConsult: 45,
          amountWithoutConsultMinor: 1_300_000,
          receipts: 72,
          receiptsAmountMinor: 2_900_000,
          sellersOnShift: 5,
          staffSeconds: 150_000,
          cameras: 4,
          cameraUpMs: 4 * DAY_MS,
          cameraDownMs: 0,
        },
        now,
      );
    }
    store.close();
  }
  const rest = await drainAll(dir, transport, database);
  console.log(
    `  days 2-${days} (seller-day + store-day): ${rest.sent} records queued in ${seconds(t).toFixed(1)} s incl. sync; sync alone ${rest.s.toFixed(1)} s = ${(rest.sent / rest.s).toFixed(0)} records/s`,
  );

  const from = dayOf(0);
  const to = dayOf(days - 1);
  const one = await median(
    transport,
    `SELECT * FROM ${database}.v_seller_day WHERE store_id = '${storeId(Math.floor(stores / 2))}' AND day BETWEEN '${from}' AND '${to}' ORDER BY day, seller_id`,
  );
  console.log(`  a month of v_seller_day, one store: ${one.rows} rows, median ${one.ms.toFixed(0)} ms`);
  const chain = await median(
    transport,
    `SELECT store_id, seller_id, sum(customers) AS c, sum(consulted_customers) AS cc, if(c = 0, NULL, cc / c) AS interaction_ratio, sum(consultations) AS consultations
     FROM ${database}.v_seller_day WHERE day BETWEEN '${from}' AND '${to}' GROUP BY store_id, seller_id ORDER BY interaction_ratio DESC`,
  );
  console.log(`  a month of v_seller_day, the whole chain (per seller, ranked): ${chain.rows} rows, median ${chain.ms.toFixed(0)} ms`);
  const full = await median(transport, `SELECT * FROM ${database}.v_seller_day WHERE day BETWEEN '${from}' AND '${to}'`);
  console.log(`  a month of v_seller_day, the whole chain (every row): ${full.rows} rows, median ${full.ms.toFixed(0)} ms`);
} finally {
  await transport.exec(`DROP DATABASE IF EXISTS ${database}${cluster ? ` ON CLUSTER ${cluster}` : ''}`).catch(() => {});
  await transport.close();
  rmSync(dir, { recursive: true, force: true });
  await server?.stop();
  await local?.stop();
}
