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
import { appearanceWriter, type AppearanceInput } from '../store/appearance.js';
import { colorWriter, type ColorInput, type StoredColorSum } from '../store/torso.js';
import { resolveModel } from '../models/resolve.js';
import { sha256File } from '../models/sha256.js';
import { defaultModelsDir } from '../models/paths.js';
import type { Precision } from '../models/precision.js';
import { calibrationPath, loadCalibration } from '../models/quantize.js';

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
  /**
   * The track's appearance at this sample (TrackOutput.embedding: the tracker's L2-normalised EMA),
   * absent when appearance is off or none was computed yet. The one a track's row keeps is that of
   * its latest sample, which is what `analyze` writes to `<camera>.emb.json` for it.
   */
  readonly embedding?: Float32Array;
  /**
   * The torso pixels of this sample's box (pipeline/torso-color.ts addTorso), added to the track's
   * stored sums; the roll-up's mean of them is what `analyze` writes to `colors` of `<camera>.emb.json`.
   */
  readonly torso?: StoredColorSum;
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

/**
 * A writer for one scope (archive job or live session) of one camera. `appearanceModel` (the ReID
 * model's identity, appearanceModelId) stores each track's latest embedding with it; null or
 * absent: samples' embeddings are not stored (appearance off, or imported MOT files).
 */
export function resultsWriter(
  db: Database.Database,
  cameraId: string,
  scope: string,
  jobId: string,
  clock: () => number,
  appearanceModel: string | null = null,
): ResultsWriter {
  const insert = positionWriter(db);
  const saveAppearance = appearanceModel !== null ? appearanceWriter(db) : null;
  const saveColors = colorWriter(db);
  const trackIds = new Map<number, number>();
  // The embedding last stored per tracker id: the tracker replaces a track's array when it blends
  // a new one in (at most every tracker.embedding_refresh_s), so an unchanged one is not rewritten.
  const stored = new Map<number, Float32Array>();
  const tx = db.transaction((batch: ResultsBatch): Array<[number, Float32Array]> => {
    // A track's span in this batch, so each track is upserted once per batch, not once per sample.
    // One tracker (one decode) sees one picture size, so a track's first sample gives it.
    const spans = new Map<
      number,
      {
        first: number;
        last: number;
        width: number | null;
        height: number | null;
        embedding: Float32Array | null;
        torso: { n: number; r: number; g: number; b: number };
      }
    >();
    for (const s of batch.samples) {
      const sp = spans.get(s.trackerId);
      if (sp && s.torso) {
        sp.torso.n += s.torso.n;
        sp.torso.r += s.torso.r;
        sp.torso.g += s.torso.g;
        sp.torso.b += s.torso.b;
      }
      if (sp) {
        sp.first = Math.min(sp.first, s.tMs);
        // Samples come in time order: the latest sample that carries an embedding gives the track's.
        if (s.tMs >= sp.last && s.embedding) sp.embedding = s.embedding;
        sp.last = Math.max(sp.last, s.tMs);
      } else
        spans.set(s.trackerId, {
          first: s.tMs,
          last: s.tMs,
          width: s.frameWidth ?? null,
          height: s.frameHeight ?? null,
          embedding: s.embedding ?? null,
          torso: { n: s.torso?.n ?? 0, r: s.torso?.r ?? 0, g: s.torso?.g ?? 0, b: s.torso?.b ?? 0 },
        });
    }
    const looks: AppearanceInput[] = [];
    const colors: ColorInput[] = [];
    const written: Array<[number, Float32Array]> = [];
    for (const [id, sp] of spans) {
      const trackId = upsertTrack(db, {
        cameraId,
        trackKey: `${scope}#${id}`,
        firstMs: sp.first,
        lastMs: sp.last,
        frameWidth: sp.width,
        frameHeight: sp.height,
      });
      trackIds.set(id, trackId);
      if (sp.torso.n > 0) colors.push({ trackId, sum: sp.torso });
      if (saveAppearance && appearanceModel !== null && sp.embedding !== null && stored.get(id) !== sp.embedding) {
        looks.push({ trackId, model: appearanceModel, embedding: sp.embedding });
        written.push([id, sp.embedding]);
      }
    }
    saveAppearance?.(looks);
    saveColors(colors);
    const rows: PositionInput[] = batch.samples.map((s) => ({
      trackId: trackIds.get(s.trackerId) ?? -1,
      tMs: s.tMs,
      x: s.x,
      y: s.y,
      w: s.w,
      h: s.h,
      score: s.score,
    }));
    insert(rows); // nested: better-sqlite3 turns the inner transaction into a savepoint
    saveCheckpoint(db, jobId, cameraId, batch.positionMs, clock());
    return written;
  });
  return {
    write: (batch) => {
      // Remembered only once committed: a batch rolled back stores its embeddings with the next one.
      for (const [id, e] of tx.immediate(batch)) stored.set(id, e);
      return batch.samples.length;
    },
  };
}

/**
 * The identity stored with each embedding: the ReID model's manifest name (or file name) and the
 * first 16 hex digits of its file's sha256, so a retrained or replaced model with the same name is
 * another space too. Resolved as the pipeline resolves it (models/resolve.ts: a manifest model's
 * hash is checked there).
 */
export async function appearanceModelId(
  reidModel: string,
  modelsDir?: string,
  warn: (m: string) => void = () => {},
  input?: string,
  precision: Precision = 'fp32',
): Promise<string> {
  const m = await resolveModel(reidModel, modelsDir ?? defaultModelsDir(), { warn });
  const sha = m.entry?.sha256 ?? (await sha256File(m.path));
  // tracker.reid_input ("HxW"): a crop other than the model's own gives other vectors, so a day never
  // stitches 128x64 embeddings against 256x128 ones.
  const native = m.entry ? `${m.entry.input.height}x${m.entry.input.width}` : undefined;
  // tracker.reid_precision int8: quantised weights and activations move the vectors too, and so
  // does any edit of the calibration table (its ranges, its keep_float set): the table's own hash,
  // as in the derived file's name (models/derive.ts).
  const int8 = precision === 'int8' ? `:int8-${loadCalibration(calibrationPath(m.name)).hash.slice(0, 12)}` : '';
  return `${m.name}@${sha.slice(0, 16)}${input !== undefined && input !== native ? `:${input}` : ''}${int8}`;
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
