/** Region forming, tiling, crop geometry and merging (pipeline/regions.ts): pure, milliseconds. */
import { describe, expect, it } from 'vitest';
import { detectionsFromList, unletterbox } from '../../agent/src/core/detections.js';
import { letterboxFor } from '../../agent/src/core/frame.js';
import { changedGroups, cropInto, cropLetterbox, mergeCrops, planRegions, squareAround, tileRects } from '../../agent/src/pipeline/regions.js';

const HD = { width: 1920, height: 1080 };
const OPTS = { minSide: 640, pad: 0.25, maxRegions: 2, maxCover: 0.5 };

function mask(cols: number, rows: number, on: Array<[number, number]>): Uint8Array {
  const m = new Uint8Array(cols * rows);
  for (const [x, y] of on) m[y * cols + x] = 1;
  return m;
}

describe('changedGroups', () => {
  it('joins 8-connected blocks and keeps separate groups apart, in frame pixels', () => {
    // 96x96 grid over 1920x1080: a block is 20 x 11.25 px.
    const g = changedGroups(
      mask(96, 96, [
        [10, 10],
        [11, 11],
        [12, 11],
        [80, 90],
      ]),
      96,
      96,
      HD,
    );
    expect(g).toEqual([
      { x: 200, y: 112, w: 60, h: 23 },
      { x: 1600, y: 1012, w: 20, h: 12 },
    ]);
  });
  it('refuses a mask of the wrong size', () => {
    expect(() => changedGroups(new Uint8Array(10), 96, 96, HD)).toThrow(/mask has 10 blocks, the grid 96x96/);
  });
});

describe('planRegions', () => {
  it('pads a small group to a square of at least the model size, inside the frame', () => {
    const plan = planRegions([{ x: 1900, y: 10, w: 20, h: 40 }], [], HD, OPTS);
    expect(plan).toEqual({ kind: 'regions', rects: [{ x: 1280, y: 0, w: 640, h: 640 }] });
  });
  it('pads a large group by its side', () => {
    expect(squareAround({ x: 800, y: 300, w: 200, h: 600 }, HD, 640, 0.25)).toEqual({ x: 450, y: 150, w: 900, h: 900 });
  });
  it('merges overlapping regions into one square', () => {
    const plan = planRegions(
      [
        { x: 400, y: 400, w: 40, h: 80 },
        { x: 700, y: 420, w: 40, h: 80 },
      ],
      [],
      HD,
      OPTS,
    );
    expect(plan.kind).toBe('regions');
    if (plan.kind !== 'regions') return;
    expect(plan.rects).toHaveLength(1);
    const r = plan.rects[0]!;
    expect(r.w).toBe(r.h);
    for (const g of [
      { x: 400, y: 400, w: 40, h: 80 },
      { x: 700, y: 420, w: 40, h: 80 },
    ]) {
      expect(g.x >= r.x && g.y >= r.y && g.x + g.w <= r.x + r.w && g.y + g.h <= r.y + r.h).toBe(true);
    }
  });
  it('grows a region to take in a known person it cuts, so the person is not split', () => {
    const person = { x: 1000, y: 300, w: 120, h: 400 }; // reaches past the square around the motion
    const plan = planRegions([{ x: 700, y: 480, w: 20, h: 20 }], [person], HD, OPTS);
    expect(plan.kind).toBe('regions');
    if (plan.kind !== 'regions') return;
    const r = plan.rects[0]!;
    expect(person.x >= r.x && person.x + person.w <= r.x + r.w && person.y >= r.y && person.y + person.h <= r.y + r.h).toBe(true);
  });
  it('keeps far-apart regions separate, and falls back to a full frame when there are too many', () => {
    const three = [
      { x: 100, y: 100, w: 20, h: 20 },
      { x: 1800, y: 100, w: 20, h: 20 },
      { x: 900, y: 1000, w: 20, h: 20 },
    ];
    const small = { ...OPTS, minSide: 320 };
    expect(planRegions(three.slice(0, 2), [], HD, small)).toMatchObject({ kind: 'regions', rects: [{}, {}] });
    expect(planRegions(three, [], HD, small)).toEqual({ kind: 'full', why: 'count' });
    expect(planRegions(three, [], HD, { ...small, maxRegions: 3 })).toMatchObject({ kind: 'regions', rects: [{}, {}, {}] });
  });
  it('takes a full-frame pass when the regions would cover most of the frame', () => {
    // 768x432: a model-size region (432 square) is already 56 % of the frame.
    expect(planRegions([{ x: 300, y: 200, w: 10, h: 10 }], [], { width: 768, height: 432 }, { ...OPTS, minSide: 432 })).toEqual({ kind: 'full', why: 'cover' });
    expect(planRegions([{ x: 100, y: 100, w: 900, h: 700 }], [], HD, OPTS)).toEqual({ kind: 'full', why: 'cover' });
  });
});

describe('tileRects', () => {
  it.each([
    [
      2,
      1,
      0.15,
      [
        { x: 0, y: 0, w: 1038, h: 1080 },
        { x: 882, y: 0, w: 1038, h: 1080 },
      ],
    ],
    [1, 1, 0.2, [{ x: 0, y: 0, w: 1920, h: 1080 }]],
  ])('%ix%i tiles, overlap %f', (cols, rows, overlap, want) => {
    expect(tileRects(HD, cols, rows, overlap)).toEqual(want);
  });
  it('covers the frame with the stated overlap', () => {
    const t = tileRects(HD, 3, 2, 0.2);
    expect(t).toHaveLength(6);
    expect(Math.max(...t.map((r) => r.x + r.w))).toBe(1920);
    expect(Math.max(...t.map((r) => r.y + r.h))).toBe(1080);
    expect(t[0]!.x + t[0]!.w - t[1]!.x).toBeGreaterThanOrEqual(Math.floor(0.2 * t[0]!.w));
  });
});

