import { describe, expect, it } from 'vitest';
import { costFromRows, costMatrix } from '../../agent/src/track/cost.js';
import { planEmbeddings } from '../../agent/src/track/embedding-policy.js';
import { trackMotDetections, frameKept } from '../../agent/src/track/mot-run.js';

const I = Infinity;

describe('planEmbeddings: embeddings only where they can change a decision', () => {
  it.each([
    ['no tracks, nothing to re-identify', costMatrix(0, 2), [], false, Infinity, []],
    ['no tracks, a lost track could be re-identified', costMatrix(0, 2), [], true, Infinity, [0, 1]],
    ['one track, one candidate, fresh', costFromRows([[0.2]]), [false], false, Infinity, []],
    ['one track, one candidate, due for refresh', costFromRows([[0.2]]), [true], false, Infinity, [0]],
    ['two candidates for one track', costFromRows([[0.2, 0.3]]), [false], false, Infinity, [0, 1]],
    ['two candidates, the second too far behind to win', costFromRows([[0.1, 0.7]]), [false], false, 0.4, []],
    ['two tracks want one detection', costFromRows([[0.2], [0.3]]), [false, false], false, Infinity, [0]],
    ['unreachable detection, no lost track', costFromRows([[0.2, I]]), [false], false, Infinity, []],
    ['unreachable detection, a lost track exists', costFromRows([[0.2, I]]), [false], true, Infinity, [1]],
    ['refresh only the best candidate', costFromRows([[0.1, 0.7]]), [true], false, 0.4, [0]],
  ] as const)('%s', (_name, m, refresh, reid, margin, expected) => {
    expect(planEmbeddings(m, refresh, reid, margin)).toEqual(expected);
  });
});

describe('trackMotDetections', () => {
  it('keeps frames 1, 1+N, 1+2N', () => {
    expect([1, 2, 6, 11, 12].filter((f) => frameKept(f, 5))).toEqual([1, 6, 11]);
  });
  it.each([
    [{ fps: 0 }, /fps must be a positive number/],
    [{ fps: 25, stride: 0 }, /stride must be an integer >= 1/],
    [{ fps: 25, stride: 1.5 }, /stride must be an integer >= 1/],
  ])('rejects %j', async (opts, re) => {
    await expect(trackMotDetections([], opts)).rejects.toThrow(re);
  });
  it('drops detections under minScore and empty boxes, and tracks the rest', async () => {
    const rows = [1, 2, 3].flatMap((frame) => [
      { frame, id: -1, x: 10 + frame * 2, y: 10, w: 20, h: 50, conf: 0.95 },
      { frame, id: -1, x: 300, y: 10, w: 20, h: 50, conf: 0.2 },
      { frame, id: -1, x: 500, y: 10, w: 0, h: 50, conf: 0.99 },
    ]);
    const res = await trackMotDetections(rows, { fps: 10, minScore: 0.5 });
    expect(res.detectionsUsed).toBe(3);
    expect(res.rows.map((r) => [r.frame, r.id])).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
  });
});
