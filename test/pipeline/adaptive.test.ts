/** Adaptive sampling's state machine (pipeline/adaptive.ts): frame-by-frame scripts. */
import { describe, expect, it } from 'vitest';
import { AdaptiveSampler, apart, insideEdges, type SampledPerson } from '../../agent/src/pipeline/adaptive.js';

/** A person `h` px tall standing with their feet at (x, y). */
const at = (id: number, x: number, y = 500, h = 100): SampledPerson => ({ id, box: [x - 0.2 * h, y - h, x + 0.2 * h, y] });

/** Feed frames at 1 s steps: `people[t]` tracks matched at t; returns which frames skipped the detector. */
function run(s: AdaptiveSampler, people: readonly number[]): string {
  return people
    .map((n, t) => {
      const decision = s.decide(t);
      // a skipped frame reuses the last (empty) detections: it matches no one new
      s.observe(t, decision === 'detect' ? Array.from({ length: n }, (_, i) => at(i + 1, 1000 * i)) : []);
      return decision === 'detect' ? 'D' : '.';
    })
    .join('');
}

/**
 * Feed frames at 1 s steps as the pipeline does, each decided before the frame before it is
 * tracked (detection runs one frame ahead): `scene[t]` is who stands where at t. 'D' detected and
 * tracked, 'q' skipped outright (quiet).
 */
function pipeline(s: AdaptiveSampler, scene: ReadonlyArray<readonly SampledPerson[]>, unresolved: readonly number[] = []): string {
  let tracked: number | null = null;
  return scene
    .map((_, t) => {
      const decision = s.decide(t);
      if (tracked !== null) s.observe(tracked, scene[tracked]!, unresolved[tracked] ?? 0);
      tracked = decision === 'quiet' ? null : t;
      return decision === 'detect' ? 'D' : decision === 'quiet' ? 'q' : 'e';
    })
    .join('');
}

describe('AdaptiveSampler, empty scenes', () => {
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
  it('keeps the full rate while people are seen, however short emptyAfterSec is against the decision lag', () => {
    // Decided one frame before the frame before it is tracked: at 1 s steps the time since anyone
    // was seen is always >= 2 s at a decision; the last tracked frame having seen someone keeps it full.
    const s = new AdaptiveSampler({ emptyEvery: 3, emptyAfterSec: 2 });
    const person = [at(1, 500)];
    expect(pipeline(s, Array(8).fill(person))).toBe('DDDDDDDD');
  });
  it('is off at emptyEvery 1', () => {
    expect(run(new AdaptiveSampler({ emptyEvery: 1, emptyAfterSec: 0 }), [0, 0, 0, 0, 0])).toBe('DDDDD');
  });
  it.each([
    [{ emptyEvery: 0 }, /emptyEvery must be an integer >= 1, got 0/],
    [{ emptyEvery: 2.5 }, /emptyEvery must be an integer >= 1, got 2.5/],
    [{ emptyAfterSec: -1 }, /emptyAfterSec must be >= 0, got -1/],
    [{ quietEvery: 0 }, /quietEvery must be an integer >= 1, got 0/],
    [{ quietRadius: 0 }, /quietRadius must be a finite number > 0, got 0/],
    [{ quietRadius: Number.NaN }, /quietRadius must be a finite number > 0, got NaN/],
  ])('refuses %o', (o, err) => {
    expect(() => new AdaptiveSampler(o)).toThrow(err);
  });
});

