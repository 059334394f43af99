/**
 * Static int8 quantisation of a float model in QDQ form, from a committed calibration table: part
 * of the one owner of graph edits (derive.ts holds the input-size edit, this the precision edit).
 *
 * Why static QDQ: the shipped yolov8n_int8.onnx is DYNAMIC quantisation (ConvInteger plus a
 * DynamicQuantizeLinear per layer, per frame) and ran 1.5x slower than fp32 on this CPU.
 * onnxruntime's docs and maintainers say to use static quantisation for CNNs: with fixed activation
 * ranges its optimiser fuses DequantizeLinear -> Conv -> QuantizeLinear into one QLinearConv, which
 * runs on MLAS's U8S8 kernels (AVX512-VNNI / AVX-VNNI where the CPU has them).
 *
 * The edit, for every Conv:
 * - weights: int8, symmetric per output channel (zero point 0), through DequantizeLinear axis 0;
 * - bias: int32 at scale x_scale * w_scale[c] (zero point 0), through DequantizeLinear axis 0;
 * - its input activation and its output: a QuantizeLinear / DequantizeLinear pair each, uint8,
 *   asymmetric, with the range from the calibration table (one pair per tensor, shared by all its
 *   consumers; onnxruntime duplicates a shared DequantizeLinear per node unit itself).
 * Sigmoid, Mul, Add, Concat and the pools are quantised ops of their own (QLinear* in onnxruntime); a
 * Relu right after one is folded into its output's uint8 range (QuantisedTensors.foldedRelu). The
 * rest (SiLU's float parts, the YOLOv8 decoder, OSNet's Gemm/BatchNormalization head) stays float
 * between a DequantizeLinear and a QuantizeLinear. Tensor names are those of the source graph, and derive.ts keeps them, so one
 * table serves every derived input size of the same source file.
 *
 * The table is keyed by the source file's sha256: a table for another file, or one that lacks a
 * tensor the graph needs, is refused naming the model and the tensor.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { z } from 'zod';
import { FailureError } from '../core/errors.js';
import { findRepoRoot } from './paths.js';

export { PRECISIONS, type Precision } from './precision.js';

const { onnx } = onnxProto;
type Tensor = onnxProto.onnx.ITensorProto;
type Node = onnxProto.onnx.INodeProto;

const FLOAT = 1;
const UINT8 = 2;
const INT8 = 3;
const INT32 = 6;
const INT64 = 7;

/** A calibration table as committed under models/calibration/. */
export interface CalibrationTable {
  /** The source model's manifest name. */
  readonly model: string;
  /** sha256 of the float file the ranges were measured on. */
  readonly sha256: string;
  /** How each range was reduced from the per-frame values, and the command that made the table. */
  readonly rule: string;
  readonly command: string;
  /** Per tensor name: [min, max] of the float activation over the calibration frames. */
  readonly ranges: Readonly<Record<string, readonly [number, number]>>;
  /**
   * Node-name patterns of the ops that stay float (mixed precision; see KeepFloat). The ranges still
   * cover every tensor the all-int8 graph quantises: they are measured on the float model, so one
   * table serves any float set, and the set is part of the table's bytes (the derived file's key).
   */
  readonly keep_float?: readonly string[];
}

const tableSchema = z
  .object({
    model: z.string().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    rule: z.string().min(1),
    command: z.string().min(1),
    ranges: z.record(z.string(), z.tuple([z.number(), z.number()])),
    keep_float: z.array(z.string().min(1)).optional(),
  })
  .loose();

/** models/calibration/<model>.int8.json of this repository (or of an installed bundle). */
export function calibrationPath(model: string, repoRoot: string = findRepoRoot()): string {
  return join(repoRoot, 'models', 'calibration', `${model}.int8.json`);
}

