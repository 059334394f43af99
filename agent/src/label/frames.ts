/**
 * The frames a label session steps through: the sampled frames of an `analyze` run, extracted once
 * from the clip with ffmpeg as JPEGs into `<dir>/frames/<frame>.jpg` (MOT frame numbers), so the
 * page shows exactly the pictures the detector saw. They stay on the box next to the labels and are
 * never committed (only gt.txt and events.json are).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FailureError } from '../core/errors.js';
import type { MotRow } from '../io/mot.js';

export interface AnalyzeSummary {
  readonly source?: string;
  readonly sampling_interval_s?: number;
  readonly frames_sampled?: number;
  readonly source_fps?: number;
}

export function readSummary(dir: string): AnalyzeSummary | null {
  const p = join(dir, 'summary.json');
  if (!existsSync(p)) return null;
  try {
    return JSON.parse(readFileSync(p, 'utf8')) as AnalyzeSummary;
  } catch (e) {
    throw new FailureError('FS_PARSE', `${p}: not JSON: ${(e as Error).message}`, { path: p }, { cause: e });
  }
}

/**
 * MOT frame numbers analyze sampled: k * interval * fps rounded (ffmpeg's fps filter picks the
 * nearest frame, half up), plus every frame a track row names (frames with nobody are in the first
 * set only, which is why the summary is read at all).
 */
export function sampledFrames(rows: readonly MotRow[], summary: AnalyzeSummary | null, sourceFps: number): number[] {
  const set = new Set(rows.map((r) => r.frame));
  const n = summary?.frames_sampled ?? 0;
  const interval = summary?.sampling_interval_s ?? 0;
  if (n > 0 && interval > 0) for (let k = 0; k < n; k++) set.add(Math.round(k * interval * sourceFps) + 1);
  return [...set].sort((a, b) => a - b);
}

export function framePath(dir: string, frame: number): string {
  return join(dir, 'frames', `${frame}.jpg`);
}

/**
 * ffmpeg's expression for "frame index is one of these", as a balanced tree of sums: ffmpeg's
 * expression parser recurses once per `+` of a flat chain and gives up after about a hundred
 * terms, while a tree's depth grows with log2 of the count (a 140 s clip at 2 fps is 279 terms).
 */
export function anyOf(indices: readonly number[]): string {
  if (indices.length === 0) throw new RangeError('anyOf: no frame indices');
  if (indices.length === 1) return `eq(n\\,${indices[0]})`;
  const mid = indices.length >> 1;
  return `(${anyOf(indices.slice(0, mid))}+${anyOf(indices.slice(mid))})`;
}

/** Extracts the frames not yet on disk, in one ffmpeg pass (select by frame index). */
export function extractFrames(video: string, dir: string, frames: readonly number[], ffmpeg = 'ffmpeg'): void {
  const missing = frames.filter((f) => !existsSync(framePath(dir, f)));
  if (missing.length === 0) return;
  if (!existsSync(video))
    throw new FailureError('FS_FILE_NOT_FOUND', `${video}: the clip to take the frames from does not exist (give --video)`, { path: video });
  const tmp = join(dir, 'frames', '.extract');
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const select = anyOf(missing.map((f) => f - 1));
  const r = spawnSync(
    ffmpeg,
    ['-hide_banner', '-loglevel', 'error', '-i', video, '-vf', `select='${select}'`, '-fps_mode', 'passthrough', '-q:v', '3', join(tmp, '%06d.jpg')],
    { encoding: 'utf8' },
  );
  if (r.status !== 0)
    throw new FailureError(
      'FS_VIDEO_UNSUPPORTED',
      `ffmpeg could not extract frames from ${video}: ${(r.stderr || r.error?.message || '').trim().slice(0, 400)}`,
      { path: video },
    );
  const got = readdirSync(tmp)
    .filter((f) => f.endsWith('.jpg'))
    .sort();
  if (got.length !== missing.length)
    throw new FailureError(
      'FS_VIDEO_UNSUPPORTED',
      `ffmpeg gave ${got.length} of the ${missing.length} frames asked of ${video} (is it the clip analyze read?)`,
      { path: video },
    );
  // Output is in frame order, so the k-th picture is the k-th frame asked for.
  for (const [k, name] of got.entries()) renameSync(join(tmp, name), framePath(dir, missing[k]!));
  rmSync(tmp, { recursive: true, force: true });
}
