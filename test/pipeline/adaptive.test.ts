/** Adaptive sampling's state machine (pipeline/adaptive.ts): frame-by-frame scripts. */
import { describe, expect, it } from 'vitest';
import { AdaptiveSampler } from '../../agent/src/pipeline/adaptive.js';

/** Feed frames at 1 s steps: `people[t]` tracks matched at t; returns which frames skipped the detector. */
function run(s: AdaptiveSampler, people: readonly number[]): string {
  return people
    .map((n, t) => {
      const skip = s.skip(t);
      s.observe(t, skip ? 0 : n); // a skipped frame reuses the last (empty) detections: it matches no one new
      return skip ? '.' : 'D';
    })
    .join('');
}

describe('AdaptiveSampler', () => {
  it('detects every frame while people are tracked and until the scene has been empty for emptyAfterSec', () => {
    const s = new AdaptiveSampler({ emptyEvery: 3, emptyAfterSec: 4 });
    //            t: 0 1 2 3 4 5 6 7 8 9 ...
    // last seen at t=1: empty from t=5, then one frame in three is detected
    expect(run(s, [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])).toBe('DDDDD..D..D.');
    expect(s.skipped).toBe(5);
  });
  it('returns to the full rate at the first detection of anyone', () => {
    const s = new AdaptiveSampler({ emptyEvery: 3, emptyAfterSec: 2 });
    // empty from the start; someone arrives at t=6 (seen on the next detected frame, t=7), stays to t=10
    const people = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
    const got = run(s, people);
    expect(got).toBe('DD..D..DDDDD..D.');
    // The arrival at t=6 is detected at t=7: one sampling interval late, never more than emptyEvery - 1.
    expect(got.indexOf('D', 6)).toBeLessThanOrEqual(6 + 3 - 1);
  });
  it('is off at emptyEvery 1', () => {
    expect(run(new AdaptiveSampler({ emptyEvery: 1, emptyAfterSec: 0 }), [0, 0, 0, 0, 0])).toBe('DDDDD');
  });
  it.each([
    [{ emptyEvery: 0 }, /emptyEvery must be an integer >= 1, got 0/],
    [{ emptyEvery: 2.5 }, /emptyEvery must be an integer >= 1, got 2.5/],
    [{ emptyAfterSec: -1 }, /emptyAfterSec must be >= 0, got -1/],
  ])('refuses %o', (o, err) => {
    expect(() => new AdaptiveSampler(o)).toThrow(err);
  });
});
