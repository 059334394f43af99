/**
 * Tracker options in one frozen object: plain data, validated once. Built from the config section
 * (`trackerOptionsFromConfig`) or from `DEFAULT_TRACKER_OPTIONS`, which are the product defaults.
 */
import { MisuseError } from '../core/errors.js';
import type { TrackerConfig } from '../config/schema.js';
import { REID_DEFAULT_MODEL, trackerSection } from '../config/sections/tracker.js';
import { DETECTOR_DEFAULTS } from '../detect/defaults.js';
import { findEntry, loadManifest } from '../models/manifest.js';
import type { Precision } from '../models/precision.js';
import { DEFAULT_KALMAN, type KalmanParams } from './kalman.js';
import type { PlausibilityOptions } from './plausibility.js';
import type { MotionRule } from './distances.js';
import type { ScoreThresholds } from './thresholds.js';
import type { EmbeddingContest, EmbeddingPolicy } from './embedding-policy.js';

export interface TrackerOptions {
  /** Fuse ReID appearance with motion; false = motion-only tracker. */
  readonly appearance: boolean;
  /** Score at or above which a detection enters the first pass. */
  readonly highThreshold: number;
  /** Detections in [low, high) only enter the second (ByteTrack) pass; below low they are dropped. */
  readonly lowThreshold: number;
  /** Unmatched detections at or above this score start a tentative track. */
  readonly newTrackThreshold: number;
  /** Matches (the first included) before a track is confirmed and reported. */
  readonly minHits: number;
  /** Video seconds without a match after which a track stops being matched by motion. */
  readonly maxAgeSec: number;
  /**
   * A track is retired only after missing this many updates as well as maxAgeSec: at 1-2 fps a
   * few missed samples already exceed any age in seconds tuned at full frame rate.
   */
  readonly maxAgeUpdates: number;
  /** Video seconds since last seen within which a lost track can be re-identified by appearance. */
  readonly reidWindowSec: number;
  /** Weight of appearance in the fused cost, where both sides have an embedding. */
  readonly appearanceWeight: number;
  /** Pairs with cosine distance above this are never matched by the fused (motion + appearance) passes. */
  readonly maxCosineDistance: number;
  /** Re-identification (appearance alone, after a track was lost) accepts only pairs closer than this. */
  readonly reidMaxCosineDistance: number;
  /** EMA momentum of a track's embedding (weight of the old value). */
  readonly embeddingEma: number;
  /** Max motion / fused cost for the high-score and tentative passes (0..1). */
  readonly matchMaxCost: number;
  /** Max motion cost for the low-score pass: stricter, low boxes are often occluded or false. */
  readonly lowMatchMaxCost: number;
  /** A matched track's embedding is refreshed at most this often (video seconds). */
  readonly embeddingRefreshSec: number;
  /** Which high-score detections get an embedding: only where it can change a decision, or all (the reference path). */
  readonly embeddingPolicy: EmbeddingPolicy;
  /** Decisive policy: a tentative track's first embedding waits until it is confirmed. */
  readonly embeddingDeferTentative: boolean;
  /** Decisive policy under motion_rule cascade: which rivals make a contest (embedding-policy.ts EMBEDDING_CONTESTS). */
  readonly embeddingContest: EmbeddingContest;
  /** The EMA's momentum applies per matched observation, not per crop (tracker.ts takeCrop). */
  readonly embeddingEmaPerObservation: boolean;
  /** Appearance from whole crops only, the first whole one replacing cut ones (embedding-policy.ts wholeCrops). */
  readonly embeddingWholeCrops: boolean;
  /** Decisive policy: a track's appearance is refreshed at every match until it holds this many crops. */
  readonly embeddingFirstCrops: number;
  /** Decisive policy: a detection that will start a track is embedded at birth (embedding-policy.ts `birth`). */
  readonly embeddingAtBirth: boolean;
  /** Physical plausibility gate on every association and re-identification. */
  readonly plausibility: PlausibilityOptions;
  /** OC-SORT observation-centric recovery pass (last observed box vs leftover detections). */
  readonly observationRecovery: boolean;
  /** Max 1 - IoU in the recovery pass. */
  readonly observationRecoveryMaxCost: number;
  /** OC-SORT observation-centric re-update after missed samples. */
  readonly observationReupdate: boolean;
  /** How IoU and Mahalanobis combine into the motion cost (distances.ts). */
  readonly motionRule: MotionRule;
  /** Mahalanobis gate on (cx, cy, w, h), a chi-square quantile for 4 degrees of freedom. */
  readonly motionGateChi2: number;
  readonly kalman: KalmanParams;
}

