/**
 * TrackEval's synthetic unit cases (tests/test_metrics.py @ 12c8791) written as our frames, plus
 * hand-computed HOTA cases and the edge cases.
 */
import { describe, expect, it } from 'vitest';
import { evaluateFrames, evaluateMot, type EvalFrame, type MotMetrics } from '../../agent/src/eval/mot/index.js';
import type { MotRow } from '../../agent/src/io/mot.js';

/** Dense description as in TrackEval's tests: presence[t][id] and similarity[t][gt][pred]. */
function fromDense(gtPresent: number[][], predPresent: number[][], sim: (t: number, g: number, p: number) => number): EvalFrame[] {
  return gtPresent.map((gp, t) => {
    const gtIds = gp.flatMap((on, id) => (on ? [id] : []));
    const predIds = predPresent[t]!.flatMap((on, id) => (on ? [id] : []));
    return { frame: t + 1, gtIds, predIds, similarity: gtIds.map((g) => predIds.map((p) => sim(t, g, p))) };
  });
}

// Columns are timesteps in TrackEval's tests; transpose to [t][id].
const T = (cols: number[][]): number[][] => cols[0]!.map((_, t) => cols.map((c) => c[t]!));
const table =
  (entries: Array<[number, number, number[]]>) =>
  (t: number, g: number, p: number): number =>
    entries.find(([eg, ep]) => eg === g && ep === p)?.[2][t] ?? 0;

const CASES: Array<{ name: string; frames: EvalFrame[]; expected: Partial<Record<keyof MotMetrics, number>> }> = [
  {
    name: 'no_confusion',
    frames: fromDense(
      T([
        [1, 1, 1, 1, 1],
        [1, 1, 1, 0, 0],
      ]),
      T([
        [1, 1, 1, 1, 0],
        [1, 1, 1, 1, 1],
      ]),
      table([
        [0, 1, [0, 0, 0, 1, 1]],
        [1, 0, [1, 1, 0, 0, 0]],
      ]),
    ),
    expected: { TP: 4, FN: 4, FP: 5, IDSW: 0, MOTA: 1 - 9 / 8, IDTP: 4, IDFN: 4, IDFP: 5, IDR: 4 / 8, IDP: 4 / 9, IDF1: (2 * 4) / 17 },
  },
  {
    name: 'with_confusion',
    frames: fromDense(
      T([
        [1, 1, 1, 1, 1],
        [1, 1, 1, 0, 0],
      ]),
      T([
        [1, 1, 1, 1, 0],
        [1, 1, 1, 1, 1],
      ]),
      table([
        [0, 1, [0, 0, 0, 1, 1]],
        [1, 0, [1, 1, 0, 0, 0]],
        [0, 0, [0, 0, 1, 0, 0]],
        [1, 1, [0, 1, 0, 0, 0]],
      ]),
    ),
    expected: { TP: 5, FN: 3, FP: 4, IDSW: 1, MOTA: 0, IDTP: 4, IDFN: 4, IDFP: 5, IDR: 4 / 8, IDP: 4 / 9, IDF1: (2 * 4) / 17 },
  },
  {
    name: 'split_tracks',
    frames: fromDense(
      T([
        [1, 1, 0, 1, 1],
        [1, 1, 1, 1, 1],
      ]),
      T([
        [1, 1, 0, 0, 0],
        [0, 0, 1, 1, 1],
        [0, 0, 0, 0, 1],
        [0, 0, 1, 1, 1],
        [1, 1, 0, 0, 0],
      ]),
      table([
        [0, 0, [1, 1, 0, 0, 0]],
        [0, 3, [0, 0, 0, 1, 1]],
        [1, 1, [0, 0, 1, 1, 0]],
        [1, 2, [0, 0, 0, 0, 1]],
        [1, 4, [1, 1, 0, 0, 0]],
      ]),
    ),
    expected: { TP: 9, FN: 0, FP: 2, IDSW: 3, MOTA: 1 - 5 / 9, IDTP: 4, IDFN: 5, IDFP: 7, IDR: 4 / 9, IDP: 4 / 11, IDF1: (2 * 4) / 20 },
  },
];

describe('TrackEval synthetic cases', () => {
  it.each(CASES)('$name', ({ frames, expected }) => {
    const m = evaluateFrames(frames);
    for (const [k, v] of Object.entries(expected)) expect(m[k as keyof MotMetrics], k).toBeCloseTo(v, 12);
  });
});

const box = (frame: number, id: number, x: number, y = 0, w = 10, h = 10): MotRow => ({ frame, id, x, y, w, h, conf: 1 });

