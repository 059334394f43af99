/**
 * Where OSNet x0.25's time goes, by stage (a script, not a test): onnxruntime's own per-node profile
 * of the fp32 model and of int8 graphs (models/quantize.ts), the kernel time of every node summed by
 * the stage its name is under (the stem conv1 + maxpool, conv2..conv5, the rest: head and QDQ glue).
 * The share a stage takes of fp32's time bounds what keeping it float in an int8 graph can leave of
 * int8's speed; reid.ts measures the speed itself.
 *
 *   npx tsx agent/bench/reid-stage-profile.ts [--runs 10] [--batch 8] [--threads 2] [--precisions fp32,int8,int8=TABLE] [--by-op]
 *
 * --by-op also prints the shares by onnxruntime op type (after its fusions: QLinearConv, the
 * layout Transposes, QLinearAdd, ...), the part of int8's time that is not convolution.
 *
 * Shares, not times, are the figure: the profile is wall time per node, and on a loaded machine
 * absolute times say more about the neighbours. Cost does not depend on the pixels, so the input is
 * a fixed pattern.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { calibrationPath, loadCalibration, quantizeBytes } from '../src/models/quantize.js';
import { resolveModel } from '../src/models/resolve.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    batch: { type: 'string', default: '8' },
    threads: { type: 'string', default: '2' },
    precisions: { type: 'string', default: 'fp32,int8' },
    'by-op': { type: 'boolean', default: false },
  },
});
const MODEL = 'osnet_x0_25_msmt17';
const data = process.env.FLOORSENSE_SHARED_DATA;
const model = await resolveModel(MODEL, data ? join(data, 'models') : undefined);
const source = readFileSync(model.path);
const batch = Number(values.batch);
const { width, height } = model.entry!.input;
const input = new Float32Array(batch * 3 * height * width).map((_, i) => ((i * 7919) % 255) / 127.5 - 1);
const tmp = mkdtempSync(join(tmpdir(), 'reid-profile-'));
const stageOf = (node: string): string => {
  const m = /^\/(conv[1-5]|maxpool)\//.exec(node);
  return m ? (m[1] === 'maxpool' ? 'conv1' : m[1]!) : 'rest';
};
console.log(`OSNet x0.25 per-node profile, batch ${batch}, ${values.threads} threads, ${values.runs} runs, load ${loadavg()[0]!.toFixed(1)}`);
for (const p of values.precisions.split(',')) {
  const [precision, tablePath] = p.split('=') as [string, string | undefined];
  let path = model.path;
  if (precision === 'int8') {
    const { table } = loadCalibration(tablePath ?? calibrationPath(MODEL));
    path = join(tmp, `${basename(p).replace(/[^\w.-]/g, '_')}.onnx`);
    writeFileSync(path, quantizeBytes(source, MODEL, model.entry!.sha256, table));
  } else if (precision !== 'fp32') throw new Error(`--precisions ${p}: expected fp32, int8 or int8=TABLE`);
  const prefix = join(tmp, `prof-${readdirSync(tmp).length}`);
  const s = await ort.InferenceSession.create(path, {
    intraOpNumThreads: Number(values.threads),
    graphOptimizationLevel: 'all',
    enableProfiling: true,
    profileFilePrefix: prefix,
  });
  const x = new ort.Tensor('float32', input, [batch, 3, height, width]);
  for (let i = 0; i < Number(values.runs); i++) await s.run({ [s.inputNames[0]!]: x });
  s.endProfiling();
  await s.release();
  const file = readdirSync(tmp).find((f) => join(tmp, f).startsWith(prefix) && f.endsWith('.json'));
  if (!file) throw new Error(`no profile written under ${prefix}`);
  const events = JSON.parse(readFileSync(join(tmp, file), 'utf8')) as { cat: string; name: string; dur: number; args?: { op_name?: string } }[];
  const by = new Map<string, number>();
  const ops = new Map<string, number>();
  let total = 0;
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
    const stage = stageOf(e.name.slice(0, -'_kernel_time'.length));
    by.set(stage, (by.get(stage) ?? 0) + e.dur);
    const op = e.args?.op_name ?? '?';
    ops.set(op, (ops.get(op) ?? 0) + e.dur);
    total += e.dur;
  }
  const shares = ['conv1', 'conv2', 'conv3', 'conv4', 'conv5', 'rest'].map((k) => `${k} ${((100 * (by.get(k) ?? 0)) / total).toFixed(0)} %`);
  console.log(`${p.padEnd(28)} ${(total / 1000 / Number(values.runs) / batch).toFixed(2)} ms a crop in kernels: ${shares.join(', ')}`);
  if (values['by-op'])
    console.log(
      `${''.padEnd(28)} by op: ${[...ops]
        .sort((a, b) => b[1] - a[1])
        .filter(([, v]) => v / total >= 0.01)
        .map(([k, v]) => `${k} ${((100 * v) / total).toFixed(0)} %`)
        .join(', ')}`,
    );
}
rmSync(tmp, { recursive: true, force: true });
