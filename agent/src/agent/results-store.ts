/**
 * How the agent writes tracking results and archive-job bookkeeping into the store, through the
 * store modules that own those tables (store/detail.ts, store/jobs.ts). Every writer is one
 * synchronous transaction (no await inside: better-sqlite3 refuses it, and a SIGKILL then
 * leaves either the whole batch or none of it).
 *
 * Keys: a track is stored under `<scope>#<tracker id>`; the scope is the archive job id for a file
 * (so a file's rows can be found and deleted as a whole) or `live:<session start ms>` for a camera
 * session (each reconnect starts a new tracker whose ids restart at 1).
 */
import type Database from 'better-sqlite3';
import { deleteCheckpoints, ensureJob, getJob, saveCheckpoint, setJobState, type Job } from '../store/jobs.js';
import { positionWriter, purgeScope, upsertTrack, type PositionInput } from '../store/detail.js';

export interface TrackSample {
  readonly trackerId: number;
  readonly tMs: number;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly score: number;
  /** Size (pixels) of the picture the box is in: the pixel fallback's depth scale in the roll-up (store-day.ts). */
  readonly frameWidth?: number;
  readonly frameHeight?: number;
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
    // One tracker (one decode) sees one picture size, so a track's first sample gives it.
    const spans = new Map<number, { first: number; last: number; width: number | null; height: number | null }>();
    for (const s of batch.samples) {
      const sp = spans.get(s.trackerId);
      if (sp) {
        sp.first = Math.min(sp.first, s.tMs);
        sp.last = Math.max(sp.last, s.tMs);
      } else spans.set(s.trackerId, { first: s.tMs, last: s.tMs, width: s.frameWidth ?? null, height: s.frameHeight ?? null });
    }
    for (const [id, sp] of spans)
      trackIds.set(
        id,
        upsertTrack(db, { cameraId, trackKey: `${scope}#${id}`, firstMs: sp.first, lastMs: sp.last, frameWidth: sp.width, frameHeight: sp.height }),
      );
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
      deleteCheckpoints(db, job.id);
      setJobState(db, job.id, 'running', nowMs);
      const claimed = getJob(db, job.id);
      if (!claimed) throw new Error(`claimArchiveJob: job ${job.id} vanished`); // cannot happen inside one transaction
      return { job: claimed, purged };
    })
    .immediate();
}

export function finishArchiveJob(db: Database.Database, jobId: string, nowMs: number, error: string | null): void {
  setJobState(db, jobId, error === null ? 'done' : 'failed', nowMs, error);
}
