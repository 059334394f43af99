/**
 * Which parts of YOLOv8n's int8 quantisation cost its agreement with fp32 (a script, not a test):
 * the static int8 model (models/quantize.ts) with one part kept float at a time, or named float
 * sets, under one or more calibration tables, against the fp32 model at the same input, on frames
 * of clips that are NOT in the labelled set, so what is chosen here is held out from the labelled
 * clips that det-recall.ts and labelled-ab.ts score.
 *
 *   npx tsx agent/bench/det-int8-sensitivity.ts [--input 640x384] [--fps 2] [--table T.int8.json ...]
 *     [--mode leave-one-float|sets] [--parts head,blocks] [--sets 'name=pattern,pattern;name2=...'] [--base 'pattern,...'] [--json F] [clip ...]
 *
 * Frames: each clip sampled at --fps, letterboxed to --input by the pipeline's ffmpeg path (named
 * explicitly here: a flip of detector.input's default must not move these figures), decoded once.
 * fp32 is the graph derived for that input (models/derive.ts), int8 that graph quantised with each
 * table and float set. Per clip, per variant:
 * - score error: the person score (sigmoid) of every anchor where fp32 or int8 gives >= 0.05:
 *   mean |int8 - fp32|, and the mean signed difference (int8's bias);
 * - anchor box IoU: at anchors where fp32's person score >= 0.25, the IoU of the two decoded boxes;
 * - boxes after NMS (the detector's own decode, IoU 0.45) matched at IoU > 0.5 (eval/det
 *   detectionAgreement): the share of fp32's boxes int8 finds and of int8's that fp32 has, at
 *   score >= fp32's tracker high threshold, where int8's threshold is the one that gives int8 the
 *   same box count as fp32 over the clip (int8's own thresholds are re-derived by the manifest's
 *   quantile rule, so a uniform score shift is taken out), and the same at the new-track threshold;
 * - a rough milliseconds per frame on 2 threads (input-speed.ts measures speed, interleaved).
 * Parts (leave-one-float): the stem conv on raw pixels (/model.0/), the detection head's last box
 * convs (cv2.*.2) and class convs (cv3.*.2), each whole branch, the whole head, the SPPF (/model.9/),
 * the neck's concat points (/model.11, 14, 17, 20/Concat), every SiLU (`@silu`: its Sigmoid and Mul,
 * so each conv's output is rounded once, not three times); --parts blocks adds each backbone and
 * neck module alone (/model.N/). In --sets and --base, `@silu` expands the same way. The DFL is float in every variant (it is
 * downstream of the head's Reshape: models/quantize.ts quantisedTensors).
 */
import { parseFloatSets } from './keep-float-sets.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import onnxProto from 'onnx-proto';
import { iouXyxy, type Xyxy } from '../src/core/boxes.js';
import { classMask } from '../src/detect/classes.js';
import { decodeYoloV8 } from '../src/detect/decode-yolov8.js';
import { DETECTOR_DEFAULTS } from '../src/detect/defaults.js';
import { nms } from '../src/detect/nms.js';
import { allocInput, preprocessInto } from '../src/detect/preprocess.js';
import { detectionAgreement } from '../src/eval/det/index.js';
import { openSource } from '../src/ingest/index.js';
import { deriveBytes } from '../src/models/derive.js';
import { findEntry, loadManifest } from '../src/models/manifest.js';
import { calibrationPath, type KeepFloat, loadCalibration, quantizeBytes } from '../src/models/quantize.js';
import { resolveModel } from '../src/models/resolve.js';
import { openSession } from '../src/runtime/onnx.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const data = process.env.FLOORSENSE_SHARED_DATA ?? resolve(repoRoot, '..', 'shared', 'data');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    input: { type: 'string', default: '640x384' },
    fps: { type: 'string', default: '2' },
    table: { type: 'string', multiple: true },
    mode: { type: 'string', default: 'leave-one-float' },
    sets: { type: 'string' },
    base: { type: 'string' },
    json: { type: 'string' },
    parts: { type: 'string', default: 'head' },
  },
});
const MODEL = 'yolov8n_fp32';
const clips = positionals.length > 0 ? positionals : ['mall_entrance_people', 'mall_overhead_pedestrians'].map((c) => join(data, 'video', `${c}.mp4`));
for (const c of clips)
  if (/checkout_counter_cashier|store_aisle_shoppers|indoor_one_by_one_person|street_elevated_pedestrians/.test(c))
    throw new Error(`${c} is a labelled clip: choosing the float set on it would leave nothing held out`);
