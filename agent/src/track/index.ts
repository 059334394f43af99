/**
 * Tracking: detections per sampled frame in, person tracks out. Start with `createTracker`
 * (options from `trackerOptionsFromConfig` or `DEFAULT_TRACKER_OPTIONS`), feed it each frame's
 * detections in SOURCE pixels with the frame's video time, and, for appearance, an EmbedFn from
 * `openReid(...).embedFnFor(frame, detections)`.
 */
export { planEmbeddings, EMBEDDING_POLICIES, EMBEDDING_REASONS, type EmbeddingPolicy, type EmbeddingReason } from './embedding-policy.js';
export { createTracker, type Tracker, type TrackerDeps, type TrackerStats, type TrackerUpdate, type EmbedFn } from './tracker.js';
export { DEFAULT_TRACKER_OPTIONS, trackerOptions, trackerOptionsFromConfig, type TrackerOptions } from './options.js';
export type { TrackOutput, TrackStatus } from './track.js';
export { createIdCounter, type IdSource } from './ids.js';
export { openReid, type ReidEmbedder, type ReidOptions, type ReidStats } from './reid.js';
export { cropBatch, sourceBoxToFrame, REID_CROP, IMAGENET_MEAN, IMAGENET_STD, type CropSize } from './crop.js';
export { trackMotDetections, calibratedOptions, frameKept, type MotTrackingOptions, type MotTrackingResult } from './mot-run.js';
export {
  iouDistance,
  mahalanobisDistance,
  motionDistance,
  cosineDistance,
  dot,
  l2normalise,
  type Distance,
  type TrackView,
  type DetectionView,
} from './distances.js';
export { costMatrix, costFrom, costFromRows, costAt, checkCost, fuse, gate, gateBy, overlay, select, type CostMatrix } from './cost.js';
export { assign, solveSquare, type Assignment } from './assignment.js';
export {
  initiate,
  predict,
  project,
  update as kalmanUpdate,
  mahalanobisSq,
  DEFAULT_KALMAN,
  CHI2_4DOF_95,
  CHI2_4DOF_99,
  type Gaussian,
  type KalmanParams,
  type Cxcywh,
} from './kalman.js';
export { iou, xyxyToCxcywh, cxcywhToXyxy, boxAt, type Xyxy } from './geometry.js';
export { thresholdsFromScores, weightedQuantile, DEFAULT_QUANTILE_RULE, type QuantileRule, type ScoreThresholds } from './thresholds.js';
export { plausibility, plausibilityRatio, type PlausibilityOptions, type LastObservation, type ToFloor } from './plausibility.js';