describe('AdaptiveSampler, quiet scenes', () => {
  const quiet = (quietEvery = 3, quietRadius = 4) => new AdaptiveSampler({ quietEvery, quietRadius });
  it('measures apart in body heights: foot-point distance over the mean box height', () => {
    // 100 px people 401 px apart: 4.01 heights; 399: 3.99.
    expect(apart([at(1, 0), at(2, 401)], 4)).toBe(true);
    expect(apart([at(1, 0), at(2, 399)], 4)).toBe(false);
    // Depth counts through the foot points' rows; the far (shorter) one lowers the mean height.
    // 300 px over a mean of 80 px: 3.75 heights.
    expect(apart([at(1, 0, 500, 100), at(2, 0, 200, 60)], 4)).toBe(false);
    expect(apart([at(1, 0, 500, 100), at(2, 0, 200, 60)], 3.7)).toBe(true);
    // Any close pair among three breaks it; one person or nobody is apart.
    expect(apart([at(1, 0), at(2, 1000), at(3, 1200)], 4)).toBe(false);
    expect(apart([at(1, 0)], 4)).toBe(true);
  });
  it('runs one frame in quietEvery, skipped outright, while two people stay far apart', () => {
    const far = [at(1, 0), at(2, 1000)];
    // t0 detected; t1 decided before t0 is tracked (full rate); t1 tracked: same two ids, far apart -> quiet from t2 on.
    expect(pipeline(quiet(3), Array(10).fill(far))).toBe('DDDqqDqqDq');
  });
  it('comes back to the full rate when two people come within the radius, one frame after it is seen', () => {
    // They approach; from t=5 on they stand 300 px (3 heights) apart.
    const scene = Array.from({ length: 12 }, (_, t) => (t < 5 ? [at(1, 0), at(2, 1000)] : [at(1, 0), at(2, 300)]));
    const got = pipeline(quiet(3), scene);
    // t5 is the next tracked frame after t2 and sees them close; t6 was already decided (skipped),
    // from t7 every frame is detected.
    expect(got).toBe('DDDqqDqDDDDD');
    expect(got.slice(7)).toBe('DDDDD');
  });
  it('a new track, a lost one, or something unresolved restores the full rate', () => {
    const one = [at(1, 0)];
    const two = [at(1, 0), at(2, 1000)];
    // A newcomer (id 2, far away) at t=5, seen at t=5 and the full rate back at t=7; id 2 gone at
    // t=9, which falls in a quiet gap: seen at t=11, and the full rate is back at t=13.
    const scene = [one, one, one, one, one, two, two, two, two, one, one, one, one, one];
    expect(pipeline(quiet(3), scene)).toBe('DDDqqDqDDqqDqD');
    // The same lone person, but the tracker leaves something unsettled at t=2 (a coasting track, a detection that may start a track).
    const unresolved = [0, 0, 1, 0, 0, 0, 0, 0];
    expect(pipeline(quiet(2), Array(8).fill(one), unresolved)).toBe('DDDqDDqD');
  });
  it('is not quiet while anyone is within half the radius of the picture edge (the exit rule needs observations a step apart there)', () => {
    const s = quiet(3, 4);
    const picture = { width: 1000, height: 800 };
    // 100 px tall, feet at y 500 (head at 400): 2 heights from the top edge, 3 from the bottom.
    s.observe(0, [at(1, 500)], 0, picture);
    s.observe(1, [at(1, 500)], 0, picture);
    expect(s.decide(2)).toBe('quiet');
    // Within 2 heights (200 px) of the left edge: the full rate.
    s.observe(2, [at(1, 199)], 0, picture);
    expect(s.decide(3)).toBe('detect');
    s.observe(3, [at(1, 300)], 0, picture);
    expect(s.decide(4)).toBe('quiet');
    expect(insideEdges([at(1, 300)], 2, picture)).toBe(true);
    expect(insideEdges([at(1, 500, 420, 150)], 2, picture)).toBe(false); // 150 px tall, head 270 px (1.8 heights) from the top
    expect(insideEdges([at(1, 500, 700)], 2, picture)).toBe(false); // feet 1 height from the bottom
  });
  it('is never quiet with nobody in view (the empty rule decides there) nor at quietEvery 1', () => {
    expect(pipeline(quiet(3), Array(6).fill([]))).toBe('DDDDDD');
    expect(pipeline(quiet(1), Array(6).fill([at(1, 0)]))).toBe('DDDDDD');
    expect(new AdaptiveSampler({ quietEvery: 1 }).enabled).toBe(false);
  });
});
