/**
 * Person recall by box height at each score threshold, per detector, on the hand-labelled real set
 * (test/fixtures/labels/<clip>/gt.txt, the frames `analyze --fps 2` samples), plus precision and
 * F1; then the score threshold picked by leave-one-sequence-out: the best pooled F1 on two clips,
 * reported on the third.
 *
 *   for m in yolov8n_fp32 yolox_nano yolov8n_int8; do
 *     npx tsx agent/bench/cache-detections.ts --fps 2 --conf 0.05 --model $m --out out/det-recall \
 *       ../shared/data/video/{checkout_counter_cashier.mp4,store_aisle_shoppers.gif,indoor_one_by_one_person.mp4,street_elevated_pedestrians.mp4}; done
 *   npx tsx agent/bench/det-recall.ts [--dets out/det-recall] [--models yolov8n_fp32,yolox_nano,yolov8n_int8] [--bins 48,96,192] [--clips a,b] [--json]
 *
 * The detections are cached at conf 0.05, so every threshold from 0.05 up is read off one run.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bestF1Threshold, formatSizeRecallTable, poolRows, rates, sizeRecall, type ThresholdRow } from '../src/eval/det/index.js';
import { readEventsFile } from '../src/eval/events/index.js';
import { readMotFile } from '../src/io/mot.js';
import { findEntry, loadManifest } from '../src/models/manifest.js';

const { values } = parseArgs({
  options: {
    dets: { type: 'string', default: 'out/det-recall' },
    labels: { type: 'string', default: 'test/fixtures/labels' },
    models: { type: 'string', default: 'yolov8n_fp32,yolox_nano,yolov8n_int8' },
    // Upper edges of the box-height bins (px, source); default eval/det's 64,128,192,256.
    bins: { type: 'string' },
    // Only these labelled clips (default: every folder with a gt.txt).
    clips: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const grid = Array.from({ length: 14 }, (_, i) => Math.round((0.05 + 0.05 * i) * 100) / 100);
const manifest = loadManifest();
const clips = readdirSync(values.labels).filter((d) => existsSync(join(values.labels, d, 'gt.txt')) && (!values.clips || values.clips.split(',').includes(d)));
const binEdges = values.bins?.split(',').map(Number);
const out: Record<string, unknown> = {};

for (const model of values.models.split(',')) {
  // The manifest's own tracker thresholds (the quantile rule) are scored too, beside the grid.
  // A name may carry the input it was cached at (cache-detections --input): yolov8n_fp32@640x384,
  // and `+int8` for the static int8 model, whose own thresholds the tracker uses.
  const entry = findEntry(manifest, model.split('@')[0]!);
  const th = model.endsWith('+int8') ? entry?.int8?.tracker_thresholds : entry?.tracker_thresholds;
  const own = th ? [th.high_threshold, th.new_track_threshold] : [];
  const thresholds = [...new Set([...grid, ...own])].sort((a, b) => a - b);
  const perClip = new Map<string, ThresholdRow[]>();
  for (const clip of clips) {
    const detFile = join(values.dets, `${clip}.${model}.det.txt`);
    if (!existsSync(detFile)) {
      console.error(`${model}: no ${detFile}; run agent/bench/cache-detections.ts first (see the header)`);
      process.exit(2);
    }
    const frames = readEventsFile(join(values.labels, clip, 'events.json')).sampled_frames;
    perClip.set(
      clip,
      sizeRecall(readMotFile(join(values.labels, clip, 'gt.txt')), readMotFile(detFile), { thresholds, frames, ...(binEdges ? { binEdges } : {}) }),
    );
  }
  const pooled = poolRows([...perClip.values()]);
  // Leave-one-out needs two clips or more (a single --clips clip: its table only).
  const loso = (clips.length > 1 ? clips : []).map((held) => {
    const pick = bestF1Threshold(poolRows(clips.filter((c) => c !== held).map((c) => perClip.get(c)!)));
    const row = perClip.get(held)!.find((r) => r.threshold === pick)!;
    return { held, pick, ...rates(row.all), bins: row.bins };
  });
  const heldPooled = loso.length ? poolRows(loso.map((l) => [perClip.get(l.held)!.find((r) => r.threshold === l.pick)!]))[0]! : pooled[0]!;
  const atOwn = own.map((t) => {
    const held = poolRows(clips.map((c) => [perClip.get(c)!.find((r) => r.threshold === t)!]))[0]!;
    return { threshold: t, ...rates(held.all) };
  });
  out[model] = { perClip: Object.fromEntries(perClip), pooled, loso, heldOut: rates(heldPooled.all), pickOnAll: bestF1Threshold(pooled), manifest: atOwn };
  if (values.json) continue;
  console.log(`\n=== ${model}: recall by box height (px; GT boxes in brackets), all-size precision and F1, IoU 0.5`);
  for (const [clip, rows] of perClip) console.log(formatSizeRecallTable(`-- ${clip}`, rows));
  console.log(formatSizeRecallTable('-- pooled over the three clips', pooled));
  console.log('leave-one-sequence-out (threshold = best pooled F1 on the other two clips; figures on the held-out clip):');
  for (const l of loso)
    console.log(
      `  held out ${l.held.padEnd(26)} pick ${l.pick.toFixed(2)}  recall ${l.recall.toFixed(3)}  precision ${l.precision.toFixed(3)}  F1 ${l.f1.toFixed(3)}`,
    );
  for (const a of atOwn)
    console.log(
      `  manifest threshold ${a.threshold} (picked on nothing here): recall ${a.recall.toFixed(3)}  precision ${a.precision.toFixed(3)}  F1 ${a.f1.toFixed(3)}`,
    );
  const h = rates(heldPooled.all);
  console.log(
    `  held-out pooled: recall ${h.recall.toFixed(3)}  precision ${h.precision.toFixed(3)}  F1 ${h.f1.toFixed(3)}; pick on all three: ${bestF1Threshold(pooled).toFixed(2)}`,
  );
}
if (values.json) console.log(JSON.stringify(out));
