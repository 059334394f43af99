import { z } from 'zod';
import { HW_DECODERS } from '../../ingest/hwdecode.js';
import { DECODE_DEFAULTS } from '../../ingest/plan.js';
import { ADAPTIVE_DEFAULTS } from '../../pipeline/adaptive.js';

/** How frames are sampled from a source. Either a stride (every Nth frame) or a target fps. */
export const samplingSection = z
  .strictObject({
    stride: z.int().min(1).max(1000).optional().describe('Process every Nth decoded frame. The design uses 20-30 at 25 fps.'),
    fps: z.number().positive().max(60).optional().describe('Target sampled frames per second (alternative to stride).'),
    keyframes: z
      .enum(['auto', 'always', 'never'])
      .default('auto')
      .describe('Decode keyframes only: auto = when the GOP is no longer than the sampling interval.'),
    decode_threads: z
      .int()
      .min(0)
      .max(16)
      .default(DECODE_DEFAULTS.threads)
      .describe("ffmpeg decoder threads per camera; 0 = ffmpeg's choice (one per core, plus one). Cameras decoding side by side on a small box can set 1."),
    skip_loop_filter: z
      .boolean()
      .default(DECODE_DEFAULTS.skipLoopFilter)
      .describe(
        'In keyframe-only decoding, skip the H.264/HEVC deblocking filter (cheaper decode; intra frames do not propagate the difference). Ignored when all frames are decoded.',
      ),
    hw_decode: z
      .enum(['none', 'auto', ...HW_DECODERS])
      .default(DECODE_DEFAULTS.hwDecode)
      .describe(
        'Hardware video decoding: none (CPU), auto (first usable of cuda, vaapi, v4l2m2m), or one of them. Checked per source with a one-frame trial decode; the CPU is the fallback, with a warning.',
      ),
    empty_every: z
      .int()
      .min(1)
      .max(10)
      .default(ADAPTIVE_DEFAULTS.emptyEvery)
      .describe(
        'Adaptive sampling: while no one has been tracked for empty_after_s, run the detector on one sampled frame in this many (the others reuse the last, empty, detections); anyone detected restores the full rate. 1 = off.',
      ),
    empty_after_s: z
      .number()
      .min(0)
      .max(3600)
      .default(ADAPTIVE_DEFAULTS.emptyAfterSec)
      .describe('Adaptive sampling: seconds of video without a tracked person before the scene counts as empty.'),
    quiet_every: z
      .int()
      .min(1)
      .max(10)
      .default(ADAPTIVE_DEFAULTS.quietEvery)
      .describe(
        'Adaptive sampling: while every pair of tracked people stands further apart than quiet_radius (nobody new, nobody lost), detect and track one sampled frame in this many; the frames between are skipped outright (people move: stale boxes are not tracked). Anyone coming within the radius, a new or a lost track restores the full rate. Consultations and id switches need two people close together, so the KPIs keep their full rate there. 1 = off.',
      ),
    quiet_radius: z
      .number()
      .min(1)
      .max(30)
      .default(ADAPTIVE_DEFAULTS.quietRadius)
      .describe(
        "Adaptive sampling: the quiet distance in body heights (foot-point distance over the two boxes' mean height: works without a floor homography). It must cover what two people can close before the full rate is back: 1.4 m/s each, (quiet_every + 1) sampling steps, then the 1.5 m consultation distance; 5.8 (about 10 m) is that for quiet_every 2 at 1 fps. Half of it is kept from the picture edges (one walker), so the tracker sees a leaver's last steps at the full rate.",
      ),
  })
  .refine((s) => !(s.stride !== undefined && s.fps !== undefined), { message: 'give stride or fps, not both' })
  .describe('Frame sampling; defaults to stride 25.');

export const DEFAULT_SAMPLING = { stride: 25, keyframes: 'auto' } as const;
