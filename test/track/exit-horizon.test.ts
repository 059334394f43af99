/**
 * The exit rule's horizon (tracker.ts retireAndPredict): a track is judged to have walked out by
 * where its observed motion has carried it in the time it has been unseen, not in max_age_s only.
 */
import { describe, expect, it } from 'vitest';
import { identity, person, runScript, type ScriptStep } from './script.js';

const picture = { width: 768, height: 432 };

describe('a track unseen for longer than max_age_s is judged by how far its motion has carried it since', () => {
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
