/**
 * A live camera's tracks keep their appearance in the store (issue 12), as an archive file's do
 * (test/agent/rollup-appearance.test.ts): a real RTSP server (GStreamer) on loopback, the agent
 * in-process with the real detector, OSNet and SQLite. After a few seconds of the checkout clip the
 * session's tracks carry the ReID model's embeddings, and the day's roll-up reads them in that space.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startAgent, type RunningAgent } from '../../agent/src/agent/agent.js';
import { createLogger } from '../../agent/src/agent/logger.js';
import { rollUpDay } from '../../agent/src/agent/rollup.js';
import { validateConfig } from '../../agent/src/config/load.js';
import { localDate } from '../../agent/src/core/local-time.js';
import { startRtspServer, type RtspServer } from '../helpers/rtsp.js';
import { dataPath, haveData } from '../helpers/shared-data.js';
import { cutClip, waitUntil } from './helpers.js';

const ok = haveData('video/checkout_counter_cashier.mp4', 'models/yolov8n_fp32.onnx', 'models/osnet_x0_25_msmt17.onnx');

describe.skipIf(!ok)('live camera appearance in the store', () => {
  let dir: string;
  let server: RtspServer | undefined;
  let agent: RunningAgent | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fs-live-appearance-'));
  });
  afterAll(async () => {
    await agent?.stop();
    await server?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("stores each live track's embedding with the model and rolls the day up with it", { timeout: 120_000 }, async () => {
    const clip = join(dir, 'cam.mp4');
    cutClip(dataPath('video/checkout_counter_cashier.mp4'), clip, 0, 20);
    server = await startRtspServer({ cam: clip }, { loop: true });
    const dbPath = join(dir, 'live.db');
    const cfg = validateConfig({
      store: { id: 'live-store', timezone: 'UTC' },
      cameras: [{ id: 'cam', url: server.url('cam') }],
      sampling: { fps: 2, keyframes: 'never' },
      detector: { threads: 1 },
      storage: { path: dbPath },
      agent: { flush_frames: 2 },
      api: { port: 0 },
    });
    agent = await startAgent(cfg, { logger: createLogger('warn', { write: () => {} }), clock: Date.now });
    const cam = agent.cameras.get('cam')!;
    await waitUntil('the camera delivers frames', () => cam.snapshot().frames >= 12, 60_000);
    // /status says which appearance model runs: its crop and its precision (the defaults here).
    const st = (await (await fetch(`${agent.api!.url}/status`)).json()) as { detector: { reid_input: string | null; reid_precision: string | null } };
    expect(st.detector).toMatchObject({ reid_input: '256x128', reid_precision: 'fp32' });
    await agent.stop();
    agent = undefined;

    const db = new Database(dbPath);
    try {
      const rows = db
        .prepare<[], { key: string; model: string; bytes: number }>(
          'SELECT t.track_key AS key, a.model, length(a.embedding) AS bytes FROM track_appearance a JOIN tracks t ON t.id = a.track_id',
        )
        .all();
      // The clip has three people in every frame.
      expect(rows.length).toBeGreaterThanOrEqual(3);
      for (const r of rows) {
        expect(r.key).toMatch(/^live:\d+#\d+$/);
        expect(r.model).toMatch(/^osnet_x0_25_msmt17@[0-9a-f]{16}$/);
        expect(r.bytes).toBe(512 * 4);
      }
      const first = db.prepare<[], { t: number }>('SELECT MIN(first_ms) AS t FROM tracks').get()!.t;
      const report = rollUpDay(db, cfg, localDate(first, 'UTC'), Date.now());
      expect(report.appearance).toEqual({ model: rows[0]!.model, tracks: rows.length, otherSpace: 0 });
    } finally {
      db.close();
    }
  });
});
