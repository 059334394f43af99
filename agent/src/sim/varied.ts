/**
 * A family of varied store days for the accuracy proof: busy and quiet, one to four sellers, one to
 * three cameras, split and full shifts, stride 25 or 30. Deterministic in the seed.
 */
import { createRng } from './prng.js';
import { MEASURED_FALSE_TRACKS_PER_HOUR, MEASURED_MISS_RATE, validateScenario, type Scenario } from './scenario.js';

export interface VariedOptions {
  /** Multiplies every noise rate (1 = the scenario defaults). */
  readonly noiseScale?: number;
  readonly stride?: number;
  /** Opening hours (the CI test uses short days). */
  readonly hours?: { readonly open: string; readonly close: string };
  /** false = no floor homography (pixel fallback); forces one camera. */
  readonly homography?: boolean;
  /** noise.id_reuse.probability before noiseScale (default 0). */
  readonly idReuse?: number;
}

export function variedScenario(seed: number, o: VariedOptions = {}): Scenario {
  const r = createRng(0x5eed ^ seed);
  const busy = seed % 2 === 0;
  const sellerCount = 1 + (seed % 4);
  const cameraCount = o.homography === false ? 1 : 1 + (Math.floor(seed / 4) % 3);
  const open = o.hours?.open ?? '10:00';
  const close = o.hours?.close ?? (busy ? '20:00' : '18:00');
  const [oh] = open.split(':').map(Number) as [number];
  const [ch] = close.split(':').map(Number) as [number];
  const hours = Math.max(1, ch - oh);
  const base = busy ? r.uniform(18, 30) : r.uniform(5, 10);
  const profile = Array.from({ length: hours }, (_, h) => Math.round(base * (0.6 + 0.8 * Math.sin((Math.PI * (h + 0.5)) / hours)) * 10) / 10);
  const mid = `${String(Math.round((oh + ch) / 2)).padStart(2, '0')}:00`;
  const sellers = Array.from({ length: sellerCount }, (_, i) => {
    const split = sellerCount >= 3 && i >= 1 && r.chance(0.5);
    const late = i % 2 === 0;
    return {
      id: `s${i + 1}`,
      name: `Seller ${i + 1}`,
      start: split && late ? mid : open,
      end: split && !late ? mid : close,
      post: i === 0 ? 'counter' : 'floor',
    };
  });
  const n = o.noiseScale ?? 1;
  const day = 1 + (seed % 28);
  return validateScenario(
    {
      store: { id: `sim-${seed}`, timezone: r.pick(['Europe/Berlin', 'Europe/Moscow', 'America/New_York']) },
      date: `2025-04-${String(day).padStart(2, '0')}`,
      hours: { open, close },
      floor: { width_m: cameraCount === 1 ? 15 : 18, depth_m: 14 },
      cameras: { count: cameraCount, homography: o.homography ?? true },
      sellers,
      customers: {
        arrivals_per_hour: profile,
        consult_probability: r.uniform(0.25, 0.55),
        buy_probability: { consulted: r.uniform(0.4, 0.7), unconsulted: r.uniform(0.15, 0.35) },
        amount: { consulted: { median: r.uniform(40, 90), sigma: 0.5 }, unconsulted: { median: r.uniform(20, 45), sigma: 0.6 } },
      },
      video: { fps: 25, stride: o.stride ?? (seed % 3 === 0 ? 30 : 25) },
      noise: {
        miss_rate: Math.min(0.9, MEASURED_MISS_RATE * n),
        jitter: 0.03 * n,
        occlusions_per_hour: 3 * n,
        id_switch_probability: Math.min(1, 0.08 * n),
        fragments_per_hour: 1 * n,
        false_positives_per_hour: MEASURED_FALSE_TRACKS_PER_HOUR * n,
        id_reuse: { probability: Math.min(1, (o.idReuse ?? 0) * n), window_seconds: 30 },
        outages: { count: n > 0 ? seed % 2 : 0, minutes: 2 },
      },
    },
    `varied scenario ${seed}`,
  );
}
