/**
 * How the agent writes tracking results and archive-job bookkeeping into the store. Every writer
 * is one synchronous transaction (no await inside: better-sqlite3 refuses it, and a SIGKILL then
 * leaves either the whole batch or none of it).
 *
 * Keys: a track is stored under `<scope>#<tracker id>`; the scope is the archive job id for a file
 * (so a file's rows can be found and deleted as a whole) or `live:<session start ms>` for a camera
 * session (each reconnect starts a new tracker whose ids restart at 1).
 */
import type Database from 'better-sqlite3';
import { ensureJob, getJob, saveCheckpoint, setJobState, type Job } from '../store/jobs.js';
import { positionWriter, upsertTrack, type PositionInput } from '../store/detail.js';

export interface TrackSample {
  readonly trackerId: number;
  readonly tMs: number;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly score: number;
}

export interface ResultsBatch {
  readonly samples: readonly TrackSample[];
  /** Video time reached (inclusive), saved as the job's checkpoint with the rows. */
  readonly positionMs: number;
}

export interface ResultsWriter {
  /** Write a batch of samples and the checkpoint in one transaction; returns positions written. */
  write(batch: ResultsBatch): number;
}

/** A writer for one scope (archive job or live session) of one camera. */
export function resultsWriter(db: Database.Database, cameraId: string, scope: string, jobId: string, clock: () => number): ResultsWriter {
  const insert = positionWriter(db);
  const trackIds = new Map<number, number>();
  const tx = db.transaction((batch: ResultsBatch): number => {
    // A track's span in this batch, so each track is upserted once per batch, not once per sample.
    const spans = new Map<number, { first: number; last: number }>();
    for (const s of batch.samples) {
      const sp = spans.get(s.trackerId);
      if (sp) {
        sp.first = Math.min(sp.first, s.tMs);
        sp.last = Math.max(sp.last, s.tMs);
      } else spans.set(s.trackerId, { first: s.tMs, last: s.tMs });
    }
    for (const [id, sp] of spans) trackIds.set(id, upsertTrack(db, { cameraId, trackKey: `${scope}#${id}`, firstMs: sp.first, lastMs: sp.last }));
    const rows: PositionInput[] = batch.samples.map((s) => ({
      trackId: trackIds.get(s.trackerId) ?? -1,
      tMs: s.tMs,
      x: s.x,
      y: s.y,
      w: s.w,
      h: s.h,
      score: s.score,
    }));
    const n = insert(rows); // nested: better-sqlite3 turns the inner transaction into a savepoint
    saveCheckpoint(db, jobId, cameraId, batch.positionMs, clock());
    return n;
  });
  return { write: (batch) => tx.immediate(batch) };
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

/**
 * Claim an archive file: create its job if new and mark it running, deleting whatever a crashed
 * earlier run stored for it (tracks, positions, checkpoint) in the same transaction, so the file
 * is re-processed from scratch without duplicating rows. Returns null when the file is already
 * done (each file is processed exactly once).
 */
export function claimArchiveJob(
  db: Database.Database,
  job: { readonly id: string; readonly cameraId: string; readonly source: string },
  nowMs: number,
): { readonly job: Job; readonly purged: number } | null {
  return db
    .transaction(() => {
      const existing = ensureJob(db, { id: job.id, kind: 'archive', source: job.source }, nowMs);
      if (existing.state === 'done' || existing.state === 'failed') return null;
      const purged = purgeScope(db, job.cameraId, job.id);
      db.prepare('DELETE FROM checkpoints WHERE job_id = ?').run(job.id);
      setJobState(db, job.id, 'running', nowMs);
      const claimed = getJob(db, job.id);
      if (!claimed) throw new Error(`claimArchiveJob: job ${job.id} vanished`); // cannot happen inside one transaction
      return { job: claimed, purged };
    })
    .immediate();
}

/** Delete a scope's positions and tracks; returns the positions deleted. */
export function purgeScope(db: Database.Database, cameraId: string, scope: string): number {
  const prefix = `${scope}#`;
  const ids = `SELECT id FROM tracks WHERE camera_id = ? AND substr(track_key, 1, length(?)) = ?`;
  const positions = db.prepare(`DELETE FROM positions WHERE track_id IN (${ids})`).run(cameraId, prefix, prefix).changes;
  db.prepare(`DELETE FROM tracks WHERE id IN (${ids})`).run(cameraId, prefix, prefix);
  return positions;
}

export function finishArchiveJob(db: Database.Database, jobId: string, nowMs: number, error: string | null): void {
  setJobState(db, jobId, error === null ? 'done' : 'failed', nowMs, error);
}

/** Archive jobs of a camera by state, for status and tests. */
export function archiveJobs(db: Database.Database, cameraPrefix: string): Job[] {
  return db
    .prepare<[string, string], Job>(
      `SELECT id, kind, source, state, created_ms AS createdMs, updated_ms AS updatedMs, error FROM jobs
       WHERE kind = 'archive' AND substr(id, 1, length(?)) = ? ORDER BY id`,
    )
    .all(cameraPrefix, cameraPrefix);
}

/**
 * Mark finished archive jobs whose files are still in their folder as seen now. Retention forgets
 * done jobs after retention_days (store/retention.ts); without this a file left in the folder would
 * be processed again every few days. Returns the jobs touched.
 */
export function touchFinishedJobs(db: Database.Database, jobIds: readonly string[], nowMs: number): number {
  const stmt = db.prepare("UPDATE jobs SET updated_ms = ? WHERE id = ? AND state IN ('done', 'failed')");
  return db.transaction((): number => jobIds.reduce((n, id) => n + stmt.run(nowMs, id).changes, 0))();
}
