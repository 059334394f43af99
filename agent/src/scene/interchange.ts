/**
 * The interchange layout for saved tracks, shared by `analyze`, the simulator and third-party data:
 * per camera `<camera-id>.txt` (MOTChallenge CSV, frames from 1) and `<camera-id>.json`
 * (`{"start": ISO-8601 time of frame 1, "fps": frames per second of the numbering, "width", "height"}`,
 * optionally `"downtime": [[from, to], ...]`, ISO-8601 times when the camera was down: the simulator's
 * outages; the stitcher does not count that time as a person's absence).
 * Frame F was seen at start + (F - 1) / fps. The simulator numbers sampled frames 1, 2, 3... with
 * fps = the sampled rate; `analyze` keeps source frame numbers (1, 26, 51... at stride 25) with fps =
 * the source rate, so its rows line up with ground truth made on the source video.
 *
 * Optional sidecar `<camera-id>.emb.json`: `{"dim": D, "tracks": {"<track id>": [D floats]}}`, one
 * appearance embedding per track id of the .txt (L2-normalised; `analyze` writes the tracker's last
 * EMA embedding of each track, rounded to 4 decimals). Absent = no appearance; tracks missing from it
 * simply have none. Stitching fuses it with time/space gating when both fragments carry one.
 * It may also hold `"colors": {"<track id>": [r, g, b]}`, each track's mean torso colour (0..255, from
 * `analyze`), the uniform hint for who is staff; then `dim`/`tracks` may be absent (colours only).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { FailureError, MisuseError } from '../core/errors.js';
import { formatMot, parseMot, type MotRow } from '../io/mot.js';
import type { CameraTimebase } from './observations.js';

const isoTime = z.string().refine((s) => /T/.test(s) && Number.isFinite(Date.parse(s)), { message: 'expected an ISO-8601 time with offset' });
const metaSchema = z.strictObject({
  start: isoTime,
  fps: z.number().positive().max(1000),
  width: z.int().positive().max(100_000),
  height: z.int().positive().max(100_000),
  /** When the camera was down: [from, to] pairs (optional; the stitcher does not count that time as absence). */
  downtime: z
    .array(z.tuple([isoTime, isoTime]).refine(([a, b]) => Date.parse(b) > Date.parse(a), { message: 'a downtime must end after it starts' }))
    .optional(),
});

/** `<camera>.json`'s optional `downtime` as [start, end) epoch milliseconds (empty when absent). */
export function parseDowntime(text: string, origin: string): Array<[number, number]> {
  return (parseMeta(text, origin).downtime ?? []).map(([a, b]) => [Date.parse(a), Date.parse(b)]);
}

export function parseTimebase(text: string, origin: string): CameraTimebase {
  const m = parseMeta(text, origin);
  return { startMs: Date.parse(m.start), fps: m.fps, width: m.width, height: m.height };
}

function parseMeta(text: string, origin: string): z.infer<typeof metaSchema> {
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
  return r.data;
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
  /** Track id -> mean torso colour (RGB 0..255), from the sidecar's optional `colors`; absent when it has none. */
  readonly colors?: ReadonlyMap<number, TrackColor>;
  /** When the camera was down ([start, end) epoch ms), from `<camera>.json`'s optional `downtime`; absent when none. */
  readonly downtime?: ReadonlyArray<readonly [number, number]>;
}

export type TrackColor = readonly [number, number, number];

export function readCameraTracks(dir: string, camera: string): CameraTrackFile {
  const meta = join(dir, `${camera}.json`);
  const txt = join(dir, `${camera}.txt`);
  const emb = embeddingsPath(dir, camera);
  const side = existsSync(emb) ? parseSidecar(readText(emb), emb) : null;
  const metaText = readText(meta);
  const downtime = parseDowntime(metaText, meta);
  return {
    camera,
    timebase: parseTimebase(metaText, meta),
    ...(downtime.length > 0 ? { downtime } : {}),
    rows: parseMot(readText(txt), txt),
    ...(side?.embeddings ? { embeddings: side.embeddings } : {}),
    ...(side?.colors ? { colors: side.colors } : {}),
  };
}

