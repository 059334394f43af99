/**
 * Detail that stays on the box (retention_days): tracks with per-frame positions, receipts and
 * camera health samples. Plain data in, plain data out; every writer is one
 * synchronous transaction. Times are UTC ms from the video.
 */
import type Database from 'better-sqlite3';

export interface TrackInput {
  readonly cameraId: string;
  /** The tracker's id, unique per camera (prefix it with the job id when replaying archives). */
  readonly trackKey: string;
  readonly firstMs: number;
  readonly lastMs: number;
  readonly role?: 'staff' | 'customer' | null;
  readonly sellerId?: string | null;
  /** Size (pixels) of the picture the track's boxes are in; absent or null when unknown. */
  readonly frameWidth?: number | null;
  readonly frameHeight?: number | null;
}

/** Insert or extend a track; returns its local row id (what positions refer to). */
export function upsertTrack(db: Database.Database, t: TrackInput): number {
  const row = db
    .prepare<[string, string, string | null, string | null, number, number, number | null, number | null], { id: number }>(
      `INSERT INTO tracks (camera_id, track_key, role, seller_id, first_ms, last_ms, frame_width, frame_height) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (camera_id, track_key) DO UPDATE SET
         role = COALESCE(excluded.role, role), seller_id = COALESCE(excluded.seller_id, seller_id),
         first_ms = MIN(first_ms, excluded.first_ms), last_ms = MAX(last_ms, excluded.last_ms),
         frame_width = COALESCE(frame_width, excluded.frame_width), frame_height = COALESCE(frame_height, excluded.frame_height)
       RETURNING id`,
    )
    .get(t.cameraId, t.trackKey, t.role ?? null, t.sellerId ?? null, t.firstMs, t.lastMs, frameSide(t.frameWidth), frameSide(t.frameHeight));
  if (!row) throw new Error('upsertTrack: RETURNING gave no row'); // cannot happen: SQLite always returns it
  return row.id;
}

/** A frame side worth storing: a positive whole number of pixels, else unknown (null). */
function frameSide(v: number | null | undefined): number | null {
  return v !== undefined && v !== null && Number.isInteger(v) && v > 0 ? v : null;
}

export interface PositionInput {
  readonly trackId: number;
  readonly tMs: number;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly floorX?: number | null;
  readonly floorY?: number | null;
  readonly score?: number | null;
}

/** A reusable writer for the hot path: one prepared statement, one transaction per call. */
export function positionWriter(db: Database.Database): (rows: readonly PositionInput[]) => number {
  const stmt = db.prepare('INSERT INTO positions (track_id, t_ms, x, y, w, h, floor_x, floor_y, score) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const write = db.transaction((rows: readonly PositionInput[]): number => {
    for (const p of rows) stmt.run(p.trackId, p.tMs, p.x, p.y, p.w, p.h, p.floorX ?? null, p.floorY ?? null, p.score ?? null);
    return rows.length;
  });
  return (rows) => write(rows);
}

export function insertPositions(db: Database.Database, rows: readonly PositionInput[]): number {
  return positionWriter(db)(rows);
}

export interface PositionRow {
  readonly tMs: number;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly floorX: number | null;
  readonly floorY: number | null;
}

/** A track's trajectory for review, in time order (read through the time index, see migrations). */
export function trackPositions(db: Database.Database, trackId: number): PositionRow[] {
  return db
    .prepare<[number, number], PositionRow>(
      `SELECT p.t_ms AS tMs, p.x, p.y, p.w, p.h, p.floor_x AS floorX, p.floor_y AS floorY
       FROM tracks t JOIN positions p ON p.t_ms BETWEEN t.first_ms AND t.last_ms AND p.track_id = ?
       WHERE t.id = ? ORDER BY p.t_ms`,
    )
    .all(trackId, trackId);
}

/** One stored position with its camera and track, as the day's analytics read them. */
export interface StoredPosition {
  readonly cameraId: string;
  readonly trackId: number;
  readonly tMs: number;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly score: number | null;
  /** Size of the picture the box is in (its track's); null when unknown (stored before schema version 8). */
  readonly frameWidth: number | null;
  readonly frameHeight: number | null;
}

/** Every position seen in [fromMs, toMs), ordered by camera then time (read through the time index). */
export function positionsBetween(db: Database.Database, fromMs: number, toMs: number): StoredPosition[] {
  return db
    .prepare<[number, number], StoredPosition>(
      `SELECT t.camera_id AS cameraId, t.id AS trackId, p.t_ms AS tMs, p.x, p.y, p.w, p.h, p.score,
              t.frame_width AS frameWidth, t.frame_height AS frameHeight
       FROM positions p JOIN tracks t ON t.id = p.track_id
       WHERE p.t_ms >= ? AND p.t_ms < ? ORDER BY t.camera_id, p.t_ms`,
    )
    .all(fromMs, toMs);
}

/** Rows a scope has stored (tracks and positions), e.g. to check a re-run left no duplicates. */
export function scopeRowCounts(db: Database.Database, cameraId: string, scope: string): { tracks: number; positions: number } {
  const prefix = `${scope}#`;
  const row = db
    .prepare<[string, string, string], { tracks: number; positions: number }>(
      `SELECT COUNT(DISTINCT t.id) AS tracks, COUNT(p.rowid) AS positions
       FROM tracks t LEFT JOIN positions p ON p.track_id = t.id
       WHERE t.camera_id = ? AND substr(t.track_key, 1, length(?)) = ?`,
    )
    .get(cameraId, prefix, prefix);
  return row ?? { tracks: 0, positions: 0 };
}

