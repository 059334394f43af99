import { describe, expect, it } from 'vitest';
import {
  downtimeMs,
  fragmentsOf,
  gatingCost,
  idCounter,
  makePerson,
  rejoinAcrossDowntime,
  stitchFragments,
  unambiguousAcrossDowntime,
} from '../../agent/src/scene/stitch.js';
import { resolveSwitches } from '../../agent/src/scene/switches.js';
import { T0, track } from './script.js';

const opts = { maxGapS: 45, maxSpeedMps: 1.6, baseRadiusM: 1.2, exitGapS: 0, personHeightM: 1.7 };
const stitch = (obs: ReturnType<typeof track>) => stitchFragments(fragmentsOf(obs), gatingCost(opts), opts.maxGapS, idCounter());

describe('stitching across a camera outage', () => {
  // A customer browsing at (5, 5) on c1; c1 is down from 100 to 220 s; the customer is there after it.
  const obs = [...track('c1', 1, [{ from: 0, to: 99, a: [5, 5] }]), ...track('c1', 9, [{ from: 221, to: 300, a: [5.3, 5] }])];
  const down = new Map([['c1', [[T0 + 100_000, T0 + 220_000] as const]]]);

  it('the time the camera was down is not absence: one person', () => {
    const withDown = stitchFragments(fragmentsOf(obs), gatingCost({ ...opts, downtime: down }), opts.maxGapS + 120, idCounter());
    expect(withDown.map((p) => p.fragments.map((f) => f.key))).toEqual([['c1#1', 'c1#9']]);
    // Unknown downtime: a 122 s gap is beyond max_gap_seconds, two persons (what outage days gave before).
    expect(stitch(obs)).toHaveLength(2);
  });

  it('two people standing together when the camera went down are not joined across it (they cannot be told apart)', () => {
    // A seller at (5.9, 5) serving the customer; after the outage one stands at (5.3, 5), the other at (6.0, 5).
    const pair = [...obs, ...track('c1', 2, [{ from: 0, to: 99, a: [5.9, 5] }]), ...track('c1', 8, [{ from: 221, to: 300, a: [6.0, 5] }])];
    const o = { ...opts, downtime: down };
    const frags = fragmentsOf(pair);
    const guarded = stitchFragments(frags, unambiguousAcrossDowntime(gatingCost(o), frags, o), opts.maxGapS + 120, idCounter());
    expect(guarded).toHaveLength(4);
    // Alone, the customer is joined (the guard changes nothing there).
    const alone = fragmentsOf(obs);
    expect(stitchFragments(alone, unambiguousAcrossDowntime(gatingCost(o), alone, o), opts.maxGapS + 120, idCounter())).toHaveLength(1);
  });

  it('once the seller is known, the customer’s two halves are joined (rejoinAcrossDowntime)', () => {
    const o = { ...opts, downtime: down };
    const half = (id: number, legs: Parameters<typeof track>[2]) => makePerson(id, fragmentsOf(track('c1', id, legs)));
    const before = half(1, [{ from: 0, to: 99, a: [5, 5] }]);
    const after = half(9, [{ from: 221, to: 300, a: [5.3, 5] }]);
    // The seller's pieces are staff: among customers the link is unambiguous.
    expect(rejoinAcrossDowntime([before, after], o).map((g) => g.map((p) => p.id))).toEqual([[1, 9]]);
    // Had the seller's after-piece been taken for a customer, standing 0.7 m away, nothing is joined.
    const sellerAfter = half(8, [{ from: 221, to: 300, a: [6.0, 5] }]);
    expect(rejoinAcrossDowntime([before, after, sellerAfter], o).map((g) => g.map((p) => p.id))).toEqual([[1], [9], [8]]);
    // Without a known downtime nothing changes.
    expect(rejoinAcrossDowntime([before, after], opts).map((g) => g.map((p) => p.id))).toEqual([[1], [9]]);
  });

  it('another camera being down says nothing about this one', () => {
    const other = new Map([['c2', [[T0 + 100_000, T0 + 220_000] as const]]]);
    expect(stitchFragments(fragmentsOf(obs), gatingCost({ ...opts, downtime: other }), opts.maxGapS + 120, idCounter())).toHaveLength(2);
  });

  it('downtimeMs: the union of the cameras’ downtimes inside the gap', () => {
    const d = new Map([
      ['a', [[0, 100] as const, [300, 400] as const]],
      ['b', [[50, 150] as const]],
    ]);
    expect(downtimeMs(d, ['a', 'b'], 20, 350)).toBe(130 + 50);
    expect(downtimeMs(d, ['a'], 20, 350)).toBe(80 + 50);
    expect(downtimeMs(undefined, ['a'], 0, 1000)).toBe(0);
  });
});