export function writeCameraTracks(
  dir: string,
  camera: string,
  timebase: CameraTimebase,
  rows: readonly MotRow[],
  downtime: ReadonlyArray<readonly [number, number]> = [],
): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${camera}.txt`), formatMot(rows));
  // A sidecar left from an earlier run would pin old appearances on these track ids.
  rmSync(embeddingsPath(dir, camera), { force: true });
  const iso = (ms: number): string => new Date(ms).toISOString();
  const meta = {
    start: iso(timebase.startMs),
    fps: timebase.fps,
    width: timebase.width,
    height: timebase.height,
    ...(downtime.length > 0 ? { downtime: downtime.map(([a, b]) => [iso(a), iso(b)]) } : {}),
  };
  writeFileSync(join(dir, `${camera}.json`), `${JSON.stringify(meta, null, 2)}\n`);
}

export function embeddingsPath(dir: string, camera: string): string {
  return join(dir, `${camera}.emb.json`);
}

const trackId = z.string().regex(/^-?\d+$/, { message: 'track ids are integers' });

const embSchema = z
  .strictObject({
    dim: z.int().positive().max(65_536).optional(),
    tracks: z.record(trackId, z.array(z.number().finite())).optional(),
    colors: z.record(trackId, z.tuple([z.number().min(0).max(255), z.number().min(0).max(255), z.number().min(0).max(255)])).optional(),
  })
  .superRefine((v, ctx) => {
    // Colours alone need no dim; embeddings always do.
    if (v.colors === undefined || v.tracks !== undefined || v.dim !== undefined) {
      if (v.dim === undefined) ctx.addIssue({ code: 'custom', path: ['dim'], message: 'required' });
      if (v.tracks === undefined) ctx.addIssue({ code: 'custom', path: ['tracks'], message: 'required' });
    }
  });

export interface Sidecar {
  /** Null when the sidecar holds colours only. */
  readonly embeddings: Map<number, Float32Array> | null;
  readonly colors: Map<number, TrackColor> | null;
}

/** Parses an `.emb.json` sidecar; every vector must have `dim` entries. */
export function parseSidecar(text: string, origin: string): Sidecar {
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
  let embeddings: Map<number, Float32Array> | null = null;
  const { dim, tracks } = r.data;
  if (dim !== undefined && tracks !== undefined) {
    embeddings = new Map();
    for (const [id, v] of Object.entries(tracks)) {
      if (v.length !== dim) throw new FailureError('FS_PARSE', `${origin}: tracks.${id}: expected ${dim} numbers, got ${v.length}`, { origin });
      embeddings.set(Number(id), Float32Array.from(v));
    }
  }
  const colors = r.data.colors ? new Map(Object.entries(r.data.colors).map(([id, c]): [number, TrackColor] => [Number(id), c])) : null;
  return { embeddings, colors };
}

/** The embeddings of an `.emb.json` sidecar (empty when it holds colours only). */
export function parseEmbeddings(text: string, origin: string): Map<number, Float32Array> {
  return parseSidecar(text, origin).embeddings ?? new Map();
}

/**
 * Writes the `.emb.json` sidecar (values rounded to 4 decimals) with the optional torso `colors`;
 * nothing when there are neither embeddings nor colours.
 */
export function writeCameraEmbeddings(
  dir: string,
  camera: string,
  embeddings: ReadonlyMap<number, Float32Array>,
  colors?: ReadonlyMap<number, TrackColor>,
): string | null {
  const haveColors = colors !== undefined && colors.size > 0;
  if (embeddings.size === 0 && !haveColors) return null;
  const out: { dim?: number; tracks?: Record<string, number[]>; colors?: Record<string, number[]> } = {};
  if (embeddings.size > 0) {
    const dims = new Set([...embeddings.values()].map((v) => v.length));
    if (dims.size !== 1) throw new MisuseError('FS_BAD_ARGUMENT', `embeddings for camera ${camera} have mixed lengths ${[...dims].join(', ')}`, { camera });
    const tracks: Record<string, number[]> = {};
    for (const id of [...embeddings.keys()].sort((a, b) => a - b)) tracks[String(id)] = Array.from(embeddings.get(id)!, (x) => Math.round(x * 1e4) / 1e4);
    out.dim = [...dims][0]!;
    out.tracks = tracks;
  }
  if (colors && haveColors) {
    const cs: Record<string, number[]> = {};
    for (const id of [...colors.keys()].sort((a, b) => a - b)) cs[String(id)] = colors.get(id)!.map((x) => Math.round(Math.min(255, Math.max(0, x))));
    out.colors = cs;
  }
  mkdirSync(dir, { recursive: true });
  const path = embeddingsPath(dir, camera);
  writeFileSync(path, `${JSON.stringify(out)}\n`);
  return path;
}
