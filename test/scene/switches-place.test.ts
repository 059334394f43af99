import { describe, expect, it } from 'vitest';
import type { Observation } from '../../agent/src/scene/observations.js';
import { fragmentsOf, gatingCost, idCounter, stitchFragments } from '../../agent/src/scene/stitch.js';
import { resolveSwitches, type SwitchDecision, type SwitchOptions } from '../../agent/src/scene/switches.js';
import { swapAt, T0, track } from './script.js';

const opts = { maxGapS: 45, maxSpeedMps: 1.6, baseRadiusM: 1.2, exitGapS: 0, personHeightM: 1.7 };
const stitch = (obs: Observation[]) => stitchFragments(fragmentsOf(obs), gatingCost(opts), opts.maxGapS, idCounter());
const base: SwitchOptions = { encounterM: 0.6, personHeightM: 1.7, sampleDtMs: 1000, streamStart: T0 - 300_000, streamEnd: T0 + 900_000 };

const endOf = (p: { obs: readonly Observation[] }): number => p.obs[p.obs.length - 1]!.t;

// A: in through the door, browses standing at (5, 5) until 200 s, out through the door at 230 s.
const A = track('c1', 1, [
  { from: 0, to: 0, a: [1, 0.5], zone: 'entrance' },
  { from: 1, to: 30, a: [1.2, 1], b: [5, 5] },
  { from: 31, to: 200, a: [5, 5] },
  { from: 201, to: 229, a: [5, 5], b: [1.2, 1] },
  { from: 230, to: 230, a: [1, 0.5], zone: 'entrance' },
]);
// B: first seen at 152 s one step from A (stepping out from behind a shelf), walks right past her at
// 1 m/s (through (5, 5) at 153 s) and out through the door at 176 s. The tracker swaps them at 153 s,
// when B has a single sample behind her: the walks before the pass cannot say who is who.
const B = track('c1', 2, [
  { from: 152, to: 160, a: [4, 5], b: [12, 5] },
  { from: 161, to: 175, a: [12, 4.5], b: [9, 1] },
  { from: 176, to: 176, a: [9, 0.5], zone: 'entrance' },
]);

describe('a swap the walks before the pass cannot judge', () => {
  it('is undone by the walks after it, continued back to the samples before it (motionSides either or both)', () => {
    for (const motionSides of ['either', 'both'] as const) {
      const judged: SwitchDecision[] = [];
      const fixed = resolveSwitches(stitch(swapAt(A, B, 153)), { ...base, motionSides, trace: (d) => judged.push(d) });
      expect(judged).toHaveLength(1);
      expect(judged[0]!.motion).not.toBeNull();
      expect(judged[0]!.swapped).toBe(true);
      expect(endOf(fixed.find((p) => p.start === T0)!)).toBe(T0 + 230_000);
      expect(endOf(fixed.find((p) => p.start === T0 + 152_000)!)).toBe(T0 + 176_000);
    }
  });

  it('the walks before alone (the old rule) say nothing, and the swap stays', () => {
    const judged: SwitchDecision[] = [];
    const fixed = resolveSwitches(stitch(swapAt(A, B, 153)), { ...base, motionSides: 'before', trace: (d) => judged.push(d) });
    expect(judged[0]!.motion).toBeNull();
    expect(endOf(fixed.find((p) => p.start === T0)!)).toBe(T0 + 176_000);
  });

  it('two people who did not swap are kept', () => {
    const judged: SwitchDecision[] = [];
    const fixed = resolveSwitches(stitch([...A, ...B]), { ...base, motionSides: 'both', trace: (d) => judged.push(d) });
    expect(judged.map((d) => d.swapped)).toEqual([false]);
    expect(endOf(fixed.find((p) => p.start === T0)!)).toBe(T0 + 230_000);
  });
});

// The doors' veto. C: in through the door, stands at (5, 5) until the stream ends (her tail says
// nothing). D: first seen mid-floor at 140 s, walks past her (through (5, 5) at 153 s) and out
// through the door at 176 s. Swapped at 153 s, C's chain runs door to door and D's has no door at
// either end: the kept pairing is the more consistent one, yet the true one contradicts nothing.
const C = track('c1', 1, [
  { from: 0, to: 0, a: [1, 0.5], zone: 'entrance' },
  { from: 1, to: 30, a: [1.2, 1], b: [5, 5] },
  { from: 31, to: 880, a: [5, 5] },
]);
const D = track('c1', 2, [
  { from: 140, to: 160, a: [-8, 5], b: [12, 5] },
  { from: 161, to: 175, a: [12, 4.5], b: [9, 1] },
  { from: 176, to: 176, a: [9, 0.5], zone: 'entrance' },
]);

