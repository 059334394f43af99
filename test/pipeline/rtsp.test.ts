/**
 * Live ingest from a real RTSP server on loopback: wall-clock timestamps, a dead camera named in
 * the error, and a camera that dies mid-stream keeping the frames it delivered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { openSource } from '../../agent/src/ingest/index.js';
import type { Frame } from '../../agent/src/core/frame.js';
import { isFloorSenseError } from '../../agent/src/core/errors.js';
import { startRtspServer, type RtspServer } from '../helpers/rtsp.js';
import { dataPath, haveData } from '../helpers/shared-data.js';

const ok = haveData('video/checkout_counter_cashier.mp4');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe.skipIf(!ok)('RTSP ingest against a real server', () => {
  let server: RtspServer;
  beforeAll(async () => {
    server = await startRtspServer({ cam1: dataPath('video/checkout_counter_cashier.mp4') });
  });
  afterAll(async () => {
    await server?.kill();
  });

  it('samples a live stream at the requested rate with wall-clock timestamps', async () => {
    const before = Date.now();
    const src = await openSource({ sourceId: 'cam1', url: server.url('cam1'), sampling: { fps: 2 }, modelSize: { width: 320, height: 320 }, watchdogSec: 10 });
    expect(src.info.isLive).toBe(true);
    const frames: Frame[] = [];
    for await (const f of src) {
      frames.push(f);
      if (frames.length === 6) break;
    }
    expect(frames).toHaveLength(6);
    for (const f of frames) {
      expect(f.width).toBe(320);
      expect(f.timestampMs).toBeGreaterThanOrEqual(before - 1000);
      expect(f.timestampMs).toBeLessThanOrEqual(Date.now() + 1000);
    }
    // 2 fps sampling: about half a second apart in stream time.
    const gaps = frames.slice(1).map((f, i) => f.ptsSec - frames[i]!.ptsSec);
    for (const g of gaps) expect(g).toBeCloseTo(0.5, 1);
  });

  it('names the URL when no camera answers', async () => {
    const port = await freePort();
    const url = `rtsp://127.0.0.1:${port}/nobody`;
    let caught: unknown;
    try {
      const src = await openSource({ sourceId: 'dead', url, sampling: { fps: 1 }, modelSize: null, socketTimeoutSec: 3, watchdogSec: 5 });
      for await (const _ of src) void _;
    } catch (e) {
      caught = e;
    }
    expect(isFloorSenseError(caught)).toBe(true);
    expect((caught as Error).message).toContain(url);
  });

  it('keeps the frames a camera delivered before it died, then fails with a coded error', async () => {
    const own = await startRtspServer({ cam2: dataPath('video/checkout_counter_cashier.mp4') });
    const frames: Frame[] = [];
    let caught: unknown;
    try {
      const src = await openSource({
        sourceId: 'cam2',
        url: own.url('cam2'),
        sampling: { fps: 2 },
        modelSize: { width: 320, height: 320 },
        watchdogSec: 4,
        socketTimeoutSec: 3,
      });
      for await (const f of src) {
        frames.push(f);
        if (frames.length === 3) await own.kill();
        if (frames.length > 40) break;
      }
    } catch (e) {
      caught = e;
    } finally {
      await own.kill();
    }
    expect(frames.length).toBeGreaterThanOrEqual(3);
    expect(frames.length).toBeLessThan(12);
    expect(isFloorSenseError(caught)).toBe(true);
    expect((caught as Error).message).toContain('cam2');
  });
});
