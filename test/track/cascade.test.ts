import { describe, expect, it } from 'vitest';
import { detectionsFromList } from '../../agent/src/core/detections.js';
import { createIdCounter } from '../../agent/src/track/ids.js';
import { trackerOptions, type TrackerOptions } from '../../agent/src/track/options.js';
import { createTracker, type MatchTrace } from '../../agent/src/track/tracker.js';
import { person, runScript, type ScriptStep } from './script.js';

/**
 * The 'cascade' motion rule (distances.ts, tracker.ts cascadeRounds) against 'overlap_first', at
 * 2.5 fps (stride 10 of 25 fps video), motion only. A stands still; B steps in beside A, 0.45 body
 * heights away (boxes 40 x 100 px, 5 px apart, not overlapping). At the next sample A's detection
 * is missed. With one assignment A's track reaches B's box through the Mahalanobis gate before B's
 * newborn track is considered, and takes it; with the cascade, B's own overlap is settled first.
 */
describe("motion rule 'cascade'", () => {
  const dt = 0.4;
  const A = person(100, 200);
  const B = person(145, 200);
  const steps: ScriptStep[] = [
    ...Array.from({ length: 4 }, (_, k) => ({ t: k * dt, dets: [{ box: A }] })),
    { t: 4 * dt, dets: [{ box: A }, { box: B }] },
    { t: 5 * dt, dets: [{ box: B }] },
    { t: 6 * dt, dets: [{ box: A }, { box: B }] },
    { t: 7 * dt, dets: [{ box: A }, { box: B }] },
  ];
  const opts = { appearance: false, minHits: 2, maxAgeSec: 1, maxAgeUpdates: 10 };
  /** Id reported at each box centre x, per step: "x:id". */
  const layout = (results: Awaited<ReturnType<typeof runScript>>['results']): string[] =>
    results.map((r) =>
      r.tracks
        .filter((t) => t.matched)
        .map((t) => `${Math.round((t.box[0] + t.box[2]) / 2)}:${t.id}`)
        .join(' '),
    );

  it('settles a newcomer overlapping its own box before a neighbour whose detection was missed can reach it', async () => {
    const { results } = await runScript(steps, { ...opts, motionRule: 'cascade' });
    const l = layout(results);
    // A is 1 throughout; B is 2 from its second sample on (confirmed at min_hits 2).
    expect(l.slice(5)).toEqual(['145:2', '100:1 145:2', '100:1 145:2']);
  });

  it('overlap_first lets A take B (the identity theft the cascade prevents)', async () => {
    const { results } = await runScript(steps, { ...opts, motionRule: 'overlap_first' });
    const l = layout(results);
    expect(l[5]).toMatch(/^1\d\d:1$/);
  });

  it('a track that missed the previous update reaches no detection it overlaps neither by prediction nor by last observation', async () => {
    // A walks right at 60 px a sample (1 fps), is missed at t=3 and stops: at t=4 it is at 280,
    // where its prediction (340) and its last observed box (220) do not overlap it (40 px wide).
    const walk: ScriptStep[] = [0, 1, 2].map((k) => ({ t: k, dets: [{ box: person(100 + 60 * k, 200) }] }));
    const s: ScriptStep[] = [...walk, { t: 3, dets: [] }, { t: 4, dets: [{ box: person(280, 200) }] }];
    const overlap = await runScript(s, { ...opts, motionRule: 'overlap_first' });
    expect(layout(overlap.results)[4]).toBe('280:1');
    // Motion alone cannot tell a coasting track's person from a neighbour: the cascade leaves it
    // to appearance (the re-identification pass); here a tentative track starts.
    const cascade = await runScript(s, { ...opts, motionRule: 'cascade' });
    expect(layout(cascade.results)[4]).toBe('');
    // Where the person did stay on the predicted path, the coasting track overlaps and keeps them.
    const onPath = await runScript([...walk, { t: 3, dets: [] }, { t: 4, dets: [{ box: person(340, 200) }] }], { ...opts, motionRule: 'cascade' });
    expect(layout(onPath.results)[4]).toBe('340:1');
  });

  it("names the round that made each match in the trace: 'overlap' for the cascade's first, 'high' for the Mahalanobis reach", async () => {
    // A walks right at 60 px a sample (1 fps, boxes 40 px wide); from its third sample on its
    // prediction overlaps the next box. At t=4 A turns back to 250: no overlap with the prediction
    // (~340), but A was observed at the previous update, so the cascade's second round reaches it
    // through the Mahalanobis gate. (The first sample's tracks are confirmed at once.)
    const s: ScriptStep[] = [100, 160, 220, 280, 250].map((x, t) => ({ t, dets: [{ box: person(x, 200) }] }));
    const passes = async (o: Partial<TrackerOptions>): Promise<string[]> => {
      const trace: MatchTrace[] = [];
      const tracker = createTracker(trackerOptions({ ...opts, ...o }), { nextId: createIdCounter(1), onMatch: (m) => trace.push(m) });
      for (const step of s) await tracker.update(detectionsFromList(step.dets.map((d) => ({ box: d.box, score: 0.9 }))), step.t);
      return trace.map((m) => `${m.timeSec}:${m.pass}:${m.trackId}`);
    };
    expect(await passes({ motionRule: 'cascade' })).toEqual(['1:high:1', '2:overlap:1', '3:overlap:1', '4:high:1']);
    expect(await passes({ motionRule: 'overlap_first' })).toEqual(['1:high:1', '2:high:1', '3:high:1', '4:high:1']);
  });
});
