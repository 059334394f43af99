/**
 * ReID on real pixels: OSNet from ../shared/data/models on two frames of the checkout clip,
 * grabbed with real ffmpeg. The three people (customer with basket, elderly customer, cashier)
 * were boxed by hand on the frames at 5 s and 15 s (source pixels, 768x432).
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { letterboxFor, type Frame } from '../../agent/src/core/frame.js';
import { detectionsFromList } from '../../agent/src/core/detections.js';
import { cropBatch, cropBatchInto, IMAGENET_MEAN, IMAGENET_STD, REID_CROP, sourceBoxToFrame } from '../../agent/src/track/crop.js';
import { dot } from '../../agent/src/track/distances.js';
import type { Xyxy } from '../../agent/src/track/geometry.js';
import { openReid, type ReidEmbedder } from '../../agent/src/track/reid.js';
import { dataPath, haveData } from '../helpers/shared-data.js';

const CLIP = 'video/checkout_counter_cashier.mp4';
const MODEL = 'models/osnet_x0_25_msmt17.onnx';
const W = 768;
const H = 432;

const PEOPLE: Record<'basket' | 'elderly' | 'cashier', { at5: Xyxy; at15: Xyxy }> = {
  basket: { at5: [112, 158, 182, 330], at15: [118, 142, 195, 372] },
  elderly: { at5: [232, 108, 345, 432], at15: [235, 118, 370, 432] },
  cashier: { at5: [598, 150, 680, 280], at15: [555, 145, 645, 280] },
};

/** One frame at `sec`, native size or letterboxed into size x size (grey 114, centred). */
function grab(sec: number, letterboxTo?: number): Frame {
  const lb = letterboxTo ? letterboxFor(W, H, letterboxTo, letterboxTo) : letterboxFor(W, H, W, H);
  const sw = Math.round((W * lb.scale) / 2) * 2;
  const sh = Math.round((H * lb.scale) / 2) * 2;
  const vf = letterboxTo ? ['-vf', `scale=${sw}:${sh},pad=${lb.dstWidth}:${lb.dstHeight}:${lb.padX}:${lb.padY}:color=0x727272`] : [];
  const data = execFileSync(
    'ffmpeg',
    ['-v', 'error', '-ss', String(sec), '-i', dataPath(CLIP), '-frames:v', '1', ...vf, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    { maxBuffer: 1 << 24 },
  );
  return {
    sourceId: 'checkout',
    index: Math.round(sec * 25),
    ptsSec: sec,
    timestampMs: sec * 1000,
    width: lb.dstWidth,
    height: lb.dstHeight,
    data: new Uint8Array(data),
    letterbox: lb,
  };
}

/** The bilinear crop written the plain way, one channel at a time, as cropBatch was before its loop was unrolled: it must equal it bit for bit. */
function referenceCrop(frame: Frame, boxes: readonly Xyxy[], cw: number, ch: number): Float32Array {
  const { width: fw, height: fh, data } = frame;
  const plane = cw * ch;
  const out = new Float32Array(boxes.length * 3 * plane);
  const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : Math.min(v, hi));
  boxes.forEach((src, n) => {
    const box = sourceBoxToFrame(src, frame.letterbox);
    const bw = Math.max(box[2] - box[0], 1);
    const bh = Math.max(box[3] - box[1], 1);
    for (let oy = 0; oy < ch; oy++) {
      const sy = clamp(box[1] + ((oy + 0.5) * bh) / ch - 0.5, 0, fh - 1);
      const y0 = Math.floor(sy);
      const y1 = Math.min(y0 + 1, fh - 1);
      const wy = sy - y0;
      for (let ox = 0; ox < cw; ox++) {
        const sx = clamp(box[0] + ((ox + 0.5) * bw) / cw - 0.5, 0, fw - 1);
        const x0 = Math.floor(sx);
        const x1 = Math.min(x0 + 1, fw - 1);
        const wx = Math.fround(sx - x0);
        for (let c = 0; c < 3; c++) {
          const px = (y: number, x: number) => data[(y * fw + x) * 3 + c]!;
          const top = px(y0, x0) + (px(y0, x1) - px(y0, x0)) * wx;
          const bot = px(y1, x0) + (px(y1, x1) - px(y1, x0)) * wx;
          // value = pixel * a + b with a = 1 / (255 std), b = -mean / std: (pixel / 255 - mean) / std.
          out[n * 3 * plane + c * plane + oy * cw + ox] = (top + (bot - top) * wy) * (1 / (255 * IMAGENET_STD[c]!)) + -IMAGENET_MEAN[c]! / IMAGENET_STD[c]!;
        }
      }
    }
  });
  return out;
}

describe('crops (pure)', () => {
  const tiny: Frame = {
    sourceId: 't',
    index: 0,
    ptsSec: 0,
    timestampMs: 0,
    width: 4,
    height: 2,
    // Left half pure red, right half pure blue.
    data: Uint8Array.from([255, 0, 0, 255, 0, 0, 0, 0, 255, 0, 0, 255, 255, 0, 0, 255, 0, 0, 0, 0, 255, 0, 0, 255]),
    letterbox: letterboxFor(4, 2, 4, 2),
  };
  it('normalises with ImageNet mean/std, RGB, channels first', () => {
    const t = cropBatch(tiny, [[0, 0, 2, 2]], { width: 2, height: 2 });
    expect(t.length).toBe(12);
    expect(t[0]).toBeCloseTo((1 - 0.485) / 0.229, 4); // R plane
    expect(t[4]).toBeCloseTo((0 - 0.456) / 0.224, 4); // G plane
    expect(t[8]).toBeCloseTo((0 - 0.406) / 0.225, 4); // B plane
    const right = cropBatch(tiny, [[2, 0, 4, 2]], { width: 2, height: 2 });
    expect(right[8]).toBeCloseTo((1 - 0.406) / 0.225, 4);
  });
  it('maps source boxes into letterboxed frame pixels', () => {
    const lb = letterboxFor(768, 432, 640, 640);
    expect(sourceBoxToFrame([0, 0, 768, 432], lb)).toEqual([0, 140, 640, 500]);
  });
  it('rejects a frame whose buffer does not match its size', () => {
    expect(() => cropBatch({ ...tiny, width: 5 }, [[0, 0, 1, 1]])).toThrow(/expected 5x2x3/);
  });
});

