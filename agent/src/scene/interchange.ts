/**
 * The interchange layout for saved tracks, shared by `analyze`, the simulator and third-party data:
 * per camera `<camera-id>.txt` (MOTChallenge CSV, frames from 1) and `<camera-id>.json`
 * (`{"start": ISO-8601 time of frame 1, "fps": frames per second of the numbering, "width", "height"}`).
 * Frame F was seen at start + (F - 1) / fps. The simulator numbers sampled frames 1, 2, 3... with
 * fps = the sampled rate; `analyze` keeps source frame numbers (1, 26, 51... at stride 25) with fps =
 * the source rate, so its rows line up with ground truth made on the source video.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { FailureError } from '../core/errors.js';
import { formatMot, parseMot, type MotRow } from '../io/mot.js';
import type { CameraTimebase } from './observations.js';

const metaSchema = z.strictObject({
  start: z.string().refine((s) => /T/.test(s) && Number.isFinite(Date.parse(s)), { message: 'expected an ISO-8601 time with offset' }),
  fps: z.number().positive().max(1000),
  width: z.int().positive().max(100_000),
  height: z.int().positive().max(100_000),
});

export function parseTimebase(text: string, origin: string): CameraTimebase {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new FailureError('FS_PARSE', `${origin}: not JSON: ${(e as Error).message}`, { origin }, { cause: e });
  }
  const r = metaSchema.safeParse(raw);
  if (!r.success) {
    const why = r.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`).join('; ');
    throw new FailureError('FS_PARSE', `${origin}: ${why}`, { origin });
  }
  return { startMs: Date.parse(r.data.start), fps: r.data.fps, width: r.data.width, height: r.data.height };
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new FailureError('FS_FILE_NOT_FOUND', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { path }, { cause: e });
  }
}

export interface CameraTrackFile {
  readonly camera: string;
  readonly timebase: CameraTimebase;
  readonly rows: MotRow[];
}

export function readCameraTracks(dir: string, camera: string): CameraTrackFile {
  const meta = join(dir, `${camera}.json`);
  const txt = join(dir, `${camera}.txt`);
  return { camera, timebase: parseTimebase(readText(meta), meta), rows: parseMot(readText(txt), txt) };
}

export function writeCameraTracks(dir: string, camera: string, timebase: CameraTimebase, rows: readonly MotRow[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${camera}.txt`), formatMot(rows));
  const meta = { start: new Date(timebase.startMs).toISOString(), fps: timebase.fps, width: timebase.width, height: timebase.height };
  writeFileSync(join(dir, `${camera}.json`), JSON.stringify(meta, null, 2) + '\n');
}
