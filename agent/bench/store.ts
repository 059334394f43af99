/**
 * Store and sync figures (a script, not a test): `npx tsx agent/bench/store.ts [--url http://host:8123]`.
 * 1. SQLite insert throughput for per-frame positions (rows/s), in two shapes: one transaction per
 *    sampled frame of a 10-camera store (~12 people in view) and one per 1000-row batch.
 * 2. How long a week of a 10-camera store's aggregates takes to sync to ClickHouse: against --url, or
 *    a throwaway local clickhouse-server started like the tests do.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/open.js';
import { positionWriter, upsertTrack, type PositionInput } from '../src/store/detail.js';
import { outboxBacklog } from '../src/store/outbox.js';
import { createClickHouseTransport } from '../src/sync/clickhouse.js';
import { initStatements } from '../src/sync/ddl.js';
import { drainOutbox } from '../src/sync/drain.js';
import { fillStoreDay } from '../../test/sync/fill.js';
import { startClickHouse, type ClickHouseServer } from '../../test/helpers/clickhouse.js';

const DAY_MS = 86_400_000;
const T0 = Date.UTC(2026, 10, 16);

function benchPositions(rowsPerTxn: number, totalRows: number): { rowsPerS: number; bytesPerRow: number } {
  const dir = mkdtempSync(join(tmpdir(), 'fs-bench-'));
  const store = openStore(join(dir, 'bench.db'), { nowMs: T0 });
  const tracks = Array.from({ length: 200 }, (_, i) => upsertTrack(store.db, { cameraId: `cam${(i % 10) + 1}`, trackKey: `t${i}`, firstMs: T0, lastMs: T0 }));
  const write = positionWriter(store.db);
  const batch: PositionInput[] = [];
  const t = process.hrtime.bigint();
  let written = 0;
  while (written < totalRows) {
    batch.length = 0;
    for (let k = 0; k < rowsPerTxn; k++) {
      const n = written + k;
      batch.push({
        trackId: tracks[n % tracks.length] ?? 1,
        tMs: T0 + Math.floor(n / 12) * 200,
        x: n % 1920,
        y: n % 1080,
        w: 60,
        h: 160,
        floorX: 1.5,
        floorY: 3.25,
        score: 0.8,
      });
    }
    written += write(batch);
  }
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  const bytes = statSync(join(dir, 'bench.db')).size;
  store.close();
  rmSync(dir, { recursive: true, force: true });
  return { rowsPerS: written / s, bytesPerRow: bytes / written };
}

async function benchWeekSync(url: string | undefined): Promise<void> {
  let server: ClickHouseServer | null = null;
  if (url === undefined) server = await startClickHouse();
  const target = url ?? server!.url;
  const dir = mkdtempSync(join(tmpdir(), 'fs-bench-'));
  const store = openStore(join(dir, 'week.db'), { nowMs: T0 });
  const tFill = process.hrtime.bigint();
  for (let d = 0; d < 7; d++) fillStoreDay(store, 'bench-store', T0 + d * DAY_MS, { cameras: 10, consultationsPerHour: 20 });
  const fillS = Number(process.hrtime.bigint() - tFill) / 1e9;
  const backlog = outboxBacklog(store.db);
  const transport = createClickHouseTransport({ url: target, username: 'default', password: '', timeoutMs: 30_000 });
  const database = `fs_bench_${Date.now()}`;
  for (const sql of initStatements(database)) await transport.exec(sql);
  const t = process.hrtime.bigint();
  const r = await drainOutbox(store.db, transport, { database, batchRows: 2000, clock: () => Date.now() });
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  console.log(
    `week of a 10-camera store: ${backlog.unsent} aggregate records (${JSON.stringify(backlog.byType)}), written in ${fillS.toFixed(2)} s with their detail`,
  );
  console.log(`  synced to ClickHouse ${target} in ${(s * 1000).toFixed(0)} ms: ${r.batches} batch(es) of <= 2000, ${(r.sent / s).toFixed(0)} records/s`);
  await transport.exec(`DROP DATABASE IF EXISTS ${database}`).catch(() => {});
  await transport.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
  await server?.stop();
}

const urlArg = process.argv.indexOf('--url');
const url = urlArg >= 0 ? process.argv[urlArg + 1] : undefined;
const perFrame = benchPositions(12, 300_000);
console.log(`positions, one transaction per frame (12 rows): ${perFrame.rowsPerS.toFixed(0)} rows/s, ${perFrame.bytesPerRow.toFixed(0)} bytes/row on disk`);
const batched = benchPositions(1000, 1_000_000);
console.log(`positions, 1000 rows per transaction: ${batched.rowsPerS.toFixed(0)} rows/s, ${batched.bytesPerRow.toFixed(0)} bytes/row on disk`);
await benchWeekSync(url);
