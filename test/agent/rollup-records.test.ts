/**
 * The roll-up wiring through the running agent: `run --once` over an archive clip of a store with no
 * schedule and no POS data still queues its store-level records (store day, every local hour of the
 * day, camera coverage), and `floorsense sync --once` delivers them to a real ClickHouse 18.16 where
 * v_store_day and v_store_hour show them. Real ffmpeg, detector, SQLite and ClickHouse.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent } from '../../agent/src/agent/agent.js';
import { createLogger } from '../../agent/src/agent/logger.js';
import { validateConfig } from '../../agent/src/config/load.js';
import { openStore } from '../../agent/src/store/open.js';
import { syncInit, syncOnce } from '../../agent/src/sync/service.js';
import { haveClickHouse, startClickHouse, type ClickHouseServer } from '../helpers/clickhouse.js';
import { dataPath, haveData } from '../helpers/shared-data.js';
import { cutClip } from './helpers.js';

const ready = haveData('video/checkout_counter_cashier.mp4', 'models/yolov8n_fp32.onnx') && haveClickHouse();

describe.skipIf(!ready)('store-level records from the running agent, without a schedule', () => {
  let ch: ClickHouseServer;
  beforeAll(async () => {
    ch = await startClickHouse();
  });
  afterAll(async () => {
    await ch?.stop();
  });

  it('run --once rolls up the archived day into a store day and its hours; sync --once delivers them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fs-rollup-'));
    const clips = join(dir, 'clips');
    mkdirSync(clips);
    cutClip(dataPath('video/checkout_counter_cashier.mp4'), join(clips, 'cam_20261120_110000.mp4'), 0, 6);
    const cfg = validateConfig({
      store: { id: 'shop-nosched', timezone: 'Europe/Moscow' },
      cameras: [{ id: 'arch', url: clips }],
      sampling: { stride: 25 },
      detector: { threads: 1 },
      tracker: { appearance: false },
      storage: { path: join(dir, 'box.db') },
      agent: { archive_min_age_s: 0 },
      api: { port: 0 },
      sync: { url: ch.url, database: 'fs_rollup' },
    });
    const agent = await startAgent(cfg, { logger: createLogger('warn', { write: () => {} }), clock: Date.now, once: true });
    await agent.done;

    const box = openStore(cfg.storage.path, { nowMs: Date.now() });
    const queued = box.db
      .prepare<[], { t: string; n: number }>('SELECT record_type AS t, COUNT(*) AS n FROM outbox WHERE sent_ms IS NULL GROUP BY record_type ORDER BY t')
      .all();
    box.close();
    // 11:00 in the file name is Moscow time: the 20th there, 24 local hours.
    expect(queued).toEqual(
      expect.arrayContaining([
        { t: 'store_daily_kpi', n: 1 },
        { t: 'store_hourly_traffic', n: 24 },
      ]),
    );
    expect(queued.find((q) => q.t === 'seller_daily_kpi')).toBeUndefined(); // no schedule, no staff seen: no seller records

    const settings = { ...cfg.sync, url: ch.url };
    await syncInit(settings);
    const sent = await syncOnce(cfg.storage, settings, Date.now);
    expect(sent.remaining).toBe(0);
    const day = await ch.rows("SELECT store_id, toString(day) AS day, sellers_on_shift, receipts FROM fs_rollup.v_store_day WHERE day = '2026-11-20'");
    expect(day).toEqual([{ store_id: 'shop-nosched', day: '2026-11-20', sellers_on_shift: '0', receipts: '0' }]);
    const hours = await ch.rows("SELECT count() AS n, min(hour) AS first FROM fs_rollup.v_store_hour WHERE day = '2026-11-20'");
    expect(hours).toEqual([{ n: '24', first: '2026-11-19 21:00:00' }]);
  }, 60_000);
});
