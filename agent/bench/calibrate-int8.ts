/**
 * Calibration table for the static int8 model (models/quantize.ts): runs the float model with every
 * quantised activation added as a graph output over inputs from clips that are NOT in the labelled
 * set (the labelled clips stay the held-out test), and writes each tensor's range.
 *
 *   npx tsx agent/bench/calibrate-int8.ts [--model yolov8n_fp32] [--fps 3] [--input native|WxH] [--rule minmax|pNN.NN|mse[,rule...]]
 *     [--keep-float prefix,prefix] [--out models/calibration/<model>.int8.json] [--channel-stats N] [clip ...]
 *   npx tsx agent/bench/calibrate-int8.ts --model osnet_x0_25_msmt17 [--fps 1] [--max-crops 480] [clip ...]
 *
 * A detector is calibrated on its letterboxed frames at --input (default native: the manifest's size;
 * WxH runs the graph derived for that size, models/derive.ts, e.g. 640x384, the 16:9 input `auto`
 * runs at, so no letterbox padding dilutes the statistics; tensor names are the same at every size,
 * so one table serves all). Default clips: mall_entrance_people and mall_overhead_pedestrians under
 * $FLOORSENSE_SHARED_DATA/video; a clip of the labelled set (test/fixtures/labels) is refused, so
 * the labelled set stays a held-out test of the int8 model. A
 * ReID model is calibrated on person crops: yolov8n_fp32 (fp32) finds the people in each sampled
 * frame and the tracker's own crop path (track/crop.ts cropBatch: bilinear, ImageNet-normalised,
 * the model's native crop) cuts them, in batches of 8; default clips mall_entrance_people and
 * mall_overhead_pedestrians (street_elevated_pedestrians is in the labelled ReID test set), at most
 * --max-crops crops spread evenly over the frames. Rules: `minmax` takes the min and max over all
 * inputs; `pNN.NN` takes, per tensor, the (100 - NN.NN)-th and NN.NN-th percentiles of all its
 * values (a histogram of 8192 bins over the min/max range, a second pass), clipping rare outliers
 * for a finer uint8 step; `mse` takes, per tensor, the range [a * min, a * max] (a from 1 down to
 * 0.3 in steps of 0.01) whose uint8 quantisation of that same histogram has the least mean squared
 * error (rounding inside the range against clipping outside it, each value's own error).
 * Several rules (comma-separated) share one pass over the inputs and write one table each: --out
 * must then hold `{rule}`, which takes each rule's name.
 * --channel-stats N prints, for the N tensors where it is fewest, how many of its tensor's 256 uint8
 * steps the median channel's own range spans (per-tensor activation scales: a tensor whose range is
 * set by a few channels leaves the others a coarse grid; the measure a per-channel equalisation would raise).
 * --keep-float writes the node-name prefixes that stay float (models/quantize.ts KeepFloat; chosen
 * with agent/bench/reid-int8-sensitivity.ts) into the table; the ranges do not depend on it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Xyxy } from '../src/core/boxes.js';
import type { Frame } from '../src/core/frame.js';
import { Detector } from '../src/detect/detector.js';
import { allocInput, preprocessInto, RGB_0_1 } from '../src/detect/preprocess.js';
import { openSource } from '../src/ingest/index.js';
import { deriveBytes } from '../src/models/derive.js';
import { activationParams, type CalibrationTable, calibrationTensors, withTensorOutputs } from '../src/models/quantize.js';
import { resolveModel } from '../src/models/resolve.js';
import { openSession } from '../src/runtime/onnx.js';
import { cropBatch } from '../src/track/crop.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const data = process.env.FLOORSENSE_SHARED_DATA ?? resolve(repoRoot, '..', 'shared', 'data');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    model: { type: 'string', default: 'yolov8n_fp32' },
    fps: { type: 'string' },
    'max-crops': { type: 'string', default: '480' },
    rule: { type: 'string', default: 'minmax' },
    'keep-float': { type: 'string' },
    input: { type: 'string' },
    out: { type: 'string' },
    'channel-stats': { type: 'string' },
  },
});
const model = await resolveModel(values.model);
const entry = model.entry;
if (entry?.task !== 'detect' && entry?.task !== 'reid') throw new Error(`${values.model}: a detector or ReID model in the manifest is needed`);
const reid = entry.task === 'reid';
const fps = values.fps ?? (reid ? '1' : '3');
const defaultClips = ['mall_entrance_people', 'mall_overhead_pedestrians'];
const clips = positionals.length > 0 ? positionals : defaultClips.map((c) => join(data, 'video', `${c}.mp4`));
// The labelled clips are the held-out test of the int8 model (det-recall.ts, labelled-ab.ts; for
// ReID reid-replay.ts): ranges measured on them would leak that test into the table.
const labelled = existsSync(join(repoRoot, 'test', 'fixtures', 'labels'))
  ? readdirSync(join(repoRoot, 'test', 'fixtures', 'labels')).filter((d) => existsSync(join(repoRoot, 'test', 'fixtures', 'labels', d, 'gt.txt')))
  : [];
for (const c of clips) {
  const leak = labelled.find((l) => basename(c, extname(c)) === l);
  if (leak) throw new Error(`${c} is in the labelled set (test/fixtures/labels/${leak}): calibrating on it would leave the int8 model no held-out test`);
}
if (reid && values.input !== undefined) throw new Error('--input is for a detector (a ReID model is calibrated on its native crops)');
const rules = values.rule.split(',');
const pctOf = (rule: string): number => (rule === 'minmax' ? 100 : rule === 'mse' ? 0 : Number(/^p(\d+(\.\d+)?)$/.exec(rule)?.[1]));
for (const rule of rules) {
  const pct = pctOf(rule);
  if (!(rule === 'mse' || (pct > 50 && pct <= 100))) throw new Error(`--rule ${rule}: expected minmax, pNN.NN or mse`);
}
if (rules.length > 1 && !values.out?.includes('{rule}')) throw new Error('several --rule values need an --out path holding {rule}');
const keepFloat = values['keep-float'] ? values['keep-float'].split(',') : [];
const maxCrops = Number(values['max-crops']);
if (!(Number.isInteger(maxCrops) && maxCrops > 0)) throw new Error(`--max-crops ${values['max-crops']}: expected a positive integer`);

const native = { width: entry.input.width, height: entry.input.height };
const wh = values.input === undefined || values.input === 'native' ? undefined : /^(\d+)x(\d+)$/.exec(values.input);
if (values.input !== undefined && values.input !== 'native' && !wh) throw new Error(`--input ${values.input}: expected native or WxH (e.g. 640x384)`);
const size = wh ? { width: Number(wh[1]), height: Number(wh[2]) } : native;
const isNative = size.width === native.width && size.height === native.height;
const sourceBytes = readFileSync(model.path);
const graphBytes = isNative ? sourceBytes : deriveBytes(sourceBytes, entry.name, 'detect', native, size, entry.output.strides ?? [8, 16, 32]);
const tensors = calibrationTensors(sourceBytes);
const tmp = join(tmpdir(), `calibrate-${process.pid}.onnx`);
writeFileSync(tmp, withTensorOutputs(graphBytes, tensors));
const session = await openSession(tmp, { threads: 2, worker: false });
rmSync(tmp);

/** The model's inputs, prepared once, then one pass per statistic. */
const batches: { input: Float32Array; dims: number[] }[] = [];
if (!reid) {
  for (const clip of clips) {
    const src = await openSource({ sourceId: basename(clip), url: clip, sampling: { fps: Number(fps), keyframes: 'never' }, modelSize: size });
    let n = 0;
    for await (const f of src) {
      const input = allocInput(size.width, size.height);
      preprocessInto(f.data, size.width, size.height, input, RGB_0_1);
      batches.push({ input, dims: [1, 3, size.height, size.width] });
      n++;
    }
    console.error(`${basename(clip)}: ${n} frames`);
  }
} else {
  // Every person box of every sampled frame, then an even subsample of at most maxCrops, cut by the tracker's crop code.
  // The detector's input and precision named, not taken from the defaults: the committed table was
  // measured with boxes at the native 640x640, fp32 (a default flip must not move it).
  const det = await Detector.create({ model: 'yolov8n_fp32', threads: 2, input: 'native', precision: 'fp32' });
  const found: { frame: Frame; box: Xyxy }[] = [];
  for (const clip of clips) {
    const src = await openSource({ sourceId: basename(clip), url: clip, sampling: { fps: Number(fps), keyframes: 'never' }, modelSize: det.inputSize });
    let n = 0;
    let boxes = 0;
    for await (const decoded of src) {
      // The source may reuse its buffer for the next frame: keep a copy.
      const f: Frame = { ...decoded, data: decoded.data.slice() };
      const d = await det.detect(f);
      for (let i = 0; i < d.length; i++) found.push({ frame: f, box: [d.xyxy[i * 4]!, d.xyxy[i * 4 + 1]!, d.xyxy[i * 4 + 2]!, d.xyxy[i * 4 + 3]!] });
      boxes += d.length;
      n++;
    }
    console.error(`${basename(clip)}: ${n} frames, ${boxes} person boxes`);
  }
  await det.close();
  const step = Math.max(1, found.length / maxCrops);
  const picked = Array.from({ length: Math.min(maxCrops, found.length) }, (_, i) => found[Math.floor(i * step)]!);
  for (let s = 0; s < picked.length; s += 8) {
    const part = picked.slice(s, s + 8);
    // cropBatch takes one frame; a batch may span frames, so each crop is cut alone and packed.
    const plane = 3 * size.height * size.width;
    const input = new Float32Array(part.length * plane);
    for (const [i, p] of part.entries()) input.set(cropBatch(p.frame, [p.box], size), i * plane);
    batches.push({ input, dims: [part.length, 3, size.height, size.width] });
  }
}
const frames = batches.reduce((n, b) => n + b.dims[0]!, 0);
/** Runs the model on every input and hands each tensor's values to `visit`. */
async function eachActivation(visit: (tensor: string, values: Float32Array, dims: readonly number[]) => void): Promise<void> {
  for (const b of batches) {
    const out = await session.run(b.input, b.dims);
    for (const t of tensors) {
      // The graph input is not an output: its range is the normalised input's own.
      const d = t === session.inputNames[0] ? b.input : out[t]?.data;
      if (!d) throw new Error(`tensor ${t} missing from the outputs`);
      visit(t, d, t === session.inputNames[0] ? b.dims : out[t]!.dims);
    }
  }
}
const lo = new Map<string, number>(tensors.map((t) => [t, Number.POSITIVE_INFINITY]));
const hi = new Map<string, number>(tensors.map((t) => [t, Number.NEGATIVE_INFINITY]));
// --channel-stats N: per channel (axis 1 of an NCHW tensor) min and max too, to see where one
// per-tensor uint8 range is set by a few channels (the others then use a few of its 256 steps).
const chLo = new Map<string, Float64Array>();
const chHi = new Map<string, Float64Array>();
await eachActivation((t, d, dims) => {
  if (values['channel-stats'] !== undefined && dims.length === 4) {
    const [n, c, h, w] = dims as [number, number, number, number];
    if (!chLo.has(t)) {
      chLo.set(t, new Float64Array(c).fill(Number.POSITIVE_INFINITY));
      chHi.set(t, new Float64Array(c).fill(Number.NEGATIVE_INFINITY));
    }
    const [cl, ch] = [chLo.get(t)!, chHi.get(t)!];
    for (let b = 0; b < n; b++)
      for (let k = 0; k < c; k++)
        for (let i = (b * c + k) * h * w, e = i + h * w; i < e; i++) {
          const v = d[i]!;
          if (v < cl[k]!) cl[k] = v;
          if (v > ch[k]!) ch[k] = v;
        }
  }
  let a = lo.get(t)!;
  let b = hi.get(t)!;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v < a) a = v;
    if (v > b) b = v;
  }
  lo.set(t, a);
  hi.set(t, b);
});
if (values['channel-stats'] !== undefined) {
  // How many of the tensor's uint8 steps the median channel spans (its own range over the tensor's step).
  const rows = [...chLo.keys()].map((t) => {
    const { scale } = activationParams([lo.get(t)!, hi.get(t)!]);
    const spans = [...chLo.get(t)!].map((a, k) => (chHi.get(t)![k]! - a) / scale).sort((x, y) => x - y);
    return { t, c: spans.length, median: spans[Math.floor(spans.length / 2)]!, min: spans[0]! };
  });
  rows.sort((x, y) => x.median - y.median);
  const n = Number(values['channel-stats']) || 20;
  console.log(`uint8 steps a channel's own range spans under its tensor's per-tensor scale, the ${n} worst of ${rows.length} tensors (255 = all):`);
  console.log('median  min  channels  tensor');
  for (const r of rows.slice(0, n)) console.log(`${r.median.toFixed(1).padStart(6)} ${r.min.toFixed(1).padStart(5)} ${String(r.c).padStart(6)}    ${r.t}`);
  const med = rows.map((r) => r.median).sort((x, y) => x - y);
  console.log(`over all ${rows.length} tensors: median of the medians ${med[Math.floor(med.length / 2)]!.toFixed(1)} steps`);
}
// A histogram of every value over the min/max range (BINS bins), when a rule needs one.
const BINS = 8192;
const hist = new Map<string, Float64Array>();
if (rules.some((r) => r !== 'minmax')) {
  for (const t of tensors) hist.set(t, new Float64Array(BINS));
  await eachActivation((t, d) => {
    const h = hist.get(t)!;
    const a = lo.get(t)!;
    const w = (hi.get(t)! - a) / BINS || 1;
    for (let i = 0; i < d.length; i++) h[Math.min(BINS - 1, Math.floor((d[i]! - a) / w))]!++;
  });
}
await session.release();

