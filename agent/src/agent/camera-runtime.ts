/**
 * What the agent knows about each camera right now: link state, frame counters, a short fps
 * window, the latest frame with its boxes (for the local snapshot endpoint; it never leaves the box).
 * One object per camera, owned by its supervisor; readers get copies.
 */
import type { Detections } from '../core/detections.js';
import type { Frame } from '../core/frame.js';
import type { TrackOutput } from '../track/index.js';
import { lossCause } from '../ingest/failures.js';
import {
  assessCamera,
  deliveredFps,
  imageSignature,
  newCameraHealth,
  onFrame,
  onSourceLost,
  onTick,
  type CameraAssessment,
  type CameraHealth,
  type CameraThresholds,
  type DeliveredFrame,
  type ShopHours,
} from '../health/index.js';

export type LinkState = 'connecting' | 'up' | 'reconnecting' | 'stopped';

export interface CameraSnapshot {
  readonly id: string;
  readonly mode: 'live' | 'archive';
  readonly link: LinkState;
  readonly sinceMs: number;
  readonly lastFrameMs: number | null;
  readonly frames: number;
  readonly sessions: number;
  readonly reconnects: number;
  readonly lastError: string | null;
  /** Sampled frames per second delivered over the last `fpsWindowMs` (see health/frame-rate.ts). */
  readonly fps: number | null;
}

export interface LatestFrame {
  readonly frame: Frame;
  readonly detections: Detections;
  readonly tracks: readonly TrackOutput[];
}

export class CameraRuntime {
  #link: LinkState = 'connecting';
  #sinceMs: number;
  #lastFrameMs: number | null = null;
  #frames = 0;
  #sessions = 0;
  #reconnects = 0;
  #lastError: string | null = null;
  readonly #arrivals: DeliveredFrame[] = [];
  #latest: LatestFrame | null = null;
  /** Who else sees every frame (the drift monitor); called after the runtime's own bookkeeping. */
  readonly #frameListeners: Array<(frame: Frame, detections: Detections) => void> = [];
  /** The health state machine (live cameras only: archive frames carry past video time). */
  #health: CameraHealth;

  constructor(
    readonly id: string,
    readonly mode: 'live' | 'archive',
    private readonly clock: () => number,
    private readonly thresholds: CameraThresholds,
    private readonly fpsWindowMs = 60_000,
  ) {
    this.#sinceMs = clock();
    this.#health = newCameraHealth(id, this.#sinceMs);
  }

  get health(): CameraHealth {
    return this.#health;
  }

  /** Health now: link, frozen, black, blank, nobody in opening hours (see health/camera-state.ts). */
  assess(shop?: ShopHours): CameraAssessment {
    const now = this.clock();
    this.#health = onTick(this.#health, now, this.thresholds);
    return assessCamera(this.#health, now, this.thresholds, shop);
  }

  get link(): LinkState {
    return this.#link;
  }

  setLink(link: LinkState, error: string | null = null): void {
    if (link === 'reconnecting' && this.#link !== 'reconnecting') this.#reconnects++;
    if (link !== this.#link) this.#sinceMs = this.clock();
    // The reason (an error text) names the cause; a session that never went up delivered nothing.
    // A new attempt (no error) keeps the cause of the last loss.
    if (link === 'reconnecting' && this.mode === 'live' && (error !== null || this.#link === 'up')) {
      this.#health = onSourceLost(this.#health, this.clock(), error === null ? 'ended' : lossCause(error, this.#link === 'up'));
    }
    this.#link = link;
    if (error !== null) this.#lastError = error;
  }

  sessionStarted(): void {
    this.#sessions++;
  }

  /** `tracks`: the tracks matched in this frame (source pixels), for the snapshot and calibration view. */
  frame(frame: Frame, detections: Detections, tracks: readonly TrackOutput[] = []): void {
    const now = this.clock();
    this.#frames++;
    this.#lastFrameMs = now;
    this.#latest = { frame, detections, tracks };
    if (this.mode === 'live') {
      this.#health = onFrame(this.#health, { timestampMs: frame.timestampMs, signature: imageSignature(frame), persons: detections.length }, this.thresholds);
    }
    // ptsSec, not timestampMs: a live frame is stamped with the wall clock when read, pts is the stream's own time.
    this.#arrivals.push({ wallMs: now, videoMs: frame.ptsSec * 1000, session: this.#sessions });
    while (this.#arrivals.length > 0 && this.#arrivals[0]!.wallMs < now - this.fpsWindowMs) this.#arrivals.shift();
    for (const l of this.#frameListeners) l(frame, detections);
  }

  /** Call `listener` with every frame and its detections from now on (it must not throw). */
  addFrameListener(listener: (frame: Frame, detections: Detections) => void): void {
    this.#frameListeners.push(listener);
  }

  latest(): LatestFrame | null {
    return this.#latest;
  }

  snapshot(): CameraSnapshot {
    const now = this.clock();
    return {
      id: this.id,
      mode: this.mode,
      link: this.#link,
      sinceMs: this.#sinceMs,
      lastFrameMs: this.#lastFrameMs,
      frames: this.#frames,
      sessions: this.#sessions,
      reconnects: this.#reconnects,
      lastError: this.#lastError,
      fps: deliveredFps(this.#arrivals, now, this.fpsWindowMs) ?? (this.#frames === 0 ? null : 0),
    };
  }
}
