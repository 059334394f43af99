/**
 * Issue 13's embedding rules (agent/src/track/embedding-policy.ts): under the cascade motion rule a
 * contest is judged by the cascade's rounds, and the reasons each embedding was asked for are
 * counted. Pure: cost matrices in, columns out, and scripted tracker runs.
 */
import { describe, expect, it } from 'vitest';
import { costFromRows } from '../../agent/src/track/cost.js';
import { planEmbeddings, type EmbeddingPlanInput } from '../../agent/src/track/embedding-policy.js';
import { identity, person, runScript, type ScriptStep } from './script.js';

const I = Infinity;
const T = true;
const F = false;

/** Two tracks (A, B) with appearance, two detections (0, 1); A overlaps 0 and B overlaps 1. */
function scene(rows: number[][], overlaps: number[][], extra: Partial<EmbeddingPlanInput> = {}): EmbeddingPlanInput {
  return {
    gatedMotion: costFromRows(rows),
    trackHasEmbedding: rows.map(() => T),
    trackNeedsRefresh: rows.map(() => F),
    reidReachable: rows[0]!.map(() => F),
    margin: 0.4,
    overlaps: Uint8Array.from(overlaps.flat()),
    ...extra,
  };
}
const pairs = (p: EmbeddingPlanInput): number[] => planEmbeddings({ ...p, overlaps: undefined }).columns;
const cascade = (p: EmbeddingPlanInput): number[] => planEmbeddings({ ...p, contest: 'cascade' }).columns;
const noVeto = (p: EmbeddingPlanInput): number[] => planEmbeddings({ ...p, contest: 'cascade_no_veto' }).columns;

describe('contests under the cascade rounds', () => {
  it('a reach rival cannot take a detection another track overlaps while it overlaps its own: no contest', () => {
    // B reaches 0 by Mahalanobis (0.5, within the margin of A's 0.2), but the first round gives 0 to
    // A and 1 to B whatever the embeddings say; A does not reach 1, so no veto can swap them.
    const p = scene(
      [
        [0.2, I],
        [0.5, 0.2],
      ],
      [
        [1, 0],
        [0, 1],
      ],
    );
    expect(pairs(p)).toEqual([0, 1]); // the rule before: every pair within the margin is a rival
    expect(cascade(p)).toEqual([]);
    expect(noVeto(p)).toEqual([]);
  });

  it('each predicted onto the other (met and turning back): both embedded, so the appearance gate can veto the swap', () => {
    const p = scene(
      [
        [0.2, 0.5],
        [0.5, 0.2],
      ],
      [
        [1, 0],
        [0, 1],
      ],
    );
    expect(pairs(p)).toEqual([0, 1]);
    expect(cascade(p)).toEqual([0, 1]);
    expect(noVeto(p)).toEqual([]);
  });

  it('a rival that overlaps nothing is in the second round anyway: the detection stays contested', () => {
    const p = scene(
      [
        [0.2, I],
        [0.5, I],
      ],
      [
        [1, 0],
        [0, 0],
      ],
    );
    expect(cascade(p)).toEqual([0]);
    expect(noVeto(p)).toEqual([]);
  });

  it('two tracks overlapping one detection contest it in the first round under every rule', () => {
    const p = scene(
      [
        [0.2, I],
        [0.3, I],
      ],
      [
        [1, 0],
        [1, 0],
      ],
    );
    expect(pairs(p)).toEqual([0]);
    expect(cascade(p)).toEqual([0]);
    expect(noVeto(p)).toEqual([0]);
  });

  it('reach pairs among tracks and detections that overlap nothing compete in the second round', () => {
    const p = scene(
      [
        [0.5, 0.6],
        [0.6, 0.5],
      ],
      [
        [0, 0],
        [0, 0],
      ],
    );
    expect(cascade(p)).toEqual([0, 1]);
    expect(noVeto(p)).toEqual([0, 1]);
  });
});

describe('reasons and the deferred first embedding', () => {
  it('says why each column was asked for', () => {
    // Track 0 due for refresh (best 0), track 1 new (best 1), tracks 2 and 3 contest column 2, column 3 unreachable but inside a lost track's gate.
    const plan = planEmbeddings({
      gatedMotion: costFromRows([
        [0.1, I, I, I],
        [I, 0.1, I, I],
        [I, I, 0.2, I],
        [I, I, 0.3, I],
      ]),
      trackHasEmbedding: [T, F, T, T],
      trackNeedsRefresh: [T, T, F, F],
      reidReachable: [F, F, F, T],
      margin: 0.4,
    });
    expect(plan).toEqual({ columns: [0, 1, 2, 3], reasons: ['refresh', 'first', 'contested', 'reid'] });
  });

  it('a tentative track takes no first embedding while deferred; a confirmed one does, and a tentative one with an appearance still refreshes', () => {
    const base = { gatedMotion: costFromRows([[0.1]]), trackNeedsRefresh: [T], reidReachable: [F], margin: 0.4 };
    expect(planEmbeddings({ ...base, trackHasEmbedding: [F], trackTentative: [T] }).columns).toEqual([]);
    expect(planEmbeddings({ ...base, trackHasEmbedding: [F] }).columns).toEqual([0]);
    expect(planEmbeddings({ ...base, trackHasEmbedding: [F], trackTentative: [F] }).columns).toEqual([0]);
    expect(planEmbeddings({ ...base, trackHasEmbedding: [T], trackTentative: [T] }).columns).toEqual([0]);
  });

  it('the tracker counts every computed embedding under its reason, and defers a tentative track’s first one when told', async () => {
    // embedding_at_birth off (the first crop at the confirming match; on, see appearance-update.test.ts).
    const opts = { appearance: true, minHits: 2, maxAgeSec: 2, maxAgeUpdates: 0, reidWindowSec: 10, embeddingRefreshSec: 3, embeddingAtBirth: false };
    const steps: ScriptStep[] = [{ t: 0, dets: [] }, ...[1, 2, 3, 4, 5, 6].map((t) => ({ t, dets: [{ box: person(100 + 20 * t, 200), emb: identity(0) }] }))];
    // Born tentative at t=1; first embedding at t=2 (its confirming match), refresh due at t=5.
    const now = await runScript(steps, opts);
    expect(now.results.map((r) => r.embeddingsComputed)).toEqual([0, 0, 1, 0, 0, 1, 0]);
    expect(now.tracker.stats().embeddingReasons).toEqual({ contested: 0, reid: 0, first: 1, refresh: 1 });
    // Deferred: confirmed at t=2 without one, first embedding at t=3, refresh at t=6.
    const deferred = await runScript(steps, { ...opts, embeddingDeferTentative: true });
    expect(deferred.results.map((r) => r.embeddingsComputed)).toEqual([0, 0, 0, 1, 0, 0, 1]);
    expect(deferred.tracker.stats().embeddingReasons).toEqual({ contested: 0, reid: 0, first: 1, refresh: 1 });
  });
});
