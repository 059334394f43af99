import { describe, expect, it } from 'vitest';
import type { Detections } from '../../agent/src/core/detections.js';
import { decodeYoloV8 } from '../../agent/src/detect/decode-yolov8.js';
import { decodeYoloNms } from '../../agent/src/detect/decode-yolo-nms.js';
import { decodeYolox, yoloxAnchorCount } from '../../agent/src/detect/decode-yolox.js';

interface Anchor {
  readonly cxcywh: readonly [number, number, number, number];
  readonly scores: readonly number[];
}

/** A [1, 4+C, N] YOLOv8 tensor, channel-major, from per-anchor values. */
function yolov8Tensor(numClasses: number, anchors: readonly Anchor[]): { data: Float32Array; dims: number[] } {
  const n = anchors.length;
  const data = new Float32Array((4 + numClasses) * n);
  anchors.forEach((a, k) => {
    a.cxcywh.forEach((v, r) => {
      data[r * n + k] = v;
    });
    a.scores.forEach((v, c) => {
      data[(4 + c) * n + k] = v;
    });
  });
  return { data, dims: [1, 4 + numClasses, n] };
}

const rows = (d: Detections) =>
  Array.from({ length: d.length }, (_, i) => ({
    box: Array.from(d.xyxy.subarray(i * 4, i * 4 + 4)).map((v) => Math.round(v * 1000) / 1000),
    score: Math.round(d.score[i]! * 1000) / 1000,
    cls: d.cls[i],
  }));

describe('decodeYoloV8 [1, 4+C, N]', () => {
  const A: Anchor = { cxcywh: [100, 50, 20, 10], scores: [0.9, 0.1, 0.2] };
  const B: Anchor = { cxcywh: [300, 200, 40, 80], scores: [0.3, 0.8, 0.1] };
  const LOW: Anchor = { cxcywh: [10, 10, 4, 4], scores: [0.1, 0.2, 0.24] };
  const EXACT: Anchor = { cxcywh: [0, 0, 2, 2], scores: [0.25, 0, 0] };
  const cases: Array<{ name: string; anchors: Anchor[]; conf: number; mask?: number[]; want: ReturnType<typeof rows> }> = [
    { name: 'no anchors', anchors: [], conf: 0.25, want: [] },
    { name: 'all below threshold', anchors: [LOW], conf: 0.25, want: [] },
    {
      name: 'cx,cy,w,h to xyxy; best class',
      anchors: [A, B],
      conf: 0.25,
      want: [
        { box: [90, 45, 110, 55], score: 0.9, cls: 0 },
        { box: [280, 160, 320, 240], score: 0.8, cls: 1 },
      ],
    },
    { name: 'score equal to threshold is kept', anchors: [EXACT], conf: 0.25, want: [{ box: [-1, -1, 1, 1], score: 0.25, cls: 0 }] },
    { name: 'class filter: person only', anchors: [A, B, LOW], conf: 0.25, mask: [1, 0, 0], want: [{ box: [90, 45, 110, 55], score: 0.9, cls: 0 }] },
    { name: 'class filter applies to the best class (B is class 1 although its person score passes)', anchors: [B], conf: 0.25, mask: [1, 0, 1], want: [] },
    {
      name: 'class filter keeps anchors whose best class is wanted',
      anchors: [A, B],
      conf: 0.25,
      mask: [0, 1, 0],
      want: [{ box: [280, 160, 320, 240], score: 0.8, cls: 1 }],
    },
    {
      name: 'threshold 0 keeps every anchor',
      anchors: [A, LOW],
      conf: 0,
      want: [
        { box: [90, 45, 110, 55], score: 0.9, cls: 0 },
        { box: [8, 8, 12, 12], score: 0.24, cls: 2 },
      ],
    },
  ];
  it.each(cases)('$name', ({ anchors, conf, mask, want }) => {
    const t = yolov8Tensor(3, anchors);
    const out = decodeYoloV8(t.data, t.dims, { confThreshold: conf, classMask: mask ? Uint8Array.from(mask) : undefined });
    expect(rows(out)).toEqual(want);
  });

  it('the class-filtered path equals filtering the unfiltered output', () => {
    // 500 anchors, 6 classes, pseudo-random scores: filtering inside the decoder must agree.
    const n = 500;
    const anchors: Anchor[] = Array.from({ length: n }, (_, k) => ({
      cxcywh: [k, k / 2, 10 + (k % 7), 20 + (k % 5)],
      scores: Array.from({ length: 6 }, (_, c) => (((k + 1) * (c + 3) * 2654435761) % 1000) / 1000),
    }));
    const t = yolov8Tensor(6, anchors);
    const all = decodeYoloV8(t.data, t.dims, { confThreshold: 0.6 });
    for (const mask of [
      [1, 1, 1, 1, 1, 1],
      [1, 0, 0, 0, 0, 0],
      [0, 1, 0, 1, 0, 0],
    ]) {
      const got = rows(decodeYoloV8(t.data, t.dims, { confThreshold: 0.6, classMask: Uint8Array.from(mask) }));
      expect(got).toEqual(rows(all).filter((r) => mask[r.cls!] === 1));
      expect(got.length).toBeGreaterThan(0);
    }
  });

  const bad: Array<[string, number[], number, number | undefined, RegExp]> = [
    ['two dims', [84, 8400], 84 * 8400, undefined, /\[1, 4\+C, N\], got \[84, 8400\]/],
    ['batch 2', [2, 84, 10], 2 * 84 * 10, undefined, /got \[2, 84, 10\]/],
    ['no class rows', [1, 4, 10], 40, undefined, /got \[1, 4, 10\]/],
    ['data shorter than dims', [1, 7, 10], 69, undefined, /69 values/],
    ['class list of another size', [1, 7, 10], 70, 80, /3 classes, the class list has 80/],
  ];
  it.each(bad)('rejects %s', (_n, dims, len, maskLen, msg) => {
    const run = () => decodeYoloV8(new Float32Array(len), dims, { confThreshold: 0.25, classMask: maskLen ? new Uint8Array(maskLen) : undefined });
    expect(run).toThrow(expect.objectContaining({ code: 'FS_MODEL_UNSUPPORTED', message: expect.stringMatching(msg) }));
  });
});

