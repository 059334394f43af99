import { z } from 'zod';
import { DETECTOR_DEFAULTS } from '../../detect/defaults.js';

export const EXECUTION_PROVIDERS = ['cpu', 'cuda', 'tensorrt', 'webgpu'] as const;

/** Defaults come from DETECTOR_DEFAULTS (one object, shared with Detector.create). */
export const detectorSection = z
  .strictObject({
    model: z
      .string()
      .min(1)
      .default(DETECTOR_DEFAULTS.model)
      .describe('Model name from models/manifest.json, or a path to an .onnx file (loaded without a checksum, with a warning).'),
    models_dir: z
      .string()
      .optional()
      .describe(
        'Folder holding model files; default FLOORSENSE_MODELS, else ../shared/data/models beside the install. Files are checked against their sha256 in the manifest.',
      ),
    providers: z
      .array(z.enum(EXECUTION_PROVIDERS))
      .min(1)
      .default([...DETECTOR_DEFAULTS.providers])
      .describe(
        'Execution providers in order of preference; unavailable ones fall back to cpu with a warning. webgpu runs yolov8n_fp32 on an NVIDIA GPU through Vulkan.',
      ),
    threads: z
      .int()
      .min(0)
      .max(64)
      .default(DETECTOR_DEFAULTS.threads)
      .describe('Intra-op threads for the CPU provider; 0 = onnxruntime default (one per physical core).'),
    spinning: z
      .boolean()
      .default(DETECTOR_DEFAULTS.spinning)
      .describe('Let idle onnxruntime threads spin-wait. Off by default: the same cores decode video, and spinning threads steal their time.'),
    conf_threshold: z.number().min(0).max(1).default(DETECTOR_DEFAULTS.conf_threshold).describe('Minimum class score kept.'),
    iou_threshold: z
      .number()
      .min(0)
      .max(1)
      .default(DETECTOR_DEFAULTS.iou_threshold)
      .describe('IoU above which NMS suppresses the lower-score box of the same class.'),
    classes: z
      .array(z.string())
      .min(1)
      .default([...DETECTOR_DEFAULTS.classes])
      .describe('Class names to keep (from the model manifest).'),
    max_detections: z.int().min(1).max(10000).default(DETECTOR_DEFAULTS.max_detections).describe('Boxes kept per frame after NMS, best first.'),
    max_queue: z
      .int()
      .min(1)
      .max(256)
      .default(DETECTOR_DEFAULTS.max_queue)
      .describe('Frames waiting for the shared detector before live sources drop (and count) frames.'),
  })
  .describe('Person detector (YOLOv8 family on onnxruntime-node).');
