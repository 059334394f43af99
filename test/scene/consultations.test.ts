import { describe, expect, it } from 'vitest';
import { findInteractions, togetherSeconds } from '../../agent/src/scene/consultations.js';
import { makePerson, fragmentsOf } from '../../agent/src/scene/stitch.js';
import { T0, track, type Leg } from './script.js';

const opts = { distanceM: 1.5, minSeconds: 20, maxGapSeconds: 10, tillCounts: false, personHeightM: 1.7 };
const person = (id: number, legs: Leg[]) => makePerson(id, fragmentsOf(track('c1', id, legs)));

/** Seller stands at (5,5) from 0 to 300 s; the customer script varies. */
const seller = person(1, [{ from: 0, to: 300, a: [5, 5] }]);
const run = (legs: Leg[], o = opts) => findInteractions([{ person: seller, sellerId: 's1' }], [person(2, legs)], o, 1000);

describe('consultations: within D metres for T seconds, gaps up to G tolerated', () => {
  it.each<[string, Leg[], Array<[string, number, number]>]>([
    [
      '30 s at 1 m',
      [
        { from: 0, to: 49, a: [10, 5] },
        { from: 50, to: 80, a: [6, 5] },
        { from: 81, to: 120, a: [10, 5] },
      ],
      [['consultation', 50, 80]],
    ],
    [
      '15 s is too short',
      [
        { from: 0, to: 49, a: [10, 5] },
        { from: 50, to: 65, a: [6, 5] },
        { from: 66, to: 120, a: [10, 5] },
      ],
      [],
    ],
    ['2 m is too far', [{ from: 50, to: 120, a: [7, 5] }], []],
    [
      'an 8 s step away is tolerated',
      [
        { from: 50, to: 65, a: [6, 5] },
        { from: 66, to: 73, a: [8, 5] },
        { from: 74, to: 90, a: [6, 5] },
      ],
      [['consultation', 50, 90]],
    ],
    [
      'a 15 s step away splits it',
      [
        { from: 50, to: 75, a: [6, 5] },
        { from: 76, to: 90, a: [8, 5] },
        { from: 91, to: 120, a: [6, 5] },
      ],
      [
        ['consultation', 50, 75],
        ['consultation', 91, 120],
      ],
    ],
    [
      'an unseen 20 s (occlusion) does not split it',
      [
        { from: 50, to: 70, a: [6, 5] },
        { from: 91, to: 110, a: [6, 5] },
      ],
      [['consultation', 50, 110]],
    ],
    [
      'a walk past the seller and a brief question 10 s later are not 20 s together (the old rule counted the 10 s apart)',
      [
        { from: 0, to: 15, a: [12, 5] },
        { from: 16, to: 17, a: [5.5, 5], b: [4.5, 5] },
        { from: 18, to: 27, a: [1, 5] },
        { from: 28, to: 38, a: [5.9, 5] },
        { from: 39, to: 80, a: [1, 5] },
      ],
      [],
    ],
    ['service at the till is a checkout', [{ from: 100, to: 160, a: [6, 5], zone: 'till' }], [['checkout', 100, 160]]],
  ])('%s', (_n, legs, want) => {
    expect(run(legs).map((i) => [i.kind, (i.start - T0) / 1000, (i.end - T0) / 1000])).toEqual(want);
  });

  it('counts till service as a consultation when config says so', () => {
    const got = run([{ from: 100, to: 160, a: [6, 5], zone: 'till' }], { ...opts, tillCounts: true });
    expect(got.map((i) => i.kind)).toEqual(['consultation']);
  });

  it('records store-facing fields: seller, visit, camera, duration', () => {
    const [c] = run([{ from: 50, to: 80, a: [6, 5] }]);
    expect(c).toMatchObject({ sellerId: 's1', staffPersonId: 1, visitId: 2, camera: 'c1', durationS: 30 });
  });

  it('a shopper browsing 1.4 m away while the seller serves someone at 0.9 m is a bystander, not a second consultation', () => {
    const served = person(2, [{ from: 50, to: 140, a: [5.9, 5] }]);
    // Alternately 1.4 and 1.6 m away, as box jitter around the 1.5 m line makes it.
    const bystander = makePerson(
      3,
      fragmentsOf(track('c1', 3, [{ from: 40, to: 150, a: [5, 6.4] }]).map((o, i) => (i % 2 ? { ...o, world: [5, 6.6] as [number, number] } : o))),
    );
    const got = findInteractions([{ person: seller, sellerId: 's1' }], [served, bystander], opts, 1000);
    expect(got.map((i) => [i.visitId, (i.start - T0) / 1000, (i.end - T0) / 1000])).toEqual([[2, 50, 140]]);
    // Alone with the seller, the same shopper is a consultation (the rule is about who is served, not distance).
    expect(findInteractions([{ person: seller, sellerId: 's1' }], [bystander], opts, 1000).map((i) => i.visitId)).toEqual([3]);
  });

  it('two customers served together (each nearest in turn) are both consulted', () => {
    const left = person(2, [{ from: 50, to: 140, a: [4.1, 5] }]);
    const right = makePerson(
      3,
      fragmentsOf(
        track('c1', 3, [{ from: 50, to: 140, a: [5.9, 5] }]).map((o, i) =>
          i % 2 ? { ...o, world: [6.0, 5] as [number, number] } : { ...o, world: [5.8, 5] as [number, number] },
        ),
      ),
    );
    const got = findInteractions([{ person: seller, sellerId: 's1' }], [left, right], opts, 1000);
    // Each is the nearer one every other second: one consultation each, the whole 90 s (to a sample).
    expect(got.map((i) => i.visitId).sort()).toEqual([2, 3]);
    for (const i of got) expect(i.durationS).toBeGreaterThanOrEqual(88);
  });

  it('togetherSeconds: unseen gaps count, time seen apart does not (each side up to the midpoint)', () => {
    const at = (...ts: number[]) => ts.map((t) => ({ t: t * 1000 }));
    expect(togetherSeconds(at(0, 1, 2, 5, 6), [], 1000)).toBe(7);
    // Apart at 3 and 4: of the gap 2-5 only 2-2.5 and 4.5-5 count (1 s), not 3 s, and not 0 either.
    expect(togetherSeconds(at(0, 1, 2, 5, 6), [3000, 4000], 1000)).toBe(5);
    // Losing the close sample at 5 (a stored grid keeping another) moves it by half a step, not a whole gap.
    expect(togetherSeconds(at(0, 1, 2, 6), [3000, 4000], 1000)).toBe(togetherSeconds(at(0, 1, 2, 5, 6), [3000, 4000], 1000) - 0.5);
    expect(togetherSeconds(at(0, 1), [1000], 500)).toBe(1.5);
  });
});
