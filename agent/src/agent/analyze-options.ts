/**
 * The per-camera analysis options the agent derives from the config: one place, so live and
 * archive cameras run the same detector, tracker and sampling settings.
 */
import { dirname, join, resolve } from 'node:path';
import type { Config, CameraConfig } from '../config/schema.js';
import { type DetectorOptions, inputForRegions } from '../detect/index.js';
import { detectorPrecisionFor } from '../detect/options.js';
import type { SamplingRequest } from '../ingest/index.js';
import type { Frame } from '../core/frame.js';
import type { TrackOutput } from '../track/index.js';
import { trackerOptionsFromConfig } from '../track/index.js';
import type { Precision } from '../models/precision.js';
import type { AnalyzeOptions, DecodeOptions } from '../pipeline/analyze.js';
import type { RegionOptions } from '../pipeline/region-detect.js';
import type { AdaptiveOptions } from '../pipeline/adaptive.js';
import type { TrackSample } from './results-store.js';
import { addTorso, type ColorSum } from '../pipeline/torso-color.js';

export type CameraAnalyzeBase = Pick<
  AnalyzeOptions,
  | 'sampling'
  | 'decode'
  | 'detector'
  | 'tracker'
  | 'appearance'
  | 'reidModel'
  | 'reidInput'
  | 'reidPrecision'
  | 'motionGate'
  | 'regions'
  | 'adaptive'
  | 'preview'
  | 'socketTimeoutSec'
>;

export function detectorOptionsFrom(cfg: Readonly<Config>): DetectorOptions {
  const d = cfg.detector;
  return {
    model: d.model,
    ...(d.models_dir ? { modelsDir: d.models_dir } : {}),
    providers: d.providers,
    threads: d.threads,
    spinning: d.spinning,
    conf_threshold: d.conf_threshold,
    iou_threshold: d.iou_threshold,
    classes: d.classes,
    max_detections: d.max_detections,
    // One detector serves every camera: a camera with its own region mode narrows it too.
    input:
      inputForRegions(
        d.input,
        d.regions.mode !== 'full' ? d.regions.mode : (cfg.cameras.find((c) => c.regions && c.regions.mode !== 'full')?.regions?.mode ?? 'full'),
      ) ?? d.input,
    precision: d.precision,
    // Derived model files (detector.input) live beside the database, never in the checkout.
    cacheDir: join(dirname(resolve(cfg.storage.path)), 'cache', 'models'),
  };
}

/**
 * The detector precision that runs for this config: detector.precision, with auto resolved for its
 * providers on this host (models/precision.ts). The tracker's score thresholds are that precision's,
 * and detectorSettings makes the same choice with the same function.
 */
export function detectorPrecision(cfg: Readonly<Config>): Precision {
  return detectorPrecisionFor(cfg.detector.model, cfg.detector.precision, cfg.detector.providers).precision;
}

/** detector.regions of the config (the camera's own `regions` when it has one) as the pipeline's RegionOptions. */
export function regionOptionsFrom(cfg: Readonly<Config>, cam?: CameraConfig | null): RegionOptions {
  const r = cam?.regions ?? cfg.detector.regions;
  return {
    mode: r.mode,
    tileCols: r.tile_cols,
    tileRows: r.tile_rows,
    tileOverlap: r.tile_overlap,
    tilesFullFrame: r.tiles_full_frame,
    fullFrameSec: r.full_frame_s,
    maxRegions: r.max_regions,
    maxCover: r.max_cover,
    pad: r.pad,
  };
}

/** Adaptive sampling of a camera (its sampling override, else the top-level sampling). */
export function adaptiveFor(cfg: Readonly<Config>, cam: CameraConfig | null): AdaptiveOptions {
  const s = cam?.sampling ?? cfg.sampling;
  return { emptyEvery: s.empty_every, emptyAfterSec: s.empty_after_s, quietEvery: s.quiet_every, quietRadius: s.quiet_radius };
}

export function samplingFor(cfg: Readonly<Config>, cam: CameraConfig): SamplingRequest {
  const s = cam.sampling ?? cfg.sampling;
  return s.fps !== undefined ? { fps: s.fps, keyframes: s.keyframes } : { stride: s.stride ?? 25, keyframes: s.keyframes };
}

/** ffmpeg decode levers of a camera (its sampling override, else the top-level sampling). */
export function decodeFor(cfg: Readonly<Config>, cam: CameraConfig): DecodeOptions {
  const s = cam.sampling ?? cfg.sampling;
  return { threads: s.decode_threads, skipLoopFilter: s.skip_loop_filter, hw: s.hw_decode };
}

export function cameraAnalyzeBase(cfg: Readonly<Config>, cam: CameraConfig): CameraAnalyzeBase {
  return {
    sampling: samplingFor(cfg, cam),
    decode: decodeFor(cfg, cam),
    detector: detectorOptionsFrom(cfg),
    tracker: trackerOptionsFromConfig(cfg.tracker, cfg.detector.model, detectorPrecision(cfg)),
    appearance: cfg.tracker.appearance,
    reidModel: cfg.tracker.reid_model,
    reidInput: cfg.tracker.reid_input,
    reidPrecision: cfg.tracker.reid_precision,
    // Static scenes (a closed shop at night) skip inference: the gate reuses the last detections.
    motionGate: {},
    regions: regionOptionsFrom(cfg, cam),
    adaptive: adaptiveFor(cfg, cam),
    preview: null,
    socketTimeoutSec: cam.rtsp_timeout_s,
  };
}

/** Matched tracks of one frame as rows to store: boxes clamped to the camera image, like `analyze`; with the track's appearance when it has one and its torso pixels. */
export function samplesOf(frame: Frame, tracks: readonly TrackOutput[]): TrackSample[] {
  const W = frame.letterbox.srcWidth;
  const H = frame.letterbox.srcHeight;
  return tracks.map((t) => {
    const x1 = clamp(t.box[0], 0, W);
    const y1 = clamp(t.box[1], 0, H);
    const x2 = clamp(t.box[2], 0, W);
    const y2 = clamp(t.box[3], 0, H);
    // The torso pixels of the unclamped box, as analyze sums them for the sidecar's colours.
    const torso: ColorSum = { r: 0, g: 0, b: 0, n: 0 };
    addTorso(torso, frame, t.box);
    const s: TrackSample = {
      trackerId: t.id,
      tMs: frame.timestampMs,
      x: x1,
      y: y1,
      w: x2 - x1,
      h: y2 - y1,
      score: t.score,
      frameWidth: W,
      frameHeight: H,
      torso,
    };
    return t.embedding ? { ...s, embedding: t.embedding } : s;
  });
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
