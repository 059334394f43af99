/**
 * How a matched crop enters a track's appearance (tracker.embedding_whole_crops,
 * tracker.embedding_ema_per_observation; agent/src/track/tracker.ts takeCrop).
 */
import { describe, expect, it } from 'vitest';
import { WHOLE_EDGE_MARGIN, wholeCrops } from '../../agent/src/track/embedding-policy.js';
import { trackerOptions } from '../../agent/src/track/options.js';
import { identity, person, runScript, type ScriptStep } from './script.js';

const picture = { width: 640, height: 360 };
const dot = (a: Float32Array, b: readonly number[]): number => a.reduce((s, x, k) => s + x * b[k]!, 0) / (Math.hypot(...a) * Math.hypot(...b));
const unit = (v: readonly number[]): number[] => v.map((x) => x / Math.hypot(...v));

describe('wholeCrops', () => {
  it('a box inside the picture and apart from others is whole', () => {
    expect(wholeCrops([person(300, 180)], picture)).toEqual([true]);
  });
  it('a box within the edge margin is cut, on every side; without a picture edges are not judged', () => {
    const m = WHOLE_EDGE_MARGIN * picture.width;
    expect(wholeCrops([[m - 1, 100, m + 40, 200]], picture)).toEqual([false]);
    expect(wholeCrops([[300, 100, 340, picture.height]], picture)).toEqual([false]);
    expect(wholeCrops([[600, 100, picture.width - 1, 200]], picture)).toEqual([false]);
    expect(wholeCrops([[300, 0, 340, 100]], picture)).toEqual([false]);
    expect(wholeCrops([[0, 100, 40, 200]])).toEqual([true]);
  });
  it('a box another covers for more than a tenth of its area is overlapped; a touch is not', () => {
    // 40 x 100 boxes: 8 px of width shared = 20 % covered; 2 px = 5 %.
    expect(wholeCrops([person(300, 180), person(332, 180)], picture)).toEqual([false, false]);
    expect(wholeCrops([person(300, 180), person(338, 180)], picture)).toEqual([true, true]);
  });
});

// One person walks in from the left edge: cut by it for two samples (the crop is half someone
// else's look: identity 0 + 2, cosine distance 0.11 from the whole person's, inside the gate), then
// whole (identity 0). 1 fps. With embedding_at_birth off its first crop is taken at its second
// sighting (t 1), still cut.
const cut = identity(0).map((x, k) => x + 0.5 * identity(2)[k]!);
const entering: ScriptStep[] = [
  { t: 0, dets: [{ box: [0, 150, 25, 250], emb: cut }] },
  { t: 1, dets: [{ box: [0, 150, 35, 250], emb: cut }] },
  ...[2, 3, 4].map((k) => ({ t: k, dets: [{ box: person(40 * k, 200), emb: identity(0, k) }] })),
];

describe('tracker.embedding_whole_crops', () => {
  it('the first whole crop replaces an appearance taken half in view, asked for at once under the decisive policy', async () => {
    const on = await runScript(
      entering,
      { appearance: true, embeddingPolicy: 'decisive', embeddingRefreshSec: 5, embeddingAtBirth: false, embeddingWholeCrops: true },
      picture,
    );
    const off = await runScript(
      entering,
      { appearance: true, embeddingPolicy: 'decisive', embeddingRefreshSec: 5, embeddingAtBirth: false, embeddingWholeCrops: false },
      picture,
    );
    expect(on.results[1]!.embedCalls).toEqual([[0]]);
    // t 2: the refresh interval (5 s) has not passed, but the appearance holds no whole crop yet.
    expect(on.results[2]!.embedCalls).toEqual([[0]]);
    expect(off.results[2]!.embedCalls).toEqual([]);
    const emb = (r: typeof on): Float32Array => r.results.at(-1)!.tracks[0]!.embedding!;
    expect(dot(emb(on), identity(0, 2))).toBeGreaterThan(0.999);
    expect(on.results.at(-1)!.tracks.map((t) => t.id)).toEqual([1]);
    expect(dot(emb(off), cut)).toBeGreaterThan(0.999);
  });

  it('once the appearance holds a whole crop, an overlapped crop stays out of it', async () => {
    // Two people apart, then overlapping (both crops mixed: identity 3), every detection embedded.
    const steps: ScriptStep[] = [
      {
        t: 0,
        dets: [
          { box: person(200, 200), emb: identity(0) },
          { box: person(400, 200), emb: identity(1) },
        ],
      },
      {
        t: 1,
        dets: [
          { box: person(200, 200), emb: identity(0) },
          { box: person(400, 200), emb: identity(1) },
        ],
      },
      {
        t: 2,
        dets: [
          { box: person(200, 200), emb: identity(3) },
          { box: person(225, 200), emb: identity(3) },
        ],
      },
    ];
    const run = async (whole: boolean) =>
      (await runScript(steps, { appearance: true, embeddingPolicy: 'all', embeddingWholeCrops: whole }, picture)).results.at(-1)!;
    const on = await run(true);
    const off = await run(false);
    const left = (r: typeof on) => r.tracks.find((t) => t.id === 1)!.embedding!;
    expect(dot(left(on), identity(0))).toBeGreaterThan(0.999);
    expect(dot(left(off), identity(0))).toBeLessThan(0.999);
  });
});

