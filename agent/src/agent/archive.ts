/**
 * Archive mode: the MP4 exports under a camera's folder, each processed exactly once.
 *
 * A file's life: claimed (job row 'running'; whatever an interrupted earlier run stored for it is
 * deleted in the same transaction) -> processed, its results written every `flush_frames` sampled
 * frames together with the checkpoint (video time reached) -> committed ('done', or 'failed' with
 * the reason). A restart finds an unfinished file still 'running' and processes it again from the
 * start: the purge at claim time keeps that free of duplicate rows. Done and failed files are never
 * claimed again (a failed one is logged with its reason; delete its job row to retry it).
 *
 * Start time of a file: see file-time.ts (creation_time tag, else the name, else mtime).
 *
 * A full disk (SQLITE_FULL) stops the pass with FS_DISK_FULL naming the database and what was
 * kept: every batch committed before stays; the file being written stays 'running' like an
 * interrupted one (not 'failed': the file is fine), so the next run, once space is freed, purges
 * its partial rows and processes it again from the start. Empty (0-byte) exports are skipped with
 * a warning each pass: a failed NVR export, or one still to be written.
 */
import type Database from 'better-sqlite3';
import { basename } from 'node:path';
import { isFloorSenseError } from '../core/errors.js';
import { isDiskFull, storeWriteError } from '../store/open.js';
import type { Detections } from '../core/detections.js';
import type { Frame } from '../core/frame.js';
import type { Detector, FrameDetector } from '../detect/index.js';
import { probeSource } from '../ingest/probe.js';
import { analyzeSource } from '../pipeline/analyze.js';
import type { ReidEmbedder, TrackOutput } from '../track/index.js';
import { claimArchiveJob, finishArchiveJob, resultsWriter, type TrackSample } from './results-store.js';
import { touchFinishedJobs } from '../store/jobs.js';
import { samplesOf, type CameraAnalyzeBase } from './analyze-options.js';
import { fileStartTime } from './file-time.js';
import { scanArchiveFolder, type ArchiveFile } from './archive-scan.js';
import { errorText, type AgentLogger } from './logger.js';

export interface ArchiveCamera {
  readonly id: string;
  readonly folder: string;
  readonly base: CameraAnalyzeBase;
}

export interface ArchiveDeps {
  readonly db: Database.Database;
  readonly detector: Detector;
  readonly queue: FrameDetector;
  /** One ReID session for all cameras (null: appearance off). */
  readonly reid?: ReidEmbedder | null;
  /** The ReID model's identity stored with each track's embedding (results-store.ts appearanceModelId); null or absent: none stored. */
  readonly appearanceModel?: string | null;
  readonly logger: AgentLogger;
  /** Wall clock, epoch ms (job bookkeeping). */
  readonly clock: () => number;
  readonly signal: AbortSignal;
  readonly timeZone: string;
  readonly flushFrames: number;
  readonly extensions: readonly string[];
  readonly minAgeSec: number;
  /** Cameras processed side by side (default 1); each camera's files stay in order. */
  readonly parallel?: number;
  /** Called with each sampled frame's camera (live state: fps, last frame). */
  readonly onFrame?: (cameraId: string, frame: Frame, detections: Detections, tracks: readonly TrackOutput[]) => void;
}

export type FileOutcome = 'done' | 'failed' | 'skipped' | 'interrupted';

export interface FileReport {
  readonly camera: string;
  readonly file: string;
  readonly outcome: FileOutcome;
  readonly frames: number;
  readonly positions: number;
  readonly purgedPositions: number;
  readonly error: string | null;
}

export interface ArchivePassReport {
  readonly files: number;
  readonly done: number;
  readonly failed: number;
  /** "camera/file: reason" of each failed file. */
  readonly failures: readonly string[];
  readonly skipped: number;
  readonly interrupted: number;
  readonly positions: number;
}

