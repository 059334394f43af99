/**
 * Detection on a substream (cameras[].detect_url): boxes land in the main stream's pixels. The pure
 * letterbox arithmetic, then the real pipeline on the checkout clip against a half-size copy of it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { letterboxFor } from '../../agent/src/core/frame.js';
import { checkSubstreamAspect, letterboxOnMain } from '../../agent/src/ingest/substream.js';
import { analyzeSource, type AnalyzeOptions } from '../../agent/src/pipeline/analyze.js';
import { trackerOptions } from '../../agent/src/track/index.js';
import { groupByFrame } from '../../agent/src/io/mot.js';
import { dataPath, haveData } from '../helpers/shared-data.js';

describe('letterboxOnMain', () => {
  it.each([
    { sub: [640, 360], main: [1920, 1080] },
    { sub: [384, 216], main: [768, 432] },
    { sub: [640, 480], main: [2560, 1920] },
  ])('maps model pixels of a substream onto the main stream: %j', ({ sub, main }) => {
    const lb = letterboxFor(sub[0]!, sub[1]!, 640, 640);
    const onMain = letterboxOnMain(lb, { width: main[0]!, height: main[1]! });
    // The substream's far corner, in model pixels, must come back as the main stream's far corner.
    const mx = lb.padX + sub[0]! * lb.scale;
    const my = lb.padY + sub[1]! * lb.scale;
    expect((mx - onMain.padX) / onMain.scale).toBeCloseTo(main[0]!, 6);
    expect((my - onMain.padY) / onMain.scale).toBeCloseTo(main[1]!, 1);
    expect(onMain).toMatchObject({ srcWidth: main[0], srcHeight: main[1], dstWidth: 640, dstHeight: 640, padX: lb.padX, padY: lb.padY });
  });

  it.each([
    [{ width: 640, height: 360 }, { width: 1920, height: 1080 }, null],
    [{ width: 704, height: 576 }, { width: 1920, height: 1080 }, /camera till: detect_url stream is 704x576 but the main stream is 1920x1080/],
    [{ width: 640, height: 352 }, { width: 1920, height: 1080 }, /aspect ratios differ/],
  ])('aspect check %o against %o', (sub, main, err) => {
    if (err === null) expect(() => checkSubstreamAspect('till', sub, main)).not.toThrow();
    else expect(() => checkSubstreamAspect('till', sub, main)).toThrow(err);
  });
});

const CLIP = 'video/checkout_counter_cashier.mp4';
const ok = haveData(CLIP, 'models/yolov8n_fp32.onnx');

function options(url: string, over: Partial<AnalyzeOptions> = {}): AnalyzeOptions {
  return {
    url,
    sourceId: 'till',
    sampling: { stride: 25, keyframes: 'never' },
    detector: {},
    tracker: trackerOptions({ appearance: false }),
    appearance: false,
    reidModel: 'osnet_x0_25_msmt17',
    motionGate: null,
    preview: null,
    limitSec: 6,
    warn: () => {},
    ...over,
  };
}

describe.skipIf(!ok)('analyze with detect_url on the checkout clip', () => {
  let half: string;
  let square: string;
  beforeAll(() => {
    const tmp = mkdtempSync(join(tmpdir(), 'fs-substream-'));
    half = join(tmp, 'sub_384x216.mp4');
    square = join(tmp, 'sub_400x400.mp4');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', dataPath(CLIP), '-t', '7', '-vf', 'scale=384:216', '-c:v', 'libx264', '-preset', 'veryfast', half]);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', dataPath(CLIP), '-t', '2', '-vf', 'scale=400:400', '-c:v', 'libx264', '-preset', 'veryfast', square]);
  });

  it('tracks on the half-size stream and reports boxes in the main stream pixels, where the main-stream run puts them', async () => {
    const direct = await analyzeSource(options(dataPath(CLIP)));
    const viaSub = await analyzeSource(options(dataPath(CLIP), { detectUrl: half }));
    expect(viaSub.error).toBeNull();
    expect(viaSub.summary).toMatchObject({ width: 768, height: 432, detect_source: half, frames_sampled: direct.summary.frames_sampled });
    expect(viaSub.info).toMatchObject({ width: 768, height: 432 });
    const a = groupByFrame(direct.rows);
    const b = groupByFrame(viaSub.rows);
    // Each main-stream box, and its best match on the substream run in the same frame. A quarter of
    // the pixels can lose a small, partly hidden person; the ones found must sit where they were.
    const best = [...a].flatMap(([frame, rows]) => rows.map((r) => Math.max(0, ...(b.get(frame) ?? []).map((s) => iou(r, s)))));
    expect(best.length).toBeGreaterThanOrEqual(12);
    const found = best.filter((v) => v > 0.5);
    expect(found.length / best.length).toBeGreaterThanOrEqual(0.75); // 0.96 over the whole clip (26 s)
    expect(found.reduce((s, v) => s + v, 0) / found.length).toBeGreaterThan(0.85);
    for (const r of viaSub.rows) expect(r.x + r.w).toBeLessThanOrEqual(768 + 0.01);
  });

  it('refuses a substream of another shape, naming the camera and both sizes', async () => {
    await expect(analyzeSource(options(dataPath(CLIP), { detectUrl: square }))).rejects.toThrow(
      /camera till: detect_url stream is 400x400 but the main stream is 768x432/,
    );
  });
});

function iou(a: { x: number; y: number; w: number; h: number }, b: { x: number; y: number; w: number; h: number }): number {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  const inter = ix * iy;
  return inter / (a.w * a.h + b.w * b.h - inter);
}