const wh = /^(\d+)x(\d+)$/.exec(values.input);
if (!wh) throw new Error(`--input ${values.input}: expected WxH (e.g. 640x384, or 640x640 for the native size)`);
const size = { width: Number(wh[1]), height: Number(wh[2]) };

const model = await resolveModel(MODEL, join(data, 'models'));
const entry = model.entry!;
const native = { width: entry.input.width, height: entry.input.height };
const source = readFileSync(model.path);
const sized =
  size.width === native.width && size.height === native.height
    ? source
    : deriveBytes(source, MODEL, 'detect', native, size, entry.output.strides ?? [8, 16, 32]);
const th = findEntry(loadManifest(), MODEL)!.tracker_thresholds!;
const mask = classMask(entry.classes!, ['person']);

// --- frames -----------------------------------------------------------------------------------
interface ClipFrames {
  readonly name: string;
  readonly inputs: Float32Array[];
}
const norm = { color: entry.input.color, divisor: entry.input.divisor, mean: entry.input.mean, std: entry.input.std };
const frames: ClipFrames[] = [];
for (const clip of clips) {
  const src = await openSource({ sourceId: basename(clip), url: clip, sampling: { fps: Number(values.fps), keyframes: 'never' }, modelSize: size });
  const inputs: Float32Array[] = [];
  for await (const f of src) inputs.push(preprocessInto(f.data, size.width, size.height, allocInput(size.width, size.height), norm));
  frames.push({ name: basename(clip, extname(clip)), inputs });
  console.error(`${basename(clip)}: ${inputs.length} frames at ${size.width}x${size.height}`);
}

// --- runs -------------------------------------------------------------------------------------
interface Outputs {
  readonly out: Float32Array[];
  readonly n: number;
  readonly ms: number;
}
const tmp = mkdtempSync(join(tmpdir(), 'det-sens-'));
async function runAll(bytes: Uint8Array, clip: ClipFrames): Promise<Outputs> {
  const path = join(tmp, 'model.onnx');
  writeFileSync(path, bytes);
  const s = await openSession(path, { threads: 2, worker: false });
  const name = s.outputNames.includes(entry.output.name) ? entry.output.name : s.outputNames[0]!;
  const out: Float32Array[] = [];
  let ms = 0;
  let n = 0;
  await s.run(clip.inputs[0]!, [1, 3, size.height, size.width]); // warm-up
  for (const x of clip.inputs) {
    const t0 = performance.now();
    const r = (await s.run(x, [1, 3, size.height, size.width]))[name]!;
    ms += performance.now() - t0;
    n = r.dims[2]!;
    out.push(r.data.slice());
  }
  await s.release();
  return { out, n, ms: ms / clip.inputs.length };
}
/** Person boxes after the detector's own decode and NMS, with their scores. */
function boxes(o: Outputs, conf: number): { box: Xyxy; score: number }[][] {
  return o.out.map((d) => {
    const r = nms(decodeYoloV8(d, [1, 4 + mask.length, o.n], { confThreshold: conf, classMask: mask }), DETECTOR_DEFAULTS.iou_threshold, {
      classAware: true,
      maxDetections: DETECTOR_DEFAULTS.max_detections,
    });
    return Array.from({ length: r.length }, (_, i) => ({
      box: [r.xyxy[i * 4]!, r.xyxy[i * 4 + 1]!, r.xyxy[i * 4 + 2]!, r.xyxy[i * 4 + 3]!] as Xyxy,
      score: r.score[i]!,
    }));
  });
}
const atScore = (b: { box: Xyxy; score: number }[][], t: number): Map<number, Xyxy[]> =>
  new Map(b.map((f, i) => [i, f.filter((x) => x.score >= t).map((x) => x.box)]));
