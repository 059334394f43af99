/**
 * A track's appearance (table track_appearance, migration 9): one L2-normalised embedding per
 * track, written with the track by the results writer (agent/results-store.ts) and read by the
 * day's analytics (agent/store-day.ts), which hand it to the stitcher exactly as `report` hands
 * the `<camera>.emb.json` sidecar. Detail: deleted with its track (a trigger), never synced.
 *
 * Each row names the ReID model that made it: embeddings of two models live in two unrelated
 * spaces, so a day is read in ONE space (see appearanceOfDay).
 */
import type Database from 'better-sqlite3';

export interface AppearanceInput {
  /** tracks.id */
  readonly trackId: number;
  /** The ReID model, `<name>@<sha256 prefix>` (agent/results-store.ts appearanceModelId). */
  readonly model: string;
  readonly embedding: Float32Array;
}

/**
 * The model name of embeddings imported from `<camera>.emb.json` sidecars (`floorsense import`):
 * the sidecar names no model, so imported ones are one space of their own, as `report` takes a
 * folder's sidecars; never mixed with the agent's own (whose names carry the model's hash).
 */
export const SIDECAR_MODEL = 'sidecar';

/** Float32 little-endian bytes: the stored form is the same on every box whatever its CPU. */
export function encodeEmbedding(v: Float32Array): Buffer {
  const b = Buffer.allocUnsafe(v.length * 4);
  for (let i = 0; i < v.length; i++) b.writeFloatLE(v[i]!, i * 4);
  return b;
}

export function decodeEmbedding(b: Uint8Array): Float32Array {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const v = new Float32Array(b.byteLength >> 2);
  for (let i = 0; i < v.length; i++) v[i] = view.getFloat32(i * 4, true);
  return v;
}

/** A reusable writer (one prepared statement); call it inside the caller's transaction. Replaces a track's earlier row. */
export function appearanceWriter(db: Database.Database): (rows: readonly AppearanceInput[]) => number {
  const stmt = db.prepare(
    `INSERT INTO track_appearance (track_id, model, embedding) VALUES (?, ?, ?)
     ON CONFLICT (track_id) DO UPDATE SET model = excluded.model, embedding = excluded.embedding`,
  );
  return (rows) => {
    for (const r of rows) stmt.run(r.trackId, r.model, encodeEmbedding(r.embedding));
    return rows.length;
  };
}

export interface DayAppearance {
  /** The space the day is read in: the model (and length) most of the day's tracks were embedded with; null: none. */
  readonly model: string | null;
  readonly dim: number;
  /** tracks.id -> embedding, for the chosen space only. */
  readonly byTrack: ReadonlyMap<number, Float32Array>;
  /** Tracks of the day with an embedding in another space, left without appearance (a model change that day). */
  readonly otherSpace: number;
}

export interface AppearanceSpace {
  readonly model: string;
  /** Bytes of each embedding (4 x its dimension). */
  readonly bytes: number;
  readonly tracks: number;
}

/** The (model, length) spaces of the tracks overlapping [fromMs, toMs), most tracks first (ties: model name, then length). */
export function appearanceSpaces(db: Database.Database, fromMs: number, toMs: number): AppearanceSpace[] {
  return db
    .prepare<[number, number], AppearanceSpace>(
      `SELECT a.model, length(a.embedding) AS bytes, COUNT(*) AS tracks
       FROM tracks t JOIN track_appearance a ON a.track_id = t.id
       WHERE t.last_ms >= ? AND t.first_ms < ?
       GROUP BY a.model, length(a.embedding) ORDER BY tracks DESC, a.model, bytes`,
    )
    .all(fromMs, toMs);
}

/** The space a day is read in: the first of appearanceSpaces that holds whole float32 vectors; null when none. */
export function daySpace(spaces: readonly AppearanceSpace[]): AppearanceSpace | null {
  return spaces.find((s) => s.bytes > 0 && s.bytes % 4 === 0) ?? null;
}

/**
 * Embeddings of the tracks overlapping [fromMs, toMs), in one space: the (model, length) with the
 * most tracks that day (ties: the model name first in sort order, so a re-run reads the same).
 * The stitcher compares fragments across cameras, so one space serves the whole store day; the
 * tracks of another model read as having no appearance (motion-only links, like a MOT file).
 */
export function appearanceOfDay(db: Database.Database, fromMs: number, toMs: number): DayAppearance {
  const spaces = appearanceSpaces(db, fromMs, toMs);
  const all = spaces.reduce((m, s) => m + s.tracks, 0);
  const best = daySpace(spaces);
  if (!best) return { model: null, dim: 0, byTrack: new Map(), otherSpace: all };
  const rows = db
    .prepare<[number, number, string, number], { trackId: number; embedding: Buffer }>(
      `SELECT a.track_id AS trackId, a.embedding
       FROM tracks t JOIN track_appearance a ON a.track_id = t.id
       WHERE t.last_ms >= ? AND t.first_ms < ? AND a.model = ? AND length(a.embedding) = ?`,
    )
    .all(fromMs, toMs, best.model, best.bytes);
  return {
    model: best.model,
    dim: best.bytes / 4,
    byTrack: new Map(rows.map((r) => [r.trackId, decodeEmbedding(r.embedding)])),
    otherSpace: all - best.tracks,
  };
}
