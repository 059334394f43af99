/**
 * A probe, not a product path (a script, not a test): would per-channel equalisation of each OSBlock's
 * stream outputs make OSNet x0.25's int8 embedding closer to fp32's? The four streams' last depthwise
 * conv (weights and folded-BN bias) scale output channel c by s_c, which the Relu, the gate's pool
 * and Mul and the stream sums carry through; the gate's first 1x1 conv and the block's conv3 divide
 * their input channel c by s_c, so the float graph is the same function (checked: cosine 1 to fp32).
 * s_c from each channel's max over 480 mall crops (the calibration set): `sqrt` = sqrt(R / r_c),
 * `full` = R / r_c (R the block's largest), capped. The equalised graph is then calibrated min/max
 * on the same crops and quantised as tracker.reid_precision int8 would be (the shipped keep_float),
 * and scored by cosine to fp32 on held-out crops of checkout_counter_cashier and
 * street_elevated_pedestrians (yolov8n_fp32 native boxes, 2 fps), beside the shipped int8.
 *
 *   npx tsx agent/bench/reid-int8-equalise.ts [sqrt|full] [cap]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import onnxProto from 'onnx-proto';
import type { Frame } from '../src/core/frame.js';
import { Detector } from '../src/detect/detector.js';
import { openSource } from '../src/ingest/index.js';
import { calibrationPath, calibrationTensors, loadCalibration, quantizeBytes, withTensorOutputs } from '../src/models/quantize.js';
import { resolveModel } from '../src/models/resolve.js';
import { openSession } from '../src/runtime/onnx.js';
import { cropBatch, REID_CROP } from '../src/track/crop.js';

const { onnx } = onnxProto;
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const data = process.env.FLOORSENSE_SHARED_DATA ?? resolve(repoRoot, '..', 'shared', 'data');
const V = join(data, 'video');
const SRC = (await resolveModel('osnet_x0_25_msmt17', join(data, 'models'))).path;
const mode = process.argv[2] ?? 'sqrt';
if (mode !== 'sqrt' && mode !== 'full') throw new Error(`${mode}: expected sqrt or full`);
const tmp = mkdtempSync(join(tmpdir(), 'reid-eq-'));
const cap = Number(process.argv[3] ?? '16');
const det = await Detector.create({ model: 'yolov8n_fp32', threads: 2, input: 'native', precision: 'fp32' });
async function crops(clip: string, fps: number, max: number): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  const src = await openSource({ sourceId: basename(clip), url: clip, sampling: { fps, keyframes: 'never' }, modelSize: det.inputSize });
  for await (const decoded of src) {
    const f: Frame = { ...decoded, data: decoded.data.slice() };
    const d = await det.detect(f);
    for (let i = 0; i < d.length; i++) out.push(cropBatch(f, [[d.xyxy[i * 4]!, d.xyxy[i * 4 + 1]!, d.xyxy[i * 4 + 2]!, d.xyxy[i * 4 + 3]!]], REID_CROP));
  }
  const step = Math.max(1, out.length / max);
  return Array.from({ length: Math.min(max, out.length) }, (_, i) => out[Math.floor(i * step)]!);
}
const calib = [...(await crops(`${V}/mall_entrance_people.mp4`, 1, 1000)), ...(await crops(`${V}/mall_overhead_pedestrians.mp4`, 1, 1000))];
const step = Math.max(1, calib.length / 480);
const cal = Array.from({ length: Math.min(480, calib.length) }, (_, i) => calib[Math.floor(i * step)]!);
const test: Record<string, Float32Array[]> = {
  checkout: await crops(`${V}/checkout_counter_cashier.mp4`, 2, 300),
  street: await crops(`${V}/street_elevated_pedestrians.mp4`, 2, 300),
};
await det.close();
const plane = 3 * 256 * 128;
async function runAll(path: string, xs: Float32Array[], outs?: string[]): Promise<Record<string, { data: Float32Array; dims: readonly number[] }>[]> {
  const s = await openSession(path, { threads: 2, worker: false });
  const res = [];
  for (let i = 0; i < xs.length; i += 8) {
    const part = xs.slice(i, i + 8);
    const input = new Float32Array(part.length * plane);
    for (const [k, c] of part.entries()) input.set(c, k * plane);
    const r = await s.run(input, [part.length, 3, 256, 128]);
    res.push(outs ? Object.fromEntries(outs.map((o) => [o, r[o]!])) : { output: r[s.outputNames[0]!]! });
  }
  await s.release();
  return res;
}
const src = readFileSync(SRC);
const model = onnx.ModelProto.decode(src);
const g = model.graph!;
const init = new Map(g.initializer!.map((t) => [t.name!, t]));
const f32 = (t: onnxProto.onnx.ITensorProto) => new Float32Array(Uint8Array.prototype.slice.call(t.rawData).buffer);
const put = (t: onnxProto.onnx.ITensorProto, v: Float32Array) => {
  t.rawData = new Uint8Array(v.buffer.slice(0));
};
const blocks = ['conv2/conv2.0', 'conv2/conv2.1', 'conv3/conv3.0', 'conv3/conv3.1', 'conv4/conv4.0', 'conv4/conv4.1'];
const streamLast = ['conv2a/conv2', 'conv2b/conv2b.1/conv2', 'conv2c/conv2c.2/conv2', 'conv2d/conv2d.3/conv2'];
const node = (n: string) => g.node!.find((x) => x.name === n)!;
// 1. per-channel max of the stream outputs (the Relu after each last dw conv) on the calibration crops.
const reluOut = blocks.flatMap((b) => streamLast.map((s) => `/${b}/${s.replace(/\/conv2$/, '')}/relu/Relu_output_0`));
for (const t of reluOut) if (!g.node!.some((n) => n.output!.includes(t))) throw new Error(`no ${t}`);
writeFileSync(join(tmp, 'eq-probe.onnx'), withTensorOutputs(src, reluOut));
const probe = await runAll(join(tmp, 'eq-probe.onnx'), cal, reluOut);
const chMax = new Map<string, Float64Array>();
for (const r of probe)
  for (const t of reluOut) {
    const { data, dims } = r[t]!;
    const [n, c, h, w] = dims as number[];
    const m = chMax.get(t) ?? new Float64Array(c!);
    for (let b = 0; b < n!; b++)
      for (let k = 0; k < c!; k++) for (let i = (b * c! + k) * h! * w!, e = i + h! * w!; i < e; i++) if (data[i]! > m[k]!) m[k] = data[i]!;
    chMax.set(t, m);
  }
// 2. scales per block channel and the exact float edit.
for (const b of blocks) {
  const ts = streamLast.map((s) => `/${b}/${s.replace(/\/conv2$/, '')}/relu/Relu_output_0`);
  const C = chMax.get(ts[0]!)!.length;
  const r = Array.from({ length: C }, (_, c) => Math.max(...ts.map((t) => chMax.get(t)![c]!)));
  const R = Math.max(...r);
  const s = r.map((rc) => (rc <= 0 ? 1 : Math.min(cap, mode === 'full' ? R / rc : Math.sqrt(R / rc))));
  for (const sl of streamLast) {
    const n = node(`/${b}/${sl}/Conv`);
    const w = init.get(n.input![1]!)!;
    const wv = f32(w);
    const per = wv.length / C;
    for (let c = 0; c < C; c++) for (let k = 0; k < per; k++) wv[c * per + k]! *= s[c]!;
    put(w, wv);
    const bi = init.get(n.input![2]!)!;
    const bv = f32(bi);
    for (let c = 0; c < C; c++) bv[c]! *= s[c]!;
    put(bi, bv);
  }
  const fc1 = init.get(node(`/${b}/gate/fc1/Conv`).input![1]!)!;
  const fv = f32(fc1);
  const hidden = fv.length / C;
  for (let o = 0; o < hidden; o++) for (let c = 0; c < C; c++) fv[o * C + c]! /= s[c]!;
  put(fc1, fv);
  const c3 = init.get(node(`/${b}/conv3/conv/Conv`).input![1]!)!;
  const cv = f32(c3);
  const cout = cv.length / C;
  for (let o = 0; o < cout; o++) for (let c = 0; c < C; c++) cv[o * C + c]! /= s[c]!;
  put(c3, cv);
  console.log(b, 'scales', s.map((x) => x.toFixed(1)).join(' '));
}
const eqBytes = onnx.ModelProto.encode(model).finish();
writeFileSync(join(tmp, 'eq-float.onnx'), eqBytes);
// 3. minmax ranges of the equalised float graph on the calibration crops.
const tensors = calibrationTensors(eqBytes);
writeFileSync(join(tmp, 'eq-cal.onnx'), withTensorOutputs(eqBytes, tensors));
const shipped = loadCalibration(calibrationPath('osnet_x0_25_msmt17', repoRoot)).table;
const ranges: Record<string, [number, number]> = {};
for (const t of tensors) ranges[t] = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
const calOut = await runAll(
  join(tmp, 'eq-cal.onnx'),
  cal,
  tensors.filter((t) => t !== 'images'),
);
for (const r of calOut)
  for (const t of tensors) {
    if (t === 'images') continue;
    const d = r[t]!.data;
    let [a, z] = ranges[t]!;
    for (let i = 0; i < d.length; i++) {
      if (d[i]! < a) a = d[i]!;
      if (d[i]! > z) z = d[i]!;
    }
    ranges[t] = [a, z];
  }
ranges.images = shipped.ranges.images as [number, number];
const table = {
  ...shipped,
  ranges: Object.fromEntries(Object.entries(ranges).map(([k, [a, z]]) => [k, [Math.fround(a), Math.fround(z)] as [number, number]])),
};
writeFileSync(join(tmp, 'eq-int8.onnx'), quantizeBytes(eqBytes, 'osnet_x0_25_msmt17', shipped.sha256, table));
writeFileSync(join(tmp, 'base-int8.onnx'), quantizeBytes(src, 'osnet_x0_25_msmt17', shipped.sha256, shipped));
// 4. cosine to fp32 on held-out crops.
const norm = (v: Float32Array) => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
const emb = async (p: string, xs: Float32Array[]) =>
  (await runAll(p, xs)).flatMap((r) => {
    const { data, dims } = r.output!;
    return Array.from({ length: dims[0]! }, (_, k) => norm(data.slice(k * 512, (k + 1) * 512)));
  });
for (const [name, xs] of Object.entries(test)) {
  const ref = await emb(SRC, xs);
  const eqf = await emb(join(tmp, 'eq-float.onnx'), xs);
  for (const [label, p] of [
    ['shipped int8', join(tmp, 'base-int8.onnx')],
    ['equalised int8', join(tmp, 'eq-int8.onnx')],
  ] as const) {
    const e = await emb(p, xs);
    const cos = e.map((v, i) => v.reduce((s, x, k) => s + x * ref[i]![k]!, 0)).sort((a, b) => a - b);
    console.log(
      `${name} ${xs.length} crops ${label}: cos to fp32 mean ${(cos.reduce((s, v) => s + v, 0) / cos.length).toFixed(4)} p5 ${cos[Math.floor(0.05 * cos.length)]!.toFixed(4)} min ${cos[0]!.toFixed(4)}`,
    );
  }
  const fe = eqf.map((v, i) => v.reduce((s, x, k) => s + x * ref[i]![k]!, 0)).sort((a, b) => a - b);
  console.log(`${name}: equalised float vs fp32 min cos ${fe[0]!.toFixed(6)} (must be 1: the edit is exact)`);
}
rmSync(tmp, { recursive: true, force: true });
