/**
 * Which parts of OSNet x0.25 int8 quantisation costs its separation (a script, not a test): the
 * model with one part kept float at a time (or only one part quantised), against fp32, on person
 * crops of clips that are NOT in the labelled set, so the choice made here is held out from the
 * labelled clips that reid-cache.ts / reid-replay.ts score.
 *
 *   npx tsx agent/bench/reid-int8-sensitivity.ts [--fps 2] [--max-crops 800] [--table T.int8.json ...]
 *     [--mode leave-one-float|only-one-int8|sets] [--sets 'name=prefix,prefix;name2=...'] [clip ...]
 *
 * Crops: yolov8n_fp32 at its native 640x640 input and fp32 (named here, not taken from the config
 * defaults) finds the people, the motion-only tracker (product defaults, no appearance) follows
 * them, and the tracker's own crop path (track/crop.ts) cuts each matched track's detection.
 * Pseudo-labels: two crops of one track at least 2 s apart are the same person (an id switch makes a
 * few wrong); two tracks in the same frame are two different people (always right). Default clips
 * mall_entrance_people and mall_overhead_pedestrians (the calibration clips; never a labelled one).
 *
 * Per variant: cosine of each crop's embedding to fp32's (mean, 5th percentile, min), the pair
 * statistics (AUC: a same pair closer than a different pair; the share of different pairs under the
 * tracker's 0.4 cosine distance, and of same pairs), and milliseconds per crop at batch 8 on 2
 * threads (a rough figure: reid.ts measures speed). Parts: `@depthwise` (every grouped Conv),
 * `@gates` (each OSBlock's channel gates and their Muls), `@sigmoid`, `@stream-sums` (each OSBlock's
 * sums of its gated streams) and `@residuals` (its residual Add) expand to node names; any other
 * entry is a node-name pattern (models/quantize.ts KeepFloat: a prefix, `*` for any text inside one
 * path segment), e.g. /conv1/ or /conv5/.
 * --base 'pattern,...' keeps those float in every variant but `all int8` (a greedy step on top of
 * an earlier choice). With several --table files (e.g. minmax and percentile rules from calibrate-int8.ts --out) every
 * variant runs with each.
 */
import { parseFloatSets } from './keep-float-sets.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import onnxProto from 'onnx-proto';
import { detectorOptionsFrom, detectorPrecision } from '../src/agent/analyze-options.js';
import { validateConfig } from '../src/config/load.js';
import { calibrationPath, type KeepFloat, keepFloatMatcher, loadCalibration, quantizeBytes } from '../src/models/quantize.js';
import { resolveModel } from '../src/models/resolve.js';
import { analyzeSource } from '../src/pipeline/analyze.js';
import { openSession } from '../src/runtime/onnx.js';
import { cropBatch, REID_CROP } from '../src/track/crop.js';
import { boxAt, iou } from '../src/track/geometry.js';
import { trackerOptionsFromConfig } from '../src/track/options.js';
import { auc } from './reid-auc.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const data = process.env.FLOORSENSE_SHARED_DATA ?? resolve(repoRoot, '..', 'shared', 'data');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    fps: { type: 'string', default: '2' },
    'max-crops': { type: 'string', default: '800' },
    table: { type: 'string', multiple: true },
    mode: { type: 'string', default: 'leave-one-float' },
    sets: { type: 'string' },
    threshold: { type: 'string', default: '0.4' },
    base: { type: 'string' },
  },
});
const MODEL = 'osnet_x0_25_msmt17';
const clips = positionals.length > 0 ? positionals : ['mall_entrance_people', 'mall_overhead_pedestrians'].map((c) => join(data, 'video', `${c}.mp4`));
for (const c of clips)
  if (/checkout_counter_cashier|store_aisle_shoppers|indoor_one_by_one_person|street_elevated_pedestrians/.test(c))
    throw new Error(`${c} is a labelled clip: choosing the float set on it would leave nothing held out`);
const threshold = Number(values.threshold);

