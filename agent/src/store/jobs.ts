/**
 * Processing jobs (an archive file, a live session) and per-camera checkpoints, so a restarted
 * agent resumes from the last video time it finished instead of counting a stretch twice.
 */
import type Database from 'better-sqlite3';

export type JobState = 'pending' | 'running' | 'done' | 'failed';

export interface Job {
  readonly id: string;
  readonly kind: 'archive' | 'live';
  readonly source: string;
  readonly state: JobState;
  readonly createdMs: number;
  readonly updatedMs: number;
  readonly error: string | null;
}

/** Create the job if new; an existing job is returned as it is (idempotent on restart). */
export function ensureJob(db: Database.Database, job: Pick<Job, 'id' | 'kind' | 'source'>, nowMs: number): Job {
  db.prepare("INSERT INTO jobs (id, kind, source, state, created_ms, updated_ms) VALUES (?, ?, ?, 'pending', ?, ?) ON CONFLICT (id) DO NOTHING").run(
    job.id,
    job.kind,
    job.source,
    nowMs,
    nowMs,
  );
  const j = getJob(db, job.id);
  if (!j) throw new Error(`ensureJob: job ${job.id} vanished`); // cannot happen inside one connection
  return j;
}

export function getJob(db: Database.Database, id: string): Job | undefined {
  return db.prepare<[string], Job>('SELECT id, kind, source, state, created_ms AS createdMs, updated_ms AS updatedMs, error FROM jobs WHERE id = ?').get(id);
}

export function setJobState(db: Database.Database, id: string, state: JobState, nowMs: number, error: string | null = null): boolean {
  return db.prepare('UPDATE jobs SET state = ?, updated_ms = ?, error = ? WHERE id = ?').run(state, nowMs, error, id).changes === 1;
}

/** Record progress; never moves a checkpoint backwards. */
export function saveCheckpoint(db: Database.Database, jobId: string, cameraId: string, positionMs: number, nowMs: number): void {
  db.prepare(
    `INSERT INTO checkpoints (job_id, camera_id, position_ms, updated_ms) VALUES (?, ?, ?, ?)
     ON CONFLICT (job_id, camera_id) DO UPDATE SET position_ms = MAX(position_ms, excluded.position_ms), updated_ms = excluded.updated_ms`,
  ).run(jobId, cameraId, positionMs, nowMs);
}

export function getCheckpoint(db: Database.Database, jobId: string, cameraId: string): number | undefined {
  return db.prepare<[string, string], { p: number }>('SELECT position_ms AS p FROM checkpoints WHERE job_id = ? AND camera_id = ?').get(jobId, cameraId)?.p;
}

/** Forget a job's checkpoints (an archive file claimed again starts from its beginning). */
export function deleteCheckpoints(db: Database.Database, jobId: string): void {
  db.prepare('DELETE FROM checkpoints WHERE job_id = ?').run(jobId);
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