/**
 * Tracker options from the config section. Score thresholds the config leaves unset come from the
 * detector model's calibrated `tracker_thresholds` in the model manifest (a model given as a path,
 * or one without them, gets the default detector's); appearance gates it leaves unset come from the
 * ReID model's `reid_thresholds` at `c.reid_precision` the same way.
 */
export function trackerOptionsFromConfig(c: TrackerConfig, detectorModel: string = DETECTOR_DEFAULTS.model, precision: Precision = 'fp32'): TrackerOptions {
  const m = modelThresholds(detectorModel, precision);
  const g = reidGates(c.reid_model, c.reid_precision);
  return validateTrackerOptions({
    appearance: c.appearance,
    highThreshold: c.high_threshold ?? m.high,
    lowThreshold: c.low_threshold ?? m.low,
    newTrackThreshold: c.new_track_threshold ?? m.newTrack,
    minHits: c.min_hits,
    maxAgeSec: c.max_age_s,
    maxAgeUpdates: c.max_age_updates,
    reidWindowSec: c.reid_window_s,
    appearanceWeight: c.appearance_weight,
    maxCosineDistance: c.max_cosine_distance ?? g.maxCosineDistance,
    reidMaxCosineDistance: c.reid_max_cosine_distance ?? g.reidMaxCosineDistance,
    embeddingEma: c.embedding_ema,
    matchMaxCost: c.match_max_cost,
    lowMatchMaxCost: c.low_match_max_cost,
    embeddingRefreshSec: c.embedding_refresh_s,
    embeddingPolicy: c.embedding_policy,
    embeddingDeferTentative: c.embedding_defer_tentative,
    embeddingContest: c.embedding_contest,
    embeddingEmaPerObservation: c.embedding_ema_per_observation,
    embeddingWholeCrops: c.embedding_whole_crops,
    embeddingFirstCrops: c.embedding_first_crops,
    embeddingAtBirth: c.embedding_at_birth,
    plausibility: {
      maxSpeedBodyHeights: c.max_speed_body_heights_per_s,
      slackBodyHeights: c.plausibility_slack_body_heights,
      maxSpeedMps: c.max_speed_m_per_s,
      slackM: c.plausibility_slack_m,
      maxReachBodyHeights: c.max_reach_body_heights,
      maxReachM: c.max_reach_m,
    },
    observationRecovery: c.observation_recovery,
    observationRecoveryMaxCost: c.observation_recovery_max_cost,
    observationReupdate: c.observation_reupdate,
    motionRule: c.motion_rule,
    motionGateChi2: c.motion_gate_chi2,
    kalman: { ...DEFAULT_KALMAN, accelerationNoise: c.motion_acceleration_noise, manoeuvreNoise: c.motion_manoeuvre_noise },
  });
}

/**
 * A detector's calibrated thresholds from the bundled manifest; the default detector's for others.
 * At int8 (detector.precision) its int8 variant's own: quantisation shifts the scores.
 */
export function modelThresholds(model: string, precision: Precision = 'fp32'): ScoreThresholds {
  const manifest = loadManifest();
  const entry = findEntry(manifest, model) ?? findEntry(manifest, DETECTOR_DEFAULTS.model);
  if (precision === 'int8' && !entry?.int8)
    throw new MisuseError('FS_BAD_ARGUMENT', `model manifest: "${entry?.name ?? model}" has no int8 variant (no int8.tracker_thresholds)`, { model });
  const th = precision === 'int8' ? entry?.int8?.tracker_thresholds : entry?.tracker_thresholds;
  if (!th)
    throw new MisuseError('FS_BAD_ARGUMENT', `model manifest: no tracker_thresholds for "${model}" nor for the default detector "${DETECTOR_DEFAULTS.model}"`, {
      model,
    });
  return { high: th.high_threshold, low: th.low_threshold, newTrack: th.new_track_threshold };
}

export interface AppearanceGates {
  readonly maxCosineDistance: number;
  readonly reidMaxCosineDistance: number;
}

/**
 * A ReID model's appearance gates from the bundled manifest; the default ReID model's for others
 * (a path). At int8 (tracker.reid_precision) its int8 variant's own: the quantised model's
 * embeddings are another space, where fp32's distances mean other shares of people.
 */
export function reidGates(model: string = REID_DEFAULT_MODEL, precision: Precision = 'fp32'): AppearanceGates {
  const manifest = loadManifest();
  const entry = findEntry(manifest, model) ?? findEntry(manifest, REID_DEFAULT_MODEL);
  const g = precision === 'int8' ? entry?.int8?.reid_thresholds : entry?.reid_thresholds;
  if (!g)
    throw new MisuseError(
      'FS_BAD_ARGUMENT',
      `model manifest: no ${precision === 'int8' ? 'int8.' : ''}reid_thresholds for "${entry?.name ?? model}" (tracker.reid_precision ${precision})`,
      { model },
    );
  return { maxCosineDistance: g.max_cosine_distance, reidMaxCosineDistance: g.reid_max_cosine_distance };
}

