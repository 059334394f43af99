/**
 * Calibration table for the static int8 model (models/quantize.ts): runs the float model with every
 * Conv's input and output added as graph outputs over frames of clips that are NOT in the labelled
 * set (the labelled clips stay the held-out test), and writes each tensor's range.
 *
 *   npx tsx agent/bench/calibrate-int8.ts [--model yolov8n_fp32] [--fps 3] [--rule minmax|pNN.NN]
 *     [--out models/calibration/<model>.int8.json] [clip ...]
 *
 * Default clips: mall_entrance_people, mall_overhead_pedestrians, street_elevated_pedestrians under
 * $FLOORSENSE_SHARED_DATA/video, letterboxed to the model's native input by the pipeline's own
 * ingest. Rules: `minmax` takes the min and max over all frames; `pNN.NN` takes, per tensor, the
 * (100 - NN.NN)-th and NN.NN-th percentiles of all its values over all frames (a histogram of 8192
 * bins over the min/max range, a second pass), clipping rare outliers for a finer uint8 step.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { allocInput, preprocessInto, RGB_0_1 } from '../src/detect/preprocess.js';
import { openSource } from '../src/ingest/index.js';
import { type CalibrationTable, calibrationTensors, withTensorOutputs } from '../src/models/quantize.js';
import { resolveModel } from '../src/models/resolve.js';
import { openSession } from '../src/runtime/onnx.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const data = process.env.FLOORSENSE_SHARED_DATA ?? resolve(repoRoot, '..', 'shared', 'data');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    model: { type: 'string', default: 'yolov8n_fp32' },
    fps: { type: 'string', default: '3' },
    rule: { type: 'string', default: 'minmax' },
    out: { type: 'string' },
  },
});
const clips =
  positionals.length > 0
    ? positionals
    : ['mall_entrance_people', 'mall_overhead_pedestrians', 'street_elevated_pedestrians'].map((c) => join(data, 'video', `${c}.mp4`));
const rule = values.rule;
const pct = rule === 'minmax' ? 100 : Number(/^p(\d+(\.\d+)?)$/.exec(rule)?.[1]);
if (!(pct > 50 && pct <= 100)) throw new Error(`--rule ${rule}: expected minmax or pNN.NN`);

const model = await resolveModel(values.model);
const entry = model.entry;
if (entry?.task !== 'detect') throw new Error(`${values.model}: a detector in the manifest is needed`);
const size = { width: entry.input.width, height: entry.input.height };
const tensors = calibrationTensors(readFileSync(model.path));
const tmp = join(tmpdir(), `calibrate-${process.pid}.onnx`);
writeFileSync(tmp, withTensorOutputs(readFileSync(model.path), tensors));
const session = await openSession(tmp, { threads: 2, worker: false });
rmSync(tmp);

// The frames once (uint8, model size), then one pass per statistic.
const pictures: Uint8Array[] = [];
for (const clip of clips) {
  const src = await openSource({ sourceId: basename(clip), url: clip, sampling: { fps: Number(values.fps), keyframes: 'never' }, modelSize: size });
  let n = 0;
  for await (const f of src) {
    pictures.push(f.data.slice());
    n++;
  }
  console.error(`${basename(clip)}: ${n} frames`);
}
const frames = pictures.length;
const input = allocInput(size.width, size.height);
/** Runs the model on every frame and hands each tensor's values to `visit`. */
async function eachActivation(visit: (tensor: string, values: Float32Array) => void): Promise<void> {
  for (const pic of pictures) {
    preprocessInto(pic, size.width, size.height, input, RGB_0_1);
    const out = await session.run(input, [1, 3, size.height, size.width]);
    for (const t of tensors) {
      // The graph input is not an output: its range is the normalised picture's own.
      const d = t === session.inputNames[0] ? input : out[t]?.data;
      if (!d) throw new Error(`tensor ${t} missing from the outputs`);
      visit(t, d);
    }
  }
}
const lo = new Map<string, number>(tensors.map((t) => [t, Number.POSITIVE_INFINITY]));
const hi = new Map<string, number>(tensors.map((t) => [t, Number.NEGATIVE_INFINITY]));
await eachActivation((t, d) => {
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
const ranges: Record<string, [number, number]> = {};
if (pct === 100) {
  for (const t of tensors) ranges[t] = [lo.get(t)!, hi.get(t)!];
} else {
  // Percentile: a histogram of every value over the min/max range (BINS bins), then the values at
  // (100 - pct) % and pct % of the distribution.
  const BINS = 8192;
  const hist = new Map<string, Float64Array>(tensors.map((t) => [t, new Float64Array(BINS)]));
  await eachActivation((t, d) => {
    const h = hist.get(t)!;
    const a = lo.get(t)!;
    const w = (hi.get(t)! - a) / BINS || 1;
    for (let i = 0; i < d.length; i++) h[Math.min(BINS - 1, Math.floor((d[i]! - a) / w))]!++;
  });
  for (const t of tensors) {
    const h = hist.get(t)!;
    const total = h.reduce((x, y) => x + y, 0);
    const a = lo.get(t)!;
    const w = (hi.get(t)! - a) / BINS;
    const tail = ((100 - pct) / 100) * total;
    let acc = 0;
    let i0 = 0;
    while (i0 < BINS - 1 && acc + h[i0]! <= tail) acc += h[i0++]!;
    acc = 0;
    let i1 = BINS - 1;
    while (i1 > 0 && acc + h[i1]! <= tail) acc += h[i1--]!;
    ranges[t] = [a + i0 * w, a + (i1 + 1) * w];
  }
}
await session.release();
for (const t of tensors) ranges[t] = [Math.fround(ranges[t]![0]), Math.fround(ranges[t]![1])];
const table: CalibrationTable & { frames: number; clips: string[] } = {
  model: entry.name,
  sha256: entry.sha256,
  rule: `${rule === 'minmax' ? 'min and max over all frames' : `the ${(100 - pct).toFixed(4).replace(/0+$/, '')} and ${pct} percentiles of all values over all frames`} of each quantised activation (models/quantize.ts), float model at its native ${size.width}x${size.height}, letterboxed frames at ${values.fps} fps`,
  command: `npx tsx agent/bench/calibrate-int8.ts --model ${values.model} --fps ${values.fps} --rule ${rule}${values.out ? ` --out ${values.out}` : ''}`,
  frames,
  clips: clips.map((c) => basename(c)),
  ranges,
};
const outPath = values.out ?? join(repoRoot, 'models', 'calibration', `${entry.name}.int8.json`);
mkdirSync(dirname(outPath), { recursive: true });
writeFileSync(outPath, `${JSON.stringify(table, null, 1)}\n`);
console.log(`${outPath}: ${tensors.length} tensors over ${frames} frames (${rule})`);
