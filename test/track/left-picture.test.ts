import { describe, expect, it } from 'vitest';
import { leftPicture } from '../../agent/src/track/tracker.js';
import { identity, person, runScript, type ScriptStep } from './script.js';

const picture = { width: 768, height: 432 };
/** A track last seen at `last` (t=86), seen at `prev` one second before. */
const track = (prev: readonly [number, number], last: readonly [number, number]) => ({
  prevBox: person(prev[0], prev[1], 150, 340),
  prevSeenSec: 85,
  lastBox: person(last[0], last[1], 150, 340),
  lastSeenSec: 86,
});

describe('leftPicture: did the track’s own motion carry it out of the picture?', () => {
  it.each([
    // The indoor clip at 1 fps: she stood at x 430, then walked right 190 px in a second; a second later she is past the edge.
    ['walking out at the right edge', track([467, 218], [656, 210]), 1, true],
    ['the same walk, but 0.5 s on she is still inside', track([467, 218], [656, 210]), 0.5, false],
    ['standing at the lower edge, close to the camera', track([300, 262], [302, 262]), 1, false],
    ['walking out through the lower edge', track([300, 180], [300, 262]), 3, true],
    ['walking towards the middle', track([700, 210], [600, 210]), 1, false],
  ] as const)('%s', (_name, tr, horizon, expected) => {
    expect(leftPicture(tr, horizon, picture)).toBe(expected);
  });

  it('cannot tell without the picture’s size or a second observation', () => {
    expect(leftPicture(track([467, 218], [656, 210]), 1, undefined)).toBe(false);
    expect(leftPicture({ ...track([467, 218], [656, 210]), prevBox: null }, 1, picture)).toBe(false);
  });
});

describe('a coasting track that walked out is not kept for max_age_updates', () => {
  // 1 fps, as the indoor clip: A walks right 190 px a second and out of the 768 px picture after
  // t=2; at t=5 someone who looks alike comes in from the lower edge, 1.3 body heights away (inside
  // the plausibility reach) and overlapping neither A's prediction nor A's last box.
  const steps: ScriptStep[] = [
    ...[276, 466, 656].map((x, k) => ({ t: k, dets: [{ box: person(x, 210, 150, 340), emb: identity(0, k) }] })),
    { t: 3, dets: [] },
    { t: 4, dets: [] },
    { t: 5, dets: [{ box: person(430, 262, 150, 340), emb: identity(0, 9) }] },
    { t: 6, dets: [{ box: person(430, 262, 150, 340), emb: identity(0, 10) }] },
  ];
  const opts = { minHits: 2, maxAgeSec: 1, maxAgeUpdates: 10, reidWindowSec: 30 };
  const ids = (r: Awaited<ReturnType<typeof runScript>>['results']): number[] => r[6]!.tracks.filter((t) => t.matched).map((t) => t.id);

  it('the newcomer is a new id when the picture is known', async () => {
    const { results } = await runScript(steps, opts, picture);
    expect(ids(results)).toEqual([2]);
  });

  it('without the picture (no exit rule) appearance gives the newcomer A’s id', async () => {
    const { results } = await runScript(steps, opts);
    expect(ids(results)).toEqual([1]);
  });
});
