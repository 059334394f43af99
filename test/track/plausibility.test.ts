import { describe, expect, it } from 'vitest';
import { plausibility, plausibilityRatio, type PlausibilityOptions } from '../../agent/src/track/plausibility.js';
import { gateBy, costFromRows } from '../../agent/src/track/cost.js';
import { person } from './script.js';

const O: PlausibilityOptions = { maxSpeedBodyHeights: 1.5, slackBodyHeights: 0.5, maxSpeedMps: 2.5, slackM: 0.5 };
const last = { box: person(100, 200, 40, 100), timeSec: 10 };

describe('physical plausibility gate', () => {
  // Foot point moves; box height 100 px = one body height.
  it.each([
    ['same place, same instant', person(100, 200), 10, 0],
    ['half a body height at once: the slack', person(150, 200), 10, 1],
    ['2 body heights in 1 s: at the bound (0.5 + 1.5)', person(300, 200), 11, 1],
    ['5 body heights in 1 s: an identity jump', person(600, 200), 11, 2.5],
    ['5 body heights in 10 s: walking', person(600, 200), 20, 5 / 15.5],
    ['straight down 3 body heights in 1 s', person(100, 500), 11, 1.5],
  ] as const)('%s', (_name, det, now, ratio) => {
    expect(plausibilityRatio(last, det, now, O)).toBeCloseTo(ratio, 6);
  });

  it('uses floor metres when a homography maps both foot points', () => {
    const toFloor = (x: number, y: number): [number, number] => [x / 100, y / 100]; // 1 m per 100 px
    // 5 m in 1 s against 0.5 + 2.5 m.
    expect(plausibilityRatio(last, person(600, 200), 11, O, toFloor)).toBeCloseTo(5 / 3, 6);
    // A point outside the calibrated area falls back to body heights.
    expect(plausibilityRatio(last, person(600, 200), 11, O, () => null)).toBeCloseTo(2.5, 6);
  });

  it('forbids implausible pairs in a cost matrix and handles empty input', () => {
    const m = plausibility([last], [{ box: person(110, 200) }, { box: person(900, 200) }], 11, O);
    const gated = gateBy(costFromRows([[0.3, 0.1]]), m, 1);
    expect([...gated.data]).toEqual([0.3, Infinity]);
    expect(plausibility([], [{ box: person(1, 1) }], 0, O).data.length).toBe(0);
    expect(plausibility([last], [], 0, O).cols).toBe(0);
  });
});
