/**
 * Do two detector inputs find the same people? Compares cached detections (agent/bench/cache-detections.ts)
 * of the same clips at two inputs, e.g. the native 640x640 against the 16:9-fitted 640x384, at the
 * score thresholds that matter: the detector's conf_threshold (0.25) and the tracker's high and
 * new-track thresholds from the manifest. Per clip and pooled: boxes on each side, the share matched
 * at IoU > 0.5 (optimal assignment per frame), their mean IoU, frames with the same person count.
 *
 *   for i in native 640x384; do npx tsx agent/bench/cache-detections.ts --fps 2 --conf 0.05 --model yolov8n_fp32 --input $i \
 *     --out out/det-recall ../shared/data/video/*; done
 *   npx tsx agent/bench/input-agreement.ts [--dets out/det-recall] [--ref yolov8n_fp32@native] [--cand yolov8n_fp32@640x384] [--json]
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Xyxy } from '../src/core/boxes.js';
import { detectionAgreement, type Agreement } from '../src/eval/det/index.js';
import { readMotFile } from '../src/io/mot.js';
import { findEntry, loadManifest } from '../src/models/manifest.js';

const { values } = parseArgs({
  options: {
    dets: { type: 'string', default: 'out/det-recall' },
    ref: { type: 'string', default: 'yolov8n_fp32@native' },
    cand: { type: 'string', default: 'yolov8n_fp32@640x384' },
    json: { type: 'boolean', default: false },
  },
});
const suffix = (m: string) => `.${m}.det.txt`;
const clips = readdirSync(values.dets)
  .filter((f) => f.endsWith(suffix(values.ref)))
  .map((f) => f.slice(0, -suffix(values.ref).length))
  .filter((c) => existsSync(join(values.dets, `${c}${suffix(values.cand)}`)));
if (clips.length === 0) {
  console.error(`no clip has both ${suffix(values.ref)} and ${suffix(values.cand)} in ${values.dets}; see the header`);
  process.exit(2);
}
const th = findEntry(loadManifest(), values.ref.split('@')[0]!)?.tracker_thresholds;
const thresholds = [0.25, ...(th ? [th.high_threshold, th.new_track_threshold] : [])];

function byFrame(file: string, conf: number): Map<number, Xyxy[]> {
  const m = new Map<number, Xyxy[]>();
  for (const r of readMotFile(file)) {
    if (!m.has(r.frame)) m.set(r.frame, []);
    if (r.conf >= conf) m.get(r.frame)!.push([r.x, r.y, r.x + r.w, r.y + r.h]);
  }
  return m;
}

const out: Record<string, Record<string, Agreement>> = {};
for (const t of thresholds) {
  const rows: Record<string, Agreement> = {};
  const all = { ref: new Map<number, Xyxy[]>(), cand: new Map<number, Xyxy[]>() };
  clips.forEach((clip, ci) => {
    const ref = byFrame(join(values.dets, `${clip}${suffix(values.ref)}`), t);
    const cand = byFrame(join(values.dets, `${clip}${suffix(values.cand)}`), t);
    rows[clip] = detectionAgreement(ref, cand);
    // Pooled: frames keyed apart per clip.
    for (const [f, b] of ref) all.ref.set(ci * 1e7 + f, b);
    for (const [f, b] of cand) all.cand.set(ci * 1e7 + f, b);
  });
  rows.pooled = detectionAgreement(all.ref, all.cand);
  out[String(t)] = rows;
}
if (values.json) console.log(JSON.stringify({ ref: values.ref, cand: values.cand, thresholds: out }, null, 2));
else {
  console.log(`${values.cand} against ${values.ref}: pairs at IoU > 0.5 (optimal per frame)`);
  for (const [t, rows] of Object.entries(out)) {
    console.log(`\nscore >= ${t}\n${'clip'.padEnd(30)} frames  ref  cand  matched  ref%   cand%  meanIoU  same-count`);
    for (const [clip, a] of Object.entries(rows)) {
      console.log(
        `${clip.padEnd(30)} ${String(a.frames).padStart(6)} ${String(a.referenceBoxes).padStart(4)} ${String(a.candidateBoxes).padStart(5)} ${String(a.matched).padStart(8)}  ${(100 * a.referenceMatched).toFixed(1).padStart(5)}  ${(100 * a.candidateMatched).toFixed(1).padStart(5)}   ${a.meanIou.toFixed(3)}  ${a.sameCountFrames}/${a.frames}`,
      );
    }
  }
}
