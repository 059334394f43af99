/**
 * The detector: a verified model file, one onnxruntime session, a reused input buffer, and the pure
 * steps around it (preprocess -> run -> decode -> NMS -> source pixels).
 *
 * Calls are serialised: the session's one lent input buffer is reused, and onnxruntime would only queue concurrent
 * runs of one session anyway. Sharing one detector between sources is DetectorQueue's job.
 * By default the session runs on a worker thread (see DETECTOR_DEFAULTS.worker); preprocessing
 * and decoding (a few ms) stay on the calling thread.
 */
import { MisuseError, FailureError } from '../core/errors.js';
import { filterDetections, unletterbox, type Detections } from '../core/detections.js';
import type { Frame } from '../core/frame.js';
import { anchorCount, deriveModelInput, fittedInput, type InputSize } from '../models/derive.js';
import { defaultModelsDir } from '../models/paths.js';
import { resolveModel, type ResolvedModel } from '../models/resolve.js';
import { openSession, type ModelSession, type ProviderName } from '../runtime/onnx.js';
import { classMask, indexClassNames } from './classes.js';
import { COCO80 } from './coco80.js';
import { decodeYoloNms } from './decode-yolo-nms.js';
import { decodeYoloV8 } from './decode-yolov8.js';
import { decodeYolox } from './decode-yolox.js';
import { outputLayout, type OutputLayout } from './layout.js';
import { nms } from './nms.js';
import { AUTO_INPUT_ASPECT } from './defaults.js';
import { detectorSettings, type DetectorOptions, type DetectorSettings } from './options.js';
import { preprocessInto, RGB_0_1, type InputNormalisation } from './preprocess.js';

export interface DetectorStats {
  readonly frames: number;
  /** Mean milliseconds per frame in each step. */
  readonly preprocessMs: number;
  readonly inferenceMs: number;
  readonly postprocessMs: number;
}

/** The input the detector runs at, and why (for doctor and /status). */
export interface DetectorInput {
  readonly width: number;
  readonly height: number;
  /** native: the manifest's size; fitted: derived for 16:9 pictures (auto); explicit: detector.input WxH. */
  readonly mode: 'native' | 'fitted' | 'explicit';
  /** The model's own input size. */
  readonly native: InputSize | undefined;
  /** The file loaded (the derived file in the cache when not native). */
  readonly path: string;
  /** Why 'auto' stayed native, when it did. */
  readonly fallback?: string;
  /** fp32: the file as shipped; int8: the static int8 model derived from it with its calibration table. */
  readonly precision: 'fp32' | 'int8';
  /** Why that precision (detector.precision auto's choice, models/precision.ts), when auto chose it. */
  readonly precisionWhy?: string;
}

interface ModelGeometry {
  readonly width: number;
  readonly height: number;
  readonly padValue: number;
  readonly norm: InputNormalisation;
  readonly outputName: string;
}

export class Detector {
  readonly settings: Readonly<DetectorSettings>;
  readonly model: ResolvedModel;
  /** Model input size in pixels; frames must arrive letterboxed to it. */
  readonly inputSize: { readonly width: number; readonly height: number };
  readonly classNames: readonly string[];
  readonly layout: OutputLayout;
  readonly input: DetectorInput;

  readonly #session: ModelSession;
  readonly #geometry: ModelGeometry;
  readonly #mask: Uint8Array;
  readonly #now: () => number;
  #tail: Promise<unknown> = Promise.resolve();
  #closed = false;
  #frames = 0;
  #preMs = 0;
  #inferMs = 0;
  #postMs = 0;

  private constructor(init: {
    settings: Readonly<DetectorSettings>;
    model: ResolvedModel;
    session: ModelSession;
    geometry: ModelGeometry;
    layout: OutputLayout;
    classNames: readonly string[];
    mask: Uint8Array;
    choice: DetectorInput;
    now: () => number;
  }) {
    this.input = Object.freeze({ ...init.choice, width: init.geometry.width, height: init.geometry.height });
    this.settings = init.settings;
    this.model = init.model;
    this.#session = init.session;
    this.#geometry = init.geometry;
    this.layout = init.layout;
    this.classNames = init.classNames;
    this.#mask = init.mask;
    this.#now = init.now;
    this.inputSize = Object.freeze({ width: init.geometry.width, height: init.geometry.height });
  }

