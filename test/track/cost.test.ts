import { describe, expect, it } from 'vitest';
import { costFromRows, costMatrix, fuse, gate, gateBy, overlay, select } from '../../agent/src/track/cost.js';
import { cosineDistance, iouDistance, mahalanobisDistance, motionDistance, type DetectionView, type TrackView } from '../../agent/src/track/distances.js';
import { initiate, predict, project, update } from '../../agent/src/track/kalman.js';
import { xyxyToCxcywh, type Xyxy } from '../../agent/src/track/geometry.js';

const rows = (m: { rows: number; cols: number; data: Float64Array }): number[][] =>
  Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));

describe('cost matrix steps', () => {
  it('fuse weighs and keeps forbidden pairs forbidden', () => {
    const out = fuse(costFromRows([[0, 1, Infinity]]), costFromRows([[1, 1, 0]]), 0.25);
    expect(rows(out)).toEqual([[0.25, 1, Infinity]]);
  });
  it('gate forbids above the limit; gateBy uses another matrix', () => {
    expect(rows(gate(costFromRows([[0.2, 0.9]]), 0.5))).toEqual([[0.2, Infinity]]);
    expect(rows(gateBy(costFromRows([[0.2, 0.9]]), costFromRows([[0.6, 0.1]]), 0.5))).toEqual([[Infinity, 0.9]]);
  });
  it('overlay and select', () => {
    expect(rows(overlay(costFromRows([[1, 2]]), costFromRows([[3, 4]]), (_i, j) => j === 1))).toEqual([[1, 4]]);
    expect(
      rows(
        select(
          costFromRows([
            [1, 2],
            [3, 4],
          ]),
          [1],
          [1, 0],
        ),
      ),
    ).toEqual([[4, 3]]);
  });
  it.each([
    ['fuse', () => fuse(costMatrix(0, 3), costMatrix(0, 3), 0.5)],
    ['gate', () => gate(costMatrix(2, 0), 1)],
    ['gateBy', () => gateBy(costMatrix(0, 0), costMatrix(0, 0), 1)],
    ['select', () => select(costMatrix(2, 2), [], [])],
  ])('%s handles empty input', (_n, f) => {
    expect(f().data.length).toBe(0);
  });
  it.each([
    ['shape mismatch', () => fuse(costMatrix(1, 2), costMatrix(2, 1), 0.5), /shapes differ/],
    ['weight out of range', () => fuse(costMatrix(1, 1), costMatrix(1, 1), 2), /weight/],
    ['ragged rows', () => costFromRows([[1, 2], [3]]), /row 1 has 1 values/],
    ['NaN entry', () => costFromRows([[NaN]]), /NaN at row 0, column 0/],
    ['negative shape', () => costMatrix(-1, 2), /shape/],
  ] as const)('rejects %s', (_n, f, re) => {
    expect(f).toThrow(re);
  });
});

/** A track seen `samples` times, 1 s apart, moving `vx` px/s; returned as predicted 1 s after the last sample. */
function trackSeen(first: Xyxy, vx: number, samples: number): TrackView {
  let g = initiate(xyxyToCxcywh(first));
  for (let t = 1; t < samples; t++) g = update(predict(g, 1), xyxyToCxcywh([first[0] + vx * t, first[1], first[2] + vx * t, first[3]]));
  const p = predict(g, samples > 0 ? 1 : 0);
  const c = p.mean;
  return { box: [c[0]! - c[2]! / 2, c[1]! - c[3]! / 2, c[0]! + c[2]! / 2, c[1]! + c[3]! / 2], projected: project(p), embedding: null };
}
const trackAt = (box: Xyxy): TrackView => {
  const g = initiate(xyxyToCxcywh(box));
  return { box, projected: project(g), embedding: null };
};
const det = (box: Xyxy, embedding: Float32Array | null = null): DetectionView => ({ box, cxcywh: xyxyToCxcywh(box), score: 0.9, embedding });

describe('distances', () => {
  it('IoU distance is 0 for the same box, 1 for disjoint ones', () => {
    const t = trackAt([0, 0, 10, 20]);
    expect(rows(iouDistance([t], [det([0, 0, 10, 20]), det([50, 0, 60, 20])]))).toEqual([[0, 1]]);
  });

  it('at 1 fps the motion distance ranks non-overlapping candidates by where the track should be', () => {
    // A person 40x100 px walking right at 80 px/s, sampled 1 s apart: consecutive boxes never overlap.
    const t = trackSeen([0, 0, 40, 100], 80, 4);
    const ahead = det([322, 0, 362, 100]); // where it should be (320) give or take
    const behind = det([0, 0, 40, 100]); // where it was four samples ago
    const m = rows(mahalanobisDistance(9.49)([t], [ahead, behind]))[0]!;
    expect(m[0]).toBeLessThan(0.2);
    expect(m[1]).toBe(Infinity);
    const motion = rows(motionDistance(9.49)([t], [ahead, behind]))[0]!;
    expect(motion[0]).toBeLessThan(motion[1]!);
  });

  it('cosine distance: 0 for the same direction, Infinity when a side has no embedding', () => {
    const e = Float32Array.from([0.6, 0.8]);
    const t: TrackView = { ...trackAt([0, 0, 10, 10]), embedding: e };
    const m = rows(
      cosineDistance([t], [det([0, 0, 1, 1], Float32Array.from([0.6, 0.8])), det([0, 0, 1, 1], Float32Array.from([0.8, -0.6])), det([0, 0, 1, 1])]),
    )[0]!;
    expect(m[0]).toBeCloseTo(0, 6);
    expect(m[1]).toBeCloseTo(1, 6);
    expect(m[2]).toBe(Infinity);
  });
});
