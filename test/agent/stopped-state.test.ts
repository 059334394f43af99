/**
 * agent.state() after stop(): the outbox backlog it reports lives in SQLite, which stop() closes,
 * so the state used to throw "The database connection is not open". It now answers the state the
 * agent stopped in, marked with stoppedMs. Real agent, detector, ffmpeg and SQLite.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent } from '../../agent/src/agent/agent.js';
import { createLogger } from '../../agent/src/agent/logger.js';
import { validateConfig } from '../../agent/src/config/load.js';
import { outboxBacklog } from '../../agent/src/store/outbox.js';
import { dataPath, haveData } from '../helpers/shared-data.js';
import { cutClip } from './helpers.js';

const ok = haveData('video/checkout_counter_cashier.mp4', 'models/yolov8n_fp32.onnx');
const quiet = createLogger('error', { write: () => {} });

describe.skipIf(!ok)('agent.state() after stop()', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fs-stopped-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const config = (clips: string, db: string) =>
    validateConfig({
      store: { id: 'stopped-store', timezone: 'UTC' },
      cameras: [{ id: 'arch', url: clips }],
      sampling: { stride: 25 },
      detector: { threads: 1 },
      tracker: { appearance: false },
      storage: { path: db },
      agent: { archive_min_age_s: 0, flush_frames: 1, archive_on_start: false },
      api: { port: 0 },
    });

  it('answers the stopped state after an explicit stop(), and again after a second stop()', async () => {
    const clips = join(dir, 'empty');
    mkdirSync(clips);
    const agent = await startAgent(config(clips, join(dir, 'a.db')), { logger: quiet, clock: Date.now });
    const running = agent.state();
    expect(running.stoppedMs).toBeNull();
    const t0 = Date.now();
    await agent.stop();
    const stopped = agent.state();
    expect(stopped.stoppedMs).toBeGreaterThanOrEqual(t0);
    expect(stopped.storeId).toBe('stopped-store');
    expect(stopped.startedMs).toBe(running.startedMs);
    expect(stopped.cameras.map((c) => [c.id, c.mode])).toEqual([['arch', 'archive']]);
    expect(stopped.backlog).toEqual(running.backlog);
    await agent.stop();
    expect(agent.state()).toEqual(stopped);
  }, 60_000);

  it('after `once` stops by itself: the archive pass it did is in the state', async () => {
    const clips = join(dir, 'clips');
    mkdirSync(clips);
    cutClip(dataPath('video/checkout_counter_cashier.mp4'), join(clips, 'a.mp4'), 0, 3);
    const agent = await startAgent(config(clips, join(dir, 'b.db')), { logger: quiet, clock: Date.now, once: true });
    await agent.done;
    const s = agent.state();
    expect(s.stoppedMs).not.toBeNull();
    expect(s.jobs.find((j) => j.name === 'archive')).toMatchObject({ runs: 1, failures: 0, running: false });
    expect(s.queue.perSource.arch?.processed).toBeGreaterThan(0);
    // The backlog was counted just before the database closed: the file says the same now.
    const db = new Database(join(dir, 'b.db'), { readonly: true });
    expect(s.backlog).toEqual(outboxBacklog(db));
    db.close();
  }, 120_000);
});
