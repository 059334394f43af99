import { z } from 'zod';
import { validate as validateCron } from 'node-cron';

const cron = (dflt: string, what: string) =>
  z
    .string()
    .refine(validateCron, { message: 'not a cron expression (e.g. "30 2 * * *")' })
    .default(dflt)
    .describe(`${what} (node-cron syntax, local time of the box).`);

/**
 * The long-running agent (`floorsense run`): when its jobs run, how it watches live cameras, and
 * how archive folders (a camera whose url is a folder of MP4 exports) are picked up.
 */
export const agentSection = z
  .strictObject({
    archive_cron: cron('30 2 * * *', 'When archive folders are scanned and new exports processed; nightly by default, and once at start'),
    archive_on_start: z.boolean().default(true).describe('Also scan archive folders once when the agent starts.'),
    archive_extensions: z
      .array(z.string().regex(/^\.[A-Za-z0-9]+$/, 'an extension with its dot, e.g. ".mp4"'))
      .min(1)
      .default(['.mp4'])
      .describe('File extensions (case-insensitive) taken from archive folders; other files are ignored.'),
    archive_min_age_s: z
      .int()
      .min(0)
      .max(86_400)
      .default(60)
      .describe('A file modified less than this many seconds ago is left for the next scan (the NVR may still be writing it).'),
    archive_parallel: z
      .int()
      .min(1)
      .max(64)
      .default(4)
      .describe(
        'Archive cameras processed side by side (each its own ffmpeg decoder and tracker, one shared detector): while one camera decodes and tracks, the detector works on another. Each adds a decoder process (~50-150 MB for 1080p).',
      ),
    kpi_cron: cron('45 23 * * *', 'When the daily KPI roll-up runs (after the store closes)'),
    watchdog_s: z.number().min(1).max(3600).default(30).describe('A live camera that delivers no frame for this many seconds is restarted.'),
    reconnect_min_s: z.number().min(0.1).max(3600).default(2).describe('First reconnect delay of a failed live camera (exponential, jittered).'),
    reconnect_max_s: z.number().min(0.1).max(86_400).default(120).describe('Cap on the reconnect delay.'),
    flush_frames: z.int().min(1).max(10_000).default(25).describe('Sampled frames of results buffered per camera before one SQLite transaction writes them.'),
    log_level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info').describe('Least severe level of the JSON-line log on stdout.'),
  })
  .refine((a) => a.reconnect_min_s <= a.reconnect_max_s, { message: 'reconnect_min_s must not exceed reconnect_max_s', path: ['reconnect_min_s'] })
  .describe('The long-running agent: job schedules, live-camera watchdog and reconnects, archive folders.');

export type AgentConfig = z.infer<typeof agentSection>;
