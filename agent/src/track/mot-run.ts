/**
 * Run the tracker over MOTChallenge public detections (no images, so motion only) and produce
 * MOT rows. Pure over plain rows: file I/O stays in the CLI shell.
 */
import { MisuseError } from '../core/errors.js';
import { detectionsFromList } from '../core/detections.js';
import type { MotRow } from '../io/mot.js';
import { createIdCounter } from './ids.js';
import { DEFAULT_TRACKER_OPTIONS, trackerOptions, type TrackerOptions } from './options.js';
import { thresholdsFromScores, type QuantileRule } from './thresholds.js';
import { createTracker, type MatchTrace, type TrackerStats } from './tracker.js';

export interface MotTrackingOptions {
  /** Frame rate of the sequence: frame numbers become video seconds (frame - 1) / fps. */
  readonly fps: number;
  /** Use only frames where (frame - 1) % stride === 0, as a shop camera sampled every Nth frame. */
  readonly stride?: number;
  /** Detections below this score are dropped before tracking. */
  readonly minScore?: number;
  /** Tracker options; appearance is forced off (public detections carry no images). */
  readonly tracker?: TrackerOptions;
  /**
   * Calibrate the score thresholds from these detections' own scores by this quantile rule
   * (track/thresholds.ts), replacing the options' thresholds: a det.txt from another detector
   * must not be tracked with YOLOv8n's thresholds. Uses no ground truth.
   */
  readonly calibrate?: QuantileRule;
  /** Told of every match the tracker makes, with the detection's row (diagnostics). */
  readonly onMatch?: (det: MotRow, m: MatchTrace) => void;
}

/** The options with thresholds calibrated on the rows' scores. */
export function calibratedOptions(detRows: readonly MotRow[], base: TrackerOptions, rule: QuantileRule): TrackerOptions {
  const th = thresholdsFromScores([detRows.map((r) => r.conf)], rule);
  return trackerOptions({ ...base, highThreshold: th.high, lowThreshold: Math.min(th.low, th.high), newTrackThreshold: th.newTrack });
}

export interface MotTrackingResult {
  readonly rows: MotRow[];
  /** Frames fed to the tracker (sampled frames from 1 to the last detection frame). */
  readonly framesUsed: number;
  readonly detectionsUsed: number;
  readonly stats: TrackerStats;
}

/** The frames a stride keeps: 1, 1 + stride, 1 + 2*stride, ... */
export function frameKept(frame: number, stride: number): boolean {
  return (frame - 1) % stride === 0;
}

export async function trackMotDetections(detRows: readonly MotRow[], opts: MotTrackingOptions): Promise<MotTrackingResult> {
  const stride = opts.stride ?? 1;
  const minScore = opts.minScore ?? 0;
  if (!(opts.fps > 0) || !Number.isFinite(opts.fps)) throw new MisuseError('FS_BAD_ARGUMENT', `track: fps must be a positive number, got ${opts.fps}`);
  if (!Number.isInteger(stride) || stride < 1) throw new MisuseError('FS_BAD_ARGUMENT', `track: stride must be an integer >= 1, got ${stride}`);
  const base = opts.tracker ?? DEFAULT_TRACKER_OPTIONS;
  const chosen = opts.calibrate
    ? calibratedOptions(
        detRows.filter((r) => r.conf >= minScore),
        base,
        opts.calibrate,
      )
    : base;
  let frameRows: readonly MotRow[] = [];
  const onMatch = opts.onMatch;
  const tracker = createTracker(
    { ...chosen, appearance: false },
    { nextId: createIdCounter(1), ...(onMatch ? { onMatch: (m: MatchTrace) => onMatch(frameRows[m.detectionIndex]!, m) } : {}) },
  );
  const byFrame = new Map<number, MotRow[]>();
  let lastFrame = 0;
  for (const r of detRows) {
    if (!frameKept(r.frame, stride) || r.conf < minScore || !(r.w > 0) || !(r.h > 0)) continue;
    const list = byFrame.get(r.frame);
    if (list) list.push(r);
    else byFrame.set(r.frame, [r]);
    lastFrame = Math.max(lastFrame, r.frame);
  }
  const out: MotRow[] = [];
  let framesUsed = 0;
  let detectionsUsed = 0;
  for (let frame = 1; frame <= lastFrame; frame += stride) {
    const rows = byFrame.get(frame) ?? [];
    frameRows = rows;
    detectionsUsed += rows.length;
    framesUsed++;
    const dets = detectionsFromList(rows.map((r) => ({ box: [r.x, r.y, r.x + r.w, r.y + r.h] as const, score: clamp01(r.conf) })));
    const { tracks } = await tracker.update(dets, (frame - 1) / opts.fps);
    for (const t of tracks) {
      if (!t.matched) continue;
      const [x1, y1, x2, y2] = t.box;
      out.push({ frame, id: t.id, x: x1, y: y1, w: x2 - x1, h: y2 - y1, conf: t.score });
    }
  }
  return { rows: out, framesUsed, detectionsUsed, stats: tracker.stats() };
}

function clamp01(v: number): number {
  return Math.min(Math.max(v, 0), 1);
}
