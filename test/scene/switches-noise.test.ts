import { describe, expect, it } from 'vitest';
import type { Observation } from '../../agent/src/scene/observations.js';
import { fragmentsOf, gatingCost, idCounter, stitchFragments } from '../../agent/src/scene/stitch.js';
import { encounters, footNoiseM, jitterOf, resolveSwitches, type SwitchOptions } from '../../agent/src/scene/switches.js';
import { swapAt, T0, track } from './script.js';

const opts = { maxGapS: 45, maxSpeedMps: 1.6, baseRadiusM: 1.2, exitGapS: 0, personHeightM: 1.7 };
const stitch = (obs: Observation[]) => stitchFragments(fragmentsOf(obs), gatingCost(opts), opts.maxGapS, idCounter());
const base: SwitchOptions = { encounterM: 0.6, personHeightM: 1.7, sampleDtMs: 1000, streamStart: T0 - 300_000, streamEnd: T0 + 900_000 };

/** A fixed, seeded Gaussian sequence (Box-Muller over a small LCG): the same foot-point noise on every run. */
function gaussians(seed: number): () => number {
  let s = seed;
  const u = (): number => {
    s = (s * 1664525 + 1013904223) % 4294967296;
    return (s + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/** Foot-point noise of `sigma` metres per axis on every sample; `pin` sets chosen samples' offsets exactly (seconds from T0 -> offset). */
function noisy(obs: Observation[], sigma: number, seed: number, pin: ReadonlyMap<number, [number, number]> = new Map()): Observation[] {
  const g = gaussians(seed);
  return obs.map((o) => {
    const n: [number, number] = [sigma * g(), sigma * g()];
    const [dx, dy] = pin.get((o.t - T0) / 1000) ?? n;
    const world: [number, number] = [o.world![0] + dx, o.world![1] + dy];
    return { ...o, world, foot: [world[0] * 50, world[1] * 50] };
  });
}

const SIGMA = 0.12;
// A seller standing at (5, 5) from the staff side, all day on this stretch, back to the staff side at 400 s.
const seller = () =>
  noisy(
    track('c1', 1, [
      { from: 0, to: 0, a: [8, 8], zone: 'staff' },
      { from: 1, to: 20, a: [8, 8], b: [5, 5] },
      { from: 21, to: 379, a: [5, 5] },
      { from: 380, to: 399, a: [5, 5], b: [8, 8] },
      { from: 400, to: 400, a: [8, 8], zone: 'staff' },
    ]),
    SIGMA,
    1,
    // At the pass (150 s) her foot point is measured 0.15 m to the right of where she stands.
    new Map([[150, [0.15, 0]]]),
  );
// A customer in through the door, straight past her (true closest approach 0.45 m, at 150 s, walking 1 m/s) and out again.
const customer = () =>
  noisy(
    track('c1', 2, [
      { from: 100, to: 100, a: [1, 0.5], zone: 'entrance' },
      { from: 101, to: 145, a: [1, 1], b: [4.55, 0] },
      { from: 146, to: 160, a: [4.55, 1], b: [4.55, 15] },
      { from: 161, to: 199, a: [4.55, 15], b: [1, 1] },
      { from: 200, to: 200, a: [1, 0.5], zone: 'entrance' },
    ]).filter((o, i, all) => i === 0 || o.t !== all[i - 1]!.t),
    SIGMA,
    2,
    // ... and his 0.05 m to the left: measured 0.65 m apart at the closest, over encounterM's 0.6.
    new Map([[150, [-0.05, 0]]]),
  );

const dist = (a: Observation, b: Observation): number => Math.hypot(a.world![0] - b.world![0], a.world![1] - b.world![1]);
const endsAt = (p: { obs: readonly Observation[] }): number => p.obs[p.obs.length - 1]!.t;

describe('close passes allow for the measured foot-point noise', () => {
  it('the noise of a foot point is estimated from its own track (median jitter about the line through its neighbours)', () => {
    const still = noisy(track('c1', 1, [{ from: 0, to: 400, a: [5, 5] }]), SIGMA, 7);
    const walk = noisy(track('c1', 2, [{ from: 0, to: 400, a: [0, 0], b: [400, 0] }]), SIGMA, 8);
    for (const obs of [still, walk]) {
      const n = footNoiseM(obs, jitterOf(obs, 1.7, 1000));
      const est = [50, 200, 350].map((k) => n[k]!);
      for (const e of est) expect(Math.abs(e - SIGMA) / SIGMA).toBeLessThan(0.35);
    }
    // Samples on two cameras, or a step of more than one and a half sampling intervals apart, say nothing.
    const j = jitterOf([...still.slice(0, 3), { ...still[3]!, camera: 'c2' }], 1.7, 1000);
    expect([...j].map(Number.isNaN)).toEqual([true, false, true, true]);
  });

  it('a pass measured at 0.65 m (true 0.45 m) is a close pass once the noise is allowed for; at the bare 0.6 m it is not', () => {
    const s = seller();
    const c = customer();
    const atPass = (o: Observation[]) => o.find((x) => x.t === T0 + 150_000)!;
    expect(dist(atPass(s), atPass(c))).toBeCloseTo(0.65, 6);
    expect(Math.min(...c.map((o) => dist(o, s.find((x) => x.t === o.t)!)))).toBeGreaterThan(0.6);
    const [ps, pc] = stitch([...s, ...c]);
    expect(encounters(ps!, pc!, { ...base, noiseZ: 0 })).toHaveLength(0);
    // The default allowance: NOISE_Z (0.5) standard deviations of the pair's noise, each ~0.12 m measured from its own track.
    expect(encounters(ps!, pc!, base).map((e) => (e.t - T0) / 1000)).toEqual([150]);
  });

  it('the tracker swapped them at that pass: the swap is undone (the old gate never looked)', () => {
    const mixed = swapAt(seller(), customer(), 150);
    const sellerOf = (persons: ReturnType<typeof resolveSwitches>) => persons.find((p) => p.start === T0)!;
    // The bare 0.6 m gate: the seller's chain leaves through the customer door at 200 s.
    expect(endsAt(sellerOf(resolveSwitches(stitch(mixed), { ...base, noiseZ: 0 })))).toBe(T0 + 200_000);
    const fixed = resolveSwitches(stitch(mixed), base);
    expect(endsAt(sellerOf(fixed))).toBe(T0 + 400_000);
    expect(endsAt(fixed.find((p) => p.start === T0 + 100_000)!)).toBe(T0 + 200_000);
  });

  it('a seller serving a customer 0.9 m away for two minutes, both measured as noisily: never swapped', () => {
    const served = noisy(
      track('c1', 2, [
        { from: 100, to: 100, a: [4.1, 0.5], zone: 'entrance' },
        { from: 101, to: 130, a: [4.1, 1], b: [4.1, 5] },
        { from: 131, to: 250, a: [4.1, 5] },
        { from: 251, to: 280, a: [4.1, 5], b: [1, 1] },
        { from: 281, to: 281, a: [1, 0.5], zone: 'entrance' },
      ]),
      SIGMA,
      3,
    );
    // Neither's ends say anything (the stream starts and ends within a minute of them): only the motion check could swap them.
    const o = { ...base, noiseZ: 2, streamStart: T0 + 50_000, streamEnd: T0 + 420_000 };
    // (z 2, four times the default allowance: the gate reaches 0.94 m, so the two are judged at many samples.)
    const judged: boolean[] = [];
    const persons = resolveSwitches(stitch([...seller(), ...served]), { ...o, trace: (d) => judged.push(d.swapped) });
    expect(judged.length).toBeGreaterThan(0);
    expect(judged.every((x) => !x)).toBe(true);
    expect(persons.map((p) => [(p.start - T0) / 1000, (endsAt(p) - T0) / 1000])).toEqual([
      [0, 400],
      [100, 281],
    ]);
  });
});
