/**
 * `npm run bench`: speed of the vision pipeline on this machine, printed as a table.
 *
 * For each clip (a 5-minute 1080p H.264 loop of the street clip with a 1 s and a 4 s keyframe
 * interval, and the checkout clip) at stride 25:
 *   decode-only fps      sampled frames per wall second out of ingest alone (ffmpeg + letterbox)
 *   detector-only fps    1000 / mean detector ms on already-decoded frames
 *   end-to-end fps       sampled frames per wall second through decode + detect + track (+ ReID)
 *   e2e / detector       how much of the detector ceiling the whole pipeline keeps
 *   cam-h per wall-h     seconds of video processed per wall second = camera-hours per wall-hour
 * plus the ReID cost (embeddings computed and skipped, ms per embedding) and the share of frames the
 * motion gate let skip. The design's target for a 2-core box: 24 camera-hours per wall-hour.
 *
 * Usage: npm run bench [-- --seconds N] [-- --clips gop1,gop4,sub360,checkout] [-- --variants full,full-all,motion-only,no-gate] [-- --json] [-- --repeat N]
 * A variant may add levers: full+regions (detector.regions.mode motion), full+tiles (2x1 tiles and a
 * full-frame pass), full+adaptive (sampling.empty_every 3), or several (full+regions+adaptive).
 * (sub360: the same street loop at 640x360, GOP 1 s, as a camera's detection substream serves it.)
 * --json prints one object per clip and variant (BenchRecord below) on stdout, the header on stderr.
 * --model NAME and --threads N set detector.model and detector.threads (which the ReID session
 * follows) for every variant, for A/B runs of detector choices and session settings; default: the
 * detector's defaults (DETECTOR_DEFAULTS).
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { DECODE_DEFAULTS, openSource } from '../src/ingest/index.js';
import { Detector } from '../src/detect/index.js';
import { analyzeSource } from '../src/pipeline/analyze.js';
import { DEFAULT_TRACKER_OPTIONS, trackerOptions } from '../src/track/index.js';
import type { Frame } from '../src/core/frame.js';
import { benchCacheDir, makeLoopedClip, SUBSTREAM_360P, type BenchClip } from './clips.js';
import { sampleRss } from './rss.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const data = process.env.FLOORSENSE_SHARED_DATA ?? resolve(repoRoot, '..', 'shared', 'data');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const seconds = Number(arg('seconds', '300'));
const clipNames = arg('clips', 'gop1,gop4,checkout').split(',');
const variants = arg('variants', 'full,motion-only,no-gate').split(',');
const json = process.argv.includes('--json');
/** Cycle through the variants this many times (A B A B ...), so load drift on a shared box hits every variant alike. */
const repeat = Math.max(1, Number(arg('repeat', '1')));
const STRIDE = 25;
/** Detector options every variant and the detector-only figure share (--model, --threads). */
const detectorOpts = {
  ...(process.argv.includes('--model') ? { model: arg('model', '') } : {}),
  ...(process.argv.includes('--threads') ? { threads: Number(arg('threads', '0')) } : {}),
  // detector.input (auto: fitted to 16:9, native: the model's square); a +native lever overrides it per variant.
  ...(process.argv.includes('--input') ? { input: arg('input', 'auto') } : {}),
};

async function decodeOnly(
  clip: BenchClip,
  keep: number,
  modelSize: { width: number; height: number },
): Promise<{ fps: number; frames: number; videoSec: number; wallSec: number; keyframeMode: boolean; kept: Frame[] }> {
  const t0 = performance.now();
  const src = await openSource({
    sourceId: clip.name,
    url: clip.path,
    sampling: { stride: STRIDE, keyframes: 'auto' },
    modelSize,
    limitSec: seconds,
    skipLoopFilter: DECODE_DEFAULTS.skipLoopFilter,
  });
  const kept: Frame[] = [];
  let frames = 0;
  let last = 0;
  for await (const f of src) {
    frames++;
    last = f.ptsSec;
    if (kept.length < keep) kept.push({ ...f, data: f.data.slice() });
  }
  const wallSec = (performance.now() - t0) / 1000;
  return { fps: frames / wallSec, frames, videoSec: last + src.plan.intervalSec, wallSec, keyframeMode: src.plan.keyframeMode, kept };
}