/** Each tensor's range under one rule. */
function rangesFor(rule: string): Record<string, [number, number]> {
  const pct = pctOf(rule);
  const ranges: Record<string, [number, number]> = {};
  for (const t of tensors) {
    const a = lo.get(t)!;
    const b = hi.get(t)!;
    if (pct === 100) {
      ranges[t] = [a, b];
      continue;
    }
    const h = hist.get(t)!;
    const w = (b - a) / BINS;
    if (rule === 'mse') {
      let best: [number, number] = [a, b];
      let bestErr = Number.POSITIVE_INFINITY;
      for (let k = 100; k >= 30; k--) {
        const r: [number, number] = [(a * k) / 100, (b * k) / 100];
        const { scale, zeroPoint } = activationParams(r);
        let err = 0;
        for (let i = 0; i < BINS; i++) {
          if (h[i] === 0) continue;
          const x = a + (i + 0.5) * w;
          const q = (Math.min(255, Math.max(0, Math.round(x / scale) + zeroPoint)) - zeroPoint) * scale;
          err += h[i]! * (x - q) * (x - q);
        }
        if (err < bestErr) [best, bestErr] = [r, err];
      }
      ranges[t] = best;
      continue;
    }
    // Percentile: the values at (100 - pct) % and pct % of the distribution.
    const total = h.reduce((x, y) => x + y, 0);
    const tail = ((100 - pct) / 100) * total;
    let acc = 0;
    let i0 = 0;
    while (i0 < BINS - 1 && acc + h[i0]! <= tail) acc += h[i0++]!;
    acc = 0;
    let i1 = BINS - 1;
    while (i1 > 0 && acc + h[i1]! <= tail) acc += h[i1--]!;
    ranges[t] = [a + i0 * w, a + (i1 + 1) * w];
  }
  for (const t of tensors) ranges[t] = [Math.fround(ranges[t]![0]), Math.fround(ranges[t]![1])];
  return ranges;
}
for (const rule of rules) {
  const pct = pctOf(rule);
  const table: CalibrationTable & { frames: number; clips: string[] } = {
    model: entry.name,
    sha256: entry.sha256,
    rule: `${rule === 'minmax' ? `min and max over all ${reid ? 'crops' : 'frames'}` : rule === 'mse' ? `the least-squared-error uint8 range [a * min, a * max], a in 0.30..1.00, over all ${reid ? 'crops' : 'frames'}` : `the ${(100 - pct).toFixed(4).replace(/0+$/, '')} and ${pct} percentiles of all values over all ${reid ? 'crops' : 'frames'}`} of each quantised activation (models/quantize.ts), float model at ${isNative ? 'its native' : 'the derived'} ${size.width}x${size.height}, ${reid ? `person crops (yolov8n_fp32 boxes, track/crop.ts) at most ${maxCrops} spread over frames` : 'letterboxed frames'} at ${fps} fps`,
    command: `npx tsx agent/bench/calibrate-int8.ts --model ${values.model} --fps ${fps}${reid ? ` --max-crops ${maxCrops}` : ''}${values.input !== undefined ? ` --input ${values.input}` : ''} --rule ${rule}${keepFloat.length ? ` --keep-float '${keepFloat.join(',')}'` : ''}${values.out ? ` --out ${values.out.replace('{rule}', rule)}` : ''}${positionals.length ? ` ${positionals.map((c) => (c.startsWith(data) ? `$FLOORSENSE_SHARED_DATA${c.slice(data.length)}` : relative(repoRoot, c))).join(' ')}` : ''}`,
    frames,
    clips: clips.map((c) => basename(c)),
    ranges: rangesFor(rule),
    ...(keepFloat.length ? { keep_float: keepFloat } : {}),
  };
  const outPath = values.out?.replace('{rule}', rule) ?? join(repoRoot, 'models', 'calibration', `${entry.name}.int8.json`);
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, `${JSON.stringify(table, null, 1)}\n`);
  console.log(`${outPath}: ${tensors.length} tensors over ${frames} ${reid ? 'crops' : 'frames'} (${rule})`);
}