  /** Resolve and verify the model, open a session (with provider fallback), check its layout with one warm-up run. */
  static async create(opts: DetectorOptions = {}): Promise<Detector> {
    const settings = detectorSettings(opts);
    const warn = opts.warn ?? ((m: string) => console.warn(m));
    const now = opts.now ?? (() => performance.now());
    const model = await resolveModel(settings.model, settings.modelsDir ?? defaultModelsDir(), {
      warn,
      ...(opts.manifest ? { manifest: opts.manifest } : {}),
    });
    if (model.entry && model.entry.task !== 'detect') {
      throw new MisuseError('FS_BAD_ARGUMENT', `model "${model.name}" is a ${model.entry.task} model, not a detector`, { model: model.name });
    }
    const choice = await chooseInput(model, settings, warn);
    const session = await openSession(choice.path, {
      providers: settings.providers,
      threads: settings.threads,
      spinning: settings.spinning,
      worker: settings.worker,
      warn,
    });
    try {
      const geometry = geometryOf(model, session, choice);
      const input = session.inputBuffer(3 * geometry.width * geometry.height);
      // Warm-up on a blank (padding-grey) frame: the first run pays for allocations and kernel
      // selection (and shader compilation on WebGPU: 0.75 s vs 7.5 ms, ../shared/GPU.md), and its
      // output dims tell the layout before any real frame arrives.
      const blank = new Uint8Array(geometry.width * geometry.height * 3).fill(geometry.padValue);
      preprocessInto(blank, geometry.width, geometry.height, input, geometry.norm);
      const out = await session.run(input, [1, 3, geometry.height, geometry.width]);
      const tensor = out[geometry.outputName];
      if (!tensor) throw new FailureError('FS_MODEL_UNSUPPORTED', `model ${model.path} produced no output "${geometry.outputName}"`);
      const layout = outputLayout(
        tensor.dims,
        {
          declared: model.entry?.output.format,
          numClasses: model.entry?.classes?.length,
          inputWidth: geometry.width,
          inputHeight: geometry.height,
          strides: model.entry?.output.strides,
        },
        `output "${geometry.outputName}" of ${model.path}`,
      );
      if (choice.mode !== 'native' && layout.format === 'yolov8' && layout.anchors !== anchorCount(geometry)) {
        throw new FailureError(
          'FS_MODEL_UNSUPPORTED',
          `model "${model.name}" derived for ${geometry.width}x${geometry.height} gives ${layout.anchors} anchors, expected ${anchorCount(geometry)}`,
          { model: model.name },
        );
      }
      const classNames = Object.freeze([...(model.entry?.classes ?? defaultClassNames(layout))]);
      const mask = classMask(classNames, settings.classes);
      return new Detector({ settings, model, session, geometry, layout, classNames, mask, choice, now });
    } catch (e) {
      await session.release();
      throw e;
    }
  }

  /** Execution provider actually in use (after any fallback). */
  get provider(): ProviderName {
    return this.#session.provider;
  }