describe('the doors veto a swap only when the swapped pairing contradicts them', () => {
  it("a door-to-door chain is no evidence against a pairing whose ends say nothing: the motion's swap stands", () => {
    const judged: SwitchDecision[] = [];
    const fixed = resolveSwitches(stitch(swapAt(C, D, 153)), { ...base, doorRule: 'contradiction-veto', trace: (d) => judged.push(d) });
    expect(judged.map((d) => [d.keepScore, d.swapScore, d.swapped])).toEqual([[1, 0, true]]);
    expect(endOf(fixed.find((p) => p.start === T0)!)).toBe(T0 + 880_000);
    expect(endOf(fixed.find((p) => p.start === T0 + 140_000)!)).toBe(T0 + 176_000);
  });

  it('the old rule (with-motion) lets the better-paired doors keep the swap', () => {
    const fixed = resolveSwitches(stitch(swapAt(C, D, 153)), base);
    expect(endOf(fixed.find((p) => p.start === T0)!)).toBe(T0 + 176_000);
  });

  it('a swap that would pair a door head with a staff-side tail is still vetoed', () => {
    // C now ends through the staff side at 800 s: undoing the swap would give her door head that tail.
    const Cstaff = track('c1', 1, [
      { from: 0, to: 0, a: [1, 0.5], zone: 'entrance' },
      { from: 1, to: 30, a: [1.2, 1], b: [5, 5] },
      { from: 31, to: 779, a: [5, 5] },
      { from: 780, to: 799, a: [5, 5], b: [8, 8] },
      { from: 800, to: 800, a: [8, 8], zone: 'staff' },
    ]);
    const judged: SwitchDecision[] = [];
    resolveSwitches(stitch(swapAt(Cstaff, D, 153)), { ...base, doorRule: 'contradiction-veto', trace: (d) => judged.push(d) });
    expect(judged.map((d) => [d.keepScore, d.swapScore, d.swapped])).toEqual([[1, -1, false]]);
    // The motion alone would have swapped: the doors decided.
    expect(judged[0]!.motion!.keep - judged[0]!.motion!.swap).toBeGreaterThan(1);
  });
});

// Simulated seed 2 at 1 fps, in miniature. S, a seller, comes from the staff side and stands at
// (3.25, 7.72). A customer W stands at (0.8, 7.95), starts walking at 121 s at 1 m/s and passes her:
// 0.50 m apart at 123 s, 0.59 m at 124 s (a run of closeness of two samples). The tracker swaps them
// at 124 s, one sample into the run. K, another customer, stands at (3.8, 8.45), close to W at 124 s.
const S = track('c1', 1, [
  { from: 0, to: 0, a: [8, 9], zone: 'staff' },
  { from: 1, to: 20, a: [8, 9], b: [3.25, 7.72] },
  { from: 21, to: 400, a: [3.25, 7.72] },
  { from: 401, to: 419, a: [3.25, 7.72], b: [8, 9] },
  { from: 420, to: 420, a: [8, 9], zone: 'staff' },
]);
const W = track('c1', 2, [
  { from: 60, to: 60, a: [0.8, 0.5], zone: 'entrance' },
  { from: 61, to: 90, a: [0.8, 1], b: [0.8, 7.95] },
  { from: 91, to: 121, a: [0.8, 7.95] },
  { from: 122, to: 130, a: [1.8, 7.95], b: [9.8, 7.95] },
  { from: 131, to: 139, a: [9.8, 7], b: [9.8, 1] },
  { from: 140, to: 140, a: [9.8, 0.5], zone: 'entrance' },
]);
const K = track('c1', 3, [
  { from: 30, to: 30, a: [4, 0.5], zone: 'entrance' },
  { from: 31, to: 60, a: [4, 1], b: [3.8, 8.45] },
  { from: 61, to: 300, a: [3.8, 8.45] },
  { from: 301, to: 330, a: [3.8, 8.45], b: [4, 1] },
  { from: 331, to: 331, a: [4, 0.5], zone: 'entrance' },
]);

describe('a swap one sample into a run of closeness', () => {
  const sellerEnd = (persons: ReturnType<typeof resolveSwitches>) => endOf(persons.find((p) => p.start === T0)!);

  it('judged at the run first sample (the default) the walk after is still the unswapped one: the seller leaves as the customer', () => {
    const judged: SwitchDecision[] = [];
    const fixed = resolveSwitches(stitch([...swapAt(S, W, 124), ...K]), { ...base, trace: (d) => judged.push(d) });
    const pass = judged.find((d) => d.encounter.run.length === 2)!;
    expect((pass.encounter.t - T0) / 1000).toBe(123);
    expect(pass.swapped).toBe(false);
    expect(sellerEnd(fixed)).toBe(T0 + 140_000);
  });

  it('judged on both sides of the whole run, from both directions, the seller gets her afternoon back', () => {
    const fixed = resolveSwitches(stitch([...swapAt(S, W, 124), ...K]), { ...base, motionSpan: 'run', motionSides: 'both' });
    expect(sellerEnd(fixed)).toBe(T0 + 420_000);
    expect(endOf(fixed.find((p) => p.start === T0 + 60_000)!)).toBe(T0 + 140_000);
    // Nobody who did not swap is swapped.
    const clean = resolveSwitches(stitch([...S, ...W, ...K]), { ...base, motionSpan: 'run', motionSides: 'both' });
    expect(sellerEnd(clean)).toBe(T0 + 420_000);
    expect(endOf(clean.find((p) => p.start === T0 + 30_000)!)).toBe(T0 + 331_000);
  });
});
