/**
 * Detection on a substream against detection on the main stream, on the checkout clip (768x432):
 * a half-size copy (384x216, same shape) and an anamorphic 4CIF copy (704x576 flagged with square
 * pixels, as NVRs serve a 16:9 camera's substream). Prints, per copy, the share of main-stream
 * track rows matched at IoU > 0.5 in the same frame, their mean IoU, and the track counts.
 *
 * Usage: FLOORSENSE_MODELS=../shared/data/models npx tsx agent/bench/substream.ts [--seconds N]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { groupByFrame } from '../src/io/mot.js';
import { analyzeSource, type AnalyzeOptions } from '../src/pipeline/analyze.js';
import { trackerOptions } from '../src/track/index.js';
import { boxIou } from '../src/eval/mot/frames.js';

const data = process.env.FLOORSENSE_SHARED_DATA ?? resolve('..', 'shared', 'data');
const clip = join(data, 'video', 'checkout_counter_cashier.mp4');
const i = process.argv.indexOf('--seconds');
const seconds = i >= 0 ? Number(process.argv[i + 1]) : undefined;

const options = (detectUrl?: string): AnalyzeOptions => ({
  url: clip,
  ...(detectUrl ? { detectUrl } : {}),
  sourceId: 'till',
  sampling: { stride: 25, keyframes: 'never' },
  detector: {},
  tracker: trackerOptions({ appearance: false }),
  appearance: false,
  reidModel: 'osnet_x0_25_msmt17',
  motionGate: null,
  preview: null,
  ...(seconds ? { limitSec: seconds } : {}),
  warn: () => {},
});

const tmp = mkdtempSync(join(tmpdir(), 'fs-substream-bench-'));
const direct = await analyzeSource(options());
for (const [name, vf] of [
  ['384x216', 'scale=384:216'],
  ['704x576 (4CIF, anamorphic)', 'scale=704:576,setsar=1'],
] as const) {
  const file = join(tmp, `${name.slice(0, 7)}.mp4`);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', clip, '-vf', vf, '-c:v', 'libx264', '-preset', 'veryfast', file]);
  const sub = await analyzeSource(options(file));
  const a = groupByFrame(direct.rows);
  const b = groupByFrame(sub.rows);
  const best = [...a].flatMap(([frame, rows]) => rows.map((r) => Math.max(0, ...(b.get(frame) ?? []).map((s) => boxIou(r, s)))));
  const found = best.filter((v) => v > 0.5);
  console.log(
    `${name}: ${found.length}/${best.length} main-stream rows matched at IoU > 0.5 (${((100 * found.length) / best.length).toFixed(1)} %), ` +
      `mean IoU ${(found.reduce((s, v) => s + v, 0) / found.length).toFixed(3)}, tracks ${sub.summary.tracks} (main stream ${direct.summary.tracks})`,
  );
}
