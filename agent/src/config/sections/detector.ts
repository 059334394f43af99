import { z } from 'zod';
import { DETECTOR_DEFAULTS } from '../../detect/defaults.js';
import { INPUT_MAX, INPUT_MIN, INPUT_MULTIPLE, parseSize, sizeProblem } from '../../models/derive.js';
import { PRECISION_SETTINGS } from '../../models/precision.js';
import { REGION_DEFAULTS } from '../../pipeline/region-detect.js';

export const EXECUTION_PROVIDERS = ['cpu', 'cuda', 'tensorrt', 'webgpu'] as const;

const R = REGION_DEFAULTS;

/** Region detection (pipeline/region-detect.ts): where on the frame the detector looks. */
export const regionsSection = z
  .strictObject({
    mode: z
      .enum(['full', 'motion', 'tiles'])
      .default(R.mode)
      .describe(
        'full: the whole frame letterboxed into the model (default). motion: only square regions around what moved since the last detection, cropped from the full-resolution frame (people elsewhere are carried), with a full-frame pass every full_frame_s. tiles: a fixed grid of crops on every inferred frame, for wide cameras with small people. Every crop is one detector run.',
      ),
    tile_cols: z.int().min(1).max(4).default(R.tileCols).describe('tiles: columns of the tile grid.'),
    tile_rows: z.int().min(1).max(4).default(R.tileRows).describe('tiles: rows of the tile grid.'),
    tile_overlap: z.number().min(0).max(0.5).default(R.tileOverlap).describe("tiles: neighbouring tiles overlap by this fraction of a tile's side."),
    tiles_full_frame: z.boolean().default(R.tilesFullFrame).describe('tiles: also run a full-frame pass on each inferred frame (people taller than a tile).'),
    full_frame_s: z.number().min(1).max(600).default(R.fullFrameSec).describe('motion: run a full-frame pass at least this often, seconds of video.'),
    max_regions: z.int().min(1).max(8).default(R.maxRegions).describe('motion: more regions than this on a frame: one full-frame pass instead.'),
    max_cover: z
      .number()
      .min(0.05)
      .max(1)
      .default(R.maxCover)
      .describe('motion: regions covering more than this fraction of the frame: one full-frame pass instead.'),
    pad: z.number().min(0).max(2).default(R.pad).describe('motion: margin around the moving blocks, as a fraction of their larger side.'),
  })
  .describe('Where on the frame the detector looks: the whole frame, motion regions, or tiles.');

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
    input: z
      .string()
      .default(DETECTOR_DEFAULTS.input)
      .refine((v) => v === 'auto' || v === 'native' || (parseSize(v) !== undefined && sizeProblem(parseSize(v)!) === undefined), {
        message: `auto, native, or WxH with W and H multiples of ${INPUT_MULTIPLE} in ${INPUT_MIN}..${INPUT_MAX}`,
      })
      .describe(
        `Model input size. auto (default): fitted to 16:9 pictures (YOLOv8n 640x384 instead of 640x640: the letterbox padding is not computed, people are as large as before) when the model's graph can be derived for it, else native; a camera taller than 16:9 is shrunk into it (doctor warns, setup writes a WxH). native: the manifest's size. WxH (multiples of ${INPUT_MULTIPLE}, ${INPUT_MIN}..${INPUT_MAX}, e.g. 640x480 for 4:3 cameras): that size. A derived model is made once from the manifest file and cached beside the database. doctor and /status say which input runs.`,
      ),
    precision: z
      .enum(PRECISION_SETTINGS)
      .default(DETECTOR_DEFAULTS.precision)
      .describe(
        "Numeric precision of the detector. fp32: the model file as shipped. int8: a static int8 model (QLinearConv on the CPU's VNNI int8 kernels; mixed precision where the table keeps ops float) derived at start-up from that same file with the calibration table committed in models/calibration/<model>.int8.json, cached beside the other derived models; refused, naming the model, when the model has no table or the table was made on another file. auto (default): int8 where it was measured to pay (the cpu provider first, an x86 CPU with AVX512-VNNI or AVX-VNNI, a model with a calibrated int8 variant), else fp32. doctor and /status say which runs, and for auto why.",
      ),
    sessions: z
      .int()
      .min(1)
      .max(4)
      .default(DETECTOR_DEFAULTS.sessions)
      .describe(
        'Detector sessions behind the one frame queue, each with `threads` intra-op threads, and as many ReID sessions (tracker.appearance), each batch to the one with the fewest in flight: 2 sessions x 1 thread keep both cores of a 2-core box busy through the serial parts of a run that 1 x 2 threads leaves idle (several cameras only). Measured with 4 archive cameras (npm run bench:store): 8.7 against 7.3-8.7 camera-hours per wall-hour on the street substream and 18.8-19.0 against 16.7-17.2 on the checkout loop, but peak Pss 543-551 MB against 446-460 on the street loop (each detector session holds its own model and arena), over the 500 MB a 4-camera box is given, so the default stays 1.',
      ),
    max_queue: z
      .int()
      .min(1)
      .max(256)
      .default(DETECTOR_DEFAULTS.max_queue)
      .describe('Frames waiting for the shared detector before live sources drop (and count) frames.'),
    regions: regionsSection.prefault({}),
  })
  .describe('Person detector (YOLOv8 family on onnxruntime-node).');