async function detectorOnly(frames: Frame[]): Promise<{ fps: number; ms: number }> {
  const det = await Detector.create({ ...detectorOpts, warn: () => {} });
  try {
    for (const f of frames.slice(0, 3)) await det.detect(f);
    const t0 = performance.now();
    let n = 0;
    for (let round = 0; round < 2; round++)
      for (const f of frames) {
        await det.detect(f);
        n++;
      }
    const ms = (performance.now() - t0) / n;
    return { fps: 1000 / ms, ms };
  } finally {
    await det.close();
  }
}

/**
 * Variants: full (appearance + motion gate), full-all (the same with every high-score detection
 * embedded, tracker.embedding_policy all: the reference the decisive policy is measured against),
 * motion-only (no ReID), no-gate (appearance, every frame inferred); a `-serial` suffix runs the same with the pipeline strictly serial and ReID in-thread
 * (the path before detection ran one frame ahead), for back-to-back before/after pairs.
 */
async function endToEnd(clip: BenchClip, variant: string) {
  // Lever suffixes: +regions (motion regions), +tiles (2x1 tiles + full frame), +adaptive (1 in 3 while empty).
  const [head, ...levers] = variant.split('+');
  const serial = head!.endsWith('-serial');
  const base = serial ? head!.slice(0, -'-serial'.length) : head!;
  const appearance = base !== 'motion-only';
  const mode = levers.includes('regions') ? 'motion' : levers.includes('tiles') ? 'tiles' : 'full';
  // +native: the detector at its native square input (before detector.input auto); +reidHxW: that ReID crop.
  const reidInput = levers.map((l) => /^reid(\d+x\d+)$/.exec(l)?.[1]).find((x) => x !== undefined);
  const r = await analyzeSource({
    url: clip.path,
    sourceId: clip.name,
    sampling: { stride: STRIDE, keyframes: 'auto' },
    detector: levers.includes('native') ? { ...detectorOpts, input: 'native' } : detectorOpts,
    tracker: !appearance ? trackerOptions({ appearance: false }) : base === 'full-all' ? trackerOptions({ embeddingPolicy: 'all' }) : DEFAULT_TRACKER_OPTIONS,
    appearance,
    reidModel: 'osnet_x0_25_msmt17',
    ...(reidInput ? { reidInput } : {}),
    motionGate: base === 'no-gate' ? null : {},
    regions: { mode },
    adaptive: levers.includes('adaptive') ? { emptyEvery: 3 } : null,
    ...(serial ? { tuning: { detectAhead: 0, reidWorker: false } } : {}),
    preview: null,
    limitSec: seconds,
    warn: () => {},
  });
  return r.summary;
}

function row(cells: Array<string | number>, widths: number[]): string {
  return cells.map((c, i) => String(c).padStart(widths[i]!)).join('  ');
}

/** One clip and variant, as `--json` prints it (one object per line). */
export interface BenchRecord {
  readonly clip: string;
  readonly variant: string;
  /** Detector model and intra-op threads (0 = onnxruntime's default), e.g. "yolov8n_fp32 threads=0". */
  readonly detector: string;
  /** 1-based pass over the variants (--repeat). */
  readonly run: number;
  readonly keyframe_mode: boolean;
  /** Sampled frames per wall second out of ingest alone. */
  readonly decode_fps: number;
  /** 1000 / mean detector ms on already-decoded frames (the ceiling). */
  readonly detector_fps: number;
  /** Sampled frames per wall second through the whole pipeline. */
  readonly e2e_fps: number;
  /** Seconds of video per wall second = camera-hours per wall-hour. */
  readonly cam_h_per_h: number;
  readonly e2e_over_det: number;
  /** Peak RSS of this process during the variant (MiB), and of its ffmpeg children. */
  readonly rss_mb: number;
  readonly ffmpeg_rss_mb: number;
  readonly frames: number;
  readonly frames_skipped_static: number;
  readonly embeddings: number;
  readonly embeddings_skipped: number;
  readonly ms_per_embedding: number;
  readonly detector_ms: number;
  /** Detector runs (one per crop with regions or tiles; = frames inferred otherwise). */
  readonly detector_runs: number;
  readonly frames_skipped_empty: number;
}

const r2 = (v: number): number => Math.round(v * 100) / 100;

