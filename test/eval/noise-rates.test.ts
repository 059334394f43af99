import { describe, expect, it } from 'vitest';
import { noiseRates } from '../../agent/src/eval/mot/index.js';
import type { MotRow } from '../../agent/src/io/mot.js';

const r = (frame: number, id: number, x: number, h = 200): MotRow => ({ frame, id, x, y: 10, w: 80, h, conf: 1 });

describe("the tracker's failure rates in the simulator's terms", () => {
  it('misses, false positives per frame, switches and merges per person-minute, foot-point noise', () => {
    // Two people, four sampled frames at 2 fps (8 labelled boxes = 4 person-seconds).
    const gt = [1, 2, 3, 4].flatMap((f) => [r(f, 1, 0), r(f, 2, 300)]);
    const pred = [
      r(1, 10, 0),
      r(1, 20, 300),
      r(2, 10, 0),
      r(2, 20, 310), // 10 px right: foot x off by 10/200 of the height
      r(3, 10, 0), // person 2 missed on frame 3
      r(3, 30, 600), // a false box
      r(4, 11, 0), // person 1's track changes id: one switch
      r(4, 10, 300), // track 10 now covers person 2: a merge
    ];
    const n = noiseRates(gt, pred, { frames: [1, 2, 3, 4], fps: 2, iouThreshold: 0.5 });
    expect(n).toMatchObject({ frames: 4, gtBoxes: 8, misses: 1, falsePositives: 1, idSwitches: 2, merges: 1, matched: 7 });
    expect(n.personMinutes).toBeCloseTo(8 / 2 / 60, 12);
    expect(n.missRate).toBe(1 / 8);
    expect(n.falsePositivesPerFrame).toBe(1 / 4);
    expect(n.mergesPerPersonMinute).toBeCloseTo(1 / (8 / 120), 9);
    expect(n.footX).toBeCloseTo(Math.sqrt((10 / 200) ** 2 / 7), 9);
    expect(n.footY).toBe(0);
  });

  it('frames outside the labelled ones do not count', () => {
    const n = noiseRates([r(1, 1, 0), r(9, 1, 0)], [r(1, 5, 0), r(9, 6, 400)], { frames: [1], fps: 2, iouThreshold: 0.5 });
    expect(n).toMatchObject({ frames: 1, gtBoxes: 1, misses: 0, falsePositives: 0 });
  });
});
