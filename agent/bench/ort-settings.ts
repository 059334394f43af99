/**
 * Model cost by onnxruntime session setting on this machine (a benchmark script, not a test):
 *
 *   npx tsx agent/bench/ort-settings.ts [--runs 15] [--models yolov8n_fp32,yolov8n_int8,yolox_nano]
 *       [--variants t2,t1,t2-ext,t2-noarena,t2-par] [--beside none,reid1,reid2] [--reid-batches 1,4,8]
 *
 * Each (model, variant) gets one in-thread session, 3 warm-up runs, then `runs` timed runs, all
 * configurations interleaved round by round so load from other processes hits them alike. Input: a
 * real COCO8 image letterboxed to the model's size (cost does not depend on content; the image keeps
 * it honest). The base options are the project's own (sessionOptionsFor, spinning off as in
 * DETECTOR_DEFAULTS); a variant overrides one setting:
 *   t2 / t1      intraOpNumThreads 2 / 1, graph 'all', executionMode sequential, CPU memory arena on
 *   t2-ext       graphOptimizationLevel 'extended' instead of 'all'
 *   t2-noarena   enableCpuMemArena false (t1-noarena: the same with 1 thread)
 *   t2-par       executionMode 'parallel' (inter-op threads; sequential is onnxruntime's default)
 * `--beside reidN`: while the detector is timed, OSNet x0.25 runs batches of 4 crops back to back on
 * a worker session with N intra-op threads, as the tracker's ReID worker would (the 2-cores-shared
 * question). `--reid-batches`: OSNet's own ms per crop by batch size (its batch axis is dynamic).
 * Printed: wall ms/frame median and min, process CPU ms/frame (all threads) median.
 */
import { cpus, loadavg } from 'node:os';
import * as ort from 'onnxruntime-node';
import { allocInput, preprocessInto } from '../src/detect/preprocess.js';
import { loadImageLetterboxed } from '../src/ingest/image.js';
import { openSession } from '../src/runtime/onnx.js';
import { sessionOptionsFor } from '../src/runtime/session-options.js';
import { defaultModelsDir } from '../src/models/index.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const runs = Number(arg('runs', '15'));
// `--models ''` (ReID only) must not fall back to the default list, so read the raw value.
const modelsAt = process.argv.indexOf('--models');
const models = (modelsAt >= 0 ? (process.argv[modelsAt + 1] ?? '') : 'yolov8n_fp32,yolov8n_int8,yolox_nano').split(',').filter(Boolean);
const variants = arg('variants', 't2,t1,t2-ext,t2-noarena,t2-par').split(',').filter(Boolean);
const besides = arg('beside', 'none').split(',').filter(Boolean);
const reidBatches = arg('reid-batches', '').split(',').filter(Boolean).map(Number);
const dir = defaultModelsDir();

const VARIANTS: Record<string, { threads: number; extra: ort.InferenceSession.SessionOptions }> = {
  t2: { threads: 2, extra: {} },
  t1: { threads: 1, extra: {} },
  't2-ext': { threads: 2, extra: { graphOptimizationLevel: 'extended' } },
  't2-noarena': { threads: 2, extra: { enableCpuMemArena: false } },
  't1-noarena': { threads: 1, extra: { enableCpuMemArena: false } },
  't2-par': { threads: 2, extra: { executionMode: 'parallel' } },
};
const SIZE: Record<string, [number, number]> = { yolox_nano: [416, 416], osnet_x0_25_msmt17: [128, 256] };

async function inputFor(model: string, batch = 1): Promise<{ data: Float32Array; dims: number[] }> {
  const [w, h] = SIZE[model] ?? [640, 640];
  const frame = await loadImageLetterboxed(`${process.env.FLOORSENSE_SHARED_DATA ?? '../shared/data'}/coco8/images/val/000000000049.jpg`, w, h);
  const one = preprocessInto(frame.data, w, h, allocInput(w, h));
  const data = new Float32Array(one.length * batch);
  for (let b = 0; b < batch; b++) data.set(one, b * one.length);
  return { data, dims: [batch, 3, h, w] };
}