async function main(): Promise<void> {
  const clips: BenchClip[] = [];
  const street = join(data, 'video', 'street_elevated_pedestrians.mp4');
  const checkout = join(data, 'video', 'checkout_counter_cashier.mp4');
  for (const p of [street, checkout]) if (!existsSync(p)) throw new Error(`bench needs ${p} (../shared/data)`);
  const cache = benchCacheDir(repoRoot);
  if (clipNames.includes('gop1')) clips.push(makeLoopedClip(street, cache, Math.max(300, seconds), 1));
  if (clipNames.includes('gop4')) clips.push(makeLoopedClip(street, cache, Math.max(300, seconds), 4));
  if (clipNames.includes('sub360')) clips.push(makeLoopedClip(street, cache, Math.max(300, seconds), 1, SUBSTREAM_360P));
  if (clipNames.includes('checkout')) clips.push({ name: 'checkout_counter_cashier', path: checkout, note: '768x432 H.264, 26 s, 25 fps' });

  // The detector's input size (640 for YOLOv8n, 416 for YOLOX-Nano) sets the decode letterbox, as in analyze.
  const probe = await Detector.create({ ...detectorOpts, warn: () => {} });
  const modelSize = probe.inputSize;
  const model = `${probe.model.name} threads=${probe.settings.threads}`;
  await probe.close();
  const header = `FloorSense pipeline benchmark: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, stride ${STRIDE}, up to ${seconds} s per clip, detector ${model}, load ${loadavg()[0]!.toFixed(1)}`;
  if (json) console.error(header);
  else console.log(header);
  const widths = [26, 9, 8, 8, 9, 8, 8, 7, 10, 12, 7];
  if (!json)
    console.log(row(['clip / variant', 'keyframes', 'decode', 'detect', 'e2e fps', 'e2e/det', 'cam-h/h', 'static', 'embeds', 'ms/embed', 'rss MB'], widths));
  for (const clip of clips) {
    const d = await decodeOnly(clip, 40, modelSize);
    const det = await detectorOnly(d.kept);
    if (!json)
      console.log(
        row(
          [
            `${clip.name}`,
            d.keyframeMode ? 'yes' : 'no',
            d.fps.toFixed(1),
            det.fps.toFixed(1),
            '',
            '',
            `${(d.videoSec / d.wallSec).toFixed(1)}*`,
            '',
            '',
            '',
            '',
          ],
          widths,
        ),
      );
    for (const [run, v] of Array.from({ length: repeat }, (_, r) => variants.map((x) => [r + 1, x] as const)).flat()) {
      const rss = sampleRss();
      const s = await endToEnd(clip, v);
      const peak = rss.stop();
      const fps = s.frames_sampled / s.wall_seconds;
      const rec: BenchRecord = {
        clip: clip.name,
        variant: v,
        detector: model,
        run,
        keyframe_mode: s.keyframe_mode,
        decode_fps: r2(d.fps),
        detector_fps: r2(det.fps),
        e2e_fps: r2(fps),
        cam_h_per_h: r2(s.realtime_factor),
        e2e_over_det: r2(fps / det.fps),
        rss_mb: peak.selfMb,
        ffmpeg_rss_mb: peak.childrenMb,
        frames: s.frames_sampled,
        frames_skipped_static: s.frames_skipped_static,
        embeddings: s.appearance.embeddings,
        embeddings_skipped: s.appearance.skipped,
        ms_per_embedding: s.appearance.ms_per_embedding,
        detector_ms: r2(det.ms),
        detector_runs: s.regions?.crops ?? s.frames_inferred,
        frames_skipped_empty: s.frames_skipped_empty,
      };
      if (json) {
        console.log(JSON.stringify(rec));
        continue;
      }
      console.log(
        row(
          [
            `  ${v}`,
            s.keyframe_mode ? 'yes' : 'no',
            '',
            '',
            fps.toFixed(1),
            rec.e2e_over_det.toFixed(2),
            s.realtime_factor.toFixed(1),
            `${((100 * s.frames_skipped_static) / Math.max(1, s.frames_sampled)).toFixed(0)}%`,
            `${s.appearance.embeddings}/${s.appearance.embeddings + s.appearance.skipped}`,
            s.appearance.ms_per_embedding.toFixed(1),
            peak.selfMb,
          ],
          widths,
        ),
      );
    }
  }
  if (json) return;
  console.log('decode/detect/e2e: sampled frames per wall second; cam-h/h: camera-hours per wall-hour (* decode alone);');
  console.log('static: sampled frames the motion gate skipped; embeds: ReID embeddings computed / needed-or-skipped;');
  console.log('rss MB: peak resident memory of this process during the variant (ffmpeg children not included; --json has them).');
}

await main();
