import { describe, expect, it } from 'vitest';
import { detectionsFromList, EMPTY_DETECTIONS } from '../../agent/src/core/detections.js';
import { iouAt, nms, nmsIndices } from '../../agent/src/detect/nms.js';

type Box = readonly [number, number, number, number];
const d = (...items: Array<[Box, number, number?]>) => detectionsFromList(items.map(([box, score, cls]) => ({ box, score, cls: cls ?? 0 })));

describe('iouAt', () => {
  const cases: Array<[string, Box, Box, number]> = [
    ['identical', [0, 0, 10, 10], [0, 0, 10, 10], 1],
    ['half overlap', [0, 0, 10, 10], [5, 0, 15, 10], 50 / 150],
    ['touching edges', [0, 0, 10, 10], [10, 0, 20, 10], 0],
    ['disjoint', [0, 0, 10, 10], [20, 20, 30, 30], 0],
    ['contained', [0, 0, 10, 10], [2, 2, 7, 7], 25 / 100],
    ['zero area', [5, 5, 5, 5], [0, 0, 10, 10], 0],
  ];
  it.each(cases)('%s', (_n, a, b, want) => {
    const x = d([a, 1], [b, 1]);
    expect(iouAt(x.xyxy, 0, x.xyxy, 1)).toBeCloseTo(want, 6);
    expect(iouAt(x.xyxy, 1, x.xyxy, 0)).toBeCloseTo(want, 6);
  });
});

describe('nms', () => {
  // A and B overlap with IoU 0.81 (9x10 of 10x10 each: 90 / 110 = 0.818); C is far away.
  const A: Box = [0, 0, 10, 10];
  const B: Box = [1, 0, 11, 10];
  const C: Box = [100, 100, 120, 140];
  const cases: Array<{ name: string; dets: ReturnType<typeof d>; iou: number; classAware?: boolean; max?: number; keep: number[] }> = [
    { name: 'empty input', dets: EMPTY_DETECTIONS, iou: 0.5, keep: [] },
    { name: 'single box', dets: d([A, 0.3]), iou: 0.5, keep: [0] },
    { name: 'overlap suppressed, best kept', dets: d([A, 0.6], [B, 0.9], [C, 0.5]), iou: 0.5, keep: [1, 2] },
    { name: 'threshold above the overlap keeps both', dets: d([A, 0.6], [B, 0.9]), iou: 0.85, keep: [1, 0] },
    { name: 'IoU equal to threshold is kept (suppress only above)', dets: d([[0, 0, 10, 10], 0.9], [[5, 0, 15, 10], 0.8]), iou: 1 / 3 + 1e-7, keep: [0, 1] },
    { name: 'class-aware: other class not suppressed', dets: d([A, 0.9, 0], [B, 0.8, 1]), iou: 0.5, keep: [0, 1] },
    { name: 'class-agnostic: other class suppressed', dets: d([A, 0.9, 0], [B, 0.8, 1]), iou: 0.5, classAware: false, keep: [0] },
    { name: 'sorted by score, ties in input order', dets: d([C, 0.5], [A, 0.7], [[200, 0, 210, 10], 0.5]), iou: 0.5, keep: [1, 0, 2] },
    { name: 'maxDetections caps the best', dets: d([C, 0.5], [A, 0.7], [[200, 0, 210, 10], 0.6]), iou: 0.5, max: 2, keep: [1, 2] },
    {
      // A suppresses B; B would suppress D but is gone; D overlaps A by less than the threshold.
      name: 'suppressed box suppresses nothing',
      dets: d([[0, 0, 10, 10], 0.9], [[3, 0, 13, 10], 0.8], [[6, 0, 16, 10], 0.7]),
      iou: 0.5,
      keep: [0, 2],
    },
    { name: 'iou 0 suppresses any overlap', dets: d([A, 0.9], [[9, 9, 20, 20], 0.8], [C, 0.1]), iou: 0, keep: [0, 2] },
  ];
  it.each(cases)('$name', ({ dets, iou, classAware, max, keep }) => {
    const opts = { ...(classAware === undefined ? {} : { classAware }), ...(max === undefined ? {} : { maxDetections: max }) };
    expect(Array.from(nmsIndices(dets, iou, opts))).toEqual(keep);
    const out = nms(dets, iou, opts);
    expect(out.length).toBe(keep.length);
    expect(Array.from(out.score)).toEqual(keep.map((i) => dets.score[i]));
    expect(Array.from(out.cls)).toEqual(keep.map((i) => dets.cls[i]));
    expect(Array.from(out.xyxy)).toEqual(keep.flatMap((i) => Array.from(dets.xyxy.subarray(i * 4, i * 4 + 4))));
  });

  it.each([[-0.1], [1.5], [Number.NaN]])('rejects iou threshold %s', (iou) => {
    expect(() => nms(d([A, 1]), iou)).toThrow(expect.objectContaining({ code: 'FS_BAD_ARGUMENT', message: expect.stringContaining(String(iou)) }));
  });

  it('keeps the NMS invariants on a few thousand overlapping candidates, quickly', () => {
    // A 60x60 grid of heavily overlapping boxes in two classes: the quadratic worst case.
    const items = [];
    for (let i = 0; i < 3600; i++) {
      const x = (i % 60) * 2;
      const y = Math.floor(i / 60) * 2;
      items.push({ box: [x, y, x + 20, y + 20] as const, score: ((i * 7919) % 1000) / 1000, cls: i % 2 });
    }
    const dets = detectionsFromList(items);
    const t0 = performance.now();
    const keep = Array.from(nmsIndices(dets, 0.45));
    const ms = performance.now() - t0;
    const kept = new Set(keep);
    // 1. No two kept boxes of one class overlap above the threshold.
    for (const i of keep) for (const j of keep) if (i < j && dets.cls[i] === dets.cls[j]) expect(iouAt(dets.xyxy, i, dets.xyxy, j)).toBeLessThanOrEqual(0.45);
    // 2. Every dropped box overlaps a kept, better-or-equal box of its class above the threshold.
    for (let j = 0; j < dets.length; j++) {
      if (kept.has(j)) continue;
      expect(keep.some((i) => dets.cls[i] === dets.cls[j] && dets.score[i]! >= dets.score[j]! && iouAt(dets.xyxy, i, dets.xyxy, j) > 0.45)).toBe(true);
    }
    // 3. Best first.
    for (let k = 1; k < keep.length; k++) expect(dets.score[keep[k]!]!).toBeLessThanOrEqual(dets.score[keep[k - 1]!]!);
    expect(keep.length).toBeGreaterThan(2);
    expect(ms).toBeLessThan(2000);
  });
});
