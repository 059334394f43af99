/**
 * Pixel fallback for boxes that are not a whole standing body (a cashier behind a counter, a
 * customer behind a trolley, a box cut by the frame edge): the rules in scene/observations.ts.
 * Geometry of checkout_counter_cashier.mp4 (768x432, no floor homography), from its labels.
 */
import { describe, expect, it } from 'vitest';
import type { MotRow } from '../../agent/src/io/mot.js';
import {
  atCounter,
  BODY_MIN_WIDTH_M,
  TILL_OCCLUDER_M,
  depthRangeM,
  observationDistance,
  toObservations,
  truncatedBox,
  wholeBodyHeights,
  type CameraScene,
} from '../../agent/src/scene/observations.js';
import { parseTimebase } from '../../agent/src/scene/interchange.js';

const tb = parseTimebase('{"start":"2025-04-08T08:00:00Z","fps":2,"width":768,"height":432}', 'cam.json');
const cam: CameraScene = {
  id: 'c',
  zones: [
    {
      name: 'till',
      kind: 'till',
      polygon: [
        [180, 318],
        [540, 318],
        [560, 432],
        [180, 432],
      ],
    },
  ],
  floor: null,
  hfovDeg: 90,
};
const row = (frame: number, id: number, x: number, y: number, w: number, h: number): MotRow => ({ frame, id, x, y, w, h, conf: 1 });
const H = 1.7;
const FOCAL = 384; // 768 / 2 / tan(45°)

