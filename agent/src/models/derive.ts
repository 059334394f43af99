/**
 * A model with another input size, derived from a manifest file by editing its ONNX graph: the one
 * owner of graph edits (onnx-proto decodes and re-encodes the protobuf; no weights change).
 *
 * Why: a 16:9 camera letterboxed into YOLOv8's 640x640 leaves 44 % of the input as padding, and
 * OSNet's 256x128 crop is more than a 100-pixel-tall person holds. Convolutions do not care about
 * the spatial size; what does is whatever the exporter baked for the native size:
 * - YOLOv8 (Ultralytics export): the anchor-centre table [1, 2, N] (x row then y row, levels 8/16/32,
 *   row-major, +0.5), the stride table [1, N] and the DFL reshape targets [1, 4, 16, N], [1, 4, N].
 *   They are regenerated for the new size, but only after regenerating them for the NATIVE size
 *   reproduced the shipped tables exactly: a graph laid out any other way is refused by name.
 * - Any other initializer that mentions the native anchor count N, or a Resize with fixed output
 *   sizes, means something else is baked: refused.
 * - YOLOX and OSNet: no such constants (their reshapes use -1, their upsampling scales), so only
 *   the declared input (and output) shape changes.
 * The derived file is written once into a cache folder, named by the source's sha256 and the size,
 * and never into the repository (the weights are third-party).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { FailureError, MisuseError } from '../core/errors.js';
import type { Precision } from './precision.js';
import { type CalibrationTable, calibrationPath, checkTableFor, loadCalibration, quantizeBytes } from './quantize.js';
import type { ResolvedModel } from './resolve.js';
import { sha256File } from './sha256.js';

// onnx-proto is CommonJS: its namespace comes through the default export only.
const { onnx } = onnxProto;

export interface InputSize {
  readonly width: number;
  readonly height: number;
}

/** Derived detector inputs are multiples of the largest stride (32) so every level's grid is whole. */
export const INPUT_MULTIPLE = 32;
/** OSNet halves its picture four times (conv1, max pool, two transition pools): multiples of 16. */
export const REID_INPUT_MULTIPLE = 16;
export const INPUT_MIN = 64;
export const INPUT_MAX = 1920;

/** Default cache: FLOORSENSE_CACHE, else a per-user folder under the system temp dir (a lost cache costs one re-derivation, ~1 s). */
export function defaultModelCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.FLOORSENSE_CACHE;
  if (fromEnv !== undefined && fromEnv !== '') return join(fromEnv, 'models');
  return join(tmpdir(), `floorsense-cache-${process.getuid?.() ?? 'user'}`, 'models');
}

/** "WxH" (or "HxW" when `order` says so) to a size; undefined when the text is not of that form. */
export function parseSize(text: string, order: 'WxH' | 'HxW' = 'WxH'): InputSize | undefined {
  const m = /^(\d{1,5})x(\d{1,5})$/.exec(text);
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = Number(m[2]);
  return order === 'WxH' ? { width: a, height: b } : { width: b, height: a };
}

/** Why a requested derived size is unusable, or undefined when it is fine. */
export function sizeProblem(s: InputSize, multiple: number = INPUT_MULTIPLE): string | undefined {
  for (const [k, v] of [
    ['width', s.width],
    ['height', s.height],
  ] as const) {
    if (!Number.isInteger(v) || v < INPUT_MIN || v > INPUT_MAX || v % multiple !== 0) {
      return `${k} ${v} must be a multiple of ${multiple} in ${INPUT_MIN}..${INPUT_MAX}`;
    }
  }
  return undefined;
}

/**
 * The detector input fitted to a picture's aspect: the native width, the height that aspect needs
 * rounded up to a multiple of 32, never more than the native height. Every landscape picture is then
 * scaled exactly as in the native square letterbox; only the padding is gone.
 */
export function fittedInput(native: InputSize, picture: InputSize): InputSize {
  const h = Math.ceil((native.width * picture.height) / picture.width / INPUT_MULTIPLE) * INPUT_MULTIPLE;
  return { width: native.width, height: Math.min(native.height, Math.max(INPUT_MULTIPLE, h)) };
}

export interface DeriveOptions {
  readonly cacheDir?: string;
  /** Detection grid strides; default 8/16/32 (YOLOv8n, YOLOX-Nano). */
  readonly strides?: readonly number[];
  /** int8: also quantise (models/quantize.ts) with the model's calibration table. Default fp32. */
  readonly precision?: Precision;
  /** The calibration table; default models/calibration/<model>.int8.json. */
  readonly calibrationPath?: string;
}

export interface DerivedModel {
  /** The file to load: the source itself at its native size, else the cached derived file. */
  readonly path: string;
  readonly input: InputSize;
  /** False when the source file is used as is (native size, fp32). */
  readonly derived: boolean;
  readonly precision: Precision;
}

/** Number of grid cells (anchors) over the levels at one input size. */
export function anchorCount(size: InputSize, strides: readonly number[] = [8, 16, 32]): number {
  return strides.reduce((n, s) => n + Math.ceil(size.height / s) * Math.ceil(size.width / s), 0);
}

