/**
 * Calibration of a LIVE camera: the agent (in process: real ffmpeg over real RTSP from the test
 * server, YOLOv8, tracker) serves the calibration view of a 384x216 stream in the stream's own
 * pixels with the tracks of the latest frame; a zone PUT around a tracked person's feet is written
 * to the config file and the next views, taken from new frames, judge foot points by it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startAgent, type RunningAgent } from '../../agent/src/agent/agent.js';
import { createLogger } from '../../agent/src/agent/logger.js';
import type { CalibrationView } from '../../agent/src/api/index.js';
import { loadConfigFile } from '../../agent/src/config/load.js';
import { startRtspServer, type RtspServer } from '../helpers/rtsp.js';
import { dataPath, haveData } from '../helpers/shared-data.js';
import { cutClip } from './helpers.js';

const ok = haveData('video/checkout_counter_cashier.mp4', 'models/yolov8n_fp32.onnx');

describe.skipIf(!ok)('calibration of a live camera over real RTSP', () => {
  let dir: string;
  let server: RtspServer | undefined;
  let agent: RunningAgent | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fs-live-cal-'));
    const short = join(dir, 'short.mp4');
    cutClip(dataPath('video/checkout_counter_cashier.mp4'), short, 0, 6);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-stream_loop', '-1', '-i', short, '-t', '120', '-c', 'copy', join(dir, 'cam.mp4')]);
  });
  afterAll(async () => {
    await agent?.stop();
    await server?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves the stream’s own pixels and live tracks, and a saved zone judges the next frames’ foot points', async () => {
    server = await startRtspServer({ cam: join(dir, 'cam.mp4') }, { loop: true });
    const file = join(dir, 'store.yaml');
    writeFileSync(
      file,
      `# live store\n${stringify({
        store: { id: 'live-cal', timezone: 'UTC' },
        cameras: [{ id: 'cam', url: server.url('cam') }],
        sampling: { fps: 2, keyframes: 'never' },
        detector: { threads: 1 },
        tracker: { appearance: false },
        storage: { path: join(dir, 'live.db') },
        api: { port: 0 },
      })}`,
    );
    agent = await startAgent(loadConfigFile(file), { logger: createLogger('warn', { write: () => undefined }), clock: Date.now, configPath: file });
    const base = agent.api!.url;
    const get = async (): Promise<CalibrationView> => (await (await fetch(`${base}/api/cameras/cam/calibration`)).json()) as CalibrationView;
    let v = await get();
    for (let i = 0; i < 80 && v.tracks.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 500));
      v = await get();
    }
    expect([v.width, v.height]).toEqual([384, 216]); // the stream's size, not the detector's 640x640 input
    expect(v.tracks.length).toBeGreaterThan(0);
    for (const t of v.tracks) {
      expect(t.box[2]).toBeLessThanOrEqual(384 + 1);
      expect(t.box[3]).toBeLessThanOrEqual(216 + 1);
    }
    // The cashier stands still behind the counter: a zone around the feet of the right-most person.
    const cashier = [...v.tracks].sort((a, b) => b.foot[0] - a.foot[0])[0]!;
    const [fx, fy] = cashier.foot;
    const r = 25;
    const clamp = (x: number, hi: number): number => Math.max(0, Math.min(hi, Math.round(x)));
    const polygon = [
      [clamp(fx - r, 384), clamp(fy - r, 216)],
      [clamp(fx + r, 384), clamp(fy - r, 216)],
      [clamp(fx + r, 384), clamp(fy + r, 216)],
      [clamp(fx - r, 384), clamp(fy + r, 216)],
    ];
    const put = await fetch(`${base}/api/cameras/cam/calibration`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ zones: [{ name: 'till', kind: 'till', polygon }], floor: null }),
    });
    expect(put.status).toBe(200);
    expect(readFileSync(file, 'utf8')).toContain('# live store\n');
    expect(loadConfigFile(file).cameras[0]!.zones[0]!.polygon).toEqual(polygon);
    // New frames keep coming; a person whose feet are inside is reported in the zone.
    const seenAt = v.frame_ms;
    let inZone = false;
    for (let i = 0; i < 40 && !inZone; i++) {
      await new Promise((res) => setTimeout(res, 500));
      v = await get();
      inZone = v.frame_ms !== seenAt && v.tracks.some((t) => t.zone === 'till' && t.zone_kind === 'till');
    }
    expect(inZone, JSON.stringify(v.tracks)).toBe(true);
    // The editor's picture decoded from the camera at its own resolution (one short extra RTSP
    // session), not the pipeline's frame scaled to the source size.
    const still = await fetch(`${base}/api/cameras/cam/snapshot?overlay=none&detail=source`);
    expect([still.status, still.headers.get('x-floorsense-detail')]).toEqual([200, 'source']);
    const jpeg = Buffer.from(await still.arrayBuffer());
    const size = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', '-'], { input: jpeg }).toString().trim();
    expect(size).toBe('384,216');
  }, 120_000);
});
