/**
 * Simulated torso colours, as `analyze` measures them (the sidecar's `colors`): sellers wear the
 * uniform, each seller track its colour plus Gaussian noise per channel (lighting, pose); each customer
 * wears a random colour (plus the same noise per track); false tracks are random. A track's colour is
 * that of the person most of its rows belong to, since it is a mean over the track.
 */
import type { CameraStream } from './observe.js';
import type { Rng } from './prng.js';

export type Rgb = readonly [number, number, number];

export interface SimColorOptions {
  readonly uniform: Rgb;
  /** Standard deviation per channel, 0..255 units. */
  readonly noise: number;
}

export function simulateColors(streams: readonly CameraStream[], o: SimColorOptions, rng: Rng): Map<string, Map<number, Rgb>> {
  const worn = new Map<string, Rgb>();
  const out = new Map<string, Map<number, Rgb>>();
  const random = (): Rgb => [rng.int(0, 255), rng.int(0, 255), rng.int(0, 255)];
  for (const s of streams) {
    const byTrack = new Map<number, Rgb>();
    for (const id of [...s.labels.keys()].sort((a, b) => a - b)) {
      const label = s.labels.get(id)!;
      let base = worn.get(label);
      if (!base) {
        base = label.startsWith('seller:') ? o.uniform : random();
        if (label !== 'false') worn.set(label, base);
      }
      const ch = (k: number): number => Math.round(Math.min(255, Math.max(0, base[k]! + rng.normal(0, o.noise))));
      byTrack.set(id, [ch(0), ch(1), ch(2)]);
    }
    out.set(s.camera, byTrack);
  }
  return out;
}

/** `#rrggbb` as RGB (the scenario schema validates the form). */
export function hexToRgb(hex: string): Rgb {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