describe('tracker.embedding_ema_per_observation', () => {
  // One person standing still, whole, at 1 fps; the crop changes (identity 0 -> 1) after t 1.
  const still: ScriptStep[] = [0, 1, 2, 3, 4, 5, 6].map((t) => ({ t, dets: [{ box: person(300, 180), emb: t <= 1 ? identity(0) : identity(1) }] }));
  const ema = 0.9;

  it('a crop taken k matches after the last keeps ema^k of the old appearance (decisive: one crop per refresh interval)', async () => {
    const o = { appearance: true, embeddingPolicy: 'decisive' as const, embeddingRefreshSec: 5, embeddingEma: ema, embeddingAtBirth: false };
    const per = await runScript(still, { ...o, embeddingEmaPerObservation: true }, picture);
    const plain = await runScript(still, { ...o, embeddingEmaPerObservation: false }, picture);
    // With embedding_at_birth off a newborn track's first crop is taken at its second sighting
    // (t 1), the refresh at t 6: 5 matches apart.
    expect(per.results.map((r) => r.embedCalls.length)).toEqual([0, 1, 0, 0, 0, 0, 1]);
    const want = (m: number): number[] => unit(identity(0).map((x, k) => m * x + (1 - m) * identity(1)[k]!));
    const got = (r: typeof per): Float32Array => r.results.at(-1)!.tracks[0]!.embedding!;
    expect(dot(got(per), want(ema ** 5))).toBeGreaterThan(0.99999);
    expect(dot(got(plain), want(ema))).toBeGreaterThan(0.99999);
    expect(dot(got(per), identity(1))).toBeGreaterThan(dot(got(plain), identity(1)));
  });

  it('embedding every match is unchanged by it', async () => {
    const o = { appearance: true, embeddingPolicy: 'all' as const, embeddingEma: ema };
    const per = await runScript(still, { ...o, embeddingEmaPerObservation: true }, picture);
    const plain = await runScript(still, { ...o, embeddingEmaPerObservation: false }, picture);
    expect(Array.from(per.results.at(-1)!.tracks[0]!.embedding!)).toEqual(Array.from(plain.results.at(-1)!.tracks[0]!.embedding!));
  });
});

describe('tracker.embedding_first_crops', () => {
  // One person walking, alone and whole, at 1 fps for 5 samples: no contest, so under the decisive
  // policy only the first crop (second sighting) and refreshes are embedded.
  const walk: ScriptStep[] = [0, 1, 2, 3, 4].map((t) => ({ t, dets: [{ box: person(200 + 20 * t, 180), emb: identity(0, t) }] }));
  const calls = async (n: number): Promise<number[]> =>
    (
      await runScript(walk, { appearance: true, embeddingPolicy: 'decisive', embeddingRefreshSec: 5, embeddingFirstCrops: n, embeddingAtBirth: false }, picture)
    ).results.map((r) => r.embedCalls.length);

  it('refreshes at every match until the appearance holds N crops, then waits for the interval', async () => {
    expect(await calls(1)).toEqual([0, 1, 0, 0, 0]);
    expect(await calls(3)).toEqual([0, 1, 1, 1, 0]);
  });

  it('is refused outside [1, 50] or fractional, naming the option', () => {
    expect(() => trackerOptions({ embeddingFirstCrops: 0 })).toThrow(/embeddingFirstCrops/);
    expect(() => trackerOptions({ embeddingFirstCrops: 2.5 })).toThrow(/embeddingFirstCrops/);
  });
});

describe('tracker.embedding_at_birth', () => {
  // Two people far apart appear at t 0 and walk on, each the only candidate of its track.
  const steps: ScriptStep[] = [0, 1, 2].map((t) => ({
    t,
    dets: [
      { box: person(100 + 20 * t, 200), emb: identity(0, t) },
      { box: person(500 - 20 * t, 200), emb: identity(1, t) },
    ],
  }));
  const run = (o: Record<string, unknown>) => runScript(steps, { appearance: true, embeddingPolicy: 'decisive', embeddingRefreshSec: 5, ...o }, picture);

  it('a detection that starts a track is embedded at birth, so the track carries an appearance into its second sighting', async () => {
    const on = await run({ embeddingAtBirth: true });
    expect(on.results.map((r) => r.embedCalls)).toEqual([[[0, 1]], [], []]);
    expect(on.tracker.stats().embeddingReasons).toMatchObject({ first: 2, reid: 0 });
    const off = await run({ embeddingAtBirth: false });
    expect(off.results.map((r) => r.embedCalls)).toEqual([[], [[0, 1]], []]);
  });

  it('a detection under new_track_threshold starts nothing and is not embedded', async () => {
    const low = steps.map((s) => ({ ...s, dets: s.dets.map((d) => ({ ...d, score: 0.6 })) }));
    const { results } = await runScript(
      low,
      { appearance: true, embeddingPolicy: 'decisive', embeddingAtBirth: true, highThreshold: 0.5, newTrackThreshold: 0.7 },
      picture,
    );
    expect(results[0]!.embedCalls).toEqual([]);
  });

  it('is not applied under embedding_defer_tentative, whose tracks that die after two sightings never pay', async () => {
    const { results } = await run({ embeddingAtBirth: true, embeddingDeferTentative: true });
    expect(results[0]!.embedCalls).toEqual([]);
  });
});