describe.skipIf(!haveData(CLIP, MODEL))('OSNet embeddings on a real clip', () => {
  let reid: ReidEmbedder;
  let f5: Frame;
  let f15: Frame;
  beforeAll(async () => {
    reid = await openReid(dataPath(MODEL), { threads: 1 });
    f5 = grab(5);
    f15 = grab(15);
  });
  afterAll(async () => reid?.release());

  it('the same person, 10 s apart, is closer than anyone else', async () => {
    const names = Object.keys(PEOPLE) as (keyof typeof PEOPLE)[];
    const a = await reid.embed(
      f5,
      names.map((n) => PEOPLE[n].at5),
    );
    const b = await reid.embed(
      f15,
      names.map((n) => PEOPLE[n].at15),
    );
    expect(reid.dim).toBe(512);
    for (const e of [...a, ...b]) expect(dot(e, e)).toBeCloseTo(1, 4);
    names.forEach((_n, i) => {
      const same = 1 - dot(a[i]!, b[i]!);
      const others = names.flatMap((_m, j) => (j === i ? [] : [1 - dot(a[i]!, b[j]!), 1 - dot(a[j]!, b[i]!)]));
      expect(same).toBeLessThan(Math.min(...others));
    });
    const s = reid.stats();
    expect(s.embeddings).toBe(6);
    expect(s.msPerEmbedding).toBeGreaterThan(0);
  });

  it('crops a real frame into a reused buffer as the plain per-channel bilinear formula does', () => {
    const lb = grab(5, 640);
    const boxes = [PEOPLE.basket.at5, PEOPLE.elderly.at5, PEOPLE.cashier.at5, [-20, 400, 60, 460] as Xyxy];
    const want = referenceCrop(lb, boxes, 128, 256);
    const out = new Float32Array(want.length).fill(Number.NaN); // dirty, as a lent buffer is: every value must be written
    expect(cropBatchInto(lb, boxes, REID_CROP, out)).toBe(out);
    // Bit for bit: the unrolled loop changed how the work is laid out, not one rounding.
    expect(Buffer.from(out.buffer).equals(Buffer.from(want.buffer))).toBe(true);
    expect(Array.from(cropBatch(lb, boxes))).toEqual(Array.from(out));
    expect(() => cropBatchInto(lb, boxes, REID_CROP, new Float32Array(10))).toThrow(/output has 10 floats, expected 4 x 3 x 256 x 128/);
  });

  it('a letterboxed frame gives the same embeddings as the native one', async () => {
    const boxes = [PEOPLE.elderly.at5, PEOPLE.basket.at5];
    const native = await reid.embed(f5, boxes);
    const boxed = await reid.embed(grab(5, 640), boxes);
    for (const [i, e] of native.entries()) expect(dot(e, boxed[i]!)).toBeGreaterThan(0.9);
  });

  it("two sessions run two cameras' batches at once and give the one-session vectors", async () => {
    const pool = await openReid(dataPath(MODEL), { threads: 1, sessions: 2 });
    try {
      const boxes5 = [PEOPLE.basket.at5, PEOPLE.cashier.at5];
      const boxes15 = [PEOPLE.elderly.at15, PEOPLE.basket.at15, PEOPLE.cashier.at15];
      // Four batches in flight over two sessions (two each, queued in its worker): none is lost or mixed up.
      const [a, b, c, d] = await Promise.all([pool.embed(f5, boxes5), pool.embed(f15, boxes15), pool.embed(f15, boxes15), pool.embed(f5, boxes5)]);
      const want5 = await reid.embed(f5, boxes5);
      const want15 = await reid.embed(f15, boxes15);
      for (const [got, want] of [
        [a, want5],
        [d, want5],
        [b, want15],
        [c, want15],
      ] as const) {
        expect(got.length).toBe(want.length);
        for (const [i, e] of got.entries()) expect(dot(e, want[i]!)).toBeCloseTo(1, 5);
      }
      expect(pool.stats()).toMatchObject({ embeddings: 10, batches: 4 });
    } finally {
      await pool.release();
    }
    await expect(openReid(dataPath(MODEL), { sessions: 0 })).rejects.toThrow(/sessions 0 must be an integer >= 1/);
  });

  it("plugs into the tracker as an EmbedFn over the update's detections", async () => {
    const dets = detectionsFromList([
      { box: PEOPLE.cashier.at5, score: 0.9 },
      { box: PEOPLE.basket.at5, score: 0.9 },
    ]);
    const [cashier] = await reid.embedFnFor(f5, dets)([0]);
    const [direct] = await reid.embed(f5, [PEOPLE.cashier.at5]);
    expect(cashier!.length).toBe(512);
    expect(dot(cashier!, direct!)).toBeCloseTo(1, 5);
    expect(REID_CROP).toEqual({ width: 128, height: 256 });
  });
});
