/**
 * A track's torso colour (table track_color, migration 10): the running sums of the torso pixels
 * of its matched boxes (pipeline/torso-color.ts), added by the results writer batch by batch and
 * read by the day's analytics (agent/store-day.ts) as the mean colour `report` reads from the
 * `colors` of `<camera>.emb.json`. Used only with a uniform hint (analytics.roles.uniform).
 * Detail: deleted with its track (a trigger), never synced.
 */
import type Database from 'better-sqlite3';

/** Running sums of a track's torso pixels (the shape of pipeline/torso-color.ts ColorSum). */
export interface StoredColorSum {
  readonly n: number;
  readonly r: number;
  readonly g: number;
  readonly b: number;
}

export interface ColorInput {
  /** tracks.id */
  readonly trackId: number;
  readonly sum: StoredColorSum;
}

/**
 * A reusable writer that ADDS each sum to the track's row (one prepared statement, made at the
 * first call so a writer over a store without the table, which never gets a colour, still works);
 * call it inside the caller's transaction.
 */
export function colorWriter(db: Database.Database): (rows: readonly ColorInput[]) => number {
  let stmt: Database.Statement | null = null;
  return (rows) => {
    const live = rows.filter((r) => r.sum.n > 0);
    if (live.length === 0) return 0;
    stmt ??= db.prepare(
      `INSERT INTO track_color (track_id, n, r, g, b) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (track_id) DO UPDATE SET n = n + excluded.n, r = r + excluded.r, g = g + excluded.g, b = b + excluded.b`,
    );
    for (const { trackId, sum } of live) stmt.run(trackId, sum.n, sum.r, sum.g, sum.b);
    return live.length;
  };
}

/** tracks.id -> the torso sums of the tracks overlapping [fromMs, toMs) (the caller takes the mean, pipeline/torso-color.ts meanColor). */
export function colorSumsOfDay(db: Database.Database, fromMs: number, toMs: number): Map<number, StoredColorSum> {
  const rows = db
    .prepare<[number, number], { trackId: number; n: number; r: number; g: number; b: number }>(
      `SELECT c.track_id AS trackId, c.n, c.r, c.g, c.b
       FROM tracks t JOIN track_color c ON c.track_id = t.id
       WHERE t.last_ms >= ? AND t.first_ms < ?`,
    )
    .all(fromMs, toMs);
  return new Map(rows.map(({ trackId, ...sum }) => [trackId, sum]));
}
