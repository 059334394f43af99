/**
 * Live mode with real parts: two real RTSP servers on loopback (GStreamer), one per camera, the
 * agent in-process with the real detector and SQLite. One camera's server is killed: that camera
 * goes to reconnecting while the other keeps delivering frames; the server comes back on the same
 * port and the agent recovers the camera. Downtime lands in camera_health and camera_uptime.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startAgent, type RunningAgent } from '../../agent/src/agent/agent.js';
import { createLogger } from '../../agent/src/agent/logger.js';
import { validateConfig } from '../../agent/src/config/load.js';
import { startRtspServer, type RtspServer } from '../helpers/rtsp.js';
import { dataPath, haveData } from '../helpers/shared-data.js';
import { cutClip, openNowZone, waitUntil, type LogLine } from './helpers.js';

const ok = haveData('video/checkout_counter_cashier.mp4', 'models/yolov8n_fp32.onnx');

describe.skipIf(!ok)('live cameras over real RTSP', () => {
  let dir: string;
  let clip: string;
  const servers: RtspServer[] = [];
  let agent: RunningAgent | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fs-agent-live-'));
    clip = join(dir, 'cam.mp4');
    // A clip long enough for the whole test, so the outcome never depends on the server's --loop
    // rewinding at the right moment.
    const short = join(dir, 'short.mp4');
    cutClip(dataPath('video/checkout_counter_cashier.mp4'), short, 0, 6);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-stream_loop', '-1', '-i', short, '-t', '120', '-c', 'copy', clip]);
  });
  afterAll(async () => {
    await agent?.stop();
    for (const s of servers) await s.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a dead camera reconnects with backoff while the other keeps delivering', async () => {
    const a = await startRtspServer({ cam1: clip }, { loop: true });
    const b = await startRtspServer({ cam2: clip }, { loop: true });
    servers.push(a, b);
    const dbPath = join(dir, 'live.db');
    const cfg = validateConfig({
      // Uptime counts opening hours only: a zone where the shop is open now, whenever the test runs.
      store: { id: 'live-store', timezone: openNowZone() },
      cameras: [
        { id: 'cam1', url: a.url('cam1') },
        { id: 'cam2', url: b.url('cam2') },
      ],
      sampling: { fps: 1, keyframes: 'never' },
      detector: { threads: 1 },
      tracker: { appearance: false },
      storage: { path: dbPath },
      agent: { watchdog_s: 4, reconnect_min_s: 0.5, reconnect_max_s: 2, flush_frames: 2 },
      api: { port: 0 },
    });
    const lines: LogLine[] = [];
    const logger = createLogger('info', { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
    agent = await startAgent(cfg, { logger, clock: Date.now });
    const cam1 = agent.cameras.get('cam1')!;
    const cam2 = agent.cameras.get('cam2')!;

    await waitUntil('both cameras deliver frames', () => cam1.snapshot().frames >= 2 && cam2.snapshot().frames >= 2, 30_000);
    expect(cam1.link).toBe('up');

    await a.kill();
    await waitUntil('cam1 noticed the dead server', () => cam1.link === 'reconnecting', 12_000);
    const f1 = cam1.snapshot().frames;
    const f2 = cam2.snapshot().frames;
    await waitUntil('cam2 keeps delivering while cam1 is down', () => cam2.snapshot().frames >= f2 + 3, 10_000);
    expect(cam1.link).not.toBe('up');
    expect(cam1.snapshot().frames).toBe(f1);
    expect(cam2.link).toBe('up');

    const a2 = await startRtspServer({ cam1: clip }, { loop: true, port: a.port });
    servers.push(a2);
    await waitUntil('cam1 recovered', () => cam1.link === 'up' && cam1.snapshot().frames > f1, 25_000);
    expect(cam1.snapshot().sessions).toBe(2);
    expect(cam2.snapshot().sessions).toBe(1); // never interrupted
    const f2b = cam2.snapshot().frames;
    await waitUntil('both deliver after recovery', () => cam2.snapshot().frames > f2b && cam1.snapshot().frames > f1 + 1, 10_000);

    // The local API over real HTTP, served from the agent's live state.
    const api = agent.api!;
    const st = (await (await fetch(`${api.url}/status`)).json()) as {
      cameras: Array<{ id: string; state: string; frames: number }>;
      detector: { queue_capacity: number; model: string; input: string; provider: string };
    };
    // What the detector runs, as doctor states it (the default input is fitted to 16:9 pictures; the
    // default precision auto runs int8 on a VNNI CPU and says so).
    expect(st.detector).toMatchObject({ model: 'yolov8n_fp32', provider: 'cpu' });
    expect(st.detector.input).toMatch(
      /^640x384 \(fitted to 16:9; native 640x640\)(, int8 \(static, calibrated\), precision auto: AVX(512)?-VNNI CPU|, precision auto: no VNNI .*)?$/,
    );
    expect(st.cameras.map((c) => [c.id, c.state])).toEqual([
      ['cam1', 'up'],
      ['cam2', 'up'],
    ]);
    expect(st.cameras[1]!.frames).toBeGreaterThan(0);
    const snap = await fetch(`${api.url}/api/cameras/cam2/snapshot`);
    expect(snap.status).toBe(200);
    expect(snap.headers.get('content-type')).toBe('image/jpeg');
    const jpeg = new Uint8Array(await snap.arrayBuffer());
    expect([jpeg[0], jpeg[1]]).toEqual([0xff, 0xd8]);
    expect((await fetch(`${api.url}/api/cameras/nope/snapshot`)).status).toBe(404);

    const status = agent.state();
    expect(status.cameras.map((c) => [c.id, c.mode])).toEqual([
      ['cam1', 'live'],
      ['cam2', 'live'],
    ]);
    expect(status.queue.perSource.cam2!.processed).toBeGreaterThan(0);
    expect(lines.some((l) => l.camera === 'cam1' && /camera lost/.test(l.msg))).toBe(true);
    expect(lines.some((l) => l.camera === 'cam2' && /camera lost/.test(l.msg))).toBe(false);

    const stopping = Date.now();
    await agent.stop();
    const stopMs = Date.now() - stopping;
    agent = undefined;
    const db = new Database(dbPath, { readonly: true });
    const health = (cam: string): string[] =>
      db
        .prepare<[string], { state: string }>('SELECT state FROM camera_health WHERE camera_id = ? ORDER BY t_ms, rowid')
        .all(cam)
        .map((r) => r.state);
    // The last 'down' of each is the agent's own stop (detail 'agent stopped'): no outage.
    expect(health('cam1')).toEqual(['up', 'down', 'up', 'down']);
    expect(health('cam2')).toEqual(['up', 'down']);
    const uptime = db
      .prepare<[], { camera_id: string; up_ms: number; down_ms: number; outages: number }>(
        'SELECT camera_id, SUM(up_ms) AS up_ms, SUM(down_ms) AS down_ms, SUM(outages) AS outages FROM camera_uptime GROUP BY camera_id ORDER BY camera_id',
      )
      .all();
    expect(uptime.map((u) => [u.camera_id, u.outages])).toEqual([
      ['cam1', 1],
      ['cam2', 0],
    ]);
    expect(uptime[0]!.down_ms).toBeGreaterThan(1000);
    // cam2 was never out: its only 'down' is the stretch between its stop record and the roll-up,
    // both inside agent.stop() (1.6 s of it at load 16; a fixed 1 s bound failed there).
    expect(uptime[1]!.down_ms).toBeLessThanOrEqual(stopMs);
    // cam1 has the same stop stretch plus its outage, which outlasted cam2's 3 frames at 1 fps.
    expect(uptime[0]!.down_ms).toBeGreaterThan(uptime[1]!.down_ms + 1000);
    const sessions = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM jobs WHERE kind = 'live' AND id LIKE 'live:cam1:%'").get()!.n;
    expect(sessions).toBe(2);
    const positions = db
      .prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM positions p JOIN tracks t ON t.id = p.track_id WHERE t.camera_id = 'cam2'")
      .get()!.n;
    expect(positions).toBeGreaterThan(0);
    db.close();
  });

  it('the watchdog restarts a camera whose stream stalls with the connection still open', async () => {
    const c = await startRtspServer({ cam3: clip }, { loop: true });
    servers.push(c);
    // The server process, found by its unique port, to freeze it (SIGSTOP) and thaw it (SIGCONT).
    const ps = execFileSync('ps', ['-eo', 'pid,args']).toString().split('\n');
    const line = ps.find((l) => l.includes('rtsp_server.py') && l.includes('cam3='));
    const pid = Number(line?.trim().split(/\s+/)[0]);
    expect(pid).toBeGreaterThan(0);
    const cfg = validateConfig({
      store: { id: 'live-store', timezone: 'UTC' },
      cameras: [{ id: 'cam3', url: c.url('cam3') }],
      sampling: { fps: 1, keyframes: 'never' },
      detector: { threads: 1 },
      tracker: { appearance: false },
      storage: { path: join(dir, 'watchdog.db') },
      agent: { watchdog_s: 3, reconnect_min_s: 0.5, reconnect_max_s: 1 },
      api: { enabled: false },
    });
    const lines: LogLine[] = [];
    agent = await startAgent(cfg, { logger: createLogger('info', { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) }), clock: Date.now });
    const cam = agent.cameras.get('cam3')!;
    await waitUntil('cam3 up', () => cam.snapshot().frames >= 2, 30_000);
    process.kill(pid, 'SIGSTOP');
    try {
      // Frames already decoded before the freeze are still delivered first (ingest's queue and the
      // lookahead): on a loaded box that takes seconds, so the 3 s count starts late. Generous wait.
      await waitUntil('watchdog fired', () => lines.some((l) => /no frame for 3 s/.test(l.msg)), 30_000);
      await waitUntil('cam3 reconnecting', () => cam.link !== 'up', 5_000);
      // Named for the cause: connected, no data.
      expect(cam.assess()).toMatchObject({ state: 'stalled', problems: [{ message: expect.stringContaining('the stream stalled') }] });
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await waitUntil('cam3 recovered after the stall', () => cam.link === 'up' && cam.snapshot().sessions >= 2, 40_000);
    expect(lines.find((l) => /camera lost/.test(l.msg))?.msg).toMatch(/watchdog/);
    await agent.stop();
    agent = undefined;
  });
});
