import { describe, expect, it } from 'vitest';
import { identity, person, runScript, type ScriptStep } from './script.js';

const steps: ScriptStep[] = [
  { t: 0, dets: [] },
  ...[0, 1, 2, 3].map((k) => ({
    t: k + 1,
    dets: [
      { box: person(100 + 60 * k, 200), emb: identity(0, k) },
      { box: person(600 - 60 * k, 200), emb: identity(1, k) },
    ],
  })),
];
const norm = (v: Float32Array): number => Math.hypot(...v);
const cos = (a: Float32Array, b: readonly number[]): number => a.reduce((s, x, k) => s + x * b[k]!, 0) / (norm(a) * Math.hypot(...b));

describe('track outputs carry their appearance', () => {
  it('exposes each confirmed track’s L2-normalised EMA embedding when appearance is on', async () => {
    const { results } = await runScript(steps, { appearance: true, minHits: 2, embeddingRefreshSec: 0 });
    const last = results[results.length - 1]!;
    expect(last.tracks).toHaveLength(2);
    for (const t of last.tracks) {
      expect(t.embedding).toBeInstanceOf(Float32Array);
      expect(norm(t.embedding!)).toBeCloseTo(1, 5);
    }
    const left = [...last.tracks].sort((a, b) => a.box[0] - b.box[0]);
    // Each track looks like its own person, not the other.
    expect(cos(left[0]!.embedding!, identity(0))).toBeGreaterThan(cos(left[0]!.embedding!, identity(1)));
    expect(cos(left[1]!.embedding!, identity(1))).toBeGreaterThan(cos(left[1]!.embedding!, identity(0)));
  });

  it('carries no embedding field at all when appearance is off', async () => {
    const { results } = await runScript(steps, { appearance: false, minHits: 2 });
    const last = results[results.length - 1]!;
    expect(last.tracks).toHaveLength(2);
    for (const t of last.tracks) expect('embedding' in t).toBe(false);
  });
});
