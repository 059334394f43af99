import { describe, expect, it } from 'vitest';
import { fragmentsOf, gatingCost, idCounter, type LinkCost, stitchFragments } from '../../agent/src/scene/stitch.js';
import { track } from './script.js';

const opts = { maxGapS: 45, maxSpeedMps: 1.6, baseRadiusM: 1.2, exitGapS: 0, personHeightM: 1.7 };
const chains = (obs: ReturnType<typeof track>, cost: LinkCost = gatingCost(opts)) =>
  stitchFragments(fragmentsOf(obs), cost, opts.maxGapS, idCounter()).map((p) => p.fragments.map((f) => f.track));

describe('stitching: who continues whom is an assignment, not cheapest first', () => {
  // A seller stands at the counter (5, 5) and is lost from 100 s to 110 s; the customer beside them
  // at (5.8, 5) is lost from 90 s and comes back at 103 s, a step closer (5.6, 5).
  const obs = [
    ...track('c1', 1, [{ from: 0, to: 100, a: [5, 5] }]), // seller
    ...track('c1', 2, [{ from: 30, to: 90, a: [5.8, 5] }]), // customer
    ...track('c1', 3, [{ from: 103, to: 200, a: [5.6, 5] }]), // the customer again
    ...track('c1', 4, [{ from: 110, to: 300, a: [5, 5] }]), // the seller again
  ];

  it('the seller keeps their own return though the customer’s came back sooner', () => {
    // The costs: seller -> customer's return 0.40, seller -> own return 0.50, customer -> own return 0.68, customer -> seller's 1.09.
    const cost = gatingCost(opts);
    const f = new Map(fragmentsOf(obs).map((x) => [x.track, x]));
    const c = (a: number, b: number) => cost(f.get(a)!, f.get(b)!, (f.get(b)!.obs[0]!.t - f.get(a)!.obs.at(-1)!.t) / 1000)!;
    expect(c(1, 3)).toBeLessThan(c(1, 4));
    expect(c(2, 3)).toBeLessThan(c(2, 4));
    expect(c(1, 4) + c(2, 3)).toBeLessThan(c(1, 3) + c(2, 4));
    // Cheapest first took 1 -> 3 (0.40), then gave the customer the seller's afternoon (2 -> 4).
    expect(chains(obs)).toEqual([
      [1, 4],
      [2, 3],
    ]);
  });

  it('no more links than cheapest first makes: two dear links do not displace one good one', () => {
    // A person lost at 100 s is back at 102 s (track 3); a second fragment could also reach track 3
    // dearly, and the person could dearly reach track 4. Linking both dear pairs would join more
    // fragments (as an assignment free to choose the count does) at 30 times the cost.
    const four = [
      ...track('c1', 1, [{ from: 0, to: 100, a: [5, 5] }]),
      ...track('c1', 2, [{ from: 0, to: 95, a: [8, 5] }]),
      ...track('c1', 3, [{ from: 102, to: 200, a: [5, 5] }]),
      ...track('c1', 4, [{ from: 104, to: 200, a: [8, 5] }]),
    ];
    const table = new Map([
      ['1>3', 0.1],
      ['1>4', 3],
      ['2>3', 3],
    ]);
    const cost: LinkCost = (a, b) => table.get(`${a.track}>${b.track}`) ?? null;
    expect(chains(four, cost)).toEqual([[1, 3], [2], [4]]);
  });
});

describe('stitching: a link is judged from both sides', () => {
  // Sampled every 2 s (0.5 fps). A seller rushing in is seen once at (7.4, 9.5) at 100 s; a customer
  // walks left at 0.75 m/s and is last seen at (7.7, 8.1). At 102 s two pieces start 0.5 m apart: one
  // slows to a stop at the counter (5.4, 7.4), the other walks on left at 1 m/s.
  const at = (id: number, pts: Array<[number, number, number]>) =>
    track(
      'c1',
      id,
      pts.map(([t, x, y]) => ({ from: t, to: t, a: [x, y] as [number, number] })),
    );
  const obs = [
    ...at(1, [[100, 7.4, 9.5]]), // seller
    ...at(2, [
      [96, 9.2, 8.0],
      [98, 9.2, 8.0],
      [100, 7.7, 8.1],
    ]), // customer
    ...at(3, [
      [102, 5.9, 7.8],
      [104, 5.4, 7.5],
      [106, 5.3, 7.4],
      [108, 5.4, 7.4],
    ]), // the seller stops
    ...at(4, [
      [102, 6.0, 8.3],
      [104, 4.0, 8.4],
      [106, 2.1, 8.7],
      [108, 0.8, 8.9],
    ]), // the customer walks on
  ];

  it('the starts’ own walks pair the seller with the piece that stopped', () => {
    // Forward alone, the seller (no velocity) is nearer the walker's piece (1.84 m against 2.27 m),
    // and the customer's 0.5 m miss of the other piece made that pairing the cheaper total.
    // (Persons in order of their start: the customer's piece first.)
    expect(chains(obs)).toEqual([
      [2, 4],
      [1, 3],
    ]);
  });
});
