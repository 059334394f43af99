/**
 * Simulated appearance embeddings, as a re-id network would give them: each true person is a random
 * unit vector, each track is its person's vector plus Gaussian noise, renormalised. A track carries
 * the person it ended on (the tracker's EMA forgets the start), so after an id switch it looks like
 * the other person; every false track looks like nobody else.
 */
import type { AppearanceConfig } from './scenario.js';
import type { CameraStream } from './observe.js';
import type { Rng } from './prng.js';

export function simulateAppearance(streams: readonly CameraStream[], o: AppearanceConfig, rng: Rng): Map<string, Map<number, Float32Array>> {
  const persons = new Map<string, Float32Array>();
  const out = new Map<string, Map<number, Float32Array>>();
  for (const s of streams) {
    const byTrack = new Map<number, Float32Array>();
    for (const id of [...s.lastLabels.keys()].sort((a, b) => a - b)) {
      const label = s.lastLabels.get(id)!;
      let base = label === 'false' ? null : (persons.get(label) ?? null);
      if (base === null) {
        base = randomUnit(o.dim, rng);
        if (label !== 'false') persons.set(label, base);
      }
      byTrack.set(id, withNoise(base, o.noise, rng));
    }
    out.set(s.camera, byTrack);
  }
  return out;
}

function randomUnit(dim: number, rng: Rng): Float32Array {
  return normalise(Float64Array.from({ length: dim }, () => rng.normal(0, 1)));
}

/** base + noise whose expected norm is `noise` (base has norm 1), renormalised. */
function withNoise(base: Float32Array, noise: number, rng: Rng): Float32Array {
  const sd = noise / Math.sqrt(base.length);
  return normalise(Float64Array.from(base, (x) => x + rng.normal(0, sd)));
}

function normalise(v: Float64Array): Float32Array {
  const n = Math.hypot(...v) || 1;
  return Float32Array.from(v, (x) => x / n);
}
