/**
 * The agent's own sync (issue 14 item 6) end to end: a real agent process-in-process with its real
 * detector, SQLite store and local API, against a real clickhouse-server (18.16). The agent tries
 * at start (interval_s is an hour here, so nothing else could have sent the records), a poisoned
 * outbox row is quarantined while the rest is sent, and /status shows the quarantine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startAgent, type RunningAgent } from '../../agent/src/agent/agent.js';
import { validateConfig } from '../../agent/src/config/load.js';
import { openStore } from '../../agent/src/store/open.js';
import { outboxBacklog } from '../../agent/src/store/outbox.js';
import { initStatements } from '../../agent/src/sync/ddl.js';
import { haveClickHouse, startClickHouse, type ClickHouseServer } from '../helpers/clickhouse.js';
import { haveData } from '../helpers/shared-data.js';
import { waitUntil } from '../agent/helpers.js';
import { fillStoreDay } from './fill.js';

const ok = haveClickHouse() && haveData('models/yolov8n_fp32.onnx');

describe.skipIf(!ok)('the agent syncs on its own', () => {
  let ch: ClickHouseServer;
  let agent: RunningAgent | undefined;
  beforeAll(async () => {
    ch = await startClickHouse();
  });
  afterAll(async () => {
    await agent?.stop();
    await ch?.stop();
  });

  it('tries at start, quarantines a poisoned row and sends the rest; /status shows the quarantine', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fs-agent-sync-'));
    mkdirSync(join(dir, 'archive'));
    const dbPath = join(dir, 'box.db');
    const store = openStore(dbPath, { nowMs: Date.now() });
    const day = fillStoreDay(store, 'shop-a', Date.UTC(2026, 10, 16), { cameras: 1, consultationsPerHour: 1 });
    const poisoned = store.db.prepare<[], { seq: number }>("SELECT MIN(seq) AS seq FROM outbox WHERE record_type = 'store_hourly_traffic'").get()!.seq;
    store.db.prepare("UPDATE outbox SET payload = json_set(payload, '$.register_id', 'register-7') WHERE seq = ?").run(poisoned);
    const total = outboxBacklog(store.db).unsent;
    store.close();
    for (const sql of initStatements('fs_agent')) await ch.query(sql);

    const lines: Array<{ level: number; msg: string; err?: unknown }> = [];
    const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as { level: number; msg: string }) });
    const cfg = validateConfig({
      store: { id: 'shop-a', timezone: 'UTC' },
      cameras: [{ id: 'a', url: join(dir, 'archive') }],
      detector: { threads: 1 },
      tracker: { appearance: false },
      storage: { path: dbPath },
      sync: { url: ch.url, database: 'fs_agent', interval_s: 3600, backoff_min_s: 0.1, backoff_max_s: 1 },
      api: { port: 0 },
    });
    agent = await startAgent(cfg, { logger, clock: Date.now });
    const db = agent.store.db;
    await waitUntil('the outbox drained at start', () => outboxBacklog(db).unsent === 0, 20_000);
    expect(outboxBacklog(db)).toMatchObject({ unsent: 0, sent: total - 1, quarantined: 1 });
    const sent = lines.find((l) => /^sent \d+ aggregate record\(s\) to http:\/\/127\.0\.0\.1:\d+$/.test(l.msg));
    expect(sent?.msg).toMatch(new RegExp(`^sent ${total - 1} `));
    expect(lines.some((l) => l.level === 40 && /^1 outbox row\(s\) fail the sync whitelist and are quarantined/.test(l.msg))).toBe(true);

    const status = (await (await fetch(`${agent.api!.url}/status`)).json()) as {
      sync: { quarantined_rows: number; backlog_rows: number; last_error: string | null; failures: number; next_try_ms: number | null };
      warnings: Array<{ source: string; subject: string; message: string }>;
    };
    expect(status.sync).toMatchObject({ quarantined_rows: 1, backlog_rows: 0, last_error: null, failures: 0 });
    expect(status.sync.next_try_ms).toBeGreaterThan(Date.now() + 3_000_000); // interval_s, not a retry
    expect(status.warnings).toContainEqual({
      source: 'sync',
      subject: 'outbox',
      message: expect.stringMatching(
        new RegExp(
          `^1 outbox row\\(s\\) quarantined, not sent \\(first: seq ${poisoned} store_hourly_traffic: fails the sync whitelist: store_hourly_traffic\\.register_id: not in the sync whitelist`,
        ),
      ),
      since_ms: expect.any(Number),
    });
    const [hours] = await ch.rows('SELECT count() AS n FROM fs_agent.v_store_hour');
    expect(Number(hours?.n)).toBe(day.store_hourly_traffic - 1);
    // Privacy: the poisoned value never left.
    expect(JSON.stringify(await ch.rows('SELECT * FROM fs_agent.store_hourly_traffic'))).not.toContain('register-7');
    await agent.stop();
    agent = undefined;
  }, 60_000);
});