/** Delete a scope's positions and tracks; returns the positions deleted. */
export function purgeScope(db: Database.Database, cameraId: string, scope: string): number {
  const prefix = `${scope}#`;
  const ids = `SELECT id FROM tracks WHERE camera_id = ? AND substr(track_key, 1, length(?)) = ?`;
  const positions = db.prepare(`DELETE FROM positions WHERE track_id IN (${ids})`).run(cameraId, prefix, prefix).changes;
  db.prepare(`DELETE FROM tracks WHERE id IN (${ids})`).run(cameraId, prefix, prefix);
  return positions;
}

export interface ReceiptInput {
  readonly id: string;
  readonly tMs: number;
  readonly day: string;
  readonly amountMinor: number;
  readonly registerId?: string | null;
  readonly sellerId?: string | null;
  readonly currency?: string | null;
}

export function receiptsBetween(db: Database.Database, fromMs: number, toMs: number): ReceiptInput[] {
  return db
    .prepare<[number, number], ReceiptInput>(
      'SELECT id, t_ms AS tMs, day, amount_minor AS amountMinor, register_id AS registerId, seller_id AS sellerId, currency FROM receipts WHERE t_ms >= ? AND t_ms < ? ORDER BY t_ms',
    )
    .all(fromMs, toMs);
}

export interface CameraHealthSample {
  readonly cameraId: string;
  readonly tMs: number;
  readonly state: 'up' | 'down' | 'degraded';
  readonly fps?: number | null;
  readonly detail?: string | null;
}

export function insertCameraHealth(db: Database.Database, samples: readonly CameraHealthSample[]): number {
  const stmt = db.prepare('INSERT INTO camera_health (camera_id, t_ms, state, fps, detail) VALUES (?, ?, ?, ?, ?)');
  return db.transaction((): number => {
    for (const s of samples) stmt.run(s.cameraId, s.tMs, s.state, s.fps ?? null, s.detail ?? null);
    return samples.length;
  })();
}

/** camera_health samples in [fromMs, toMs), oldest first (the uptime roll-up's input). */
export function healthSamplesBetween(
  db: Database.Database,
  fromMs: number,
  toMs: number,
): Array<{ cameraId: string; tMs: number; state: string; detail: string | null }> {
  return db
    .prepare<[number, number], { cameraId: string; tMs: number; state: string; detail: string | null }>(
      'SELECT camera_id AS cameraId, t_ms AS tMs, state, detail FROM camera_health WHERE t_ms >= ? AND t_ms < ? ORDER BY t_ms',
    )
    .all(fromMs, toMs);
}

/** Each camera's state at instant `tMs`: its last camera_health sample before it. */
export function healthStatesBefore(db: Database.Database, tMs: number): Map<string, string> {
  const rows = db
    .prepare<[number], { cameraId: string; state: string }>(
      `SELECT h.camera_id AS cameraId, h.state FROM camera_health h
       JOIN (SELECT camera_id, MAX(t_ms) AS t FROM camera_health WHERE t_ms < ? GROUP BY camera_id) m ON m.camera_id = h.camera_id AND m.t = h.t_ms`,
    )
    .all(tMs);
  return new Map(rows.map((r) => [r.cameraId, r.state]));
}

/** A camera's latest camera_health sample, if any. */
export function lastHealthSample(db: Database.Database, cameraId: string): { tMs: number; state: string } | undefined {
  return db
    .prepare<[string], { tMs: number; state: string }>(
      'SELECT t_ms AS tMs, state FROM camera_health WHERE camera_id = ? ORDER BY t_ms DESC, rowid DESC LIMIT 1',
    )
    .get(cameraId);
}

/** The last moment any track of the camera was seen (null: none stored). */
export function lastTrackSeenMs(db: Database.Database, cameraId: string): number | null {
  return db.prepare<[string], { t: number | null }>('SELECT MAX(last_ms) AS t FROM tracks WHERE camera_id = ?').get(cameraId)?.t ?? null;
}

/** First and last moment of any stored track (nulls on an empty store). */
export function trackSpan(db: Database.Database): { firstMs: number | null; lastMs: number | null } {
  const r = db.prepare<[], { a: number | null; b: number | null }>('SELECT MIN(first_ms) AS a, MAX(last_ms) AS b FROM tracks').get();
  return { firstMs: r?.a ?? null, lastMs: r?.b ?? null };
}

/** Whether some track overlaps [fromMs, toMs). */
export function anyTrackBetween(db: Database.Database, fromMs: number, toMs: number): boolean {
  return (
    db
      .prepare<[number, number], { n: number }>('SELECT COUNT(*) AS n FROM (SELECT 1 FROM tracks WHERE last_ms >= ? AND first_ms < ? LIMIT 1)')
      .get(fromMs, toMs)!.n > 0
  );
}

/** Tracks of a camera that started in [fromMs, toMs) and lasted at least `minMs` (people seen, for drift). */
export function tracksStartedBetween(db: Database.Database, cameraId: string, fromMs: number, toMs: number, minMs: number): number {
  return (
    db
      .prepare<[string, number, number, number], { n: number }>(
        'SELECT COUNT(*) AS n FROM tracks WHERE camera_id = ? AND first_ms >= ? AND first_ms < ? AND last_ms - first_ms >= ?',
      )
      .get(cameraId, fromMs, toMs, minMs)?.n ?? 0
  );
}
