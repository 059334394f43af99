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
 * Everything else (SiLU, Concat, the decoder) stays float between a DequantizeLinear and a
 * QuantizeLinear. Tensor names are those of the source graph, and derive.ts keeps them, so one
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
}

const tableSchema = z
  .object({
    model: z.string().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    rule: z.string().min(1),
    command: z.string().min(1),
    ranges: z.record(z.string(), z.tuple([z.number(), z.number()])),
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

/** Ops whose float activations get a QDQ pair: onnxruntime fuses each into its QLinear twin. */
const QUANTISED_OPS = new Set(['Conv', 'Sigmoid', 'Mul', 'Add', 'Concat']);
/**
 * Ops that only move values: their output takes their input's scale and zero point (no range of its
 * own in the table), so onnxruntime drops the QDQ pair around them instead of requantising.
 */
const RANGE_KEEPING_OPS = new Set(['Split', 'MaxPool', 'Resize']);

/**
 * The activation tensors that get a QDQ pair, in graph order, and which of them take another's
 * parameters. Only the feature network is quantised: everything downstream of the first Reshape
 * (YOLOv8's box decoder: DFL softmax, anchor arithmetic in input pixels) stays float, since a uint8
 * step there would be pixels of box error.
 */
export function quantisedTensors(source: Uint8Array): { calibrated: string[]; tied: Map<string, string> } {
  const graph = onnx.ModelProto.decode(source).graph;
  const inits = new Set((graph?.initializer ?? []).map((t) => t.name!));
  const nodes = graph?.node ?? [];
  const activations = (n: Node) => (n.input ?? []).filter((i) => i !== '' && !inits.has(i));
  const decoder = new Set<string>();
  const decoderNodes = new Set<Node>();
  for (const n of nodes) {
    if (n.opType === 'Reshape' || activations(n).some((i) => decoder.has(i))) {
      decoderNodes.add(n);
      for (const o of n.output ?? []) decoder.add(o);
    }
  }
  const calibrated = new Set<string>();
  const tied = new Map<string, string>();
  for (const n of nodes) {
    if (decoderNodes.has(n)) continue;
    const ins = activations(n);
    const op = n.opType ?? '';
    if (QUANTISED_OPS.has(op)) {
      for (const i of ins) if (!tied.has(i)) calibrated.add(i);
      for (const o of n.output ?? []) calibrated.add(o);
    } else if (RANGE_KEEPING_OPS.has(op)) {
      const x = ins[0];
      if (x === undefined) continue;
      if (!tied.has(x)) calibrated.add(x);
      const root = tied.get(x) ?? x;
      for (const o of n.output ?? []) tied.set(o, root);
    }
  }
  for (const t of tied.keys()) calibrated.delete(t);
  return { calibrated: [...calibrated], tied };
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
export function quantizeBytes(source: Uint8Array, name: string, sha256: string, table: CalibrationTable): Uint8Array {
  const refuse = (why: string): FailureError => tableRefusal(name, table, why);
  checkTableFor(table, name, sha256);
  const model = onnx.ModelProto.decode(source);
  const graph = model.graph!;
  const opset = (model.opsetImport ?? []).find((o) => (o.domain ?? '') === '')?.version;
  // Per-axis DequantizeLinear needs opset 13.
  if (Number(opset ?? 0) < 13) throw refuse(`its opset ${String(opset)} is below 13 (per-channel DequantizeLinear)`);
  const inits = new Map<string, Tensor>();
  for (const t of graph.initializer ?? []) inits.set(t.name!, t);
  const { calibrated: needed, tied } = quantisedTensors(source);
  for (const t of needed) {
    const r = table.ranges[t];
    if (!r) throw refuse(`tensor "${t}" has no range in the table`);
    if (!(Number.isFinite(r[0]) && Number.isFinite(r[1]) && r[0] <= r[1])) throw refuse(`tensor "${t}" has the bad range [${r.join(', ')}]`);
  }
  const neededSet = new Set(needed);
  for (const t of Object.keys(table.ranges))
    if (!neededSet.has(t)) throw refuse(`the table names tensor "${t}", which is not an activation this graph quantises`);

  const newInits: Tensor[] = [];
  const scalar = (n: string, dataType: number, raw: ArrayBufferView): string => {
    newInits.push(
      onnx.TensorProto.create({ name: n, dataType, dims: [], rawData: new Uint8Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)) }),
    );
    return n;
  };
  const params = new Map<string, { scale: number; zeroPoint: number }>();
  for (const t of needed) params.set(t, activationParams(table.ranges[t]!));
  for (const [t, root] of tied) params.set(t, params.get(root)!);
  const quantised = new Set([...needed, ...tied.keys()]);

  // Consumers read the dequantised copy; graph outputs keep their names (none of ours is one here,
  // but a Conv feeding a graph output directly keeps the output float under its own name).
  const graphOutputs = new Set((graph.output ?? []).map((o) => o.name!));
  const renamed = new Map<string, string>();
  for (const t of quantised) if (!graphOutputs.has(t)) renamed.set(t, `${t}_DequantizeLinear_Output`);
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
  /** Initializer `name` replaced by its quantised values, per-output-channel scales and zero points, and a DequantizeLinear (axis 0) to `<name>_dequantized`. */
  const perChannel = (name: string, dataType: number, dims: number[], values: Int8Array | Int32Array, scales: Float32Array, zeroPoints: Uint8Array): void => {
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
    removeInits.add(name);
  };
  for (const n of graph.node ?? []) {
    const xName = n.input?.[0] ?? '';
    n.input = (n.input ?? []).map((i) => renamed.get(i) ?? i);
    if (n.opType === 'Conv' && quantised.has(xName)) {
      const xScale = params.get(xName)!.scale;
      const wName = n.input[1]!;
      const w = inits.get(wName);
      if (!w || w.dataType !== FLOAT) throw refuse(`Conv ${n.name}: weight ${wName} is not a float initializer`);
      const dims = (w.dims ?? []).map(Number);
      const cOut = dims[0]!;
      const wf = floats(w);
      const per = wf.length / cOut;
      const scales = new Float32Array(cOut);
      const q = new Int8Array(wf.length);
      for (let c = 0; c < cOut; c++) {
        let m = 0;
        for (let k = 0; k < per; k++) m = Math.max(m, Math.abs(wf[c * per + k]!));
        const s = Math.fround(m > 0 ? m / 127 : 1);
        scales[c] = s;
        for (let k = 0; k < per; k++) q[c * per + k] = Math.max(-127, Math.min(127, Math.round(wf[c * per + k]! / s)));
      }
      perChannel(wName, INT8, dims, q, scales, new Uint8Array(cOut));
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
        perChannel(bName, INT32, [cOut], bq, bs, new Uint8Array(cOut * 4));
        inputs.push(`${bName}_dequantized`);
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
