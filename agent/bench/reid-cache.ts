/**
 * Cache a clip's detections AND the OSNet embedding of every detection, per sampled frame, so the
 * tracker with appearance can be replayed and tuned offline (agent/bench/reid-replay.ts) without
 * paying the detector (~100 ms a frame) and ReID (12-30 ms a crop) again. The detections are the
 * ones `floorsense analyze <clip> --fps F` tracks (same config defaults, same motion gate), so a
 * replay with the product's tracker options reproduces analyze's output.
 *
 *   npx tsx agent/bench/reid-cache.ts [--fps 2] [--seconds S] [--out out/reid-cache] [--config store.yaml] [--reid-input HxW]
 *     [--reid-precision fp32|int8] clip ...
 *
 * --reid-input overrides tracker.reid_input (256x128, 160x80, 128x64): one cache per crop size,
 * replayed by reid-replay.ts --cache DIR, compares what a smaller crop costs the tracker.
 * --reid-precision overrides tracker.reid_precision the same way (the static int8 model).
 *
 * Writes `<out>/<clip-name>.reid.json` (frames: index, pts, boxes in source pixels, scores, and
 * base64 float32 embeddings). Output under out/ only: the vectors derive from third-party video.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { detectorOptionsFrom, detectorPrecision } from '../src/agent/analyze-options.js';
import { loadConfigFile, validateConfig } from '../src/config/load.js';
import { PRECISIONS, type Precision } from '../src/models/precision.js';
import { analyzeSource, openAppearance } from '../src/pipeline/analyze.js';
import { boxAt, type Xyxy } from '../src/track/geometry.js';
import { trackerOptionsFromConfig } from '../src/track/options.js';

export interface CachedFrame {
  readonly index: number;
  readonly ptsSec: number;
  readonly boxes: Xyxy[];
  readonly scores: number[];
  /** base64 of each box's L2-normalised float32 embedding. */
  readonly emb: string[];
}
export interface ReidCache {
  readonly clip: string;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  /** tracker.reid_precision of the embeddings (absent in caches written before it was recorded: fp32). */
  readonly reidPrecision?: Precision;
  readonly frames: CachedFrame[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    fps: { type: 'string', default: '2' },
    seconds: { type: 'string' },
    out: { type: 'string', default: 'out/reid-cache' },
    config: { type: 'string' },
    'reid-input': { type: 'string' },
    'reid-precision': { type: 'string' },
  },
});
const fps = Number(values.fps);
if (!(fps > 0) || positionals.length === 0) {
  console.error('usage: reid-cache.ts [--fps F] [--out DIR] [--config store.yaml] clip ...');
  process.exit(2);
}
mkdirSync(values.out, { recursive: true });
const cfg = values.config ? loadConfigFile(values.config) : validateConfig({ store: { id: 'bench' } });
const detector = detectorOptionsFrom(cfg);
const precision = values['reid-precision'] ?? cfg.tracker.reid_precision;
if (!PRECISIONS.includes(precision as Precision)) throw new Error(`--reid-precision ${precision}: expected one of ${PRECISIONS.join(', ')}`);
const reid = await openAppearance(
  cfg.tracker.reid_model,
  detector,
  (m) => console.warn(m),
  undefined,
  values['reid-input'] ?? cfg.tracker.reid_input,
  precision as Precision,
);

for (const clip of positionals) {
  const name = basename(clip, extname(clip));
  const frames: CachedFrame[] = [];
  const pending: Promise<void>[] = [];
  const result = await analyzeSource({
    url: clip,
    sourceId: name,
    sampling: { fps, keyframes: cfg.sampling.keyframes },
    decode: { threads: cfg.sampling.decode_threads, skipLoopFilter: cfg.sampling.skip_loop_filter, hw: cfg.sampling.hw_decode },
    detector,
    tracker: trackerOptionsFromConfig(cfg.tracker, cfg.detector.model, detectorPrecision(cfg)),
    appearance: false,
    reidModel: cfg.tracker.reid_model,
    // As `analyze` (its default --motion-gate): a static frame reuses the last detections.
    motionGate: {},
    preview: null,
    keepRows: false,
    ...(values.seconds ? { limitSec: Number(values.seconds) } : {}),
    onFrame: (frame, dets) => {
      const boxes = Array.from({ length: dets.length }, (_, i) => boxAt(dets.xyxy, i));
      const entry: CachedFrame = { index: frame.index, ptsSec: frame.ptsSec, boxes, scores: Array.from(dets.score), emb: [] };
      frames.push(entry);
      // reid.embed crops synchronously before its first await, so the frame buffer may be reused after.
      pending.push(
        reid.embed(frame, boxes).then((v) => void entry.emb.push(...v.map((e) => Buffer.from(e.buffer, e.byteOffset, e.byteLength).toString('base64')))),
      );
    },
  });
  await Promise.all(pending);
  if (result.error) throw result.error;
  const s = result.summary;
  const cache: ReidCache = { clip, width: s.width, height: s.height, fps: s.source_fps, reidPrecision: precision as Precision, frames };
  writeFileSync(join(values.out, `${name}.reid.json`), JSON.stringify(cache));
  console.log(`${name}: ${frames.length} frames, ${frames.reduce((n, f) => n + f.boxes.length, 0)} detections embedded, ${s.wall_seconds} s`);
}
await reid.release();
