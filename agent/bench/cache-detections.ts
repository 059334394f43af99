/**
 * Cache a clip's person detections as MOTChallenge det.txt (`frame,-1,x,y,w,h,score,-1,-1,-1`,
 * frame = source frame index + 1, source pixels) so the tracker can be re-run and tuned from the
 * file (`floorsense track --det`) without paying the detector again (~100-250 ms a frame on the
 * shared CPU). Also writes `<name>.json` with the clip's fps and size. Output under out/ only.
 *
 *   npx tsx agent/bench/cache-detections.ts [--fps 2] [--conf 0.1] [--model yolov8n_fp32] [--input auto|native|WxH] [--tiles CxR] [--precision fp32|int8] [--out out/det-cache] clip.mp4 ...
 *
 * With --model, files are named `<clip>.<model>.det.txt` so caches of several
 * models sit side by side (agent/bench/det-recall.ts reads them); with --input too,
 * `<clip>.<model>@<input>.det.txt` (e.g. yolov8n_fp32@native beside yolov8n_fp32@640x384).
 * --tiles CxR runs detector.regions.mode tiles with that grid (plus its full-frame pass, the
 * config's defaults otherwise) and adds `@tilesCxR` to the name; --precision int8 (the static int8
 * model, models/quantize.ts) adds `+int8` (`<clip>.<model>@<input>+int8.det.txt`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { detectorOptionsFrom, regionOptionsFrom } from '../src/agent/analyze-options.js';
import { validateConfig } from '../src/config/load.js';
import { analyzeSource } from '../src/pipeline/analyze.js';
import type { Precision } from '../src/models/precision.js';
import { DEFAULT_TRACKER_OPTIONS } from '../src/track/options.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    fps: { type: 'string', default: '2' },
    conf: { type: 'string', default: '0.1' },
    model: { type: 'string' },
    input: { type: 'string' },
    tiles: { type: 'string' },
    precision: { type: 'string' },
    out: { type: 'string', default: 'out/det-cache' },
  },
});
const fps = Number(values.fps);
const conf = Number(values.conf);
if (!(fps > 0) || !(conf >= 0 && conf <= 1) || positionals.length === 0) {
  console.error('usage: cache-detections.ts [--fps F > 0] [--conf 0..1] [--out DIR] clip ...');
  process.exit(2);
}
mkdirSync(values.out, { recursive: true });
const base = detectorOptionsFrom(validateConfig({ store: { id: 'bench' } }));
const precision: Precision | undefined =
  values.precision === undefined ? undefined : values.precision === 'int8' ? 'int8' : values.precision === 'fp32' ? 'fp32' : undefined;
if (values.precision !== undefined && precision === undefined) throw new Error(`--precision ${values.precision}: fp32 or int8`);
const detector = {
  ...base,
  conf_threshold: conf,
  ...(values.model ? { model: values.model } : {}),
  ...(values.input ? { input: values.input } : {}),
  ...(precision ? { precision } : {}),
};
const grid = values.tiles?.match(/^([1-4])x([1-4])$/);
if (values.tiles !== undefined && !grid) {
  console.error(`--tiles ${values.tiles}: expected CxR, columns and rows 1..4 (e.g. 2x2)`);
  process.exit(2);
}
const regions = grid
  ? { ...regionOptionsFrom(validateConfig({ store: { id: 'bench' } })), mode: 'tiles' as const, tileCols: Number(grid[1]), tileRows: Number(grid[2]) }
  : null;
// Name parts: the input and the tile grid after '@', then "+int8" (yolov8n_fp32@640x384+int8 beside yolov8n_fp32@640x384).
const tag = [values.input, grid ? `tiles${values.tiles}` : undefined].filter(Boolean).join('@');
const plus = precision === 'int8' ? '+int8' : '';
const suffix = values.model ? `.${values.model}${tag ? `@${tag}` : ''}${plus}` : tag || plus ? `.@${tag}${plus}` : '';

for (const clip of positionals) {
  const name = basename(clip, extname(clip));
  const lines: string[] = [];
  let frames = 0;
  const result = await analyzeSource({
    url: clip,
    sourceId: name,
    sampling: { fps, keyframes: 'never' },
    detector,
    tracker: DEFAULT_TRACKER_OPTIONS,
    appearance: false,
    reidModel: 'osnet_x0_25_msmt17',
    motionGate: null,
    regions,
    preview: null,
    keepRows: false,
    onFrame: (frame, dets) => {
      frames++;
      for (let i = 0; i < dets.length; i++) {
        const [x1, y1, x2, y2] = [dets.xyxy[i * 4]!, dets.xyxy[i * 4 + 1]!, dets.xyxy[i * 4 + 2]!, dets.xyxy[i * 4 + 3]!];
        lines.push(
          `${frame.index + 1},-1,${x1.toFixed(1)},${y1.toFixed(1)},${(x2 - x1).toFixed(1)},${(y2 - y1).toFixed(1)},${dets.score[i]!.toFixed(4)},-1,-1,-1`,
        );
      }
    },
  });
  if (result.error) throw result.error;
  const s = result.summary;
  writeFileSync(join(values.out, `${name}${suffix}.det.txt`), `${lines.join('\n')}\n`);
  writeFileSync(
    join(values.out, `${name}${suffix}.json`),
    `${JSON.stringify(
      {
        clip,
        fps: s.source_fps,
        width: s.width,
        height: s.height,
        sampled_fps: fps,
        conf,
        frames,
        detections: lines.length,
        model: s.detector.model,
        input: values.input ?? 'default',
        tiles: values.tiles ?? null,
        // Cost: detector runs (one per crop in tiles mode) and the mean detector ms per inferred frame.
        detector_runs: s.regions?.crops ?? s.frames_inferred,
        mean_inference_ms: s.detector.mean_inference_ms,
        precision: precision ?? 'default',
      },
      null,
      2,
    )}\n`,
  );
  console.log(
    `${name}: ${frames} frames, ${lines.length} detections (${(lines.length / Math.max(frames, 1)).toFixed(2)}/frame) at conf >= ${conf}, ${s.wall_seconds} s`,
  );
}
