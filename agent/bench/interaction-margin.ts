/**
 * How far each interaction `analyze` output leads to is from the thresholds that decide it: for an
 * analyze output folder (one camera) and its config, every interaction found with the config's
 * `analytics.consultation`, with the smallest `distance_m` at which it is still found and its time
 * together (the largest `min_seconds` that keeps it). A margin of a few centimetres or a second is
 * a knife edge: a detector setting that moves box bottoms a few pixels decides it.
 *
 *   npx tsc -p tsconfig.json && node bin/floorsense.js analyze <clip> --fps 2 --out DIR --config C
 *   npx tsx agent/bench/interaction-margin.ts --config C DIR [DIR ...]
 *
 * (agent/bench/labelled-ab.ts leaves one such folder per variant and clip, with its config.yaml:
 * `--config` defaults to DIR/config.yaml.)
 */
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfigFile } from '../src/config/load.js';
import { analyzeStoreDay, cameraSceneFromConfig } from '../src/metrics/store-day.js';
import { readCameraTracks } from '../src/scene/interchange.js';
import type { Interaction } from '../src/scene/consultations.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { config: { type: 'string' } } });
if (positionals.length === 0) {
  console.error('usage: interaction-margin.ts [--config C] DIR ...');
  process.exit(2);
}
for (const dir of positionals) {
  const cfg = loadConfigFile(values.config ?? join(dir, 'config.yaml'));
  const camera = basename(dir);
  const tracks = readCameraTracks(dir, camera);
  const cam = cfg.cameras.length === 1 ? cfg.cameras[0]! : cfg.cameras.find((c) => c.id === camera);
  const scene = cam ? { ...cameraSceneFromConfig(cam), id: camera } : { id: camera, zones: [], floor: null };
  const c = cfg.analytics.consultation;
  const run = (distanceM: number, minSeconds: number): readonly Interaction[] =>
    analyzeStoreDay({
      storeId: 'margin',
      timeZone: 'UTC',
      date: new Date(tracks.timebase.startMs).toISOString().slice(0, 10),
      cameras: [scene],
      analytics: { ...cfg.analytics, consultation: { ...c, distance_m: distanceM, min_seconds: minSeconds } },
      tracks: [tracks],
      receipts: [],
      shifts: [],
    }).interactions;
  const key = (i: Interaction) => `${i.kind} ${i.staffPersonId}->${i.visitId}`;
  const found = (list: readonly Interaction[], i: Interaction) => list.some((j) => key(j) === key(i));
  // Bisection on each threshold with the other at the config's value; 20 halvings: ~5 mm, ~0.06 s.
  const bisect = (ok: (v: number) => boolean, lo: number, hi: number, wantLow: boolean): number => {
    for (let k = 0; k < 20; k++) {
      const m = (lo + hi) / 2;
      if (ok(m) === wantLow) hi = m;
      else lo = m;
    }
    return wantLow ? hi : lo;
  };
  const base = run(c.distance_m, c.min_seconds);
  console.log(`${dir}: ${base.length} interaction(s) at distance_m ${c.distance_m}, min_seconds ${c.min_seconds}`);
  for (const i of base) {
    const fromDistance = bisect((d) => found(run(d, c.min_seconds), i), 0, c.distance_m, true);
    const together = bisect((s) => found(run(c.distance_m, s), i), c.min_seconds, 3600, false);
    console.log(
      `  ${key(i)}: ${i.durationS.toFixed(1)} s first to last; found from distance_m ${fromDistance.toFixed(2)} (margin ${(c.distance_m - fromDistance).toFixed(2)} m), together ${together.toFixed(1)} s (margin ${(together - c.min_seconds).toFixed(1)} s)`,
    );
  }
}
