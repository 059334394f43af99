/**
 * Health monitoring: per-camera state (pure state machine over frames and instants), box health
 * (systeminformation, null-safe, time-bounded) and drift of detection statistics (pure).
 */
export { imageSignature, changedBlockFraction, pictureRect, type ImageSignature, type Rect } from './image-checks.js';
export {
  newCameraHealth,
  onFrame,
  onSourceLost,
  onTick,
  assessCamera,
  cameraCoverage,
  DEFAULT_CAMERA_THRESHOLDS,
  STATE_SEVERITY,
  type CameraHealth,
  type CameraState,
  type LinkState,
  type CameraThresholds,
  type CameraAssessment,
  type Problem,
  type DowntimeInterval,
  type FrameObservation,
  type ShopHours,
} from './camera-state.js';
export { deliveredFps, type DeliveredFrame } from './frame-rate.js';
export { openingIntervalAt, openingIntervalOn, isoWeekday, type OpeningHours } from './opening-hours.js';
export { readBoxHealth, SYSTEM_PROBES, type BoxProbes, type BoxHealthOptions } from './box.js';
export { boxWarnings, DEFAULT_BOX_THRESHOLDS, type BoxHealth, type GpuHealth, type BoxThresholds } from './box-health.js';
export {
  addConfidences,
  histogramQuantile,
  summarizeDay,
  checkDrift,
  median,
  EMPTY_HISTOGRAM,
  CONFIDENCE_BINS,
  DRIFT_METRICS,
  DEFAULT_DRIFT_THRESHOLDS,
  type ConfidenceHistogram,
  type DailySummary,
  type DriftMetric,
  type DriftThresholds,
  type DriftWarning,
} from './drift.js';
export { openingHoursCoverage } from './coverage.js';
