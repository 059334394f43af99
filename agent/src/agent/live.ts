/**
 * Live mode: one supervisor per RTSP camera. It runs the camera's pipeline until the stream fails,
 * then reconnects with exponential backoff. A session that delivers no frame in time is ended by
 * ingest's watchdog (ingest/watchdog.ts, the one every openSource path has): within `watchdogSec`,
 * and once frames flow within the camera's rtsp_timeout_s plus its usual gap between frames. A failing camera only ever affects its own loop: every error is caught here,
 * logged and recorded as downtime.
 *
 * Downtime: a camera_health row 'up' when a session delivers its first frame, 'down' when a
 * session ends or a connection attempt fails after an up period. The roll-up turns these into
 * camera_uptime (see uptime.ts).
 *
 * Detection: live frames are offered to the shared queue and never wait; when it is full the frame
 * is dropped (counted by the queue per camera) and the tracker sees the camera's last detections
 * again, as with the motion gate's static frames.
 */
import type Database from 'better-sqlite3';
import { EMPTY_DETECTIONS, type Detections } from '../core/detections.js';
import { isFloorSenseError } from '../core/errors.js';
import { redactSecrets } from '../core/redact.js';
import type { DetectorQueue, Detector, FrameDetector } from '../detect/index.js';
import { analyzeSource } from '../pipeline/analyze.js';
import type { ReidEmbedder } from '../track/index.js';
import { insertCameraHealth } from '../store/detail.js';
import { ensureJob, setJobState } from '../store/jobs.js';
import { backoffDelayMs, type BackoffPolicy } from '../core/backoff.js';
import { abortableSleep } from '../core/sleep.js';
import { samplesOf, type CameraAnalyzeBase } from './analyze-options.js';
import type { CameraRuntime } from './camera-runtime.js';
import { resultsWriter, type ResultsWriter, type TrackSample } from './results-store.js';
import { errorText, type AgentLogger } from './logger.js';
import { AGENT_STOPPED } from './uptime.js';
import { storeWriteError } from '../store/open.js';

export interface LiveCamera {
  readonly id: string;
  readonly url: string;
  /** A substream decoded for detection (cameras[].detect_url); boxes land in `url`'s pixels. */
  readonly detectUrl?: string;
  readonly base: CameraAnalyzeBase;
}

export interface LiveDeps {
  readonly db: Database.Database;
  readonly detector: Detector;
  readonly queue: DetectorQueue;
  /** One ReID session for all cameras (null: appearance off). */
  readonly reid?: ReidEmbedder | null;
  /** The ReID model's identity stored with each track's embedding (results-store.ts appearanceModelId); null or absent: none stored. */
  readonly appearanceModel?: string | null;
  readonly logger: AgentLogger;
  readonly clock: () => number;
  readonly random: () => number;
  readonly signal: AbortSignal;
  readonly watchdogSec: number;
  readonly backoff: BackoffPolicy;
  readonly flushFrames: number;
  readonly runtime: CameraRuntime;
}

/** Detection for a live camera: offer, and on a full queue reuse its last detections (dropped frame). */
export function liveFrameDetector(queue: Pick<DetectorQueue, 'offer'>): FrameDetector {
  let last: Detections = EMPTY_DETECTIONS;
  return {
    detect: async (frame) => {
      const p = queue.offer(frame);
      if (p === null) return last;
      last = await p;
      return last;
    },
  };
}

