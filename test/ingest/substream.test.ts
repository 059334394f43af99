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
import { checkSubstreamAspect } from '../../agent/src/ingest/substream.js';
import { sizeFilters } from '../../agent/src/ingest/argv.js';
import { planDecode } from '../../agent/src/ingest/plan.js';
import type { SourceInfo } from '../../agent/src/ingest/source-info.js';
import { analyzeSource, type AnalyzeOptions } from '../../agent/src/pipeline/analyze.js';
import { trackerOptions } from '../../agent/src/track/index.js';
import { groupByFrame } from '../../agent/src/io/mot.js';
import { dataPath, haveData } from '../helpers/shared-data.js';
import { boxIou } from '../../agent/src/eval/mot/frames.js';

describe('a substream letterboxed to the main picture', () => {
  it.each([
    { sub: [640, 360], main: [1920, 1080], scale: 'scale=640:360:flags=bilinear' },
    { sub: [384, 216], main: [768, 432], scale: 'scale=640:360:flags=bilinear' },
    { sub: [704, 576], main: [1920, 1080], scale: 'scale=640:360:flags=bilinear' }, // 4CIF on 16:9: non-square pixels
    { sub: [640, 480], main: [2560, 1920], scale: 'scale=640:480:flags=bilinear' },
  ])('maps model pixels onto the main stream: %j', ({ sub, main, scale }) => {
    const info = { ...INFO, width: sub[0]!, height: sub[1]! };
    const plan = planDecode(FILE, info, {
      sampling: { stride: 25 },
      modelSize: { width: 640, height: 640 },
      pictureSize: { width: main[0]!, height: main[1]! },
    });
    expect(plan.letterbox).toEqual(letterboxFor(main[0]!, main[1]!, 640, 640));
    expect(plan.command.size).toEqual({ kind: 'letterbox', width: 640, height: 640, picture: { width: main[0], height: main[1] } });
    // ffmpeg scales the substream (whatever its shape) to exactly the picture area the letterbox describes.
    expect(sizeFilters(plan.command.size)[0]).toBe(scale);
    const lb = plan.letterbox;
    expect((lb.padX + Number(scale.split(/[=:]/)[1]) - lb.padX) / lb.scale).toBeCloseTo(main[0]!, 0);
    expect((lb.padY + Number(scale.split(/[=:]/)[2]) - lb.padY) / lb.scale).toBeCloseTo(main[1]!, 0);
  });

  it('refuses a picture size without a letterbox', () => {
    expect(() => planDecode(FILE, INFO, { sampling: { stride: 25 }, modelSize: null, pictureSize: { width: 1920, height: 1080 } })).toThrow(
      /pictureSize \(a substream\) needs a letterboxed output/,
    );
  });

  it.each([
    [{ width: 640, height: 360 }, { width: 1920, height: 1080 }, null],
    [{ width: 704, height: 576 }, { width: 1920, height: 1080 }, null],
    [{ width: 640, height: 352 }, { width: 1920, height: 1080 }, null],
    [{ width: 400, height: 400 }, { width: 768, height: 432 }, null],
    [{ width: 720, height: 180 }, { width: 768, height: 432 }, /camera till: detect_url stream is 720x180 but the main stream is 768x432; .*more than 2x/],
    [{ width: 1920, height: 1080 }, { width: 800, height: 1000 }, /detect_url stream is 1920x1080 but the main stream is 800x1000/],
  ])('aspect check %o against %o', (sub, main, err) => {
    if (err === null) expect(() => checkSubstreamAspect('till', sub, main)).not.toThrow();
    else expect(() => checkSubstreamAspect('till', sub, main)).toThrow(err);
  });
});

const FILE = { input: 'file:/v.mp4', scheme: undefined, socketTimeoutUs: 1e7 };
const INFO: SourceInfo = { url: 'v.mp4', isLive: false, width: 704, height: 576, fps: 25, codec: 'h264', durationSec: 10, startTimeSec: 0 };

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
  let anamorphic: string;
  let strip: string;
  beforeAll(() => {
    const tmp = mkdtempSync(join(tmpdir(), 'fs-substream-'));
    half = join(tmp, 'sub_384x216.mp4');
    // 4CIF of the 16:9 clip: what an NVR's substream of a 16:9 camera often is (non-square pixels).
    anamorphic = join(tmp, 'sub_704x576.mp4');
    strip = join(tmp, 'sub_720x180.mp4');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', dataPath(CLIP), '-t', '7', '-vf', 'scale=384:216', '-c:v', 'libx264', '-preset', 'veryfast', half]);
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-i',
      dataPath(CLIP),
      '-t',
      '7',
      '-vf',
      'scale=704:576,setsar=1',
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      anamorphic,
    ]);
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-i',
      dataPath(CLIP),
      '-t',
      '2',
      '-vf',
      'scale=720:180,setsar=1',
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      strip,
    ]);
  });

  // Each main-stream box, and its best match on the substream run in the same frame. A quarter of
  // the pixels can lose a small, partly hidden person; the ones found must sit where they were.
  async function compare(sub: string): Promise<{ boxes: number; found: number; meanIou: number }> {
    const direct = await analyzeSource(options(dataPath(CLIP)));
    const viaSub = await analyzeSource(options(dataPath(CLIP), { detectUrl: sub }));
    expect(viaSub.error).toBeNull();
    expect(viaSub.summary).toMatchObject({ width: 768, height: 432, detect_source: sub, frames_sampled: direct.summary.frames_sampled });
    expect(viaSub.info).toMatchObject({ width: 768, height: 432 });
    for (const r of viaSub.rows) expect(r.x + r.w).toBeLessThanOrEqual(768 + 0.01);
    const a = groupByFrame(direct.rows);
    const b = groupByFrame(viaSub.rows);
    const best = [...a].flatMap(([frame, rows]) => rows.map((r) => Math.max(0, ...(b.get(frame) ?? []).map((s) => boxIou(r, s)))));
    const found = best.filter((v) => v > 0.5);
    return { boxes: best.length, found: found.length / best.length, meanIou: found.reduce((s, v) => s + v, 0) / found.length };
  }

  it('tracks on the half-size stream and reports boxes in the main stream pixels, where the main-stream run puts them', async () => {
    const r = await compare(half);
    expect(r.boxes).toBeGreaterThanOrEqual(12);
    expect(r.found).toBeGreaterThanOrEqual(0.75); // 0.96 over the whole clip (26 s)
    expect(r.meanIou).toBeGreaterThan(0.85);
  });

  it('stretches an anamorphic 704x576 substream of the 16:9 camera back per axis: boxes land where the main-stream run puts them', async () => {
    const r = await compare(anamorphic);
    expect(r.boxes).toBeGreaterThanOrEqual(12);
    expect(r.found).toBeGreaterThanOrEqual(0.75);
    expect(r.meanIou).toBeGreaterThan(0.85);
  });

  it('refuses a substream of another shape, naming the camera and both sizes', async () => {
    await expect(analyzeSource(options(dataPath(CLIP), { detectUrl: strip }))).rejects.toThrow(
      /camera till: detect_url stream is 720x180 but the main stream is 768x432/,
    );
  });
});
