/**
 * The exit rule's horizon (tracker.ts retireAndPredict): a track is judged to have walked out by
 * where its observed motion has carried it by the first sample past max_age_s (the sample that
 * missed it), not at max_age_s itself, and no further.
 */
import { describe, expect, it } from 'vitest';
import { identity, person, runScript, type ScriptStep } from './script.js';

const picture = { width: 768, height: 432 };

describe('a track unseen past max_age_s is judged where its motion has carried it by the sample that missed it', () => {
  // As the indoor labelled clip at 1 fps (labelled person 3, frames 681 and 691): she walks right,
  // 190 px a second here, and is last seen with her centre at 528 of 768 px; her next sighting, at
  // the right edge, fell between the 1 fps samples. One second on her centre would be at 718
  // (inside), two seconds on at 908 (outside). Three seconds after she was last seen someone who
  // looks alike comes in from the lower edge near where she was.
  const steps: ScriptStep[] = [
    ...[148, 338, 528].map((x, t) => ({ t, dets: [{ box: person(x, 210, 150, 340), emb: identity(0, t) }] })),
    { t: 3, dets: [] },
    { t: 4, dets: [] },
    { t: 5, dets: [{ box: person(430, 262, 150, 340), emb: identity(0, 9) }] },
    { t: 6, dets: [{ box: person(430, 262, 150, 340), emb: identity(0, 10) }] },
  ];
  const opts = { minHits: 2, maxAgeSec: 1, maxAgeUpdates: 10, reidWindowSec: 30 };
  const ids = (r: Awaited<ReturnType<typeof runScript>>['results']): number[] => r[6]!.tracks.filter((t) => t.matched).map((t) => t.id);

  it('she left: the newcomer is a new id (judged by max_age_s alone her centre stays inside, and the newcomer took her id)', async () => {
    const { results } = await runScript(steps, opts, picture);
    expect(ids(results)).toEqual([2]);
  });

  it('without the picture (no exit rule) appearance gives the newcomer her id', async () => {
    const { results } = await runScript(steps, opts);
    expect(ids(results)).toEqual([1]);
  });
});

describe('the horizon stops at the first sample past max_age_s', () => {
  // Someone walking right at 60 px a second, hidden from t 3 on with the centre at 360 of 768 px:
  // by the first sample past max_age_s (t 5) the centre would be at 480 (inside); extrapolated
  // over the whole gap it would leave by t 10. She reappears at t 10 where she was hidden.
  const steps: ScriptStep[] = [
    ...[180, 240, 300, 360].map((x, t) => ({ t, dets: [{ box: person(x, 210, 150, 340), emb: identity(0, t) }] })),
    ...[4, 5, 6, 7, 8, 9].map((t) => ({ t, dets: [] })),
    { t: 10, dets: [{ box: person(370, 210, 150, 340), emb: identity(0, 20) }] },
    { t: 11, dets: [{ box: person(370, 210, 150, 340), emb: identity(0, 21) }] },
  ];
  it('one hidden mid-walk keeps her id', async () => {
    const { results } = await runScript(steps, { minHits: 2, maxAgeSec: 1, maxAgeUpdates: 10, reidWindowSec: 30 }, picture);
    expect(results[11]!.tracks.filter((t) => t.matched).map((t) => t.id)).toEqual([1]);
  });
});