/** Run the camera until `signal` aborts. Never rejects on camera failures. */
export async function superviseLiveCamera(cam: LiveCamera, deps: LiveDeps): Promise<void> {
  const { db, runtime, signal } = deps;
  const log = deps.logger;
  let attempt = 0;
  let wasUp = false;
  let recorded: 'up' | 'down' | null = null;
  const detect = liveFrameDetector(deps.queue);
  const recordHealth = (state: 'up' | 'down', detail: string, tMs: number = deps.clock()): void => {
    if (recorded === state) return;
    recorded = state;
    try {
      insertCameraHealth(db, [{ cameraId: cam.id, tMs, state, detail }]);
    } catch (e) {
      log.error({ err: e }, `cannot record camera health: ${errorText(e)}`);
    }
  };

  while (!signal.aborted) {
    const sessionMs = deps.clock();
    const scope = `live:${sessionMs}`;
    const jobId = `live:${cam.id}:${sessionMs}`;
    const session = new AbortController();
    const onStop = (): void => session.abort();
    signal.addEventListener('abort', onStop, { once: true });
    let frames = 0;
    let writer: ResultsWriter | null = null;
    let pending: TrackSample[] = [];
    let pendingFrames = 0;
    let reachedMs = 0;
    let lastFrameMs = 0;
    const flush = (): void => {
      if (pendingFrames === 0 || writer === null) return;
      try {
        writer.write({ samples: pending, positionMs: reachedMs });
      } catch (e) {
        // Live video cannot wait for space: this batch is dropped, the stream goes on (a full disk
        // reads as FS_DISK_FULL naming the database, not as SQLite's bare message).
        const coded = storeWriteError(db.name, e, `these ${pending.length} samples are dropped (live video cannot wait); everything stored before is kept`);
        log.error({ err: coded }, `cannot store results: ${errorText(coded)}`);
      }
      pending = [];
      pendingFrames = 0;
    };

    runtime.setLink(wasUp || attempt > 0 ? 'reconnecting' : 'connecting');
    log.info({ attempt }, 'connecting');
    let error: unknown = null;
    try {
      const result = await analyzeSource({
        ...cam.base,
        url: cam.url,
        ...(cam.detectUrl !== undefined ? { detectUrl: cam.detectUrl } : {}),
        sourceId: cam.id,
        shared: { detector: deps.detector, queue: detect, ...(deps.reid ? { reid: deps.reid } : {}) },
        keepRows: false,
        // onFrame keeps no pixels: samples are metadata, the runtime keeps only the latest frame.
        recycleFrames: true,
        watchdogSec: deps.watchdogSec,
        signal: session.signal,
        warn: (m) => log.warn({}, m),
        onFrame: (frame, dets, tracks) => {
          if (session.signal.aborted) return; // a frame that raced shutdown
          if (frames === 0) {
            // The job row is shown by the API and logs: never the camera's password.
            ensureJob(db, { id: jobId, kind: 'live', source: redactSecrets(cam.url) }, deps.clock());
            setJobState(db, jobId, 'running', deps.clock());
            writer = resultsWriter(db, cam.id, scope, jobId, deps.clock, deps.appearanceModel ?? null);
            runtime.sessionStarted();
            runtime.setLink('up');
            recordHealth('up', attempt > 0 || wasUp ? 'reconnected' : 'connected');
            log.info({ session: scope }, 'camera up');
            wasUp = true;
            attempt = 0;
          }
          frames++;
          lastFrameMs = deps.clock();
          runtime.frame(frame, dets, tracks);
          reachedMs = frame.timestampMs;
          for (const s of samplesOf(frame, tracks)) pending.push(s);
          pendingFrames++;
          if (pendingFrames >= deps.flushFrames) flush();
        },
      });
      error = result.error;
    } catch (e) {
      error = e;
      if (!isFloorSenseError(e)) log.error({ err: e }, `camera pipeline crashed: ${errorText(e)}`);
    } finally {
      signal.removeEventListener('abort', onStop);
    }
    flush();
    if (frames > 0) {
      try {
        setJobState(db, jobId, 'done', deps.clock(), signal.aborted ? null : reasonOf(error));
      } catch (e) {
        log.error({ err: e }, errorText(e));
      }
    }
    if (signal.aborted) break;

    const reason = reasonOf(error);
    // Down since its last frame (a stalled stream is noticed only watchdog_s later). A camera that
    // never came up is down too: coverage counts from the agent's start.
    recordHealth('down', reason, frames > 0 ? Math.min(lastFrameMs, deps.clock()) : deps.clock());
    if (frames === 0) attempt++;
    runtime.setLink('reconnecting', reason);
    const delay = backoffDelayMs(Math.max(0, attempt - 1), deps.backoff, deps.random);
    log.warn({ frames, attempt, retryInMs: delay }, `camera lost: ${reason}; reconnecting in ${(delay / 1000).toFixed(1)} s`);
    await abortableSleep(delay, signal);
  }
  if (recorded === 'up') {
    // The agent stops, not the camera: down time for coverage, not an outage (see uptime.ts).
    try {
      insertCameraHealth(db, [{ cameraId: cam.id, tMs: deps.clock(), state: 'down', detail: AGENT_STOPPED }]);
    } catch (e) {
      log.error({ err: e }, `cannot record camera health: ${errorText(e)}`);
    }
  }
  runtime.setLink('stopped');
  log.info({}, 'camera stopped');
}

function reasonOf(error: unknown): string {
  if (error !== null) return errorText(error);
  return 'stream ended';
}
