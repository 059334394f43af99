import { z } from 'zod';

export const trackerSection = z
  .strictObject({
    appearance: z.boolean().default(true).describe('Use OSNet ReID embeddings fused with motion; false = motion-only tracker.'),
    reid_model: z.string().default('osnet_x0_25_msmt17').describe('ReID model name from models/manifest.json.'),
    high_threshold: z.number().min(0).max(1).default(0.6).describe('Detections at or above this score enter the first association pass (ByteTrack\'s track_thresh).'),
    low_threshold: z.number().min(0).max(1).default(0.1).describe('Detections between low and high enter the second (ByteTrack) pass only.'),
    new_track_threshold: z.number().min(0).max(1).default(0.7).describe('Unmatched detections at or above this score start a new track (ByteTrack: high_threshold + 0.1).'),
    min_hits: z.int().min(1).max(100).default(2).describe('Matches before a tentative track is confirmed (reported).'),
    max_age_s: z.number().positive().max(3600).default(4).describe('A track unmatched for this long (video seconds) stops being matched by motion; a confirmed one then waits for re-identification until reid_window_s.'),
    reid_window_s: z.number().min(0).max(3600).default(30).describe('Lost tracks may be re-identified by appearance within this window (video seconds).'),
    appearance_weight: z.number().min(0).max(1).default(0.5).describe('Weight of appearance cost against motion cost.'),
    max_cosine_distance: z.number().min(0).max(2).default(0.4).describe('Appearance gate: pairs further apart are never matched by appearance.'),
    embedding_ema: z.number().min(0).max(1).default(0.9).describe('EMA momentum of each track\'s appearance embedding.'),
    match_max_cost: z.number().min(0).max(1).default(0.8).describe('Max motion (or fused motion+appearance) cost of a match in the high-score and tentative passes; motion cost is min(1 - IoU, Mahalanobis / gate).'),
    low_match_max_cost: z.number().min(0).max(1).default(0.5).describe('Max motion cost of a match in the low-score (second) pass.'),
    embedding_refresh_s: z.number().min(0).max(3600).default(5).describe('A track\'s embedding is refreshed from an unambiguous match at most this often (video seconds); embeddings are otherwise computed only where they can change a decision.'),
  })
  .superRefine(lowNotAboveHigh)
  .describe('Multi-object tracker (StrongSORT class).');

/** Cross-field check: the low-score band must sit below the high-score one. */
function lowNotAboveHigh(t: { low_threshold: number; high_threshold: number }, ctx: z.RefinementCtx): void {
  if (t.low_threshold > t.high_threshold) {
    ctx.addIssue({
      code: 'custom',
      path: ['low_threshold'],
      message: `low_threshold (${t.low_threshold}) must not exceed high_threshold (${t.high_threshold})`,
    });
  }
}
