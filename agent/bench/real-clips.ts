/**
 * Real-clip check from `floorsense analyze` outputs (no ground truth): boxes kept per sampled
 * frame against detections per frame, tracks, and each track's fastest move in body heights per
 * second (eval/mot/jumps.ts): an identity that jumps between people shows up as a track moving
 * many body heights in one sample.
 *
 *   node bin/floorsense.js analyze ../shared/data/video/checkout_counter_cashier.mp4 --fps 2 --out out/rc/checkout
 *   npx tsx agent/bench/real-clips.ts out/rc/checkout [more analyze output folders]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { trackJumps } from '../src/eval/mot/index.js';
import { readMotFile } from '../src/io/mot.js';
import { DEFAULT_TRACKER_OPTIONS } from '../src/track/options.js';

for (const dir of process.argv.slice(2)) {
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { frames_sampled: number; detections: number; source_fps: number };
  const tracksFile = readdirSync(dir).find((f) => f.endsWith('.txt'))!;
  const rows = readMotFile(join(dir, tracksFile));
  const gate = DEFAULT_TRACKER_OPTIONS.plausibility;
  const jumps = trackJumps(rows, summary.source_fps, gate);
  const worst = jumps[0];
  console.log(
    `${dir}: ${(summary.detections / summary.frames_sampled).toFixed(2)} detections/frame, ${(rows.length / summary.frames_sampled).toFixed(2)} boxes kept/frame, ` +
      `${new Set(rows.map((r) => r.id)).size} tracks; fastest track move ${worst ? `${worst.bodyHeightsPerSec.toFixed(2)} body heights/s (track ${worst.id}, ${worst.bodyHeights.toFixed(2)} body heights at frame ${worst.frame})` : 'n/a'}; ` +
      `tracks with a move beyond the product gate (${gate.slackBodyHeights} + ${gate.maxSpeedBodyHeights} bh/s x dt, at most ${gate.maxReachBodyHeights} bh): ${jumps.filter((j) => j.gateRatio > 1).length} ` +
      `(largest ratio ${Math.max(0, ...jumps.map((j) => j.gateRatio)).toFixed(2)})`,
  );
}
