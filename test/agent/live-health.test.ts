/**
 * Health figures of a live camera whose RTSP server (real GStreamer, test/helpers/rtsp.ts) is
 * SIGKILLed mid-stream, with the real agent, detector and SQLite: the fps read while it is lost
 * never rises above the rate it delivered (it read 97 fps at a 1 fps sampling), and the state names
 * the cause: the retries are refused, so "unreachable", not just "reconnecting".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgent, type RunningAgent } from '../../agent/src/agent/agent.js';
import { createLogger } from '../../agent/src/agent/logger.js';
import { validateConfig } from '../../agent/src/config/load.js';
import { startRtspServer, type RtspServer } from '../helpers/rtsp.js';
import { dataPath, haveData } from '../helpers/shared-data.js';
import { cutClip, waitUntil, type LogLine } from './helpers.js';

const ok = haveData('video/checkout_counter_cashier.mp4', 'models/yolov8n_fp32.onnx');

describe.skipIf(!ok)('live camera health over real RTSP', () => {
  let dir: string;
  let clip: string;
  let server: RtspServer | undefined;
  let agent: RunningAgent | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fs-live-health-'));
    clip = join(dir, 'cam.mp4');
    const short = join(dir, 'short.mp4');
    cutClip(dataPath('video/checkout_counter_cashier.mp4'), short, 0, 6);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-stream_loop', '-1', '-i', short, '-t', '120', '-c', 'copy', clip]);
  });
  afterAll(async () => {
    await agent?.stop();
    await server?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a killed server: fps never spikes, the state says unreachable, the text is the error line', async () => {
    server = await startRtspServer({ cam: clip }, { loop: true });
    const cfg = validateConfig({
      store: { id: 'live-store', timezone: 'UTC' },
      cameras: [{ id: 'cam', url: server.url('cam') }],
      sampling: { fps: 2, keyframes: 'never' },
      detector: { threads: 1 },
      tracker: { appearance: false },
      storage: { path: join(dir, 'health.db') },
      agent: { watchdog_s: 5, reconnect_min_s: 0.3, reconnect_max_s: 0.6 },
      api: { enabled: false },
    });
    const lines: LogLine[] = [];
    agent = await startAgent(cfg, { logger: createLogger('info', { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) }), clock: Date.now });
    const cam = agent.cameras.get('cam')!;
    await waitUntil('cam delivered 10 frames', () => cam.snapshot().frames >= 10, 40_000);
    expect(cam.assess().state).toBe('up');
    const upFps = cam.snapshot().fps!;
    expect(upFps).toBeGreaterThan(0.5);
    expect(upFps).toBeLessThanOrEqual(2.2);

    await server.kill();
    const readings: number[] = [];
    const t0 = Date.now();
    const states = new Set<string>();
    // Read through the loss and the first reconnect attempts: until 3 s after the link went down.
    let lostAt: number | null = null;
    while (Date.now() - t0 < 20_000 && (lostAt === null || Date.now() - lostAt < 3000)) {
      if (lostAt === null && cam.link !== 'up') lostAt = Date.now();
      readings.push(cam.snapshot().fps ?? 0);
      states.add(cam.assess().state);
      await new Promise((r) => setTimeout(r, 100));
    }
    // Never above the rate it was sampling at (2 fps), and falling while nothing arrives.
    expect(Math.max(...readings)).toBeLessThanOrEqual(2.2);
    expect(readings.at(-1)!).toBeLessThan(upFps);
    expect(lostAt, 'the link never went down').not.toBeNull();
    // The first loss is the server hanging up; the retries are refused.
    await waitUntil('cam unreachable', () => cam.assess().state === 'unreachable', 10_000);
    expect([...states].every((s) => ['up', 'reconnecting', 'unreachable'].includes(s))).toBe(true);
    const a = cam.assess();
    expect(a.problems[0]!.message).toMatch(/does not answer/);
    const lost = lines.filter((l) => /camera lost/.test(l.msg)).map((l) => l.msg);
    expect(lost[0]).toMatch(/the server closed the stream \(ffmpeg printed no error\)/);
    expect(lost.some((m) => /Connection refused/.test(m))).toBe(true);
    for (const m of lost) expect(m).not.toMatch(/muxing overhead|frame=/);
    expect(cam.snapshot().lastError).toMatch(/Connection refused/);
    await agent.stop();
    agent = undefined;
  }, 90_000);
});
