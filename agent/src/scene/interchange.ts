/**
 * The interchange layout for saved tracks, shared by `analyze`, the simulator and third-party data:
 * per camera `<camera-id>.txt` (MOTChallenge CSV, frames from 1) and `<camera-id>.json`
 * (`{"start": ISO-8601 time of frame 1, "fps": frames per second of the numbering, "width", "height"}`).
 * Frame F was seen at start + (F - 1) / fps. The simulator numbers sampled frames 1, 2, 3... with
 * fps = the sampled rate; `analyze` keeps source frame numbers (1, 26, 51... at stride 25) with fps =
 * the source rate, so its rows line up with ground truth made on the source video.
 *
 * Optional sidecar `<camera-id>.emb.json`: `{"dim": D, "tracks": {"<track id>": [D floats]}}`, one
 * appearance embedding per track id of the .txt (L2-normalised; `analyze` writes the tracker's last
 * EMA embedding of each track, rounded to 4 decimals). Absent = no appearance; tracks missing from it
 * simply have none. Stitching fuses it with time/space gating when both fragments carry one.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { FailureError, MisuseError } from '../core/errors.js';
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
  /** Track id -> appearance embedding, from `<camera>.emb.json`; absent when that file is. */
  readonly embeddings?: ReadonlyMap<number, Float32Array>;
}

export function readCameraTracks(dir: string, camera: string): CameraTrackFile {
  const meta = join(dir, `${camera}.json`);
  const txt = join(dir, `${camera}.txt`);
  const emb = embeddingsPath(dir, camera);
  const embeddings = existsSync(emb) ? parseEmbeddings(readText(emb), emb) : null;
  return { camera, timebase: parseTimebase(readText(meta), meta), rows: parseMot(readText(txt), txt), ...(embeddings ? { embeddings } : {}) };
}

export function writeCameraTracks(dir: string, camera: string, timebase: CameraTimebase, rows: readonly MotRow[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${camera}.txt`), formatMot(rows));
  // A sidecar left from an earlier run would pin old appearances on these track ids.
  rmSync(embeddingsPath(dir, camera), { force: true });
  const meta = { start: new Date(timebase.startMs).toISOString(), fps: timebase.fps, width: timebase.width, height: timebase.height };
  writeFileSync(join(dir, `${camera}.json`), JSON.stringify(meta, null, 2) + '\n');
}

export function embeddingsPath(dir: string, camera: string): string {
  return join(dir, `${camera}.emb.json`);
}

const embSchema = z.strictObject({
  dim: z.int().positive().max(65_536),
  tracks: z.record(z.string().regex(/^-?\d+$/, { message: 'track ids are integers' }), z.array(z.number().finite())),
});

/** Parses an `.emb.json` sidecar; every vector must have `dim` entries. */
export function parseEmbeddings(text: string, origin: string): Map<number, Float32Array> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new FailureError('FS_PARSE', `${origin}: not JSON: ${(e as Error).message}`, { origin }, { cause: e });
  }
  const r = embSchema.safeParse(raw);
  if (!r.success) {
    const why = r.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`).join('; ');
    throw new FailureError('FS_PARSE', `${origin}: ${why}`, { origin });
  }
  const out = new Map<number, Float32Array>();
  for (const [id, v] of Object.entries(r.data.tracks)) {
    if (v.length !== r.data.dim) throw new FailureError('FS_PARSE', `${origin}: tracks.${id}: expected ${r.data.dim} numbers, got ${v.length}`, { origin });
    out.set(Number(id), Float32Array.from(v));
  }
  return out;
}

/** Writes the `.emb.json` sidecar (values rounded to 4 decimals); nothing when there are no embeddings. */
export function writeCameraEmbeddings(dir: string, camera: string, embeddings: ReadonlyMap<number, Float32Array>): string | null {
  if (embeddings.size === 0) return null;
  const dims = new Set([...embeddings.values()].map((v) => v.length));
  if (dims.size !== 1) throw new MisuseError('FS_BAD_ARGUMENT', `embeddings for camera ${camera} have mixed lengths ${[...dims].join(', ')}`, { camera });
  const tracks: Record<string, number[]> = {};
  for (const id of [...embeddings.keys()].sort((a, b) => a - b)) tracks[String(id)] = Array.from(embeddings.get(id)!, (x) => Math.round(x * 1e4) / 1e4);
  mkdirSync(dir, { recursive: true });
  const path = embeddingsPath(dir, camera);
  writeFileSync(path, JSON.stringify({ dim: [...dims][0]!, tracks }) + '\n');
  return path;
}