/** The score at which `cand` keeps as many boxes as `ref` does at `t` (over the clip). */
function countMatched(ref: { score: number }[][], cand: { score: number }[][], t: number): number {
  const k = ref.flat().filter((x) => x.score >= t).length;
  const s = cand
    .flat()
    .map((x) => x.score)
    .sort((a, b) => b - a);
  return k === 0 ? t : k >= s.length ? s.at(-1)! : (s[k - 1]! + s[k]!) / 2;
}
const xyxyAt = (d: Float32Array, n: number, i: number): Xyxy => {
  const [cx, cy, w, h] = [d[i]!, d[n + i]!, d[2 * n + i]!, d[3 * n + i]!];
  return [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
};
interface Row {
  readonly variant: string;
  readonly table: string;
  readonly clip: string;
  readonly scoreMae: number;
  readonly scoreBias: number;
  readonly anchorIou: number;
  readonly high: { t: number; refMatched: number; candMatched: number; meanIou: number; ref: number };
  readonly newTrack: { t: number; refMatched: number; candMatched: number; meanIou: number; ref: number };
  readonly ms: number;
}
function compare(ref: Outputs, cand: Outputs): Omit<Row, 'variant' | 'table' | 'clip' | 'ms'> {
  const n = ref.n;
  let err = 0;
  let bias = 0;
  let cnt = 0;
  let iouSum = 0;
  let iouN = 0;
  ref.out.forEach((a, f) => {
    const b = cand.out[f]!;
    for (let i = 0; i < n; i++) {
      const sa = a[4 * n + i]!;
      const sb = b[4 * n + i]!;
      if (sa >= 0.05 || sb >= 0.05) {
        err += Math.abs(sb - sa);
        bias += sb - sa;
        cnt++;
      }
      if (sa >= 0.25) {
        iouSum += iouXyxy(xyxyAt(a, n, i), xyxyAt(b, n, i));
        iouN++;
      }
    }
  });
  const rb = boxes(ref, 0.05);
  const cb = boxes(cand, 0.05);
  const at = (t: number) => {
    const tc = countMatched(rb, cb, t);
    const a = detectionAgreement(atScore(rb, t), atScore(cb, tc));
    return { t: tc, refMatched: a.referenceMatched, candMatched: a.candidateMatched, meanIou: a.meanIou, ref: a.referenceBoxes };
  };
  return { scoreMae: err / cnt, scoreBias: bias / cnt, anchorIou: iouSum / iouN, high: at(th.high_threshold), newTrack: at(th.new_track_threshold) };
}

// --- variants ---------------------------------------------------------------------------------
const graphNodes = onnxProto.onnx.ModelProto.decode(source).graph!.node!;
/** `@silu`: every SiLU's Sigmoid and Mul (node names: a pattern is a prefix, and they sit at every depth). */
const expand = (p: string): string[] => (p === '@silu' ? graphNodes.filter((n) => /\/act\/(Sigmoid|Mul)$/.test(n.name ?? '')).map((n) => n.name!) : [p]);
const HEAD_PARTS: Array<[string, string[]]> = [
  ['stem conv (/model.0/, raw pixels)', ['/model.0/']],
  ['head box last convs (cv2.*.2)', ['/model.22/cv2.*/cv2.*.2/']],
  ['head class last convs (cv3.*.2)', ['/model.22/cv3.*/cv3.*.2/']],
  ['head last convs (cv2.*.2 + cv3.*.2)', ['/model.22/cv2.*/cv2.*.2/', '/model.22/cv3.*/cv3.*.2/']],
  ['head box branch (cv2.*)', ['/model.22/cv2.']],
  ['head class branch (cv3.*)', ['/model.22/cv3.']],
  ['whole head (/model.22/)', ['/model.22/']],
  ['SPPF (/model.9/)', ['/model.9/']],
  ['neck concats (11, 14, 17, 20)', ['/model.11/Concat', '/model.14/Concat', '/model.17/Concat', '/model.20/Concat']],
  ['every SiLU (Sigmoid + Mul)', ['@silu']],
];
/** Each backbone and neck module of YOLOv8n alone (model.0-21; 10, 11, 13, 14, 17, 20 are upsamples and concats). */
const BLOCK_PARTS: Array<[string, string[]]> = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 16, 18, 19, 21].map((i) => [`block /model.${i}/`, [`/model.${i}/`]]);
const PARTS = [...(values.parts.includes('head') ? HEAD_PARTS : []), ...(values.parts.includes('blocks') ? BLOCK_PARTS : [])];
const base = values.base ? values.base.split(',') : [];
let variants: Array<[string, KeepFloat]>;
if (values.mode === 'sets') {
  if (!values.sets) throw new Error('--mode sets needs --sets');
  variants = parseFloatSets(values.sets, expand);
} else if (values.mode === 'leave-one-float') {
  variants = [
    ['all int8', []],
    ...(base.length ? [['base only', base] as [string, KeepFloat]] : []),
    ...PARTS.map(([n, p]): [string, KeepFloat] => [`float: ${n}`, [...base, ...p].flatMap(expand)]),
  ];
} else throw new Error(`--mode ${values.mode}: expected leave-one-float or sets`);
const tables = values.table && values.table.length > 0 ? values.table : [calibrationPath(MODEL)];