  /** Person (or configured class) boxes in SOURCE pixels, best score first. */
  detect(frame: Frame): Promise<Detections> {
    if (this.#closed) return Promise.reject(new MisuseError('FS_BAD_ARGUMENT', 'detector: detect() called after close()'));
    const run = this.#tail.then(() => this.#detectOne(frame));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  stats(): DetectorStats {
    const n = Math.max(1, this.#frames);
    return { frames: this.#frames, preprocessMs: this.#preMs / n, inferenceMs: this.#inferMs / n, postprocessMs: this.#postMs / n };
  }

  /** Finish queued calls, then free the session. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#tail;
    await this.#session.release();
  }

  async #detectOne(frame: Frame): Promise<Detections> {
    const { width, height, norm, outputName } = this.#geometry;
    if (frame.width !== width || frame.height !== height) {
      throw new MisuseError(
        'FS_BAD_ARGUMENT',
        `detector: frame ${frame.index} of ${frame.sourceId} is ${frame.width}x${frame.height}, the model needs ${width}x${height} (letterbox it at ingest)`,
        { sourceId: frame.sourceId, index: frame.index },
      );
    }
    const t0 = this.#now();
    // Lent by the session as shared memory its worker reads, not copied per message (runtime/shared-slots.ts); calls are
    // serialised, so the one buffer is back in the pool before the next frame asks for it.
    const input = preprocessInto(frame.data, width, height, this.#session.inputBuffer(3 * width * height), norm);
    const t1 = this.#now();
    const out = await this.#session.run(input, [1, 3, height, width]);
    const t2 = this.#now();
    const tensor = out[outputName];
    if (!tensor) throw new FailureError('FS_MODEL_UNSUPPORTED', `model ${this.model.path} produced no output "${outputName}"`);
    const boxes = this.#decode(tensor.data, tensor.dims);
    const result = dropEmpty(unletterbox(boxes, frame.letterbox));
    const t3 = this.#now();
    this.#frames++;
    this.#preMs += t1 - t0;
    this.#inferMs += t2 - t1;
    this.#postMs += t3 - t2;
    return result;
  }

  /** Output tensor to boxes in input pixels, after NMS. */
  #decode(data: Float32Array, dims: readonly number[]): Detections {
    const s = this.settings;
    const opts = { confThreshold: s.conf_threshold, classMask: this.#mask };
    const keep = { classAware: true, maxDetections: s.max_detections };
    switch (this.layout.format) {
      case 'yolov8':
        return nms(decodeYoloV8(data, dims, opts), s.iou_threshold, keep);
      case 'yolov8_nms':
        return nms(decodeYoloNms(data, dims, opts), 1, keep); // NMS done in the graph: only sort and cap
      case 'yolox': {
        const g = { inputWidth: this.#geometry.width, inputHeight: this.#geometry.height, strides: this.layout.strides };
        return nms(decodeYolox(data, dims, g, opts), s.iou_threshold, keep);
      }
    }
  }
}

/** A box that lay wholly in the letterbox padding is clipped to zero width or height: not a detection. */
function dropEmpty(d: Detections): Detections {
  const keep = Array.from({ length: d.length }, (_, i) => d.xyxy[i * 4 + 2]! > d.xyxy[i * 4]! && d.xyxy[i * 4 + 3]! > d.xyxy[i * 4 + 1]!);
  return keep.every(Boolean) ? d : filterDetections(d, keep);
}

function defaultClassNames(layout: OutputLayout): readonly string[] {
  if (layout.format === 'yolov8_nms') return COCO80; // class count unknown from the dims; YOLO exports are COCO-80 unless in the manifest
  return layout.numClasses === 80 ? COCO80 : indexClassNames(layout.numClasses);
}

/**
 * The input size for detector.input: auto fits it to 16:9 when the graph allows (else native, with
 * a warning that says why), WxH derives exactly that size or fails, native keeps the manifest's.
 */
async function chooseInput(model: ResolvedModel, settings: Readonly<DetectorSettings>, warn: (m: string) => void): Promise<DetectorInput> {
  const entry = model.entry;
  const native = entry ? { width: entry.input.width, height: entry.input.height } : undefined;
  const precision = settings.precision;
  const why = settings.precisionWhy.startsWith('auto') ? { precisionWhy: settings.precisionWhy } : {};
  const cacheDir = settings.cacheDir;
  const derive = (size: InputSize) => deriveModelInput(model, size, { ...(cacheDir ? { cacheDir } : {}), precision });
  const asNative = async (fallback?: string): Promise<DetectorInput> => ({
    ...(native ?? { width: 0, height: 0 }),
    mode: 'native',
    native,
    // int8 at the native size is a derived file too; its errors (no table, a table for another file) are not fallbacks.
    path: native && precision === 'int8' ? (await derive(native)).path : model.path,
    ...(fallback ? { fallback } : {}),
    precision,
    ...why,
  });
  const want = settings.input;
  if (!native && precision === 'int8') {
    throw new MisuseError('FS_BAD_ARGUMENT', `detector.precision int8: model ${model.path} is not in the manifest, it has no calibration table`);
  }
  if (want === 'native') return asNative();
  if (!native) {
    if (want === 'auto') return asNative('the model is not in the manifest');
    throw new MisuseError(
      'FS_BAD_ARGUMENT',
      `detector.input ${want.width}x${want.height}: model ${model.path} is not in the manifest, only its native input can be used`,
    );
  }
  const size = want === 'auto' ? fittedInput(native, AUTO_INPUT_ASPECT) : want;
  if (size.width === native.width && size.height === native.height) return asNative();
  try {
    const d = await derive(size);
    return { ...d.input, mode: want === 'auto' ? 'fitted' : 'explicit', native, path: d.path, precision, ...why };
  } catch (e) {
    // Only the size may fall back: an int8 table that does not fit is refused whatever the input.
    if (want !== 'auto' || !(e instanceof FailureError) || e.code !== 'FS_MODEL_UNSUPPORTED' || 'calibration' in e.details) throw e;
    warn(`detector.input auto: ${e.message}; using its native ${native.width}x${native.height} input`);
    return asNative(e.message);
  }
}

/** "640x384 (fitted to 16:9; native 640x640)": the detector input as doctor and /status state it. */
export function describeDetectorInput(i: DetectorInput): string {
  const nat = i.native ? `${i.native.width}x${i.native.height}` : 'as declared';
  const p = `${i.precision === 'int8' ? ', int8 (static, calibrated)' : ''}${i.precisionWhy ? `, precision ${i.precisionWhy}` : ''}`;
  if (i.mode === 'native') return `${i.width}x${i.height} (native${i.fallback ? `; auto stayed native: ${i.fallback}` : ''})${p}`;
  return `${i.width}x${i.height} (${i.mode === 'fitted' ? 'fitted to 16:9' : 'detector.input'}; native ${nat})${p}`;
}

/** Input size, normalisation and output name: from the manifest when known, else from the session's declared shapes. */
function geometryOf(model: ResolvedModel, session: ModelSession, choice: DetectorInput): ModelGeometry {
  const inputName = session.inputNames[0];
  const declared = inputName !== undefined ? session.inputShapes[inputName] : undefined;
  const entry = model.entry;
  if (entry) {
    const [, , dh, dw] = declared ?? [];
    if ((typeof dh === 'number' && dh !== choice.height) || (typeof dw === 'number' && dw !== choice.width)) {
      throw new FailureError(
        'FS_MODEL_UNSUPPORTED',
        `model ${choice.path} takes ${String(dw)}x${String(dh)} input, expected ${choice.width}x${choice.height} (${choice.mode === 'native' ? 'the manifest' : 'derived'})`,
      );
    }
    return {
      width: choice.width,
      height: choice.height,
      padValue: entry.input.pad_value ?? 114,
      norm: { color: entry.input.color, divisor: entry.input.divisor, mean: entry.input.mean, std: entry.input.std },
      outputName: session.outputNames.includes(entry.output.name) ? entry.output.name : (session.outputNames[0] ?? entry.output.name),
    };
  }
  const shape = declared ?? [];
  const [, c, h, w] = shape;
  if (shape.length !== 4 || c !== 3 || typeof h !== 'number' || typeof w !== 'number') {
    throw new FailureError(
      'FS_MODEL_UNSUPPORTED',
      `model ${model.path} declares input [${shape.join(', ')}]; a model outside the manifest needs a fixed [1, 3, H, W] input`,
      { path: model.path },
    );
  }
  return { width: w, height: h, padValue: 114, norm: RGB_0_1, outputName: session.outputNames[0] ?? '' };
}