describe('stitching fragments into persons', () => {
  it('joins a walker across an occlusion and a camera hand-over', () => {
    const obs = [
      ...track('c1', 1, [{ from: 0, to: 20, a: [1, 1], b: [5, 5] }]),
      ...track('c1', 7, [{ from: 28, to: 60, a: [6.6, 6.6], b: [8, 8] }]),
      ...track('c2', 3, [{ from: 61, to: 90, a: [8.1, 8.1], b: [12, 8] }]),
    ];
    const persons = stitch(obs);
    expect(persons).toHaveLength(1);
    expect(persons[0]!.fragments.map((f) => f.key)).toEqual(['c1#1', 'c1#7', 'c2#3']);
    expect(persons[0]!.start).toBe(T0);
    expect(persons[0]!.end).toBe(T0 + 90_000);
  });

  it('never joins beyond walking speed or the gap limit', () => {
    const far = [...track('c1', 1, [{ from: 0, to: 10, a: [0, 0] }]), ...track('c1', 2, [{ from: 12, to: 20, a: [20, 0] }])];
    expect(stitch(far)).toHaveLength(2);
    const late = [...track('c1', 1, [{ from: 0, to: 10, a: [0, 0] }]), ...track('c1', 2, [{ from: 70, to: 80, a: [0.1, 0] }])];
    expect(stitch(late)).toHaveLength(2);
  });

  it('a track that ends at the entrance is a departure: the next arrival is a new visit', () => {
    const obs = [
      ...track('c1', 1, [
        { from: 0, to: 30, a: [5, 5], b: [2, 1] },
        { from: 31, to: 32, a: [2, 0.5], zone: 'entrance' },
      ]),
      ...track('c1', 2, [
        { from: 34, to: 35, a: [2, 0.6], zone: 'entrance' },
        { from: 36, to: 60, a: [2, 1.5], b: [6, 6] },
      ]),
    ];
    expect(stitch(obs)).toHaveLength(2);
  });

  it('prefers the continuation in the walking direction over a closer stop', () => {
    // A walks right and is occluded; B stands still near where A vanished; A reappears further right.
    const obs = [
      ...track('c1', 1, [{ from: 0, to: 10, a: [0, 5], b: [10, 5] }]),
      ...track('c1', 2, [{ from: 0, to: 40, a: [10.5, 6] }]),
      ...track('c1', 3, [{ from: 14, to: 30, a: [14, 5], b: [20, 5] }]),
      ...track('c1', 4, [{ from: 42, to: 60, a: [10.6, 6] }]),
    ];
    const persons = stitch(obs);
    const keys = persons.map((p) => p.fragments.map((f) => f.key).join('+')).sort();
    expect(keys).toEqual(['c1#1+c1#3', 'c1#2+c1#4']);
  });
});

describe('undoing id switches by door consistency', () => {
  // Seller from the staff side works 0..600; customer comes in by the door at 100, meets the seller
  // at 200 (ids swap there), and leaves by the door at 400. Both turn back at the pass, slowly.
  const sellerHead = track('c1', 1, [{ from: 0, to: 199, a: [10, 10], b: [5, 5], zone: 'staff' }]);
  const custHead = track('c1', 2, [
    { from: 100, to: 100, a: [2, 0.5], zone: 'entrance' },
    { from: 101, to: 199, a: [2, 2], b: [5.3, 5] },
  ]);
  // After the switch track 1 follows the customer out, track 2 follows the seller.
  const custTail = track('c1', 1, [
    { from: 200, to: 399, a: [5.3, 5], b: [2, 1] },
    { from: 400, to: 400, a: [2, 0.5], zone: 'entrance' },
  ]);
  const sellerTail = track('c1', 2, [{ from: 200, to: 600, a: [5, 5], b: [10, 10], zone: 'staff' }]);
  const mixedChains = () => stitch([...sellerHead, ...custHead, ...custTail, ...sellerTail, ...track('c9', 9, [{ from: 0, to: 700, a: [50, 50] }])]);
  const o = { encounterM: 0.6, personHeightM: 1.7, sampleDtMs: 1000, streamStart: T0 - 300_000, streamEnd: T0 + 900_000 };

  it("doors alone ('alone', the old rule) swap the tails back when a seller and a customer swapped ids at a close pass", () => {
    const fixed = resolveSwitches(mixedChains(), { ...o, doorRule: 'alone' });
    const seller = fixed.find((p) => p.obs[0]!.zoneKind === 'staff')!;
    const customer = fixed.find((p) => p.obs[0]!.zoneKind === 'entrance')!;
    expect(seller.obs[seller.obs.length - 1]!.zoneKind).toBe('staff');
    expect(seller.end - seller.start).toBe(600_000);
    expect(customer.obs[customer.obs.length - 1]!.zoneKind).toBe('entrance');
    expect(customer.end - customer.start).toBe(300_000);
  });

  it('by default the doors only veto: with both turning back at the pass the motion cannot place a swap there, and none is made', () => {
    // The doors say the chains mix two people somewhere, not where (a chain mixed at an earlier pass
    // would carry its mistake to this one); see switches-noise for a swap the motion places.
    const judged: boolean[] = [];
    const fixed = resolveSwitches(mixedChains(), { ...o, trace: (d) => judged.push(d.swapped) });
    expect(judged).toEqual([false]);
    const seller = fixed.find((p) => p.obs[0]!.zoneKind === 'staff')!;
    expect(seller.obs[seller.obs.length - 1]!.zoneKind).toBe('entrance');
  });
});