// --- crops with pseudo-labels ---------------------------------------------------------------
interface Crop {
  readonly clip: string;
  readonly frame: number;
  readonly t: number;
  readonly track: number;
  readonly pixels: Float32Array;
}
// Detector settings named explicitly (a default flip of detector.precision / input must not move these figures).
const cfg = validateConfig({ store: { id: 'bench' }, detector: { model: 'yolov8n_fp32', precision: 'fp32', input: 'native' } });
const crops: Crop[] = [];
for (const clip of clips) {
  const name = basename(clip, extname(clip));
  const before = crops.length;
  const result = await analyzeSource({
    url: clip,
    sourceId: name,
    sampling: { fps: Number(values.fps), keyframes: 'never' },
    detector: detectorOptionsFrom(cfg),
    tracker: trackerOptionsFromConfig(cfg.tracker, cfg.detector.model, detectorPrecision(cfg)),
    appearance: false,
    reidModel: MODEL,
    // Every sampled frame detected afresh: a gated (reused) frame would repeat its crops.
    motionGate: null,
    preview: null,
    keepRows: false,
    onFrame: (frame, dets, tracks) => {
      for (const t of tracks) {
        if (!t.matched) continue;
        let best = -1;
        let bestIou = 0.5;
        for (let i = 0; i < dets.length; i++) {
          const v = iou(t.box, boxAt(dets.xyxy, i));
          if (v >= bestIou) [best, bestIou] = [i, v];
        }
        // Cut now: the frame buffer may be reused for the next frame.
        if (best >= 0)
          crops.push({ clip: name, frame: frame.index, t: frame.ptsSec, track: t.id, pixels: cropBatch(frame, [boxAt(dets.xyxy, best)], REID_CROP) });
      }
    },
  });
  if (result.error) throw result.error;
  console.error(`${name}: ${crops.length - before} crops of matched tracks`);
}
const maxCrops = Number(values['max-crops']);
const step = Math.max(1, crops.length / maxCrops);
const set = Array.from({ length: Math.min(maxCrops, crops.length) }, (_, i) => crops[Math.floor(i * step)]!);
const same: [number, number][] = [];
const diff: [number, number][] = [];
for (let a = 0; a < set.length; a++)
  for (let b = a + 1; b < set.length; b++) {
    const x = set[a]!;
    const y = set[b]!;
    if (x.clip !== y.clip) continue;
    if (x.track === y.track && Math.abs(x.t - y.t) >= 2) same.push([a, b]);
    else if (x.track !== y.track && x.frame === y.frame) diff.push([a, b]);
  }
console.log(
  `${set.length} crops of ${new Set(set.map((c) => `${c.clip}#${c.track}`)).size} tracks; ${same.length} same-track pairs >= 2 s apart, ${diff.length} different-track pairs in one frame; load ${loadavg()[0]!.toFixed(1)}`,
);