/** Keep the done-memory of files still present (see touchFinishedJobs); cheap, synchronous. */
export function touchArchiveFolders(cameras: readonly ArchiveCamera[], deps: Pick<ArchiveDeps, 'db' | 'clock' | 'extensions' | 'logger'>): number {
  let n = 0;
  for (const cam of cameras) {
    try {
      const files = scanArchiveFolder(cam.id, cam.folder, { extensions: deps.extensions, modifiedBeforeMs: Number.POSITIVE_INFINITY });
      n += touchFinishedJobs(
        deps.db,
        files.map((f) => f.jobId),
        deps.clock(),
      );
    } catch (e) {
      deps.logger.warn({ camera: cam.id }, errorText(e));
    }
  }
  return n;
}

/**
 * Scan every archive camera's folder and process the files not yet done: up to `parallel` cameras
 * at once, each camera's files one at a time in name order. Side by side, one camera's decode and
 * tracking overlap another's detection on the shared detector queue (submit() is the backpressure).
 */
export async function runArchivePass(cameras: readonly ArchiveCamera[], deps: ArchiveDeps): Promise<ArchivePassReport> {
  const perCamera: FileReport[][] = cameras.map(() => []);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < cameras.length && !deps.signal.aborted) {
      const i = next++;
      perCamera[i] = await archiveCamera(cameras[i]!, deps);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(deps.parallel ?? 1, cameras.length)) }, lane));
  const reports = perCamera.flat();
  const count = (o: FileOutcome): number => reports.filter((r) => r.outcome === o).length;
  return {
    files: reports.length,
    done: count('done'),
    failed: count('failed'),
    failures: reports.filter((r) => r.outcome === 'failed').map((r) => `${r.camera}/${r.file}: ${r.error ?? 'failed'}`),
    skipped: count('skipped'),
    interrupted: count('interrupted'),
    positions: reports.reduce((s, r) => s + r.positions, 0),
  };
}

async function archiveCamera(cam: ArchiveCamera, deps: ArchiveDeps): Promise<FileReport[]> {
  const reports: FileReport[] = [];
  const log = deps.logger.child({ camera: cam.id });
  let files: ArchiveFile[];
  try {
    files = scanArchiveFolder(cam.id, cam.folder, {
      extensions: deps.extensions,
      modifiedBeforeMs: deps.clock() - deps.minAgeSec * 1000,
      onEmpty: (rel) =>
        log.warn({ file: rel }, `archive: ${rel} is empty (0 bytes): skipped (a failed or unfinished export); it is looked at again at the next pass`),
    });
  } catch (e) {
    log.error({ err: e }, errorText(e));
    return reports;
  }
  const touched = touchFinishedJobs(
    deps.db,
    files.map((f) => f.jobId),
    deps.clock(),
  );
  log.debug({ files: files.length, finished: touched, folder: cam.folder }, 'archive: scanned folder');
  for (const f of files) {
    if (deps.signal.aborted) break;
    reports.push(await processArchiveFile(cam, f, { ...deps, logger: log }));
  }
  return reports;
}