const rows: Row[] = [];
console.log(
  `${MODEL} at ${size.width}x${size.height}, fps ${values.fps}; fp32 thresholds ${th.high_threshold} / ${th.new_track_threshold}; load ${loadavg()[0]!.toFixed(1)}`,
);
for (const clip of frames) {
  const ref = await runAll(sized, clip);
  console.log(`\n-- ${clip.name}: ${clip.inputs.length} frames, fp32 ${ref.ms.toFixed(0)} ms/frame`);
  console.log(`${'table'.padEnd(34)} ${'variant'.padEnd(40)} scoreMAE  bias     anchorIoU  @high: t     ref%   cand%  | @new: t     ref%   cand%  | ms`);
  for (const tablePath of tables) {
    const { table } = loadCalibration(tablePath);
    const tname = basename(tablePath).replace(/\.json$/, '');
    for (const [name, keep] of variants) {
      const cand = await runAll(quantizeBytes(sized, MODEL, entry.sha256, table, keep), clip);
      const r: Row = { variant: name, table: tname, clip: clip.name, ...compare(ref, cand), ms: cand.ms };
      rows.push(r);
      const pc = (x: number) => (100 * x).toFixed(1).padStart(5);
      console.log(
        `${tname.slice(0, 34).padEnd(34)} ${name.slice(0, 40).padEnd(40)} ${r.scoreMae.toFixed(4)}  ${r.scoreBias >= 0 ? '+' : ''}${r.scoreBias.toFixed(4)}  ${r.anchorIou.toFixed(4)}     ${r.high.t.toFixed(3)}  ${pc(r.high.refMatched)}  ${pc(r.high.candMatched)}  | ${r.newTrack.t.toFixed(3)}  ${pc(r.newTrack.refMatched)}  ${pc(r.newTrack.candMatched)}  | ${r.ms.toFixed(0)}`,
      );
    }
  }
}
rmSync(tmp, { recursive: true, force: true });
console.log(`\nload ${loadavg()[0]!.toFixed(1)}`);
if (values.json) writeFileSync(values.json, `${JSON.stringify({ input: values.input, fps: values.fps, rows }, null, 1)}\n`);
