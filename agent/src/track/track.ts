/**
 * One track's state, owned by the tracker (the Kalman functions hold none). Mutable on purpose:
 * the tracker is the only writer, and it replaces the Gaussian wholesale on each step.
 */
import type { Gaussian } from './kalman.js';
import type { Xyxy } from './geometry.js';

export type TrackStatus = 'tentative' | 'confirmed';

export interface TrackState {
  readonly id: number;
  status: TrackStatus;
  /** Kalman state at `stateTimeSec`. */
  gaussian: Gaussian;
  /**
   * The state covariance under the association gate's manoeuvre noise (kalman.ts gateParams), at
   * `stateTimeSec`: the Mahalanobis gate uses it about `gaussian`'s mean.
   */
  gateCovariance: Float64Array;
  stateTimeSec: number;
  /** Matches so far (first detection included). */
  hits: number;
  firstSeenSec: number;
  lastSeenSec: number;
  /** Score of the last matched detection. */
  score: number;
  /** Last matched detection box, source pixels (the last observation, at lastSeenSec). */
  lastBox: Xyxy;
  /** The observation before the last one (null until a second match): the observed velocity. */
  prevBox: Xyxy | null;
  prevSeenSec: number;
  /** Kalman state just after the last match: where observation-centric re-update starts. */
  observedGaussian: Gaussian;
  /** Video times of the updates missed since the last match (for the re-update's virtual path). */
  missedSec: number[];
  /** Index of the last matched detection in its update's input. */
  lastDetectionIndex: number;
  /** EMA of L2-normalised embeddings, or null before the first one. */
  embedding: Float32Array | null;
  embeddingTimeSec: number;
  /** `hits` when the embedding last took a crop (tracker.embedding_ema_per_observation counts the matches since). */
  embeddingHits: number;
  /** Crops taken into the embedding so far (tracker.embedding_first_crops). */
  embeddingCrops: number;
  /** The embedding holds at least one whole crop (tracker.embedding_whole_crops: not cut by the picture edge, not overlapped). */
  embeddingWhole: boolean;
}

/** What the tracker reports per update, for each confirmed track that is still alive. */
export interface TrackOutput {
  readonly id: number;
  /** [x1, y1, x2, y2] source pixels: filtered state when matched, prediction when coasting. */
  readonly box: Xyxy;
  /** Score of the matched detection, or of the last one when coasting. */
  readonly score: number;
  /** True when a detection was matched to this track in this update. */
  readonly matched: boolean;
  /** Index of the matched detection in this update's input, -1 when coasting. */
  readonly detectionIndex: number;
  /** Video seconds since this track was born. */
  readonly ageSec: number;
  /** The track's appearance (EMA of L2-normalised embeddings, itself L2-normalised); only when appearance is on and one was computed. */
  readonly embedding?: Float32Array;
}