describe('decodeYoloNms [1, N, 6]', () => {
  const t = (...r: number[][]) => ({ data: Float32Array.from(r.flat()), dims: [1, r.length, 6] });
  const cases: Array<{ name: string; t: ReturnType<typeof t>; conf: number; mask?: number[]; want: ReturnType<typeof rows> }> = [
    { name: 'no rows', t: t(), conf: 0.25, want: [] },
    {
      name: 'zero padding dropped',
      t: t([1, 2, 3, 4, 0.9, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]),
      conf: 0.25,
      want: [{ box: [1, 2, 3, 4], score: 0.9, cls: 0 }],
    },
    { name: 'threshold', t: t([1, 2, 3, 4, 0.2, 0], [5, 6, 7, 8, 0.25, 2]), conf: 0.25, want: [{ box: [5, 6, 7, 8], score: 0.25, cls: 2 }] },
    { name: 'class filter', t: t([1, 2, 3, 4, 0.9, 0], [5, 6, 7, 8, 0.8, 2]), conf: 0.25, mask: [0, 0, 1], want: [{ box: [5, 6, 7, 8], score: 0.8, cls: 2 }] },
    { name: 'class index beyond the list is dropped by a filter', t: t([1, 2, 3, 4, 0.9, 7]), conf: 0.25, mask: [1, 1, 1], want: [] },
  ];
  it.each(cases)('$name', ({ t: tensor, conf, mask, want }) => {
    const out = decodeYoloNms(tensor.data, tensor.dims, { confThreshold: conf, classMask: mask ? Uint8Array.from(mask) : undefined });
    expect(rows(out)).toEqual(want);
  });
  it('rejects [1, N, 7]', () => {
    expect(() => decodeYoloNms(new Float32Array(14), [1, 2, 7], { confThreshold: 0.25 })).toThrow(expect.objectContaining({ code: 'FS_MODEL_UNSUPPORTED' }));
  });
});

describe('decodeYolox [1, A, 5+C]', () => {
  // 32x32 input, strides 8/16/32: grids 4x4 + 2x2 + 1x1 = 21 anchors, 2 classes.
  const g = { inputWidth: 32, inputHeight: 32, strides: [8, 16, 32] };
  const tensor = (set: Record<number, number[]>) => {
    const data = new Float32Array(21 * 7);
    for (const [a, v] of Object.entries(set)) data.set(v, Number(a) * 7);
    return data;
  };
  it('counts anchors', () => expect(yoloxAnchorCount(g)).toBe(21));
  it('decodes grid offsets, strides, exp sizes and obj*cls', () => {
    // Anchor 17 = stride 16 grid, cell (gx 1, gy 0). Anchor 20 = stride 32, cell (0, 0).
    const data = tensor({ 17: [0.5, 0.5, 0, Math.log(2), 0.8, 0.5, 0.9], 20: [0.5, 0.5, 0, 0, 0.3, 0.5, 0.1], 3: [0, 0, 0, 0, 0.2, 0.9, 0.9] });
    const out = decodeYolox(data, [1, 21, 7], g, { confThreshold: 0.1 });
    // Anchors come out in grid order: 3 (stride 8, cell 3,0; class tie goes to the first), 17, 20.
    expect(rows(out)).toEqual([
      { box: [20, -4, 28, 4], score: 0.18, cls: 0 },
      { box: [16, -8, 32, 24], score: 0.72, cls: 1 },
      { box: [0, 0, 32, 32], score: 0.15, cls: 0 },
    ]);
  });
  it('applies the class filter and the threshold to obj*cls', () => {
    const data = tensor({ 17: [0.5, 0.5, 0, Math.log(2), 0.8, 0.5, 0.9] });
    expect(decodeYolox(data, [1, 21, 7], g, { confThreshold: 0.1, classMask: Uint8Array.from([1, 0]) }).length).toBe(0); // best class is 1
    expect(rows(decodeYolox(data, [1, 21, 7], g, { confThreshold: 0.1, classMask: Uint8Array.from([0, 1]) }))).toEqual([
      { box: [16, -8, 32, 24], score: 0.72, cls: 1 },
    ]);
    expect(decodeYolox(data, [1, 21, 7], g, { confThreshold: 0.75 }).length).toBe(0);
  });
  it('rejects an anchor count that does not fit the input size', () => {
    expect(() => decodeYolox(new Float32Array(20 * 7), [1, 20, 7], g, { confThreshold: 0.1 })).toThrow(
      expect.objectContaining({ code: 'FS_MODEL_UNSUPPORTED', message: expect.stringContaining('[1, 21, 5+C]') }),
    );
  });
});