async function open(model: string, threads: number, extra: ort.InferenceSession.SessionOptions) {
  const opts = { ...sessionOptionsFor('cpu', { threads, spinning: false }), ...extra };
  const session = await ort.InferenceSession.create(`${dir}/${model}.onnx`, opts);
  const name = session.inputNames[0]!;
  return {
    session,
    run: (x: { data: Float32Array; dims: number[] }) => session.run({ [name]: new ort.Tensor('float32', x.data, x.dims) }),
  };
}

const median = (x: number[]) => [...x].sort((a, b) => a - b)[x.length >> 1]!;
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const loads: number[] = [];

interface Config {
  label: string;
  run: () => Promise<unknown>;
  release: () => Promise<void>;
  wall: number[];
  cpu: number[];
}
const configs: Config[] = [];
for (const model of models) {
  const x = await inputFor(model);
  for (const v of variants) {
    const spec = VARIANTS[v];
    if (!spec) throw new Error(`--variants: unknown variant "${v}" (known: ${Object.keys(VARIANTS).join(', ')})`);
    const s = await open(model, spec.threads, spec.extra);
    configs.push({ label: `${model} ${v}`, run: () => s.run(x), release: () => s.session.release(), wall: [], cpu: [] });
  }
}
for (const b of reidBatches) {
  const x = await inputFor('osnet_x0_25_msmt17', b);
  for (const v of variants) {
    const spec = VARIANTS[v]!;
    const s = await open('osnet_x0_25_msmt17', spec.threads, spec.extra);
    configs.push({ label: `osnet batch=${b} ${v}`, run: () => s.run(x), release: () => s.session.release(), wall: [], cpu: [] });
  }
}
for (const c of configs) for (let i = 0; i < 3; i++) await c.run();

for (const beside of besides) {
  let stop = false;
  let reidRuns = 0;
  let background: Promise<void> = Promise.resolve();
  let reidSession: Awaited<ReturnType<typeof openSession>> | undefined;
  if (beside !== 'none') {
    const threads = Number(/^reid(\d)$/.exec(beside)?.[1] ?? Number.NaN);
    if (!Number.isInteger(threads)) throw new Error(`--beside: "${beside}" is not none or reidN`);
    reidSession = await openSession(`${dir}/osnet_x0_25_msmt17.onnx`, { threads, spinning: false, worker: true });
    const x = await inputFor('osnet_x0_25_msmt17', 4);
    background = (async () => {
      while (!stop) {
        await reidSession!.run(x.data, x.dims);
        reidRuns++;
      }
    })();
  }
  for (const c of configs) {
    c.wall = [];
    c.cpu = [];
  }
  const t0 = performance.now();
  for (let r = 0; r < runs; r++) {
    loads.push(loadavg()[0]!);
    // Rotate the order each round so no configuration always runs right after the same neighbour.
    for (let k = 0; k < configs.length; k++) {
      const c = configs[(k + r) % configs.length]!;
      const c0 = process.cpuUsage();
      const w0 = performance.now();
      await c.run();
      c.wall.push(performance.now() - w0);
      c.cpu.push(cpuMs(process.cpuUsage(c0)));
    }
  }
  const elapsed = performance.now() - t0;
  stop = true;
  await background;
  await reidSession?.release();
  console.log(
    `beside=${beside} runs=${runs}; 1-min load ${Math.min(...loads).toFixed(1)}..${Math.max(...loads).toFixed(1)} on ${cpus().length} cores` +
      (beside === 'none' ? '' : `; ReID batches of 4 alongside: ${((reidRuns * 4 * 1000) / elapsed).toFixed(1)} crops/s`),
  );
  for (const c of configs) {
    console.log(
      `  ${c.label.padEnd(30)} wall median ${median(c.wall).toFixed(1).padStart(6)} min ${Math.min(...c.wall)
        .toFixed(1)
        .padStart(6)} ms | cpu ${median(c.cpu).toFixed(1).padStart(6)} ms (cpu includes the ReID worker when beside)`,
    );
  }
  loads.length = 0;
}
for (const c of configs) await c.release();