/** The product defaults (the config section's defaults, thresholds of the default detector). */
export const DEFAULT_TRACKER_OPTIONS: TrackerOptions = trackerOptionsFromConfig(trackerSection.parse({}));

/** Defaults with some fields replaced, validated. */
export function trackerOptions(overrides: Partial<TrackerOptions> = {}): TrackerOptions {
  return validateTrackerOptions({ ...DEFAULT_TRACKER_OPTIONS, ...overrides });
}

function validateTrackerOptions(o: TrackerOptions): TrackerOptions {
  const fail = (key: string, why: string): never => {
    throw new MisuseError('FS_BAD_ARGUMENT', `tracker option ${key}: ${why}`, { key });
  };
  const unit = [
    'highThreshold',
    'lowThreshold',
    'newTrackThreshold',
    'appearanceWeight',
    'embeddingEma',
    'matchMaxCost',
    'lowMatchMaxCost',
    'observationRecoveryMaxCost',
  ] as const;
  for (const k of unit) if (!(o[k] >= 0 && o[k] <= 1)) fail(k, `must be in [0, 1], got ${o[k]}`);
  if (o.lowThreshold > o.highThreshold) fail('lowThreshold', `(${o.lowThreshold}) must not exceed highThreshold (${o.highThreshold})`);
  if (!Number.isInteger(o.minHits) || o.minHits < 1) fail('minHits', `must be an integer >= 1, got ${o.minHits}`);
  if (!Number.isInteger(o.maxAgeUpdates) || o.maxAgeUpdates < 0) fail('maxAgeUpdates', `must be an integer >= 0, got ${o.maxAgeUpdates}`);
  if (!(o.maxAgeSec > 0)) fail('maxAgeSec', `must be > 0, got ${o.maxAgeSec}`);
  if (!(o.reidWindowSec >= 0)) fail('reidWindowSec', `must be >= 0, got ${o.reidWindowSec}`);
  if (!(o.maxCosineDistance >= 0 && o.maxCosineDistance <= 2)) fail('maxCosineDistance', `must be in [0, 2], got ${o.maxCosineDistance}`);
  if (!(o.reidMaxCosineDistance >= 0 && o.reidMaxCosineDistance <= 2)) fail('reidMaxCosineDistance', `must be in [0, 2], got ${o.reidMaxCosineDistance}`);
  if (!Number.isInteger(o.embeddingFirstCrops) || o.embeddingFirstCrops < 1 || o.embeddingFirstCrops > 50)
    fail('embeddingFirstCrops', `must be an integer in [1, 50], got ${o.embeddingFirstCrops}`);
  if (!(o.embeddingRefreshSec >= 0)) fail('embeddingRefreshSec', `must be >= 0, got ${o.embeddingRefreshSec}`);
  const p = o.plausibility;
  if (!(p.maxSpeedBodyHeights > 0)) fail('plausibility.maxSpeedBodyHeights', `must be > 0, got ${p.maxSpeedBodyHeights}`);
  if (!(p.slackBodyHeights >= 0)) fail('plausibility.slackBodyHeights', `must be >= 0, got ${p.slackBodyHeights}`);
  if (!(p.maxSpeedMps > 0)) fail('plausibility.maxSpeedMps', `must be > 0, got ${p.maxSpeedMps}`);
  if (!(p.slackM >= 0)) fail('plausibility.slackM', `must be >= 0, got ${p.slackM}`);
  if (!(p.maxReachBodyHeights > 0)) fail('plausibility.maxReachBodyHeights', `must be > 0, got ${p.maxReachBodyHeights}`);
  if (!(p.maxReachM > 0)) fail('plausibility.maxReachM', `must be > 0, got ${p.maxReachM}`);
  if (!(o.motionGateChi2 > 0)) fail('motionGateChi2', `must be > 0, got ${o.motionGateChi2}`);
  if (!(o.kalman.accelerationNoise > 0)) fail('kalman.accelerationNoise', `must be > 0, got ${o.kalman.accelerationNoise}`);
  if (!(o.kalman.manoeuvreNoise >= 0)) fail('kalman.manoeuvreNoise', `must be >= 0, got ${o.kalman.manoeuvreNoise}`);
  return Object.freeze({ ...o, plausibility: Object.freeze({ ...o.plausibility }), kalman: Object.freeze({ ...o.kalman }) });
}
