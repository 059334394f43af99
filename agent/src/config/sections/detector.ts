import { z } from 'zod';

export const EXECUTION_PROVIDERS = ['cpu', 'cuda', 'tensorrt', 'webgpu'] as const;

export const detectorSection = z
  .strictObject({
    model: z.string().min(1).default('yolov8n_fp32').describe('Model name from models/manifest.json, or a path to an .onnx file.'),
    models_dir: z.string().optional().describe('Folder holding model files; default ../shared/data/models next to the install, or FLOORSENSE_MODELS.'),
    providers: z
      .array(z.enum(EXECUTION_PROVIDERS))
      .min(1)
      .default(['cpu'])
      .describe('Execution providers in order of preference; unavailable ones fall back to cpu with a warning.'),
    threads: z.int().min(0).max(64).default(0).describe('Intra-op threads for the CPU provider; 0 = onnxruntime default (all cores).'),
    conf_threshold: z.number().min(0).max(1).default(0.25).describe('Minimum class score kept.'),
    iou_threshold: z.number().min(0).max(1).default(0.45).describe('IoU above which NMS suppresses the lower-score box.'),
    classes: z.array(z.string()).min(1).default(['person']).describe('Class names to keep (from the model manifest).'),
    max_queue: z.int().min(1).max(256).default(8).describe('Frames waiting for the shared detector before sources drop (and count) frames.'),
  })
  .describe('Person detector (YOLOv8 family on onnxruntime-node).');
