/**
 * A full disk under a live camera (real RTSP server, real detector, SQLite's own SQLITE_FULL via
 * PRAGMA max_page_count on the agent's connection): the batch that does not fit is dropped with an
 * FS_DISK_FULL line naming the database, the camera keeps running, and nothing stored is lost.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startAgent, type RunningAgent } from '../../agent/src/agent/agent.js';
import { createLogger } from '../../agent/src/agent/logger.js';
import { validateConfig } from '../../agent/src/config/load.js';
import { startRtspServer, type RtspServer } from '../helpers/rtsp.js';
import { dataPath, haveData } from '../helpers/shared-data.js';
import { cutClip, waitUntil, type LogLine } from './helpers.js';

const ok = haveData('video/checkout_counter_cashier.mp4', 'models/yolov8n_fp32.onnx');

describe.skipIf(!ok)('live camera on a full disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fs-live-full-'));
  let server: RtspServer | undefined;
  let agent: RunningAgent | undefined;
  afterAll(async () => {
    await agent?.stop();
    await server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('drops the batch that does not fit with FS_DISK_FULL naming the database; keeps streaming; loses nothing stored', async () => {
    const short = join(dir, 'short.mp4');
    const clip = join(dir, 'cam.mp4');
    cutClip(dataPath('video/checkout_counter_cashier.mp4'), short, 0, 6);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-stream_loop', '-1', '-i', short, '-t', '120', '-c', 'copy', clip]);
    server = await startRtspServer({ cam1: clip }, { loop: true });
    const dbPath = join(dir, 'live.db');
    const cfg = validateConfig({
      store: { id: 'live-store', timezone: 'UTC' },
      cameras: [{ id: 'cam1', url: server.url('cam1') }],
      sampling: { fps: 4, keyframes: 'never' },
      detector: { threads: 1 },
      tracker: { appearance: false },
      storage: { path: dbPath },
      agent: { watchdog_s: 10, flush_frames: 2 },
      api: { enabled: false },
    });
    const lines: LogLine[] = [];
    const logger = createLogger('info', { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
    agent = await startAgent(cfg, { logger, clock: Date.now });
    const db = agent.store.db;
    const positions = (): number => (db.prepare('SELECT COUNT(*) AS n FROM positions').get() as { n: number }).n;
    await waitUntil('some positions stored', () => positions() > 0, 40_000);

    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    const full = (l: LogLine): boolean => l.msg.startsWith('cannot store results: ');
    await waitUntil('a batch meets the full disk', () => lines.some(full), 40_000);
    const line = lines.find(full)!;
    expect(line.msg).toMatch(
      new RegExp(
        `^cannot store results: disk full: database ${dbPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} cannot grow \\(SQLITE_FULL\\); these \\d+ samples are dropped \\(live video cannot wait\\); everything stored before is kept; free space`,
      ),
    );
    expect((line.err as { code?: string }).code).toBe('FS_DISK_FULL');
    const kept = positions();
    expect(kept).toBeGreaterThan(0);

    const cam = agent.cameras.get('cam1')!;
    const frames = cam.snapshot().frames;
    await waitUntil('the camera keeps delivering', () => cam.snapshot().frames >= frames + 4, 20_000);
    expect(cam.link).toBe('up');
    expect(positions()).toBe(kept); // the stored rows stay, none half-written
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  }, 120_000);
});
