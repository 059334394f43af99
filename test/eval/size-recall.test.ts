import { describe, expect, it } from 'vitest';
import { bestF1Threshold, binLabels, poolRows, rates, sizeRecall } from '../../agent/src/eval/det/index.js';
import type { MotRow } from '../../agent/src/io/mot.js';

const box = (frame: number, x: number, y: number, w: number, h: number, conf = 1): MotRow => ({ frame, id: -1, x, y, w, h, conf });

describe('person recall by box height', () => {
  // Frame 1: a small person (50 px) found at 0.3, a tall one (300 px) found at 0.8, a false box at 0.6.
  // Frame 2: a tall one missed (the only detection is elsewhere).
  const gt = [box(1, 10, 10, 20, 50), box(1, 100, 10, 100, 300), box(2, 100, 10, 100, 300), box(3, 0, 0, 10, 100)];
  const det = [box(1, 12, 10, 20, 50, 0.3), box(1, 102, 12, 100, 300, 0.8), box(1, 400, 10, 60, 150, 0.6), box(2, 500, 10, 100, 300, 0.9)];

  it('counts each labelled box in its own height bin and each detection in its own, per threshold', () => {
    const [lo, hi] = sizeRecall(gt, det, { thresholds: [0.25, 0.5], frames: [1, 2], binEdges: [64, 256] });
    expect(binLabels([64, 256])).toEqual(['0-64', '64-256', '256+']);
    expect(lo!.bins.map((b) => [b.bin, b.gt, b.matchedGt, b.detections, b.truePositives])).toEqual([
      ['0-64', 1, 1, 1, 1],
      ['64-256', 0, 0, 1, 0],
      ['256+', 2, 1, 2, 1],
    ]);
    expect(rates(lo!.all)).toEqual({ recall: 2 / 3, precision: 2 / 4, f1: (2 * 2) / (3 + 4) });
    // At 0.5 the small person's detection is gone: recall by size says it is the small one lost.
    expect(hi!.bins[0]).toMatchObject({ gt: 1, matchedGt: 0, detections: 0 });
    expect(rates(hi!.bins[0]!).precision).toBeNaN();
    expect(hi!.bins[2]).toMatchObject({ gt: 2, matchedGt: 1 });
  });

  it('frames outside the labelled ones do not count (frame 3 has a label but was not sampled)', () => {
    const all = sizeRecall(gt, det, { thresholds: [0.25] })[0]!;
    const sampled = sizeRecall(gt, det, { thresholds: [0.25], frames: [1, 2] })[0]!;
    expect(all.all.gt).toBe(4);
    expect(sampled.all.gt).toBe(3);
  });

  it('one detection matches one person, the higher score first, at IoU >= 0.5 only', () => {
    const g = [box(1, 0, 0, 100, 200)];
    const d = [box(1, 0, 0, 100, 200, 0.6), box(1, 2, 2, 100, 200, 0.9), box(1, 60, 0, 100, 200, 0.95)];
    const [r] = sizeRecall(g, d, { thresholds: [0.1], binEdges: [1000] });
    expect(r!.all).toMatchObject({ gt: 1, matchedGt: 1, detections: 3, truePositives: 1 });
  });

  it('pools sequences by count and picks the best F1 threshold (the lower one on a tie)', () => {
    const a = sizeRecall(gt, det, { thresholds: [0.25, 0.5, 0.85], frames: [1, 2] });
    const pooled = poolRows([a, a]);
    expect(pooled[0]!.all.gt).toBe(2 * a[0]!.all.gt);
    // F1 at 0.25: 4/7; at 0.5: 2/5 (1 TP of 3 GT, 2 dets); at 0.85: 2/4 = 0.5 -> 0.25 wins.
    expect(bestF1Threshold(pooled)).toBe(0.25);
    expect(() => sizeRecall(gt, det, { thresholds: [0.5], binEdges: [100, 50] })).toThrow(/ascending/);
  });
});