/** Read and check a calibration table; errors name the file and the bad key path. */
export function loadCalibration(path: string): { table: CalibrationTable; hash: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const why = e && typeof e === 'object' && 'code' in e ? String(e.code) : String(e);
    throw new FailureError('FS_FILE_NOT_FOUND', `int8 calibration table ${path} cannot be read (${why}): this model has no int8 calibration`, { path });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new FailureError('FS_PARSE', `int8 calibration table ${path} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`, { path });
  }
  const res = tableSchema.safeParse(raw);
  if (!res.success) {
    // zod's own report (message and key path per issue): config/load's formatter would import the
    // config schema, which imports this module.
    throw new FailureError('FS_PARSE', `int8 calibration table ${path} is invalid:\n${z.prettifyError(res.error)}`, { path });
  }
  // The cache key: the bytes as committed, so any edit to the table derives a new file.
  return { table: res.data as CalibrationTable, hash: createHash('sha256').update(text).digest('hex') };
}

/**
 * Ops whose float activations get a QDQ pair: onnxruntime fuses each into its QLinear twin
 * (GlobalAveragePool and AveragePool: OSNet's channel gates and transition pools).
 */
const QUANTISED_OPS = new Set(['Conv', 'Sigmoid', 'Mul', 'Add', 'Concat', 'GlobalAveragePool', 'AveragePool']);
/**
 * Ops that only move values: their output takes their input's scale and zero point (no range of its
 * own in the table), so onnxruntime drops the QDQ pair around them instead of requantising.
 */
const RANGE_KEEPING_OPS = new Set(['Split', 'MaxPool', 'Resize']);

/**
 * Which nodes stay float in a mixed-precision graph: those whose name starts with one of these
 * patterns, where `*` stands for any text inside one path segment (OSNet's node names are its
 * module paths: `/conv1/` is the stem, `/conv*` + `/conv*.*` + `/gate/fc` every channel gate's 1x1
 * convs). A float node keeps its float weights; it reads the float tensor itself where that
 * tensor's producer is float too, and the dequantised copy where the producer is quantised (a fused
 * QLinear op writes uint8 only).
 */
export type KeepFloat = readonly string[];