/**
 * The model file for `size` (and precision): the source when it is the native size at fp32, else a
 * derived file from the cache (made on first use). The cache name holds the source's sha256, the
 * size and, for int8, the calibration table's own hash. Throws FS_MODEL_UNSUPPORTED naming the
 * model when its graph cannot be derived safely, or its calibration table is for another file or
 * lacks a tensor; callers that may fall back to the native input do so on that error.
 */
export async function deriveModelInput(model: ResolvedModel, size: InputSize, opts: DeriveOptions = {}): Promise<DerivedModel> {
  const entry = model.entry;
  if (!entry) {
    throw new FailureError('FS_MODEL_UNSUPPORTED', `model ${model.path} is not in the manifest: its input size cannot be derived (its layout is not known)`, {
      model: model.name,
    });
  }
  const native = { width: entry.input.width, height: entry.input.height };
  const precision = opts.precision ?? 'fp32';
  const isNative = size.width === native.width && size.height === native.height;
  if (isNative && precision === 'fp32') return { path: model.path, input: native, derived: false, precision };
  const problem = isNative ? undefined : sizeProblem(size, entry.task === 'reid' ? REID_INPUT_MULTIPLE : INPUT_MULTIPLE);
  if (problem) throw new MisuseError('FS_BAD_ARGUMENT', `model "${model.name}": input ${size.width}x${size.height}: ${problem}`, { model: model.name });
  const sha = model.verified ? entry.sha256 : await sha256File(model.path);
  let calibration: { table: CalibrationTable; hash: string } | undefined;
  if (precision === 'int8') {
    calibration = loadCalibration(opts.calibrationPath ?? calibrationPath(entry.name));
    checkTableFor(calibration.table, model.name, sha); // before the cache: a wrong table is refused even when a file is cached
  }
  const tag = calibration ? `-int8-${calibration.hash.slice(0, 12)}` : '';
  const file = `${entry.name}-${sha.slice(0, 16)}-${size.width}x${size.height}${tag}.onnx`;
  // The configured cache first; when that is not ours to write (e.g. made by root running doctor
  // before the service user's first start), the per-user default, so the agent still starts.
  const dirs = [...new Set([opts.cacheDir ?? defaultModelCacheDir(), defaultModelCacheDir()])];
  let bytes: Uint8Array | undefined;
  const failures: string[] = [];
  for (const dir of dirs) {
    const path = join(dir, file);
    if (existsSync(path)) return { path, input: size, derived: true, precision };
    if (!bytes) {
      const source = readFileSync(model.path);
      const sized = isNative ? source : deriveBytes(source, model.name, entry.task, native, size, opts.strides ?? entry.output.strides ?? [8, 16, 32]);
      bytes = calibration ? quantizeBytes(sized, model.name, sha, calibration.table) : sized;
    }
    const tmp = `${path}.${process.pid}.tmp`;
    try {
      // 0755: the file is derived from the public weights, nothing secret, and doctor (root) and the service user share it.
      mkdirSync(dir, { recursive: true, mode: 0o755 });
      writeFileSync(tmp, bytes);
      renameSync(tmp, path); // atomic: a concurrent reader sees the whole file or none
      return { path, input: size, derived: true, precision };
    } catch (e) {
      // A write that ran out of space leaves what it wrote: on the database's own disk that would
      // be its last free pages (test/agent/exit-codes.test.ts, the full tmpfs).
      rmSync(tmp, { force: true });
      failures.push(`${dir}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new FailureError(
    'FS_OUTPUT',
    `model "${model.name}": cannot write the derived ${size.width}x${size.height} ${precision} file (${failures.join('; ')})`,
    { dirs },
  );
}

type Tensor = onnxProto.onnx.ITensorProto;
const FLOAT = 1;
const INT64 = 7;

/** The graph edit itself, pure over bytes (exported for the tests). */
export function deriveBytes(
  source: Uint8Array,
  name: string,
  task: 'detect' | 'reid',
  native: InputSize,
  size: InputSize,
  strides: readonly number[] = [8, 16, 32],
): Uint8Array {
  const refuse = (why: string): FailureError =>
    new FailureError('FS_MODEL_UNSUPPORTED', `model "${name}": cannot derive a ${size.width}x${size.height} input: ${why}`, { model: name });
  const model = onnx.ModelProto.decode(source);
  const graph = model.graph;
  if (graph?.input?.length !== 1) throw refuse('expected a graph with exactly one input');
  const initializers = graph.initializer ?? [];
  const inputDims = graph.input[0]?.type?.tensorType?.shape?.dim;
  if (inputDims?.length !== 4) throw refuse('its input is not declared as [N, 3, H, W]');
  if (Number(inputDims[2]?.dimValue) !== native.height || Number(inputDims[3]?.dimValue) !== native.width) {
    throw refuse(`its input is declared [${inputDims.map((d) => d.dimValue ?? d.dimParam).join(', ')}], the manifest says ${native.width}x${native.height}`);
  }
  for (const node of graph.node ?? []) {
    // Resize(X, roi, scales, sizes): fixed output sizes would not follow the new input.
    if (node.opType === 'Resize' && (node.input?.length ?? 0) >= 4 && node.input?.[3] !== '') throw refuse(`Resize ${node.name} has fixed output sizes`);
    if (node.opType === 'Constant') throw refuse(`it has Constant node ${node.name} (only initializers are checked)`);
  }

  if (task === 'detect') {
    const nNative = anchorCount(native, strides);
    const nNew = anchorCount(size, strides);
    const nativeTables = anchorTables(native, strides);
    const newTables = anchorTables(size, strides);
    let anchorsSeen = 0;
    let stridesSeen = 0;
    for (const t of initializers) {
      const dims = (t.dims ?? []).map(Number);
      if (t.dataType === INT64 && dims.length === 1) {
        // A shape operand (Reshape target): replace the native anchor count wherever it stands.
        const v = int64s(t);
        if (v.includes(nNative))
          setInt64s(
            t,
            v.map((x) => (x === nNative ? nNew : x)),
          );
        continue;
      }
      if (!dims.includes(nNative)) continue;
      if (t.dataType === FLOAT && sameDims(dims, [1, 2, nNative])) {
        if (!sameFloats(floats(t), nativeTables.centres))
          throw refuse(`initializer ${t.name} [1, 2, ${nNative}] is not the anchor-centre table regenerated at ${native.width}x${native.height}`);
        setFloats(t, newTables.centres, [1, 2, nNew]);
        anchorsSeen++;
      } else if (t.dataType === FLOAT && sameDims(dims, [1, nNative])) {
        if (!sameFloats(floats(t), nativeTables.strides))
          throw refuse(`initializer ${t.name} [1, ${nNative}] is not the stride table regenerated at ${native.width}x${native.height}`);
        setFloats(t, newTables.strides, [1, nNew]);
        stridesSeen++;
      } else {
        throw refuse(`initializer ${t.name} [${dims.join(', ')}] depends on the native anchor count in a way this derivation does not know`);
      }
    }
    // Reshape targets as Constant nodes were refused above; an anchor table without its strides (or
    // the reverse) is a decoder this code does not understand.
    if ((anchorsSeen === 0) !== (stridesSeen === 0)) throw refuse(`found ${anchorsSeen} anchor and ${stridesSeen} stride tables; expected both or neither`);
    for (const out of graph.output ?? []) {
      for (const d of out.type?.tensorType?.shape?.dim ?? []) if (Number(d.dimValue) === nNative) d.dimValue = nNew;
    }
  } else {
    // An embedding network must pool globally: check no initializer carries a spatial size.
    for (const t of initializers) {
      if (t.dataType !== INT64) continue;
      const v = int64s(t);
      if (v.length > 1 && (v.includes(native.height) || v.includes(native.width)) && !v.includes(-1)) {
        throw refuse(`shape initializer ${t.name} [${v.join(', ')}] mentions the native ${native.height}x${native.width}`);
      }
    }
  }
  inputDims[2] = onnx.TensorShapeProto.Dimension.create({ dimValue: size.height });
  inputDims[3] = onnx.TensorShapeProto.Dimension.create({ dimValue: size.width });
  // Intermediate shapes inferred for the native size would now be wrong: onnxruntime re-infers them.
  graph.valueInfo = [];
  return onnx.ModelProto.encode(model).finish();
}

/** YOLOv8's tables: centres x row then y row, strides, level by level, row-major, +0.5. */
export function anchorTables(size: InputSize, strides: readonly number[]): { centres: Float32Array; strides: Float32Array } {
  const n = anchorCount(size, strides);
  const centres = new Float32Array(2 * n);
  const st = new Float32Array(n);
  let k = 0;
  for (const s of strides) {
    const gh = Math.ceil(size.height / s);
    const gw = Math.ceil(size.width / s);
    for (let y = 0; y < gh; y++) {
      for (let x = 0; x < gw; x++) {
        centres[k] = x + 0.5;
        centres[n + k] = y + 0.5;
        st[k] = s;
        k++;
      }
    }
  }
  return { centres, strides: st };
}

function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function sameFloats(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function bytesOf(t: Tensor): Uint8Array {
  // A copy at offset 0: rawData may be a view into the decoded buffer at any alignment.
  return Uint8Array.prototype.slice.call(t.rawData);
}

function floats(t: Tensor): Float32Array {
  if (t.rawData && t.rawData.length > 0) return new Float32Array(bytesOf(t).buffer);
  return Float32Array.from(t.floatData ?? []);
}

function int64s(t: Tensor): number[] {
  if (t.rawData && t.rawData.length > 0) return Array.from(new BigInt64Array(bytesOf(t).buffer), Number);
  return (t.int64Data ?? []).map(Number);
}

function setFloats(t: Tensor, v: Float32Array, dims: number[]): void {
  t.rawData = new Uint8Array(v.buffer.slice(0));
  t.floatData = [];
  t.dims = dims;
}

function setInt64s(t: Tensor, v: number[]): void {
  t.rawData = new Uint8Array(BigInt64Array.from(v, BigInt).buffer);
  t.int64Data = [];
}
