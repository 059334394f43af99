/**
 * Detector options: a plain object (never the CLI's parsed arguments), validated once with named
 * errors, defaults from DETECTOR_DEFAULTS, then frozen.
 */
import { MisuseError } from '../core/errors.js';
import type { ModelManifest } from '../models/manifest-schema.js';
import type { ProviderName } from '../runtime/onnx.js';
import { type InputSize, parseSize, sizeProblem } from '../models/derive.js';
import { findEntry, loadManifest } from '../models/manifest.js';
import { PRECISION_SETTINGS, type Precision, type PrecisionSetting, type ResolvedPrecision, resolvePrecision } from '../models/precision.js';
import { DETECTOR_DEFAULTS } from './defaults.js';

export interface DetectorOptions {
  /** Manifest name or path to an .onnx file. */
  readonly model?: string;
  /** Folder of model files; default defaultModelsDir(). */
  readonly modelsDir?: string | undefined;
  readonly providers?: readonly ProviderName[];
  /** Intra-op CPU threads; 0 = onnxruntime default (one per core). */
  readonly threads?: number;
  /** Let idle onnxruntime threads spin-wait (default false: the cores also decode video). */
  readonly spinning?: boolean;
  /** Run inference on a worker thread so the event loop stays free (default true). */
  readonly worker?: boolean;
  readonly conf_threshold?: number;
  readonly iou_threshold?: number;
  /** Class names to keep. */
  readonly classes?: readonly string[];
  readonly max_detections?: number;
  /** Model input: 'native' (the manifest's size, default), 'auto' (fitted to 16:9 where the model allows) or 'WxH'. */
  readonly input?: string;
  /** fp32: the model file as shipped; int8: the static int8 model derived from it (models/quantize.ts); auto (default): int8 where measured to pay (models/precision.ts). */
  readonly precision?: PrecisionSetting;
  /** Where derived model files are cached; default models/derive.ts defaultModelCacheDir(). */
  readonly cacheDir?: string | undefined;
  /** Provider fallback and "not in manifest" warnings. */
  readonly warn?: (message: string) => void;
  /** Default: models/manifest.json. */
  readonly manifest?: ModelManifest;
  /** Clock for timing statistics, in milliseconds. */
  readonly now?: () => number;
}

export interface DetectorSettings {
  readonly model: string;
  readonly modelsDir: string | undefined;
  readonly providers: readonly ProviderName[];
  readonly threads: number;
  readonly spinning: boolean;
  readonly worker: boolean;
  readonly conf_threshold: number;
  readonly iou_threshold: number;
  readonly classes: readonly string[];
  readonly max_detections: number;
  readonly input: 'auto' | 'native' | InputSize;
  readonly precision: Precision;
  /** Why that precision runs (auto's choice, or the config's), for doctor and the start-up log. */
  readonly precisionWhy: string;
  readonly cacheDir: string | undefined;
}

const PROVIDERS: readonly ProviderName[] = ['cpu', 'cuda', 'tensorrt', 'webgpu'];

/**
 * The detector precision that runs: `setting`, with auto resolved for this model (a manifest entry
 * with an int8 variant; a model given as a path has none), its providers and this host's CPU. The
 * one place the choice is made: detectorSettings and the tracker's score thresholds both read it.
 */
export function detectorPrecisionFor(
  model: string,
  setting: PrecisionSetting,
  providers: readonly string[],
  manifest: ModelManifest = loadManifest(),
): ResolvedPrecision {
  return resolvePrecision(setting, providers, findEntry(manifest, model)?.int8 !== undefined);
}

export function detectorSettings(o: DetectorOptions): Readonly<DetectorSettings> {
  const bad = (key: string, value: unknown, want: string): MisuseError =>
    new MisuseError('FS_BAD_ARGUMENT', `detector option ${key}: ${JSON.stringify(value)} is not ${want}`, { key, value });
  const setting = o.precision ?? DETECTOR_DEFAULTS.precision;
  if (!PRECISION_SETTINGS.includes(setting)) throw bad('precision', setting, PRECISION_SETTINGS.join(', '));
  const providers = o.providers ?? DETECTOR_DEFAULTS.providers;
  const chosen = detectorPrecisionFor(o.model ?? DETECTOR_DEFAULTS.model, setting, providers, o.manifest);
  const s: DetectorSettings = {
    model: o.model ?? DETECTOR_DEFAULTS.model,
    modelsDir: o.modelsDir,
    providers,
    threads: o.threads ?? DETECTOR_DEFAULTS.threads,
    spinning: o.spinning ?? DETECTOR_DEFAULTS.spinning,
    worker: o.worker ?? DETECTOR_DEFAULTS.worker,
    conf_threshold: o.conf_threshold ?? DETECTOR_DEFAULTS.conf_threshold,
    iou_threshold: o.iou_threshold ?? DETECTOR_DEFAULTS.iou_threshold,
    classes: o.classes ?? DETECTOR_DEFAULTS.classes,
    max_detections: o.max_detections ?? DETECTOR_DEFAULTS.max_detections,
    input: parseInput(o.input ?? DETECTOR_DEFAULTS.input),
    precision: chosen.precision,
    precisionWhy: chosen.why,
    cacheDir: o.cacheDir,
  };
  if (typeof s.model !== 'string' || s.model === '') throw bad('model', s.model, 'a manifest name or an .onnx path');
  if (s.providers.length === 0 || s.providers.some((p) => !PROVIDERS.includes(p))) {
    throw bad('providers', s.providers, `a non-empty list of ${PROVIDERS.join(', ')}`);
  }
  if (!Number.isInteger(s.threads) || s.threads < 0 || s.threads > 64) throw bad('threads', s.threads, 'an integer in 0..64');
  if (!(s.conf_threshold >= 0 && s.conf_threshold <= 1)) throw bad('conf_threshold', s.conf_threshold, 'in [0, 1]');
  if (!(s.iou_threshold >= 0 && s.iou_threshold <= 1)) throw bad('iou_threshold', s.iou_threshold, 'in [0, 1]');
  if (s.classes.length === 0) throw bad('classes', s.classes, 'a non-empty list of class names');
  if (!Number.isInteger(s.max_detections) || s.max_detections < 1) throw bad('max_detections', s.max_detections, 'an integer >= 1');
  if (typeof s.input === 'object') {
    const why = sizeProblem(s.input);
    if (why) throw bad('input', o.input, `auto, native or WxH (${why})`);
  }
  return Object.freeze({ ...s, providers: Object.freeze([...s.providers]), classes: Object.freeze([...s.classes]) });
}

/** 'auto' | 'native' | 'WxH'; anything else is refused by detectorSettings (through a size that fails sizeProblem). */
function parseInput(text: string): 'auto' | 'native' | InputSize {
  if (text === 'auto' || text === 'native') return text;
  return parseSize(text) ?? { width: Number.NaN, height: Number.NaN };
}

/**
 * detector.input as the detector should get it: 'auto' fits the input to the picture it sees, and
 * with region detection (motion, tiles) that is a square crop, so auto means native there.
 */
export function inputForRegions(input: string | undefined, regionsMode: 'full' | 'motion' | 'tiles' | undefined): string | undefined {
  return (input ?? DETECTOR_DEFAULTS.input) === 'auto' && regionsMode !== undefined && regionsMode !== 'full' ? 'native' : input;
}