describe('HOTA on hand-computed cases', () => {
  it('one object split over two tracks: DetA 1, AssA 1/2, HOTA sqrt(1/2)', () => {
    const gt = [1, 2, 3, 4].map((f) => box(f, 1, 0));
    const pred = [box(1, 7, 0), box(2, 7, 0), box(3, 8, 0), box(4, 8, 0)];
    const m = evaluateMot(gt, pred);
    // Each (gt, track) pair: TPA 2, gt length 4, track length 2 -> 2 / (4 + 2 - 2).
    expect(m.DetA).toBeCloseTo(1, 12);
    expect(m.AssA).toBeCloseTo(0.5, 12);
    expect(m.HOTA).toBeCloseTo(Math.SQRT1_2, 12);
    expect(m.LocA).toBeCloseTo(1, 12);
    expect(m.IDSW).toBe(1);
    expect(m.IDF1).toBeCloseTo(0.5, 12); // IDTP 2 of 4 + 4
  });

  it('a box shifted to IoU 0.6 counts only for alphas <= 0.6', () => {
    // 10x10 boxes shifted by d along x: IoU = (10 - d) / (10 + d) = 0.6 at d = 2.5.
    const gt = [box(1, 1, 0)];
    const pred = [box(1, 1, 2.5)];
    const m = evaluateMot(gt, pred);
    const hits = m.hotaPerAlpha.filter((a) => a.alpha <= 0.6 + 1e-9).length; // 0.05 .. 0.60: 12 alphas
    expect(hits).toBe(12);
    expect(m.DetA).toBeCloseTo(hits / 19, 12);
    expect(m.AssA).toBeCloseTo(hits / 19, 12);
    expect(m.HOTA).toBeCloseTo(hits / 19, 12);
    expect(m.LocA).toBeCloseTo((hits * 0.6 + (19 - hits)) / 19, 12); // LocA is 1 where nothing matched
    expect(m.MOTA).toBe(1);
    expect(m.MOTP).toBeCloseTo(0.4, 12);
    expect(m.MOTP_IoU).toBeCloseTo(0.6, 12);
  });

  it('empty predictions: everything missed, HOTA 0', () => {
    const m = evaluateMot([box(1, 1, 0), box(2, 1, 0)], []);
    expect([m.FN, m.FP, m.HOTA, m.DetA, m.Recall, m.ML]).toEqual([2, 0, 0, 0, 0, 1]);
    expect(m.MOTA).toBe(0);
  });

  it('empty ground truth: all false positives', () => {
    const m = evaluateMot([], [box(1, 1, 0)]);
    expect([m.FN, m.FP, m.HOTA, m.numGtIds]).toEqual([0, 1, 0, 0]);
  });
});

describe('CLEAR details', () => {
  it('keeps an existing match even when another prediction overlaps better', () => {
    // Frame 1: gt 1 matches track 5. Frame 2: track 6 is a better fit, but 5 is still within 0.5.
    const gt = [box(1, 1, 0), box(2, 1, 0)];
    const pred = [box(1, 5, 0), box(2, 5, 3), box(2, 6, 0)];
    const m = evaluateMot(gt, pred);
    expect([m.IDSW, m.FP, m.TP]).toEqual([0, 1, 2]);
  });

  it('counts a fragmentation when a tracked object is missed and picked up again', () => {
    const gt = [1, 2, 3, 4].map((f) => box(f, 1, 0));
    const pred = [box(1, 5, 0), box(3, 5, 0), box(4, 5, 0)];
    const m = evaluateMot(gt, pred);
    expect([m.Frag, m.FN, m.IDSW, m.MT, m.PT]).toEqual([1, 1, 0, 0, 1]); // 3/4 < 0.8 -> partially tracked
  });

  it('iouThreshold changes what may match', () => {
    const gt = [box(1, 1, 0)];
    const pred = [box(1, 1, 2.5)]; // IoU 0.6
    expect(evaluateMot(gt, pred, { iouThreshold: 0.5 }).TP).toBe(1);
    expect(evaluateMot(gt, pred, { iouThreshold: 0.7 }).TP).toBe(0);
  });
});

describe('bad input', () => {
  it.each([
    ['stride 0', () => evaluateMot([], [], { stride: 0 }), /stride must be an integer >= 1, got 0/],
    ['stride 1.5', () => evaluateMot([], [], { stride: 1.5 }), /stride/],
    ['iou threshold 0', () => evaluateMot([], [], { iouThreshold: 0 }), /iouThreshold/],
    ['duplicate gt id in a frame', () => evaluateMot([box(3, 1, 0), box(3, 1, 5)], []), /ground truth: id 1 appears twice in frame 3/],
    ['similarity shape', () => evaluateFrames([{ frame: 1, gtIds: [1], predIds: [1, 2], similarity: [[0.5]] }]), /similarity row has 1 values for 2/],
    ['similarity out of range', () => evaluateFrames([{ frame: 1, gtIds: [1], predIds: [1], similarity: [[1.5]] }]), /outside \[0, 1\]/],
    [
      'frames out of order',
      () =>
        evaluateFrames([
          { frame: 2, gtIds: [], predIds: [], similarity: [] },
          { frame: 1, gtIds: [], predIds: [], similarity: [] },
        ]),
      /ascending/,
    ],
  ])('%s', (_name, fn, msg) => {
    expect(fn).toThrow(msg);
    try {
      fn();
    } catch (e) {
      expect((e as { code?: string }).code).toBe('FS_BAD_ARGUMENT');
    }
  });
});