// --- variants ---------------------------------------------------------------------------------
const model = await resolveModel(MODEL, join(data, 'models'));
const source = readFileSync(model.path);
const nodes = onnxProto.onnx.ModelProto.decode(source).graph!.node!;
const groupOf = (n: onnxProto.onnx.INodeProto): number => Number((n.attribute ?? []).find((a) => a.name === 'group')?.i ?? 1);
const expand = (entry: string): string[] => {
  if (entry === '@depthwise') return nodes.filter((n) => n.opType === 'Conv' && groupOf(n) > 1).map((n) => n.name!);
  if (entry === '@sigmoid') return nodes.filter((n) => n.opType === 'Sigmoid').map((n) => n.name!);
  // Each OSBlock's three sums of its gated streams (Add, Add_1, Add_2) and its residual sum (Add_3).
  if (entry === '@stream-sums') return nodes.filter((n) => n.opType === 'Add' && !n.name!.endsWith('/Add_3')).map((n) => n.name!);
  if (entry === '@residuals') return nodes.filter((n) => n.opType === 'Add' && n.name!.endsWith('/Add_3')).map((n) => n.name!);
  if (entry === '@gates')
    return [...new Set(nodes.filter((n) => /\/gate(_\d+)?\//.test(n.name ?? '')).map((n) => n.name!.replace(/(\/gate(_\d+)?\/).*$/, '$1')))];
  return [entry];
};
/** The parts, each a list of prefixes: the stem, every block, the last conv and pool, and the op classes. */
const PARTS: Array<[string, string[]]> = [
  ['conv1 (stem, raw pixels)', ['/conv1/', '/maxpool/']],
  ...['conv2.0', 'conv2.1', 'conv2.2', 'conv3.0', 'conv3.1', 'conv3.2', 'conv4.0', 'conv4.1'].map((b): [string, string[]] => [
    b,
    [`/${b.split('.')[0]}/${b}/`],
  ]),
  ['conv5 + global pool', ['/conv5/', '/global_avgpool/']],
  ['conv5', ['/conv5/']],
  ['global pool (the head reads its uint8 vector)', ['/global_avgpool/']],
  ['stream sums', ['@stream-sums']],
  ['residual adds', ['@residuals']],
  ['depthwise convs', ['@depthwise']],
  ['channel gates', ['@gates']],
  ['gate sigmoids', ['@sigmoid']],
];
let variants: Array<[string, KeepFloat | null]>;
if (values.mode === 'sets') {
  if (!values.sets) throw new Error('--mode sets needs --sets');
  variants = parseFloatSets(values.sets, expand);
} else if (values.mode === 'leave-one-float') {
  variants = [
    ['all int8', []],
    ['base only', [...(values.base ? values.base.split(',') : [])]],
    ...PARTS.map(([n, p]): [string, KeepFloat] => [`float: ${n}`, p.flatMap(expand)]),
  ];
} else if (values.mode === 'only-one-int8') {
  // Everything float but one part: the block/class sets overlap, so "everything" is every node prefix.
  const everything = ['/conv1/', '/maxpool/', '/conv2/', '/conv3/', '/conv4/', '/conv5/', '/global_avgpool/'];
  variants = PARTS.filter(([n]) => !n.includes('gate') && !n.includes('depthwise')).map(([n, p]): [string, KeepFloat] => {
    const mine = p.flatMap(expand);
    // Keep float every node NOT under this part: node names, since a prefix cannot say "all but".
    return [
      `int8 only: ${n}`,
      nodes.filter((x) => everything.some((e) => x.name!.startsWith(e)) && !mine.some((m) => x.name!.startsWith(m))).map((x) => x.name!),
    ];
  });
} else throw new Error(`--mode ${values.mode}: expected leave-one-float, only-one-int8 or sets`);

const base = values.base ? values.base.split(',') : [];
if (base.length > 0) variants = variants.map(([n, k]) => [n, k && k.length > 0 ? [...base, ...k] : k]);
const tables = values.table && values.table.length > 0 ? values.table : [calibrationPath(MODEL)];
const tmp = mkdtempSync(join(tmpdir(), 'reid-sens-'));
const plane = 3 * REID_CROP.height * REID_CROP.width;

async function embedAll(path: string): Promise<{ emb: Float32Array[]; msPerCrop: number }> {
  const s = await openSession(path, { threads: 2, worker: false });
  const emb: Float32Array[] = [];
  let ms = 0;
  const out = s.outputNames[0]!;
  for (let i = 0; i < set.length; i += 8) {
    const part = set.slice(i, i + 8);
    const input = new Float32Array(part.length * plane);
    for (const [k, c] of part.entries()) input.set(c.pixels, k * plane);
    const t0 = performance.now();
    const r = (await s.run(input, [part.length, 3, REID_CROP.height, REID_CROP.width]))[out]!;
    ms += performance.now() - t0;
    const d = r.dims[1]!;
    for (let k = 0; k < part.length; k++) {
      const v = r.data.slice(k * d, (k + 1) * d);
      const norm = Math.hypot(...v) || 1;
      emb.push(v.map((x) => x / norm));
    }
  }
  await s.release();
  return { emb, msPerCrop: ms / set.length };
}
const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, v, k) => s + v * b[k]!, 0);
const pct = (xs: number[], t: number): string => `${((100 * xs.filter((x) => x < t).length) / xs.length).toFixed(1)} %`;
function row(name: string, emb: Float32Array[], ref: Float32Array[] | null, ms: number, floatNodes: number): void {
  const sd = same.map(([a, b]) => 1 - dot(emb[a]!, emb[b]!));
  const dd = diff.map(([a, b]) => 1 - dot(emb[a]!, emb[b]!));
  let cos = '                         ';
  let common = '     ';
  if (ref) {
    const c = emb.map((e, i) => dot(e, ref[i]!)).sort((x, y) => x - y);
    cos = `${(c.reduce((s, v) => s + v, 0) / c.length).toFixed(4)} ${c[Math.floor(0.05 * c.length)]!.toFixed(4)} ${c[0]!.toFixed(4)}`.padEnd(25);
    // How much of the error is one direction shared by every crop (a bias) rather than noise.
    const m = new Float64Array(emb[0]!.length);
    let e2 = 0;
    for (const [i, e] of emb.entries())
      for (let k = 0; k < m.length; k++) {
        const d = e[k]! - ref[i]![k]!;
        m[k]! += d / emb.length;
        e2 += (d * d) / emb.length;
      }
    common = (m.reduce((s, v) => s + v * v, 0) / e2).toFixed(2);
  }
  const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
  cos += ` ${mean(sd).toFixed(3)} ${mean(dd).toFixed(3)} ${common}`;
  console.log(
    `${name.padEnd(44)} ${String(floatNodes).padStart(5)}  ${cos} ${auc(sd, dd).toFixed(4)}  ${pct(dd, threshold).padStart(7)}  ${pct(sd, threshold).padStart(7)}  ${ms.toFixed(2).padStart(6)}`,
  );
}
console.log(`\n${'variant'.padEnd(44)} float  cos to fp32 mean/p5/min   dsame ddiff bias  AUC     diff<${threshold}  same<${threshold}  ms/crop`);
const fp32 = await embedAll(model.path);
row('fp32', fp32.emb, null, fp32.msPerCrop, nodes.length);
for (const tablePath of tables) {
  const { table } = loadCalibration(tablePath);
  console.log(`-- table ${tablePath} (${table.rule.slice(0, 60)}…)`);
  for (const [name, keep] of variants) {
    const path = join(tmp, 'v.onnx');
    writeFileSync(path, quantizeBytes(source, MODEL, model.entry!.sha256, table, keep ?? []));
    const r = await embedAll(path);
    const { matches } = keepFloatMatcher(keep ?? [], []);
    const floatCount = nodes.filter((n) => matches(n.name!)).length;
    row(name, r.emb, fp32.emb, r.msPerCrop, floatCount);
  }
}
rmSync(tmp, { recursive: true, force: true });
console.log(`\nload ${loadavg()[0]!.toFixed(1)} at the end`);
