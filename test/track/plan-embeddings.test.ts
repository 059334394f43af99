import { describe, expect, it } from 'vitest';
import { costFromRows, costMatrix } from '../../agent/src/track/cost.js';
import { planEmbeddings, reachableColumns } from '../../agent/src/track/embedding-policy.js';
import { trackMotDetections, frameKept } from '../../agent/src/track/mot-run.js';

const I = Infinity;

describe('planEmbeddings: embeddings only where they can change a decision', () => {
  // Columns no track reaches by motion are re-id candidates only where `reach` says a lost track's gate holds them.
  const T = true;
  const F = false;
  it.each([
    ['no tracks, nothing to re-identify', costMatrix(0, 2), [], [], [F, F], Infinity, []],
    ['no tracks, a lost track could be re-identified to either', costMatrix(0, 2), [], [], [T, T], Infinity, [0, 1]],
    ['no tracks, one detection inside a lost track’s gate, the other a newcomer far away', costMatrix(0, 2), [], [], [F, T], Infinity, [1]],
    ['one track, one candidate, fresh', costFromRows([[0.2]]), [F], [T], [F], Infinity, []],
    ['one track, one candidate, due for refresh', costFromRows([[0.2]]), [T], [T], [F], Infinity, [0]],
    ['a new track (no appearance yet) gets its first one from its best candidate', costFromRows([[0.2]]), [T], [F], [F], Infinity, [0]],
    ['two candidates for one track', costFromRows([[0.2, 0.3]]), [F], [T], [F, F], Infinity, [0, 1]],
    ['two candidates for a track without appearance: motion decides', costFromRows([[0.2, 0.3]]), [F], [F], [F, F], Infinity, []],
    ['two candidates, the second too far behind to win', costFromRows([[0.1, 0.7]]), [F], [T], [F, F], 0.4, []],
    ['two tracks want one detection', costFromRows([[0.2], [0.3]]), [F, F], [T, T], [F], Infinity, [0]],
    ['two tracks without appearance want one detection: motion decides', costFromRows([[0.2], [0.3]]), [F, F], [F, F], [F], Infinity, []],
    ['a high-IoU unique match, the rival track beyond the margin', costFromRows([[0.1], [0.6]]), [F, F], [T, T], [F], 0.4, []],
    ['unreachable detection, no lost track can take it', costFromRows([[0.2, I]]), [F], [T], [F, F], Infinity, []],
    ['unreachable detection inside a lost track’s gate', costFromRows([[0.2, I]]), [F], [T], [F, T], Infinity, [1]],
    ['refresh only the best candidate', costFromRows([[0.1, 0.7]]), [T], [T], [F, F], 0.4, [0]],
  ] as const)('%s', (_name, gatedMotion, refresh, hasEmb, reach, margin, expected) => {
    expect(planEmbeddings({ gatedMotion, trackNeedsRefresh: refresh, trackHasEmbedding: hasEmb, reidReachable: reach, margin }).columns).toEqual(expected);
  });

  it('reachableColumns: a column is reachable when some lost track’s plausibility ratio is <= 1', () => {
    expect(
      reachableColumns(
        costFromRows([
          [0.5, 1.5, 3],
          [2, 1, 4],
        ]),
      ),
    ).toEqual([true, true, false]);
    expect(reachableColumns(costMatrix(0, 2))).toEqual([false, false]);
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