/** The test for one node name, and the patterns that matched no name (a typo would quietly quantise all). */
export function keepFloatMatcher(keep: KeepFloat, names: readonly string[]): { matches: (name: string) => boolean; unmatched: string[] } {
  const res = keep.map((p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '[^/]*')}`));
  const matches = (name: string): boolean => res.some((r) => r.test(name));
  return { matches, unmatched: keep.filter((_p, i) => !names.some((n) => res[i]!.test(n))) };
}

/** What quantisedTensors found: the tensors with a range, those tied to another's, and the folded Relus. */
export interface QuantisedTensors {
  readonly calibrated: string[];
  readonly tied: Map<string, string>;
  /**
   * Relu output -> its producer's output, for a Relu that is the only consumer of a quantised op's
   * output (OSNet's Conv -> Relu, Add -> Relu). The Relu is dropped and the producer writes the Relu's
   * tensor: its range starts at 0, so its uint8 zero point is 0 and quantising clamps negatives to 0,
   * which is the Relu (onnxruntime's own quantiser removes Relu the same way). Without it a float
   * Relu sits between two requantisations and nothing fuses.
   */
  readonly foldedRelu: Map<string, string>;
  /** Indices (in the source graph's node order) of the ops that run quantised: their Convs get int8 weights. */
  readonly quantisedNodes: Set<number>;
  /** The keep-float patterns that start no node name of the graph (a typo would quietly quantise all). */
  readonly unmatched: string[];
}

/**
 * The activation tensors that get a QDQ pair, in graph order, and which of them take another's
 * parameters. Only the feature network is quantised: everything downstream of the first Reshape
 * (YOLOv8's box decoder: DFL softmax, anchor arithmetic in input pixels; OSNet's embedding head:
 * Gemm, BatchNormalization, the last Relu) stays float, since a uint8 step there would be pixels of
 * box error or the embedding itself; so does any shape arithmetic (downstream of a Shape: integers),
 * and any node `keepFloat` names. `nodes` are the graph's own node objects when given (quantizeBytes
 * edits them in place), else those of a fresh decode of `source`.
 */
export function quantisedTensors(source: Uint8Array, keepFloat: KeepFloat = []): QuantisedTensors {
  const graph = onnx.ModelProto.decode(source).graph;
  const inits = new Set((graph?.initializer ?? []).map((t) => t.name!));
  const nodes = graph?.node ?? [];
  const activations = (n: Node) => (n.input ?? []).filter((i) => i !== '' && !inits.has(i));
  const decoder = new Set<string>();
  const decoderNodes = new Set<Node>();
  for (const n of nodes) {
    if (n.opType === 'Reshape' || n.opType === 'Shape' || activations(n).some((i) => decoder.has(i))) {
      decoderNodes.add(n);
      for (const o of n.output ?? []) decoder.add(o);
    }
  }
  const { matches, unmatched } = keepFloatMatcher(
    keepFloat,
    nodes.map((n) => n.name ?? ''),
  );
  const floatNodes = new Set([...decoderNodes, ...nodes.filter((n) => matches(n.name ?? ''))]);
  const consumers = new Map<string, number>();
  for (const n of nodes) for (const i of n.input ?? []) consumers.set(i, (consumers.get(i) ?? 0) + 1);
  const graphOutputs = new Set((graph?.output ?? []).map((o) => o.name!));
  const producer = new Map<string, Node>();
  for (const n of nodes) for (const o of n.output ?? []) producer.set(o, n);
  const quantised = new Set<Node>();
  for (const n of nodes) if (QUANTISED_OPS.has(n.opType ?? '') && !floatNodes.has(n)) quantised.add(n);
  const foldedRelu = new Map<string, string>();
  for (const n of nodes) {
    if (n.opType !== 'Relu' || decoderNodes.has(n)) continue;
    const x = n.input?.[0] ?? '';
    const p = producer.get(x);
    const y = n.output?.[0];
    // Folding is exact (the Relu is the uint8 clamp at zero point 0), so it hangs on the producer
    // running quantised only; a Relu after a float op stays a float Relu.
    if (!p || y === undefined || !quantised.has(p)) continue;
    if (consumers.get(x) !== 1 || graphOutputs.has(x)) continue;
    foldedRelu.set(y, x);
  }
  const foldedInputs = new Set(foldedRelu.values());
  const calibrated = new Set<string>();
  const tied = new Map<string, string>();
  for (const n of nodes) {
    const ins = activations(n);
    const op = n.opType ?? '';
    if (op === 'Relu' && foldedRelu.has(n.output?.[0] ?? '')) {
      calibrated.add(n.output![0]!);
    } else if (quantised.has(n)) {
      for (const i of ins) if (!tied.has(i)) calibrated.add(i);
      for (const o of n.output ?? []) if (!foldedInputs.has(o)) calibrated.add(o);
    } else if (RANGE_KEEPING_OPS.has(op) && !floatNodes.has(n)) {
      const x = ins[0];
      if (x === undefined) continue;
      if (!tied.has(x)) calibrated.add(x);
      const root = tied.get(x) ?? x;
      for (const o of n.output ?? []) tied.set(o, root);
      quantised.add(n); // runs on uint8 once onnxruntime drops the QDQ pair around it
    }
  }
  for (const t of tied.keys()) calibrated.delete(t);
  for (const n of nodes) if (n.opType === 'Relu' && foldedRelu.has(n.output?.[0] ?? '')) quantised.add(n);
  const quantisedNodes = new Set<number>();
  nodes.forEach((n, i) => {
    if (quantised.has(n)) quantisedNodes.add(i);
  });
  return { calibrated: [...calibrated], tied, foldedRelu, quantisedNodes, unmatched };
}

/**
 * Opset 12 -> 13 in place (per-axis DequantizeLinear needs 13): of the ops that changed, Squeeze and
 * Unsqueeze take `axes` as an input instead of an attribute (OSNet's export has one Unsqueeze). A
 * graph with another op whose signature changed at 13 is refused by name rather than guessed at.
 */
function toOpset13(model: onnxProto.onnx.ModelProto, refuse: (why: string) => FailureError): void {
  const imp = (model.opsetImport ?? []).find((o) => (o.domain ?? '') === '');
  const version = Number(imp?.version ?? 0);
  if (version >= 13) return;
  if (!imp || version < 11) throw refuse(`its opset ${String(version)} is below 11 (per-channel DequantizeLinear needs 13; only 11 and 12 are upgraded)`);
  const graph = model.graph!;
  const changed = ['Split', 'ReduceSum'];
  for (const n of graph.node ?? []) {
    if (changed.includes(n.opType ?? ''))
      throw refuse(`its opset ${version} graph has ${n.opType} ${n.name}, which changed at opset 13 (per-channel DequantizeLinear)`);
    if (n.opType !== 'Squeeze' && n.opType !== 'Unsqueeze') continue;
    const axes = (n.attribute ?? []).find((a) => a.name === 'axes');
    if (!axes) continue;
    const name = `${n.name ?? n.output?.[0]}_axes`;
    const values = BigInt64Array.from((axes.ints ?? []).map((v) => BigInt(String(v))));
    graph.initializer!.push(onnx.TensorProto.create({ name, dataType: INT64, dims: [values.length], rawData: new Uint8Array(values.buffer) }));
    n.attribute = (n.attribute ?? []).filter((a) => a !== axes);
    n.input = [...(n.input ?? []), name];
  }
  imp.version = 13;
}

/** The activation tensors to calibrate (those with a range of their own), in graph order. */
export function calibrationTensors(source: Uint8Array): string[] {
  return quantisedTensors(source).calibrated;
}

/** The source graph with `tensors` added as float outputs, so one run reads them all (calibration). */
export function withTensorOutputs(source: Uint8Array, tensors: readonly string[]): Uint8Array {
  const model = onnx.ModelProto.decode(source);
  const graph = model.graph!;
  const have = new Set((graph.output ?? []).map((o) => o.name));
  for (const name of tensors) {
    if (have.has(name)) continue;
    graph.output!.push(onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: FLOAT } } }));
  }
  return onnx.ModelProto.encode(model).finish();
}

/** uint8 asymmetric parameters for a range (which is widened to hold 0, so zero is exact: padding). */
export function activationParams(range: readonly [number, number]): { scale: number; zeroPoint: number } {
  const lo = Math.min(0, range[0]);
  const hi = Math.max(0, range[1]);
  const scale = hi > lo ? (hi - lo) / 255 : 1;
  return { scale: Math.fround(scale), zeroPoint: Math.min(255, Math.max(0, Math.round(-lo / scale))) };
}

/**
 * The QDQ int8 graph of `source` (a float model, possibly already derived to another input size).
 * `name` and `sha256` are the source model's (the table must be for that file).
 */
export function quantizeBytes(source: Uint8Array, name: string, sha256: string, table: CalibrationTable, keepFloat?: KeepFloat): Uint8Array {
  const refuse = (why: string): FailureError => tableRefusal(name, table, why);
  checkTableFor(table, name, sha256);
  const keep = keepFloat ?? table.keep_float ?? [];
  const model = onnx.ModelProto.decode(source);
  const graph = model.graph!;
  toOpset13(model, refuse);
  const inits = new Map<string, Tensor>();
  for (const t of graph.initializer ?? []) inits.set(t.name!, t);
  const { calibrated: needed, tied, foldedRelu, quantisedNodes, unmatched } = quantisedTensors(source, keep);
  if (unmatched.length > 0) throw refuse(`keep_float names ${unmatched.map((p) => `"${p}"`).join(', ')}, which starts no node name of this graph`);
  const quantisedOps = new Set([...quantisedNodes].map((i) => graph.node![i]!));
  // Folded Relus go; their producer writes the Relu's tensor (see QuantisedTensors.foldedRelu).
  const reluOf = new Map([...foldedRelu].map(([y, x]) => [x, y]));
  graph.node = (graph.node ?? []).filter((n) => !(n.opType === 'Relu' && foldedRelu.has(n.output?.[0] ?? '')));
  for (const n of graph.node) n.output = (n.output ?? []).map((o) => reluOf.get(o) ?? o);
  // The table covers the all-int8 graph's tensors (ranges are of the float model, whatever stays
  // float). A tensor tied there (a MaxPool's output) that a float MaxPool now writes takes its
  // input's range: a max over values in a range stays in it.
  const allInt8 = keep.length > 0 ? quantisedTensors(source) : { calibrated: needed, tied };
  const rangeOf = (t: string) => table.ranges[t] ?? table.ranges[allInt8.tied.get(t) ?? ''];
  for (const t of allInt8.calibrated) if (!table.ranges[t]) throw refuse(`tensor "${t}" has no range in the table`);
  for (const t of needed) {
    const r = rangeOf(t);
    if (!r) throw refuse(`tensor "${t}" has no range in the table`);
    if (!(Number.isFinite(r[0]) && Number.isFinite(r[1]) && r[0] <= r[1])) throw refuse(`tensor "${t}" has the bad range [${r.join(', ')}]`);
  }
  const all = new Set(allInt8.calibrated);
  for (const t of Object.keys(table.ranges)) if (!all.has(t)) throw refuse(`the table names tensor "${t}", which is not an activation this graph quantises`);

  const newInits: Tensor[] = [];
  const scalar = (n: string, dataType: number, raw: ArrayBufferView): string => {
    newInits.push(
      onnx.TensorProto.create({ name: n, dataType, dims: [], rawData: new Uint8Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)) }),
    );
    return n;
  };
  const params = new Map<string, { scale: number; zeroPoint: number }>();
  for (const t of needed) params.set(t, activationParams(rangeOf(t)!));
  for (const [t, root] of tied) params.set(t, params.get(root)!);
  const quantised = new Set([...needed, ...tied.keys()]);

  // Consumers read the dequantised copy; graph outputs keep their names (none of ours is one here,
  // but a Conv feeding a graph output directly keeps the output float under its own name).
  const graphOutputs = new Set((graph.output ?? []).map((o) => o.name!));
  const renamed = new Map<string, string>();
  for (const t of quantised) if (!graphOutputs.has(t)) renamed.set(t, `${t}_DequantizeLinear_Output`);
  // A float node reads the float tensor itself where a float node (or the graph input) wrote it:
  // only a quantised producer's output exists as uint8 alone, so only there does it read the copy.
  const floatWritten = new Set<string>((graph.input ?? []).map((i) => i.name!));
  for (const n of graph.node) if (!quantisedOps.has(n)) for (const o of n.output ?? []) floatWritten.add(o);
  const qdq = (t: string): Node[] => {
    const p = params.get(t)!;
    const s = scalar(`${t}_scale`, FLOAT, new Float32Array([p.scale]));
    const z = scalar(`${t}_zero_point`, UINT8, new Uint8Array([p.zeroPoint]));
    const q = `${t}_QuantizeLinear_Output`;
    return [
      onnx.NodeProto.create({ name: `${t}_QuantizeLinear`, opType: 'QuantizeLinear', input: [t, s, z], output: [q] }),
      onnx.NodeProto.create({ name: `${t}_DequantizeLinear`, opType: 'DequantizeLinear', input: [q, s, z], output: [renamed.get(t) ?? `${t}_dq`] }),
    ];
  };

  const nodes: Node[] = [];
  for (const input of graph.input ?? []) if (quantised.has(input.name!)) nodes.push(...qdq(input.name!));
  const removeInits = new Set<string>();
  /**
   * Initializer `source` replaced by its quantised values, per-output-channel scales and zero points,
   * and a DequantizeLinear (axis 0) to `<name>_dequantized` (`name` is `source` but for a second use
   * of a shared bias, which another input scale quantises differently).
   */
  const perChannel = (
    source: string,
    name: string,
    dataType: number,
    dims: number[],
    values: Int8Array | Int32Array,
    scales: Float32Array,
    zeroPoints: Uint8Array,
  ): void => {
    const cOut = scales.length;
    newInits.push(onnx.TensorProto.create({ name: `${name}_quantized`, dataType, dims, rawData: new Uint8Array(values.buffer) }));
    newInits.push(onnx.TensorProto.create({ name: `${name}_scale`, dataType: FLOAT, dims: [cOut], rawData: new Uint8Array(scales.buffer) }));
    newInits.push(onnx.TensorProto.create({ name: `${name}_zero_point`, dataType, dims: [cOut], rawData: zeroPoints }));
    nodes.push(
      onnx.NodeProto.create({
        name: `${name}_DequantizeLinear`,
        opType: 'DequantizeLinear',
        input: [`${name}_quantized`, `${name}_scale`, `${name}_zero_point`],
        output: [`${name}_dequantized`],
        attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }],
      }),
    );
    removeInits.add(source);
  };
  // OSNet's channel gate is one module applied to each of a block's streams: its Conv weights are
  // shared by several Convs, so each weight is quantised once and each bias once per input scale.
  const weightScales = new Map<string, Float32Array>();
  const biasUses = new Map<string, number>();
  for (const n of graph.node ?? []) {
    const xName = n.input?.[0] ?? '';
    const q = quantisedOps.has(n);
    n.input = (n.input ?? []).map((i) => (q || !floatWritten.has(i) ? (renamed.get(i) ?? i) : i));
    if (n.opType === 'Conv' && q) {
      const xScale = params.get(xName)!.scale;
      const wName = n.input[1]!;
      const w = inits.get(wName);
      if (!w || w.dataType !== FLOAT) throw refuse(`Conv ${n.name}: weight ${wName} is not a float initializer`);
      const dims = (w.dims ?? []).map(Number);
      const cOut = dims[0]!;
      let scales = weightScales.get(wName);
      if (!scales) {
        const wf = floats(w);
        const per = wf.length / cOut;
        scales = new Float32Array(cOut);
        const q = new Int8Array(wf.length);
        for (let c = 0; c < cOut; c++) {
          let m = 0;
          for (let k = 0; k < per; k++) m = Math.max(m, Math.abs(wf[c * per + k]!));
          const s = Math.fround(m > 0 ? m / 127 : 1);
          scales[c] = s;
          for (let k = 0; k < per; k++) q[c * per + k] = Math.max(-127, Math.min(127, Math.round(wf[c * per + k]! / s)));
        }
        perChannel(wName, wName, INT8, dims, q, scales, new Uint8Array(cOut));
        weightScales.set(wName, scales);
      }
      const inputs = [n.input[0]!, `${wName}_dequantized`];
      const bName = n.input[2];
      if (bName !== undefined && bName !== '') {
        const b = inits.get(bName);
        if (!b || b.dataType !== FLOAT) throw refuse(`Conv ${n.name}: bias ${bName} is not a float initializer`);
        const bf = floats(b);
        const bs = new Float32Array(cOut);
        const bq = new Int32Array(cOut);
        for (let c = 0; c < cOut; c++) {
          bs[c] = Math.fround(xScale * scales[c]!);
          bq[c] = Math.round(bf[c]! / bs[c]!);
        }
        const use = biasUses.get(bName) ?? 0;
        biasUses.set(bName, use + 1);
        const as = use === 0 ? bName : `${bName}_${use}`;
        perChannel(bName, as, INT32, [cOut], bq, bs, new Uint8Array(cOut * 4));
        inputs.push(`${as}_dequantized`);
      }
      n.input = inputs;
    }
    nodes.push(n);
    for (const o of n.output ?? []) if (quantised.has(o)) nodes.push(...qdq(o));
  }
  // A float weight shared with a node other than a Conv stays as it is.
  for (const n of nodes) for (const i of n.input ?? []) if (removeInits.has(i)) removeInits.delete(i);
  graph.node = nodes;
  graph.initializer = [...(graph.initializer ?? []).filter((t) => !removeInits.has(t.name!)), ...newInits];
  graph.valueInfo = [];
  return onnx.ModelProto.encode(model).finish();
}

function tableRefusal(name: string, table: CalibrationTable, why: string): FailureError {
  return new FailureError('FS_MODEL_UNSUPPORTED', `model "${name}": cannot derive int8 with the calibration table of "${table.model}": ${why}`, {
    model: name,
    calibration: table.model,
  });
}

/** The table must be for this very file (its sha256): ranges measured on other weights mean nothing. */
export function checkTableFor(table: CalibrationTable, name: string, sha256: string): void {
  if (table.sha256 !== sha256) {
    throw tableRefusal(name, table, `the table was measured on the file with sha256 ${table.sha256.slice(0, 16)}…, this one is ${sha256.slice(0, 16)}…`);
  }
}

function floats(t: Tensor): Float32Array {
  if (t.rawData && t.rawData.length > 0) return new Float32Array(Uint8Array.prototype.slice.call(t.rawData).buffer);
  return Float32Array.from(t.floatData ?? []);
}
