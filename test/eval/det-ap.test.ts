/** COCO-style AP on hand-made cases whose answers are worked out in the comments. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  evaluateDetections,
  labelToXyxy,
  parseYoloLabels,
  readYoloLabelFile,
  IOU_THRESHOLDS,
  RECALL_POINTS,
  type GtBox,
  type PredBox,
  type Xyxy,
} from '../../agent/src/eval/det/index.js';

const A: Xyxy = [0, 0, 100, 100];
const B: Xyxy = [200, 0, 300, 100];
const C: Xyxy = [400, 0, 500, 100];
const FAR: Xyxy = [600, 600, 650, 650];
const g = (box: Xyxy, cls = 0, image = 'img1'): GtBox => ({ image, cls, box });
const p = (box: Xyxy, score: number, cls = 0, image = 'img1'): PredBox => ({ image, cls, box, score });

describe('evaluateDetections: AP', () => {
  it('grids match numpy linspace', () => {
    expect(IOU_THRESHOLDS.length).toBe(10);
    expect(IOU_THRESHOLDS[0]).toBe(0.5);
    expect(IOU_THRESHOLDS[9]).toBe(0.95);
    expect(RECALL_POINTS.length).toBe(101);
    expect(RECALL_POINTS[50]).toBe(0.5);
  });

  it.each<[string, GtBox[], PredBox[], number, number]>([
    // Every object found exactly, nothing else: 1 at every threshold.
    ['perfect', [g(A), g(B), g(A, 0, 'img2')], [p(A, 0.9), p(B, 0.8), p(A, 0.7, 0, 'img2')], 1, 1],
    // FP first: precision 0, 1/2, 2/3 at recall 0, 1/2, 1 -> interpolated 2/3 everywhere.
    ['one FP above all TPs', [g(A), g(B)], [p(FAR, 0.9), p(A, 0.8), p(B, 0.7)], 2 / 3, 2 / 3],
    // Recall stops at 1/2: recall points 0.00..0.50 (51 of 101) have precision 1.
    ['a miss', [g(A), g(B)], [p(A, 0.9)], 51 / 101, 51 / 101],
    // A duplicate below its TP is an FP that costs nothing: precision stays 1 up to recall 1.
    ['duplicate after the TP', [g(A)], [p(A, 0.9), p(A, 0.8)], 1, 1],
    // Duplicate between two TPs: precision 1 to recall 1/2 (51 points), then 2/3 (50 points).
    ['duplicate between TPs', [g(A), g(B)], [p(A, 0.9), p(A, 0.8), p(B, 0.7)], (51 + 50 * (2 / 3)) / 101, (51 + 50 * (2 / 3)) / 101],
    // TP FP TP FP TP over 3 objects: envelope 1 (recall <= 1/3: 34 points), 2/3 (33 points), 3/5 (34 points).
    [
      '101-point interpolation',
      [g(A), g(B), g(C)],
      [p(A, 0.9), p(FAR, 0.8), p(B, 0.7), p([700, 0, 750, 50], 0.6), p(C, 0.5)],
      (34 + 33 * (2 / 3) + 34 * 0.6) / 101,
      (34 + 33 * (2 / 3) + 34 * 0.6) / 101,
    ],
    // IoU 0.72 matches at 0.50 .. 0.70 (5 of 10 thresholds).
    ['localisation error', [g(A)], [p([0, 0, 100, 72], 0.9)], 1, 0.5],
    ['nothing detected', [g(A)], [], 0, 0],
  ])('%s', (_name, gt, pred, ap50, ap5095) => {
    const m = evaluateDetections(gt, pred);
    expect(m.AP50).toBeCloseTo(ap50, 12);
    expect(m.AP50_95).toBeCloseTo(ap5095, 12);
  });

  it('matches greedily by score, each detection taking its best-overlapping free object', () => {
    // The 0.9 box overlaps B more than A, so it takes B; the 0.8 box then still finds A.
    const a: Xyxy = [0, 0, 100, 100];
    const b: Xyxy = [40, 0, 140, 100];
    const m = evaluateDetections([g(a), g(b)], [p([30, 0, 130, 100], 0.9), p([0, 0, 95, 100], 0.8)]);
    expect(m.perClass[0]!.tp).toBe(2);
    expect(m.AP50).toBeCloseTo(1, 12);
  });

  it('averages over classes with ground truth, reports each, and honours the class filter', () => {
    const gt = [g(A, 0), g(B, 0), g(C, 2)];
    const pred = [p(A, 0.9, 0), p(FAR, 0.95, 5), p(C, 0.3, 2), p(B, 0.2, 0)];
    const m = evaluateDetections(gt, pred, { classNames: ['person', 'bicycle', 'car'] });
    expect(m.perClass.map((c) => c.name)).toEqual(['person', 'car']); // class 5 has no GT: left out
    for (const c of m.perClass) expect(c.AP50).toBeCloseTo(1, 12); // tp / (tp + fp + eps), as pycocotools
    expect(m.AP50).toBeCloseTo(1, 12);
    // At 0.25: person finds A only (B scored 0.2), car finds C. FP is not counted for class 5 (no GT).
    expect([m.perClass[0]!.precision, m.perClass[0]!.recall]).toEqual([1, 0.5]);
    expect([m.precision, m.recall]).toEqual([1, 2 / 3]);
    const personOnly = evaluateDetections(gt, pred, { classes: [0] });
    expect(personOnly.perClass.map((c) => c.cls)).toEqual([0]);
    expect(personOnly.numGt).toBe(2);
  });

  it('operating threshold moves precision/recall, not AP', () => {
    const gt = [g(A), g(B)];
    const pred = [p(A, 0.9), p(FAR, 0.5), p(B, 0.1)];
    const lo = evaluateDetections(gt, pred, { operatingThreshold: 0.05 });
    const hi = evaluateDetections(gt, pred, { operatingThreshold: 0.6 });
    expect([lo.precision, lo.recall]).toEqual([2 / 3, 1]);
    expect([hi.precision, hi.recall]).toEqual([1, 0.5]);
    expect(lo.AP50).toBe(hi.AP50);
  });

  it('keeps only maxDets detections per image and class', () => {
    const m = evaluateDetections([g(A)], [p(FAR, 0.9), p(A, 0.8)], { maxDets: 1 });
    expect(m.AP50).toBe(0);
    expect(m.numPred).toBe(1);
  });

  it.each([
    [{ maxDets: 0 }, /maxDets must be an integer >= 1/],
    [{ operatingThreshold: 2 }, /operatingThreshold must be in \[0, 1\]/],
  ])('rejects %j', (opts, msg) => {
    expect(() => evaluateDetections([], [], opts)).toThrow(msg);
  });
});

describe('YOLO labels', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fs-yolo-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('parses class cx cy w h and converts to pixel corners', () => {
    const [l] = parseYoloLabels('0 0.5 0.25 0.2 0.1\n\n');
    expect(l).toEqual({ cls: 0, cx: 0.5, cy: 0.25, w: 0.2, h: 0.1 });
    const [x1, y1, x2, y2] = labelToXyxy(l!, 640, 480);
    expect([x1, y1, x2, y2].map((v) => Math.round(v * 1e6) / 1e6)).toEqual([256, 96, 384, 144]);
  });

  it.each([
    ['0 0.5 0.5 0.1', /f\.txt:1: expected 5 values "class cx cy w h", got 4/],
    ['0 0.5 0.5 0.1 0.1\n1 0.5 x 0.1 0.1', /f\.txt:2: value 3 \("x"\) is not a number/],
    ['1.5 0.5 0.5 0.1 0.1', /f\.txt:1: class "1.5" must be an integer >= 0/],
    ['-1 0.5 0.5 0.1 0.1', /f\.txt:1: class "-1"/],
    ['0 0.5 0.5 1.2 0.1', /f\.txt:1: w = 1.2 is outside 0..1/],
    ['0 320 240 10 10', /f\.txt:1: cx = 320 is outside 0..1 \(YOLO labels are normalised/],
  ])('%j is an FS_PARSE error naming file:line', (text, msg) => {
    const file = join(dir, 'f.txt');
    writeFileSync(file, text);
    expect(() => readYoloLabelFile(file)).toThrow(msg);
    try {
      readYoloLabelFile(file);
    } catch (e) {
      expect((e as { code?: string }).code).toBe('FS_PARSE');
    }
  });

  it('a missing label file is an image without objects', () => {
    expect(readYoloLabelFile(join(dir, 'none.txt'))).toEqual([]);
  });
});
