/**
 * cameras[].rtsp_timeout_s ends a stalled RTSP/TCP stream within about 1.5x its value (issue 14
 * item 7). ffmpeg 5.1's own -timeout retries the read and gives up only after 4-6x the setting
 * (agent/bench/rtsp-stall-timeout.ts), so the one watchdog (ingest/watchdog.ts) allows a delivering
 * session rtsp_timeout_s plus its usual gap between frames. Real parts: two GStreamer RTSP servers
 * frozen with SIGSTOP (the TCP connection stays open, no data comes), the real agent, detector and
 * SQLite; watchdog_s stays at its default (30 s), so only rtsp_timeout_s can explain a quick restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgent, type RunningAgent } from '../../agent/src/agent/agent.js';
import { frameGaps, stallAllowanceSec } from '../../agent/src/ingest/watchdog.js';
import { createLogger } from '../../agent/src/agent/logger.js';
import { validateConfig } from '../../agent/src/config/load.js';
import { startRtspServer, type RtspServer } from '../helpers/rtsp.js';
import { dataPath, haveData } from '../helpers/shared-data.js';
import { cutClip, waitUntil, type LogLine } from './helpers.js';

describe('the stall allowance', () => {
  it('is rtsp_timeout_s plus the longest recent gap, capped by watchdog_s, and watchdog_s until a gap is known', () => {
    expect(stallAllowanceSec(30, 2, null)).toEqual({ sec: 30, why: 'watchdog_s' });
    expect(stallAllowanceSec(30, undefined, 1)).toEqual({ sec: 30, why: 'watchdog_s' });
    expect(stallAllowanceSec(30, 2, 1)).toEqual({ sec: 3, why: 'rtsp_timeout_s 2 s + 1 s between frames: the stream stalled' });
    expect(stallAllowanceSec(3, 10, 1).sec).toBe(3);
  });

  it('takes the longer of wall and video gaps over the last 8 frames', () => {
    const g = frameGaps();
    expect(g.next(0, 0)).toBeNull();
    // A burst at connect: frames close in wall time, a second apart in video time.
    expect(g.next(50, 1)).toBe(1);
    expect(g.next(100, 2)).toBe(1);
    // The pipeline paused 2.5 s once.
    expect(g.next(2600, 3)).toBe(2.5);
    for (let i = 4; i < 12; i++) g.next(2600 + (i - 3) * 1000, i);
    // 8 frames later the pause has left the window.
    expect(g.next(2600 + 9 * 1000, 12)).toBe(1);
  });
});

const ok = haveData('video/checkout_counter_cashier.mp4', 'models/yolov8n_fp32.onnx');

describe.skipIf(!ok)('a stalled RTSP stream ends within rtsp_timeout_s', () => {
  let dir: string;
  let clip: string;
  const servers: RtspServer[] = [];
  let agent: RunningAgent | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fs-live-stall-'));
    clip = join(dir, 'cam.mp4');
    const short = join(dir, 'short.mp4');
    cutClip(dataPath('video/checkout_counter_cashier.mp4'), short, 0, 6);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-stream_loop', '-1', '-i', short, '-t', '120', '-c', 'copy', clip]);
  });
  afterAll(async () => {
    await agent?.stop();
    for (const s of servers) await s.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("rtsp_timeout_s 2 and 5: a frozen server is noticed within the setting plus the gap between frames, not at watchdog_s or ffmpeg's 4-6x", async () => {
    const settings = { t2: 2, t5: 5 };
    const pids: Record<string, number> = {};
    for (const id of Object.keys(settings)) {
      const s = await startRtspServer({ [id]: clip }, { loop: true });
      servers.push(s);
      const line = execFileSync('ps', ['-eo', 'pid,args'])
        .toString()
        .split('\n')
        .find((l) => l.includes('rtsp_server.py') && l.includes(`${id}=`));
      pids[id] = Number(line?.trim().split(/\s+/)[0]);
      expect(pids[id]).toBeGreaterThan(0);
    }
    const cfg = validateConfig({
      store: { id: 'stall-store', timezone: 'UTC' },
      cameras: Object.entries(settings).map(([id, t], i) => ({ id, url: servers[i]!.url(id), rtsp_timeout_s: t })),
      sampling: { fps: 1, keyframes: 'never' },
      detector: { threads: 1 },
      tracker: { appearance: false },
      storage: { path: join(dir, 'stall.db') },
      agent: { reconnect_min_s: 0.5, reconnect_max_s: 1 },
      api: { enabled: false },
    });
    expect(cfg.agent.watchdog_s).toBe(30);
    const lines: LogLine[] = [];
    agent = await startAgent(cfg, { logger: createLogger('info', { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) }), clock: Date.now });
    const cams = Object.keys(settings).map((id) => agent!.cameras.get(id)!);
    await waitUntil('both cameras delivered 6 frames', () => cams.every((c) => c.snapshot().frames >= 6), 60_000);
    const stalledAt = Date.now();
    for (const pid of Object.values(pids)) process.kill(pid, 'SIGSTOP');
    const noticed: Record<string, number> = {};
    const states: Record<string, string> = {};
    const sinceLast: Record<string, number> = {};
    try {
      await waitUntil(
        'both stalls noticed',
        () => {
          for (const c of cams) {
            if (noticed[c.id] !== undefined || c.link === 'up') continue;
            noticed[c.id] = (Date.now() - stalledAt) / 1000;
            sinceLast[c.id] = (Date.now() - (c.snapshot().lastFrameMs ?? stalledAt)) / 1000;
            // Named for the cause as it is lost (a later retry to the frozen server reads as unreachable).
            states[c.id] = c.assess().state;
          }
          return Object.keys(noticed).length === cams.length;
        },
        30_000,
      );
    } finally {
      for (const pid of Object.values(pids)) process.kill(pid, 'SIGCONT');
    }
    for (const l of lines.filter((x) => /camera lost/.test(x.msg))) console.log(`${l.camera}: ${l.msg}`);
    // The figures for the report: seconds from SIGSTOP to the camera leaving 'up' (frames decoded
    // before the freeze are still delivered after it, more of them on a loaded box), and from the
    // last frame delivered.
    console.log(
      `rtsp stall noticed: ${Object.entries(settings)
        .map(([id, t]) => `rtsp_timeout_s ${t}: ${noticed[id]!.toFixed(2)} s after SIGSTOP, ${sinceLast[id]!.toFixed(2)} s after the last frame`)
        .join('; ')}`,
    );
    for (const [id, t] of Object.entries(settings)) {
      expect(states[id], id).toBe('stalled');
      // Ended by the one watchdog (ingest/watchdog.ts) keyed to rtsp_timeout_s (never watchdog_s: 30 s), whose
      // allowance is the setting plus the gap between frames seen; or, on a box so loaded that the
      // pipeline lags the stream by more than that, by ffmpeg's own socket timeout once the frames
      // it had read before the freeze are delivered. Either way within that allowance of the last frame.
      const lost = lines.find((l) => l.camera === id && /camera lost/.test(l.msg))?.msg ?? '';
      const m = new RegExp(`watchdog: no frame for ([\\d.]+) s \\(rtsp_timeout_s ${t} s \\+ ([\\d.]+) s between frames: the stream stalled\\)`).exec(lost);
      if (m !== null) {
        const [allowance, gap] = [Number(m[1]), Number(m[2])];
        expect(Math.abs(allowance - (t + gap))).toBeLessThanOrEqual(0.11); // both printed to 0.1 s
        expect(gap, id).toBeLessThanOrEqual(3); // 1 s at 1 fps, more on a loaded box
        // The watchdog counts from the last frame ffmpeg delivered to ingest, which is at most one
        // gap before the freeze; the camera's last analyzed frame can come later (detection lags on
        // a loaded box), so the bounds are from SIGSTOP: never before rtsp_timeout_s, and within the
        // allowance plus the frames still in the pipe and stopping ffmpeg.
        expect(noticed[id], id).toBeGreaterThanOrEqual(t - 0.2);
        expect(noticed[id], id).toBeLessThanOrEqual(allowance + 3);
      } else {
        expect(lost, id).toMatch(/Connection timed out/);
        expect(sinceLast[id], id).toBeLessThanOrEqual(t + 3);
      }
    }
    await waitUntil('both recovered after the stall', () => cams.every((c) => c.link === 'up' && c.snapshot().sessions >= 2), 40_000);
    await agent.stop();
    agent = undefined;
  }, 150_000);
});
