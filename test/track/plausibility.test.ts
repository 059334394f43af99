import { describe, expect, it } from 'vitest';
import { plausibility, plausibilityRatio, type PlausibilityOptions } from '../../agent/src/track/plausibility.js';
import { gateBy, costFromRows } from '../../agent/src/track/cost.js';
import { person } from './script.js';

const O: PlausibilityOptions = { maxSpeedBodyHeights: 1.5, slackBodyHeights: 0.5, maxSpeedMps: 2.5, slackM: 0.5, maxReachBodyHeights: 3, maxReachM: 5 };
const last = { box: person(100, 200, 40, 100), timeSec: 10 };

describe('physical plausibility gate', () => {
  // Foot point moves; box height 100 px = one body height.
  it.each([
    ['same place, same instant', person(100, 200), 10, 0],
    ['half a body height at once: the slack', person(150, 200), 10, 1],
    ['2 body heights in 1 s: at the bound (0.5 + 1.5)', person(300, 200), 11, 1],
    ['5 body heights in 1 s: an identity jump', person(600, 200), 11, 2.5],
    ['2.5 body heights in 10 s: walking, inside the capped reach', person(350, 200), 20, 2.5 / 3],
    ['5 body heights in 10 s: beyond the reach cap (3), whatever the gap', person(600, 200), 20, 5 / 3],
    ['5 body heights in 60 s: still beyond the cap', person(600, 200), 70, 5 / 3],
    ['straight down 3 body heights in 1 s', person(100, 500), 11, 1.5],
  ] as const)('%s', (_name, det, now, ratio) => {
    expect(plausibilityRatio(last, det, now, O)).toBeCloseTo(ratio, 6);
  });

  it('uses floor metres when a homography maps both foot points', () => {
    const toFloor = (x: number, y: number): [number, number] => [x / 100, y / 100]; // 1 m per 100 px
    // 5 m in 1 s against 0.5 + 2.5 m.
    expect(plausibilityRatio(last, person(600, 200), 11, O, toFloor)).toBeCloseTo(5 / 3, 6);
    // After 30 s the reach is the 5 m cap, not 75.5 m.
    expect(plausibilityRatio(last, person(600, 200), 40, O, toFloor)).toBeCloseTo(1, 6);
    expect(plausibilityRatio(last, person(700, 200), 40, O, toFloor)).toBeCloseTo(6 / 5, 6);
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