describe('truncated boxes', () => {
  it('a box under 2:1 or ending at the frame edge is not a whole body', () => {
    expect(truncatedBox(150, 70, 200, 432)).toBe(false); // 2.9:1, bottom 350
    expect(truncatedBox(154, 71, 127, 432)).toBe(true); // the cashier above the counter: 1.8:1
    expect(truncatedBox(120, 118, 312, 432)).toBe(true); // 2.6:1 but its bottom is the frame edge
    expect(truncatedBox(120, 118, 309, 432)).toBe(false); // 3 px above the edge
  });

  it('a whole body has one depth; a truncated one a range from its width up to its height', () => {
    const [whole, cut] = toObservations([row(1, 1, 100, 150, 70, 200), row(1, 2, 612, 154, 71, 127)], tb, cam);
    const [a, b] = depthRangeM(whole!, H);
    expect(a).toBe(b);
    expect(a).toBeCloseTo((FOCAL * H) / 200, 9);
    const [near, far] = depthRangeM(cut!, H);
    expect(near).toBeCloseTo((FOCAL * BODY_MIN_WIDTH_M) / 71, 9);
    expect(far).toBeCloseTo((FOCAL * H) / 127, 9);
  });

  it('the cashier behind the counter is within consultation distance of the customer she serves, not 3 m behind him', () => {
    // Frame 401 of the labels: the customer (cut by the lower edge) and the cashier (cut by the counter).
    const [customer, cashier, waiting] = toObservations(
      [row(401, 1, 245, 114, 177, 318), row(401, 2, 478, 148, 184, 130), row(401, 3, 117, 141, 79, 234)],
      tb,
      cam,
    );
    // What height alone said: 5.0 m deep against 2.05 m.
    expect((FOCAL * H) / 130 - (FOCAL * H) / 318).toBeGreaterThan(2.9);
    expect(observationDistance(customer!, cashier!, H)).toBeLessThan(1.5);
    // The woman waiting on the left (a whole body) stays far from the cashier.
    expect(observationDistance(waiting!, cashier!, H)).toBeGreaterThan(2.5);
  });

  it('at the till a box that passes as a whole body (2:1, cut at the trolley handle) only bounds the depth', () => {
    // Frame 89 of the int8 detector's boxes on the checkout clip: the man's box ends at the trolley
    // handle yet is 2.03:1; taken whole, its height put him 2.1 m from the cashier across the counter.
    const rows = [row(89, 1, 236.15, 105.29, 115.9, 235.47), row(89, 2, 613.86, 154.34, 73.46, 129.03), row(89, 3, 120.36, 163.49, 64.42, 166.81)];
    const [customer, cashier, waiting] = toObservations(rows, tb, cam);
    expect(truncatedBox(105.29, 115.9, 235.47, 432)).toBe(false);
    expect(customer).toMatchObject({ zone: 'till', truncated: false });
    expect(atCounter(customer!)).toBe(true);
    // Depth between what the height says and what it would be with everything below 1 m hidden.
    const [near, far] = depthRangeM(customer!, H);
    expect(far).toBeCloseTo((FOCAL * H) / 235.47, 9);
    expect(near).toBeCloseTo(far * (1 - TILL_OCCLUDER_M / H), 9);
    const whole = { ...customer!, zoneKind: null };
    expect(observationDistance(whole, cashier!, H)).toBeGreaterThan(2);
    expect(observationDistance(customer!, cashier!, H)).toBeLessThan(1.5);
    // The woman waiting beside the till (on the floor, a whole body) keeps one depth and stays far.
    expect(waiting).toMatchObject({ zone: null, truncated: false });
    expect(atCounter(waiting!)).toBe(false);
    expect(observationDistance(waiting!, cashier!, H)).toBeGreaterThan(2.5);
  });

  it('a customer queueing behind the one at the till stays farther from the cashier', () => {
    // Frame 151: the man served (cut by the trolley), the cashier, and the waiting woman's box moved
    // 100 px right, into the till zone, as if she queued behind him.
    const [man, cashier, queued] = toObservations(
      [row(151, 1, 262.6, 114.08, 175.41, 145.05), row(151, 2, 521.56, 155.18, 130.17, 126.93), row(151, 3, 211.43, 165.58, 59.24, 167.52)],
      tb,
      cam,
    );
    expect(queued).toMatchObject({ zone: 'till' });
    expect(atCounter(queued!)).toBe(true);
    expect(observationDistance(man!, cashier!, H)).toBeLessThan(0.5);
    expect(observationDistance(queued!, cashier!, H)).toBeGreaterThan(2 * observationDistance(man!, cashier!, H));
  });

  it('two whole bodies keep the point distance; the range is symmetric in its arguments', () => {
    // Feet at row 300, above the till zone.
    const [a, b, c] = toObservations([row(1, 1, 300, 100, 70, 200), row(1, 2, 450, 100, 70, 200), row(1, 3, 600, 154, 71, 127)], tb, cam);
    expect(observationDistance(a!, b!, H)).toBeCloseTo((150 * H) / 200, 9);
    expect(observationDistance(a!, c!, H)).toBeCloseTo(observationDistance(c!, a!, H), 12);
  });

  it("a truncated box borrows the height of its track's nearest whole box with the head in the same place", () => {
    const whole = row(1, 7, 300, 120, 110, 300);
    const later = row(9, 7, 300, 124, 160, 150); // the trolley hides his legs, head 4 px lower
    const earlier = row(5, 7, 300, 118, 150, 140);
    const moved = row(20, 7, 300, 220, 150, 140); // head 100 px lower: he has come closer
    const other = row(9, 8, 300, 124, 160, 150); // another track
    const h = wholeBodyHeights([whole, later, earlier, moved, other], 432, 2);
    expect(h.get(later)).toBe(300);
    expect(h.get(earlier)).toBe(300);
    expect(h.has(moved)).toBe(false);
    expect(h.has(other)).toBe(false);
    expect(h.has(whole)).toBe(false);
    // The nearest whole box in time lends, not the first one; none beyond the 60 s window.
    const nearer = row(40, 7, 300, 121, 110, 280);
    const cut = row(44, 7, 300, 124, 160, 150);
    const far = row(400, 7, 300, 124, 160, 150); // 180 s after the last whole box at 2 fps
    const h2 = wholeBodyHeights([whole, nearer, cut, far], 432, 2);
    expect(h2.get(cut)).toBe(280);
    expect(h2.has(far)).toBe(false);
    // Its feet go that far below the head: into the till zone in front of the counter.
    const obs = toObservations([whole, later], tb, cam);
    expect(obs[1]).toMatchObject({ heightPx: 300, foot: [380, 424], truncated: false, zone: 'till' });
    expect(atCounter(obs[1]!)).toBe(true);
  });

  it('with the frame size unknown (0 x 0, tracks read back from the store) only the aspect ratio tells, and zones are looked up where the feet are', () => {
    expect(truncatedBox(120, 118, 312, 0)).toBe(false);
    expect(truncatedBox(154, 71, 127, 0)).toBe(true);
    const unknown = { ...tb, width: 0, height: 0 }; // as agent/store-day.ts tracksOfDay builds it
    const [o] = toObservations([row(1, 1, 250, 200, 80, 200)], unknown, cam);
    expect(o).toMatchObject({ foot: [290, 400], zone: 'till', truncated: false });
    expect(atCounter(o!)).toBe(true);
  });

  it('a box cut by the lower frame edge is in the zone drawn down to that edge', () => {
    const [o] = toObservations([row(1, 1, 237, 121, 118, 311)], tb, cam);
    expect(o!.foot[1]).toBeCloseTo(432, 6);
    expect(o!.zone).toBe('till');
  });
});
