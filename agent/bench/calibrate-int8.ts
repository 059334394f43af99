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
 * NN.NN-th percentile of the per-frame maxima (and the 100-NN.NN-th of the minima), which ignores a
 * few outlier frames without per-value histograms.
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

const mins = new Map<string, number[]>(tensors.map((t) => [t, []]));
const maxs = new Map<string, number[]>(tensors.map((t) => [t, []]));
const input = allocInput(size.width, size.height);
let frames = 0;
for (const clip of clips) {
  const src = await openSource({ sourceId: basename(clip), url: clip, sampling: { fps: Number(values.fps), keyframes: 'never' }, modelSize: size });
  let n = 0;
  for await (const f of src) {
    preprocessInto(f.data, size.width, size.height, input, RGB_0_1);
    const out = await session.run(input, [1, 3, size.height, size.width]);
    for (const t of tensors) {
      // The graph input is not an output: its range is the normalised picture's own.
      const d = t === session.inputNames[0] ? input : out[t]?.data;
      if (!d) throw new Error(`tensor ${t} missing from the outputs`);
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < d.length; i++) {
        const v = d[i]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      mins.get(t)!.push(lo);
      maxs.get(t)!.push(hi);
    }
    n++;
  }
  frames += n;
  console.error(`${basename(clip)}: ${n} frames`);
}
await session.release();

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (q / 100) * (s.length - 1);
  const i = Math.floor(pos);
  return s[i]! + (s[Math.min(i + 1, s.length - 1)]! - s[i]!) * (pos - i);
};
const ranges: Record<string, [number, number]> = {};
for (const t of tensors) ranges[t] = [Math.fround(quantile(mins.get(t)!, 100 - pct)), Math.fround(quantile(maxs.get(t)!, pct))];
const table: CalibrationTable & { frames: number; clips: string[] } = {
  model: entry.name,
  sha256: entry.sha256,
  rule: `${rule === 'minmax' ? 'min and max over all frames' : `the ${pct}th percentile of per-frame maxima (${100 - pct}th of minima)`} of each quantised activation (models/quantize.ts), float model at its native ${size.width}x${size.height}, letterboxed frames at ${values.fps} fps`,
  command: `npx tsx agent/bench/calibrate-int8.ts --model ${values.model} --fps ${values.fps} --rule ${rule}${values.out ? ` --out ${values.out}` : ''}`,
  frames,
  clips: clips.map((c) => basename(c)),
  ranges,
};
const outPath = values.out ?? join(repoRoot, 'models', 'calibration', `${entry.name}.int8.json`);
mkdirSync(dirname(outPath), { recursive: true });
writeFileSync(outPath, `${JSON.stringify(table, null, 1)}\n`);
console.log(`${outPath}: ${tensors.length} tensors over ${frames} frames (${rule})`);
