/**
 * `floorsense analyze rtsp://...` on a camera that stalls with its connection open ends with the
 * stall error, through the same watchdog as the agent's live cameras (ingest/watchdog.ts), and keeps
 * the frames it had (issue 14 item 10: ingest's watchdog was unreachable through analyzeSource, so
 * such a run hung until ffmpeg's own timeout, 4-6x the socket timeout). Real parts: the built CLI,
 * detector and ffmpeg, and a GStreamer RTSP server frozen with SIGSTOP.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { cutClip, waitUntil } from '../agent/helpers.js';
import { startRtspServer, type RtspServer } from '../helpers/rtsp.js';
import { dataPath, haveData, REPO_ROOT } from '../helpers/shared-data.js';

const CLI = join(REPO_ROOT, 'bin', 'floorsense.js');
const ok = haveData('video/checkout_counter_cashier.mp4', 'models/yolov8n_fp32.onnx');

describe.skipIf(!ok)('analyze on a stalled RTSP camera', () => {
  let dir: string;
  let server: RtspServer | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fs-analyze-stall-'));
  });
  afterAll(async () => {
    await server?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ends with the watchdog stall error (FS_SOURCE_UNREACHABLE, exit 1) within rtsp_timeout_s plus the frame gap, writing what it analyzed', async () => {
    const clip = join(dir, 'cam.mp4');
    const short = join(dir, 'short.mp4');
    cutClip(dataPath('video/checkout_counter_cashier.mp4'), short, 0, 6);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-stream_loop', '-1', '-i', short, '-t', '120', '-c', 'copy', clip]);
    server = await startRtspServer({ stallcam: clip }, { loop: true });
    const pid = Number(
      execFileSync('ps', ['-eo', 'pid,args'])
        .toString()
        .split('\n')
        .find((l) => l.includes('rtsp_server.py') && l.includes('stallcam='))
        ?.trim()
        .split(/\s+/)[0],
    );
    expect(pid).toBeGreaterThan(0);
    // agent.watchdog_s stays at its default (30 s): only the camera's rtsp_timeout_s explains a quick end.
    const cfg = join(dir, 'store.yaml');
    writeFileSync(cfg, stringify({ store: { id: 'stall-store', timezone: 'UTC' }, cameras: [{ id: 'cam', url: server.url('stallcam'), rtsp_timeout_s: 2 }] }));
    const out = join(dir, 'out');
    const child = spawn(
      process.execPath,
      [CLI, 'analyze', server.url('stallcam'), '--config', cfg, '--camera-id', 'cam', '--fps', '2', '--keyframes', 'never', '--no-appearance', '--out', out],
      { env: { ...process.env, FLOORSENSE_MODELS: dataPath('models') }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let stoppedAt = 0;
    try {
      // The first progress line comes with the first frame; a few more seconds show the gap between frames.
      await waitUntil('frames analyzed', () => /\d+ frames, /.test(err), 60_000);
      await new Promise((r) => setTimeout(r, 3000));
      process.kill(pid, 'SIGSTOP');
      stoppedAt = Date.now();
      const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 20_000))]);
      const tookSec = (Date.now() - stoppedAt) / 1000;
      console.log(`analyze on a stalled RTSP camera: exit ${code} ${tookSec.toFixed(1)} s after SIGSTOP (rtsp_timeout_s 2, fps 2)`);
      expect(code, err).toBe(1);
      expect(err).toMatch(/watchdog: no frame for [\d.]+ s \(rtsp_timeout_s 2 s \+ [\d.]+ s between frames: the stream stalled\)/);
      // ffmpeg's own timeout would take 8-12 s; the watchdog 2 s plus about 0.5 s, then stopping.
      expect(tookSec).toBeLessThan(8);
    } finally {
      process.kill(pid, 'SIGCONT');
      child.kill('SIGKILL');
    }
    // Nothing already done is lost: the outputs hold the frames before the stall.
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { frames_sampled: number };
    expect(summary.frames_sampled).toBeGreaterThanOrEqual(4);
    expect(existsSync(join(out, 'cam.txt'))).toBe(true);
  }, 120_000);
});
