/**
 * A detector's tracker score thresholds by the quantile rule (track/thresholds.ts) from its cached
 * person detections on the shared clips (agent/bench/cache-detections.ts), one group per clip so
 * each clip weighs the same. Only scores at or above the detector's product confidence floor count:
 * that is what the tracker is fed. Prints the manifest `tracker_thresholds` object.
 *
 *   npx tsx agent/bench/cache-detections.ts --fps 2 --conf 0.1 ../shared/data/video/*
 *   npx tsx agent/bench/tracker-thresholds.ts [--floor 0.25] [--q-high Q] [--q-new Q] out/det-cache/*.det.txt
 */
import { parseArgs } from 'node:util';
import { basename } from 'node:path';
import { readMotFile } from '../src/io/mot.js';
import { DEFAULT_QUANTILE_RULE, thresholdsFromScores, weightedQuantile } from '../src/track/thresholds.js';
import { DETECTOR_DEFAULTS } from '../src/detect/defaults.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    floor: { type: 'string', default: String(DETECTOR_DEFAULTS.conf_threshold) },
    'q-high': { type: 'string', default: String(DEFAULT_QUANTILE_RULE.qHigh) },
    'q-new': { type: 'string', default: String(DEFAULT_QUANTILE_RULE.qNew) },
  },
});
const floor = Number(values.floor);
const rule = { ...DEFAULT_QUANTILE_RULE, qHigh: Number(values['q-high']), qNew: Number(values['q-new']) };
const groups = positionals.map((f) =>
  readMotFile(f)
    .map((r) => r.conf)
    .filter((s) => s >= floor),
);
for (const [k, f] of positionals.entries()) {
  const g = groups[k]!;
  console.error(
    `${basename(f)}: ${g.length} scores >= ${floor}, q${rule.qHigh} ${g.length ? weightedQuantile([g], rule.qHigh).toFixed(3) : '-'}, q${rule.qNew} ${g.length ? weightedQuantile([g], rule.qNew).toFixed(3) : '-'}`,
  );
}
const th = thresholdsFromScores(groups, rule);
const r3 = (v: number): number => Math.round(v * 1000) / 1000;
console.log(
  JSON.stringify(
    {
      high_threshold: r3(th.high),
      low_threshold: r3(th.low),
      new_track_threshold: r3(th.newTrack),
      rule: `quantiles q_high ${rule.qHigh} / q_new ${rule.qNew} (chosen by leave-one-out CV, agent/bench/tracker-cv.ts) of this model's person scores >= ${floor} on ${positionals.length} shared clips at 2 fps, each clip weighted equally; low = ByteTrack's ${rule.floor}`,
      command: `npx tsx agent/bench/cache-detections.ts --fps 2 --conf 0.1 ../shared/data/video/* && npx tsx agent/bench/tracker-thresholds.ts --floor ${floor} --q-high ${rule.qHigh} --q-new ${rule.qNew} out/det-cache/*.det.txt`,
    },
    null,
    2,
  ),
);
