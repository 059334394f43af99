/**
 * Detector milliseconds per frame at the native and the fitted input (and at int8: an input with
 * "+int8", e.g. 640x384+int8, runs the static int8 model of models/quantize.ts), interleaved frame
 * by frame (A B A B ..., the order reversed every round) so the load of a shared box hits all alike;
 * real frames of the 1080p street clip letterboxed by the same ffmpeg path the pipeline uses. Prints
 * medians of wall and process CPU time (all threads: the detector's worker and onnxruntime's pool;
 * CPU time is what a loaded box runs out of), each one's ratio to the first, and the load.
 * `+int8:TABLE` runs the int8 model derived with that calibration table instead of the committed one
 * (e.g. a keep_float candidate from calibrate-int8.ts --out), so float sets can be timed side by side.
 *
 *   npx tsx agent/bench/input-speed.ts [--model yolov8n_fp32] [--inputs native,auto,native+int8,auto+int8,640x384+int8:out/t.json] [--rounds 20] [--threads 2]
 */
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Frame } from '../src/core/frame.js';
import { Detector } from '../src/detect/detector.js';
import { describeDetectorInput } from '../src/detect/detector.js';
import { AUTO_INPUT_ASPECT } from '../src/detect/defaults.js';
import { openSource } from '../src/ingest/index.js';
import { deriveModelInput, fittedInput } from '../src/models/derive.js';
import { resolveModel } from '../src/models/resolve.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const data = process.env.FLOORSENSE_SHARED_DATA ?? resolve(repoRoot, '..', 'shared', 'data');
const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'yolov8n_fp32' },
    inputs: { type: 'string', default: 'native,auto' },
    rounds: { type: 'string', default: '20' },
    threads: { type: 'string', default: '2' },
  },
});
const rounds = Number(values.rounds);
/**
 * The int8 file derived with another table, loaded as a plain file: the same graph the detector
 * would load, outside the manifest (so its input is the file's own, and nothing else differs).
 */
async function derivedWith(table: string, size: string): Promise<string> {
  const model = await resolveModel(values.model);
  const e = model.entry!;
  const want = size === 'native' ? { width: e.input.width, height: e.input.height } : size === 'auto' ? fittedInput(e.input, AUTO_INPUT_ASPECT) : undefined;
  const wh = /^(\d+)x(\d+)$/.exec(size);
  const s = want ?? (wh ? { width: Number(wh[1]), height: Number(wh[2]) } : undefined);
  if (!s) throw new Error(`--inputs ${size}: native, auto or WxH`);
  return (await deriveModelInput(model, s, { precision: 'int8', calibrationPath: table })).path;
}
const load0 = loadavg()[0]!;
const runs = await Promise.all(
  values.inputs.split(',').map(async (input) => {
    const [size, plus] = input.split('+');
    const [precision, table] = plus === undefined ? [undefined, undefined] : [plus.split(':')[0], plus.split(':').slice(1).join(':') || undefined];
    if (precision !== undefined && precision !== 'int8') throw new Error(`--inputs ${input}: only +int8 (or +int8:TABLE) may follow the size`);
    const common = { threads: Number(values.threads), warn: () => {} };
    const det =
      table === undefined
        ? await Detector.create({ ...common, model: values.model, input: size!, precision: precision ?? 'fp32' })
        : await Detector.create({ ...common, model: await derivedWith(table, size!), input: 'native', precision: 'fp32' });
    const src = await openSource({
      sourceId: 'street',
      url: join(data, 'video', 'street_elevated_pedestrians.mp4'),
      sampling: { fps: 1, keyframes: 'never' },
      modelSize: det.inputSize,
      limitSec: 5,
    });
    const frames: Frame[] = [];
    for await (const f of src) frames.push(f);
    return { input, det, frames, ms: [] as number[], cpu: [] as number[] };
  }),
);
for (const r of runs) for (const f of r.frames.slice(0, 2)) await r.det.detect(f); // warm-up
for (let i = 0; i < rounds; i++) {
  for (const r of i % 2 === 0 ? runs : [...runs].reverse()) {
    const f = r.frames[i % r.frames.length]!;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await r.det.detect(f);
    const c = process.cpuUsage(c0);
    r.ms.push(performance.now() - t0);
    r.cpu.push((c.user + c.system) / 1000);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`${values.model}, ${values.threads} threads, ${rounds} frames each, interleaved; load ${load0.toFixed(1)} -> ${loadavg()[0]!.toFixed(1)}`);
const m0 = median(runs[0]!.ms);
const c0 = median(runs[0]!.cpu);
for (const r of runs) {
  const ratio = r === runs[0] ? '' : `  ratio to ${runs[0]!.input} ${(median(r.ms) / m0).toFixed(2)} (cpu ${(median(r.cpu) / c0).toFixed(2)})`;
  const t = `median ${median(r.ms).toFixed(1)} ms/frame, process cpu ${median(r.cpu).toFixed(1)} ms`;
  console.log(`  ${r.input.padEnd(13)} ${describeDetectorInput(r.det.input).padEnd(70)} ${t}${ratio}`);
}
for (const r of runs) await r.det.close();
