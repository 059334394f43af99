import { z } from 'zod';

/** How frames are sampled from a source. Either a stride (every Nth frame) or a target fps. */
export const samplingSection = z
  .strictObject({
    stride: z.int().min(1).max(1000).optional().describe('Process every Nth decoded frame. The design uses 20-30 at 25 fps.'),
    fps: z.number().positive().max(60).optional().describe('Target sampled frames per second (alternative to stride).'),
    keyframes: z
      .enum(['auto', 'always', 'never'])
      .default('auto')
      .describe('Decode keyframes only: auto = when the GOP is no longer than the sampling interval.'),
  })
  .refine((s) => !(s.stride !== undefined && s.fps !== undefined), { message: 'give stride or fps, not both' })
  .describe('Frame sampling; defaults to stride 25.');

export const DEFAULT_SAMPLING = { stride: 25, keyframes: 'auto' } as const;
