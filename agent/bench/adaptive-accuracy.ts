/**
 * How adaptive sampling (sampling.empty_every) moves the store KPIs, on simulated days with known
 * truth (the guard the simulator's accuracy-vs-stride table gives). Each camera's simulated track
 * stream is thinned the way the pipeline would thin it: the same AdaptiveSampler walks the sampled
 * frames, and a frame it skips loses its rows (its detector run is skipped; the last, empty,
 * detections stand in, so nobody who just walked in is seen on it). Prints per seed the five
 * key metrics' relative error with and without, the share of frames skipped, and the means.
 *
 * Usage: npx tsx agent/bench/adaptive-accuracy.ts [--days 10] [--every 3] [--after 10]
 */
import type { MotRow } from '../src/io/mot.js';
import { analyzeStoreDay, cameraSceneFromConfig } from '../src/metrics/store-day.js';
import { AdaptiveSampler } from '../src/pipeline/adaptive.js';
import { KEY_METRICS, keyMetricErrors } from '../src/sim/evaluate.js';
import type { CameraStream } from '../src/sim/observe.js';
import { type SimulatedDay, simulateDay } from '../src/sim/simulate.js';
import { variedScenario } from '../src/sim/varied.js';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const DAYS = arg('--days', 10);
const EVERY = arg('--every', 3);
const AFTER = arg('--after', 10);

function thin(s: CameraStream): { stream: CameraStream; frames: number; skipped: number } {
  const byFrame = new Map<number, MotRow[]>();
  for (const r of s.rows) (byFrame.get(r.frame) ?? byFrame.set(r.frame, []).get(r.frame)!).push(r);
  const last = s.rows.reduce((m, r) => Math.max(m, r.frame), 0);
  const sampler = new AdaptiveSampler({ emptyEvery: EVERY, emptyAfterSec: AFTER });
  const rows: MotRow[] = [];
  for (let f = 1; f <= last; f++) {
    const t = (f - 1) / s.timebase.fps;
    const here = byFrame.get(f) ?? [];
    if (sampler.skip(t)) continue;
    rows.push(...here);
    sampler.observe(t, here.length);
  }
  return { stream: { ...s, rows }, frames: last, skipped: sampler.skipped };
}

function analyze(d: SimulatedDay, streams: readonly CameraStream[]) {
  return analyzeStoreDay({
    storeId: d.config.store.id,
    timeZone: d.config.store.timezone,
    date: d.scenario.date,
    cameras: d.config.cameras.map(cameraSceneFromConfig),
    analytics: d.config.analytics,
    tracks: streams,
    receipts: d.receipts,
    shifts: d.shifts,
  });
}

const pct = (x: number | null): string => (x === null ? '    -' : (100 * x).toFixed(1).padStart(5));
const sums = { full: KEY_METRICS.map(() => [] as number[]), adaptive: KEY_METRICS.map(() => [] as number[]) };
let frames = 0;
let skipped = 0;
console.log(`adaptive sampling: 1 frame in ${EVERY} while no track for ${AFTER} s; store-level relative error % (full rate | adaptive)`);
console.log(`seed  ${KEY_METRICS.join(' ')}`);
for (let seed = 1; seed <= DAYS; seed++) {
  const d = simulateDay(variedScenario(seed), seed);
  const thinned = d.streams.map(thin);
  frames += thinned.reduce((s, t) => s + t.frames, 0);
  skipped += thinned.reduce((s, t) => s + t.skipped, 0);
  const e = keyMetricErrors(analyze(d, d.streams).report, d.truth);
  const ea = keyMetricErrors(
    analyze(
      d,
      thinned.map((t) => t.stream),
    ).report,
    d.truth,
  );
  KEY_METRICS.forEach((k, i) => {
    if (e[k] !== null) sums.full[i]!.push(e[k]!);
    if (ea[k] !== null) sums.adaptive[i]!.push(ea[k]!);
  });
  console.log(`${String(seed).padStart(4)}  ${KEY_METRICS.map((k) => `${pct(e[k])} |${pct(ea[k])}`).join('   ')}`);
}
const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / Math.max(1, v.length);
console.log(`mean  ${KEY_METRICS.map((_, i) => `${pct(mean(sums.full[i]!))} |${pct(mean(sums.adaptive[i]!))}`).join('   ')}`);
console.log(
  `mean of the five: full ${(100 * mean(sums.full.map(mean))).toFixed(2)} %, adaptive ${(100 * mean(sums.adaptive.map(mean))).toFixed(2)} %; frames skipped ${skipped} of ${frames} (${((100 * skipped) / frames).toFixed(1)} %)`,
);
