/**
 * Real decoding of the shared clips through openSource: counts, timestamps, indexes, keyframe mode,
 * letterbox pixels, GIF. Short clips, strides and -t limits keep each test to a few seconds.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame } from '../../agent/src/core/frame.js';
import { openSource, probeSource, type OpenSourceOptions } from '../../agent/src/ingest/index.js';
import { dataPath, haveData } from '../helpers/shared-data.js';

const CHECKOUT = 'video/checkout_counter_cashier.mp4';
const GIF = 'video/store_aisle_shoppers.gif';
const INDOOR = 'video/indoor_one_by_one_person.mp4';

async function collect(opts: Omit<OpenSourceOptions, 'sourceId'>): Promise<{ frames: Frame[]; src: Awaited<ReturnType<typeof openSource>> }> {
  const src = await openSource({ sourceId: 'test', ...opts });
  const frames: Frame[] = [];
  for await (const f of src) frames.push(f);
  return { frames, src };
}

/** One frame decoded by a plain ffmpeg command, for byte comparison. */
function referenceFrame(path: string, index: number, w: number, h: number): Buffer {
  return execFileSync(
    'ffmpeg',
    [
      '-v',
      'error',
      '-i',
      path,
      '-vf',
      `select=eq(n\\,${index}),scale=${w}:${h}:force_original_aspect_ratio=decrease:flags=bilinear,format=rgb24,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2:color=0x727272`,
      '-fps_mode',
      'passthrough',
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ],
    { maxBuffer: 64 << 20 },
  );
}

