/**
 * MOT evaluation: CLEAR MOT + identity metrics as py-motmetrics computes them, HOTA as TrackEval
 * does. Start with `evaluateMot(gtRows, predRows, { stride })` (rows from io/mot.ts).
 */
export {
  evaluateMot,
  evaluateMotSequences,
  evaluateFrames,
  countMot,
  combineMotCounts,
  summariseMot,
  pickSummary,
  MOT_SUMMARY_KEYS,
  type MotMetrics,
  type MotSummary,
  type MotSummaryKey,
  type MotEvalOptions,
  type MotCounts,
  type MotSequenceInput,
  type MotSequenceResult,
  type MotSequencesResult,
} from './metrics.js';
export { boxIou, framesFromRows, strideRows, type EvalFrame } from './frames.js';
export { HOTA_ALPHAS } from './hota.js';
export { solveAssignment, solveAssignmentWithForbidden, matrix, matrixFrom, type Matrix, type Assignment } from './assignment.js';
export { measureDetectionProfile, synthesizeDetections, type DetectionProfile, type BoxError } from './synth-det.js';
export { trackJumps, type TrackJump } from './jumps.js';
export { noiseRates, type NoiseRates, type NoiseRateOptions } from './noise-rates.js';