export async function processArchiveFile(cam: ArchiveCamera, file: ArchiveFile, deps: ArchiveDeps): Promise<FileReport> {
  const { db, logger: log } = deps;
  const base = { camera: cam.id, file: file.rel };
  let claim: ReturnType<typeof claimArchiveJob>;
  try {
    claim = claimArchiveJob(db, { id: file.jobId, cameraId: cam.id, source: file.path }, deps.clock());
  } catch (e) {
    throw storeWriteError(db.name, e, `nothing of ${file.rel} was stored; everything stored before is kept`);
  }
  if (!claim) return { ...base, outcome: 'skipped', frames: 0, positions: 0, purgedPositions: 0, error: null };
  if (claim.purged > 0)
    log.warn(
      { file: file.rel, purgedPositions: claim.purged },
      'archive: file was interrupted earlier; its partial rows were deleted and it is processed again from the start',
    );
  log.info({ file: file.rel, job: file.jobId }, 'archive: file claimed');

  let frames = 0;
  let positions = 0;
  let pending: TrackSample[] = [];
  let pendingFrames = 0;
  let reachedMs = 0;
  let committedMs: number | null = null;
  const writer = resultsWriter(db, cam.id, file.jobId, file.jobId, deps.clock, deps.appearanceModel ?? null);
  const kept = (): string =>
    `kept: ${positions} positions of ${file.rel}${committedMs === null ? '' : ` up to video time ${new Date(committedMs).toISOString()}`} and everything stored before; ${file.rel} stays pending and is processed again from the start at the next run`;
  const flush = (): void => {
    if (pendingFrames === 0) return;
    try {
      positions += writer.write({ samples: pending, positionMs: reachedMs });
    } catch (e) {
      throw storeWriteError(db.name, e, kept());
    }
    committedMs = reachedMs;
    log.debug({ file: file.rel, frames, positions, checkpointMs: reachedMs }, 'archive: checkpoint');
    pending = [];
    pendingFrames = 0;
  };

  let error: unknown = null;
  try {
    // One probe serves the start time here and the decode plan below (probed).
    const info = await probeSource(file.path, { signal: deps.signal });
    const start = fileStartTime({ creationTimeMs: info.creationTimeMs, name: basename(file.path), mtimeMs: file.mtimeMs }, deps.timeZone);
    if (start.origin === 'mtime')
      log.warn(
        { file: file.rel },
        'archive: no creation_time tag and no timestamp in the file name; using the file mtime as its start (likely the END of the recording)',
      );
    const result = await analyzeSource({
      ...cam.base,
      url: file.path,
      probed: info,
      sourceId: cam.id,
      startTimeMs: start.startMs,
      shared: { detector: deps.detector, queue: deps.queue, ...(deps.reid ? { reid: deps.reid } : {}) },
      keepRows: false,
      // onFrame keeps no pixels: samples are metadata, the runtime keeps only the latest frame.
      recycleFrames: true,
      signal: deps.signal,
      warn: (m) => log.warn({ file: file.rel }, m),
      onFrame: (frame, dets, tracks) => {
        frames++;
        reachedMs = frame.timestampMs;
        for (const s of samplesOf(frame, tracks)) pending.push(s);
        pendingFrames++;
        deps.onFrame?.(cam.id, frame, dets, tracks);
        if (pendingFrames >= deps.flushFrames) flush();
      },
    });
    error = result.error;
  } catch (e) {
    if (!isFloorSenseError(e)) throw e;
    error = e;
  }
  // The pass stops here: every later write would meet the same full disk.
  if (isDiskFull(error)) throw error;
  flush();
  if (deps.signal.aborted) {
    // Left 'running': the next start purges these rows and processes the file again.
    log.info({ file: file.rel, frames, positions }, 'archive: interrupted by shutdown; the file will be processed again at the next start');
    return { ...base, outcome: 'interrupted', frames, positions, purgedPositions: claim.purged, error: null };
  }
  // A truncated file keeps the frames before the damage: done, with the reason noted.
  const truncated = isFloorSenseError(error) && error.code === 'FS_VIDEO_TRUNCATED';
  const message = error === null ? null : errorText(error);
  try {
    finishArchiveJob(db, file.jobId, deps.clock(), error === null || truncated ? null : message);
  } catch (e) {
    throw storeWriteError(db.name, e, kept());
  }
  if (message !== null) log.warn({ file: file.rel, frames, positions }, `archive: ${message}`);
  const outcome: FileOutcome = error === null || truncated ? 'done' : 'failed';
  log.info({ file: file.rel, frames, positions, outcome }, `archive: file ${outcome}`);
  return { ...base, outcome, frames, positions, purgedPositions: claim.purged, error: message };
}