describe.skipIf(!haveData(CHECKOUT, GIF, INDOOR))('decoding the shared clips', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fs-ingest-'));
  const gop1 = join(dir, 'checkout_gop25.mp4');
  const gop5 = join(dir, 'checkout_gop5.mp4');
  beforeAll(() => {
    // 8 s re-encodes with a fixed keyframe interval (no scene-cut keyframes): 1 s and 0.2 s GOP.
    for (const [out, g] of [
      [gop1, '25'],
      [gop5, '5'],
    ] as const) {
      execFileSync('ffmpeg', [
        '-v',
        'error',
        '-y',
        '-t',
        '8',
        '-i',
        dataPath(CHECKOUT),
        '-an',
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-g',
        g,
        '-keyint_min',
        g,
        '-sc_threshold',
        '0',
        out,
      ]);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('probes the checkout clip', async () => {
    const info = await probeSource(dataPath(CHECKOUT));
    expect(info).toEqual({
      url: dataPath(CHECKOUT),
      isLive: false,
      width: 768,
      height: 432,
      fps: 25,
      durationSec: 26.12,
      startTimeSec: 0,
      codec: 'h264',
      frameCount: 653,
      gopSec: 10,
    });
    expect(Object.isFrozen(info)).toBe(true);
  });

  it('stride 25: 27 frames, index = 25k, pts = index / fps, letterboxed 640x640 with 114 grey bars', async () => {
    const { frames, src } = await collect({ url: dataPath(CHECKOUT), sampling: { stride: 25, keyframes: 'auto' }, modelSize: { width: 640, height: 640 } });
    expect(src.plan.keyframeMode).toBe(false); // GOP 10 s > 1 s interval
    expect(src.timeOrigin).toBe('none');
    expect(frames.length).toBe(27); // frames 0, 25, ..., 650 of 653
    expect(frames.map((f) => f.index)).toEqual(Array.from({ length: 27 }, (_, k) => 25 * k));
    for (const f of frames) {
      expect(f.ptsSec).toBeCloseTo(f.index / 25, 9);
      expect(f.timestampMs).toBe(Math.round(f.ptsSec * 1000));
      expect([f.width, f.height, f.data.length]).toEqual([640, 640, 640 * 640 * 3]);
    }
    const s = src.stats();
    expect(s).toMatchObject({
      state: 'ended',
      framesDecoded: 653,
      framesRead: 27,
      framesYielded: 27,
      framesDropped: 0,
      bytesRead: 27 * 640 * 640 * 3,
      lastPtsSec: 26,
    });
    // 768x432 -> 640x360, 140 rows of pad above and below.
    const f = frames[4]!;
    expect(f.letterbox).toMatchObject({ padX: 0, padY: 140 });
    const row = (y: number): Uint8Array => f.data.subarray(y * 640 * 3, (y + 1) * 640 * 3);
    for (const y of [0, 139, 500, 639]) expect(row(y).every((v) => v === 114)).toBe(true);
    for (const y of [140, 320, 499]) expect(row(y).every((v) => v === 114)).toBe(false);
    // The right frame: byte-identical to frame 100 cut out by a plain ffmpeg command.
    expect(Buffer.from(f.data).equals(referenceFrame(dataPath(CHECKOUT), 100, 640, 640))).toBe(true);
  });

  it('fps 2 keeps true pts (not retimed) at 0.5 s spacing', async () => {
    const { frames, src } = await collect({
      url: dataPath(CHECKOUT),
      sampling: { fps: 2, keyframes: 'never' },
      modelSize: { width: 320, height: 320 },
      limitSec: 6,
    });
    expect(src.plan.keyframeMode).toBe(false);
    expect(frames.length).toBe(12); // one per 0.5 s bucket of 6 s
    // The first frame at or after each bucket start: 0.5 s falls between frames 12 and 13 at 25 fps.
    frames.forEach((f, k) => {
      expect(f.index).toBe(Math.ceil(k * 12.5));
      expect(f.ptsSec).toBeCloseTo(f.index / 25, 9);
    });
  });

  it('startTimeMs option and the creation_time tag set the clock', async () => {
    const start = Date.UTC(2026, 0, 5, 9, 0, 0);
    const a = await collect({ url: dataPath(CHECKOUT), sampling: { stride: 50 }, modelSize: null, limitSec: 3, startTimeMs: start });
    expect(a.src.timeOrigin).toBe('start-time-option');
    expect(a.frames.map((f) => f.timestampMs)).toEqual([start, start + 2000]);
    expect([a.frames[0]!.width, a.frames[0]!.height]).toEqual([768, 432]);
    const b = await collect({ url: dataPath(INDOOR), sampling: { stride: 10 }, modelSize: null, limitSec: 3 });
    const created = Date.parse('2017-09-26T16:57:49Z');
    expect(b.src.timeOrigin).toBe('creation-time');
    expect(b.frames.map((f) => f.timestampMs)).toEqual([created, created + 1000, created + 2000]);
  });

  it('keyframe mode is chosen for a 1 s GOP at stride 25, and decodes only keyframes', async () => {
    const info = await probeSource(gop1);
    expect(info.gopSec).toBeCloseTo(1, 6);
    const { frames, src } = await collect({ url: gop1, sampling: { stride: 25, keyframes: 'auto' }, modelSize: { width: 640, height: 640 } });
    expect(src.plan.keyframeMode).toBe(true);
    expect(src.argv).toContain('nokey');
    expect(frames.map((f) => f.index)).toEqual([0, 25, 50, 75, 100, 125, 150, 175]);
    for (const [k, f] of frames.entries()) expect(f.ptsSec).toBeCloseTo(k, 9);
    expect(src.stats().framesDecoded).toBe(8);
    // A keyframe decodes to the same pixels either way.
    expect(Buffer.from(frames[3]!.data).equals(referenceFrame(gop1, 75, 640, 640))).toBe(true);
    // The same clip at stride 10 (0.4 s < 1 s GOP) is decoded in full.
    const fine = await collect({ url: gop1, sampling: { stride: 10, keyframes: 'auto' }, modelSize: { width: 64, height: 64 }, limitSec: 2 });
    expect(fine.src.plan.keyframeMode).toBe(false);
    expect(fine.frames.map((f) => f.index)).toEqual([0, 10, 20, 30, 40]);
  });

  it('keyframes denser than the sampling rate are subsampled to the interval', async () => {
    const { frames, src } = await collect({ url: gop5, sampling: { stride: 25, keyframes: 'auto' }, modelSize: { width: 64, height: 64 } });
    expect(src.info.gopSec).toBeCloseTo(0.2, 6);
    expect(src.plan.keyframeMode).toBe(true);
    expect(src.stats().framesDecoded).toBe(40); // every 5th frame of 200
    expect(frames.map((f) => f.index)).toEqual([0, 25, 50, 75, 100, 125, 150, 175]);
  });

  it('keyframes forced on the 10 s GOP original', async () => {
    const { frames } = await collect({ url: dataPath(CHECKOUT), sampling: { stride: 25, keyframes: 'always' }, modelSize: { width: 64, height: 64 } });
    expect(frames.map((f) => [f.index, f.ptsSec])).toEqual([
      [0, 0],
      [250, 10],
      [500, 20],
    ]);
  });

  it('reads a GIF', async () => {
    const { frames, src } = await collect({ url: dataPath(GIF), sampling: { stride: 5, keyframes: 'never' }, modelSize: null });
    expect(src.info).toMatchObject({ codec: 'gif', width: 480, height: 270, fps: 15, frameCount: 67 });
    expect(frames.length).toBe(14); // ceil(67 / 5)
    expect(frames.map((f) => f.index)).toEqual(Array.from({ length: 14 }, (_, k) => 5 * k));
    for (let i = 1; i < frames.length; i++) expect(frames[i]!.ptsSec).toBeGreaterThan(frames[i - 1]!.ptsSec);
    expect(frames[1]!.ptsSec).toBeCloseTo(5 / 15, 1); // GIF delays are in 1/100 s
    expect([frames[0]!.width, frames[0]!.height]).toEqual([480, 270]);
  });
});
