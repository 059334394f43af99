/**
 * The model manifest's shape (models/manifest.json), validated with zod so a hand-edited manifest
 * fails with the key path of the bad entry rather than at inference time.
 */
import { z } from 'zod';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256 (64 characters)');

export const modelInputSchema = z.strictObject({
  name: z.string().min(1).describe('Input tensor name.'),
  layout: z.literal('NCHW'),
  width: z.int().positive().describe('Input width in pixels.'),
  height: z.int().positive().describe('Input height in pixels.'),
  resize: z.enum(['letterbox', 'stretch']).describe('How a source image is fitted: letterbox keeps aspect and pads.'),
  pad_value: z.int().min(0).max(255).optional().describe('Letterbox padding grey level (uint8).'),
  color: z.enum(['RGB', 'BGR']).describe('Channel order the network expects.'),
  divisor: z.number().positive().describe('value = (pixel / divisor - mean) / std; 255 for 0-1 inputs, 1 for 0-255.'),
  mean: z.tuple([z.number(), z.number(), z.number()]),
  std: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]),
});

export const OUTPUT_FORMATS = ['yolov8', 'yolov8_nms', 'yolox', 'embedding'] as const;

export const modelOutputSchema = z.strictObject({
  name: z.string().min(1).describe('Output tensor name.'),
  format: z.enum(OUTPUT_FORMATS).describe('How the output is decoded.'),
  dims: z
    .array(z.union([z.int().positive(), z.string().min(1)]))
    .min(1)
    .describe('Declared shape; strings are symbolic dims.'),
  strides: z.array(z.int().positive()).min(1).optional().describe('Grid strides for anchor-free grid outputs (yolox).'),
  description: z.string().optional(),
});

/** Tracker score thresholds calibrated for one detector, with the rule and data that made them. */
export const trackerThresholdsSchema = z.strictObject({
  high_threshold: z.number().min(0).max(1).describe('First-pass score threshold.'),
  low_threshold: z.number().min(0).max(1).describe('Scores below this are dropped (second-pass floor).'),
  new_track_threshold: z.number().min(0).max(1).describe('Births need at least this score.'),
  rule: z.string().min(1).describe('How the values were derived (quantiles, of which scores), so they can be re-derived.'),
  command: z.string().min(1).describe('The command that reproduces them.'),
});

/**
 * A ReID model's appearance gates (cosine distance) with the rule and data that made them: a distance
 * is only meaningful in the space of the model (and precision) that produced it, as a score is.
 */
export const reidThresholdsSchema = z.strictObject({
  max_cosine_distance: z.number().min(0).max(2).describe('Fused passes: pairs further apart are never matched (tracker.max_cosine_distance).'),
  reid_max_cosine_distance: z
    .number()
    .min(0)
    .max(2)
    .describe('Re-identification by appearance alone accepts only closer pairs (tracker.reid_max_cosine_distance).'),
  rule: z.string().min(1).describe('How the values were derived (which share of which pairs), so they can be re-derived.'),
  command: z.string().min(1).describe('The command that reproduces them.'),
});

export const manifestEntrySchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9_.-]+$/, 'lowercase letters, digits, _ . -'),
  file: z.string().regex(/^[^/\\]+\.onnx$/, 'a bare .onnx file name (no folders)'),
  sha256,
  task: z.enum(['detect', 'reid']),
  description: z.string().optional(),
  input: modelInputSchema,
  output: modelOutputSchema,
  classes: z.array(z.string().min(1)).min(1).optional().describe('Class names by index (detectors).'),
  licence: z.string().min(1),
  source_url: z.url(),
  derived_from: z.string().optional().describe('Name of the manifest entry this file was made from.'),
  tracker_thresholds: trackerThresholdsSchema
    .optional()
    .describe('Per-model tracker score thresholds (detectors): the tracker defaults when the config sets none.'),
  reid_thresholds: reidThresholdsSchema.optional().describe('Per-model appearance gates (ReID models): the tracker defaults when the config sets none.'),
  int8: z
    .strictObject({
      description: z.string().min(1).describe('What the static int8 model derived from this file (models/quantize.ts) costs and keeps, with the commands.'),
      tracker_thresholds: trackerThresholdsSchema
        .optional()
        .describe("A detector's int8 thresholds: the same rule applied to the int8 model's own scores (they shift)."),
      reid_thresholds: reidThresholdsSchema
        .optional()
        .describe("A ReID model's int8 gates: the same rule applied to the int8 model's own distances (its embedding space is another)."),
    })
    .optional()
    .describe('The static int8 variant (detector.precision or tracker.reid_precision: int8), derived with models/calibration/<name>.int8.json.'),
});

export const manifestSchema = z
  .strictObject({
    $comment: z.string().optional(),
    version: z.literal(1),
    models: z.array(manifestEntrySchema).min(1),
  })
  .superRefine((m, ctx) => {
    const seen = new Set<string>();
    m.models.forEach((e, i) => {
      if (seen.has(e.name)) ctx.addIssue({ code: 'custom', path: ['models', i, 'name'], message: `duplicate model name "${e.name}"` });
      seen.add(e.name);
      if (e.task === 'detect' && !e.classes) ctx.addIssue({ code: 'custom', path: ['models', i, 'classes'], message: 'a detector needs its class names' });
      const th = e.tracker_thresholds;
      if (th && !(th.low_threshold <= th.high_threshold && th.high_threshold <= th.new_track_threshold)) {
        ctx.addIssue({
          code: 'custom',
          path: ['models', i, 'tracker_thresholds'],
          message: `need low <= high <= new_track, got ${th.low_threshold}, ${th.high_threshold}, ${th.new_track_threshold}`,
        });
      }
      // The variant's own thresholds for the task: without them the int8 path would fall back on fp32's.
      const own = e.task === 'detect' ? 'tracker_thresholds' : 'reid_thresholds';
      if (e.int8 && !e.int8[own]) ctx.addIssue({ code: 'custom', path: ['models', i, 'int8', own], message: `an int8 ${e.task} variant needs its own ${own}` });
      if (e.output.format === 'yolox' && !e.output.strides)
        ctx.addIssue({ code: 'custom', path: ['models', i, 'output', 'strides'], message: 'a yolox output needs its strides' });
    });
  });

export type ModelManifest = z.infer<typeof manifestSchema>;
export type ManifestEntry = z.infer<typeof manifestEntrySchema>;
export type TrackerThresholds = z.infer<typeof trackerThresholdsSchema>;
export type ReidThresholds = z.infer<typeof reidThresholdsSchema>;
export type ModelInputSpec = z.infer<typeof modelInputSchema>;
export type ModelOutputSpec = z.infer<typeof modelOutputSchema>;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
