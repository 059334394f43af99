import { z } from 'zod';

export const trackerSection = z
  .strictObject({
    appearance: z.boolean().default(true).describe('Use OSNet ReID embeddings fused with motion; false = motion-only tracker.'),
    reid_model: z.string().default('osnet_x0_25_msmt17').describe('ReID model name from models/manifest.json.'),
    high_threshold: z.number().min(0).max(1).default(0.5).describe('Detections at or above this score enter the first association pass.'),
    low_threshold: z.number().min(0).max(1).default(0.1).describe('Detections between low and high enter the second (ByteTrack) pass only.'),
    new_track_threshold: z.number().min(0).max(1).default(0.6).describe('Unmatched detections at or above this score start a new track.'),
    min_hits: z.int().min(1).max(100).default(2).describe('Matches before a tentative track is confirmed (reported).'),
    max_age_s: z.number().positive().max(3600).default(4).describe('A track unmatched for this long (video seconds) is removed.'),
    reid_window_s: z.number().min(0).max(3600).default(30).describe('Lost tracks may be re-identified by appearance within this window (video seconds).'),
    appearance_weight: z.number().min(0).max(1).default(0.5).describe('Weight of appearance cost against motion cost.'),
    max_cosine_distance: z.number().min(0).max(2).default(0.4).describe('Appearance gate: pairs further apart are never matched by appearance.'),
    embedding_ema: z.number().min(0).max(1).default(0.9).describe('EMA momentum of each track\'s appearance embedding.'),
  })
  .describe('Multi-object tracker (StrongSORT class).');
