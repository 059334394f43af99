/**
 * ReID cost on this machine (a script, not a test): OSNet x0.25 milliseconds per crop by batch
 * size, intra-op threads and in-thread vs worker session, on crops of a real frame.
 *
 * Usage: npx tsx agent/bench/reid.ts [--runs 20] [--batches 1,4,8,16] [--threads 1,2] [--workers 0,1] [--inputs 256x128,160x80,128x64]
 *   [--precisions fp32,int8]
 *
 * --inputs: crop sizes, height x width (tracker.reid_input); the smaller ones run the model derived
 * for them (models/derive.ts, cached under the per-user temp cache). Sizes are interleaved per
 * batch size so load drift hits each alike.
 *
 * --precisions: fp32 and/or the static int8 model (tracker.reid_precision, models/quantize.ts with
 * models/calibration/osnet_x0_25_msmt17.int8.json), interleaved with the sizes the same way;
 * `int8=PATH` takes another calibration table (e.g. the previous all-int8 one from git, to compare
 * a keep_float set's cost).
 */
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { openSource } from '../src/ingest/index.js';
import { deriveModelInput, parseSize } from '../src/models/derive.js';
import { PRECISIONS, type Precision } from '../src/models/precision.js';
import { resolveModel } from '../src/models/resolve.js';
import { openReid } from '../src/track/reid.js';
import type { Frame } from '../src/core/frame.js';
import type { Xyxy } from '../src/track/geometry.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const data = process.env.FLOORSENSE_SHARED_DATA ?? resolve(repoRoot, '..', 'shared', 'data');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const runs = Number(arg('runs', '20'));
const batches = arg('batches', '1,4,8,16').split(',').map(Number);
const threadsList = arg('threads', '1,2').split(',').map(Number);
const workers = arg('workers', '0,1')
  .split(',')
  .map((w) => w === '1');
const inputs = arg('inputs', '256x128').split(',');
const precisions = arg('precisions', 'fp32')
  .split(',')
  .map((p) => {
    const [precision, table] = p.split('=') as [Precision, string | undefined];
    if (!PRECISIONS.includes(precision)) throw new Error(`--precisions: ${p} is not one of ${PRECISIONS.join(', ')} (int8=TABLE for another table)`);
    return { precision, table, text: table ? `${precision}=${basename(table, '.json')}` : precision };
  });
const width = Math.max(7, ...precisions.map((p) => p.text.length + 8));

async function oneFrame(): Promise<Frame> {
  const src = await openSource({
    sourceId: 'street',
    url: join(data, 'video', 'street_elevated_pedestrians.mp4'),
    sampling: { stride: 25 },
    modelSize: { width: 640, height: 640 },
    limitSec: 1,
  });
  for await (const f of src) return f;
  throw new Error('no frame');
}

const frame = await oneFrame();
const W = frame.letterbox.srcWidth;
const H = frame.letterbox.srcHeight;
// Person-sized boxes spread over the picture (source pixels); cost does not depend on content.
const boxes: Xyxy[] = Array.from({ length: 16 }, (_, i) => [((i % 8) * W) / 9, ((i >> 3) * H) / 3, ((i % 8) * W) / 9 + W / 20, ((i >> 3) * H) / 3 + H / 5]);
console.log(`ReID osnet_x0_25_msmt17, ${runs} runs after 3 warm-ups, load ${loadavg()[0]!.toFixed(1)}`);
console.log(`session   threads  ${'input'.padEnd(precisions.length > 1 ? width : 7)}  batch  ms/run  ms/crop`);
const model = await resolveModel('osnet_x0_25_msmt17', join(data, 'models'));
for (const worker of workers) {
  for (const threads of threadsList) {
    const sessions = await Promise.all(
      inputs.flatMap((size) =>
        precisions.map(async ({ precision, table, text }) => {
          const s = parseSize(size, 'HxW');
          if (!s) throw new Error(`--inputs: ${size} is not HxW`);
          const d = await deriveModelInput(model, s, { precision, ...(table ? { calibrationPath: table } : {}) });
          return {
            text: precisions.length > 1 ? `${size} ${text}` : size,
            reid: await openReid(d.path, { threads, worker, maxBatch: 64, input: d.input }),
          };
        }),
      ),
    );
    for (const b of batches) {
      const some = boxes.slice(0, b);
      for (const { text, reid } of sessions) {
        for (let i = 0; i < 3; i++) await reid.embed(frame, some);
        const t0 = performance.now();
        for (let i = 0; i < runs; i++) await reid.embed(frame, some);
        const ms = (performance.now() - t0) / runs;
        console.log(
          `${(worker ? 'worker' : 'in-thread').padEnd(9)} ${String(threads).padStart(7)}  ${text.padEnd(precisions.length > 1 ? width : 7)}  ${String(b).padStart(5)}  ${ms.toFixed(1).padStart(6)}  ${(ms / b).toFixed(2).padStart(7)}`,
        );
      }
    }
    for (const { reid } of sessions) await reid.release();
  }
}
console.log(`load ${loadavg()[0]!.toFixed(1)} at the end`);