describe('cropLetterbox: boxes of a crop back to source pixels', () => {
  it.each([
    { name: 'native frame, square crop', frameLb: letterboxFor(1920, 1080, 1920, 1080), crop: { x: 1000, y: 200, w: 640, h: 640 } },
    { name: 'native frame, tall crop', frameLb: letterboxFor(1920, 1080, 1920, 1080), crop: { x: 0, y: 0, w: 1044, h: 1080 } },
    // A frame that is itself a scaled picture (a substream letterboxed onto its main stream).
    { name: 'scaled frame', frameLb: { ...letterboxFor(1920, 1080, 960, 540) }, crop: { x: 100, y: 50, w: 300, h: 200 } },
  ])('$name', ({ frameLb, crop }) => {
    const lb = cropLetterbox(frameLb, crop, { width: 640, height: 640 });
    const fit = letterboxFor(crop.w, crop.h, 640, 640);
    // A box at crop-local frame pixels (10..110, 20..220) in model pixels:
    const m = [10, 20, 110, 220].map((v, k) => v * fit.scale + (k % 2 === 0 ? fit.padX : fit.padY));
    const back = unletterbox(detectionsFromList([{ box: m as [number, number, number, number], score: 0.9 }]), lb);
    const wantFrame = [crop.x + 10, crop.y + 20, crop.x + 110, crop.y + 220];
    const wantSrc = wantFrame.map((v, k) => (v - (k % 2 === 0 ? frameLb.padX : frameLb.padY)) / frameLb.scale);
    for (let k = 0; k < 4; k++) expect(back.xyxy[k]).toBeCloseTo(wantSrc[k]!, 3);
  });
});

describe('cropInto', () => {
  const W = 64;
  const H = 32;
  const frame = { width: W, height: H, data: new Uint8Array(W * H * 3) };
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) frame.data.set([x * 4, y * 8, 77], (y * W + x) * 3);
  it('copies a crop 1:1 when it is the model size, and letterboxes the rest grey', () => {
    const out = cropInto(frame, { x: 8, y: 4, w: 16, h: 8 }, { width: 16, height: 16 }, new Uint8Array(16 * 16 * 3));
    // fitted 16x8 into 16x16: 4 rows of grey above
    expect([...out.subarray(0, 3)]).toEqual([114, 114, 114]);
    const at = (x: number, y: number) => [...out.subarray((y * 16 + x) * 3, (y * 16 + x) * 3 + 3)];
    expect(at(0, 4)).toEqual([32, 32, 77]);
    expect(at(15, 11)).toEqual([92, 88, 77]);
  });
  it('averages the footprint when shrinking', () => {
    const out = cropInto(frame, { x: 0, y: 0, w: 64, h: 32 }, { width: 32, height: 32 }, new Uint8Array(32 * 32 * 3));
    // 2x shrink: output (0, 8) is the mean of source x 0..1, y 0..1 -> R 2, G 4
    expect([...out.subarray(8 * 32 * 3, 8 * 32 * 3 + 3)]).toEqual([2, 4, 77]);
  });
  it('refuses a crop outside the frame', () => {
    expect(() => cropInto(frame, { x: 60, y: 0, w: 10, h: 10 }, { width: 16, height: 16 }, new Uint8Array(16 * 16 * 3))).toThrow(
      /crop 10x10\+60\+0 is outside the 64x32 frame/,
    );
  });
});

describe('mergeCrops', () => {
  const pic = HD;
  it('keeps one box of a person seen whole by two overlapping crops', () => {
    const a = detectionsFromList([{ box: [900, 300, 980, 500], score: 0.8 }]);
    const b = detectionsFromList([{ box: [902, 301, 981, 498], score: 0.7 }]);
    const m = mergeCrops(
      [
        { dets: a, bounds: [0, 0, 1044, 1080] },
        { dets: b, bounds: [876, 0, 1920, 1080] },
      ],
      pic,
      0.45,
    );
    expect(m.length).toBe(1);
    expect(m.score[0]).toBeCloseTo(0.8);
  });
  it('drops a box cut by an inner crop edge when a whole box covers it, even with the higher score', () => {
    const whole = detectionsFromList([{ box: [1000, 300, 1100, 600], score: 0.6 }]);
    const cut = detectionsFromList([{ box: [1000, 300, 1044, 450], score: 0.9 }]); // touches x = 1044, the crop's inner edge
    const m = mergeCrops(
      [
        { dets: cut, bounds: [0, 0, 1044, 1080] },
        { dets: whole, bounds: null },
      ],
      pic,
      0.45,
    );
    expect(m.length).toBe(1);
    expect([...m.xyxy]).toEqual([1000, 300, 1100, 600]);
  });
  it('keeps a box on the picture edge and separate people', () => {
    const a = detectionsFromList([
      { box: [0, 300, 40, 500], score: 0.7 },
      { box: [500, 300, 560, 500], score: 0.8 },
    ]);
    const b = detectionsFromList([{ box: [10, 310, 45, 505], score: 0.5 }]);
    expect(
      mergeCrops(
        [
          { dets: a, bounds: [0, 0, 1044, 1080] },
          { dets: b, bounds: null },
        ],
        pic,
        0.45,
      ).length,
    ).toBe(2);
  });
});
