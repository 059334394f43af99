import { z } from 'zod';
import { isHhMm } from '../../core/local-time.js';
import { DEFAULT_CAMERA_THRESHOLDS } from '../../health/camera-state.js';
import { DEFAULT_DRIFT_THRESHOLDS } from '../../health/drift.js';
import { DEFAULT_BOX_THRESHOLDS } from '../../health/box-health.js';

/**
 * Health monitoring: when the shop is open (a camera that sees nobody only matters then), when a
 * camera counts as reconnecting, down, frozen, black or blank, drift sensitivity and box floors.
 * Defaults live beside the code that uses them (health/*.ts) so tests and config agree.
 */
const hhmm = z.string().refine(isHhMm, { message: 'expected HH:MM (24-hour)' });
const C = DEFAULT_CAMERA_THRESHOLDS;
const D = DEFAULT_DRIFT_THRESHOLDS;
const B = DEFAULT_BOX_THRESHOLDS;

const openingHours = z
  .strictObject({
    open: hhmm.default('10:00').describe('Opening time, store time.'),
    close: hhmm.default('21:00').describe('Closing time, store time, same day.'),
    days: z.array(z.int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5, 6, 7]).describe('ISO weekdays the shop opens: 1 = Monday ... 7 = Sunday.'),
  })
  .refine(
    function closeAfterOpen(h) {
      return h.close > h.open;
    },
    { message: 'close must be after open on the same day', path: ['close'] },
  )
  .describe('Opening hours of the shop.');

const camera = z
  .strictObject({
    stale_after_s: z.number().positive().max(3600).default(C.stale_after_s).describe('No frame for this long (seconds) while up: stalled.'),
    down_after_s: z.number().positive().max(86_400).default(C.down_after_s).describe('Reconnecting for this long (seconds): down.'),
    frozen_after_s: z.number().positive().max(86_400).default(C.frozen_after_s).describe('Picture unchanged for this long (video seconds): frozen.'),
    frozen_changed_blocks_max: z
      .number()
      .min(0)
      .max(0.5)
      .default(C.frozen_changed_blocks_max)
      .describe('Fraction of image blocks allowed to change between "unchanged" frames (room for a burnt-in clock).'),
    black_mean_max: z.number().min(0).max(255).default(C.black_mean_max).describe('Mean luma (0-255) at or below this is a black image.'),
    blank_std_max: z.number().min(0).max(128).default(C.blank_std_max).describe('Luma standard deviation at or below this is a blank image.'),
    image_problem_after_s: z
      .number()
      .min(0)
      .max(3600)
      .default(C.image_problem_after_s)
      .describe('Black or blank for this long (seconds) before it is reported.'),
    no_person_after_s: z
      .number()
      .positive()
      .max(7 * 86_400)
      .default(C.no_person_after_s)
      .describe('No person for this long (seconds) in opening hours: pointing at nothing.'),
    history_s: z
      .number()
      .positive()
      .max(366 * 86_400)
      .default(C.history_s)
      .describe('Downtime history kept in memory (seconds).'),
  })
  .describe('When a camera is reconnecting, down, frozen, black, blank or pointing at nothing.');

const drift = z
  .strictObject({
    baseline_days: z.int().min(2).max(90).default(D.baseline_days).describe('Previous days forming the baseline.'),
    min_baseline_days: z.int().min(2).max(90).default(D.min_baseline_days).describe('Fewer usable baseline days: no judgement yet.'),
    z_threshold: z.number().positive().max(100).default(D.z_threshold).describe('Robust z-score (median/MAD) that counts as a marked shift.'),
    min_detections: z.int().min(0).default(D.min_detections).describe('Confidence of a day with fewer detections is not judged.'),
    confidence_min_scale: z.number().positive().max(1).default(D.confidence_min_scale).describe('Smallest spread assumed for confidence.'),
    people_min_relative_scale: z
      .number()
      .positive()
      .max(10)
      .default(D.people_min_relative_scale)
      .describe('Smallest spread assumed for people per hour, as a fraction of its median.'),
  })
  .refine((d) => d.min_baseline_days <= d.baseline_days, { message: 'min_baseline_days must not exceed baseline_days', path: ['min_baseline_days'] })
  .describe('Drift of detection confidence and people per hour against a rolling baseline.');

const box = z
  .strictObject({
    probe_timeout_ms: z.int().min(50).max(60_000).default(3000).describe('Longest wait for one systeminformation probe (ms).'),
    disk_free_min_mb: z.int().min(0).default(B.disk_free_min_mb).describe('Warn below this free space (MiB) where the data lives.'),
    memory_used_max_percent: z.number().min(1).max(100).default(B.memory_used_max_percent).describe('Warn above this memory use (%).'),
    temperature_max_c: z.number().min(30).max(150).default(B.temperature_max_c).describe('Warn above this CPU/GPU temperature (°C), where reported.'),
  })
  .describe('Box health thresholds.');

export const healthSection = z
  .strictObject({
    opening_hours: openingHours.default(openingHours.parse({})),
    camera: camera.default(camera.parse({})),
    drift: drift.default(drift.parse({})),
    box: box.default(box.parse({})),
  })
  .describe('Camera, box and drift health monitoring.');
