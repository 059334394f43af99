import { describe, expect, it } from 'vitest';
import type { Observation } from '../../agent/src/scene/observations.js';
import { fragmentsOf, gatingCost, idCounter, stitchFragments } from '../../agent/src/scene/stitch.js';
import { continuationError, resolveSwitches } from '../../agent/src/scene/switches.js';
import { swapAt, T0, track } from './script.js';

const opts = { maxGapS: 45, maxSpeedMps: 1.6, baseRadiusM: 1.2, exitGapS: 0, personHeightM: 1.7 };
const stitch = (obs: Observation[]) => stitchFragments(fragmentsOf(obs), gatingCost(opts), opts.maxGapS, idCounter());
const resolve = (obs: Observation[], motionWindowS?: number) =>
  resolveSwitches(stitch(obs), {
    encounterM: 0.6,
    personHeightM: 1.7,
    sampleDtMs: 1000,
    streamStart: T0 - 300_000,
    streamEnd: T0 + 900_000,
    ...(motionWindowS !== undefined ? { motionWindowS } : {}),
  });

// A: in through the door, browses standing at (5, 5) until 200 s, out through the door.
const A = track('c1', 1, [
  { from: 0, to: 0, a: [1, 0.5], zone: 'entrance' },
  { from: 1, to: 30, a: [1.2, 1], b: [5, 5] },
  { from: 31, to: 200, a: [5, 5] },
  { from: 201, to: 229, a: [5, 5], b: [1.2, 1] },
  { from: 230, to: 230, a: [1, 0.5], zone: 'entrance' },
]);
// B: in through the door, walks right past A at 1 m/s (through (5, 5) at 153 s) and out again.
const B = track('c1', 2, [
  { from: 100, to: 100, a: [2, 0.5], zone: 'entrance' },
  { from: 101, to: 150, a: [2, 1], b: [2, 5] },
  { from: 150, to: 160, a: [2, 5], b: [12, 5] },
  { from: 161, to: 175, a: [12, 4.5], b: [9, 1] },
  { from: 176, to: 176, a: [9, 0.5], zone: 'entrance' },
]).filter((o, i, all) => i === 0 || o.t !== all[i - 1]!.t);

const whoEnds = (p: { obs: readonly Observation[] }): number => p.obs[p.obs.length - 1]!.t;

describe('undoing an id swap between two customers by their motion', () => {
  it('the walker and the one standing still get their own tails back', () => {
    const mixed = swapAt(A, B, 153);
    const fixed = resolve(mixed);
    const a = fixed.find((p) => p.start === T0)!;
    const b = fixed.find((p) => p.start === T0 + 100_000)!;
    // A's visit ends when A leaves (230 s), B's when B leaves (176 s).
    expect(whoEnds(a)).toBe(T0 + 230_000);
    expect(whoEnds(b)).toBe(T0 + 176_000);
    expect(a.obs.filter((o) => o.t > T0 + 153_000 && o.t <= T0 + 200_000).every((o) => o.world![0] === 5 && o.world![1] === 5)).toBe(true);
  });

  it('the old rule (doors only: both came in and went out through the door) leaves the swap in place', () => {
    const fixed = resolve(swapAt(A, B, 153), 0);
    const a = fixed.find((p) => p.start === T0)!;
    expect(whoEnds(a)).toBe(T0 + 176_000);
  });

  it('other people passing close elsewhere in the store do not cut the walks short', () => {
    // Two sellers at one table across the floor, one leaning in every other second from 100 s to
    // 200 s: a close pass of theirs every 2 s. The walks after A and B's pass are still A's and B's.
    const C = track('c1', 3, [{ from: 90, to: 210, a: [12, 10] }]);
    const D = track('c1', 4, [{ from: 90, to: 210, a: [13, 10] }]).map((o, i) => (i % 2 === 0 ? o : { ...o, world: [12.4, 10] as [number, number] }));
    const fixed = resolve([...swapAt(A, B, 153), ...C, ...D]);
    expect(whoEnds(fixed.find((p) => p.start === T0)!)).toBe(T0 + 230_000);
    expect(whoEnds(fixed.find((p) => p.start === T0 + 100_000)!)).toBe(T0 + 176_000);
  });

  it('at 0.5 fps the window stretches to two samples on each side, and the walker still gets its tail back', () => {
    // B2 walks past A at 1 m/s (through (5, 5) at 150 s); sampled every 2 s.
    const B2 = track('c1', 2, [
      { from: 100, to: 100, a: [1, 0.5], zone: 'entrance' },
      { from: 101, to: 145, a: [1, 1], b: [1, 5] },
      { from: 146, to: 156, a: [1, 5], b: [11, 5] },
      { from: 157, to: 175, a: [11, 4.5], b: [9, 1] },
      { from: 176, to: 176, a: [9, 0.5], zone: 'entrance' },
    ]);
    const every2s = (obs: Observation[]) => obs.filter((o) => ((o.t - T0) / 1000) % 2 === 0);
    const fixed = resolveSwitches(stitch(every2s(swapAt(A, B2, 150))), {
      encounterM: 0.6,
      personHeightM: 1.7,
      sampleDtMs: 2000,
      streamStart: T0 - 300_000,
      streamEnd: T0 + 900_000,
    });
    expect(whoEnds(fixed.find((p) => p.start === T0)!)).toBe(T0 + 230_000);
    expect(whoEnds(fixed.find((p) => p.start === T0 + 100_000)!)).toBe(T0 + 176_000);
  });

  it('never swaps two people who did not swap', () => {
    const fixed = resolve([...A, ...B]);
    expect(whoEnds(fixed.find((p) => p.start === T0)!)).toBe(T0 + 230_000);
    expect(whoEnds(fixed.find((p) => p.start === T0 + 100_000)!)).toBe(T0 + 176_000);
  });

  it('continuationError: a walk continued at its own velocity fits; standing still does not say walking', () => {
    const walk = track('c1', 1, [{ from: 0, to: 6, a: [0, 0], b: [6, 0] }]);
    const still = track('c1', 2, [{ from: 4, to: 6, a: [3, 0] }]);
    expect(continuationError(walk.slice(0, 3), walk.slice(3), 1.7)).toBeCloseTo(0, 9);
    expect(continuationError(walk.slice(0, 3), still, 1.7)).toBeGreaterThan(1);
    expect(continuationError(walk.slice(0, 1), walk.slice(3), 1.7)).toBeNull();
  });
});
