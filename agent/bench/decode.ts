/**
 * Decode levers on this machine (a script, not a test): ffmpeg decoder threads and
 * `-skip_loop_filter all` in keyframe-only decoding, on the benchmark's looped street clip.
 *   decode fps     sampled frames per wall second out of ingest alone, per setting
 *   accuracy       YOLOv8n detections on frames decoded with the loop filter skipped against the
 *                  same frames decoded normally: share of reference boxes matched (IoU >= 0.5),
 *                  their mean IoU, and boxes gained / lost
 * Also says which hardware decoders this box's ffmpeg lists and whether one decodes the clip.
 *
 * Usage: npx tsx agent/bench/decode.ts [--seconds 60] [--clip gop1|gop4|sub360] [--threads 0,1,2] [--json]
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { openSource } from '../src/ingest/index.js';
import { chooseHwDecoder } from '../src/ingest/hwdecode.js';
import { resolveInput } from '../src/ingest/probe.js';
import { Detector } from '../src/detect/index.js';
import type { Detections } from '../src/core/detections.js';
import type { Frame } from '../src/core/frame.js';
import { benchCacheDir, makeLoopedClip, MAIN_1080P, SUBSTREAM_360P } from './clips.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const data = process.env.FLOORSENSE_SHARED_DATA ?? resolve(repoRoot, '..', 'shared', 'data');
function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const seconds = Number(arg('seconds', '60'));
const clipName = arg('clip', 'gop1');
const threadsList = arg('threads', '0,1,2').split(',').map(Number);
const json = process.argv.includes('--json');

async function decode(path: string, threads: number, skipLoopFilter: boolean, keep: number): Promise<{ fps: number; kept: Frame[] }> {
  const t0 = performance.now();
  const src = await openSource({
    sourceId: 'bench',
    url: path,
    sampling: { stride: 25, keyframes: 'auto' },
    modelSize: { width: 640, height: 640 },
    limitSec: seconds,
    decodeThreads: threads,
    skipLoopFilter,
  });
  if (!src.plan.keyframeMode) throw new Error(`${path}: not decoded keyframe-only; skip_loop_filter would not apply`);
  const kept: Frame[] = [];
  let n = 0;
  for await (const f of src) {
    n++;
    if (kept.length < keep) kept.push({ ...f, data: f.data.slice() });
  }
  return { fps: n / ((performance.now() - t0) / 1000), kept };
}

function iou(a: Detections, i: number, b: Detections, j: number): number {
  const [ax1, ay1, ax2, ay2] = [a.xyxy[i * 4]!, a.xyxy[i * 4 + 1]!, a.xyxy[i * 4 + 2]!, a.xyxy[i * 4 + 3]!];
  const [bx1, by1, bx2, by2] = [b.xyxy[j * 4]!, b.xyxy[j * 4 + 1]!, b.xyxy[j * 4 + 2]!, b.xyxy[j * 4 + 3]!];
  const inter = Math.max(0, Math.min(ax2, bx2) - Math.max(ax1, bx1)) * Math.max(0, Math.min(ay2, by2) - Math.max(ay1, by1));
  return inter / ((ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter);
}

async function main(): Promise<void> {
  const street = join(data, 'video', 'street_elevated_pedestrians.mp4');
  const clip = makeLoopedClip(street, benchCacheDir(repoRoot), 300, clipName === 'gop4' ? 4 : 1, clipName === 'sub360' ? SUBSTREAM_360P : MAIN_1080P);
  const out: Record<string, unknown> = { clip: clip.name, seconds, load: Math.round(loadavg()[0]! * 10) / 10 };
  const speed: Array<{ threads: number; skip_loop_filter: boolean; decode_fps: number }> = [];
  let ref: Frame[] = [];
  let skipped: Frame[] = [];
  // Interleaved (normal, skipped) per thread count so load drift hits both alike.
  for (const threads of threadsList) {
    for (const skip of [false, true]) {
      const r = await decode(clip.path, threads, skip, 30);
      speed.push({ threads, skip_loop_filter: skip, decode_fps: Math.round(r.fps * 10) / 10 });
      if (threads === threadsList[0]) {
        if (skip) skipped = r.kept;
        else ref = r.kept;
      }
      if (!json) console.log(`decode threads ${threads === 0 ? 'auto' : threads}, skip_loop_filter ${skip ? 'on ' : 'off'}: ${r.fps.toFixed(1)} fps`);
    }
  }
  out.speed = speed;
  const det = await Detector.create({ warn: () => {} });
  let refBoxes = 0;
  let matched = 0;
  let iouSum = 0;
  let skipBoxes = 0;
  try {
    for (let k = 0; k < Math.min(ref.length, skipped.length); k++) {
      const a = await det.detect(ref[k]!);
      const b = await det.detect(skipped[k]!);
      refBoxes += a.length;
      skipBoxes += b.length;
      const used = new Set<number>();
      for (let i = 0; i < a.length; i++) {
        let best = -1;
        let bestIou = 0.5;
        for (let j = 0; j < b.length; j++) if (!used.has(j) && iou(a, i, b, j) >= bestIou) [best, bestIou] = [j, iou(a, i, b, j)];
        if (best >= 0) {
          used.add(best);
          matched++;
          iouSum += bestIou;
        }
      }
    }
  } finally {
    await det.close();
  }
  out.accuracy = {
    frames: Math.min(ref.length, skipped.length),
    reference_boxes: refBoxes,
    skip_boxes: skipBoxes,
    matched_share: Math.round((matched / Math.max(1, refBoxes)) * 1000) / 1000,
    mean_iou: Math.round((iouSum / Math.max(1, matched)) * 1000) / 1000,
  };
  const hw = await chooseHwDecoder('auto', resolveInput(clip.path, process.cwd(), 10), 'h264');
  out.hw_decode = { chosen: hw.decoder, rejected: hw.rejected };
  if (json) console.log(JSON.stringify(out));
  else console.log(JSON.stringify({ accuracy: out.accuracy, hw_decode: out.hw_decode }, null, 1));
}

await main();
