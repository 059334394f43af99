import { describe, expect, it } from 'vitest';
import { cosineDistance, fragmentsOf, gatingCost, idCounter, stitchFragments, withAppearance, type AppearanceIndex } from '../../agent/src/scene/stitch.js';
import { track } from './script.js';

const opts = { maxGapS: 45, maxSpeedMps: 1.6, baseRadiusM: 1.2, exitGapS: 0, personHeightM: 1.7 };
const app = { weight: 2, maxCosineDistance: 0.5 };
const unit = (v: number[]): Float32Array => {
  const n = Math.hypot(...v);
  return Float32Array.from(v, (x) => x / n);
};
const index = (m: Record<number, number[]>): AppearanceIndex => new Map([['c1', new Map(Object.entries(m).map(([k, v]) => [Number(k), unit(v)]))]]);
const chains = (persons: ReturnType<typeof stitchFragments>) => persons.map((p) => p.fragments.map((f) => f.track)).sort((a, b) => a[0]! - b[0]!);

// Two customers meet, stand face to face, and are lost in the same occlusion; they come out having
// swapped sides, so each new fragment starts nearest to the *other* person's last position.
const crossing = [
  ...track('c1', 1, [
    { from: 0, to: 20, a: [1, 5], b: [5, 5] },
    { from: 21, to: 30, a: [5, 5] },
  ]),
  ...track('c1', 2, [
    { from: 0, to: 20, a: [9, 5.4], b: [5.25, 5.4] },
    { from: 21, to: 30, a: [5.25, 5.4] },
  ]),
  ...track('c1', 3, [{ from: 34, to: 60, a: [5.2, 5.35], b: [9, 5.3] }]),
  ...track('c1', 4, [{ from: 34, to: 60, a: [5.05, 5.05], b: [1, 5] }]),
];
// Track 3 continues customer 1 (it looks like track 1), track 4 continues customer 2.
const looks = index({ 1: [1, 0.1, 0, 0.2], 2: [0.1, 1, 0.2, 0], 3: [0.95, 0.15, 0.1, 0.25], 4: [0.05, 0.9, 0.3, 0.1] });

describe('stitching with appearance embeddings', () => {
  it('time/space gating alone joins two crossing customers the wrong way round', () => {
    const persons = stitchFragments(fragmentsOf(crossing), gatingCost(opts), opts.maxGapS, idCounter());
    expect(chains(persons)).toEqual([
      [1, 4],
      [2, 3],
    ]);
  });

  it('joins them right when both fragments carry an embedding', () => {
    const frags = fragmentsOf(crossing, looks);
    expect(frags.every((f) => f.embedding !== null)).toBe(true);
    const persons = stitchFragments(frags, withAppearance(gatingCost(opts), app), opts.maxGapS, idCounter());
    expect(chains(persons)).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });

  it('refuses a link between fragments that look like different people, however well they line up', () => {
    const obs = [...track('c1', 1, [{ from: 0, to: 20, a: [1, 1], b: [5, 5] }]), ...track('c1', 2, [{ from: 22, to: 40, a: [5.2, 5.2], b: [8, 8] }])];
    const gated = stitchFragments(fragmentsOf(obs), gatingCost(opts), opts.maxGapS, idCounter());
    expect(gated).toHaveLength(1);
    const fused = stitchFragments(fragmentsOf(obs, index({ 1: [1, 0, 0], 2: [0.2, 1, 0] })), withAppearance(gatingCost(opts), app), opts.maxGapS, idCounter());
    expect(chains(fused)).toEqual([[1], [2]]);
    // ...and a gate of 2 lets appearance weigh in without ever forbidding.
    const open = stitchFragments(
      fragmentsOf(obs, index({ 1: [1, 0, 0], 2: [0.2, 1, 0] })),
      withAppearance(gatingCost(opts), { weight: 2, maxCosineDistance: 2 }),
      opts.maxGapS,
      idCounter(),
    );
    expect(open).toHaveLength(1);
  });

  it('leaves the cost untouched where either fragment has no embedding, and never revives a link motion forbids', () => {
    const frags = fragmentsOf(crossing, index({ 1: [1, 0, 0, 0], 4: [0, 1, 0, 0] }));
    const base = gatingCost(opts);
    const fused = withAppearance(base, app);
    const [f1, f2, f3, f4] = ['c1#1', 'c1#2', 'c1#3', 'c1#4'].map((k) => frags.find((f) => f.key === k)!);
    expect(fused(f1!, f3!, 4)).toBe(base(f1!, f3!, 4));
    expect(fused(f2!, f4!, 4)).toBe(base(f2!, f4!, 4));
    expect(fused(f1!, f4!, 4)).toBeNull(); // orthogonal: cosine distance 1 > 0.5
    expect(fused(f1!, f3!, 60)).toBeNull(); // beyond the max gap, whatever it looks like
    const same = fragmentsOf(crossing, index({ 1: [1, 0, 0, 0], 3: [1, 0, 0, 0] }));
    const g1 = same.find((f) => f.key === 'c1#1')!;
    const g3 = same.find((f) => f.key === 'c1#3')!;
    expect(fused(g1, g3, 4)).toBeCloseTo(base(g1, g3, 4)!, 6);
  });

  it('measures cosine distance on unnormalised vectors and treats zero or mismatched vectors as far', () => {
    expect(cosineDistance(Float32Array.from([2, 0]), Float32Array.from([5, 0]))).toBeCloseTo(0, 6);
    expect(cosineDistance(Float32Array.from([1, 0]), Float32Array.from([-1, 0]))).toBeCloseTo(2, 6);
    expect(cosineDistance(Float32Array.from([0, 0]), Float32Array.from([1, 0]))).toBe(1);
    expect(cosineDistance(Float32Array.from([1, 0]), Float32Array.from([1, 0, 0]))).toBe(Infinity);
  });
});
